# SPDX-License-Identifier: Apache-2.0
"""The C enums as Python IntEnums: ArgType, OpType, ResourceType."""

import enum

from ._libvaccel import ffi


def _from_prefix(name: str, ctype: str, prefix: str) -> type:
    values = ffi.typeof(ctype).relements
    members = {k[len(prefix):]: v for k, v in values.items()
               if k.startswith(prefix) and not k.endswith("_MAX")}
    return enum.IntEnum(name, members, module=__name__)


ArgType = _from_prefix("ArgType", "vaccel_arg_type_t", "VACCEL_ARG_")
OpType = _from_prefix("OpType", "vaccel_op_type_t", "VACCEL_OP_")
ResourceType = _from_prefix("ResourceType", "vaccel_resource_type_t",
                            "VACCEL_RESOURCE_")
