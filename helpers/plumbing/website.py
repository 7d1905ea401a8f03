"""The lesson website: ``python -m helpers site`` (``make site``) builds ``build/site/``.

Every lesson notebook is executed on the bundled sample by `helpers.plumbing.runner` (the same run
instructors use), so the pages always show the outputs of the code as committed. The
executed copies are then prepared for the site (solutions folded into a "Solution"
dropdown, alt text for every figure, links between pages) and rendered by Sphinx with
myst-nb and the book theme, with execution switched off. The Sphinx configuration is
``docs/conf.py``; the pages besides the lessons are listed in `PAGES`.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpers import BadInput, StepFailed, outputs, paths
from helpers.plumbing import release

__all__ = [
    "BREAKS",
    "LEARNER_PATH",
    "PAGES",
    "REF",
    "REPOSITORY",
    "SITE_URL",
    "SiteResult",
    "alt_text",
    "build_site",
    "launch_urls",
    "lesson_times",
    "prepare_notebook",
    "references_page",
    "rewrite_links",
    "schedule_page",
]

#: The repository on GitHub (owner/name) and the branch that launch buttons and links to
#: repository files open: the workshop branch of `helpers.plumbing.release`, as the badges.
#: The Pages workflow builds the site from main; the guide says when to move the branch.
REPOSITORY = release.REPOSITORY
REF = release.REF
#: Where the GitHub Pages workflow publishes the site.
SITE_URL = "https://image-pipelines-workshop.github.io/image-data-pipelines/"

#: Markdown pages of the site besides the lessons: ``{page in the site: file in the repository}``.
#: The toctree in docs/index.md lists them. The others are generated (schedule: the lessons'
#: times; references: CITATION.cff).
PAGES = {
    "setup.md": "SETUP.md",
    "guide.md": "instructors/guide.md",
    "glossary.md": "docs/glossary.md",
}

#: Breaks in the schedule: ``{lesson number after which it comes: (name, minutes)}``.
#: With them the day is about six hours, 00-05 about four (instructors/guide.md, Timings).
BREAKS = {"02": ("Coffee break", 15), "04": ("Lunch", 30), "06": ("Break", 15)}
#: The schedule's clock starts here (instructors shift it to their own start).
DAY_START = (9, 0)

#: The folder in the repository that launch buttons open (the learner edition).
LEARNER_PATH = paths.LEARNER_DIR.name

_CONF_DIR = paths.REPO_ROOT / "docs"
_TIME_TO_LEARN = re.compile(r"Time to learn\*\*: (\d+) minutes \(teaching (\d+), exercises (\d+)\)")


def launch_urls(notebook: str) -> dict[str, str]:
    """Binder and Colab links that open the learner edition of a lesson.

    Parameters
    ----------
    notebook : str
        File name in ``notebooks/`` (the learner edition uses the same names).

    Returns
    -------
    dict
        ``{"binder": url, "colab": url}``, both at `REF`.

    Examples
    --------
    >>> launch_urls("01_computer_vision_recap.ipynb")["colab"]  # doctest: +ELLIPSIS
    'https://colab.research.google.com/github/.../blob/workshop/learner/01_computer_vision_recap.ipynb'
    """
    learner = f"{LEARNER_PATH}/{notebook}"
    return {"binder": release.binder_url(learner), "colab": release.colab_url(learner)}


def _source(cell: Mapping[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def lesson_times(notebook: str | Path) -> tuple[str, int, int]:
    """A lesson's title and its teaching and exercise minutes, from its "Time to learn" line.

    Parameters
    ----------
    notebook : str or pathlib.Path
        A lesson notebook.

    Returns
    -------
    (str, int, int)
        The title (its H1 without the number) and the minutes.

    Raises
    ------
    ValueError
        If the notebook has no "Time to learn" line of the usual form.

    Examples
    --------
    >>> lesson_times(paths.NOTEBOOKS_DIR / "00_setup_check.ipynb")
    ('Setup check', 5, 5)
    """
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    text = "\n".join(_source(c) for c in cells if c["cell_type"] == "markdown")
    found = _TIME_TO_LEARN.search(text)
    if not found:
        raise BadInput(
            f"{Path(notebook).name} has no line '- **Time to learn**: N minutes (teaching T, "
            "exercises E)' in its header; add one (the schedule is made from it)."
        )
    heading = re.search(r"^# (.+)$", text, re.M)
    title = heading.group(1).split("·", 1)[-1].strip() if heading else Path(notebook).stem
    return title, int(found.group(2)), int(found.group(3))


def _clock(minutes: int) -> str:
    hours, mins = divmod(DAY_START[0] * 60 + DAY_START[1] + minutes, 60)
    return f"{hours:02d}:{mins:02d}"


def schedule_page(notebooks: Sequence[Path]) -> str:
    """The schedule as Markdown: each lesson and break with its clock time.

    Parameters
    ----------
    notebooks : sequence of pathlib.Path
        The lessons, in order.

    Returns
    -------
    str
        A page with one table row per lesson and per break (`BREAKS`).

    Examples
    --------
    >>> page = schedule_page(sorted(paths.NOTEBOOKS_DIR.glob("0[0-2]_*.ipynb")))
    >>> print(page.splitlines()[8])
    | 09:00 | [00 · Setup check](00_setup_check.ipynb) | 5 | 5 | 10 |
    """
    rows, start = [], 0
    for notebook in notebooks:
        title, teach, exercises = lesson_times(notebook)
        number = notebook.name[:2]
        link = f"[{number} · {title}]({notebook.name})"
        total = teach + exercises
        rows.append(f"| {_clock(start)} | {link} | {teach} | {exercises} | {total} |")
        start += total
        if number in BREAKS:
            name, minutes = BREAKS[number]
            rows.append(f"| {_clock(start)} | *{name}* | | | {minutes} |")
            start += minutes
    lessons = sum(sum(lesson_times(n)[1:]) for n in notebooks)
    return "\n".join(
        [
            "# Schedule",
            "",
            f"A one-day workshop from {_clock(0)} to {_clock(start)}: {lessons // 60} h "
            f"{lessons % 60:02d} of lessons and {(start - lessons)} minutes of breaks. The times "
            "come from each lesson's *Time to learn* (the [instructor guide](guide.md) has the "
            "same numbers, with run times and memory); shift the clock to your own start.",
            "",
            "Teaching and exercise times are estimates for a first run with a mixed audience.",
            "",
            "| time | lesson | teaching (min) | exercises (min) | total (min) |",
            "|---|---|---|---|---|",
            *rows,
            f"| {_clock(start)} | *End* | | | |",
            "",
        ]
    )


def references_page(citation: Mapping[str, Any]) -> str:
    """References and how to cite, from ``CITATION.cff`` (already parsed).

    Examples
    --------
    >>> cff = {"title": "W", "version": "1", "repository-code": "https://x", "references": [
    ...     {"type": "blog", "title": "Post", "authors": [{"family-names": "B",
    ...      "given-names": "A"}], "date-published": "2022-05-06", "url": "https://p"}]}
    >>> print(references_page(cff).splitlines()[-1])
    - B, A. (2022). *Post*. <https://p>
    """
    authors = ", ".join(a.get("name", "") for a in citation.get("authors", []))
    lines = [
        "# References and how to cite",
        "",
        "## How to cite this workshop",
        "",
        (citation.get("message") or "").strip(),
        "",
        f"> {authors or 'The workshop contributors'}. *{citation['title']}*, version "
        f"{citation['version']}. <{citation['repository-code']}>",
        "",
        "The repository's `CITATION.cff` holds the same in a machine-readable form "
        "(GitHub shows it as *Cite this repository*).",
        "",
        "## References",
        "",
    ]
    for ref in citation.get("references", []):
        names = "; ".join(
            f"{a['family-names']}, {a['given-names'][0]}." for a in ref.get("authors", [])
        )
        year = ref.get("year") or str(ref.get("date-published", ""))[:4]
        where = ""
        if ref.get("journal"):
            where = f" *{ref['journal']}*, {ref.get('volume', '')}({ref.get('issue', '')}), "
            where += f"{ref.get('start', '')}."
        link = f"https://doi.org/{ref['doi']}" if ref.get("doi") else ref.get("url", "")
        title = ref["title"].rstrip(".")
        title = f"*{title}*" if not where else title
        lines.append(f"- {names} ({year}). {title}.{where}" + (f" <{link}>" if link else ""))
    return "\n".join(lines) + "\n"


_LINK = re.compile(r"(\]\()(?!https?://|mailto:|#)([^)\s]+)(\))")


def rewrite_links(text: str, source: str, pages: Mapping[str, str] | None = None) -> str:
    """Point a page's relative Markdown links at site pages, or else at the repository.

    Parameters
    ----------
    text : str
        Markdown.
    source : str
        Where the text lives in the repository (``"instructors/guide.md"``).
    pages : mapping, optional
        ``{page in the site: file in the repository}``; lessons are added to it.

    Returns
    -------
    str
        The text with each relative link replaced: a link to a page of the site becomes
        that page (all pages sit side by side), any other file a link to it on GitHub.

    Examples
    --------
    >>> rewrite_links("[lesson 02](02_generators.ipynb)", "notebooks/01_x.ipynb")
    '[lesson 02](02_generators.ipynb)'
    >>> rewrite_links("[data](../data/README.md#x)", "instructors/guide.md")  # doctest: +ELLIPSIS
    '[data](https://github.com/image-pipelines-workshop/.../blob/workshop/data/README.md#x)'
    >>> rewrite_links("[![Binder](https://b.org/b.svg)](https://b.org/v2/x)", "SETUP.md")
    '[Binder](https://b.org/v2/x)'
    """
    site = {repo: page for page, repo in {**PAGES, **(pages or {})}.items()}
    for notebook in paths.NOTEBOOKS_DIR.glob("*.ipynb"):
        site[f"notebooks/{notebook.name}"] = notebook.name
    folder = Path(source).parent

    def replace(match: re.Match) -> str:
        target, _, anchor = match.group(2).partition("#")
        anchor = f"#{anchor}" if anchor else ""
        parts: list[str] = []
        for part in (folder / target).as_posix().split("/"):
            if part == "..":
                if parts:
                    parts.pop()
            elif part not in ("", "."):
                parts.append(part)
        repo_path = "/".join(parts)
        if repo_path in site:
            new = site[repo_path] + anchor
        else:
            kind = "tree" if not Path(repo_path).suffix else "blob"
            new = f"https://github.com/{REPOSITORY}/{kind}/{REF}/{repo_path}{anchor}"
        return f"{match.group(1)}{new}{match.group(3)}"

    return _LINK.sub(replace, _BADGE.sub(r"[\1](\2)", text))


#: A badge: an image from another site inside a link, ``[![Binder](https://...svg)](url)``.
#: The site shows its text as a plain link instead, so that pages load nothing from outside.
_BADGE = re.compile(r"\[!\[([^\]]*)\]\(https?://[^)]+\)\]\(([^)]+)\)")


#: What each plotting helper draws, for alt text.
_DRAWINGS = {
    "plot_memory": "Line chart of peak memory (MB) against the number of images, for a list "
    "of decoded images and for a generator",
    "plot_benchmark": "Bar chart of images per second for each image loader, fastest at the top",
    "plot_history": "Learning curves: loss and accuracy per epoch, training against validation",
    "plot_confusion_matrix": "Confusion matrix: counts of test images per true class (rows) "
    "and predicted class (columns)",
    "show_generator_images": "A batch of images from the iterator, each titled with its class",
    "show_batch": "A batch of images, each titled with its class",
    "show_images": "Images in a grid",
}


def _titles(code: str) -> list[str]:
    """Literal titles in a cell's code: ``titles=[...]``, ``set_title(...)``, ``title(...)``."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    found: list[str] = []

    def literal(node: ast.AST) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.JoinedStr):  # f-string: keep it if it is mostly text
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            return text.strip(" :") + " …" if len(text.strip()) > 8 else None
        return None

    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "attr", getattr(node.func, "id", ""))
        candidates: list[ast.AST] = []
        if name in ("set_title", "title", "suptitle") and node.args:
            candidates.append(node.args[0])
        for keyword in node.keywords:
            if keyword.arg == "titles" and isinstance(keyword.value, ast.List | ast.Tuple):
                candidates += keyword.value.elts
        second = node.args[1] if len(node.args) > 1 else None
        if name == "show_images" and isinstance(second, ast.List | ast.Tuple):
            candidates += second.elts
        found += [text for text in map(literal, candidates) if text]
    return list(dict.fromkeys(found))


def _closest_sentence(markdown: str) -> str:
    """The last sentence of a Markdown cell (the one just above a figure), or its heading."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)  # links: keep their text
    text = re.sub(r"[*`]", "", text)
    lines = text.splitlines()
    headings = [line.lstrip("#").strip() for line in lines if line.startswith("#")]
    body = "\n".join("" if line.startswith("#") else line for line in lines)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]
    prose = [p for p in paragraphs if not p.startswith(("|", "-", ">"))]
    if not prose:
        return re.sub(r"^[\d.]+\s*", "", headings[-1]) + "." if headings else ""
    sentences = re.split(r"(?<=[.!?])\s+", " ".join(prose[-1].split()))
    sentence = sentences[-1]
    if len(sentence) < 50 and len(sentences) > 1 and len(sentences[-2]) < 190:
        sentence = f"{sentences[-2]} {sentence}"
    return sentence if len(sentence) <= 240 else sentence[:237] + "..."


def alt_text(code: str, context: str = "") -> str:
    """Alt text for the figures a code cell draws: what is drawn, its titles, and why.

    Parameters
    ----------
    code : str
        The cell's source.
    context : str, optional
        The Markdown cell before it; its last sentence (or its heading) introduces the figure.

    Returns
    -------
    str
        One or two sentences, never empty.

    Examples
    --------
    >>> code = 'plotting.show_images([a, b], titles=["BGR (wrong)", "RGB (right)"])'
    >>> print(alt_text(code, "`cv2.cvtColor` puts the channels in the order Matplotlib expects:"))
    ... # doctest: +NORMALIZE_WHITESPACE
    Images in a grid, titled: BGR (wrong); RGB (right). cv2.cvtColor puts the channels in the order
    Matplotlib expects:
    >>> alt_text("fig = plotting.plot_history(history.history)")
    'Learning curves: loss and accuracy per epoch, training against validation.'
    """
    called = re.findall(r"\b(\w+)\(", code)
    kinds = [_DRAWINGS[name] for name in _DRAWINGS if name in called]
    kind = kinds[0] if kinds else "Figure"
    if not kinds and "imshow" in called:
        kind = "An image"
    titles = _titles(code)
    text = kind + (", titled: " + "; ".join(titles) if titles else "") + "."
    sentence = _closest_sentence(context)
    return f"{text} {sentence}".strip() if sentence else text


def prepare_notebook(executed: Path, target: Path) -> int:
    """Copy an executed lesson into the site's sources, ready for myst-nb.

    The papermill cell with the run's parameters is removed, each ``solution`` cell is
    folded into a closed dropdown titled "Solution", every cell with figures gets alt text
    (`alt_text`), and relative links are pointed at site pages (`rewrite_links`). The
    notebook in ``notebooks/`` is never changed.

    Parameters
    ----------
    executed : pathlib.Path
        A notebook executed by `helpers.plumbing.runner`.
    target : pathlib.Path
        Where to write the prepared copy.

    Returns
    -------
    int
        The number of image outputs in the notebook.

    Examples
    --------
    >>> nb = {"cells": [{"cell_type": "code", "metadata": {"tags": ["solution"]},
    ...        "source": "x = 1", "outputs": [], "execution_count": 1}],
    ...       "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    >>> _ = (tmp_path / "in.ipynb").write_text(json.dumps(nb))
    >>> prepare_notebook(tmp_path / "in.ipynb", tmp_path / "out.ipynb")
    0
    >>> json.loads((tmp_path / "out.ipynb").read_text())["cells"][0]["metadata"]["tags"]
    ['solution', 'hide-cell']
    """
    notebook = json.loads(executed.read_text(encoding="utf-8"))
    source = f"notebooks/{executed.name}"
    images, context = 0, ""
    for cell in notebook["cells"]:
        metadata = cell.setdefault("metadata", {})
        tags = metadata.setdefault("tags", [])
        if cell["cell_type"] == "markdown":
            context = _source(cell)
            cell["source"] = rewrite_links(context, source)
            continue
        if cell["cell_type"] != "code":
            continue
        if "injected-parameters" in tags:
            tags.append("remove-cell")  # the build machine's paths, not part of the lesson
        if "solution" in tags:
            tags.append("hide-cell")
            metadata["mystnb"] = {
                "code_prompt_show": "Solution",
                "code_prompt_hide": "Hide the solution",
            }
        count = sum(
            any(kind.startswith("image/") for kind in output.get("data", {}))
            for output in cell.get("outputs", [])
        )
        if count:
            images += count
            metadata.setdefault("mystnb", {})["image"] = {"alt": alt_text(_source(cell), context)}
    target.write_text(json.dumps(notebook, indent=1, ensure_ascii=False), encoding="utf-8")
    return images


@dataclass
class SiteResult:
    """What `build_site` made.

    Parameters
    ----------
    out : pathlib.Path
        The site (open ``index.html``).
    pages : int
        HTML pages written.
    images : int
        Image files in ``_images/`` (the lessons' figures).
    size_mb : float
        Size of the site on disk.
    run_seconds : float
        Executing the lessons.
    render_seconds : float
        Sphinx.
    """

    out: Path
    pages: int
    images: int
    size_mb: float
    run_seconds: float
    render_seconds: float


#: Who wrote the site and its work folder, in their markers.
MADE_BY = "python -m helpers site"

#: The builder's packages (the ``site`` extra), checked before any lesson runs.
BUILDER_MODULES = ("sphinx", "myst_nb", "sphinx_book_theme", "yaml")


def _check_builder() -> None:
    import importlib.util

    missing = [name for name in BUILDER_MODULES if importlib.util.find_spec(name) is None]
    if missing:
        raise StepFailed(
            f"The website builder is not installed (missing: {', '.join(missing)}). Run "
            "`make site`, which installs the maintainers' packages, or `pip install -r "
            "requirements/test.txt`."
        )


def _sphinx(source: Path, out: Path, doctrees: Path) -> None:
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", "--keep-going"]
    command += ["-c", str(_CONF_DIR), "-d", str(doctrees), str(source), str(out)]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        problems = [line for line in result.stderr.splitlines() if line.strip()]
        first = problems[0] if problems else f"exit code {result.returncode}"
        raise StepFailed(
            f"Sphinx could not render '{source}': {first} ({len(problems)} problem(s); rerun "
            f"`{' '.join(command)}` to see them all)."
        )


def build_site(
    out: str | Path = paths.BUILD_DIR / "site",
    *,
    work: str | Path | None = None,
    parameters: Mapping[str, Any] | None = None,
    executed: str | Path | None = None,
    progress: bool = True,
) -> SiteResult:
    """Execute every lesson on the bundled sample, then render the website into `out`.

    Parameters
    ----------
    out : str or pathlib.Path
        The site; replaced if an earlier build made it, refused if it holds other files.
    work : str, pathlib.Path or None, optional
        Where the executed lessons (``run/``) and the Sphinx sources (``src/``) go;
        ``None`` means `out` followed by ``-work`` (``build/site-work``).
    parameters : mapping, optional
        Values for the lessons' parameters cells (from `helpers.plumbing.runner.parse_parameters`),
        e.g. fewer epochs for a quick preview; the published site uses the defaults.
    executed : str, pathlib.Path or None, optional
        A folder written by ``python -m helpers run`` on the sample (every lesson passed):
        render its executed copies instead of running the lessons again. ``None`` runs them.
    progress : bool, optional
        Show the runner's progress bar.

    Returns
    -------
    SiteResult
        Where it is, its pages, figures, size and timings.

    Raises
    ------
    ValueError
        If `out` or `work` lie in the lessons, code or data, or hold files of something else;
        or `executed` is not a complete, passed run on the sample.
    RuntimeError
        If the builder's packages are missing (before anything runs), a lesson fails (its
        cell and error are named) or Sphinx cannot render a page.

    Examples
    --------
    See ``python -m helpers site --help``; tests/test_site.py builds it and opens it in Chromium.
    """
    _check_builder()
    out = outputs.check_folder(out, "--out", made_by=MADE_BY)
    work = Path(work) if work is not None else out.with_name(out.name + "-work")
    work = outputs.check_folder(work, "The work folder", made_by=MADE_BY)
    if work == out or out in work.parents or work in out.parents:
        raise BadInput(f"The work folder '{work}' and the site '{out}' must not overlap.")
    if executed is not None:
        if parameters:
            raise BadInput("Parameters belong to the run that made --executed, not to the site.")
        executed = check_executed(executed)
    with outputs.in_place(
        work, "The work folder", made_by=MADE_BY, records={"run", "src", "doctrees"}.__contains__
    ) as work:
        return _build(out, work, parameters, executed, progress)


def _build(
    out: Path,
    work: Path,
    parameters: Mapping[str, Any] | None,
    executed: Path | None,
    progress: bool,
) -> SiteResult:
    """Run the lessons into `work` (unless `executed` is given), then render them into `out`."""
    from helpers.plumbing import runner

    start = time.perf_counter()
    if executed is None:
        executed = work / "run"
        results = runner.run_notebooks(
            runner.select_notebooks(), executed, parameters=parameters, progress=progress
        )
        failed = [r for r in results if r.status != "passed"]
        if failed:
            raise StepFailed(
                f"Lesson {failed[0].notebook} failed, so the site was not built (it only shows "
                f"outputs of code that runs): {failed[0].error}. Fix it, then rerun."
            )
    run_seconds = time.perf_counter() - start
    start = time.perf_counter()
    site = render_site(executed, out, work=work)
    size = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
    return SiteResult(
        out=site,
        pages=len(list(site.rglob("*.html"))),
        images=len(list((site / "_images").glob("*"))),
        size_mb=round(size / 1e6, 1),
        run_seconds=round(run_seconds, 1),
        render_seconds=round(time.perf_counter() - start, 1),
    )


def check_executed(folder: str | Path) -> Path:
    """Check that `folder` holds a whole run of the lessons on the sample, every one passed.

    Parameters
    ----------
    folder : str or pathlib.Path
        The ``--out`` folder of ``python -m helpers run`` (its ``summary.json`` and copies).

    Returns
    -------
    pathlib.Path
        `folder`, absolute.

    Raises
    ------
    ValueError
        Naming what is missing: the folder, its summary, a lesson, a pass, or the sample
        (a run with ``--data-dir`` or on the learner edition is not what the site shows).

    Examples
    --------
    >>> check_executed(tmp_path)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    helpers.MissingData: '...' has no summary.json: give the --out folder of ...
    """
    from helpers.plumbing import runner

    folder = Path(folder).resolve()
    summary = runner.read_summary(folder)
    if summary.data_dir is not None or summary.edition != "instructor":
        raise BadInput(
            f"'{folder}' is a run on other data or of the learner edition: the site shows the "
            "instructor edition on the bundled sample (`python -m helpers run`, no --data-dir)."
        )
    status = {result.notebook: result.status for result in summary.notebooks}
    for notebook in runner.select_notebooks():
        copy = folder / notebook.name
        if status.get(notebook.name) != "passed" or not copy.is_file():
            raise BadInput(
                f"'{folder}' has no passed run of {notebook.name}: the site shows every "
                "lesson; run them all (`python -m helpers run`)."
            )
        _read_run(copy, lambda notebook: notebook["cells"])
    return folder


def _read_run(path: Path, take: Any) -> Any:
    """``take(JSON of path)``; a file that is not what `helpers run` writes is named."""
    try:
        return take(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError, KeyError, AttributeError) as err:
        raise BadInput(
            f"'{path}' is not as `python -m helpers run` writes it ({type(err).__name__}): "
            "run the lessons again."
        ) from err


def render_site(executed: str | Path, out: str | Path, *, work: str | Path) -> Path:
    """Render executed lessons and the workshop's pages into a website with Sphinx.

    Parameters
    ----------
    executed : str or pathlib.Path
        A folder of lessons executed by `helpers.plumbing.runner` (same file names as
        ``notebooks/``).
    out : str or pathlib.Path
        The site; replaced if an earlier build made it, refused if it holds other files.
    work : str or pathlib.Path
        A folder made by `build_site` (or empty) for the Sphinx sources (``src/``).

    Returns
    -------
    pathlib.Path
        `out`, absolute.

    Raises
    ------
    RuntimeError
        If Sphinx cannot render a page (its first problem is named).

    Examples
    --------
    Used by `build_site` after the lessons ran.
    """
    executed, work = Path(executed), Path(work)
    source = work / "src"
    source.mkdir()
    notebooks = [paths.NOTEBOOKS_DIR / p.name for p in sorted(executed.glob("[0-9][0-9]_*.ipynb"))]
    for notebook in notebooks:
        prepare_notebook(executed / notebook.name, source / notebook.name)
    for page, repo_file in PAGES.items():
        text = (paths.REPO_ROOT / repo_file).read_text(encoding="utf-8")
        (source / page).write_text(rewrite_links(text, repo_file), encoding="utf-8")
    import yaml  # with the site's packages (myst-nb needs it)

    citation = yaml.safe_load((paths.REPO_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    generated = {
        "index.md": (_CONF_DIR / "index.md").read_text(encoding="utf-8"),
        "schedule.md": schedule_page(notebooks),
        "references.md": references_page(citation),
    }
    for page, text in generated.items():
        if page not in PAGES:
            (source / page).write_text(text, encoding="utf-8")
    # Sphinx writes into a staging folder that becomes `out` when complete; what myst-nb
    # writes beside its output folder (jupyter_execute/) goes away with the staging folder.
    with outputs.replace_folder(out, "--out", made_by=MADE_BY) as new:
        _sphinx(source, new, work / "doctrees")
        (new / ".nojekyll").write_text("")  # GitHub Pages: serve _static/ and _images/ as they are
    return Path(out).resolve()
