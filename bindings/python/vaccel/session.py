# SPDX-License-Identifier: Apache-2.0
"""struct vaccel_session and the ops, as methods of Session.

Every method wraps one libvaccel call and raises FFIError with its VACCEL_*
code when that call fails. The profile (native, rpc, virtio) decides where
an op runs; nothing here depends on it.
"""

import errno
from pathlib import Path
from typing import Any

from ._libvaccel import ffi, lib
from .arg import Arg, copy_back, to_args
from .error import FFIError, NullPointerError, check
from .resource import Resource

try:
    import numpy as _np
except ImportError:
    _np = None


def _floats(values, ctype: str):
    """A C array of ctype from a list or a numpy array (no copy when the
    array already has that layout)."""
    if _np is not None and isinstance(values, _np.ndarray):
        dtype = _np.float32 if ctype == "float" else _np.float64
        arr = _np.ascontiguousarray(values, dtype=dtype)
        return ffi.cast(f"{ctype} *", ffi.from_buffer(arr)), arr
    arr = ffi.new(f"{ctype}[]", [float(x) for x in values])
    return arr, arr


def _text(buf) -> str:
    return ffi.string(buf).decode(errors="replace")


class Session:
    """A vAccel session: Session(flags=0), also a context manager."""

    _out_len = 512  # the output buffers of the image ops

    def __init__(self, flags: int = 0):
        self._c = ffi.new("struct vaccel_session *")
        check(lib.vaccel_session_init(self._c, int(flags)), "Could not init session")

    # ---- lifetime ----
    @property
    def _c_ptr(self):
        if self._c is None or self._c.id <= 0:
            raise NullPointerError("Session (released)")
        return self._c

    @property
    def id(self) -> int:
        return int(self._c.id) if self._c is not None else 0

    @property
    def flags(self) -> int:
        return int(self._c_ptr.hint)

    def release(self) -> None:
        """Release the session (idempotent)."""
        if self._c is not None and self._c.id > 0:
            check(lib.vaccel_session_release(self._c), "Could not release session")

    close = release

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()
        return False

    def __del__(self):
        try:
            self.release()
        except (FFIError, AttributeError):
            pass

    def __repr__(self):
        return f"<Session id={self.id}>"

    # ---- ops ----
    def noop(self) -> None:
        """vaccel_noop."""
        check(lib.vaccel_noop(self._c_ptr), "NoOp operation failed")

    def sgemm(self, m: int, n: int, k: int, alpha: float, a, lda: int,
              b, ldb: int, beta: float, ldc: int) -> list[float]:
        """C = alpha·A·B + beta·C (C starts at zero), row-major; returns C
        (m·n floats). a and b: lists or numpy arrays of floats."""
        if len(a) < m * k or len(b) < k * n:
            raise FFIError(errno.EINVAL, "SGEMM: a must hold m*k and b k*n values")
        ca, _keep_a = _floats(a, "float")
        cb, _keep_b = _floats(b, "float")
        cc = ffi.new("float[]", max(m * n, 1))
        check(lib.vaccel_sgemm(self._c_ptr, m, n, k, alpha, ca, lda, cb, ldb,
                               beta, cc, ldc), "SGEMM failed")
        return list(cc[0:m * n])

    def classify(self, image: bytes) -> tuple[str, str]:
        """Image classification: (tag, output image name)."""
        img = ffi.from_buffer(image)
        text = ffi.new("unsigned char[]", self._out_len)
        name = ffi.new("unsigned char[]", self._out_len)
        check(lib.vaccel_image_classification(self._c_ptr, img, text, name, len(img),
                                              self._out_len, self._out_len),
              "Image classification failed")
        return _text(ffi.cast("char *", text)), _text(ffi.cast("char *", name))

    def _image_op(self, fn, image: bytes, what: str) -> str:
        img = ffi.from_buffer(image)
        name = ffi.new("unsigned char[]", self._out_len)
        check(fn(self._c_ptr, img, name, len(img), self._out_len), f"{what} failed")
        return _text(ffi.cast("char *", name))

    def detect(self, image: bytes) -> str:
        """Object detection: the output image name."""
        return self._image_op(lib.vaccel_image_detection, image, "Image detection")

    def segment(self, image: bytes) -> str:
        """Segmentation: the output image name."""
        return self._image_op(lib.vaccel_image_segmentation, image, "Image segmentation")

    def pose(self, image: bytes) -> str:
        """Pose estimation: the output image name."""
        return self._image_op(lib.vaccel_image_pose, image, "Image pose estimation")

    def depth(self, image: bytes) -> str:
        """Depth estimation: the output image name."""
        return self._image_op(lib.vaccel_image_depth, image, "Image depth estimation")

    def exec(self, library: str | Path, symbol: str,
             arg_read: list[Any] | None = None,
             arg_write: list[Any] | None = None) -> list[Any] | None:
        """Call symbol in library with the exec convention; returns the
        write args read back (None without write args)."""
        r, nr, r_keep = to_args(arg_read)
        w, nw, w_keep = to_args(arg_write)
        check(lib.vaccel_exec(self._c_ptr, str(library).encode(), symbol.encode(),
                              r, nr, w, nw), "Exec operation failed")
        copy_back(w, w_keep)
        return [a.buf for a in w_keep] if arg_write is not None else None

    def exec_with_resource(self, resource: Resource, symbol: str,
                           arg_read: list[Any] | None = None,
                           arg_write: list[Any] | None = None) -> list[Any] | None:
        """exec on a registered library resource."""
        r, nr, r_keep = to_args(arg_read)
        w, nw, w_keep = to_args(arg_write)
        check(lib.vaccel_exec_with_resource(self._c_ptr, resource._c_ptr,
                                            symbol.encode(), r, nr, w, nw),
              "Exec with resource operation failed")
        copy_back(w, w_keep)
        return [a.buf for a in w_keep] if arg_write is not None else None

    def genop(self, arg_read: list[Arg], arg_write: list[Arg]) -> None:
        """Any op as argument lists; arg_read[0] holds the OpType. The write
        Args are filled in place: read them with .buf."""
        r, nr, r_keep = to_args(arg_read)
        w, nw, w_keep = to_args(arg_write)
        check(lib.vaccel_genop(self._c_ptr, r, nr, w, nw), "Generic operation failed")
        copy_back(w, w_keep)

    def minmax(self, indata, ndata: int, low_threshold: int,
               high_threshold: int) -> tuple[bytes, float, float]:
        """vaccel_minmax over ndata doubles (bytes, a list or a numpy array):
        (the output doubles as bytes, min, max)."""
        if isinstance(indata, (bytes, bytearray, memoryview)):
            if len(indata) < ndata * 8:
                raise FFIError(errno.EINVAL, "minmax: indata holds fewer than ndata doubles")
            keep = ffi.from_buffer(indata)
            cin = ffi.cast("double *", keep)
        else:
            cin, keep = _floats(indata, "double")
            if len(keep) < ndata:
                raise FFIError(errno.EINVAL, "minmax: indata holds fewer than ndata doubles")
        out = ffi.new("double[]", max(ndata, 1))
        cmin, cmax = ffi.new("double *"), ffi.new("double *")
        check(lib.vaccel_minmax(self._c_ptr, cin, ndata, low_threshold,
                                high_threshold, out, cmin, cmax),
              "Minmax operation failed")
        return ffi.buffer(out, ndata * 8)[:], float(cmin[0]), float(cmax[0])
