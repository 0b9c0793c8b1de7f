# SPDX-License-Identifier: Apache-2.0
"""struct vaccel_resource: a file (model, library, data) a session uses."""

from pathlib import Path

from ._libvaccel import ffi, lib
from .error import FFIError, NullPointerError, check
from .types import ResourceType


class Resource:
    """A resource made from a path, or from bytes with Resource.from_buffer.

    Register it with a session before an op uses it; release() (or the
    garbage collector) frees it."""

    def __init__(self, path: str | Path, type_: ResourceType):
        self._c = ffi.new("struct vaccel_resource *")
        self._type = ResourceType(type_)
        check(lib.vaccel_resource_init(self._c, str(path).encode(), self._type),
              f"Could not create resource from {path}")
        self._sessions = []

    @classmethod
    def from_buffer(cls, data: bytes, type_: ResourceType,
                    filename: str | None = None, mem_only: bool = False) -> "Resource":
        """A resource holding a copy of data (filename names it)."""
        self = cls.__new__(cls)
        self._c = ffi.new("struct vaccel_resource *")
        self._type = ResourceType(type_)
        self._sessions = []
        buf = ffi.from_buffer(data)
        name = filename.encode() if filename else ffi.NULL
        check(lib.vaccel_resource_init_from_buf(self._c, buf, len(buf), self._type,
                                                name, mem_only),
              "Could not create resource from a buffer")
        return self

    @classmethod
    def from_numpy(cls, data) -> "Resource":
        """A data resource holding a copy of a numpy array's bytes."""
        import numpy as np
        return cls.from_buffer(np.ascontiguousarray(data).tobytes(), ResourceType.DATA)

    @property
    def _c_ptr(self):
        if self._c is None or self._c.id <= 0:
            raise NullPointerError("Resource")
        return self._c

    @property
    def id(self) -> int:
        return int(self._c.id) if self._c is not None else 0

    @property
    def type(self) -> ResourceType:
        return self._type

    @property
    def path(self) -> str | None:
        p = lib.vaccel_resource_path(self._c_ptr)
        return ffi.string(p).decode() if p != ffi.NULL else None

    def register(self, session) -> None:
        check(lib.vaccel_resource_register(self._c_ptr, session._c_ptr),
              "Could not register resource")
        self._sessions.append(session)

    def unregister(self, session) -> None:
        check(lib.vaccel_resource_unregister(self._c_ptr, session._c_ptr),
              "Could not unregister resource")
        self._sessions.remove(session)

    def release(self) -> None:
        """Unregister from every session still holding it, then free it."""
        if self._c is None or self._c.id <= 0:
            return
        for s in list(self._sessions):
            if s.id > 0:
                self.unregister(s)
        self._sessions.clear()
        check(lib.vaccel_resource_release(self._c), "Could not release resource")

    def __del__(self):
        try:
            self.release()
        except (FFIError, AttributeError):
            pass

    def __repr__(self):
        return f"<Resource id={self.id} type={self._type.name}>"
