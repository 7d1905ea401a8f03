"""The two editions: notebooks/ (instructors, with solutions) and learner/ (attendees, without).

Fast tests of the generated learner edition. tests/test_self_checks.py runs every exercise.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import paths
from helpers.plumbing import cli, editions

SOURCES = sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell: dict) -> str:
    return "".join(cell["source"])


def _tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def test_the_committed_learner_edition_is_fresh():
    stale = editions.stale_notebooks()
    assert stale == [], "Run `python -m helpers editions` and commit learner/: " + "; ".join(stale)


def test_regenerating_is_byte_identical(tmp_path):
    editions.write_learner_edition(target_dir=tmp_path)
    for source in SOURCES:
        assert (tmp_path / source.name).read_bytes() == (
            paths.LEARNER_DIR / source.name
        ).read_bytes()
    assert editions.write_learner_edition(target_dir=tmp_path) == []  # nothing rewritten


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_learner_notebook_has_attempts_instead_of_solutions(source):
    instructor, learner = _cells(source), _cells(paths.LEARNER_DIR / source.name)
    assert not any(editions.SOLUTION_TEXT in _tags(c) for c in learner), "model answers left"
    solutions = [c for c in instructor if "solution" in _tags(c)]
    attempts = [c for c in learner if "attempt" in _tags(c)]
    assert not any("solution" in _tags(c) for c in learner)
    assert len(attempts) == len(solutions) >= 2
    assert sum("self-check" in _tags(c) for c in learner) == len(attempts)
    assert sum("parameters" in _tags(c) for c in learner) == 1
    for cell in learner:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
    for index, cell in enumerate(learner):
        if "attempt" not in _tags(cell):
            continue
        check = next(c for c in learner[index + 1 :] if c["cell_type"] == "code")
        assert "self-check" in _tags(check), "the self-check follows its attempt cell"
        code = [line for line in _source(cell).splitlines() if not line.startswith("#")]
        assert code and all(line.endswith(" = ...") for line in code), _source(cell)
        expected = {line.split(" = ")[0] for line in code}
        for name in expected:  # the comment names what to write, and the check reads it
            assert f"`{name}" in _source(cell)
            assert name in _source(check)
        number = editions.exercise_id(learner, index).replace(".", "_")
        assert _source(check).startswith(f"checks.exercise_{number}("), (
            "a self-check calls its function in helpers/checks/, which says 'not yet' for ..."
        )


def _lesson_lines(cells: list[dict]) -> set[str]:
    """Lines of the lesson itself: not of worked solutions, and not of self-checks (which
    must not give the answer away either)."""
    return {
        line.strip()
        for cell in cells
        if not {"solution", "self-check"} & set(_tags(cell))
        for line in _source(cell).splitlines()
    }


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_no_worked_answer_anywhere_in_the_learner_edition(source):
    instructor = _cells(source)
    learner = _cells(paths.LEARNER_DIR / source.name)
    assert all(c.get("outputs", []) == [] for c in learner), "no outputs, so no printed answers"
    learner_lines = {line.strip() for cell in learner for line in _source(cell).splitlines()}
    allowed = _lesson_lines(instructor)  # the lesson may show a line the solution reuses
    for cell in instructor:
        if "solution" not in _tags(cell):
            continue
        for line in _source(cell).splitlines():
            line = line.strip()
            if len(line) < 12 or line.startswith("#") or line in allowed:
                continue
            assert line not in learner_lines, f"{source.name}: the answer line {line!r} leaked"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_self_checks_never_print_the_answer(source):
    """1.3 used to print the reddest channel: a check prints only 'passed' and the names it got."""
    for cell in _cells(source):
        if "self-check" in _tags(cell):
            tree = ast.parse(_source(cell))
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "print":
                    assert "passed" in ast.unparse(node), ast.unparse(node)


def test_check_command_reports_a_stale_copy_in_one_line(tmp_path, monkeypatch):
    target = tmp_path / "learner"
    shutil.copytree(paths.LEARNER_DIR, target)
    (target / "03_directory_split.ipynb").write_text("{}")
    (target / "99_extra.ipynb").write_text("{}")
    monkeypatch.setattr(paths, "LEARNER_DIR", target)
    result = CliRunner().invoke(cli.main, ["editions", "--check"])
    assert result.exit_code == 1
    assert "03_directory_split.ipynb: differs" in result.output
    assert "99_extra.ipynb: no notebook of that name" in result.output
    assert "python -m helpers editions" in result.output and "Traceback" not in result.output
    assert (target / "03_directory_split.ipynb").read_text(encoding="utf-8") == "{}", (
        "--check writes nothing"
    )


def test_editions_command_writes_and_refuses_to_overwrite_work(tmp_path, monkeypatch):
    target = tmp_path / "learner"
    monkeypatch.setattr(paths, "LEARNER_DIR", target)
    result = CliRunner().invoke(cli.main, ["editions"])
    assert result.exit_code == 0, result.output
    assert len(list(target.glob("*.ipynb"))) == len(SOURCES)
    worked = target / "01_computer_vision_recap.ipynb"
    notebook = json.loads(worked.read_text(encoding="utf-8"))
    attempt = next(c for c in notebook["cells"] if "attempt" in _tags(c))
    attempt["source"], attempt["execution_count"] = ["my_answer = 1"], 3
    worked.write_text(json.dumps(notebook))
    result = CliRunner().invoke(cli.main, ["editions"])
    assert result.exit_code == 1 and "worked in it" in result.output and "--force" in result.output
    assert "my_answer = 1" in worked.read_text(encoding="utf-8"), "the learner's work is kept"
    result = CliRunner().invoke(cli.main, ["editions", "--force"])
    assert result.exit_code == 0 and "my_answer" not in worked.read_text(encoding="utf-8")


def test_a_solution_without_a_self_check_is_one_readable_line(tmp_path, monkeypatch):
    source = tmp_path / "notebooks"
    source.mkdir()
    notebook = json.loads(SOURCES[0].read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if "self-check" in _tags(cell):
            cell["metadata"]["tags"].remove("self-check")
    (source / SOURCES[0].name).write_text(json.dumps(notebook))
    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", source)
    monkeypatch.setattr(paths, "LEARNER_DIR", tmp_path / "learner")
    result = CliRunner().invoke(cli.main, ["editions"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "exercise 0.1 is not followed by a code cell tagged 'self-check'" in result.output
    assert not (tmp_path / "learner").exists(), "nothing is written when a notebook is wrong"


def test_top_cells_hook_is_used(monkeypatch):
    marker = {"cell_type": "markdown", "id": "top", "metadata": {}, "source": ["Open in Colab"]}
    monkeypatch.setattr(editions, "top_cells", lambda name: [marker])
    notebook = editions.learner_notebook(
        json.loads(SOURCES[0].read_text(encoding="utf-8")), SOURCES[0].name
    )
    assert notebook["cells"][1] == marker  # after the lesson's title


def test_the_editions_command_works_from_a_path_with_spaces_and_accents(checkout):
    # `checkout` is a copy of the clone in a folder named like a Windows user's home.
    assert " " in str(checkout) and "í" in str(checkout)
    env = dict(os.environ, PYTHONPATH=str(checkout))
    for args in (["editions", "--check"], ["editions"]):
        result = subprocess.run(
            [sys.executable, "-m", "helpers", *args],
            cwd=checkout,
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
    assert "0 notebooks changed" in result.stdout and str(checkout / "learner") in result.stdout
    for notebook in paths.LEARNER_DIR.glob("*.ipynb"):
        assert (checkout / "learner" / notebook.name).read_bytes() == notebook.read_bytes()


@pytest.mark.parametrize(
    "learner", sorted(paths.LEARNER_DIR.glob("*.ipynb")), ids=lambda p: p.name[:2]
)
def test_every_learner_lesson_opens_on_its_title_and_folds_the_colab_setup(learner):
    cells = json.loads(learner.read_text(encoding="utf-8"))["cells"]
    source = json.loads((paths.NOTEBOOKS_DIR / learner.name).read_text(encoding="utf-8"))
    assert cells[0]["source"] == source["cells"][0]["source"]  # the lesson's own first cell
    assert "".join(cells[0]["source"]).startswith(f"# {learner.name[:2]} ·")
    setup = cells[2]
    assert setup["metadata"]["tags"] == ["bootstrap"]
    assert setup["metadata"]["jupyter"]["source_hidden"] is True  # folded in JupyterLab
    assert setup["metadata"]["cellView"] == "form"  # and on Colab, under its title
    assert "".join(setup["source"]).startswith("# @title Set-up for Colab")
