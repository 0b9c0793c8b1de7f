#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The virtio transport end to end: a virtqueue in memory shared with the
# agent, host-local (memfd over a UNIX socket) and as an ivshmem region
# file; results compared with native bit for bit; hostile drivers.
load helpers

lib() { printf '%s/libexectest.so' "$TEST_PLUGINS"; }

setup() {
	: "${VACCEL:?run through make check}"
	TMP="$(mktemp -d "${BATS_TMPDIR:-/tmp}/vaccel-vq-XXXXXX")"
	VQ="virtio://$TMP/vq.sock"
	CTL="unix://$TMP/ctl.sock"   # an rpc listener beside, for --status
	AGENT_PID=
	unset VACCEL_VIRTIO_ADDRESS
	printf 'plugins:\n  - name: openblas\n  - name: exec\n    options:\n      allow: [%s, "sha256:%s"]\n' \
		"$(lib)" "$(sha256sum "$(lib)" | cut -d' ' -f1)" > "$TMP/agent.yaml"
}

teardown() {
	[ -n "${BATS_TEST_COMPLETED:-}" ] || { printf 'last status %s, output:\n%s\nagent log:\n' "${status:-}" "${output:-}"; cat "$TMP/agent.log" 2>/dev/null; }
	[ -z "${AGENT_PID:-}" ] || kill -KILL "$AGENT_PID" 2>/dev/null || true
	rm -rf "$TMP"
}

start_agent() {
	"$VACCEL" --profile "$TMP/agent.yaml" agent --listen "$CTL" "$@" >>"$TMP/agent.log" 2>&1 &
	AGENT_PID=$!
	for _ in $(seq 1 100); do
		"$VACCEL" agent --status "$CTL" >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	return 1
}

stop_agent() {
	kill -TERM "$AGENT_PID"
	wait "$AGENT_PID"
	AGENT_PID=
}

client_profile() {
	printf 'plugins:\n  - name: virtio\n    options:\n      address: "%s"\n      timeout-ms: 10000\n' "$1" > "$TMP/virtio.yaml"
}

wait_sessions() {
	for _ in $(seq 1 100); do
		run "$VACCEL" --json agent --status "$CTL"
		[ "$(json_get "$output" 'd["sessions"]')" = "$1" ] && return 0
		sleep 0.05
	done
	return 1
}

same_as_native() {
	"$VACCEL" --profile native sgemm "$@" -o "$TMP/native.out" >/dev/null
	run "$VACCEL" --profile "$TMP/virtio.yaml" sgemm "$@" -o "$TMP/virtio.out"
	[ "$status" -eq 0 ]
	[[ "$output" == *"plugin=virtio"* ]]
	cmp "$TMP/native.out" "$TMP/virtio.out"
}

@test "sgemm over host-local virtio equals native, bit for bit" {
	start_agent --listen "$VQ"
	client_profile "$VQ"
	same_as_native -m 67 -n 45 -k 33 --seed 5
	same_as_native -m 256 -n 128 -k 64 --alpha 0.5 --beta 2 --seed 9
	printf '1 2\n3 4\n' > "$TMP/a"
	same_as_native --a "$TMP/a" --b "$TMP/a" --c "$TMP/a" --beta -1
	stop_agent
	[ ! -e "$TMP/vq.sock" ]
}

@test "noop, exec, plugins and the C API over virtio" {
	start_agent --listen "$VQ"
	client_profile "$VQ"
	run "$VACCEL" --json --profile "$TMP/virtio.yaml" noop -i 500
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" 'd["plugin"]')" = virtio ]
	run "$VACCEL" --profile "$TMP/virtio.yaml" exec "$(lib)" add_int32 int32:40 int32:2 out:int32
	[ "$output" = "write[0] int32: 42" ]
	run "$VACCEL" --profile "$TMP/virtio.yaml" exec "$(lib)" reverse string:region out:string:16
	[ "$output" = "write[0] string: noiger" ]
	VACCEL_PROFILE="$TMP/virtio.yaml" run "$TOP_BUILDDIR/tests/rpc/rpc-api" "$(lib)"
	[ "$status" -eq 0 ]
	[[ "$output" != *"not ok"* ]]
	wait_sessions 0
	[ "$(json_get "$output" 'd["resources"]')" = 0 ]
	stop_agent
}

@test "a plugin's name is only its default scheme: rpc at a virtio:// address, virtio at a unix:// one" {
	start_agent --listen "$VQ"
	printf 'plugins:\n  - name: rpc\n    options:\n      address: "%s"\n      spin-us: 10\n' "$VQ" > "$TMP/rpc-vq.yaml"
	run "$VACCEL" --json --profile "$TMP/rpc-vq.yaml" noop -i 50
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" 'd["plugin"]')" = rpc ]
	run "$VACCEL" --profile "$TMP/rpc-vq.yaml" exec "$(lib)" add_int32 int32:40 int32:2 out:int32
	[ "$output" = "write[0] int32: 42" ]
	client_profile "$CTL"
	run "$VACCEL" --json --profile "$TMP/virtio.yaml" noop -i 50
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" 'd["plugin"]')" = virtio ]
	run "$VACCEL" --profile "$TMP/virtio.yaml" exec "$(lib)" reverse string:region out:string:16
	[ "$output" = "write[0] string: noiger" ]
	# Buffers from vaccel_shm_alloc are plain memory there: the socket copies anyway.
	VACCEL_PROFILE="$TMP/virtio.yaml" run "$TOP_BUILDDIR/tests/virtio/vq-zerocopy"
	[ "$status" -eq 0 ]
	client_profile "unix://"
	run "$VACCEL" --profile "$TMP/virtio.yaml" noop -i 1
	[ "$status" -eq 2 ]
	[[ "$output" == *"virtio://SOCKET or ivshmem://FILE"* ]]
	stop_agent
}

@test "zero copy: buffers from vaccel_shm_alloc, over virtio and natively" {
	start_agent --listen "$VQ"
	client_profile "$VQ"
	VACCEL_PROFILE="$TMP/virtio.yaml" run "$TOP_BUILDDIR/tests/virtio/vq-zerocopy"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "shared buffers: ok" ]
	VACCEL_PROFILE=native run "$TOP_BUILDDIR/tests/virtio/vq-zerocopy"
	[ "$status" -eq 0 ]
	stop_agent
}

@test "16 clients x 200 mixed ops over virtio, every reply checked" {
	start_agent --listen "$VQ" --workers 4
	client_profile "$VQ"
	VACCEL_PROFILE="$TMP/virtio.yaml" run "$TOP_BUILDDIR/tests/rpc/rpc-stress" 16 200 "$(lib)"
	[ "$status" -eq 0 ]
	[[ "$output" == *"16 processes x 200 ops: 0 failed"* ]]
	wait_sessions 0
	stop_agent
}

@test "an ivshmem region file, polled: equals native; a new driver starts over" {
	start_agent --listen "ivshmem://$TMP/region"
	client_profile "ivshmem://$TMP/region"
	same_as_native -m 90 -n 70 -k 50 --beta 1 --seed 2
	same_as_native -m 16 -n 16 -k 16 --seed 3
	run "$VACCEL" --profile "$TMP/virtio.yaml" noop -i 200
	[ "$status" -eq 0 ]
	wait_sessions 0
	stop_agent
	[ -f "$TMP/region" ]
}

@test "hostile drivers break only their own queue; the agent serves on" {
	start_agent --listen "$VQ"
	client_profile "$VQ"
	for mode in loop range outside; do
		run "$TOP_BUILDDIR/tests/virtio/vq-hostile" "$TMP/vq.sock" "$mode"
		[ "$status" -eq 0 ]
		[[ "$output" == "broken: "* ]]
		run "$VACCEL" --profile "$TMP/virtio.yaml" noop -i 10
		[ "$status" -eq 0 ]
	done
	# The region cannot be resized under the agent (it is sealed).
	run "$TOP_BUILDDIR/tests/virtio/vq-hostile" "$TMP/vq.sock" shrink
	[ "$status" -eq 0 ]
	[ "$output" = sealed ]
	run "$VACCEL" --profile "$TMP/virtio.yaml" noop -i 10
	[ "$status" -eq 0 ]
	# A driver that stalls does not hold the agent for others.
	"$TOP_BUILDDIR/tests/virtio/vq-hostile" "$TMP/vq.sock" stall &
	stall=$!
	run "$VACCEL" --profile "$TMP/virtio.yaml" noop -i 10
	[ "$status" -eq 0 ]
	wait "$stall"
	stop_agent
	grep -q "queue broken: descriptor chain loops" "$TMP/agent.log"
	grep -q "queue broken: descriptor index out of range" "$TMP/agent.log"
	grep -q "queue broken: buffer outside the region" "$TMP/agent.log"
}

@test "the handshake: an agent that lacks an op passes it to the next instance" {
	printf 'plugins:\n  - name: noop\n    ops: [noop]\n' > "$TMP/agent.yaml"
	start_agent --listen "$VQ"
	printf 'plugins:\n  - name: virtio\n    options:\n      address: "%s"\n  - name: openblas\n' "$VQ" \
		> "$TMP/two.yaml"
	run "$VACCEL" --json --profile "$TMP/two.yaml" noop -i 10
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" 'd["plugin"]')" = virtio ]
	# The agent's WELCOME lists no sgemm: the session sends it to openblas.
	"$VACCEL" --profile native sgemm -m 9 -n 7 -k 5 --seed 2 -o "$TMP/native.out" >/dev/null
	run "$VACCEL" --profile "$TMP/two.yaml" sgemm -m 9 -n 7 -k 5 --seed 2 -o "$TMP/two.out"
	[ "$status" -eq 0 ]
	[[ "$output" == *"plugin=openblas"* ]]
	cmp "$TMP/native.out" "$TMP/two.out"
	stop_agent
}

@test "the handshake: a driver older than it is refused with both protocols named" {
	start_agent --listen "$VQ"
	run "$TOP_BUILDDIR/tests/virtio/vq-hostile" "$TMP/vq.sock" nohello
	[ "$status" -eq 0 ]
	[[ "$output" == *"virtqueue protocol 2"*"protocol 1"* ]]
	client_profile "$VQ"
	run "$VACCEL" --profile "$TMP/virtio.yaml" noop -i 10
	[ "$status" -eq 0 ]
	stop_agent
}

@test "the handshake: an agent older than it is refused with both protocols named" {
	"$TOP_BUILDDIR/tests/virtio/vq-old-agent" "$TMP/old.sock" &
	old=$!
	for _ in $(seq 1 100); do [ -S "$TMP/old.sock" ] && break; sleep 0.05; done
	client_profile "virtio://$TMP/old.sock"
	run "$VACCEL" --profile "$TMP/virtio.yaml" noop -i 1
	wait "$old" || true
	[ "$status" -ne 0 ]
	[[ "$output" == *"agent speaks virtqueue protocol 1, this client 2"* ]]
}

@test "a driver flooding one request cannot grow the agent without bound" {
	start_agent --listen "$VQ"
	client_profile "$VQ"
	local pid
	pid="$(pgrep -P "$AGENT_PID" -x lt-vaccel || pgrep -P "$AGENT_PID" vaccel || echo "$AGENT_PID")"
	before=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status")
	run "$TOP_BUILDDIR/tests/virtio/vq-hostile" "$TMP/vq.sock" flood
	[ "$status" -eq 0 ]
	[[ "$output" == "flooded: "* ]]
	run "$VACCEL" --profile "$TMP/virtio.yaml" noop -i 10
	[ "$status" -eq 0 ]
	after=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status")
	# Peak resident memory: at most 64 MiB more than before the flood.
	[ $((after - before)) -le 65536 ] || { echo "VmHWM grew from $before to $after kB"; false; }
	stop_agent
}

@test "a client killed mid-request: its sessions are released" {
	start_agent --listen "$VQ"
	client_profile "$VQ"
	"$VACCEL" --profile "$TMP/virtio.yaml" sgemm -m 400 -n 400 -k 400 -i 100000 >/dev/null 2>&1 &
	client=$!
	wait_sessions 1
	kill -KILL "$client"
	wait "$client" || true
	wait_sessions 0
	run "$VACCEL" --profile "$TMP/virtio.yaml" noop -i 10
	[ "$status" -eq 0 ]
	stop_agent
}

@test "the agent killed mid-request: a clear error; a restarted agent is picked up" {
	start_agent --listen "$VQ"
	client_profile "$VQ"
	"$VACCEL" --profile "$TMP/virtio.yaml" sgemm -m 400 -n 400 -k 400 -i 100000 >"$TMP/client.out" 2>&1 &
	client=$!
	wait_sessions 1
	kill -KILL "$AGENT_PID"
	wait "$AGENT_PID" || true
	AGENT_PID=
	rc=0
	wait "$client" || rc=$?
	[ "$rc" -eq 1 ]
	grep -q "virtio:" "$TMP/client.out"
	rm -f "$TMP/vq.sock" "$TMP/ctl.sock"
	start_agent --listen "$VQ"
	run "$VACCEL" --profile "$TMP/virtio.yaml" noop -i 10
	[ "$status" -eq 0 ]
	stop_agent
}

@test "agent --status at a virtio address, text and JSON" {
	start_agent --listen "$VQ"
	run "$VACCEL" agent --status "$VQ"
	[ "$status" -eq 0 ]
	[[ "$output" == *"agent:       $VQ"* ]]
	[[ "$output" == *"version:     $PACKAGE_VERSION"* ]]
	run "$VACCEL" --json agent --status "$VQ"
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" 'd["address"], d["version"], d["connections"] >= 1')" = "('$VQ', '$PACKAGE_VERSION', True)" ]
	run "$VACCEL" agent --status "ivshmem://$TMP/region"
	[ "$status" -eq 1 ]
	[[ "$output" == *"only driver"* ]]
	stop_agent
	run "$VACCEL" agent --status "$VQ"
	[ "$status" -eq 1 ]
	[[ "$output" == *"$TMP/vq.sock"* ]]
}

@test "no agent: the error names the address" {
	client_profile "$VQ"
	run "$VACCEL" --profile "$TMP/virtio.yaml" noop -i 1
	[ "$status" -eq 1 ]
	[[ "$output" == *"$TMP/vq.sock"* ]]
	client_profile "bogus://x"
	run "$VACCEL" --profile "$TMP/virtio.yaml" noop -i 1
	[ "$status" -eq 2 ]
	[[ "$output" == *"virtio://SOCKET or ivshmem://FILE"* ]]
}

@test "a client that leaves gives back its region and descriptors at once, not at the next accept" {
	start_agent --listen "$VQ"
	client_profile "$VQ"
	# $VACCEL may be a libtool wrapper: the agent is the real program it runs.
	local pid
	pid="$(pgrep -P "$AGENT_PID" -x lt-vaccel || pgrep -P "$AGENT_PID" vaccel || echo "$AGENT_PID")"
	regions() { grep -c 'vaccel-virtqueue' "/proc/$pid/maps" || true; }
	[ "$(regions)" -eq 0 ]
	fds="$(ls "/proc/$pid/fd" | wc -l)"
	run "$VACCEL" --profile "$TMP/virtio.yaml" noop -i 10
	[ "$status" -eq 0 ]
	for _ in $(seq 1 100); do
		[ "$(regions)" -eq 0 ] && [ "$(ls "/proc/$pid/fd" | wc -l)" -le "$fds" ] && break
		sleep 0.05
	done
	[ "$(regions)" -eq 0 ]
	[ "$(ls "/proc/$pid/fd" | wc -l)" -le "$fds" ]
	stop_agent
}
