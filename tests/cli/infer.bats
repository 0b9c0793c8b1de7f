#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# vaccel infer without a model runtime: .npy validation, the noop plugin's
# fixed result, usage and routing errors. OpenCV results: infer-opencv.bats.
load helpers

# npy FILE HEADER-DICT NBYTES [MAGIC] [VERSION]: a .npy file whose header and
# data size are given, to build the malformed ones (MAGIC with \x escapes).
npy() {
	python3 - "$@" <<'PY'
import struct, sys
path, header, nbytes = sys.argv[1], sys.argv[2], int(sys.argv[3])
magic = sys.argv[4].encode().decode('unicode_escape').encode('latin-1') if len(sys.argv) > 4 else b'\x93NUMPY'
version = bytes([int(sys.argv[5]), 0]) if len(sys.argv) > 5 else b'\x01\x00'
h = header + ' ' * ((-(10 + len(header) + 1)) % 64) + '\n'
with open(path, 'wb') as f:
    f.write(magic + version + struct.pack('<H', len(h)) + h.encode() + b'\0' * nbytes)
PY
}

F4="'descr': '<f4', 'fortran_order': False"

@test "noop serves infer with its fixed result: shape (1,), value 0" {
	npy "$TMP/x.npy" "{$F4, 'shape': (2, 3), }" 24
	run "$VACCEL" --profile noop infer -m any.onnx -x "$TMP/x.npy" -o "$TMP/y.npy"
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" == "input:  (2, 3) $TMP/x.npy" ]]
	[[ "${lines[2]}" == "output: (1,) $TMP/y.npy" ]]
	npy "$TMP/expect.npy" "{$F4, 'shape': (1,), }" 4
	cmp "$TMP/y.npy" "$TMP/expect.npy"
}

@test "infer --json: plugin, shapes, files, latency" {
	npy "$TMP/x.npy" "{$F4, 'shape': (4,), }" 16
	run "$VACCEL" --profile noop --json infer -m m.onnx -x "$TMP/x.npy" -o "$TMP/y.npy" -i 3
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" 'd["plugin"], d["input"]["shape"], d["output"]["shape"], d["iterations"]')" = "('noop', [4], [1], 3)" ]
	[ "$(json_get "$output" 'd["latency_ms"]["min"] <= d["latency_ms"]["max"]')" = True ]
}

@test "malformed .npy inputs are input errors (3) that say what is wrong" {
	npy "$TMP/magic.npy" "{$F4, 'shape': (1,), }" 4 'XNUMPY'
	run "$VACCEL" --profile noop infer -m m -x "$TMP/magic.npy" -o "$TMP/y.npy"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$TMP/magic.npy: not a .npy file (bad magic"* ]]
	npy "$TMP/f8.npy" "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }" 8
	run "$VACCEL" --profile noop infer -m m -x "$TMP/f8.npy" -o "$TMP/y.npy"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$TMP/f8.npy: dtype '<f8' is not supported: float32 ('<f4') only"* ]]
	npy "$TMP/fortran.npy" "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }" 16
	run "$VACCEL" --profile noop infer -m m -x "$TMP/fortran.npy" -o "$TMP/y.npy"
	[ "$status" -eq 3 ]
	[[ "$output" == *"fortran.npy: fortran_order is True: C order only"* ]]
	npy "$TMP/short.npy" "{$F4, 'shape': (1, 3, 4), }" 44
	run "$VACCEL" --profile noop infer -m m -x "$TMP/short.npy" -o "$TMP/y.npy"
	[ "$status" -eq 3 ]
	[[ "$output" == *"short.npy: shape needs 48 bytes of data (12 float32), the file has 44"* ]]
	[ ! -e "$TMP/y.npy" ]
}

@test "npy headers: version, keys, shapes are checked" {
	npy "$TMP/v9.npy" "{$F4, 'shape': (1,), }" 4 '\x93NUMPY' 9
	run "$VACCEL" --profile noop infer -m m -x "$TMP/v9.npy" -o "$TMP/y.npy"
	[ "$status" -eq 3 ]
	[[ "$output" == *"npy version 9.0 is not supported"* ]]
	npy "$TMP/scalar.npy" "{$F4, 'shape': (), }" 4
	run "$VACCEL" --profile noop infer -m m -x "$TMP/scalar.npy" -o "$TMP/y.npy"
	[ "$status" -eq 3 ]
	[[ "$output" == *"shape () is a scalar"* ]]
	npy "$TMP/zero.npy" "{$F4, 'shape': (3, 0), }" 0
	run "$VACCEL" --profile noop infer -m m -x "$TMP/zero.npy" -o "$TMP/y.npy"
	[ "$status" -eq 3 ]
	[[ "$output" == *"shape dim 1 is 0"* ]]
	npy "$TMP/key.npy" "{$F4, 'shape': (1,), 'extra': 1, }" 4
	run "$VACCEL" --profile noop infer -m m -x "$TMP/key.npy" -o "$TMP/y.npy"
	[ "$status" -eq 3 ]
	[[ "$output" == *"unknown or repeated key 'extra'"* ]]
	npy "$TMP/noshape.npy" "{$F4, }" 4
	run "$VACCEL" --profile noop infer -m m -x "$TMP/noshape.npy" -o "$TMP/y.npy"
	[ "$status" -eq 3 ]
	[[ "$output" == *"npy header lacks shape"* ]]
	run "$VACCEL" --profile noop infer -m m -x "$TMP/nosuch.npy" -o "$TMP/y.npy"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$TMP/nosuch.npy: No such file"* ]]
}

@test "infer: usage errors (2), no plugin serves it (4)" {
	run "$VACCEL" --profile noop infer -x x.npy -o y.npy
	[ "$status" -eq 2 ]
	[[ "$output" == *"missing --model"* ]]
	run "$VACCEL" --profile noop infer -m m -x x.npy
	[ "$status" -eq 2 ]
	run "$VACCEL" --profile noop infer -m m -x x.npy -o y.npy -i 0
	[ "$status" -eq 2 ]
	npy "$TMP/x.npy" "{$F4, 'shape': (1,), }" 4
	run "$VACCEL" --profile native infer -m m -x "$TMP/x.npy" -o "$TMP/y.npy"
	[ "$status" -eq 4 ]
	[[ "$output" == *"no plugin of profile"* ]]
}
