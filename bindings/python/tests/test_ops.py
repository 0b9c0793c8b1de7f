# SPDX-License-Identifier: Apache-2.0
"""Every op of Session, natively (the default profile: this build's plugins)."""

import errno
import struct

import pytest

from vaccel import Arg, ArgType, FFIError, OpType, Resource, ResourceType, Session

try:
    import numpy as np
except ImportError:
    np = None

A = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]        # 2x3
B = [7.0, 8.0, 9.0, 10.0, 11.0, 12.0]     # 3x2
C = [58.0, 64.0, 139.0, 154.0]            # A·B


@pytest.fixture
def session():
    with Session() as s:
        yield s


def vision(call):
    """Run an image op; skip where this build has no vision plugin."""
    try:
        return call()
    except FFIError as e:
        if e.code == errno.ENOTSUP:
            pytest.skip("no vision plugin in this build (OpenCV)")
        raise


def test_noop(session):
    assert session.noop() is None


def test_sgemm(session):
    assert session.sgemm(2, 2, 3, 1.0, A, 3, B, 2, 0.0, 2) == C


def test_sgemm_alpha(session):
    assert session.sgemm(2, 2, 3, 0.5, A, 3, B, 2, 0.0, 2) == [x / 2 for x in C]


@pytest.mark.skipif(np is None, reason="python3-numpy is not installed")
def test_sgemm_numpy(session):
    a = np.array(A, dtype=np.float32).reshape(2, 3)
    b = np.array(B, dtype=np.float64).reshape(3, 2)  # converted
    assert session.sgemm(2, 2, 3, 1.0, a.ravel(), 3, b.ravel(), 2, 0.0, 2) == C


def test_sgemm_short_matrix(session):
    with pytest.raises(FFIError) as e:
        session.sgemm(2, 2, 3, 1.0, A[:4], 3, B, 2, 0.0, 2)
    assert e.value.code == errno.EINVAL


def test_classify(session, cat):
    tag, name = vision(lambda: session.classify(cat))
    assert "cat" in tag.splitlines()[0]
    assert isinstance(name, str)


def test_classify_not_an_image(session, images):
    vision(lambda: session.classify((images / "cat.jpg").read_bytes()))
    with pytest.raises(FFIError) as e:
        session.classify(b"this is not an image")
    assert e.value.code == errno.EINVAL


@pytest.mark.parametrize("op", ["detect", "segment", "pose", "depth"])
def test_image_ops(session, images, op):
    name = vision(lambda: getattr(session, op)((images / "person.jpg").read_bytes()))
    assert isinstance(name, str)


def test_exec(session, exec_lib):
    assert session.exec(exec_lib, "add_int32", [3, 4], [0]) == [7]
    assert session.exec(str(exec_lib), "reverse", ["hello"], [bytearray(8)]) == \
        [bytearray(b"olleh\0\0\0")]


def test_exec_no_write_args(session, exec_lib):
    assert session.exec(exec_lib, "sleep_ms", [1]) is None


def test_exec_errors(session, exec_lib):
    with pytest.raises(FFIError) as e:
        session.exec(exec_lib.parent / "no-such-lib.so", "f", [1], [0])
    assert e.value.code == errno.ENOENT
    with pytest.raises(FFIError):
        session.exec(exec_lib, "always_fails", [1], [0])
    with pytest.raises(FFIError):
        session.exec(exec_lib, "no_such_symbol", [1], [0])


def test_exec_with_resource(session, exec_lib):
    res = Resource(exec_lib, ResourceType.LIB)
    res.register(session)
    assert session.exec_with_resource(res, "add_int32", [20, 22], [0]) == [42]
    res.unregister(session)
    res.release()


def test_genop_sgemm(session):
    read = [
        Arg(OpType.BLAS_SGEMM, ArgType.UINT8),
        Arg(2, ArgType.INT64), Arg(2, ArgType.INT64), Arg(3, ArgType.INT64),
        Arg(1.0, ArgType.FLOAT32), Arg(A, ArgType.FLOAT32_ARRAY),
        Arg(3, ArgType.INT64), Arg(B, ArgType.FLOAT32_ARRAY),
        Arg(2, ArgType.INT64), Arg(0.0, ArgType.FLOAT32), Arg(2, ArgType.INT64),
    ]
    write = [Arg([0.0] * 4, ArgType.FLOAT32_ARRAY)]
    assert session.genop(read, write) is None
    assert write[0].buf == C


def test_genop_exec(session, exec_lib):
    read = [Arg(OpType.EXEC, ArgType.UINT8), Arg(exec_lib, ArgType.STRING),
            Arg("add_int32", ArgType.STRING), Arg(5), Arg(6)]
    write = [Arg(0)]
    session.genop(read, write)
    assert write[0].buf == 11


def test_genop_noop(session):
    session.genop([Arg(OpType.NOOP, ArgType.UINT8)], [])


def test_genop_bad_op(session):
    with pytest.raises(FFIError) as e:
        session.genop([Arg(200, ArgType.UINT8)], [])
    assert e.value.code == errno.EINVAL


def test_minmax(session):
    data = [5.0, 1.0, 9.0, 3.0, 4.0]
    out, lo, hi = session.minmax(struct.pack("5d", *data), 5, 2, 8)
    assert (lo, hi) == (1.0, 9.0)
    assert len(out) == 5 * 8
    assert session.minmax(data, 5, 2, 8) == (out, lo, hi)
    if np is not None:
        assert session.minmax(np.array(data), 5, 2, 8) == (out, lo, hi)


def test_minmax_short_input(session):
    with pytest.raises(FFIError) as e:
        session.minmax(b"\0" * 8, 5, 2, 8)
    assert e.value.code == errno.EINVAL
