"""Rerun the workshop notebooks with papermill, for instructors (plumbing, not a lesson).

``python -m helpers run`` executes the lessons in order on the bundled sample or
on the instructor's own dataset, and writes executed copies, HTML versions and
a summary (``summary.json`` + ``index.html``) into one output folder.
"""

from __future__ import annotations

import ast
import html
import json
import re
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import psutil
import traitlets
from tqdm import tqdm  # plain bars: these run in a terminal, and tqdm.auto warns in notebooks

from helpers import BadInput, MissingData, NotAFolder, Protected, outputs, paths, split
from helpers.plumbing import data, editions, lab

__all__ = [
    "EDITIONS",
    "LIMITS",
    "KernelMemory",
    "NotebookResult",
    "RunSummary",
    "check_targets",
    "kernel_options",
    "parse_parameters",
    "run_notebooks",
    "read_summary",
    "select_notebooks",
    "write_summary",
]


class KernelMemory:
    """Track the peak resident memory of the processes this one starts (e.g. kernels).

    Use as a context manager; `peak` holds bytes afterwards.

    Examples
    --------
    >>> import subprocess, sys
    >>> with KernelMemory(interval=0.05) as memory:
    ...     _ = subprocess.run([sys.executable, "-c", "import time; time.sleep(0.5)"])
    >>> memory.peak > 0
    True
    """

    def __init__(self, interval: float = 0.1) -> None:
        self.peak = 0
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self) -> None:
        me = psutil.Process()
        while not self._stop.wait(self._interval):
            for child in me.children(recursive=True):
                try:
                    self.peak = max(self.peak, child.memory_info().rss)
                except psutil.Error:
                    continue

    def __enter__(self) -> KernelMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class NotebookResult:
    """How one notebook's run went.

    Parameters
    ----------
    notebook : str
        File name.
    status : {"passed", "failed", "skipped"}
        Outcome.
    seconds : float
        Wall time of the run.
    peak_memory_mb : float
        Peak resident memory of its kernel.
    error : str
        For a failure: the cell and the error's last line.
    output : str
        The executed notebook, relative to the output folder.
    html : str
        Its HTML copy, relative to the output folder.
    """

    notebook: str
    status: str
    seconds: float = 0.0
    peak_memory_mb: float = 0.0
    error: str = ""
    output: str = ""
    html: str = ""


@dataclass
class RunSummary:
    """What ``summary.json`` of a run says: how the lessons ran, and each one's result.

    Parameters
    ----------
    data_dir : str or None
        The dataset given (``--data-dir`` or ``-p DATA_DIR``); None when each lesson used its
        own default (the bundled sample, or lesson 07's larger generated one).
    edition : {"instructor", "learner"}
        Which edition ran.
    parameters : dict
        The other parameters given (``-p``), as the lessons received them, besides WORK_DIR.
    notebooks : list of NotebookResult
        One per notebook, in order.
    """

    data_dir: str | None
    edition: str
    parameters: dict[str, Any]
    notebooks: list[NotebookResult]


def read_summary(folder: str | Path) -> RunSummary:
    """Read the ``summary.json`` a run wrote into `folder`.

    Parameters
    ----------
    folder : str or pathlib.Path
        The ``--out`` folder of ``python -m helpers run``.

    Returns
    -------
    RunSummary
        What it says.

    Raises
    ------
    helpers.MissingData
        If `folder` has no ``summary.json``.
    helpers.BadInput
        If it is not one that `write_summary` wrote (it is named).

    Examples
    --------
    >>> _ = write_summary([NotebookResult("00_setup_check.ipynb", "passed", 3.2)], tmp_path)
    >>> read_summary(tmp_path).notebooks[0].status
    'passed'
    """
    summary = Path(folder) / "summary.json"
    if not summary.is_file():
        raise MissingData(
            f"'{Path(folder)}' has no summary.json: give the --out folder of "
            "`python -m helpers run`."
        )
    try:
        record = json.loads(summary.read_text(encoding="utf-8"))
        return RunSummary(
            data_dir=record["data_dir"],
            edition=record["edition"],
            parameters=dict(record["parameters"]),
            notebooks=[NotebookResult(**row) for row in record["notebooks"]],
        )
    except (OSError, ValueError, TypeError, KeyError) as err:
        raise BadInput(
            f"'{summary}' is not as `python -m helpers run` writes it ({type(err).__name__}: "
            f"{err}): run the lessons again."
        ) from None


def select_notebooks(selection: Sequence[str] = ()) -> list[Path]:
    """The lesson notebooks, all or those whose names start with the given prefixes.

    Parameters
    ----------
    selection : sequence of str, optional
        Prefixes such as ``"01"`` or full names; empty means every lesson.

    Returns
    -------
    list of pathlib.Path
        In lesson order.

    Raises
    ------
    ValueError
        If a prefix matches no notebook.

    Examples
    --------
    >>> [p.name for p in select_notebooks(["03", "01"])]
    ['01_computer_vision_recap.ipynb', '03_directory_split.ipynb']
    """
    lessons = sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
    if not selection:
        return lessons
    chosen = []
    for prefix in selection:
        matches = [p for p in lessons if p.name.startswith(prefix)]
        if not matches:
            names = ", ".join(p.name for p in lessons)
            raise BadInput(f"No notebook starts with {prefix!r}. The lessons are: {names}.")
        chosen += matches
    return sorted(set(chosen))


def _declared(notebook: Path) -> dict[str, Any]:
    """Parameter names of a notebook and their default values, from its ``parameters`` cell.

    Read as plain JSON and `ast`, as papermill reads it, but without importing papermill
    or nbformat (5 s together), so that bad arguments are refused at once.
    """
    try:
        cells = json.loads(Path(notebook).read_text(encoding="utf-8")).get("cells", [])
        for number, cell in enumerate(cells, 1):
            if not isinstance(cell, dict) or not {"cell_type", "source"} <= cell.keys():
                raise ValueError(f"cell {number} has no cell_type or no source")
        sources = [  # (every cell is known to be a dict with a source by now)
            editions.cell_source(c)
            for c in cells
            if c["cell_type"] == "code" and "parameters" in c.get("metadata", {}).get("tags", [])
        ]
        body = ast.parse(sources[0]).body if sources else []
    except (OSError, ValueError, SyntaxError, AttributeError, KeyError, TypeError) as err:
        raise BadInput(
            f"'{notebook}' is not a readable lesson notebook ({type(err).__name__}: {err}). "
            "Restore it, e.g. git checkout -- notebooks/ (this loses your edits to it)."
        ) from None
    found: dict[str, Any] = {}
    for node in body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name):
            try:
                found[target.id] = ast.literal_eval(value)
            except ValueError:
                found[target.id] = ast.get_source_segment(sources[0], value)
    return found


def _article(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def _convert(name: str, text: str, default: Any) -> Any:
    """Turn a command-line string into a value of the default's type, or explain why not."""
    if default is None or isinstance(default, str):
        if not text.strip():  # Path("") is the current folder: never what was meant
            raise BadInput(f"Parameter {name} is empty. Give a value, or leave -p {name} out.")
        return text  # paths and names stay strings, exactly as typed
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        value = text
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif isinstance(default, list | tuple):
        ok = isinstance(value, list | tuple)
        value = list(value) if ok else value
    else:
        ok = True
    if not ok:
        raise BadInput(
            f"Parameter {name} expects {_article(type(default).__name__)} like its default "
            f"{default!r}; {text!r} is not one. Write it as a plain Python value "
            "(e.g. 7, not 007; [0.8, 0.2] for a pair)."
        )
    return value


#: Accepted range of each numeric parameter, and why, checked before anything runs.
LIMITS: dict[str, tuple[float, float, str]] = {
    "IMAGE_SIZE": (
        32,
        1024,
        "lesson 07's network halves the image three times (32 pixels become 4), and a "
        "batch of 32 images of 1024x1024 already takes 400 MB",
    ),
    "SAMPLE_SIZE": (32, 1024, "as for `python -m helpers data sample --size`"),
    "BATCH_SIZE": (1, 512, "a batch holds at least one image; large batches exhaust memory"),
    "SEED": (0, 999_999_999, "NumPy, TensorFlow and split-folders need a non-negative seed"),
    "EPOCHS": (1, 500, "training needs at least one epoch"),
    "PER_CLASS": (20, 5000, "lesson 07 needs images of each class in train, validation and test"),
    "BENCH_IMAGES": (1, 100_000, "the benchmark needs at least one image"),
    "BENCH_ROUNDS": (1, 100, "the benchmark needs at least one timed pass"),
    "BENCH_MEGAPIXELS": (1, 1_000_000, "a benchmark pass holds at least one megapixel"),
    "LEARNING_RATE": (1e-6, 1.0, "a step size outside this range trains nothing or diverges"),
    "ROTATION": (0.0, 0.5, "a fraction of a full turn, either way: 0.5 is half a turn"),
}

#: The random flips lesson 07's FLIP may name (Keras' RandomFlip modes).
FLIPS = ("horizontal", "vertical", "horizontal_and_vertical")


def _check_range(name: str, value: Any, default: Any, notebook: Path) -> None:
    """Refuse a value outside what the notebooks can run with; explain the limit."""
    if name in LIMITS:
        low, high, why = LIMITS[name]
        if not low <= value <= high:
            raise BadInput(f"Parameter {name} must be from {low} to {high}, got {value}: {why}.")
    elif name == "FLIP" and value not in FLIPS:
        raise BadInput(
            f"Parameter FLIP must be one of {', '.join(FLIPS)}, got {value!r}; "
            "leave -p FLIP out for no flips."
        )
    elif name == "VALIDATION_SPLIT" and not 0 < value < 1:
        raise BadInput(
            f"Parameter VALIDATION_SPLIT must be a fraction between 0 and 1 (exclusive), got "
            f"{value}: Keras holds out that share of each training class."
        )
    elif name == "RATIO":
        try:
            split.split_names(value)  # 2 or 3 positive fractions summing to 1
        except ValueError as err:
            raise BadInput(f"Parameter RATIO: {err}") from err
        if len(value) != len(default):
            parts = "train, validation and test" if len(default) == 3 else "train and validation"
            raise BadInput(
                f"Parameter RATIO in {notebook.name} needs {len(default)} fractions ({parts}) "
                f"like its default {list(default)}, got {value}. Run that notebook on its own "
                "(--notebooks) with a matching RATIO."
            )


def parse_parameters(pairs: Sequence[tuple[str, str]], notebooks: Sequence[Path]) -> dict[str, Any]:
    """Check ``-p NAME VALUE`` pairs against the notebooks' parameters cells and type them.

    Parameters
    ----------
    pairs : sequence of (str, str)
        Names and values as typed on the command line.
    notebooks : sequence of pathlib.Path
        The notebooks that will run.

    Returns
    -------
    dict
        ``{name: value}`` with each value of its default's type: ints stay
        ints, floats floats, lists and tuples become lists; parameters whose
        default is ``None`` or a string (``DATA_DIR``) are kept as typed.

    Raises
    ------
    ValueError
        For a name no selected notebook declares (papermill would only warn),
        a value that does not fit the default's type (``SEED 007``), or a value
        outside its range (`LIMITS`; ``RATIO`` must be 2 or 3 fractions summing
        to 1, as many as the notebook's default; ``VALIDATION_SPLIT`` in (0, 1)).

    Examples
    --------
    >>> parse_parameters([("SEED", "7"), ("RATIO", "[0.8, 0.2]")], select_notebooks(["03"]))
    {'SEED': 7, 'RATIO': [0.8, 0.2]}
    """
    per_notebook = {notebook: _declared(notebook) for notebook in notebooks}
    declared: dict[str, Any] = {}
    for defaults in per_notebook.values():
        for name, default in defaults.items():
            declared.setdefault(name, default)
    values = {}
    for name, text in pairs:
        if name not in declared:
            known = ", ".join(sorted(declared))
            raise BadInput(f"Unknown parameter {name!r}; the notebooks declare: {known}.")
        values[name] = _convert(name, text, declared[name])
        for notebook, defaults in per_notebook.items():
            if name in defaults:
                _check_range(name, values[name], defaults[name], notebook)
    return values


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _failure(err: Exception) -> str:
    """``cell [N]: ErrorType: first meaningful line`` of a notebook's failure.

    Keras wraps errors as "Exception encountered when calling X.call()." followed by
    the real reason; both are kept. The "Arguments received" details are dropped.
    """
    cell = getattr(err, "exec_count", None)
    ename, evalue = getattr(err, "ename", type(err).__name__), getattr(err, "evalue", str(err))
    lines = [line.strip() for line in _ANSI.sub("", str(evalue)).splitlines() if line.strip()]
    message = lines[0] if lines else ""
    if message.startswith("Exception encountered when calling") and len(lines) > 1:
        message += " " + lines[1]
    if len(message) > 300:
        message = message[:297] + "..."
    where = f"cell [{cell}]" if cell is not None else "before the first cell"
    return f"{where}: {ename}: {message}"


def check_targets(
    out: str | Path, data_dir: str | Path, work_dir: str | Path | None = None
) -> tuple[Path, Path]:
    """Refuse output folders that would write into lessons, code or data, before anything runs.

    Parameters
    ----------
    out : str or pathlib.Path
        The ``--out`` folder (executed copies and summary).
    data_dir : str or pathlib.Path
        The dataset the notebooks read.
    work_dir : str, pathlib.Path or None, optional
        ``WORK_DIR`` as given (relative to the current folder); None means ``out/work``.

    Returns
    -------
    (pathlib.Path, pathlib.Path)
        `out` and the work folder, absolute with symlinks resolved.

    Raises
    ------
    helpers.Protected
        If `out` or the work folder is, or is inside, the repository's
        ``notebooks/``, ``helpers/`` or ``data/``, `data_dir` or the bundled
        sample; or if `data_dir` lies inside the work folder (the notebooks write
        ``split/``, ``raw_split/``, ``generated/`` … there).
    helpers.NotOurs
        If `out` is a file, or a ``WORK_DIR`` you chose holds files the workshop did not
        write (`helpers.outputs.work_folder`).

    Examples
    --------
    >>> check_targets(tmp_path / "run", paths.SAMPLE_DIR)[1] == (tmp_path / "run" / "work")
    True
    >>> check_targets(tmp_path / "run", paths.SAMPLE_DIR, paths.SAMPLE_DIR)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    helpers.Protected: WORK_DIR '...' is inside the data folder ...
    """
    data_path = paths.resolve(data_dir, "DATA_DIR")
    extra = _protected(data_path)
    out = outputs.refuse_protected(out, "--out", extra=extra)
    label = "--out/work" if work_dir is None else "WORK_DIR"
    work = outputs.refuse_protected(
        out / "work" if work_dir is None else work_dir, label, extra=extra
    )
    if work == out or work in out.parents:
        raise Protected(
            f"WORK_DIR '{work}' is --out or holds it: the lessons delete and rewrite their work "
            "folder. Give WORK_DIR a folder of its own, or leave it out (--out/work)."
        )
    if data_path == work or work in data_path.parents:
        raise Protected(
            f"DATA_DIR '{data_path}' is inside the work folder '{work}', where the notebooks write "
            "their splits and outputs. Choose another --out (or WORK_DIR)."
        )
    if work_dir is not None:
        outputs.work_folder(work, label, protect=extra, create=False)
    for folder, name in ((out, "--out"), (work, label)):
        outputs.refuse_sources_inside(data_path, folder, name)
    if out.exists() and not out.is_dir():
        raise NotAFolder(f"--out '{out}' is a file. Choose a folder for --out.")
    if out in data_path.parents:
        raise Protected(
            f"--out '{out}' holds DATA_DIR '{data_path}': the run replaces its output folder, "
            "so the data would be lost. Choose another --out."
        )
    outputs.check_folder(out, "--out", made_by=MADE_BY, protect=extra)  # before any lesson
    return out, work


def _to_html(executed: Path) -> Path:
    import nbformat
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter().from_notebook_node(nbformat.read(str(executed), as_version=4))
    target = executed.with_suffix(".html")
    outputs.write_atomically(target, body)
    return target


def kernel_options() -> dict[str, Any]:
    """Options for papermill that make kernels encrypt their connection when they can.

    The kernel manager hands each kernel CurveZMQ keys when
    `helpers.plumbing.lab.kernels_can_encrypt`, so ipykernel 7 does not warn "Kernel is
    running over TCP without encryption" in the terminal; otherwise kernels start as before.

    Returns
    -------
    dict
        ``{"kernel_manager_class": ...}``, or an empty dict without CurveZMQ.

    Examples
    --------
    >>> kernel_options()["kernel_manager_class"]().transport_encryption  # PyPI's pyzmq
    'auto'
    """
    from jupyter_client.manager import AsyncKernelManager

    if not lab.kernels_can_encrypt():
        return {}

    class EncryptedKernelManager(AsyncKernelManager):
        """Provision CurveZMQ keys when the kernel spec says it supports them."""

        @traitlets.default("transport_encryption")
        def _encrypt_when_supported(self) -> str:
            return "auto"

    return {"kernel_manager_class": EncryptedKernelManager}


#: The editions `run_notebooks` can execute.
EDITIONS = ("instructor", "learner")


#: Tag the learner edition's exercise cells carry while it runs: nbclient skips such cells.
_SKIP = "skip-execution"


def _learner_input(notebook: Path, folder: Path) -> Path:
    """The learner edition of `notebook`, written into `folder`, its exercise cells to skip.

    Exercises sit between lesson sections: every lesson cell runs, and each exercise's
    answer and self-check cells are kept as attendees get them, unexecuted (`_unskip`).
    """
    source = json.loads(Path(notebook).read_text(encoding="utf-8"))
    learner = editions.learner_notebook(source, notebook.name)
    for cell in learner["cells"]:
        tags = cell["metadata"].get("tags", [])
        if editions.ATTEMPT in tags or editions.SELF_CHECK in tags:
            cell["metadata"]["tags"] = [*tags, _SKIP]
    target = folder / notebook.name
    target.write_text(editions.render(learner), encoding="utf-8")
    return target


def _unskip(executed: Path) -> None:
    """Remove the tag `_learner_input` added, so the copy's cells are tagged as in learner/."""
    notebook = json.loads(executed.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        tags = cell.get("metadata", {}).get("tags", [])
        if _SKIP in tags:
            cell["metadata"]["tags"] = [tag for tag in tags if tag != _SKIP]
    outputs.write_atomically(executed, json.dumps(notebook, indent=1, ensure_ascii=False) + "\n")


def run_notebooks(
    notebooks: Sequence[Path],
    out: str | Path,
    *,
    data_dir: str | Path | None = None,
    parameters: Mapping[str, Any] | None = None,
    keep_going: bool = False,
    progress: bool = True,
    edition: str = "instructor",
) -> list[NotebookResult]:
    """Execute notebooks in order with papermill and write copies, HTML and a summary.

    Parameters
    ----------
    notebooks : sequence of pathlib.Path
        From `select_notebooks`.
    out : str or pathlib.Path
        Output folder; ``WORK_DIR`` defaults to ``out/work`` so that runs into
        different folders never share files. A relative ``WORK_DIR`` in
        `parameters` is taken from the current folder, like `out`.
    data_dir : str, pathlib.Path or None, optional
        Class-per-folder dataset; ``None`` means the bundled sample.
    parameters : mapping, optional
        Further values for the parameters cells (from `parse_parameters`).
    keep_going : bool, optional
        Run the remaining notebooks after a failure (otherwise they are skipped).
    progress : bool, optional
        Show a progress bar across notebooks.
    edition : {"instructor", "learner"}, optional
        ``"instructor"`` runs the notebooks as they are, worked solutions and
        self-checks included. ``"learner"`` makes copies to hand out: the learner
        edition of each notebook (made from `notebooks` as ``python -m helpers
        editions`` makes it), with every lesson cell executed and the exercises
        left as attendees get them: empty answer cells, self-checks not run.

    Returns
    -------
    list of NotebookResult
        One per notebook, in order. ``summary.json`` and ``index.html`` are
        written into `out` too.

    Raises
    ------
    ValueError
        If `data_dir` would break training, or `out` or ``WORK_DIR`` would write
        into the lessons, the code or the data (`check_targets`); nothing runs then.
    FileNotFoundError
        If `data_dir` is missing.

    Examples
    --------
    See ``python -m helpers run --help``; tests/test_runner.py runs it for real.
    """
    if edition not in EDITIONS:
        raise BadInput(f"Unknown edition {edition!r}: choose one of {', '.join(EDITIONS)}.")
    data_path = paths.data_dir(data_dir)
    parameters = dict(parameters or {})
    out, work = check_targets(out, data_path, parameters.get("WORK_DIR"))
    report = data.check(data_path, progress=False)
    if not report.ok:
        raise BadInput(f"DATA_DIR '{data_path}' is not ready: " + " ".join(report.problems))
    import papermill  # noqa: F401  (4 s to import: only once the arguments are known to be good)

    values = {**parameters, "WORK_DIR": str(work)}  # relative to where run was called
    if data_dir is not None:  # otherwise each notebook keeps its own default (07 draws more data)
        values["DATA_DIR"] = str(data_path)
    results = [NotebookResult(notebook.name, "skipped") for notebook in notebooks]
    written = {"summary.json", "index.html", "work"}
    written |= {name for n in notebooks for name in (n.name, n.with_suffix(".html").name)}
    if out in work.parents:  # a WORK_DIR given inside --out: the run's too
        written.add(work.relative_to(out).parts[0])
    claim = outputs.in_place(
        out, "--out", made_by=MADE_BY, records=written.__contains__, protect=_protected(data_path)
    )

    with claim:
        failed = False
        for notebook, result in zip(
            tqdm(notebooks, desc="Notebooks", unit="nb", disable=not progress), results, strict=True
        ):
            if not failed or keep_going:
                _execute(notebook, out, values, edition, result)
                failed = failed or result.status != "passed"
                # recorded now: notes saved into this copy while the next lessons run are
                # the user's, and block the next run instead of being replaced by it
                outputs.write_marker(
                    out,
                    MADE_BY,
                    include={notebook.name, f"{notebook.stem}.html"}.__contains__,
                    update=True,
                )
        given = str(data_path) if data_dir is not None else None
        write_summary(results, out, data_dir=given, edition=edition, parameters=parameters)
    return results


#: Who wrote a run's output folder, in its marker.
MADE_BY = "python -m helpers run"


def _protected(data_path: Path) -> dict[str, Path]:
    return {"DATA_DIR": data_path, "the bundled sample": paths.SAMPLE_ROOT}


def _execute(
    notebook: Path, out: Path, values: Mapping[str, Any], edition: str, result: NotebookResult
) -> None:
    """Run one notebook into `out` with papermill; record how it went in `result`."""
    import papermill

    executed = out / notebook.name
    start = time.perf_counter()
    try:
        declared = _declared(notebook)
    except BadInput as err:  # a broken notebook fails alone: --keep-going runs the others
        result.status, result.error = "failed", str(err)
        return
    with KernelMemory() as memory, outputs.staging_folder(out, ".learner-") as staging:
        source = notebook
        if edition == "learner":
            source = _learner_input(notebook, staging)
        try:
            papermill.execute_notebook(
                str(source),
                str(executed),
                parameters={k: v for k, v in values.items() if k in declared},
                kernel_name="python3",
                cwd=str(out),
                progress_bar=False,
                skip_cells_with_tag=_SKIP,
                **kernel_options(),
            )
            result.status = "passed"
        except Exception as err:  # any failure is reported in the summary, not raised
            result.status, result.error = "failed", _failure(err)
        if executed.exists() and edition == "learner":
            _unskip(executed)
    result.seconds = round(time.perf_counter() - start, 1)
    result.peak_memory_mb = round(memory.peak / 1e6, 1)
    if executed.exists():
        result.output = executed.name
        result.html = _to_html(executed).name


def write_summary(
    results: Sequence[NotebookResult],
    out: str | Path,
    *,
    data_dir: str | None = None,
    edition: str = "instructor",
    parameters: Mapping[str, Any] | None = None,
) -> Path:
    """Write ``summary.json`` (`RunSummary`) and an ``index.html`` linking every executed copy.

    Parameters
    ----------
    results : sequence of NotebookResult
        From `run_notebooks`.
    out : str or pathlib.Path
        The output folder.
    data_dir, edition, parameters
        How the lessons ran, as `RunSummary` records them.

    Returns
    -------
    pathlib.Path
        The ``index.html`` written.

    Examples
    --------
    >>> index = write_summary([NotebookResult("00_setup_check.ipynb", "passed", 3.2)], tmp_path)
    >>> json.loads((tmp_path / "summary.json").read_text())["notebooks"][0]["status"]
    'passed'
    """
    out = Path(out)
    summary = RunSummary(data_dir, edition, dict(parameters or {}), list(results))
    outputs.write_atomically(out / "summary.json", json.dumps(asdict(summary), indent=2))
    rows = []
    for r in results:
        link = (
            f'<a href="{html.escape(r.html)}">{html.escape(r.notebook)}</a>'
            if r.html
            else html.escape(r.notebook)
        )
        download = f' (<a href="{html.escape(r.output)}">ipynb</a>)' if r.output else ""
        rows.append(
            f'<tr class="{r.status}"><td>{link}{download}</td><td>{r.status}</td>'
            f"<td>{r.seconds:.1f}</td><td>{r.peak_memory_mb:.0f}</td><td>{html.escape(r.error)}</td></tr>"
        )
    page = (
        "<!doctype html><meta charset='utf-8'><title>Workshop run</title>"
        "<style>body{font-family:sans-serif}td,th{padding:4px 10px;text-align:left}"
        ".failed{background:#fdd}.skipped{color:#888}</style>"
        "<h1>Image Data Pipelines in Python: executed notebooks</h1><table>"
        "<tr><th>notebook</th><th>status</th><th>seconds</th>"
        "<th>kernel peak MB</th><th>error</th></tr>" + "".join(rows) + "</table>"
    )
    index = out / "index.html"
    outputs.write_atomically(index, page)
    return index
