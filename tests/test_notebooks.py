"""The lesson notebooks: their structure, and real papermill runs on other datasets.

nbval (``make test``) executes every notebook on the bundled sample. These tests add what
nbval does not check: the lesson structure every notebook promises, parameters injected by
papermill, a dataset with other class names and sizes, quiet TensorFlow, and that a run
writes nothing outside its WORK_DIR.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from pathlib import Path

import nbformat
import numpy as np
import papermill
import psutil
import pytest

from helpers import images, paths

NOTEBOOKS = sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
REQUIRED_PARAMETERS = ("DATA_DIR", "WORK_DIR", "IMAGE_SIZE", "BATCH_SIZE", "SEED")
TF_NOISE = re.compile(r"I0000|W0000|oneDNN|absl::InitializeLog|cuda|TF_CPP|Unable to register")


def _load(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(str(path), as_version=4)


def _tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _markdown(nb) -> str:
    return "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")


def test_the_six_lessons_exist():
    assert [p.stem[:2] for p in NOTEBOOKS] == ["00", "01", "02", "03", "04", "05"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_without_outputs(path):
    nb = _load(path)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, path.name
    assert nb.metadata.kernelspec.name == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_lesson_structure(path):
    nb = _load(path)
    text = _markdown(nb)
    h1 = [line for line in text.splitlines() if line.startswith("# ")]
    assert len(h1) == 1 and nb.cells[0].source.startswith("# "), "one title, in the first cell"
    for heading in ("## Overview", "::: objectives", "## Prerequisites", "**Time to learn**"):
        assert heading in text, f"{path.name} lacks {heading}"
    assert "::: keypoints" in text and "### What's next?" in text


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_first_code_cell_is_the_parameters_cell(path):
    code_cells = [cell for cell in _load(path).cells if cell.cell_type == "code"]
    first = code_cells[0]
    assert "parameters" in _tags(first)
    assert sum("parameters" in _tags(cell) for cell in code_cells) == 1
    for name in REQUIRED_PARAMETERS:
        assert re.search(rf"^{name} = ", first.source, re.M), f"{path.name}: no {name}"
    assert "pistachio" not in first.source.split("#")[0].lower()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_exercises_have_solutions_and_self_checks(path):
    cells = _load(path).cells
    solutions = [i for i, cell in enumerate(cells) if "solution" in _tags(cell)]
    assert len(solutions) >= 2, f"{path.name} has {len(solutions)} exercises"
    for index in solutions:
        check = next(
            cell for cell in cells[index + 1 :] if cell.cell_type == "code"
        )  # the next code cell checks the exercise
        assert "assert" in check.source and "passed" in check.source, (path.name, index)
        assert "### Exercise" in "\n".join(
            cell.source for cell in cells[max(0, index - 3) : index] if cell.cell_type == "markdown"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_silenced_warnings_and_no_dot_next(path):
    source = "\n".join(cell.source for cell in _load(path).cells if cell.cell_type == "code")
    assert "filterwarnings" not in source
    for cell in _load(path).cells:
        if cell.cell_type == "code" and ".next()" in cell.source:
            assert "except AttributeError" in cell.source, "only as the demonstrated mistake"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_run_all_never_stops_on_a_demonstrated_error(path):
    # JupyterLab's Run All and papermill both stop at an error, whatever the cell's tags:
    # errors that are part of a lesson are caught and printed instead.
    for cell in _load(path).cells:
        assert "raises-exception" not in _tags(cell), path.name


# ---------------------------------------------------------------------- papermill runs


def _fingerprint(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


class KernelMemory:
    """Poll the resident memory of the kernels this test process starts."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self) -> None:
        me = psutil.Process()
        while not self._stop.wait(0.1):
            for child in me.children(recursive=True):
                try:
                    self.peak = max(self.peak, child.memory_info().rss)
                except psutil.Error:
                    continue

    def __enter__(self) -> KernelMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def _execute(path: Path, out: Path, cwd: Path, **parameters) -> tuple[nbformat.NotebookNode, int]:
    with KernelMemory() as memory:
        papermill.execute_notebook(
            str(path),
            str(out),
            parameters=parameters,
            kernel_name="python3",
            cwd=str(cwd),
            progress_bar=False,
        )
    return _load(out), memory.peak


def _stream_text(nb, name: str) -> str:
    return "".join(
        output.get("text", "")
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "stream" and output.name == name
    )


@pytest.fixture(scope="module")
def other_dataset(tmp_path_factory) -> Path:
    """Three classes with other names, 160x120 images, PNG and JPEG mixed."""
    root = tmp_path_factory.mktemp("flowers") / "flowers"
    rng = np.random.default_rng(0)
    for index, name in enumerate(["daisy", "Rose", "tulip_2"]):
        (root / name).mkdir(parents=True)
        for i in range(12):
            image = rng.integers(0, 60, (120, 160, 3), dtype=np.uint8)
            image[30:90, 40:120, index] = 200 + i
            suffix = ".png" if i % 2 else ".jpg"
            images.write_image(root / name / f"{name}_{i:02d}{suffix}", image)
    return root


@pytest.mark.slow
def test_papermill_parameters_are_injected_and_tensorflow_is_quiet(tmp_path):
    before = _fingerprint(paths.DATA_ROOT)
    nb, peak = _execute(
        paths.NOTEBOOKS_DIR / "04_image_data_generator.ipynb",
        tmp_path / "04.ipynb",
        cwd=tmp_path,  # not the notebooks folder: paths must not depend on it
        BATCH_SIZE=4,
        IMAGE_SIZE=64,
        WORK_DIR=str(tmp_path / "work"),
    )
    stdout, stderr = _stream_text(nb, "stdout"), _stream_text(nb, "stderr")
    assert "X: (4, 64, 64, 3)" in stdout
    assert not TF_NOISE.search(stderr), stderr
    assert (tmp_path / "work" / "split" / "train").is_dir()
    assert _fingerprint(paths.DATA_ROOT) == before, "a notebook wrote into data/"
    assert peak < 2e9, f"kernel peak {peak / 1e9:.2f} GB would not fit on Binder"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_on_another_dataset(path, other_dataset, tmp_path):
    before = _fingerprint(other_dataset)
    work = tmp_path / "work"
    nb, peak = _execute(
        path,
        tmp_path / path.name,
        cwd=tmp_path,
        DATA_DIR=str(other_dataset),
        WORK_DIR=str(work),
        IMAGE_SIZE=48,
        BATCH_SIZE=4,
    )
    passed = _stream_text(nb, "stdout")
    assert passed.count(": passed") >= 2, "the exercise self-checks did not all run"
    assert "daisy" in passed or path.stem.startswith("02")
    assert _fingerprint(other_dataset) == before, "the notebook changed its DATA_DIR"
    written = {p.relative_to(tmp_path).parts[0] for p in tmp_path.iterdir()}
    assert written <= {"work", path.name}, f"wrote outside WORK_DIR: {written}"
    assert peak < 2e9
    summary = {"notebook": path.stem, "kernel_peak_mb": round(peak / 1e6)}
    print(json.dumps(summary))
