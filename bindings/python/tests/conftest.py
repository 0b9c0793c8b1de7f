# SPDX-License-Identifier: Apache-2.0
"""Shared fixtures. bindings/python/python.test (make check) sets the
environment: VACCEL_LIBRARY (the build's libvaccel), VACCEL (the command),
TEST_PLUGINS (the test libraries), VACCEL_MODELS, TOP_SRCDIR."""

import os
import subprocess
import time
from pathlib import Path

import pytest


def _need(var: str) -> str:
    value = os.environ.get(var)
    if not value:
        pytest.skip(f"${var} is not set: run through make check")
    return value


@pytest.fixture(scope="session")
def exec_lib() -> Path:
    path = Path(_need("TEST_PLUGINS")) / "libexectest.so"
    if not path.exists():
        pytest.skip(f"{path} is not built")
    return path


@pytest.fixture(scope="session")
def images() -> Path:
    path = Path(_need("VACCEL_MODELS")) / "images"
    if not (path / "cat.jpg").exists():
        pytest.skip(f"no {path}/cat.jpg: the shared models are absent")
    return path


@pytest.fixture(scope="session")
def cat(images) -> bytes:
    return (images / "cat.jpg").read_bytes()


@pytest.fixture(scope="session")
def vaccel_cmd() -> str:
    return _need("VACCEL")


@pytest.fixture
def agent(tmp_path, vaccel_cmd, exec_lib):
    """A `vaccel agent` on a UNIX socket, serving opencv (where built),
    openblas and the test library through exec; yields its address."""
    profile = tmp_path / "agent.yaml"
    profile.write_text(
        "plugins:\n"
        "  - name: opencv\n    optional: true\n"
        "  - name: openblas\n    optional: true\n"
        f"  - name: exec\n    options:\n      allow: [\"{exec_lib}\"]\n"
        "  - name: noop\n    ops: [noop]\n")
    addr = f"unix://{tmp_path}/a.sock"
    log = open(tmp_path / "agent.log", "w")
    proc = subprocess.Popen([vaccel_cmd, "--profile", str(profile), "agent",
                             "--listen", addr], stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(200):
            if subprocess.run([vaccel_cmd, "agent", "--status", addr],
                              capture_output=True).returncode == 0:
                break
            if proc.poll() is not None:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the agent did not answer: " + (tmp_path / "agent.log").read_text())
        if proc.poll() is not None:
            pytest.fail("the agent exited: " + (tmp_path / "agent.log").read_text())
        yield addr
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


@pytest.fixture
def rpc_profile(tmp_path, agent) -> Path:
    """A client profile: every op through the rpc plugin to `agent`."""
    path = tmp_path / "rpc.yaml"
    path.write_text("plugins:\n  - name: rpc\n    options:\n"
                    f"      address: \"{agent}\"\n      timeout-ms: 10000\n")
    return path
