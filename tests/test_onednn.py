"""Both oneDNN paths, on any machine: TensorFlow's fast routines stay on, and no red lines.

On processors with AVX512_VNNI, AVX512_BF16, AVX-VNNI or AMX, TensorFlow 2.21 switches its
oneDNN routines on by itself and prints two lines that ``TF_CPP_MIN_LOG_LEVEL`` cannot hide;
elsewhere it leaves them off and prints nothing. ``TF_ENABLE_ONEDNN_OPTS=1``/``0`` forces
either path on any x86 machine, so every test here runs both, whatever this processor is.
``TF_ENABLE_ONEDNN_OPTS=0`` is no way to hide the lines: it switches the routines off
(training 1.5 to 3 times slower), so the workshop never sets it; importing ``helpers`` hides
the two lines instead (``helpers/startup.py``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import papermill
import pytest
import support

from helpers import paths

PATHS = pytest.mark.parametrize("onednn", ["1", "0"], ids=["oneDNN-on", "oneDNN-off"])
NOTICE = "oneDNN custom operations are on"
ONEDNN_STATE = (
    "from tensorflow.python.util import _pywrap_util_port; "
    "print('oneDNN', _pywrap_util_port.IsMklEnabled())"
)


def _python(code: str, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in support.kernel_env().items() if k != "TF_ENABLE_ONEDNN_OPTS"}
    environ.pop("TF_CPP_MIN_LOG_LEVEL", None)  # as in a fresh terminal
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-c", code], env=environ, capture_output=True, text=True, timeout=300
    )


def test_importing_helpers_leaves_the_onednn_switch_alone():
    result = _python("import os, helpers; print(os.environ.get('TF_ENABLE_ONEDNN_OPTS'))")
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
def test_the_tests_know_which_path_this_processor_takes_by_itself():
    # support.OTHER_ONEDNN_PATH is read from the processor's features; TensorFlow must agree.
    result = _python(ONEDNN_STATE)
    assert result.returncode == 0, result.stderr
    assert f"oneDNN {support.onednn_on_by_itself()}" in result.stdout
    other = support.OTHER_ONEDNN_PATH
    assert other == ("0" if support.onednn_on_by_itself() else "1")


@pytest.mark.slow
@PATHS
def test_importing_helpers_first_hides_the_notice_and_keeps_onednn_as_forced(onednn):
    bare = _python("import tensorflow", TF_ENABLE_ONEDNN_OPTS=onednn)
    # The lines this test is about exist on the "on" path: without helpers they are printed.
    assert (NOTICE in bare.stderr) == (onednn == "1"), bare.stderr
    quiet = _python(f"import helpers, tensorflow; {ONEDNN_STATE}", TF_ENABLE_ONEDNN_OPTS=onednn)
    assert quiet.returncode == 0 and quiet.stderr == "", quiet.stderr
    assert quiet.stdout.strip() == f"oneDNN {onednn == '1'}", "helpers changed the oneDNN path"


@pytest.mark.slow
def test_keras_imported_first_is_quiet_too():
    result = _python("import helpers, keras; keras.layers.Dense(2)", TF_ENABLE_ONEDNN_OPTS="1")
    assert result.returncode == 0 and result.stderr == "", result.stderr


@pytest.mark.slow
def test_a_user_who_asks_for_every_log_line_gets_them():
    result = _python(
        "import helpers, tensorflow", TF_ENABLE_ONEDNN_OPTS="1", TF_CPP_MIN_LOG_LEVEL="0"
    )
    assert NOTICE in result.stderr


def test_the_filter_passes_on_everything_but_the_early_log_lines():
    # A C library or Python writing to standard error while TensorFlow loads is not hidden.
    code = (
        "import os, sys, helpers.startup as s\n"
        "with s.filtered_stderr(level=2):\n"
        "    os.write(2, b'WARNING: All log messages before absl::InitializeLog() is called\\n')\n"
        "    os.write(2, b'I0000 00:00:17.5   42 port.cc:153] " + NOTICE + ".\\n')\n"
        "    os.write(2, b'E0000 00:00:17.5   42 loader.cc:1] a real error\\n')\n"
        "    os.write(2, b'W0000 00:00:17.5   42 x.cc:9] a warning\\n')\n"
        "    print('a Python warning', file=sys.stderr, flush=True)\n"
    )
    result = _python(code)
    assert result.stderr.splitlines() == [
        "E0000 00:00:17.5   42 loader.cc:1] a real error",
        "a Python warning",
    ]
    level1 = _python(code.replace("level=2", "level=1"))
    assert "a warning" in level1.stderr and NOTICE not in level1.stderr


@pytest.mark.slow
@PATHS
@pytest.mark.parametrize("lesson", ["00_setup_check", "04_image_data_generator"])
def test_lessons_that_import_tensorflow_show_no_stderr(lesson, onednn, tmp_path, monkeypatch):
    # As in JupyterLab: TensorFlow's C-level lines reach the notebook (see support.kernel_env).
    monkeypatch.delenv("PYTEST_CURRENT_TEST", raising=False)
    monkeypatch.setenv("TF_ENABLE_ONEDNN_OPTS", onednn)
    monkeypatch.delenv("TF_CPP_MIN_LOG_LEVEL", raising=False)
    executed = tmp_path / f"{lesson}.ipynb"
    papermill.execute_notebook(
        str(paths.NOTEBOOKS_DIR / f"{lesson}.ipynb"),
        str(executed),
        parameters={"WORK_DIR": str(tmp_path / "work"), "IMAGE_SIZE": 64, "BATCH_SIZE": 4},
        kernel_name="python3",
        cwd=str(tmp_path),
        progress_bar=False,
    )
    assert os.environ["TF_ENABLE_ONEDNN_OPTS"] == onednn
    assert NOTICE not in support.stream_text(executed, "stderr")
    assert support.unexpected_output(executed) == []
