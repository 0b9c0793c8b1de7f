# SPDX-License-Identifier: Apache-2.0
"""The binding's declarations (vaccel/_libvaccel.py) say what the installed
headers say: every function, struct and enum it declares, token for token."""

import os
import re
from pathlib import Path

import pytest

from vaccel._libvaccel import CDEF, ffi, lib


def normalize(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"\s*([*(),;{}=])\s*", r"\1", text).strip()


@pytest.fixture(scope="module")
def headers() -> str:
    top = os.environ.get("TOP_SRCDIR")
    if not top:
        pytest.skip("$TOP_SRCDIR is not set: run through make check")
    files = sorted((Path(top) / "src" / "include" / "vaccel").glob("*.h"))
    return normalize(" ".join(f.read_text() for f in files))


FUNCS = re.findall(r"[^;]*?\bvaccel_\w+\([^;]*\);", normalize(CDEF))
STRUCTS = re.findall(r"struct vaccel_\w+\{[^}]*\};", normalize(CDEF))


@pytest.mark.parametrize("decl", FUNCS, ids=lambda d: re.search(r"(vaccel_\w+)\(", d)[1])
def test_function_declared_alike(headers, decl):
    decl = decl.strip()
    assert decl in headers
    name = re.search(r"(vaccel_\w+)\(", decl)[1]
    assert getattr(lib, name)  # and exported


@pytest.mark.parametrize("decl", STRUCTS, ids=lambda d: d.split("{")[0])
def test_struct_alike(headers, decl):
    fields = re.sub(r"\s+", " ", decl)
    assert fields in headers


@pytest.mark.parametrize("ctype", ["vaccel_arg_type_t", "vaccel_op_type_t",
                                   "vaccel_resource_type_t"])
def test_enum_alike(headers, ctype):
    body = re.search(r"typedef enum\{([^}]*)\}" + ctype + ";", headers)[1]
    names = [re.match(r"\w+", e)[0] for e in body.split(",") if e]
    assert list(ffi.typeof(ctype).relements) == names or \
        sorted(ffi.typeof(ctype).relements, key=ffi.typeof(ctype).relements.get) == names
