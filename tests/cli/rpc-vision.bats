#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The vision ops and infer over the transports: an agent with the vision
# profile, clients with the rpc and virtio profiles, results equal to the
# native ones.
load helpers

IMG="$VACCEL_MODELS/images"
MODEL="$VACCEL_MODELS/classification/mobilenet_v2/mobilenet_v2_1.0_224_dequant.onnx"
VISION="$TOP_SRCDIR/configs/vision.yaml"

setup() {
	need_models
	: "${VACCEL:?run through make check}"
	TMP="$(mktemp -d "${BATS_TMPDIR:-/tmp}/vaccel-rpcv-XXXXXX")"
	ADDR="unix://$TMP/agent.sock"
	unset VACCEL_RPC_ADDRESS
	printf 'plugins:\n  - name: rpc\n    options:\n      address: "%s"\n' "$ADDR" > "$TMP/rpc.yaml"
	printf 'plugins:\n  - name: virtio\n    options:\n      address: "virtio://%s"\n' "$TMP/vq.sock" > "$TMP/virtio.yaml"
	"$VACCEL" --profile "$VISION" agent --listen "$ADDR" --listen "virtio://$TMP/vq.sock" >"$TMP/agent.log" 2>&1 &
	AGENT_PID=$!
	for _ in $(seq 1 200); do
		"$VACCEL" agent --status "$ADDR" >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	cat "$TMP/agent.log"
	return 1
}

teardown() {
	[ -n "${BATS_TEST_COMPLETED:-}" ] || { printf 'output:\n%s\nagent log:\n' "${output:-}"; cat "$TMP/agent.log"; }
	kill -TERM "$AGENT_PID" 2>/dev/null || true
	wait "$AGENT_PID" || true
	rm -rf "$TMP"
}

# The op's results (without timings) through the profile given.
results() { # results PROFILE OP IMAGE KEY
	"$VACCEL" --json --profile "$1" "$2" "$3" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["images"][0][sys.argv[1]])' "$4"
}

@test "classify, detect, segment, pose, depth over rpc and virtio equal native" {
	for case in "classify cat.jpg classes" "detect person.jpg boxes" "segment cat.jpg shares" \
		"pose person.jpg keypoints" "depth dog.jpg depth"; do
		set -- $case
		native="$(results "$VISION" "$1" "$IMG/$2" "$3")"
		remote="$(results "$TMP/rpc.yaml" "$1" "$IMG/$2" "$3")"
		shared="$(results "$TMP/virtio.yaml" "$1" "$IMG/$2" "$3")"
		[ -n "$native" ]
		[ "$native" = "$remote" ]
		[ "$native" = "$shared" ]
	done
	run "$VACCEL" --json --profile "$TMP/rpc.yaml" classify "$IMG/cat.jpg"
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" 'd["plugin"], d["images"][0]["classes"][0]["label"]')" = "('rpc', 'Egyptian cat')" ]
}

@test "over a transport, the image ops leave no output file on the host" {
	mkdir "$TMP/out" "$TMP/native"
	printf 'plugins:\n  - name: opencv\n    options:\n      output-dir: "%s"\n' "$TMP/out" > "$TMP/out.yaml"
	"$VACCEL" --profile "$TMP/out.yaml" agent --listen "unix://$TMP/out.sock" >"$TMP/agent2.log" 2>&1 &
	local pid=$!
	for _ in $(seq 1 200); do
		"$VACCEL" agent --status "unix://$TMP/out.sock" >/dev/null 2>&1 && break
		sleep 0.05
	done
	printf 'plugins:\n  - name: rpc\n    options:\n      address: "unix://%s"\n' "$TMP/out.sock" > "$TMP/rpc2.yaml"
	for bytes in 512 8 0; do
		VACCEL_PROFILE="$TMP/rpc2.yaml" run "$TOP_BUILDDIR/tests/vision/classify-name" "$IMG/cat.jpg" "$bytes"
		[ "$status" -eq 0 ]
		[ -z "$(ls -A "$TMP/out")" ]
	done
	VACCEL_PROFILE="$TMP/rpc2.yaml" run "$TOP_BUILDDIR/tests/vision/classify-name" "$IMG/cat.jpg" 512
	[ "${lines[1]}" = "name " ]
	kill -TERM "$pid"; wait "$pid" || true
	# In the caller's own process the file stays: vAccel's op leaves it to the caller.
	printf 'plugins:\n  - name: opencv\n    options:\n      output-dir: "%s"\n' "$TMP/native" > "$TMP/native.yaml"
	VACCEL_PROFILE="$TMP/native.yaml" run "$TOP_BUILDDIR/tests/vision/classify-name" "$IMG/cat.jpg" 512
	[ "$status" -eq 0 ]
	[ "$(ls -A "$TMP/native" | wc -l)" -eq 1 ]
	[[ "$output" == *"name $TMP/native/vaccel-classify-"*".jpg"* ]]
}

@test "a registered model resource overrides the profile's, natively and over rpc" {
	VACCEL_PROFILE="$VISION" run "$TOP_BUILDDIR/tests/vision/model-override" "$IMG/cat.jpg" "$MODEL"
	[ "$status" -eq 0 ]
	VACCEL_PROFILE="$TMP/rpc.yaml" run "$TOP_BUILDDIR/tests/vision/model-override" "$IMG/cat.jpg" "$MODEL"
	[ "$status" -eq 0 ]
	[[ "$output" != *"not ok"* ]]
	VACCEL_PROFILE="$TMP/virtio.yaml" run "$TOP_BUILDDIR/tests/vision/model-override" "$IMG/cat.jpg" "$MODEL"
	[ "$status" -eq 0 ]
}

@test "infer over rpc equals native, bit for bit (the model is uploaded)" {
	"$TOP_BUILDDIR/tests/infer/infer-ref" input "$TMP/x.npy" 1 3 224 224
	"$VACCEL" --profile "$VISION" infer -m "$MODEL" -x "$TMP/x.npy" -o "$TMP/native.npy" >/dev/null
	run "$VACCEL" --profile "$TMP/rpc.yaml" infer -m "$MODEL" -x "$TMP/x.npy" -o "$TMP/rpc.npy" -i 2
	[ "$status" -eq 0 ]
	cmp "$TMP/native.npy" "$TMP/rpc.npy"
	run "$VACCEL" --profile "$TMP/virtio.yaml" infer -m "$MODEL" -x "$TMP/x.npy" -o "$TMP/virtio.npy"
	[ "$status" -eq 0 ]
	cmp "$TMP/native.npy" "$TMP/virtio.npy"
	run "$VACCEL" --json agent --status "$ADDR"
	[ "$(json_get "$output" 'd["resources"]')" = 0 ]
}

@test "a bad image over rpc is the same clear error as natively" {
	printf 'not an image\n' > "$TMP/text.jpg"
	run "$VACCEL" --profile "$TMP/rpc.yaml" classify "$TMP/text.jpg"
	[ "$status" -eq 1 ] || [ "$status" -eq 3 ]
	[[ "$output" == *"agent unix://$TMP/agent.sock: opencv: the image (13 bytes) is not JPEG, PNG, BMP, PNM or WebP"* ]]
	run "$VACCEL" --profile "$TMP/rpc.yaml" classify "$IMG/banana.jpg"
	[ "$status" -eq 0 ]
	grep -q "is not JPEG, PNG, BMP, PNM or WebP" "$TMP/agent.log"
}
