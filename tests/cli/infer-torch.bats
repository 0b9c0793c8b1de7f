#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# `vaccel infer` on a TorchScript model: the torch plugin takes it, by the
# model's format when the profile serves both tensor_infer and torch, by
# the profile otherwise; natively, over rpc and over virtio, equal to
# libtorch called directly (tests/torch/torch-ref's one-input model).
load helpers

REF="$TOP_BUILDDIR/tests/torch/torch-ref"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" # as torch.bats says

need_torch() {
	[ -x "$REF" ] || skip "no libtorch in this build (apt-get install libtorch-dev)"
}

model() { # single.pt, its input as xs.npy, libtorch's output as refs.bin
	"$REF" make1 "$TMP"
	"$REF" run1 "$TMP"
	python3 -c 'import sys
d=open(sys.argv[1],"rb").read()
h=b"{'"'"'descr'"'"': '"'"'<f4'"'"', '"'"'fortran_order'"'"': False, '"'"'shape'"'"': (2, 3, 8, 8), }"
h=h+b" "*(127-10-len(h))+b"\n"
open(sys.argv[2],"wb").write(b"\x93NUMPY\x01\x00"+len(h).to_bytes(2,"little")+h+d)' \
		"$TMP/xs.bin" "$TMP/xs.npy"
}

same() { # same NPY: the .npy's data equals refs.bin within 1e-5
	python3 -c 'import struct,sys
a=open(sys.argv[1],"rb").read()
b=open(sys.argv[2],"rb").read()
b=b[10+int.from_bytes(b[8:10],"little"):]
assert len(a)==len(b)==40, (len(a),len(b))
d=max(abs(x-y) for x,y in zip(struct.unpack("10f",a),struct.unpack("10f",b)))
print("max |diff|", d)
sys.exit(0 if d<=1e-5 else 1)' "$TMP/refs.bin" "$1"
}

profile() { # profile NAME PLUGIN...: a profile of these plugins, in order
	local name="$1"
	shift
	printf 'version: 1\nlog-level: error\nplugins:\n' >"$TMP/$name.yaml"
	for p in "$@"; do
		printf '  - name: %s\n    optional: true\n' "$p" >>"$TMP/$name.yaml"
	done
}

@test "infer-torch: a TorchScript model goes to torch by its format, equal to libtorch" {
	need_torch
	model
	# opencv first serves tensor_infer; the zip archive still goes to torch.
	profile both opencv torch
	run "$VACCEL" --profile "$TMP/both.yaml" infer --model "$TMP/single.pt" \
		--input "$TMP/xs.npy" --output "$TMP/native.npy" --iterations 3
	[ "$status" -eq 0 ]
	[[ "$output" == *"plugin=torch"* ]]
	[[ "$output" == *"output: (2, 5)"* ]]
	run same "$TMP/native.npy"
	[ "$status" -eq 0 ]
	run "$VACCEL" --json --profile "$TMP/both.yaml" infer --model "$TMP/single.pt" \
		--input "$TMP/xs.npy" --output "$TMP/j.npy"
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" 'd["engine"], d["plugin"]')" = "('torch', 'torch')" ]
}

@test "infer-torch: a profile of torch alone sends any model to torch, which says why not" {
	need_torch
	model
	profile torch torch
	printf 'not a model' >"$TMP/m.onnx"
	run "$VACCEL" --profile "$TMP/torch.yaml" infer --model "$TMP/m.onnx" \
		--input "$TMP/xs.npy" --output "$TMP/o.npy"
	[ "$status" -eq 3 ]
	[[ "$output" == *"TorchScript"* ]]
}

@test "infer-torch: vaccel plugins says which plugin takes which model format" {
	profile both opencv torch
	run "$VACCEL" --profile "$TMP/both.yaml" plugins
	[ "$status" -eq 0 ]
	[[ "$output" == *"models:"* ]]
	[[ "$output" == *"TorchScript: .pt/.pth"* ]]
	run "$VACCEL" --json --profile "$TMP/both.yaml" plugins
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" '[m["op"] for m in d["models"]][0]')" = torch_model_run ]
}

@test "infer-torch: over rpc and over virtio equals libtorch" {
	need_torch
	model
	profile torch torch
	profile rpc rpc
	profile virtio virtio
	"$VACCEL" --profile "$TMP/torch.yaml" agent --listen "unix://$TMP/a.sock" \
		--listen "virtio://$TMP/vq.sock" >"$TMP/agent.log" 2>&1 &
	AGENT_PID=$!
	for _ in $(seq 1 100); do
		"$VACCEL" agent --status "unix://$TMP/a.sock" >/dev/null 2>&1 && break
		sleep 0.05
	done
	VACCEL_RPC_ADDRESS="unix://$TMP/a.sock" run "$VACCEL" --profile "$TMP/rpc.yaml" infer \
		--model "$TMP/single.pt" --input "$TMP/xs.npy" --output "$TMP/rpc.npy" --iterations 3
	[ "$status" -eq 0 ]
	[[ "$output" == *"plugin=rpc"* ]]
	run same "$TMP/rpc.npy"
	[ "$status" -eq 0 ]
	VACCEL_VIRTIO_ADDRESS="virtio://$TMP/vq.sock" run "$VACCEL" --profile "$TMP/virtio.yaml" \
		infer --model "$TMP/single.pt" --input "$TMP/xs.npy" --output "$TMP/virtio.npy"
	[ "$status" -eq 0 ]
	run same "$TMP/virtio.npy"
	[ "$status" -eq 0 ]
	kill -TERM "$AGENT_PID"
	wait "$AGENT_PID" || true
	AGENT_PID=
}

teardown() {
	[ -z "${AGENT_PID:-}" ] || kill -KILL "$AGENT_PID" 2>/dev/null || true
	[ -n "${BATS_TEST_COMPLETED:-}" ] || printf 'last status %s, output:\n%s\n' "${status:-}" "${output:-}"
	rm -rf "$TMP"
}
