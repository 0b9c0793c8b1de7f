#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# What a new user types, with no profile chosen: `vaccel classify IMAGE`
# runs the standard models of the default profile; a default `vaccel agent`
# serves the same ops to rpc and virtio clients, but exec only what its
# allow list names. (Built with OpenCV only: Makefile.am.)
load helpers

IMG="$VACCEL_MODELS/images"
# The target's libm (the compiler knows its multiarch directory).
libm() { ${CC:-cc} -print-file-name=libm.so.6; }

teardown() {
	[ -n "${BATS_TEST_COMPLETED:-}" ] || { printf 'last status %s, output:\n%s\n' "${status:-}" "${output:-}";
		[ -f "$TMP/agent.log" ] && cat "$TMP/agent.log"; }
	[ -z "${AGENT_PID:-}" ] || { kill -TERM "$AGENT_PID" 2>/dev/null; wait "$AGENT_PID" || true; }
	rm -rf "$TMP"
}

# A default agent (no --profile) on private addresses.
start_default_agent() {
	ADDR="unix://$TMP/agent.sock"
	"$VACCEL" agent --listen "$ADDR" --listen "virtio://$TMP/vq.sock" >"$TMP/agent.log" 2>&1 &
	AGENT_PID=$!
	for _ in $(seq 1 200); do
		"$VACCEL" agent --status "$ADDR" >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	return 1
}

@test "vaccel classify IMAGE with no profile: Egyptian cat first" {
	need_models
	run "$VACCEL" classify "$IMG/cat.jpg"
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" =~ ^\ \ class\ 0\.8[0-9]+\ Egyptian\ cat$ ]]
	run "$VACCEL" --json detect "$IMG/person.jpg"
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" 'd["plugin"]')" = opencv ]
}

@test "no models: the error says how to get them; the mirror is used when set" {
	need_models
	VACCEL_MODELS="$TMP/empty" run "$VACCEL" classify "$IMG/cat.jpg"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$TMP/empty/classification/mobilenet_v2/"* ]]
	[[ "$output" == *"vaccel models fetch"* ]]
	[[ "$output" == *"VACCEL_MODEL_MIRROR"* ]]
	[ ! -e "$TMP/empty" ]
	local models="$VACCEL_MODELS"
	VACCEL_MODEL_MIRROR="$models" VACCEL_MODELS="$TMP/empty" run "$VACCEL" classify "$IMG/cat.jpg"
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" == *"Egyptian cat" ]]
}

@test "the default profile still runs sgemm, noop and exec" {
	run "$VACCEL" sgemm -m 33 -n 17 -k 9 --verify
	[ "$status" -eq 0 ]
	[[ "$output" == *"max_error"*": ok"* ]]
	run "$VACCEL" noop -i 10
	[ "$status" -eq 0 ]
	run "$VACCEL" exec "$(libm)" cos float64:0 out:float64
	[ "$status" -eq 0 ]
}

@test "OpenCV's libraries are loaded by the first image op, not at start" {
	need_models
	LD_DEBUG=files "$VACCEL" noop -i 1 >/dev/null 2>"$TMP/ld.log"
	! grep -q 'file=libopencv_core' "$TMP/ld.log"
	LD_DEBUG=files "$VACCEL" classify "$IMG/cat.jpg" >/dev/null 2>"$TMP/ld.log"
	grep -q 'file=libopencv_core' "$TMP/ld.log"
}

@test "a default agent serves classify over rpc and virtio, and refuses exec of any library" {
	need_models
	start_default_agent
	printf 'plugins:\n  - name: rpc\n    options:\n      address: "%s"\n' "$ADDR" > "$TMP/rpc.yaml"
	printf 'plugins:\n  - name: virtio\n    options:\n      address: "virtio://%s"\n' "$TMP/vq.sock" > "$TMP/virtio.yaml"
	run "$VACCEL" --profile "$TMP/rpc.yaml" classify "$IMG/cat.jpg"
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" == *"Egyptian cat" ]]
	run "$VACCEL" --profile "$TMP/virtio.yaml" classify "$IMG/cat.jpg"
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" == *"Egyptian cat" ]]
	run "$VACCEL" --profile "$TMP/rpc.yaml" noop -i 5
	[ "$status" -eq 0 ]
	run "$VACCEL" --profile "$TMP/rpc.yaml" exec "$(libm)" cos float64:0 out:float64
	[ "$status" -eq 1 ]
	[[ "$output" == *"is not allowed by the profile"* ]]
	grep -q "profile: .*configs/agent.yaml\|listening on unix://$TMP/agent.sock" "$TMP/agent.log"
}
