# SPDX-License-Identifier: Apache-2.0
"""struct vaccel_arg: a Python value laid out as C memory, and read back.

Arg(data, type_) copies data into memory it owns and describes it with a
struct vaccel_arg. After an op has written into it, `buf` reads it back as
the type data had: bytes, bytearray, str, int, float, bool, a list of ints
or floats, or a numpy array of the same dtype and shape.

Numbers: an int is a C int and a float a C float, as in vaccel-python,
unless type_ names another numeric type (ArgType.INT64, FLOAT64_ARRAY...).
"""

from pathlib import Path
from typing import Any

from ._libvaccel import ffi
from .types import ArgType

try:
    import numpy as _np
except ImportError:  # numpy is optional
    _np = None

# The C element type of each numeric ArgType, scalar and array alike.
_C_ELEM = {
    "INT8": "int8_t", "INT16": "int16_t", "INT32": "int32_t",
    "INT64": "int64_t", "UINT8": "uint8_t", "UINT16": "uint16_t",
    "UINT32": "uint32_t", "UINT64": "uint64_t", "FLOAT32": "float",
    "FLOAT64": "double", "BOOL": "bool", "CHAR": "char",
    "UCHAR": "unsigned char",
}


def _elem_of(type_: ArgType):
    return _C_ELEM.get(type_.name.removesuffix("_ARRAY"))


class Arg:
    """One struct vaccel_arg and the memory it points at."""

    def __init__(self, data: Any, type_: ArgType = ArgType.RAW):
        self._type = ArgType(type_)
        self._data = data
        elem = _elem_of(self._type)
        if _np is not None and isinstance(data, _np.ndarray):
            self._kind = "numpy"
            self._array = _np.ascontiguousarray(data)
            self._cbuf = ffi.from_buffer(self._array, require_writable=False)
            size = self._array.nbytes
        elif isinstance(data, (bytes, bytearray, memoryview)):
            self._kind = type(data)
            raw = bytes(data)
            self._cbuf = ffi.new("char[]", max(len(raw), 1))
            ffi.memmove(self._cbuf, raw, len(raw))
            size = len(raw)
        elif isinstance(data, (str, Path)):
            self._kind = str
            raw = str(data).encode()
            self._cbuf = ffi.new("char[]", raw)  # NUL-terminated
            size = len(raw) + 1
        elif isinstance(data, (list, tuple)):
            self._kind = list
            if elem is None:
                elem = "float" if any(isinstance(x, float) for x in data) else "int"
            self._elem = elem
            self._cbuf = ffi.new(f"{elem}[]", list(data) or 1)
            size = ffi.sizeof(elem) * len(data)
        elif isinstance(data, (bool, int, float)):
            self._kind = type(data)
            if elem is None:
                elem = {bool: "bool", int: "int", float: "float"}[type(data)]
            self._elem = elem
            self._cbuf = ffi.new(f"{elem} *", data)
            size = ffi.sizeof(elem)
        else:
            raise TypeError(f"Arg: no C layout for {type(data).__name__}")
        self._c = ffi.new("struct vaccel_arg *")
        self._c.buf = ffi.cast("void *", self._cbuf)
        self._c.size = size
        self._c.type = self._type
        self._c.owned = False

    @property
    def type(self) -> ArgType:
        return self._type

    @property
    def size(self) -> int:
        return int(self._c.size)

    @property
    def buf(self) -> Any:
        """The memory read back as the type the data had."""
        kind, n = self._kind, self.size
        if kind == "numpy":
            return self._array
        if kind in (bytes, bytearray, memoryview):
            raw = ffi.buffer(self._cbuf, n)[:]
            return bytearray(raw) if kind is bytearray else raw
        if kind is str:
            return ffi.string(ffi.cast("char *", self._cbuf), n).decode(errors="replace")
        if kind is list:
            return [self._cbuf[i] for i in range(n // ffi.sizeof(self._elem))]
        return kind(self._cbuf[0])

    def __repr__(self):
        return f"<Arg type={self._type.name} size={self.size}>"


def to_args(values) -> Any:
    """A list of Arg (or plain values, each made an Arg) as a C array.

    Returns (the C array or NULL, its length, the Arg objects, kept alive by
    the caller until the call returns)."""
    if not values:
        return ffi.NULL, 0, []
    args = [v if isinstance(v, Arg) else Arg(v) for v in values]
    array = ffi.new("struct vaccel_arg[]", len(args))
    for i, a in enumerate(args):
        array[i] = a._c[0]
    return array, len(args), args


def copy_back(array, args) -> None:
    """An op may move a write arg's size (never its buffer): keep it."""
    for i, a in enumerate(args):
        a._c.size = min(a._c.size, array[i].size)
