#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Write a frozen TensorFlow graph as GraphDef text for `protoc --encode`,
with its input and the expected output computed here, in plain Python.

  make-graph.py dense DIR    x [N,K] -> MatMul W [K,M] -> BiasAdd b -> Relu
                             DIR/dense.txt, DIR/x.bin, DIR/expected.bin
  make-graph.py OPTYPE DIR   x -> OPTYPE: DIR/OPTYPE.txt, a graph with one
                             node of a type the engine may lack
"""
import random
import struct
import sys

N, K, M = 4, 3, 5


def content(values):
    """float32 little-endian bytes as a text-format escaped string."""
    raw = struct.pack("<%df" % len(values), *values)
    return '"' + "".join("\\%03o" % b for b in raw) + '"'


def const(name, dims, values):
    shape = " ".join("dim { size: %d }" % d for d in dims)
    return ('node { name: "%s" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } } '
            'attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { %s } '
            'tensor_content: %s } } } }\n' % (name, shape, content(values)))


def node(name, op, inputs):
    ins = " ".join('input: "%s"' % i for i in inputs)
    return ('node { name: "%s" op: "%s" %s attr { key: "T" value { type: DT_FLOAT } } }\n'
            % (name, op, ins))


PLACEHOLDER = ('node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } '
               'attr { key: "shape" value { shape { dim { size: -1 } dim { size: %d } } } } }\n' % K)


def f32(v):
    return struct.unpack("<f", struct.pack("<f", v))[0]


def dense(d):
    rnd = random.Random(5)
    w = [f32(rnd.uniform(-1, 1)) for _ in range(K * M)]
    b = [f32(rnd.uniform(-0.5, 0.5)) for _ in range(M)]
    x = [f32(rnd.uniform(-2, 2)) for _ in range(N * K)]
    with open(d + "/dense.txt", "w") as f:
        f.write(PLACEHOLDER + const("W", [K, M], w) + const("b", [M], b))
        f.write(node("MatMul", "MatMul", ["x", "W"]) + node("BiasAdd", "BiasAdd", ["MatMul", "b"]))
        f.write(node("Relu", "Relu", ["BiasAdd"]) + "versions { producer: 27 }\n")
    y = [max(0.0, sum(x[i * K + k] * w[k * M + j] for k in range(K)) + b[j])
         for i in range(N) for j in range(M)]
    open(d + "/x.bin", "wb").write(struct.pack("<%df" % len(x), *x))
    open(d + "/expected.bin", "wb").write(struct.pack("<%df" % len(y), *y))


def one_node(op, d):
    with open(d + "/%s.txt" % op, "w") as f:
        f.write(PLACEHOLDER + node("y", op, ["x"]) + "versions { producer: 27 }\n")


if __name__ == "__main__":
    (dense if sys.argv[1] == "dense" else lambda d: one_node(sys.argv[1], d))(sys.argv[2])
