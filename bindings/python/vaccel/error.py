# SPDX-License-Identifier: Apache-2.0
"""Errors: a failed libvaccel call raises FFIError with its VACCEL_* code."""

import errno

from ._libvaccel import ffi, lib


class FFIError(RuntimeError):
    """A libvaccel call returned a VACCEL_* error.

    Attributes:
        code (int): the VACCEL_* code (vAccel's values: errno numbers).
        message (str): what failed.
    """

    def __init__(self, error_code: int, message: str):
        super().__init__(error_code, message)
        self.code = error_code
        self.message = message

    def __str__(self):
        name = errno.errorcode.get(self.code, "E?")
        reason = ffi.string(lib.vaccel_strerror(self.code)).decode(errors="replace")
        return f"[errno {self.code}] {name}: {self.message} ({reason})"


class NullPointerError(RuntimeError):
    """An object was used after it was released."""

    def __init__(self, context: str):
        super().__init__(f"Unexpected NULL pointer encountered in {context}")


def check(ret: int, message: str) -> None:
    """Raise FFIError unless ret is VACCEL_OK."""
    if ret != 0:
        raise FFIError(ret, message)
