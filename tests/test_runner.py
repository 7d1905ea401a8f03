"""Instructors' reruns: `python -m helpers run`, real papermill on datasets the tests build."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import nbformat
import numpy as np
import pytest
import support
from click.testing import CliRunner

from helpers import images, outputs, paths
from helpers.plumbing import cli, runner


def _cli(*args: str, cwd: Path, one_core: bool = False) -> subprocess.CompletedProcess:
    first = min(os.sched_getaffinity(0))
    return subprocess.run(
        [sys.executable, "-m", "helpers", "run", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=support.kernel_env(),  # notebooks get TensorFlow's C-level stderr, as in a terminal
        # as `taskset -c 0` does: the runner and its kernels see a single core
        preexec_fn=(lambda: os.sched_setaffinity(0, {first})) if one_core else None,
    )


#: Small settings: the whole workshop runs on the three classes as on the sample, only smaller
#: (the full settings run in tests/conftest.py's `binder_run`).
QUICK = ["-p", "IMAGE_SIZE", "48", "-p", "EPOCHS", "2", "-p", "BENCH_IMAGES", "40"]
QUICK += ["-p", "BENCH_ROUNDS", "1"]


@pytest.fixture(scope="module")
def flowers(tmp_path_factory) -> Path:
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
def test_whole_workshop_on_a_three_class_dataset_on_one_core(flowers, tmp_path):
    data_before, lessons_before = (
        support.fingerprint(flowers),
        support.fingerprint(paths.NOTEBOOKS_DIR),
    )
    out = tmp_path / "handout"
    result = _cli(
        "--data-dir", str(flowers), "--out", str(out), *QUICK, cwd=tmp_path, one_core=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "without encryption" not in result.stderr  # kernels get CurveZMQ keys
    assert "on 1 core" in support.stream_text(out / "06_tf_data_pipelines.ipynb")
    run = runner.read_summary(out)
    assert run.data_dir == str(flowers.resolve()) and run.edition == "instructor"
    assert run.parameters == {"IMAGE_SIZE": 48, "EPOCHS": 2, "BENCH_IMAGES": 40, "BENCH_ROUNDS": 1}
    summary = [asdict(r) for r in run.notebooks]
    assert [r["notebook"][:2] for r in summary] == ["00", "01", "02", "03", "04", "05", "06", "07"]
    assert all(r["status"] == "passed" for r in summary), summary
    assert all(0 < r["peak_memory_mb"] < 2000 and r["seconds"] > 0 for r in summary)
    unexplained = [line for r in summary for line in support.unexpected_output(out / r["output"])]
    assert unexplained == [], "stderr no lesson explains"
    index = (out / "index.html").read_text(encoding="utf-8")
    for r in summary:
        assert (out / r["html"]).is_file() and f'href="{r["html"]}"' in index
        text = support.stream_text(out / r["output"])
        assert text.count(": passed") >= 2, f"{r['notebook']}: exercise self-checks missing"
    assert "['Rose', 'daisy', 'tulip_2']" in support.stream_text(out / "00_setup_check.ipynb")
    assert "X: (5, 48, 48, 3)" in support.stream_text(out / "04_image_data_generator.ipynb")
    assert support.fingerprint(flowers) == data_before, "a notebook changed DATA_DIR"
    assert support.fingerprint(paths.NOTEBOOKS_DIR) == lessons_before, "notebooks/ was touched"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["handout"]
    assert "| 00_setup_check.ipynb" not in result.stdout  # the table is plain text
    assert "00_setup_check.ipynb" in result.stdout and "passed" in result.stdout


@pytest.mark.slow
def test_sample_run_with_a_parameter_override(tmp_path):
    # lessons 04, 05 and 07 split in three: a two-part RATIO is for 03 (and 06), 00 is quick
    chosen = runner.select_notebooks(["00", "03"])
    values = runner.parse_parameters([("BATCH_SIZE", "3"), ("RATIO", "[0.8, 0.2]")], chosen)
    results = runner.run_notebooks(chosen, tmp_path / "out", parameters=values, progress=False)
    assert [r.status for r in results] == ["passed", "passed"]
    executed = nbformat.read(str(tmp_path / "out" / "03_directory_split.ipynb"), as_version=4)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert "RATIO = [0.8, 0.2]" in injected[0].source and "BATCH_SIZE = 3" in injected[0].source
    split_counts = json.loads(
        (tmp_path / "out" / "work" / "split" / ".split.json").read_text(encoding="utf-8")
    )
    assert split_counts["ratio"] == [0.8, 0.2]
    assert split_counts["counts"]["train"] == {"Kirmizi_Pistachio": 24, "Siirt_Pistachio": 24}


@pytest.mark.slow
def test_learner_edition_hands_out_executed_lessons_without_solutions(tmp_path):
    out, before = tmp_path / "handout", support.fingerprint(paths.LEARNER_DIR)
    args = ("--edition", "learner", "--notebooks", "01", "03", "--out", str(out))
    result = _cli(*args, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    run = runner.read_summary(out)
    assert run.edition == "learner" and [r.status for r in run.notebooks] == ["passed"] * 2, run
    # exercises sit between lesson sections, and 03 has a plain code cell among them
    for name in ("01_computer_vision_recap.ipynb", "03_directory_split.ipynb"):
        copy = nbformat.read(str(out / name), as_version=4)
        copy.cells = [
            c for c in copy.cells if "injected-parameters" not in c.metadata.get("tags", [])
        ]
        instructor = nbformat.read(str(paths.NOTEBOOKS_DIR / name), as_version=4)
        learner = nbformat.read(str(paths.LEARNER_DIR / name), as_version=4)
        assert [c.source for c in copy.cells] == [c.source for c in learner.cells], name
        tags = [c.metadata.get("tags", []) for c in copy.cells]
        assert tags == [c.metadata.get("tags", []) for c in learner.cells], "tags as in learner/"
        exercise = [i for i, t in enumerate(tags) if {"attempt", "self-check"} & set(t)]
        code = [i for i, c in enumerate(copy.cells) if c.cell_type == "code"]
        assert exercise and code[-1] > exercise[0], f"{name}: lesson cells after an exercise"
        for i in code:
            cell = copy.cells[i]
            if i in exercise:  # left as attendees get them: empty answer, check not run
                assert cell.outputs == [] and not cell.execution_count, (name, i)
            else:
                assert cell.execution_count, f"{name}: lesson cell {i} did not run"
        for cell in instructor.cells:
            if "solution" in cell.metadata.get("tags", []):
                assert cell.source not in json.dumps(copy.cells), "a worked answer leaked"
    printed = support.stream_text(out / "03_directory_split.ipynb")
    assert "Images from:" in printed
    assert ": passed" not in printed, "no self-check ran"
    hidden = sorted(p.name for p in out.iterdir() if p.name.startswith("."))
    assert hidden == [outputs.MARKER]  # its marker only: no staging folder left
    assert support.fingerprint(paths.LEARNER_DIR) == before, "learner/ is never written to"


def test_unknown_edition_is_refused(tmp_path):
    with pytest.raises(ValueError, match="Unknown edition 'student'"):
        runner.run_notebooks([], tmp_path / "out", edition="student")


def _failing_copy(tmp_path: Path) -> Path:
    original = nbformat.read(str(paths.NOTEBOOKS_DIR / "02_generators.ipynb"), as_version=4)
    position = next(i for i, c in enumerate(original.cells) if "def make_list" in c.source)
    original.cells.insert(
        position, nbformat.v4.new_code_cell('raise RuntimeError("deliberate\\nlast line")')
    )
    broken = tmp_path / "02_broken.ipynb"
    nbformat.write(original, str(broken))
    return broken


@pytest.mark.slow
@pytest.mark.parametrize("keep_going, after", [(False, "skipped"), (True, "passed")])
def test_failing_notebook_is_reported_with_its_cell(tmp_path, keep_going, after):
    chosen = [_failing_copy(tmp_path), paths.NOTEBOOKS_DIR / "03_directory_split.ipynb"]
    results = runner.run_notebooks(chosen, tmp_path / "out", keep_going=keep_going, progress=False)
    assert [r.status for r in results] == ["failed", after]
    assert results[0].error == "cell [5]: RuntimeError: deliberate"  # In [5] of the executed copy
    assert (tmp_path / "out" / results[0].html).is_file()  # executed copy up to the failure
    assert runner.read_summary(tmp_path / "out").notebooks[0].error == results[0].error
    assert "RuntimeError: deliberate" in (tmp_path / "out" / "index.html").read_text(
        encoding="utf-8"
    )


@pytest.mark.slow
def test_cli_failure_exits_non_zero_and_names_the_cell(tmp_path, monkeypatch):
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    _failing_copy(tmp_path).rename(lessons / "02_broken.ipynb")
    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", lessons)
    result = CliRunner().invoke(cli.main, ["run", "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "FAILED 02_broken.ipynb, cell [5]: RuntimeError: deliberate" in result.output


class _KernelError(Exception):
    """What papermill raises: the kernel's error type and message as attributes."""

    def __init__(self, ename: str, evalue: str, exec_count: int) -> None:
        super().__init__(evalue)
        self.ename, self.evalue, self.exec_count = ename, evalue, exec_count


def test_failure_keeps_the_first_meaningful_line_of_a_keras_error():
    # the exact message of `models.build_cnn(2, 1)` (lesson 07 with -p IMAGE_SIZE 1), Keras 3.15
    evalue = (
        "Exception encountered when calling MaxPooling2D.call().\n\n\x1b[1mComputed output size "
        "would be zero or negative. Received: `inputs.shape=[None 1 1 16]`, `pool_size=[2 2]`, "
        "`strides=(2, 2)`, `padding=valid`.\x1b[0m\n\nArguments received by MaxPooling2D.call():"
        "\n  • args=('<KerasTensor shape=(None, 1, 1, 16)>',)\n  • kwargs=<class 'inspect._empty'>"
    )
    error = runner._failure(_KernelError("ValueError", evalue, 12))
    assert error.startswith(
        "cell [12]: ValueError: Exception encountered when calling MaxPooling2D"
    )
    assert "Computed output size would be zero or negative" in error
    assert "inspect._empty" not in error and "\x1b" not in error


@pytest.mark.parametrize(
    "args, message",
    [
        (["-p", "SEEDS", "7"], "Unknown parameter 'SEEDS'"),
        (["-p", "SEED", "007"], "expects an int like its default 42; '007'"),
        (["-p", "BATCH_SIZE", "five"], "expects an int"),
        (["--notebooks", "42"], "No notebook starts with '42'"),
        (["-p", "BATCH_SIZE", "0"], "BATCH_SIZE must be from 1"),
        (["-p", "IMAGE_SIZE", "1"], "halves the image three times"),
        (["-p", "IMAGE_SIZE", "100000"], "IMAGE_SIZE must be from 32 to 1024"),
        (["-p", "SEED", "-1"], "SEED must be from 0"),
        (["-p", "EPOCHS", "0"], "EPOCHS must be from 1"),
        (["-p", "PER_CLASS", "3"], "PER_CLASS must be from 20"),
        (["-p", "SAMPLE_SIZE", "8"], "SAMPLE_SIZE must be from 32"),
        (["-p", "BENCH_IMAGES", "0"], "BENCH_IMAGES must be from 1"),
        (["-p", "VALIDATION_SPLIT", "0"], "VALIDATION_SPLIT must be a fraction"),
        (["-p", "RATIO", "[0.7, 0.7]"], "Parameter RATIO: Incorrect value"),
        (["-p", "RATIO", "[0.8, 0.2]"], "04_image_data_generator.ipynb needs 3 fractions"),
        (["--notebooks", "03", "-p", "RATIO", "[0.8, 0.1, 0.1]"], "needs 2 fractions"),
        (["--notebooks", "03", "-p", "RATIO", "0.7"], "RATIO expects a tuple like its default"),
        (["-p", "SEED", "1e3"], "SEED expects an int like its default 42; '1e3'"),
        (["-p", "VALIDATION_SPLIT", "1.5"], "VALIDATION_SPLIT must be a fraction"),
        (["-p", "BENCH_ROUNDS", "0"], "BENCH_ROUNDS must be from 1"),
        (["-p", "BENCH_MEGAPIXELS", "0"], "BENCH_MEGAPIXELS must be from 1"),
        (["-p", "LEARNING_RATE", "0"], "LEARNING_RATE must be from 1e-06 to 1.0, got 0.0"),
        (["-p", "ROTATION", "-0.1"], "a fraction of a full turn"),
        (["-p", "FLIP", "None"], "FLIP must be one of horizontal, vertical"),
        (["-p", "DATA_DIR", ".", "--data-dir", "."], "--data-dir or -p DATA_DIR, not both"),
    ],
)
def test_bad_arguments_fail_before_anything_runs(tmp_path, args, message):
    """Bad parameters of every kind: one error line each, and nothing written."""
    result = support.helpers_cli("run", *args, "--out", str(tmp_path / "o"), cwd=tmp_path)
    support.assert_one_line_error(result, message)
    assert list(tmp_path.iterdir()) == []


def test_every_number_a_lesson_takes_is_range_checked():
    """A parameter added to a lesson without a range would reach it unchecked: -1 is refused."""
    notebooks = runner.select_notebooks([])
    numbers = set()
    for notebook in notebooks:
        cells = nbformat.read(notebook, as_version=4).cells
        source = next(c.source for c in cells if "parameters" in c.metadata.get("tags", []))
        for node in ast.parse(source).body:
            default = ast.literal_eval(node.value)
            if isinstance(default, int | float) and not isinstance(default, bool):
                numbers.add(node.targets[0].id)
    assert {"SEED", "LEARNING_RATE", "ROTATION", "BENCH_MEGAPIXELS"} <= numbers
    for name in sorted(numbers):
        with pytest.raises(ValueError, match=name):
            runner.parse_parameters([(name, "-1")], notebooks)
    flips = [("FLIP", "horizontal"), ("ROTATION", "0"), ("LEARNING_RATE", "0.01")]
    assert runner.parse_parameters(flips, notebooks) == {
        "FLIP": "horizontal", "ROTATION": 0.0, "LEARNING_RATE": 0.01
    }  # fmt: skip


def test_bad_data_dir_fails_before_anything_runs(make_dataset, tmp_path):
    missing = _cli("--data-dir", str(tmp_path / "nope"), "--out", str(tmp_path / "o"), cwd=tmp_path)
    assert missing.returncode == 1 and "does not exist" in missing.stderr
    make_dataset({"a": 2, "b": 2}, root=tmp_path / "high" / "dataset")
    high = _cli("--data-dir", str(tmp_path / "high"), "--out", str(tmp_path / "o"), cwd=tmp_path)
    assert high.returncode == 1 and "probably" in high.stderr
    assert not (tmp_path / "o").exists()


@pytest.mark.slow
def test_two_runs_into_different_folders_do_not_interfere(tmp_path):
    commands = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "helpers",
                "run",
                "--notebooks",
                "03",
                "--out",
                str(tmp_path / name),
                "-p",
                "SEED",
                seed,
                "-p",
                "IMAGE_SIZE",
                "32",
            ],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, seed in (("one", "1"), ("two", "2"))
    ]
    for command in commands:
        _, err = command.communicate(timeout=600)
        assert command.returncode == 0, err
    one = json.loads(
        (tmp_path / "one" / "work" / "split" / ".split.json").read_text(encoding="utf-8")
    )
    two = json.loads(
        (tmp_path / "two" / "work" / "split" / ".split.json").read_text(encoding="utf-8")
    )
    assert (one["seed"], two["seed"]) == (1, 2)


def test_parameter_types():
    chosen = runner.select_notebooks(["04"])
    values = runner.parse_parameters(
        [("VALIDATION_SPLIT", "0.25"), ("IMAGE_SIZE", "64"), ("WORK_DIR", "007")], chosen
    )
    assert values == {"VALIDATION_SPLIT": 0.25, "IMAGE_SIZE": 64, "WORK_DIR": "007"}
    assert runner.parse_parameters([("VALIDATION_SPLIT", "0.5")], chosen) == {
        "VALIDATION_SPLIT": 0.5
    }
    assert runner._convert("VALIDATION_SPLIT", "1", 0.2) == 1.0  # an int where a float is expected
    with pytest.raises(ValueError, match="between 0 and 1"):  # Keras: strictly between 0 and 1
        runner.parse_parameters([("VALIDATION_SPLIT", "1")], chosen)


def test_select_notebooks_keeps_lesson_order():
    assert [p.name[:2] for p in runner.select_notebooks(["05", "00", "05"])] == ["00", "05"]
    assert len(runner.select_notebooks()) == 8


def test_write_summary_escapes_html(tmp_path):
    result = runner.NotebookResult("x.ipynb", "failed", error="cell [1]: ValueError: <b>bad</b>")
    page = runner.write_summary([result], tmp_path).read_text(encoding="utf-8")
    assert "&lt;b&gt;bad&lt;/b&gt;" in page and "<b>bad" not in page


def test_relative_work_dir_is_taken_from_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out, work = runner.check_targets("run", paths.SAMPLE_DIR, "mywork")
    assert (out, work) == (tmp_path / "run", tmp_path / "mywork")


def test_parameters_are_read_like_papermill_reads_them():
    import ast

    import papermill

    for notebook in runner.select_notebooks():
        expected = {
            name: ast.literal_eval(info["default"])
            for name, info in papermill.inspect_notebook(str(notebook)).items()
        }
        assert runner._declared(notebook) == expected, notebook.name
