#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The real deployment: the agent built for this host ($HOST_VACCEL, x86_64)
# serves, and the cross-built client ($VACCEL: an Arm binary that the build
# tree's wrapper runs under qemu-user) offloads to it over UNIX, TCP and
# virtio. Every result equals the host's own, bit for bit. .ci/cross runs
# it (make check TESTS=tests/cross/mixed-arch.bats HOST_VACCEL=...).
load ../cli/helpers

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

setup_file() {
	[ -n "${HOST_VACCEL:-}" ] || return 0
	DIR="$(mktemp -d "${BATS_TMPDIR:-/tmp}/vaccel-mixed-XXXXXX")"
	export DIR UNIX_ADDR="unix://$DIR/agent.sock" VIRTIO_ADDR="virtio://$DIR/virtio.sock"
	TCP_ADDR="tcp://127.0.0.1:$(free_port)"
	export TCP_ADDR
	# The host's agent with its default profile (configs/agent.yaml).
	"$HOST_VACCEL" agent --listen "$UNIX_ADDR" --listen "$TCP_ADDR" --listen "$VIRTIO_ADDR" \
		>"$DIR/agent.log" 2>&1 &
	echo $! >"$DIR/agent.pid"
	for _ in $(seq 1 100); do
		"$HOST_VACCEL" agent --status "$UNIX_ADDR" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	cat "$DIR/agent.log" >&3
	return 1
}

teardown_file() {
	[ -n "${DIR:-}" ] || return 0
	kill -TERM "$(cat "$DIR/agent.pid")" 2>/dev/null || true
	rm -rf "$DIR"
}

setup() {
	[ -n "${HOST_VACCEL:-}" ] || skip "no host agent: .ci/cross runs this with HOST_VACCEL"
	TMP="$(mktemp -d "${BATS_TMPDIR:-/tmp}/vaccel-cli-XXXXXX")"
	printf 'plugins:\n  - name: rpc\n    options: { address: "%s", timeout-ms: 60000 }\n' "$UNIX_ADDR" >"$TMP/unix.yaml"
	printf 'plugins:\n  - name: rpc\n    options: { address: "%s", timeout-ms: 60000 }\n' "$TCP_ADDR" >"$TMP/tcp.yaml"
	printf 'plugins:\n  - name: virtio\n    options: { address: "%s" }\n' "$VIRTIO_ADDR" >"$TMP/virtio.yaml"
}

teardown() {
	[ -n "${BATS_TEST_COMPLETED:-}" ] || { printf 'last status %s, output:\n%s\nagent log:\n' "${status:-}" "${output:-}"; cat "$DIR/agent.log" 2>/dev/null; }
	rm -rf "${TMP:-/nonexistent}"
}

@test "the client is an Arm binary and the agent a host one" {
	run file -L "$TOP_BUILDDIR/cmd/.libs/vaccel"
	[[ "$output" == *"ELF"*"ARM"* ]]
	host="$(dirname "$HOST_VACCEL")/.libs/vaccel"
	[ -f "$host" ] || host="$HOST_VACCEL"
	run file -L "$host"
	[[ "$output" == *"ELF"* ]] && [[ "$output" != *"ARM"* ]]
}

@test "noop through the host agent over UNIX, TCP and virtio" {
	for t in unix tcp virtio; do
		run "$VACCEL" --json --profile "$TMP/$t.yaml" noop -i 50
		[ "$status" -eq 0 ]
		want=rpc; [ "$t" != virtio ] || want=virtio
		[ "$(json_get "$output" 'd["plugin"], d["iterations"]')" = "('$want', 50)" ]
	done
}

@test "sgemm 64x64x64 through the host agent equals the host's result, bit for bit" {
	"$HOST_VACCEL" --profile native sgemm -m 64 -n 64 -k 64 --seed 7 -o "$TMP/host.out" >"$TMP/host.txt"
	for t in unix tcp virtio; do
		run "$VACCEL" --profile "$TMP/$t.yaml" sgemm -m 64 -n 64 -k 64 --seed 7 --verify -o "$TMP/$t.out"
		[ "$status" -eq 0 ]
		[ "$(field checksum "$output")" = "$(field checksum "$(cat "$TMP/host.txt")")" ]
		cmp "$TMP/host.out" "$TMP/$t.out"
	done
	# Sizes that are not multiples of 8 (padding), alpha and beta, C read back.
	"$HOST_VACCEL" --profile native sgemm -m 13 -n 7 -k 5 --alpha 0.5 --beta 2 --seed 3 -o "$TMP/host2.out" >/dev/null
	for t in unix virtio; do
		run "$VACCEL" --profile "$TMP/$t.yaml" sgemm -m 13 -n 7 -k 5 --alpha 0.5 --beta 2 --seed 3 -o "$TMP/$t.2.out"
		[ "$status" -eq 0 ]
		cmp "$TMP/host2.out" "$TMP/$t.2.out"
	done
}

@test "minmax through the host agent equals the host's result" {
	seq 1 0.5 40 >"$TMP/in"
	"$HOST_VACCEL" --profile native minmax -l 3 -H 17 -o "$TMP/host.out" "$TMP/in" >"$TMP/host.txt"
	for t in unix tcp virtio; do
		run "$VACCEL" --profile "$TMP/$t.yaml" minmax -l 3 -H 17 -o "$TMP/$t.out" "$TMP/in"
		[ "$status" -eq 0 ]
		# The first line names the plugin: rpc or virtio here, openblas there.
		[ "$(printf '%s\n' "$output" | sed 1d)" = "$(sed 1d "$TMP/host.txt")" ]
		cmp "$TMP/host.out" "$TMP/$t.out"
	done
}

@test "classify cat.jpg through the host agent gives the host's classes" {
	img="$VACCEL_MODELS/images/cat.jpg"
	[ -f "$img" ] || skip "no shared models at $VACCEL_MODELS"
	"$HOST_VACCEL" plugins 2>/dev/null | grep -q opencv || skip "the host build has no opencv plugin"
	"$HOST_VACCEL" classify "$img" | grep -v '^latency' >"$TMP/host.txt"
	grep -q 'Egyptian cat' "$TMP/host.txt"
	for t in unix tcp virtio; do
		run "$VACCEL" --profile "$TMP/$t.yaml" classify "$img"
		[ "$status" -eq 0 ]
		[ "$(printf '%s\n' "$output" | grep -v '^latency')" = "$(cat "$TMP/host.txt")" ]
	done
}

@test "infer through the host agent: the client's model file is uploaded; the host's output" {
	model="$VACCEL_MODELS/classification/mobilenet_v2/mobilenet_v2_1.0_224_dequant.onnx"
	[ -f "$model" ] || skip "no shared models at $VACCEL_MODELS"
	"$HOST_VACCEL" plugins 2>/dev/null | grep -q opencv || skip "the host build has no opencv plugin"
	# A 1x3x224x224 float32 .npy, written without numpy.
	python3 - "$TMP/x.npy" <<-'EOF'
	import struct, sys
	n = 3 * 224 * 224
	h = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3, 224, 224), }"
	h += " " * (63 - (10 + len(h)) % 64) + "\n"
	data = struct.pack("<%df" % n, *[(i % 251) / 251.0 for i in range(n)])
	open(sys.argv[1], "wb").write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(h)) + h.encode() + data)
	EOF
	"$HOST_VACCEL" infer -m "$model" -x "$TMP/x.npy" -o "$TMP/host.npy" >/dev/null
	for t in unix virtio; do
		run "$VACCEL" --profile "$TMP/$t.yaml" infer -m "$model" -x "$TMP/x.npy" -o "$TMP/$t.npy"
		[ "$status" -eq 0 ]
		cmp "$TMP/host.npy" "$TMP/$t.npy"
	done
}

@test "the agent's status, asked by the Arm client" {
	run "$VACCEL" --json agent --status "$UNIX_ADDR"
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" 'd["sessions"]')" = 0 ]
	run "$VACCEL" --json agent --status "$TCP_ADDR"
	[ "$status" -eq 0 ]
}
