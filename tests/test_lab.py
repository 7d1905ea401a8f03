"""`make lab` serves JupyterLab, opening the learner copy of notebook 00 as the badge does."""

from __future__ import annotations

import json
import subprocess
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


def test_make_lab_opens_the_learner_copy_of_notebook_00():
    """What `make lab` opens (a dry run: nothing is installed or started)."""
    result = subprocess.run(
        ["make", "--dry-run", "--no-print-directory", "lab", "LAB_ARGS="],
        cwd=paths.REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    command = result.stdout.strip().splitlines()[-1].split()
    assert command[1:3] == ["lab", "--notebook-dir=."], command
    assert command[-1] == "learner/00_setup_check.ipynb"
    assert (paths.REPO_ROOT / command[-1]).is_file()


@pytest.mark.slow
def test_make_lab_serves_jupyterlab(tmp_path):
    port, token = support.free_port(), "workshop-test-token"
    args = f"--no-browser --ip=127.0.0.1 --IdentityProvider.token={token}"
    server = subprocess.Popen(
        ["make", "--no-print-directory", "lab", f"LAB_PORT={port}", f"LAB_ARGS={args}"],
        cwd=paths.REPO_ROOT,
        env=support.jupyter_env(tmp_path),
        stdout=(tmp_path / "server.log").open("w"),  # a pipe nobody reads could fill and block
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so we stop exactly what we started
    )
    base = f"http://127.0.0.1:{port}"
    try:
        body = support.wait_until_serving(f"{base}/api/status?token={token}", server)
        assert "started" in json.loads(body)
        code, _ = _get(f"{base}/api/contents/learner/00_setup_check.ipynb?token={token}")
        assert code == 200
        code, page = _get(f"{base}/lab/tree/learner/00_setup_check.ipynb?token={token}")
        assert code == 200 and "JupyterLab" in page
        code, _ = _get(f"{base}/api/status")  # no token, no entry
        assert code == 403
        # binder/overrides.json, installed by make: no news question, no update notices
        notification = "@jupyterlab/apputils-extension:notification"
        code, body = _get(f"{base}/lab/api/settings/{notification}?token={token}")
        defaults = json.loads(body)["schema"]["properties"]  # overrides change the defaults
        assert code == 200 and defaults["fetchNews"]["default"] == "false"
        assert defaults["checkForUpdates"]["default"] is False
    finally:
        support.stop_group(server)
    assert server.returncode is not None
