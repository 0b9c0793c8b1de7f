# SPDX-License-Identifier: Apache-2.0
import errno

import pytest

import vaccel
from vaccel import FFIError, Session
from vaccel.error import NullPointerError


def test_version():
    assert vaccel.__version__


def test_session_init_release():
    s = Session(flags=0)
    assert s.id > 0
    assert s.flags == 0
    s.release()
    assert s.id == 0
    s.release()  # twice is harmless


def test_sessions_are_distinct():
    a, b = Session(), Session()
    assert a.id != b.id


def test_context_manager():
    with Session() as s:
        s.noop()
        sid = s.id
    assert sid > 0 and s.id == 0


def test_use_after_release():
    s = Session()
    s.release()
    with pytest.raises(NullPointerError):
        s.noop()


def test_ffierror_carries_code():
    e = FFIError(errno.ENOTSUP, "what failed")
    assert e.code == errno.ENOTSUP and e.message == "what failed"
    assert "ENOTSUP" in str(e) and "what failed" in str(e)
    assert vaccel.error.FFIError is FFIError
