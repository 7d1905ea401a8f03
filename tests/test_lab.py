"""`make lab` really serves JupyterLab, opening notebook 00 as the Binder badge does."""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.error
import urllib.request

import pytest
import support

from helpers import paths


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, ""


@pytest.mark.slow
def test_make_lab_serves_jupyterlab(tmp_path):
    port, token = support.free_port(), "workshop-test-token"
    env = dict(
        os.environ,
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"),
        JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
    )
    args = f"--no-browser --ip=127.0.0.1 --IdentityProvider.token={token}"
    server = subprocess.Popen(
        ["make", "--no-print-directory", "lab", f"LAB_PORT={port}", f"LAB_ARGS={args}"],
        cwd=paths.REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so we stop exactly what we started
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        status = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                status, body = _get(f"{base}/api/status?token={token}")
                if status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        assert status == 200, f"JupyterLab did not answer (exit code {server.poll()})"
        assert "started" in json.loads(body)
        code, _ = _get(f"{base}/api/contents/notebooks/00_setup_check.ipynb?token={token}")
        assert code == 200
        code, page = _get(f"{base}/lab/tree/notebooks/00_setup_check.ipynb?token={token}")
        assert code == 200 and "JupyterLab" in page
        code, _ = _get(f"{base}/api/status")  # no token, no entry
        assert code == 403
    finally:
        support.stop_group(server)
    assert server.returncode is not None
