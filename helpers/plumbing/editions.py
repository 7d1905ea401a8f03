"""The two editions of the notebooks (plumbing, not a lesson).

``notebooks/`` is the single source, the *instructor edition*: every exercise has a
worked answer in a cell tagged ``solution``, followed by a check cell tagged
``self-check``; the model answer of an "explain" prompt is a markdown cell tagged
``solution-text``. ``python -m helpers editions`` writes the *learner edition* into
``learner/`` (same file names), without the ``solution-text`` cells; each ``solution``
cell becomes an ``attempt`` cell that only says what to write and sets the names the
self-check reads to ``...``, so that the self-check answers "not yet" (``AssertionError``),
never ``NameError``.
The learner edition is committed; ``editions --check`` (and a test) say when it is stale.

Examples
--------
>>> source = {"cells": [
...     {"cell_type": "markdown", "metadata": {}, "source": ["### Exercise 9.1: total (2 min)"]},
...     {"cell_type": "code", "metadata": {"tags": ["solution"]}, "outputs": [],
...      "execution_count": None, "source": ["total = sum(counts.values())"]},
...     {"cell_type": "code", "metadata": {"tags": ["self-check"]}, "outputs": [],
...      "execution_count": None, "source": ["assert total is not ...\\n", "print('passed')"]},
... ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
>>> learner = learner_notebook(source, "09_demo.ipynb")
>>> [cell["id"] for cell in learner["cells"][:2]]  # the Colab cells come first
['09-colab-badge', '09-colab-setup']
>>> print("".join(learner["cells"][-2]["source"]))
# Exercise 9.1: write your answer in this cell, then run it and the self-check below.
# The self-check expects:
#   - a variable `total`
# Replace the ... in `total = ...` with your own code.
total = ...
"""

from __future__ import annotations

import ast
import copy
import json
import re
from pathlib import Path
from typing import Any

from helpers import BadInput, MissingData, outputs, paths
from helpers.plumbing import colab

__all__ = [
    "ATTEMPT",
    "SELF_CHECK",
    "SOLUTION",
    "SOLUTION_TEXT",
    "cell_source",
    "exercise_id",
    "expected_names",
    "learner_notebook",
    "render",
    "stale_notebooks",
    "top_cells",
    "write_learner_edition",
]

#: Cell tags (an interface: README's "Two editions", the tests and the tools rely on them).
SOLUTION, ATTEMPT, SELF_CHECK = "solution", "attempt", "self-check"
#: A markdown cell of the instructor edition only: the model answer of an "explain" prompt.
SOLUTION_TEXT = "solution-text"

_EXERCISE = re.compile(r"^###\s+Exercise\s+([0-9]+\.[0-9]+)", re.M)

Cell = dict[str, Any]
Notebook = dict[str, Any]


def top_cells(notebook_name: str) -> list[Cell]:
    """Cells inserted at the top of each learner notebook, right after the lesson's title.

    The Colab cells go here, and only here: the "Open in Colab" badge and the
    ``bootstrap`` cell that sets the notebook up where the workshop is not installed
    (`helpers.plumbing.colab.colab_cells`).

    Parameters
    ----------
    notebook_name : str
        File name of the notebook, e.g. ``"00_setup_check.ipynb"``.

    Returns
    -------
    list of dict
        Notebook cells (nbformat 4 dictionaries, without outputs).

    Examples
    --------
    >>> [cell["id"] for cell in top_cells("00_setup_check.ipynb")]
    ['00-colab-badge', '00-colab-setup']
    """
    return colab.colab_cells(notebook_name)


def cell_source(cell: Cell) -> str:
    """A notebook cell's source as one text (nbformat stores it as a list of lines or a text).

    Examples
    --------
    >>> cell_source({"source": ["a = 1\\n", "b = 2"]})
    'a = 1\\nb = 2'
    """
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _lines(text: str) -> list[str]:
    """Text as nbformat stores it on disk: a list of lines that keep their newlines."""
    return text.splitlines(keepends=True)


def _tags(cell: Cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def exercise_id(cells: list[Cell], index: int) -> str:
    """The number of the exercise that the cell at `index` belongs to ("1.2").

    It is read from the nearest ``### Exercise N.M`` heading above the cell.

    Examples
    --------
    >>> exercise_id([{"cell_type": "markdown", "source": "### Exercise 2.1: x"}], 0)
    '2.1'
    """
    for cell in reversed(cells[: index + 1]):
        if cell.get("cell_type") == "markdown":
            found = _EXERCISE.findall(cell_source(cell))
            if found:
                return found[-1]
    return "?"


def expected_names(solution: str, check: str) -> list[tuple[str, str]]:
    """The names a self-check reads that the worked solution defines, with how to describe them.

    Only top-level assignments and functions of the solution count (not loop variables),
    and only names the check reads without setting them itself.

    Parameters
    ----------
    solution : str
        Source of the ``solution`` cell.
    check : str
        Source of its ``self-check`` cell.

    Returns
    -------
    list of (str, str)
        ``(name, description)`` in the order the solution defines them; the
        description is ``"a function `f(a, b)`"`` or ``"a variable `x`"``.

    Examples
    --------
    >>> expected_names("def f(a, b=2):\\n    return a\\nx = 1\\ny = 2", "assert f(1) == x")
    [('f', 'a function `f(a, b=2)`'), ('x', 'a variable `x`')]
    """
    defined: dict[str, str] = {}
    for node in ast.parse(solution).body:
        if isinstance(node, ast.FunctionDef):
            args = ast.unparse(node.args)
            defined.setdefault(node.name, f"a function `{node.name}({args})`")
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        defined.setdefault(name.id, f"a variable `{name.id}`")
    names = [node for node in ast.walk(ast.parse(check)) if isinstance(node, ast.Name)]
    bound_by_check = {node.id for node in names if not isinstance(node.ctx, ast.Load)}
    read = {node.id for node in names if isinstance(node.ctx, ast.Load)} - bound_by_check
    return [(name, text) for name, text in defined.items() if name in read]


def _how_to_replace(name: str, description: str) -> str:
    """One comment line: what replaces the placeholder line ``name = ...``."""
    if description.startswith("a function"):
        signature = description.split("`")[1]
        return f"# Replace the line `{name} = ...` with your function: def {signature}: ...\n"
    return f"# Replace the ... in `{name} = ...` with your own code.\n"


def _attempt_cell(solution: Cell, check: Cell, number: str, where: str) -> Cell:
    names = expected_names(cell_source(solution), cell_source(check))
    if not names:
        raise BadInput(
            f"{where}: the self-check of exercise {number} reads no name that its solution "
            "defines, so the learner edition could not say what to write. Make the self-check "
            "use the solution's variables or functions."
        )
    text = (
        f"# Exercise {number}: write your answer in this cell, then run it and the self-check "
        "below.\n"
        "# The self-check expects:\n"
        + "".join(f"#   - {description}\n" for _, description in names)
        + "".join(_how_to_replace(name, description) for name, description in names)
        + "".join(f"{name} = ...\n" for name, _ in names)
    ).rstrip("\n")
    cell: Cell = {
        "cell_type": "code",
        "execution_count": None,
        "metadata": {"tags": [ATTEMPT]},
        "outputs": [],
        "source": _lines(text),
    }
    if "id" in solution:
        cell["id"] = solution["id"]
    return cell


def _clean(cell: Cell) -> Cell:
    cell = copy.deepcopy(cell)
    if cell.get("cell_type") == "code":
        cell["outputs"], cell["execution_count"] = [], None
    return cell


def _after_title(cells: list[Cell]) -> int:
    """Where the Colab cells go: after the first cell if it is the lesson's title, else first."""
    first = cells[0] if cells else {}
    title = first.get("cell_type") == "markdown" and cell_source(first).lstrip().startswith("# ")
    return 1 if title else 0


def learner_notebook(source: Notebook, name: str) -> Notebook:
    """The learner edition of one notebook: solutions replaced by attempt cells, no outputs.

    Parameters
    ----------
    source : dict
        The instructor notebook as read from JSON (nbformat 4).
    name : str
        Its file name, for `top_cells` and for error messages.

    Returns
    -------
    dict
        A new notebook; `source` is not changed.

    Raises
    ------
    ValueError
        If a ``solution`` cell is not followed by a ``self-check`` code cell, or
        the self-check reads no name the solution defines.

    Examples
    --------
    See the module's example.
    """
    cells = source.get("cells", [])
    result: list[Cell] = []
    for index, cell in enumerate(cells):
        if SOLUTION_TEXT in _tags(cell):
            continue  # a model answer in words: instructors only
        if SOLUTION not in _tags(cell):
            result.append(_clean(cell))
            continue
        number = exercise_id(cells, index)
        check = next((c for c in cells[index + 1 :] if c.get("cell_type") == "code"), None)
        if check is None or SELF_CHECK not in _tags(check):
            raise BadInput(
                f"{name}: the solution of exercise {number} is not followed by a code cell "
                f"tagged '{SELF_CHECK}'. Tag the check cell after it in notebooks/{name}."
            )
        result.append(_attempt_cell(cell, check, number, name))
    at = _after_title(cells)  # the lesson's title first, then the Colab cells
    result[at:at] = [_clean(top) for top in top_cells(name)]
    notebook = copy.deepcopy({key: value for key, value in source.items() if key != "cells"})
    notebook["cells"] = result
    return notebook


def render(notebook: Notebook) -> str:
    """A notebook as text, formatted exactly as nbformat and nbstripout store it.

    Examples
    --------
    >>> render({"cells": [], "nbformat": 4})
    '{\\n "cells": [],\\n "nbformat": 4\\n}\\n'
    """
    return json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _sources(source_dir: Path) -> list[Path]:
    found = sorted(Path(source_dir).glob("[0-9][0-9]_*.ipynb"))
    if not found:
        raise MissingData(f"No lesson notebooks (NN_*.ipynb) in '{source_dir}'.")
    return found


def _learner_text(path: Path) -> str:
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as err:
        raise BadInput(f"'{path}' is not a readable notebook ({err}). Restore it.") from err
    return render(learner_notebook(notebook, path.name))


def stale_notebooks(
    source_dir: str | Path | None = None, target_dir: str | Path | None = None
) -> list[str]:
    """What is out of date in the learner edition, one readable line per notebook.

    Parameters
    ----------
    source_dir, target_dir : str or pathlib.Path, optional
        The instructor notebooks and the learner edition (default ``notebooks/``
        and ``learner/``).

    Returns
    -------
    list of str
        Empty when every learner notebook is exactly what `write_learner_edition`
        would write and no extra notebook lies in `target_dir`.

    Examples
    --------
    >>> _ = write_learner_edition(target_dir=tmp_path)
    >>> stale_notebooks(target_dir=tmp_path)
    []
    >>> _ = (tmp_path / "00_setup_check.ipynb").write_text("{}")
    >>> stale_notebooks(target_dir=tmp_path)  # doctest: +ELLIPSIS
    ['...00_setup_check.ipynb: differs from what 00_setup_check.ipynb gives']
    """
    source_dir = Path(source_dir or paths.NOTEBOOKS_DIR)
    target_dir = Path(target_dir or paths.LEARNER_DIR)
    problems = []
    names = set()
    for path in _sources(source_dir):
        names.add(path.name)
        target = target_dir / path.name
        if not target.is_file():
            problems.append(f"{target}: missing")
        elif target.read_text(encoding="utf-8") != _learner_text(path):
            problems.append(f"{target}: differs from what {path.name} gives")
    for extra in sorted(target_dir.glob("*.ipynb")):
        if extra.name not in names:
            problems.append(f"{extra}: no notebook of that name in {source_dir}; remove it")
    if not problems and outputs.foreign_entries(target_dir) != []:
        problems.append(f"{target_dir / outputs.MARKER}: missing or out of date")
    return problems


def _has_work(path: Path) -> bool:
    """True if someone worked in a learner notebook: outputs, execution counts, or an answer
    typed into an answer cell (a line that is neither a comment nor a ``name = ...`` blank)."""
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return True
    code = [cell for cell in notebook.get("cells", []) if cell.get("cell_type") == "code"]
    if any(cell.get("outputs") or cell.get("execution_count") is not None for cell in code):
        return True
    return any(
        line.strip() and not line.lstrip().startswith("#") and not _BLANK.fullmatch(line.strip())
        for cell in code
        if ATTEMPT in _tags(cell)
        for line in cell_source(cell).splitlines()
    )


#: The blank an answer cell holds until the learner replaces it: ``name = ...``.
_BLANK = re.compile(r"[A-Za-z_]\w* = \.\.\.")


def write_learner_edition(
    source_dir: str | Path | None = None,
    target_dir: str | Path | None = None,
    *,
    force: bool = False,
) -> list[Path]:
    """Write the learner edition of every lesson notebook; deterministic, byte for byte.

    Parameters
    ----------
    source_dir : str or pathlib.Path, optional
        The instructor notebooks (default ``notebooks/``).
    target_dir : str or pathlib.Path, optional
        Where the learner edition goes (default ``learner/``); created if missing.
    force : bool, optional
        Overwrite learner notebooks that hold outputs. Without it such a notebook
        (someone ran it and saved it there) is refused before anything is written.

    Returns
    -------
    list of pathlib.Path
        The notebooks whose content changed (unchanged files are not rewritten).

    Raises
    ------
    ValueError
        If a learner notebook holds someone's work and `force` is False, or an
        exercise lacks its self-check (see `learner_notebook`).
    FileNotFoundError
        If `source_dir` holds no lesson notebooks.

    Examples
    --------
    >>> written = write_learner_edition(target_dir=tmp_path)
    >>> sorted(p.name for p in written)[0]
    '00_setup_check.ipynb'
    >>> write_learner_edition(target_dir=tmp_path)
    []
    """
    source_dir = Path(source_dir or paths.NOTEBOOKS_DIR)
    target_dir = Path(target_dir or paths.LEARNER_DIR)
    texts = {path.name: _learner_text(path) for path in _sources(source_dir)}
    changed = [
        target_dir / name
        for name, text in texts.items()
        if not (target_dir / name).is_file()
        or (target_dir / name).read_text(encoding="utf-8") != text
    ]
    for path in changed:
        outputs.refuse_links_below(target_dir, path, "The learner edition")
    worked_in = [path for path in changed if path.is_file() and _edited(path)]
    if worked_in and not force:
        raise BadInput(
            f"'{worked_in[0]}' was changed after `editions` wrote it (outputs, answers, notes): "
            "someone worked in it. Save that work elsewhere (File > Save Notebook As...), then "
            "rerun with --force to overwrite it."
        )
    target_dir.mkdir(parents=True, exist_ok=True)
    for path in changed:  # replaced in one step each: a link there is replaced, not followed
        outputs.write_atomically(path, texts[path.name])
    if changed or not (target_dir / outputs.MARKER).is_file():
        outputs.write_marker(target_dir, MADE_BY, include=texts.__contains__)
    return changed


#: Who wrote the learner edition, in learner/'s marker (sizes and SHA-256 of each notebook).
MADE_BY = "python -m helpers editions"


def _edited(path: Path) -> bool:
    """Whether a learner notebook changed since `editions` wrote it (its marker says), or, for
    a folder without a marker, whether someone visibly worked in it (`_has_work`)."""
    foreign = outputs.foreign_entries(path.parent)
    if foreign is None:  # no marker: only the committed version is known not to be anyone's work
        return _has_work(path) or not _as_committed(path)
    return path in foreign


def _as_committed(path: Path) -> bool:
    """Whether `path` is exactly as git's last commit has it (False outside a git checkout)."""
    import subprocess

    try:
        relative = path.resolve().relative_to(paths.REPO_ROOT)
        committed = subprocess.run(
            ["git", "show", f"HEAD:{relative.as_posix()}"],
            cwd=paths.REPO_ROOT,
            capture_output=True,
            check=True,
        ).stdout
    except (ValueError, OSError, subprocess.CalledProcessError):
        return False
    return committed == path.read_bytes()
