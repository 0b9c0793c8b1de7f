# SPDX-License-Identifier: Apache-2.0
"""Python API for vaccel, shaped like vAccel's own (vaccel-python):

    from vaccel import Session
    with Session() as s:
        s.noop()
        tag, _ = s.classify(open("cat.jpg", "rb").read())
"""

from ._libvaccel import ffi, lib
from .arg import Arg
from .error import FFIError
from .resource import Resource
from .session import Session
from .types import ArgType, OpType, ResourceType

try:
    from ._paths import VERSION as __version__
except ImportError:  # run from the source tree
    __version__ = ffi.string(lib.vaccel_version()).decode()

__all__ = ["Arg", "ArgType", "FFIError", "OpType", "Resource", "ResourceType",
           "Session", "__version__"]
