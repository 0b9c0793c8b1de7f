#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# vaccel infer through the opencv plugin gives, bit for bit, the tensor
# OpenCV dnn gives when called directly (tests/infer/infer-ref) on the same
# input, with a real model of the shared set (VACCEL_MODELS).
load helpers

# Every test here runs on the shared models.
setup() {
	need_models
	: "${VACCEL:?run through make check}"
	TMP="$(mktemp -d "${BATS_TMPDIR:-/tmp}/vaccel-cli-XXXXXX")"
}

REF="$TOP_BUILDDIR/tests/infer/infer-ref"
MODEL="$VACCEL_MODELS/classification/mobilenet_v2/mobilenet_v2_1.0_224_dequant.onnx"
infer() { run "$VACCEL" --profile "$TOP_SRCDIR/configs/vision.yaml" infer "$@"; }

@test "infer on mobilenet_v2 equals OpenCV's own output, bit for bit" {
	"$REF" input "$TMP/x.npy" 1 3 224 224
	"$REF" run "$MODEL" "$TMP/x.npy" "$TMP/ref.npy"
	infer -m "$MODEL" -x "$TMP/x.npy" -o "$TMP/y.npy" -i 2
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "infer $MODEL plugin=opencv" ]]
	[[ "${lines[2]}" == "output: (1, 1001) $TMP/y.npy" ]]
	cmp "$TMP/y.npy" "$TMP/ref.npy"
	# Not a constant: a softmax over 1001 classes sums to 1, no class has it all.
	run python3 -c 'import struct,sys; b=open(sys.argv[1],"rb").read(); v=struct.unpack("<1001f", b[-4004:]); print(abs(sum(v)-1) < 1e-4 and max(v) < 0.9)' "$TMP/y.npy"
	[ "$output" = True ]
}

@test "infer --output-name returns that layer, as OpenCV does; a bad name is 3" {
	"$REF" input "$TMP/x.npy" 1 3 224 224
	"$REF" run "$MODEL" "$TMP/x.npy" "$TMP/ref.npy" 'onnx_node!op64_reshape'
	infer -m "$MODEL" -x "$TMP/x.npy" -o "$TMP/y.npy" --output-name 'onnx_node!op64_reshape'
	[ "$status" -eq 0 ]
	cmp "$TMP/y.npy" "$TMP/ref.npy"
	"$REF" run "$MODEL" "$TMP/x.npy" "$TMP/probs.npy"
	! cmp -s "$TMP/y.npy" "$TMP/probs.npy"
	infer -m "$MODEL" -x "$TMP/x.npy" -o "$TMP/y.npy" --output-name nosuch
	[ "$status" -eq 3 ]
	[[ "$output" == *"output nosuch: Requested layer \"nosuch\" not found"* ]]
}

@test "a missing model, an unloadable one, a wrong input shape: 3, naming the file" {
	"$REF" input "$TMP/x.npy" 1 3 224 224
	infer -m "$TMP/none.onnx" -x "$TMP/x.npy" -o "$TMP/y.npy"
	[ "$status" -eq 3 ]
	[[ "$output" == *"tensor_infer-model $TMP/none.onnx: No such file"* ]]
	echo garbage > "$TMP/bad.onnx"
	infer -m "$TMP/bad.onnx" -x "$TMP/x.npy" -o "$TMP/y.npy"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$TMP/bad.onnx: OpenCV cannot load it"* ]]
	"$REF" input "$TMP/small.npy" 1 3 8 8
	infer -m "$MODEL" -x "$TMP/small.npy" -o "$TMP/y.npy"
	[ "$status" -eq 3 ]
	[[ "$output" == *"tensor_infer with $MODEL"* ]]
	[ ! -e "$TMP/y.npy" ]
}
