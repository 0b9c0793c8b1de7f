# SPDX-License-Identifier: Apache-2.0
"""The binding over rpc: a real `vaccel agent` on a UNIX socket, a client
process with the rpc profile, the same answers as natively."""

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import vaccel

CLIENT = Path(__file__).with_name("rpc_client.py")
# The client imports the same vaccel package as this test.
PYTHONPATH = os.pathsep.join(
    [str(Path(vaccel.__file__).parent.parent)] + sys.path[1:])


def client_env(profile):
    return dict(os.environ, VACCEL_PROFILE=str(profile), PYTHONPATH=PYTHONPATH,
                PYTHONDONTWRITEBYTECODE="1")


def run_client(profile, exec_lib, images):
    env = client_env(profile)
    proc = subprocess.run([sys.executable, str(CLIENT), str(exec_lib),
                           str(images / "cat.jpg")],
                          env=env, capture_output=True, text=True, timeout=120)
    return proc


def test_rpc_same_as_native(rpc_profile, tmp_path, exec_lib, images):
    native = tmp_path / "native.yaml"
    native.write_text(
        "plugins:\n  - name: opencv\n    optional: true\n"
        "  - name: openblas\n    optional: true\n"
        "  - name: exec\n    options:\n      allow-any: true\n"
        "  - name: noop\n    ops: [noop]\n")
    local = run_client(native, exec_lib, images)
    assert local.returncode == 0, local.stderr
    remote = run_client(rpc_profile, exec_lib, images)
    assert remote.returncode == 0, remote.stderr
    want, got = json.loads(local.stdout), json.loads(remote.stdout)
    assert got == want
    assert got["sgemm"] == [58.0, 64.0, 139.0, 154.0]
    assert got["exec"] == [7]
    assert got["bad_image"] in (errno.EINVAL, errno.ENOTSUP)
    if got["classify"] != errno.ENOTSUP:  # opencv built
        assert "cat" in got["classify"].splitlines()[0]


def agent_status(vaccel_cmd, addr):
    status = subprocess.run([vaccel_cmd, "--json", "agent", "--status", addr],
                            capture_output=True, text=True)
    assert status.returncode == 0, status.stderr
    return json.loads(status.stdout)


def test_rpc_goes_to_the_agent(agent, rpc_profile, vaccel_cmd, exec_lib, images):
    """The agent counts the client's requests: the calls did not run here."""
    before = agent_status(vaccel_cmd, agent)["requests"]
    proc = run_client(rpc_profile, exec_lib, images)
    assert proc.returncode == 0, proc.stderr
    after = agent_status(vaccel_cmd, agent)
    assert after["requests"] - before >= 6  # noop sgemm exec minmax classify x2
    assert after["sessions"] == 0  # released when the client exited


def test_rpc_no_agent(tmp_path, exec_lib, images):
    profile = tmp_path / "gone.yaml"
    profile.write_text("plugins:\n  - name: rpc\n    options:\n"
                       f"      address: \"unix://{tmp_path}/none.sock\"\n")
    proc = subprocess.run(
        [sys.executable, "-c", "import vaccel\ntry:\n vaccel.Session().noop()\n"
         "except vaccel.FFIError as e:\n print(e.code)\nelse:\n print('ok')"],
        env=client_env(profile),
        capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() not in ("", "ok"), proc.stdout + proc.stderr
