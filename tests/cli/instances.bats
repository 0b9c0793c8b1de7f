#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# A plugin listed twice is two instances: two agents behind one profile,
# each op on the first that serves it, the next when the first is gone.
load helpers

start_agent() { # start_agent NAME: an agent with the native plugins on $TMP/NAME.sock
	"$VACCEL" --profile native agent --listen "unix://$TMP/$1.sock" >"$TMP/$1.log" 2>&1 &
	eval "PID_$1=$!"
	for _ in $(seq 1 100); do
		"$VACCEL" agent --status "unix://$TMP/$1.sock" >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	cat "$TMP/$1.log"
	return 1
}

two_agents_profile() {
	printf 'plugins:\n  - name: rpc\n    options:\n      address: "unix://%s/a.sock"\n  - name: rpc\n    options:\n      address: "unix://%s/b.sock"\n' \
		"$TMP" "$TMP" >"$TMP/two.yaml"
}

setup() {
	: "${VACCEL:?run through make check}"
	TMP="$(mktemp -d "${BATS_TMPDIR:-/tmp}/vaccel-inst-XXXXXX")"
	unset VACCEL_RPC_ADDRESS
	two_agents_profile
}

teardown() {
	[ -n "${BATS_TEST_COMPLETED:-}" ] || { printf 'last status %s, output:\n%s\n' "${status:-}" "${output:-}"; cat "$TMP"/*.log 2>/dev/null; }
	kill -KILL ${PID_a:-} ${PID_b:-} 2>/dev/null || true
	rm -rf "$TMP"
}

@test "vaccel plugins shows both instances, each with its agent and state" {
	start_agent a
	run "$VACCEL" --profile "$TMP/two.yaml" --json plugins
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" 'len(d["plugins"])')" = 2 ]
	[ "$(json_get "$output" 'd["plugins"][0]["state"]')" = "unix://$TMP/a.sock (not connected)" ]
	[ "$(json_get "$output" 'd["plugins"][1]["state"]')" = "unix://$TMP/b.sock (not connected)" ]
	run "$VACCEL" --profile "$TMP/two.yaml" plugins
	[[ "$output" == *"unix://$TMP/a.sock"*"unix://$TMP/b.sock"* ]]
}

@test "two rpc instances serve sgemm, and still do after the first agent is killed" {
	start_agent a
	start_agent b
	"$VACCEL" --profile native sgemm -m 33 -n 17 -k 9 --seed 3 -o "$TMP/native.out" >/dev/null
	run "$VACCEL" --profile "$TMP/two.yaml" sgemm -m 33 -n 17 -k 9 --seed 3 -o "$TMP/two.out"
	[ "$status" -eq 0 ]
	cmp "$TMP/native.out" "$TMP/two.out"
	kill -KILL "$PID_a"
	wait "$PID_a" 2>/dev/null || true
	run "$VACCEL" --profile "$TMP/two.yaml" sgemm -m 33 -n 17 -k 9 --seed 3 -o "$TMP/after.out"
	[ "$status" -eq 0 ]
	cmp "$TMP/native.out" "$TMP/after.out"
	# The second agent served it: it saw a session come and go.
	run "$VACCEL" --json agent --status "unix://$TMP/b.sock"
	[ "$(json_get "$output" 'd["requests"] > 0')" = True ]
}

@test "one session falls over to the second agent when the first dies under it" {
	start_agent a
	start_agent b
	VACCEL_PROFILE="$TMP/two.yaml" run "$TOP_BUILDDIR/tests/rpc/rpc-failover" "$PID_a"
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "the handshake: an rpc agent that lacks an op passes it to the next instance" {
	printf 'plugins:\n  - name: noop\n    ops: [noop]\n' >"$TMP/noop-only.yaml"
	"$VACCEL" --profile "$TMP/noop-only.yaml" agent --listen "unix://$TMP/a.sock" >"$TMP/a.log" 2>&1 &
	PID_a=$!
	for _ in $(seq 1 100); do
		"$VACCEL" agent --status "unix://$TMP/a.sock" >/dev/null 2>&1 && break
		sleep 0.05
	done
	printf 'plugins:\n  - name: rpc\n    options:\n      address: "unix://%s/a.sock"\n  - name: openblas\n' \
		"$TMP" >"$TMP/mixed.yaml"
	run "$VACCEL" --json --profile "$TMP/mixed.yaml" noop -i 10
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" 'd["plugin"]')" = rpc ]
	# The agent's WELCOME lists no sgemm: the session sends it to openblas.
	"$VACCEL" --profile native sgemm -m 9 -n 7 -k 5 --seed 2 -o "$TMP/native.out" >/dev/null
	run "$VACCEL" --profile "$TMP/mixed.yaml" sgemm -m 9 -n 7 -k 5 --seed 2 -o "$TMP/mixed.out"
	[ "$status" -eq 0 ]
	[[ "$output" == *"plugin=openblas"* ]]
	cmp "$TMP/native.out" "$TMP/mixed.out"
}

@test "no agent reachable: the error says so, it is not 'unsupported'" {
	run "$VACCEL" --profile "$TMP/two.yaml" sgemm -m 4 -n 4 -k 4
	[ "$status" -ne 0 ]
	[ "$status" -ne 4 ]
	[[ "$output" == *"cannot reach the agent"* ]]
}
