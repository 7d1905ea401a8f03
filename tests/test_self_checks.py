"""Every self-check is honest, shown three ways for every exercise of every notebook.

One kernel per notebook runs the learner edition from the top, as Run All would, in a
temporary WORK_DIR. At each exercise it runs, each followed by the self-check:

1. the untouched attempt cell: the check must say "not yet" (``NotYet``, an
   ``AssertionError``; never ``NameError``), and, at the first exercise, that is where Run
   All stops;
2. each wrong answer of ``tests/wrong_answers/NN_*.py`` (after the attempt cell again, so each
   starts from "nothing written yet"): the check must raise ``NotYet``;
3. the worked solution of the instructor edition: the check must pass.

No check may leave a name in the learner's namespace (an expected value to copy). Then the
names the solution defined are deleted and the lesson goes on with the next cells, as for a
learner who skipped the exercise: no lesson cell may depend on an answer. At the end, every
exercise's solution and check run once more, after every later lesson cell: a correct answer
must pass whatever the learner ran since. Each notebook is executed once (module-scoped fixture).
"""

from __future__ import annotations

import ast
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import check_cases
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
#: What a check raises for "not yet": `helpers.checks.NotYet`, an AssertionError.
NOT_YET = ("NotYet", "AssertionError")
CELL_TIMEOUT = 900  # seconds; lesson 07 trains a network in one cell


@dataclass
class Outcome:
    """What running one piece of code in the kernel gave."""

    ok: bool
    ename: str = ""
    evalue: str = ""
    traceback: tuple[str, ...] = ()  # the lines Jupyter shows

    def __str__(self) -> str:
        return "ok" if self.ok else f"{self.ename}: {self.evalue}"


@dataclass
class Exercise:
    number: str
    untouched: Outcome
    wrong: list[tuple[str, Outcome, Outcome]] = field(default_factory=list)  # code, ran, check
    solution: Outcome | None = None
    left_behind: set[str] = field(default_factory=set)  # names a check added to the namespace
    at_the_end: Outcome | None = None  # the solution and check again, after the whole lesson


@dataclass
class Report:
    seconds: dict[str, float] = field(default_factory=dict)  # what took time, for the budget
    lesson_errors: list[tuple[int, Outcome]] = field(default_factory=list)
    first_failure: tuple[int, Outcome] | None = None  # where Run All would stop
    first_self_check: int | None = None
    exercises: list[Exercise] = field(default_factory=list)


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
        return Outcome(
            False,
            content.get("ename", "?"),
            content.get("evalue", ""),
            tuple(content.get("traceback", ())),
        )

    def names(self) -> set[str]:
        """The names in the kernel's namespace, without IPython's own (``_``, ``_i3``, ``In``)."""
        reply = self.client.execute_interactive(
            "", user_expressions={"names": "sorted(globals())"}, output_hook=lambda msg: None
        )
        names = reply["content"]["user_expressions"]["names"]["data"]["text/plain"]
        found = ast.literal_eval(names)
        return {n for n in found if not re.fullmatch(r"_+|_[iho]+\d*|_\d+|In|Out|exit|quit", n)}

    def check(self, code: str, exercise: Exercise) -> Outcome:
        """Run a self-check; record any name it leaves behind."""
        before = self.names()
        outcome = self.run(code)
        exercise.left_behind |= self.names() - before
        return outcome

    def stop(self) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


def _defined(code: str) -> list[str]:
    """Names a solution defines at the top level (functions, classes, assignments, imports)."""
    names = []
    for node in ast.parse(code).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.append(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign | ast.For | ast.With):
            targets = getattr(node, "targets", None) or [getattr(node, "target", node)]
            for target in targets:
                names += [n.id for n in ast.walk(target) if isinstance(n, ast.Name)]
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names += [(a.asname or a.name).split(".")[0] for a in node.names]
    return sorted(set(names))


def _run_learner_notebook(name: str, work: Path) -> Report:
    learner = _cells(paths.LEARNER_DIR, name)
    solutions = [_source(c) for c in _cells(paths.NOTEBOOKS_DIR, name) if "solution" in _tags(c)]
    wrong = check_cases.wrong_answers(name)
    report = Report()
    kernel = _Kernel(paths.LEARNER_DIR)
    checks: list[tuple[str, str]] = []  # each exercise's solution and self-check
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
                exercise = Exercise(number, Outcome(True))
                exercise.untouched = kernel.check(check, exercise)
                if report.first_self_check is None:
                    report.first_self_check = check_index
                if report.first_failure is None and not exercise.untouched.ok:
                    report.first_failure = (check_index, exercise.untouched)
                for code in wrong.get(number, []):
                    kernel.run(_source(cell))  # back to "nothing written yet"
                    ran = kernel.run(code)
                    exercise.wrong.append((code, ran, kernel.check(check, exercise)))
                kernel.run(_source(cell))
                solution = solutions[len(report.exercises)]
                assert kernel.run(solution).ok, f"{name} {number}: the worked solution fails"
                exercise.solution = kernel.check(check, exercise)
                checks.append((solution, check))
                # go on as a learner who skipped it: the lesson must not need the answer
                kernel.run("".join(f"{n} = ...\n" for n in _defined(solution)))
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
        for exercise, (solution, check) in zip(report.exercises, checks, strict=True):
            kernel.run(solution)
            exercise.at_the_end = kernel.run(check)
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
        wrong = check_cases.wrong_answers(name)
        assert sorted(wrong) == sorted(numbers), f"{name}: wrong answers for {sorted(wrong)}"
        for number in numbers:
            assert len(wrong[number]) >= 2, f"{name} exercise {number}: add wrong answers"


@pytest.mark.slow
def test_lesson_cells_run_and_run_all_stops_at_the_first_exercise(run):
    name, report = run
    assert report.lesson_errors == [], f"{name}: lesson cells failed: {report.lesson_errors}"
    index, outcome = report.first_failure
    assert index == report.first_self_check, f"{name}: Run All stops at cell {index}: {outcome}"
    assert outcome.ename in NOT_YET, f"{name}: Run All stops with {outcome}"
    slowest = sorted(report.seconds.items(), key=lambda item: -item[1])[:4]
    total = sum(report.seconds.values())
    print(f"{name}: {total:.0f} s;", ", ".join(f"{k} {v:.1f} s" for k, v in slowest))


@pytest.mark.slow
def test_untouched_attempt_says_not_yet(run):
    name, report = run
    for exercise in report.exercises:
        outcome = exercise.untouched
        assert outcome.ename in NOT_YET, f"{name} {exercise.number}: {outcome}"
        assert "not yet" in outcome.evalue.lower(), f"{name} {exercise.number}: {outcome}"
        # what the learner sees: one red line, not the check's code above the message
        assert len(outcome.traceback) == 1, f"{name} {exercise.number}: {outcome.traceback}"
        assert "Not yet:" in outcome.traceback[0]


@pytest.mark.slow
def test_worked_solution_passes(run):
    name, report = run
    assert len(report.exercises) >= 2
    for exercise in report.exercises:
        assert exercise.solution.ok, f"{name} {exercise.number}: {exercise.solution}"


@pytest.mark.slow
def test_no_self_check_leaves_an_expected_value_behind(run):
    name, report = run
    for exercise in report.exercises:
        assert not exercise.left_behind, (
            f"{name} {exercise.number}: the self-check left {sorted(exercise.left_behind)} in "
            "the learner's namespace; compute inside the check function (helpers/checks/)"
        )


@pytest.mark.slow
def test_a_correct_answer_passes_after_the_whole_lesson_ran(run):
    # 3.1 once compared with a set a later lesson cell re-made: a correct answer then failed
    name, report = run
    for exercise in report.exercises:
        assert exercise.at_the_end.ok, f"{name} {exercise.number}: {exercise.at_the_end}"


@pytest.mark.slow
def test_every_wrong_answer_is_rejected_with_a_hint(run, record_property):
    name, report = run
    for exercise in report.exercises:
        assert len(exercise.wrong) >= 2, f"{name} {exercise.number}"
        for code, ran, check in exercise.wrong:
            where = f"{name} {exercise.number}, wrong answer:\n{code}\n"
            assert ran.ok, where + f"the wrong answer itself fails: {ran}"
            assert check.ename in NOT_YET, where + f"the self-check gave: {check}"
            assert len(check.evalue) > 20, where + f"no hint in the message: {check}"
    tried = sum(len(exercise.wrong) for exercise in report.exercises)
    # conftest.py adds these up at the end of the run (xdist carries them from its workers)
    record_property("self-checks", (name, len(report.exercises), tried))
    print(f"{name}: {len(report.exercises)} exercises, {tried} wrong answers, all rejected")
