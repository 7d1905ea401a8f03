"""Every self-check is honest, shown three ways for every exercise of every notebook.

One kernel per notebook runs the learner edition from the top, as Run All would, in a
temporary WORK_DIR. At each exercise it runs, each followed by the self-check:

1. the untouched attempt cell: the check must say "not yet" (``AssertionError``, never
   ``NameError``), and, at the first exercise, that is where Run All stops;
2. each wrong answer of ``tests/wrong_answers/NN_*.py`` (after the attempt cell again, so each
   starts from "nothing written yet"): the check must raise ``AssertionError``;
3. the worked solution of the instructor edition: the check must pass.

Then it goes on with the next cells. Each notebook is executed once (module-scoped fixture).
"""

from __future__ import annotations

import json
import runpy
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import support

from helpers import paths
from helpers.plumbing import editions

NAMES = [p.name for p in sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))]
WRONG_DIR = Path(__file__).parent / "wrong_answers"
#: Parameters that make a lesson cheaper (smaller images, less data, a shorter benchmark)
#: without changing what its exercises ask or check. nbval runs the defaults.
FASTER = {
    "04_image_data_generator.ipynb": {"IMAGE_SIZE": 96},
    "05_plotting_batches.ipynb": {"IMAGE_SIZE": 96},
    "06_tf_data_pipelines.ipynb": {"IMAGE_SIZE": 64, "BENCH_IMAGES": 40, "BENCH_ROUNDS": 1},
    "07_train_a_classifier.ipynb": {"PER_CLASS": 150, "SAMPLE_SIZE": 64},
}
CELL_TIMEOUT = 900  # seconds; lesson 07 trains a network in one cell


@dataclass
class Outcome:
    """What running one piece of code in the kernel gave."""

    ok: bool
    ename: str = ""
    evalue: str = ""

    def __str__(self) -> str:
        return "ok" if self.ok else f"{self.ename}: {self.evalue}"


@dataclass
class Exercise:
    number: str
    untouched: Outcome
    wrong: list[tuple[str, Outcome, Outcome]] = field(default_factory=list)  # code, ran, check
    solution: Outcome | None = None


@dataclass
class Report:
    seconds: dict[str, float] = field(default_factory=dict)  # what took time, for the budget
    lesson_errors: list[tuple[int, Outcome]] = field(default_factory=list)
    first_failure: tuple[int, Outcome] | None = None  # where Run All would stop
    first_self_check: int | None = None
    exercises: list[Exercise] = field(default_factory=list)


def wrong_answers(name: str) -> dict[str, list[str]]:
    path = WRONG_DIR / name.replace(".ipynb", ".py")
    return runpy.run_path(str(path))["WRONG_ANSWERS"] if path.is_file() else {}


def _cells(folder: Path, name: str) -> list[dict]:
    return json.loads((folder / name).read_text(encoding="utf-8"))["cells"]


def _source(cell: dict) -> str:
    return "".join(cell["source"])


def _tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


class _Kernel:
    """A python3 kernel started as attendees start it, in `cwd`."""

    def __init__(self, cwd: Path) -> None:
        from jupyter_client.manager import start_new_kernel

        self.manager, self.client = start_new_kernel(
            kernel_name="python3", cwd=str(cwd), env=support.kernel_env(), startup_timeout=120
        )

    def run(self, code: str) -> Outcome:
        reply = self.client.execute_interactive(
            code, timeout=CELL_TIMEOUT, output_hook=lambda msg: None, store_history=False
        )
        content = reply["content"]
        if content["status"] == "ok":
            return Outcome(True)
        return Outcome(False, content.get("ename", "?"), content.get("evalue", ""))

    def stop(self) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


def _run_learner_notebook(name: str, work: Path) -> Report:
    learner = _cells(paths.LEARNER_DIR, name)
    solutions = [_source(c) for c in _cells(paths.NOTEBOOKS_DIR, name) if "solution" in _tags(c)]
    wrong = wrong_answers(name)
    report = Report()
    kernel = _Kernel(paths.LEARNER_DIR)
    try:
        for index, cell in enumerate(learner):
            started = time.perf_counter()
            if cell["cell_type"] != "code" or "self-check" in _tags(cell):
                continue  # self-checks run with their attempt cell
            if "parameters" in _tags(cell):
                settings = {"WORK_DIR": str(work), **FASTER.get(name, {})}
                code = _source(cell) + "\n" + "\n".join(f"{k} = {v!r}" for k, v in settings.items())
                outcome = kernel.run(code)
            elif "attempt" in _tags(cell):
                check_index = next(
                    i for i in range(index + 1, len(learner)) if "self-check" in _tags(learner[i])
                )
                check = _source(learner[check_index])
                number = editions.exercise_id(learner, index)
                assert kernel.run(_source(cell)).ok, f"{name} {number}: the attempt cell fails"
                exercise = Exercise(number, kernel.run(check))
                if report.first_self_check is None:
                    report.first_self_check = check_index
                if report.first_failure is None and not exercise.untouched.ok:
                    report.first_failure = (check_index, exercise.untouched)
                for code in wrong.get(number, []):
                    kernel.run(_source(cell))  # back to "nothing written yet"
                    exercise.wrong.append((code, kernel.run(code), kernel.run(check)))
                kernel.run(_source(cell))
                solution = solutions[len(report.exercises)]
                assert kernel.run(solution).ok, f"{name} {number}: the worked solution fails"
                exercise.solution = kernel.run(check)
                report.exercises.append(exercise)
                report.seconds[f"exercise {number}"] = time.perf_counter() - started
                continue
            else:
                outcome = kernel.run(_source(cell))
            report.seconds[f"cell {index}"] = time.perf_counter() - started
            if not outcome.ok:
                report.lesson_errors.append((index, outcome))
                if report.first_failure is None:
                    report.first_failure = (index, outcome)
    finally:
        kernel.stop()
    return report


@pytest.fixture(scope="module", params=NAMES)
def run(request, tmp_path_factory) -> tuple[str, Report]:
    name = request.param
    return name, _run_learner_notebook(name, tmp_path_factory.mktemp(name[:2]) / "work")


def test_every_exercise_has_at_least_two_recorded_wrong_answers():
    for name in NAMES:
        cells = _cells(paths.NOTEBOOKS_DIR, name)
        solutions = [i for i, cell in enumerate(cells) if "solution" in _tags(cell)]
        numbers = [editions.exercise_id(cells, i) for i in solutions]
        wrong = wrong_answers(name)
        assert sorted(wrong) == sorted(numbers), f"{name}: wrong answers for {sorted(wrong)}"
        for number in numbers:
            assert len(wrong[number]) >= 2, f"{name} exercise {number}: add wrong answers"


@pytest.mark.slow
def test_lesson_cells_run_and_run_all_stops_at_the_first_exercise(run):
    name, report = run
    assert report.lesson_errors == [], f"{name}: lesson cells failed: {report.lesson_errors}"
    index, outcome = report.first_failure
    assert index == report.first_self_check, f"{name}: Run All stops at cell {index}: {outcome}"
    assert outcome.ename == "AssertionError", f"{name}: Run All stops with {outcome}"
    slowest = sorted(report.seconds.items(), key=lambda item: -item[1])[:4]
    total = sum(report.seconds.values())
    print(f"{name}: {total:.0f} s;", ", ".join(f"{k} {v:.1f} s" for k, v in slowest))


@pytest.mark.slow
def test_untouched_attempt_says_not_yet(run):
    name, report = run
    for exercise in report.exercises:
        outcome = exercise.untouched
        assert outcome.ename == "AssertionError", f"{name} {exercise.number}: {outcome}"
        assert "not yet" in outcome.evalue.lower(), f"{name} {exercise.number}: {outcome}"


@pytest.mark.slow
def test_worked_solution_passes(run):
    name, report = run
    assert len(report.exercises) >= 2
    for exercise in report.exercises:
        assert exercise.solution.ok, f"{name} {exercise.number}: {exercise.solution}"


@pytest.mark.slow
def test_every_wrong_answer_is_rejected_with_a_hint(run, record_property):
    name, report = run
    for exercise in report.exercises:
        assert len(exercise.wrong) >= 2, f"{name} {exercise.number}"
        for code, ran, check in exercise.wrong:
            where = f"{name} {exercise.number}, wrong answer:\n{code}\n"
            assert ran.ok, where + f"the wrong answer itself fails: {ran}"
            assert check.ename == "AssertionError", where + f"the self-check gave: {check}"
            assert len(check.evalue) > 20, where + f"no hint in the message: {check}"
    tried = sum(len(exercise.wrong) for exercise in report.exercises)
    # conftest.py adds these up at the end of the run (xdist carries them from its workers)
    record_property("self-checks", (name, len(report.exercises), tried))
    print(f"{name}: {len(report.exercises)} exercises, {tried} wrong answers, all rejected")
