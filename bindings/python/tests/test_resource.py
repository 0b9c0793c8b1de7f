# SPDX-License-Identifier: Apache-2.0
import errno

import pytest

from vaccel import FFIError, Resource, ResourceType, Session


def test_resource_from_path(exec_lib):
    r = Resource(exec_lib, ResourceType.LIB)
    assert r.id > 0 and r.type == ResourceType.LIB
    assert r.path == str(exec_lib)
    with Session() as s:
        r.register(s)
        with pytest.raises(FFIError) as e:
            r.register(s)
        assert e.value.code == errno.EEXIST
        r.unregister(s)
    r.release()
    assert r.id == 0


def test_resource_missing_file(tmp_path):
    with pytest.raises(FFIError) as e:
        Resource(tmp_path / "absent", ResourceType.MODEL)
    assert e.value.code == errno.ENOENT


def test_resource_from_buffer():
    r = Resource.from_buffer(b"some bytes", ResourceType.DATA, "blob.bin")
    assert r.id > 0
    r.release()


def test_session_release_detaches(exec_lib):
    r = Resource(exec_lib, ResourceType.LIB)
    s = Session()
    r.register(s)
    s.release()
    r.release()
