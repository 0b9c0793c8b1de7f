#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# vAccel's TensorFlow API (tests/tf/tf-client) on the tf plugin (OpenCV
# dnn), natively, over rpc and over virtio against a `vaccel agent`, on a
# frozen graph the test writes (tests/tf/make-graph.py's GraphDef text,
# encoded by protoc with tests/tf/graph.proto) and checked against numbers
# computed in the test; graphs it cannot run, refused with the reason;
# noop's echo. Without OpenCV or protoc only the echo runs.
load helpers
# VACCEL_ENOTSUP is ENOTSUP (95), VACCEL_EINVAL EINVAL (22), as vAccel's.

CLIENT="$TOP_BUILDDIR/tests/tf/tf-client"
GRAPH="$TOP_SRCDIR/tests/tf"

need_tf() {
	"$VACCEL" --profile "$TMP/tf.yaml" plugins >/dev/null 2>&1 ||
		skip "no tf plugin in this build (it needs OpenCV: apt-get install libopencv-dev)"
	command -v protoc >/dev/null || skip "no protoc to write the graph (apt-get install protobuf-compiler)"
}

profile() { # profile NAME PLUGIN: a profile of one plugin
	printf 'version: 1\nlog-level: error\nplugins:\n  - name: %s\n' "$2" >"$TMP/$1.yaml"
}

encode() { # encode NAME: DIR/NAME.txt -> DIR/NAME.pb
	protoc --encode=tensorflow.GraphDef -I "$GRAPH" "$GRAPH/graph.proto" \
		<"$TMP/$1.txt" >"$TMP/$1.pb"
}

graph() { # the dense graph, its input and the expected output
	profile tf tf
	need_tf
	python3 "$GRAPH/make-graph.py" dense "$TMP"
	encode dense
}

close_to_expected() { # close_to_expected FILE: within 1e-5 of expected.bin
	python3 -c 'import struct,sys
a,b=(open(p,"rb").read() for p in sys.argv[1:3])
assert len(a)==len(b)==80, (len(a),len(b))
d=max(abs(x-y) for x,y in zip(struct.unpack("20f",a),struct.unpack("20f",b)))
print("max |diff|", d)
assert any(x > 0 for x in struct.unpack("20f",a)) and 0.0 in struct.unpack("20f",a)
sys.exit(0 if d<=1e-5 else 1)' "$TMP/expected.bin" "$1"
}

run_dense() { # run_dense TAG [ITERATIONS]: the client on the dense graph into TAG.bin
	run "$CLIENT" run "$TMP/dense.pb" x Relu "$TMP/x.bin" "$TMP/$1.bin" "${2:-1}" 4 3
}

start_agent() { # an agent serving tf on a UNIX socket and a virtqueue
	"$VACCEL" --profile "$TMP/tf.yaml" agent --listen "unix://$TMP/a.sock" \
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

@test "tf: MatMul+BiasAdd+Relu natively gives the numbers computed in the test" {
	graph
	VACCEL_PROFILE="$TMP/tf.yaml" run_dense native 3
	[ "$status" -eq 0 ]
	[[ "$output" == *"load: ret 0 status code 0 message Graph loaded by OpenCV dnn"* ]]
	[[ "$output" == *"output: type 1 dims 4 5, 80 bytes"* ]]
	[[ "$output" == *"unload: ret 0 status code 0 message Graph unloaded"* ]]
	run close_to_expected "$TMP/native.bin"
	[ "$status" -eq 0 ]
}

@test "tf: over rpc and over virtio the same numbers" {
	graph
	profile rpc rpc
	profile virtio virtio
	start_agent
	VACCEL_RPC_ADDRESS="unix://$TMP/a.sock" VACCEL_PROFILE="$TMP/rpc.yaml" run_dense rpc 3
	[ "$status" -eq 0 ]
	run close_to_expected "$TMP/rpc.bin"
	[ "$status" -eq 0 ]
	VACCEL_VIRTIO_ADDRESS="virtio://$TMP/vq.sock" VACCEL_PROFILE="$TMP/virtio.yaml" run_dense virtio
	[ "$status" -eq 0 ]
	run close_to_expected "$TMP/virtio.bin"
	[ "$status" -eq 0 ]
}

@test "tf: a node type OpenCV lacks, a file that is no graph, a SavedModel: refused with the reason" {
	graph
	python3 "$GRAPH/make-graph.py" Bucketize "$TMP"
	encode Bucketize
	VACCEL_PROFILE="$TMP/tf.yaml" run "$CLIENT" load "$TMP/Bucketize.pb"
	[ "$status" -eq 1 ]
	[[ "$output" == *"load: ret 95 status code 95 message"* ]]
	[[ "$output" == *"Bucketize"* ]]
	head -c 3000 /dev/urandom >"$TMP/bad.pb"
	VACCEL_PROFILE="$TMP/tf.yaml" run "$CLIENT" load "$TMP/bad.pb"
	[ "$status" -eq 1 ]
	[[ "$output" == *"is not a frozen graph OpenCV dnn can read"* ]]
	mkdir "$TMP/saved"
	cp "$TMP/dense.pb" "$TMP/saved/saved_model.pb"
	VACCEL_PROFILE="$TMP/tf.yaml" run "$CLIENT" load "$TMP/saved"
	[ "$status" -eq 1 ]
	[[ "$output" == *"a SavedModel: OpenCV dnn reads frozen graphs only"* ]]
	# A node the graph lacks, through an agent: the reason travels back.
	profile rpc rpc
	start_agent
	VACCEL_RPC_ADDRESS="unix://$TMP/a.sock" VACCEL_PROFILE="$TMP/rpc.yaml" \
		run "$CLIENT" run "$TMP/dense.pb" x Nowhere "$TMP/x.bin" "$TMP/o.bin" 1 4 3
	[ "$status" -eq 1 ]
	[[ "$output" == *"run: ret 22 status code 22 message"*"output node 'Nowhere:0' is not a layer"* ]]
	VACCEL_RPC_ADDRESS="unix://$TMP/a.sock" VACCEL_PROFILE="$TMP/rpc.yaml" \
		run "$CLIENT" load "$TMP/Bucketize.pb"
	[ "$status" -eq 1 ]
	[[ "$output" == *"Bucketize"* ]]
}

@test "tf: noop echoes the input tensor, status as vAccel's noop" {
	profile noop noop
	: >"$TMP/m.pb"
	printf '0123456789abcdef' >"$TMP/x.bin"
	VACCEL_PROFILE="$TMP/noop.yaml" run "$CLIENT" run "$TMP/m.pb" in out "$TMP/x.bin" \
		"$TMP/y.bin" 1 2 2
	[ "$status" -eq 0 ]
	[[ "$output" == *"load: ret 0 status code 0 message Operation handled by noop plugin"* ]]
	[[ "$output" == *"run: ret 0 status code 0 message Operation handled by noop plugin"* ]]
	[[ "$output" == *"output: type 1 dims 2 2, 16 bytes"* ]]
	cmp "$TMP/x.bin" "$TMP/y.bin"
}
