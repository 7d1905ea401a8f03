"""TensorFlow chooses its oneDNN kernels itself, and the notice they print is explained.

``TF_ENABLE_ONEDNN_OPTS=0`` does not hide a log line: it switches off TensorFlow's fast CPU
kernels (PITFALLS 18). The workshop never sets the variable; lesson 00 explains the notice
that TensorFlow prints, before its logging starts, on processors where the kernels are on.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import nbformat
import papermill
import pytest

from helpers import paths

LESSON_00 = paths.NOTEBOOKS_DIR / "00_setup_check.ipynb"

#: The lines TensorFlow prints on import when oneDNN is on, and the phrase lesson 00 quotes.
EXPLAINED = {
    re.compile(r"^I\d{4} [\d:.]+\s+\d+ port\.cc:\d+\] oneDNN custom operations are on\."): (
        "oneDNN custom operations are on"
    ),
    re.compile(r"^WARNING: All log messages before absl::InitializeLog\(\) is called"): (
        "All log messages before absl::InitializeLog() is called"
    ),
}


def _without_onednn_switch() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "TF_ENABLE_ONEDNN_OPTS"}


def test_importing_helpers_leaves_the_onednn_switch_alone():
    code = "import os, helpers; print(os.environ.get('TF_ENABLE_ONEDNN_OPTS'))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=_without_onednn_switch(),
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "None"


def test_no_workshop_file_sets_the_onednn_switch():
    candidates = [
        *paths.REPO_ROOT.joinpath("helpers").rglob("*.py"),
        *paths.NOTEBOOKS_DIR.glob("*.ipynb"),
        *paths.REPO_ROOT.joinpath("binder").iterdir(),
        paths.REPO_ROOT / "Makefile",
        paths.REPO_ROOT / "environment.yml",
        paths.REPO_ROOT / ".ci" / "run",
    ]
    setting = re.compile(r"TF_ENABLE_ONEDNN_OPTS['\"]?\s*[\]=,:)]|environ.*TF_ENABLE_ONEDNN_OPTS")
    for path in candidates:
        text = path.read_text(encoding="utf-8")
        assert not setting.search(text.replace("`TF_ENABLE_ONEDNN_OPTS=0`", "")), path


@pytest.mark.slow
def test_the_onednn_notice_is_the_only_stderr_and_lesson_00_explains_it(tmp_path, monkeypatch):
    # Where the processor has AVX-512 or AMX, TensorFlow switches oneDNN on by itself; the
    # variable does the same here, so that the notice is printed on any machine.
    monkeypatch.setenv("TF_ENABLE_ONEDNN_OPTS", "1")
    # As in JupyterLab, TensorFlow's C-level lines must reach the notebook (see support.kernel_env).
    monkeypatch.delenv("PYTEST_CURRENT_TEST", raising=False)
    executed = tmp_path / "00.ipynb"
    papermill.execute_notebook(
        str(LESSON_00),
        str(executed),
        parameters={"WORK_DIR": str(tmp_path / "work")},
        kernel_name="python3",
        cwd=str(tmp_path),
        progress_bar=False,
    )
    nb = nbformat.read(str(executed), as_version=4)
    stderr = [
        line
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "stream" and output.name == "stderr"
        for line in output.text.splitlines()
        if line.strip()
    ]
    assert any("oneDNN custom operations are on" in line for line in stderr), (
        "the notice did not appear: this test no longer shows what lesson 00 explains"
    )
    unexplained = [line for line in stderr if not any(p.search(line) for p in EXPLAINED)]
    assert not unexplained, unexplained
    lesson_text = " ".join(
        " ".join(cell.source.split()) for cell in nb.cells if cell.cell_type == "markdown"
    )
    for phrase in EXPLAINED.values():
        assert phrase in lesson_text, f"lesson 00 does not explain {phrase!r}"
