"""`make lab` and `python -m helpers lab` (served for real in tests/test_fresh_install.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
import support
from click.testing import CliRunner

from helpers import paths
from helpers.plumbing import cli, data, lab

needs_make = pytest.mark.skipif(
    shutil.which("make") is None,
    reason="make is not installed (Windows: use the python -m commands)",
)


@needs_make
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
    assert command[1:4] == ["-m", "helpers", "lab"], command  # the same on every OS
    opened, note = lab.first_notebook()
    assert opened == paths.LEARNER_DIR / "00_setup_check.ipynb" and note is None
    assert opened.is_file()


@pytest.mark.slow
@needs_make
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
        learner_00 = f"{base}/api/contents/learner/00_setup_check.ipynb?token={token}"
        code, _ = support.http_get(learner_00)
        assert code == 200
        code, page = support.http_get(f"{base}/lab/tree/learner/00_setup_check.ipynb?token={token}")
        assert code == 200 and "JupyterLab" in page
        code, _ = support.http_get(f"{base}/api/status")  # no token, no entry
        assert code == 403
        # binder/overrides.json, installed by make: no news question, no update notices
        notification = "@jupyterlab/apputils-extension:notification"
        code, body = support.http_get(f"{base}/lab/api/settings/{notification}?token={token}")
        defaults = json.loads(body)["schema"]["properties"]  # overrides change the defaults
        assert code == 200 and defaults["fetchNews"]["default"] == "false"
        assert defaults["checkForUpdates"]["default"] is False
    finally:
        support.stop_group(server)
    with pytest.raises(OSError):  # stopped: nothing listens on the port any more
        support.http_get(f"{base}/api/status?token={token}")


# --- `python -m helpers lab`: the same without make, on every OS -------------------------------


def test_lab_falls_back_to_the_full_edition_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "LEARNER_DIR", tmp_path / "learner")
    notebook, note = lab.first_notebook()
    assert notebook == paths.NOTEBOOKS_DIR / "00_setup_check.ipynb"
    assert "learner edition" in note and "solutions included" in note
    (tmp_path / "learner").mkdir()
    (tmp_path / "learner" / "00_setup_check.ipynb").write_text("{}")
    assert lab.first_notebook() == (tmp_path / "learner" / "00_setup_check.ipynb", None)


def test_lab_regenerates_a_missing_sample_and_installs_settings_once(tmp_path, monkeypatch):
    made = []
    monkeypatch.setattr(paths, "SAMPLE_DIR", tmp_path / "gone")
    monkeypatch.setattr(data, "make_sample", lambda out, **kw: made.append(out))
    notebook, done = lab.prepare(tmp_path / "prefix")
    assert made == [paths.SAMPLE_ROOT] and any("Regenerated the sample" in line for line in done)
    assert done[0].startswith("Installed JupyterLab settings")
    theirs = tmp_path / "prefix" / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    theirs.write_text('{"mine": true}')
    assert lab.install_settings(tmp_path / "prefix").startswith("Kept your own")
    assert theirs.read_text(encoding="utf-8") == '{"mine": true}'  # never overwritten


def test_lab_outside_a_checkout_says_what_to_do(monkeypatch):
    monkeypatch.setattr(paths, "in_checkout", lambda: False)
    result = CliRunner().invoke(cli.main, ["lab"])
    assert result.exit_code == 1
    assert "needs a checkout of the workshop" in result.output and "Colab" in result.output
    assert "Traceback" not in result.output


def test_lab_command_passes_jupyter_options_through():
    notebook = paths.NOTEBOOKS_DIR / "00_setup_check.ipynb"
    args = lab.command(notebook, ["--port=9999", "--no-browser"])
    assert args[:3] == [sys.executable, "-m", "jupyterlab"]
    assert args[-3:] == ["--port=9999", "--no-browser", "notebooks/00_setup_check.ipynb"]
    help_text = CliRunner().invoke(cli.main, ["lab", "--help"]).output
    assert "learner edition" in help_text


def test_lab_without_jupyterlab_says_how_to_install_it(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "jupyterlab" else real(name)
    )
    result = CliRunner().invoke(cli.main, ["lab"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "JupyterLab is not installed" in result.output
    assert "requirements/lab.txt" in result.output
