#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# vAccel's TensorFlow Lite API (tests/tflite/tflite-client) on the tflite
# plugin (Arm NN, CpuRef), natively, over rpc and over virtio against a
# `vaccel agent`, on models the test writes (tests/tflite/make-model.py's
# JSON, built by flatc with tests/tflite/schema.fbs) and checked against
# numbers computed in the test; models Arm NN cannot run, refused at load
# with the parser's reason; noop's echo. Without Arm NN or flatc only the
# echo runs.
load helpers
# VACCEL_ENOTSUP is ENOTSUP (95), as vAccel's.

CLIENT="$TOP_BUILDDIR/tests/tflite/tflite-client"
MODELS="$TOP_SRCDIR/tests/tflite"

need_tflite() {
	"$VACCEL" --profile "$TMP/tflite.yaml" plugins >/dev/null 2>&1 ||
		skip "no tflite plugin in this build (it needs Arm NN: apt-get install libarmnntfliteparser-dev)"
	command -v flatc >/dev/null || skip "no flatc to write the models (apt-get install flatbuffers-compiler)"
	ls /usr/lib/*/armnn*/Arm_CpuRef_backend.so >/dev/null 2>&1 ||
		skip "no Arm NN CpuRef backend to run on (apt-get install libarmnn-cpuref-backend22)"
}

profile() { # profile NAME PLUGIN: a profile of one plugin
	printf 'version: 1\nlog-level: error\nplugins:\n  - name: %s\n' "$2" >"$TMP/$1.yaml"
}

models() { # fc and conv: the models, their inputs and expected outputs
	profile tflite tflite
	need_tflite
	for m in fc conv; do
		python3 "$MODELS/make-model.py" "$m" "$TMP"
		flatc -b -o "$TMP" "$MODELS/schema.fbs" "$TMP/$m.json"
	done
}

close_to_expected() { # close_to_expected MODEL FILE: within 1e-5 of MODEL-expected.bin
	python3 -c 'import struct,sys
a,b=(open(p,"rb").read() for p in sys.argv[1:3])
assert len(a)==len(b)>0, (len(a),len(b))
n=len(a)//4
d=max(abs(x-y) for x,y in zip(struct.unpack("%df"%n,a),struct.unpack("%df"%n,b)))
print("max |diff|", d)
sys.exit(0 if d<=1e-5 else 1)' "$TMP/$1-expected.bin" "$2"
}

run_fc() { run "$CLIENT" run "$TMP/fc.tflite" "$TMP/fc-x.bin" "$TMP/$1.bin" "${2:-1}" 2 3; }
run_conv() { run "$CLIENT" run "$TMP/conv.tflite" "$TMP/conv-x.bin" "$TMP/$1.bin" "${2:-1}" 1 4 4 2; }

start_agent() { # an agent serving tflite on a UNIX socket and a virtqueue
	"$VACCEL" --profile "$TMP/tflite.yaml" agent --listen "unix://$TMP/a.sock" \
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

@test "tflite: fully-connected and conv2d natively give the numbers computed in the test" {
	models
	VACCEL_PROFILE="$TMP/tflite.yaml" run_fc fc-native 3
	[ "$status" -eq 0 ]
	[[ "$output" == *"output: type 1 dims 2 4, 32 bytes"* ]]
	run close_to_expected fc "$TMP/fc-native.bin"
	[ "$status" -eq 0 ]
	VACCEL_PROFILE="$TMP/tflite.yaml" run_conv conv-native
	[ "$status" -eq 0 ]
	[[ "$output" == *"output: type 1 dims 1 2 2 3, 48 bytes"* ]]
	run close_to_expected conv "$TMP/conv-native.bin"
	[ "$status" -eq 0 ]
}

@test "tflite: over rpc and over virtio the same numbers" {
	models
	profile rpc rpc
	profile virtio virtio
	start_agent
	VACCEL_RPC_ADDRESS="unix://$TMP/a.sock" VACCEL_PROFILE="$TMP/rpc.yaml" run_fc fc-rpc 3
	[ "$status" -eq 0 ]
	run close_to_expected fc "$TMP/fc-rpc.bin"
	[ "$status" -eq 0 ]
	VACCEL_VIRTIO_ADDRESS="virtio://$TMP/vq.sock" VACCEL_PROFILE="$TMP/virtio.yaml" run_conv conv-virtio
	[ "$status" -eq 0 ]
	run close_to_expected conv "$TMP/conv-virtio.bin"
	[ "$status" -eq 0 ]
}

@test "tflite: models Arm NN cannot run are refused at load with the parser's reason" {
	models
	# Two subgraphs, as vAccel's lstm2.tflite has five.
	python3 -c 'import json,sys
m=json.load(open(sys.argv[1])); m["subgraphs"]*=2; json.dump(m,open(sys.argv[2],"w"))' \
		"$TMP/fc.json" "$TMP/two.json"
	# CAST (53): an operator Arm NN 20.08 lacks.
	python3 -c 'import json,sys
m=json.load(open(sys.argv[1])); m["operator_codes"][0]["deprecated_builtin_code"]=53
op=m["subgraphs"][0]["operators"][0]; op.pop("builtin_options"); op.pop("builtin_options_type")
json.dump(m,open(sys.argv[2],"w"))' "$TMP/fc.json" "$TMP/cast.json"
	flatc -b -o "$TMP" "$MODELS/schema.fbs" "$TMP/two.json" "$TMP/cast.json"
	head -c 2000 /dev/urandom >"$TMP/junk.tflite"
	VACCEL_PROFILE="$TMP/tflite.yaml" run "$CLIENT" load "$TMP/two.tflite"
	[ "$status" -eq 1 ]
	[[ "$output" == *"load: ret 95"* ]]
	[[ "$output" == *"only supports 1 subgraph"* ]]
	VACCEL_PROFILE="$TMP/tflite.yaml" run "$CLIENT" load "$TMP/cast.tflite"
	[ "$status" -eq 1 ]
	[[ "$output" == *"load: ret 95"* ]]
	[[ "$output" == *"CAST"* ]]
	VACCEL_PROFILE="$TMP/tflite.yaml" run "$CLIENT" load "$TMP/junk.tflite"
	[ "$status" -eq 1 ]
	[[ "$output" == *"load: ret 95"* ]]
	[[ "$output" == *"is a model Arm NN cannot run"* ]]
	# The wrong input shape is the caller's error.
	VACCEL_PROFILE="$TMP/tflite.yaml" run "$CLIENT" run "$TMP/fc.tflite" "$TMP/conv-x.bin" \
		"$TMP/o.bin" 1 1 4 4 2
	[ "$status" -eq 1 ]
	[[ "$output" == *"the model takes type 1 of 6"* ]]
}

@test "tflite: noop echoes the input tensor, as vAccel's noop" {
	profile noop noop
	: >"$TMP/m.tflite"
	printf '0123456789abcdef' >"$TMP/x.bin"
	VACCEL_PROFILE="$TMP/noop.yaml" run "$CLIENT" run "$TMP/m.tflite" "$TMP/x.bin" "$TMP/y.bin" 1 2 2
	[ "$status" -eq 0 ]
	[[ "$output" == *"load: ret 0"* ]]
	[[ "$output" == *"run: ret 0 status 0"* ]]
	[[ "$output" == *"output: type 1 dims 2 2, 16 bytes"* ]]
	cmp "$TMP/x.bin" "$TMP/y.bin"
}
