"""The lesson notebooks: their structure, and real papermill runs on other datasets.

nbval (``make test``) executes every notebook on the bundled sample. These tests add what
nbval does not check: the lesson structure every notebook promises, parameters injected by
papermill, quiet TensorFlow, and that a run leaves data/ alone. tests/test_runner.py runs
all of them on a dataset with other class names and sizes.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import papermill
import pytest
import support

from helpers import paths
from helpers.plumbing import runner

NOTEBOOKS = sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
REQUIRED_PARAMETERS = ("DATA_DIR", "WORK_DIR", "IMAGE_SIZE", "BATCH_SIZE", "SEED")


def _load(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(str(path), as_version=4)


def _tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _markdown(nb) -> str:
    return "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")


def test_the_eight_lessons_exist():
    assert [p.stem[:2] for p in NOTEBOOKS] == ["00", "01", "02", "03", "04", "05", "06", "07"]


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
    for heading in ("## Overview", "### Objectives", "## Prerequisites", "**Time to learn**"):
        assert heading in text, f"{path.name} lacks {heading}"
    assert "### Key points" in text and "### What's next?" in text
    assert ":::" not in text, "Carpentries fences show up as raw text in JupyterLab"


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
        heading = "\n".join(
            cell.source for cell in cells[max(0, index - 3) : index] if cell.cell_type == "markdown"
        )
        number = re.findall(r"### Exercise (\d+)\.(\d+)", heading)
        assert number, (path.name, index)
        function = "checks.exercise_{}_{}(".format(*number[-1])
        assert "self-check" in _tags(check) and check.source.startswith(function), (
            f"{path.name}: the self-check of exercise {number[-1]} calls {function}...)"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_silenced_warnings_and_no_dot_next(path):
    source = "\n".join(cell.source for cell in _load(path).cells if cell.cell_type == "code")
    assert "filterwarnings" not in source
    for cell in _load(path).cells:
        if cell.cell_type == "code" and ".next()" in cell.source:
            assert "except AttributeError" in cell.source, "only as the demonstrated mistake"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_linter_comments_and_helpers_imported_before_tensorflow(path):
    code = [cell.source for cell in _load(path).cells if cell.cell_type == "code"]
    assert not any("noqa" in source for source in code), "learners read these cells"
    imports = next(source for source in code if "from helpers import" in source)
    first = imports.splitlines()
    helpers_line = next(i for i, line in enumerate(first) if line.startswith("from helpers"))
    for i, line in enumerate(first):
        if re.match(r"(import|from) (tensorflow|keras)", line):
            assert i > helpers_line, "helpers must come first: it quietens TensorFlow's logs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_run_all_never_stops_on_a_demonstrated_error(path):
    # JupyterLab's Run All and papermill both stop at an error, whatever the cell's tags:
    # errors that are part of a lesson are caught and printed instead.
    for cell in _load(path).cells:
        assert "raises-exception" not in _tags(cell), path.name


POST_URL = "https://amishabhojwani.github.io/posts/2022/05-images_in_python"


def _lesson_cells(nb) -> list:
    """The cells from "## Imports" to the Summary that are not an exercise's: the lesson itself."""
    start = next(i for i, c in enumerate(nb.cells) if c.source.startswith("## Imports"))
    end = next(i for i, c in enumerate(nb.cells) if c.source.startswith("## Summary"))
    exercise = {"solution", "self-check", "solution-text"}
    return [c for c in nb.cells[start:end] if not exercise & set(_tags(c))]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_summary_links_the_glossary_and_lists_references(path):
    (summary,) = [c for c in _load(path).cells if c.source.startswith("## Summary")]
    assert "[glossary](../docs/glossary.md)" in summary.source
    assert (path.parent / "../docs/glossary.md").resolve().is_file()
    references = summary.source.split("### References", 1)[1]
    assert POST_URL in references and "Bhojwani" in references, "credit the blog post"
    assert "10.3390/electronics11070981" in references, "cite the pistachio paper"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_lesson_code_uses_only_basic_python(path):
    """Lesson cells are read by people who know variables, `for` loops and functions.

    List comprehensions are explained in lesson 00; the rest is written as loops.
    """
    import ast

    for cell in _lesson_cells(_load(path)):
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            assert not isinstance(node, ast.DictComp | ast.SetComp | ast.Lambda), (
                f"{path.name}: write this as a loop:\n{cell.source}"
            )
            if isinstance(node, ast.ListComp | ast.GeneratorExp):
                assert len(node.generators) == 1, f"{path.name}: two `for`s in:\n{cell.source}"
                assert not node.generators[0].ifs, f"{path.name}: an `if` in:\n{cell.source}"
            if isinstance(node, ast.keyword) and node.arg == "strict":
                assert "`strict=" in "".join(c.source for c in _lesson_cells(_load(path)))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_dataset_counts_in_code_and_val_is_never_the_test_set(path):
    for cell in _load(path).cells:
        if cell.cell_type == "code":
            assert "2148" not in cell.source and "2,148" not in cell.source, path.name
            assert not re.search(r"test\w* = .*[\"']val[\"']", cell.source), path.name


# ---------------------------------------------------------------------- papermill runs


def _execute(path: Path, out: Path, cwd: Path, **parameters) -> tuple[nbformat.NotebookNode, int]:
    with runner.KernelMemory() as memory:
        papermill.execute_notebook(
            str(path),
            str(out),
            parameters=parameters,
            kernel_name="python3",
            cwd=str(cwd),
            progress_bar=False,
        )
    return _load(out), memory.peak


@pytest.mark.slow
def test_papermill_parameters_are_injected_and_tensorflow_is_quiet(tmp_path, monkeypatch):
    # The kernel gets this process's environment: as support.kernel_env, so that TensorFlow's
    # C-level lines reach the notebook (ipykernel drops them under PYTEST_CURRENT_TEST) and on
    # the oneDNN path this processor does not take by itself.
    for name, value in support.kernel_env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("PYTEST_CURRENT_TEST", raising=False)
    before = support.fingerprint(paths.DATA_ROOT)
    nb, peak = _execute(
        paths.NOTEBOOKS_DIR / "04_image_data_generator.ipynb",
        tmp_path / "04.ipynb",
        cwd=tmp_path,  # not the notebooks folder: paths must not depend on it
        BATCH_SIZE=4,
        IMAGE_SIZE=64,
        WORK_DIR=str(tmp_path / "work"),
    )
    stdout, stderr = support.stream_text(nb, "stdout"), support.stream_text(nb, "stderr")
    assert "X: (4, 64, 64, 3)" in stdout
    assert support.unexpected_output(tmp_path / "04.ipynb") == [], stderr  # the one allow-list
    assert (tmp_path / "work" / "split_train_val_test" / "test").is_dir()
    assert support.fingerprint(paths.DATA_ROOT) == before, "a notebook wrote into data/"
    assert peak < 2e9, f"kernel peak {peak / 1e9:.2f} GB would not fit on Binder"


def test_code_quoted_from_the_post_is_marked_where_the_licence_page_says():
    """LICENSE-CONTENT.md lists the cells quoted from the blog post; each starts with the mark."""
    licence = (paths.REPO_ROOT / "LICENSE-CONTENT.md").read_text(encoding="utf-8")
    mark = licence.split("```python\n", 1)[1].split("```", 1)[0]
    rows = re.findall(r"^\| `(\w+)`.*\| `notebooks/(\S+\.ipynb)` \|$", licence, re.M)
    assert len(rows) == 4, rows
    for function, name in rows:
        for folder in (paths.NOTEBOOKS_DIR, paths.LEARNER_DIR):
            cells = _load(folder / name).cells
            quoted = [c for c in cells if c.cell_type == "code" and c.source.startswith(mark)]
            assert any(f"def {function}" in c.source for c in quoted), (folder.name, name)
            before = cells[cells.index(quoted[0]) - 1]
            assert before.cell_type == "markdown" and "quote" in before.source.lower(), name
