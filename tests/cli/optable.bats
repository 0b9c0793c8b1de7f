#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Properties of the op table, for every op with a row (tests/optable/
# optable-props.c), with the echo test plugin (tests/plugins/echo.c), whose
# outputs are a function of its inputs:
#  - round trip: the same random valid calls give the same outputs, byte for
#    byte, natively and through an agent over rpc and over virtio;
#  - malformed lists derived from each row fail with EINVAL before any
#    plugin runs, in the library and, as raw frames, in the agent;
#  - the agent refuses a model named by host path (EPERM), wherever the
#    client put the outputs on the wire.
load helpers

props() { "$TOP_BUILDDIR/tests/optable/optable-props" "$@"; }

# The TAP lines of a run that are neither passes nor known bugs.
failed_lines() { printf '%s\n' "$1" | grep '^not ok' | grep -v '# TODO known bug' || true; }

setup_file() {
	: "${VACCEL:?run through make check}"
	export VACCEL_PLUGIN_PATH="$TEST_PLUGINS"
	DIR="$(mktemp -d "${BATS_TMPDIR:-/tmp}/vaccel-optable-XXXXXX")"
	export DIR
	export RPC_ADDR="unix://$DIR/agent.sock" VQ_ADDR="virtio://$DIR/vq.sock"
	# One profile for both ends: the echo plugin alone.
	printf 'plugins:\n  - name: echo\n' > "$DIR/echo.yaml"
	"$VACCEL" --profile "$DIR/echo.yaml" agent --listen "$RPC_ADDR" --listen "$VQ_ADDR" \
		>>"$DIR/agent.log" 2>&1 3>&- &
	echo $! > "$DIR/agent.pid"
	for _ in $(seq 1 100); do
		"$VACCEL" agent --status "$RPC_ADDR" >/dev/null 2>&1 && return 0
		kill -0 "$(cat "$DIR/agent.pid")" 2>/dev/null || break
		sleep 0.05
	done
	echo "the agent did not start:" >&2
	cat "$DIR/agent.log" >&2
	return 1
}

teardown_file() {
	local pid
	pid="$(cat "$DIR/agent.pid" 2>/dev/null)" || pid=
	if [ -n "$pid" ]; then
		kill -TERM "$pid" 2>/dev/null || true
		for _ in $(seq 1 100); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.05
		done
		kill -KILL "$pid" 2>/dev/null || true
	fi
	rm -rf "$DIR"
}

setup() {
	: "${VACCEL:?run through make check}"
	unset VACCEL_PROFILE VACCEL_RPC_ADDRESS VACCEL_VIRTIO_ADDRESS
}

teardown() {
	[ -n "${BATS_TEST_COMPLETED:-}" ] || {
		printf 'last status %s, output:\n%s\nagent log (tail):\n' "${status:-}" "${output:-}"
		tail -n 40 "$DIR/agent.log" 2>/dev/null
	}
}

# roundtrip NAME ENV...: the round trip's output under a profile, in $DIR/NAME.out.
roundtrip() {
	local name="$1"
	shift
	run env "$@" "$TOP_BUILDDIR/tests/optable/optable-props" roundtrip 1 20
	printf '%s\n' "$output" > "$DIR/$name.all"
	echo "$name: status $status"
	[ "$status" -eq 0 ] || { failed_lines "$output"; return 1; }
	# stdout and stderr are one in $output: keep the TAP lines.
	grep -E '^(ok|not ok|1\.\.)' "$DIR/$name.all" > "$DIR/$name.out"
}

@test "round trip: every op's outputs are the same natively, over rpc and over virtio" {
	roundtrip native VACCEL_PROFILE="$DIR/echo.yaml"
	roundtrip rpc VACCEL_PROFILE=rpc VACCEL_RPC_ADDRESS="$RPC_ADDR"
	roundtrip virtio VACCEL_PROFILE=virtio VACCEL_VIRTIO_ADDRESS="$VQ_ADDR"
	# Every call returned 0, and every op with a row was called.
	run grep -c ' rc=0 out=' "$DIR/native.out"
	[ "$output" -gt 0 ]
	run grep -v -e ' rc=0 out=' -e '^1\.\.' "$DIR/native.out"
	[ "$status" -eq 1 ] || { echo "calls that did not return 0:"; echo "$output"; false; }
	for op in noop exec exec_with_resource blas_sgemm minmax image_analyze tensor_infer; do
		grep -q " - $op #19 rc=0 " "$DIR/native.out" || { echo "no call of $op"; false; }
	done
	run diff -u "$DIR/native.out" "$DIR/rpc.out"
	[ "$status" -eq 0 ] || { echo "native and rpc differ:"; echo "$output"; false; }
	run diff -u "$DIR/native.out" "$DIR/virtio.out"
	[ "$status" -eq 0 ] || { echo "native and virtio differ:"; echo "$output"; false; }
}

@test "round trip: another seed gives other outputs (the hash sees the inputs)" {
	VACCEL_PROFILE="$DIR/echo.yaml" props roundtrip 2 3 > "$DIR/seed2.out" 2>/dev/null
	VACCEL_PROFILE="$DIR/echo.yaml" props roundtrip 1 3 > "$DIR/seed1.out" 2>/dev/null
	run diff "$DIR/seed1.out" "$DIR/seed2.out"
	[ "$status" -eq 1 ]
	# noop has no output: the same hash whatever the seed.
	[ "$(grep -c ' - noop #' "$DIR/seed1.out")" -eq 3 ]
}

@test "malformed lists fail with EINVAL before any plugin runs, natively" {
	run env VACCEL_PROFILE="$DIR/echo.yaml" "$TOP_BUILDDIR/tests/optable/optable-props" malformed
	echo "$output"
	[ "$status" -eq 0 ]
	[ -z "$(failed_lines "$output")" ]
	[[ "$output" == *"ok "*" - blas_sgemm: extra read arg"* ]]
}

@test "malformed lists fail with EINVAL before any plugin runs, over rpc and virtio" {
	run env VACCEL_PROFILE=rpc VACCEL_RPC_ADDRESS="$RPC_ADDR" \
		"$TOP_BUILDDIR/tests/optable/optable-props" malformed
	echo "$output"
	[ "$status" -eq 0 ]
	run env VACCEL_PROFILE=virtio VACCEL_VIRTIO_ADDRESS="$VQ_ADDR" \
		"$TOP_BUILDDIR/tests/optable/optable-props" malformed
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "the agent answers malformed GENOP frames with EINVAL, keeps serving, refuses host paths" {
	run props agent "$RPC_ADDR"
	echo "$output"
	[ "$status" -eq 0 ]
	[ -z "$(failed_lines "$output")" ]
	[[ "$output" == *"policy: tensor_infer naming host file /etc/hostname, an output first on the wire: EPERM"* ]]
	[[ "$output" == *"policy: tensor_infer naming host file /nonexistent/model.onnx, an output first on the wire: EPERM"* ]]
	# The agent is still up and serving.
	run "$VACCEL" agent --status "$RPC_ADDR"
	[ "$status" -eq 0 ]
}
