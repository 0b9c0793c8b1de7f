#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# vaccel minmax: vAccel's minmax op, natively and over both transports with
# no transport code of its own (the op table's worked example).
load helpers

values() { printf '3\n-7.5\n10\n\n2.25\n' > "$TMP/in.txt"; }

start_agent() { # an agent with the native plugins, on a UNIX socket and a virtqueue
	"$VACCEL" --profile native agent --listen "unix://$TMP/a.sock" \
		--listen "virtio://$TMP/vq.sock" >"$TMP/agent.log" 2>&1 &
	AGENT_PID=$!
	for _ in $(seq 1 100); do
		"$VACCEL" agent --status "unix://$TMP/a.sock" >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	cat "$TMP/agent.log"
	return 1
}

teardown() {
	[ -z "${AGENT_PID:-}" ] || kill -KILL "$AGENT_PID" 2>/dev/null || true
	[ -n "${BATS_TEST_COMPLETED:-}" ] || printf 'last status %s, output:\n%s\n' "${status:-}" "${output:-}"
	rm -rf "$TMP"
}

@test "minmax: minimum, maximum and the values clamped to the thresholds" {
	values
	run "$VACCEL" --profile native minmax --low 0 --high 5 -o "$TMP/out.txt" "$TMP/in.txt"
	[ "$status" -eq 0 ]
	[ "$(field min "$output")" = "-7.5" ]
	[ "$(field max "$output")" = "10" ]
	[ "$(field clamped "$output")" = "2" ]
	[ "$(cat "$TMP/out.txt" | tr '\n' ' ')" = "3 0 5 2.25 " ]
}

@test "minmax --json, from standard input" {
	values
	run sh -c "'$VACCEL' --profile native --json minmax < '$TMP/in.txt'"
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" 'd["ndata"]')" = "4" ]
	[ "$(json_get "$output" 'd["min"]')" = "-7.5" ]
	[ "$(json_get "$output" 'd["clamped"]')" = "0" ]
}

@test "minmax: bad input names the file and line; bad thresholds are usage errors" {
	printf '1\n2\nabc\n' > "$TMP/bad.txt"
	run "$VACCEL" --profile native minmax "$TMP/bad.txt"
	[ "$status" -eq 3 ]
	[[ "$output" == *"bad.txt:3: 'abc' is not a finite number"* ]]
	printf '\n\n' > "$TMP/empty.txt"
	run "$VACCEL" --profile native minmax "$TMP/empty.txt"
	[ "$status" -eq 3 ]
	[[ "$output" == *"no numbers"* ]]
	run "$VACCEL" --profile native minmax --low 5 --high 1 "$TMP/bad.txt"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--low 5 is above --high 1"* ]]
	run "$VACCEL" --profile native minmax "$TMP/nonexistent.txt"
	[ "$status" -eq 3 ]
}

@test "minmax over rpc and over virtio equals native" {
	values
	start_agent
	"$VACCEL" --profile native minmax -l 0 -H 5 -o "$TMP/native.txt" "$TMP/in.txt" >/dev/null
	VACCEL_RPC_ADDRESS="unix://$TMP/a.sock" run "$VACCEL" --profile rpc minmax -l 0 -H 5 \
		-o "$TMP/rpc.txt" "$TMP/in.txt"
	[ "$status" -eq 0 ]
	[[ "$output" == *"plugin=rpc"* ]]
	[ "$(field min "$output")" = "-7.5" ]
	cmp "$TMP/native.txt" "$TMP/rpc.txt"
	VACCEL_VIRTIO_ADDRESS="virtio://$TMP/vq.sock" run "$VACCEL" --profile virtio minmax -l 0 \
		-H 5 -o "$TMP/virtio.txt" "$TMP/in.txt"
	[ "$status" -eq 0 ]
	[[ "$output" == *"plugin=virtio"* ]]
	[ "$(field max "$output")" = "10" ]
	cmp "$TMP/native.txt" "$TMP/virtio.txt"
}
