# SPDX-License-Identifier: Apache-2.0
"""Arg: Python values as C memory and back."""

import pytest

from vaccel import Arg, ArgType, OpType, ResourceType

try:
    import numpy as np
except ImportError:
    np = None


@pytest.mark.parametrize("value,size", [
    (b"abc", 3), (bytearray(b"xy"), 2), ("hi", 3), (7, 4), (1.5, 4),
    (True, 1), ([1, 2, 3], 12), ([1.0, 2.0], 8), ([], 0),
])
def test_round_trip(value, size):
    a = Arg(value)
    assert a.size == size
    assert a.buf == value
    assert type(a.buf) is type(value)
    assert a.type == ArgType.RAW


@pytest.mark.parametrize("type_,size", [
    (ArgType.INT8, 1), (ArgType.UINT8, 1), (ArgType.INT16, 2), (ArgType.INT64, 8),
    (ArgType.UINT64, 8), (ArgType.FLOAT64, 8), (ArgType.FLOAT32, 4),
])
def test_numeric_precision(type_, size):
    a = Arg(3, type_)
    assert a.size == size and a.buf == 3 and a.type == type_


def test_array_precision():
    a = Arg([1, 2, 3], ArgType.INT64_ARRAY)
    assert a.size == 24 and a.buf == [1, 2, 3]
    assert Arg([1.0, 2.0], ArgType.FLOAT64_ARRAY).size == 16


@pytest.mark.skipif(np is None, reason="python3-numpy is not installed")
def test_numpy():
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    a = Arg(x)
    assert a.size == 24
    assert (a.buf == x).all() and a.buf.shape == (2, 3)


def test_unsupported():
    with pytest.raises(TypeError):
        Arg(object())


def test_enums_match_vaccel():
    assert OpType.NOOP == 0 and OpType.BLAS_SGEMM == 17 and OpType.MINMAX == 22
    assert ArgType.RAW == 0 and ArgType.STRING == 27 and ArgType.BUFFER == 28
    assert ResourceType.LIB == 0 and ResourceType.MODEL == 2
