#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The agent's systemd unit (data/vaccel-agent.service, made by make): what it
# runs, the directories and hardening it asks for, and that systemd accepts it.
load helpers

UNIT="$TOP_BUILDDIR/data/vaccel-agent.service"

@test "the unit runs the installed vaccel with the agent profile" {
	[ -f "$UNIT" ]
	grep -qx 'ExecStart=/.*/bin/vaccel --profile agent agent' "$UNIT"
	run grep '@[a-z]*@' "$UNIT"   # nothing left unsubstituted
	[ "$status" -eq 1 ]
	# The name resolves to the shipped agent profile.
	run "$VACCEL" --json --profile agent profile show
	[ "$status" -eq 0 ]
	[[ "$(json_get "$output" 'd["source"]')" == */configs/agent.yaml ]]
}

@test "the unit makes /run/vaccel for the profile's socket and is hardened" {
	grep -qx 'RuntimeDirectory=vaccel' "$UNIT"
	grep -q 'unix:///run/vaccel/agent.sock' "$TOP_SRCDIR/configs/agent.yaml"
	for key in NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes PrivateTmp=yes \
		ProtectKernelTunables=yes ProtectKernelModules=yes ProtectControlGroups=yes \
		RestrictSUIDSGID=yes LockPersonality=yes; do
		grep -qx "$key" "$UNIT"
	done
}

@test "systemd-analyze verify accepts the unit, without a warning" {
	command -v systemd-analyze >/dev/null || skip "no systemd-analyze"
	# verify wants ExecStart's program to exist: the build tree's.
	sed "s|^ExecStart=[^ ]*|ExecStart=$VACCEL|" "$UNIT" > "$TMP/vaccel-agent.service"
	run systemd-analyze verify --man=no "$TMP/vaccel-agent.service"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}
