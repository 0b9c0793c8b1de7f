#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Write a TensorFlow Lite model as JSON for `flatc -b schema.fbs`, with
its input and the expected output computed here, in plain Python.

  make-model.py fc DIR     x [2,3] -> FULLY_CONNECTED (W [4,3], b [4], RELU)
  make-model.py conv DIR   x [1,4,4,2] (NHWC) -> CONV_2D (3x3, 3 filters,
                           VALID, stride 1) -> [1,2,2,3]
Each writes DIR/NAME.json, DIR/NAME-x.bin and DIR/NAME-expected.bin.
"""
import json
import random
import struct
import sys


def f32(v):
    return struct.unpack("<f", struct.pack("<f", v))[0]


def data(values):
    return list(struct.pack("<%df" % len(values), *values))


def tensor(name, shape, buffer):
    return {"name": name, "shape": shape, "type": "FLOAT32", "buffer": buffer}


def model(opcode, options_type, options, tensors, consts, inputs, outputs):
    # Buffer 0 is the empty one, as TFLite's converter writes.
    return {
        "version": 3,
        "operator_codes": [{"deprecated_builtin_code": opcode}],
        "subgraphs": [{
            "tensors": tensors, "inputs": inputs, "outputs": outputs,
            "operators": [{"opcode_index": 0, "inputs": list(range(len(tensors) - 1)),
                           "outputs": [len(tensors) - 1],
                           "builtin_options_type": options_type,
                           "builtin_options": options}],
            "name": "main"}],
        "description": "made by tests/tflite/make-model.py",
        "buffers": [{}] + [{"data": data(c)} for c in consts],
    }


def write(d, name, m, x, y):
    json.dump(m, open("%s/%s.json" % (d, name), "w"))
    open("%s/%s-x.bin" % (d, name), "wb").write(struct.pack("<%df" % len(x), *x))
    open("%s/%s-expected.bin" % (d, name), "wb").write(struct.pack("<%df" % len(y), *y))


def fc(d):
    rnd = random.Random(3)
    n, k, m = 2, 3, 4
    w = [f32(rnd.uniform(-1, 1)) for _ in range(m * k)]
    b = [f32(rnd.uniform(-0.5, 0.5)) for _ in range(m)]
    x = [f32(rnd.uniform(-2, 2)) for _ in range(n * k)]
    y = [max(0.0, sum(x[i * k + j] * w[o * k + j] for j in range(k)) + b[o])
         for i in range(n) for o in range(m)]
    t = [tensor("x", [n, k], 0), tensor("w", [m, k], 1), tensor("b", [m], 2),
         tensor("y", [n, m], 0)]
    write(d, "fc", model(9, "FullyConnectedOptions", {"fused_activation_function": "RELU"},
                         t, [w, b], [0], [3]), x, y)


def conv(d):
    rnd = random.Random(4)
    h, wd, c, o, kh, kw = 4, 4, 2, 3, 3, 3
    oh, ow = h - kh + 1, wd - kw + 1
    x = [f32(rnd.uniform(-1, 1)) for _ in range(h * wd * c)]
    f = [f32(rnd.uniform(-1, 1)) for _ in range(o * kh * kw * c)]   # OHWI
    b = [f32(rnd.uniform(-0.5, 0.5)) for _ in range(o)]
    y = []
    for i in range(oh):
        for j in range(ow):
            for q in range(o):
                s = b[q]
                for u in range(kh):
                    for v in range(kw):
                        for ch in range(c):
                            s += (x[((i + u) * wd + (j + v)) * c + ch] *
                                  f[((q * kh + u) * kw + v) * c + ch])
                y.append(s)
    t = [tensor("x", [1, h, wd, c], 0), tensor("f", [o, kh, kw, c], 1), tensor("b", [o], 2),
         tensor("y", [1, oh, ow, o], 0)]
    opts = {"padding": "VALID", "stride_w": 1, "stride_h": 1}
    write(d, "conv", model(3, "Conv2DOptions", opts, t, [f, b], [0], [3]), x, y)


if __name__ == "__main__":
    {"fc": fc, "conv": conv}[sys.argv[1]](sys.argv[2])
