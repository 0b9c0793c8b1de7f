#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# vAccel's torch API (tests/torch/torch-client) natively, over rpc and over
# virtio against a `vaccel agent`, equal to libtorch called directly
# (tests/torch/torch-ref) on a TorchScript model the test makes; its
# failures; noop's echo. Without libtorch only the echo runs.
load helpers

CLIENT="$TOP_BUILDDIR/tests/torch/torch-client"
REF="$TOP_BUILDDIR/tests/torch/torch-ref"

# LeakSanitizer's tracer dies (SIGSEGV) on libtorch's thread pool when a
# process that ran libtorch exits (Debian's libtorch 1.13): in a sanitizer
# build these processes get no leak check; ASan and UBSan stay on.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

need_torch() {
	[ -x "$REF" ] || skip "no libtorch in this build (apt-get install libtorch-dev)"
}

profile() { # profile NAME PLUGIN: a profile of one plugin
	printf 'version: 1\nlog-level: error\nplugins:\n  - name: %s\n' "$2" >"$TMP/$1.yaml"
}

model() { # the model, its inputs, libtorch's outputs, and a file that is no model
	"$REF" make "$TMP"
	"$REF" run "$TMP"
	head -c 4096 /dev/urandom >"$TMP/bad.pt"
}

start_agent() { # an agent serving torch on a UNIX socket and a virtqueue
	"$VACCEL" --profile "$TMP/torch.yaml" agent --listen "unix://$TMP/a.sock" \
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

maxdiff() { # maxdiff A B: the largest |a - b| of two float32 files of one size
	python3 -c 'import struct,sys
a,b=(open(p,"rb").read() for p in sys.argv[1:3])
assert len(a)==len(b) and len(a)>0, (len(a),len(b))
n=len(a)//4
print(max(abs(x-y) for x,y in zip(struct.unpack("%df"%n,a),struct.unpack("%df"%n,b))))' "$1" "$2"
}

same() { # same TAG: TAG0/TAG1 equal libtorch's within 1e-5
	for k in 0 1; do
		d="$(maxdiff "$TMP/ref$k.bin" "$TMP/$1$k.bin")"
		echo "$1 output $k: max |diff| $d"
		python3 -c "import sys; sys.exit(0 if $d <= 1e-5 else 1)"
	done
}

@test "torch: a TorchScript model natively equals libtorch, from a file and from bytes" {
	need_torch
	model
	profile torch torch
	VACCEL_PROFILE="$TMP/torch.yaml" run "$CLIENT" run "$TMP" native 3
	[ "$status" -eq 0 ]
	[[ "$output" == *"output 0: type 7 dims 2 5, 40 bytes"* ]]
	[[ "$output" == *"output 1: type 7 dims 2 3, 24 bytes"* ]]
	run same native
	[ "$status" -eq 0 ]
	VACCEL_PROFILE="$TMP/torch.yaml" run "$CLIENT" run "$TMP" buf 1 buf
	[ "$status" -eq 0 ]
	run same buf
	[ "$status" -eq 0 ]
}

@test "torch: over rpc and over virtio equals libtorch" {
	need_torch
	model
	profile torch torch
	profile rpc rpc
	profile virtio virtio
	start_agent
	VACCEL_RPC_ADDRESS="unix://$TMP/a.sock" VACCEL_PROFILE="$TMP/rpc.yaml" \
		run "$CLIENT" run "$TMP" rpc 3
	[ "$status" -eq 0 ]
	run same rpc
	[ "$status" -eq 0 ]
	VACCEL_VIRTIO_ADDRESS="virtio://$TMP/vq.sock" VACCEL_PROFILE="$TMP/virtio.yaml" \
		run "$CLIENT" run "$TMP" virtio 3
	[ "$status" -eq 0 ]
	run same virtio
	[ "$status" -eq 0 ]
	# A model held only in memory travels as bytes.
	VACCEL_RPC_ADDRESS="unix://$TMP/a.sock" VACCEL_PROFILE="$TMP/rpc.yaml" \
		run "$CLIENT" run "$TMP" rpcbuf 1 buf
	[ "$status" -eq 0 ]
	run same rpcbuf
	[ "$status" -eq 0 ]
}

@test "torch: bad models, shapes and counts are VACCEL_E* with the reason" {
	need_torch
	model
	profile torch torch
	VACCEL_PROFILE="$TMP/torch.yaml" run "$CLIENT" errors "$TMP"
	[ "$status" -eq 0 ]
	[[ "$output" != *FAIL* ]]
	[[ "$output" == *"is not a TorchScript model libtorch can load"* ]]
	[[ "$output" == *"its dims hold 48 bytes of data, the tensor has 40"* ]]
	[[ "$output" == *"the model gives 2 outputs, 3 were asked"* ]]
	[[ "$output" == *"forward() is missing value for argument 'y'"* ]]
	[[ "$output" == *"is a data resource, not a model"* ]]
}

@test "torch: the same failures through an agent" {
	need_torch
	model
	profile torch torch
	profile rpc rpc
	start_agent
	VACCEL_RPC_ADDRESS="unix://$TMP/a.sock" VACCEL_PROFILE="$TMP/rpc.yaml" \
		run "$CLIENT" errors "$TMP"
	[ "$status" -eq 0 ]
	[[ "$output" != *FAIL* ]]
	[[ "$output" == *"is not a TorchScript model libtorch can load"* ]]
}

@test "torch: torch_sgemm and the tensor helpers, natively and over rpc" {
	need_torch
	profile torch torch
	profile rpc rpc
	VACCEL_PROFILE="$TMP/torch.yaml" run "$CLIENT" sgemm
	[ "$status" -eq 0 ]
	[[ "$output" == *"ok sgemm result"* ]]
	start_agent
	VACCEL_RPC_ADDRESS="unix://$TMP/a.sock" VACCEL_PROFILE="$TMP/rpc.yaml" run "$CLIENT" sgemm
	[ "$status" -eq 0 ]
	[[ "$output" == *"ok sgemm result"* ]]
}

@test "torch: the device option: cpu, or cuda refused with the reason" {
	need_torch
	printf 'version: 1\nplugins:\n  - name: torch\n    options: {device: cuda}\n' >"$TMP/cuda.yaml"
	run "$VACCEL" --profile "$TMP/cuda.yaml" plugins
	[ "$status" -ne 0 ]
	[[ "$output" == *"no CUDA"* ]]
	printf 'version: 1\nplugins:\n  - name: torch\n    options: {device: cpu, threads: 1}\n' >"$TMP/cpu.yaml"
	run "$VACCEL" --profile "$TMP/cpu.yaml" plugins
	[ "$status" -eq 0 ]
	[[ "$output" == *"threads: 1, libtorch loads on first use"* ]]
}

@test "torch: noop echoes the input tensors, as vAccel's noop" {
	: >"$TMP/model.pt"
	head -c 1536 /dev/zero >"$TMP/x.bin"
	head -c 40 /dev/urandom >"$TMP/y.bin"
	profile noop noop
	VACCEL_PROFILE="$TMP/noop.yaml" run "$CLIENT" echo "$TMP"
	[ "$status" -eq 0 ]
	[[ "$output" != *FAIL* ]]
}
