#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The cuda plugin: listed, its state said; without a CUDA device its ops go
# to the next instance (configs/cuda.yaml: cuda, then openblas), and forced
# onto it a call fails naming the missing device. With a device, the
# correctness checks of tests/gpu/cuda-check run; without one they skip.
load helpers

# Whether this machine's cuda instance serves sgemm (it has a usable device).
has_gpu() {
	local out
	out="$("$VACCEL" --profile cuda --json plugins)" || return 1
	[ "$(json_get "$out" 'd["ops"]["blas_sgemm"]')" = cuda ]
}

@test "cuda is listed with its state; sgemm goes to a device or to openblas" {
	run "$VACCEL" --profile cuda --json plugins
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" 'd["plugins"][0]["name"]')" = cuda ]
	state="$(json_get "$output" 'd["plugins"][0]["state"]')"
	by="$(json_get "$output" 'd["ops"]["blas_sgemm"]')"
	if [ "$by" = cuda ]; then
		[[ "$state" == "device 0: "* ]]
	else
		[[ "$state" == "unavailable: no CUDA device"* ]]
		[ "$by" = openblas ]
	fi
	run "$VACCEL" --profile cuda plugins
	[ "$status" -eq 0 ]
	[[ "$output" == *"$state"* ]]
}

@test "without a device, the cuda profile's sgemm is openblas's, bit for bit" {
	has_gpu && skip "a CUDA device is present: sgemm runs on it (cuda-check tests it)"
	run "$VACCEL" --profile cuda sgemm -m 37 -n 23 -k 19 --alpha 0.5 --beta 2 --verify
	[ "$status" -eq 0 ]
	[[ "$output" == *"plugin=openblas"* ]]
	[[ "$output" == *": ok"* ]]
	cuda_sum="$(field checksum "$output")"
	run "$VACCEL" --profile native sgemm -m 37 -n 23 -k 19 --alpha 0.5 --beta 2
	[ "$status" -eq 0 ]
	[ "$(field checksum "$output")" = "$cuda_sum" ]
}

@test "forced onto cuda without a device: exit 4, the error names the device" {
	has_gpu && skip "a CUDA device is present"
	VACCEL_PLUGINS=cuda run "$VACCEL" sgemm -m 8 -n 8 -k 8
	[ "$status" -eq 4 ]
	[[ "$output" == *"plugin 'cuda'"*"no CUDA device"* ]]
	[[ "$output" != *"gflops"* ]]
	VACCEL_PLUGINS=cuda run "$VACCEL" --profile cuda sgemm --plugin cuda
	[ "$status" -eq 4 ]
	[[ "$output" == *"no CUDA device"* ]]
}

@test "a device index beyond the machine's is unavailable, named" {
	printf 'plugins:\n  - name: cuda\n    options: { device: 999 }\n  - name: openblas\n' >"$TMP/p.yaml"
	run "$VACCEL" --profile "$TMP/p.yaml" --json plugins
	[ "$status" -eq 0 ]
	[[ "$(json_get "$output" 'd["plugins"][0]["state"]')" == "unavailable: no CUDA device"* ]]
	[ "$(json_get "$output" 'd["ops"]["blas_sgemm"]')" = openblas ]
}

@test "cuda options: typed, sizes with units, unknown keys refused" {
	printf 'plugins:\n  - name: cuda\n    options: { device: 0, pool-limit: 512MiB, tf32: true }\n' >"$TMP/ok.yaml"
	run "$VACCEL" profile check "$TMP/ok.yaml"
	[ "$status" -eq 0 ]
	run "$VACCEL" --profile "$TMP/ok.yaml" plugins
	[ "$status" -eq 0 ]
	bad() { # bad OPTIONS EXPECTED: the profile is refused with EXPECTED in the error
		printf 'plugins:\n  - name: cuda\n    options: { %s }\n' "$1" >"$TMP/bad.yaml"
		run "$VACCEL" --profile "$TMP/bad.yaml" plugins
		[ "$status" -eq 2 ] || return 1
		[[ "$output" == *"$2"* ]] || return 1
	}
	bad 'tf32: maybe' "bad.yaml:3:16: plugin 'cuda' option 'tf32': expected true or false, got 'maybe'"
	bad 'device: -1' "option 'device': expected an integer"
	bad 'device: gpu0' "option 'device': expected an integer"
	bad 'pool-limit: 12 parsecs' "option 'pool-limit': expected a size in bytes"
	bad 'pool-limit: -5' "option 'pool-limit': expected a size in bytes"
	bad 'pool-limit: [1, 2]' "option 'pool-limit': expected a size in bytes, optionally with K, M or G (KiB, MiB, GiB), got 'a list'"
	bad 'devices: 1' "unknown option 'devices' for plugin 'cuda' (it accepts: device, pool-limit, tf32)"
}

@test "an agent with the cuda profile serves a guest's sgemm (GPU or fallback)" {
	"$VACCEL" --profile cuda agent --listen "unix://$TMP/a.sock" >"$TMP/agent.log" 2>&1 &
	agent=$!
	for _ in $(seq 1 100); do
		"$VACCEL" agent --status "unix://$TMP/a.sock" >/dev/null 2>&1 && break
		sleep 0.05
	done
	VACCEL_RPC_ADDRESS="unix://$TMP/a.sock" run "$VACCEL" --profile rpc sgemm -m 65 -n 33 -k 17 --beta 1 --verify
	kill "$agent"; wait "$agent" || true
	[ "$status" -eq 0 ]
	[[ "$output" == *"plugin=rpc"* ]]
	[[ "$output" == *": ok"* ]]
}

@test "CUDA correctness against OpenBLAS (needs a CUDA device)" {
	run "$TOP_BUILDDIR/tests/gpu/cuda-check" --quick
	[ "$status" -ne 77 ] || skip "${output##*SKIP: }"
	[ "$status" -eq 0 ]
	[[ "$output" == *" 0 failed"* ]]
}
