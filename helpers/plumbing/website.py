"""The lesson website: ``python -m helpers site`` (``make site``) builds ``build/site/``.

Every lesson notebook is executed on the bundled sample by `helpers.plumbing.runner` (the same run
instructors use), so the pages always show the outputs of the code as committed. The
executed copies are then prepared for the site (`helpers.plumbing.site_notebooks`: solutions
folded into a "Solution" dropdown, alt text for every figure) and rendered, with the pages of
`helpers.plumbing.site_pages`, by Sphinx with myst-nb and the book theme, execution switched
off. The Sphinx configuration is ``docs/conf.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpers import BadInput, StepFailed, outputs, paths
from helpers.plumbing import site_pages
from helpers.plumbing.site_notebooks import prepare_notebook

__all__ = [
    "BUILDER_MODULES",
    "MADE_BY",
    "SiteResult",
    "build_site",
    "check_executed",
    "render_site",
]

_CONF_DIR = paths.REPO_ROOT / "docs"


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
        for folder, name in ((work, "the work folder"), (out, "--out")):
            if executed == folder or folder in executed.parents:
                raise BadInput(
                    f"--executed '{executed}' is inside {name} '{folder}', which the build "
                    "replaces. Render a run from elsewhere (python -m helpers run --out DIR)."
                )
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
    for page, repo_file in site_pages.PAGES.items():
        text = (paths.REPO_ROOT / repo_file).read_text(encoding="utf-8")
        (source / page).write_text(site_pages.rewrite_links(text, repo_file), encoding="utf-8")
    import yaml  # with the site's packages (myst-nb needs it)

    citation = yaml.safe_load((paths.REPO_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    generated = {
        "index.md": (_CONF_DIR / "index.md").read_text(encoding="utf-8"),
        "schedule.md": site_pages.schedule_page(notebooks),
        "references.md": site_pages.references_page(citation),
    }
    for page, text in generated.items():
        if page not in site_pages.PAGES:
            (source / page).write_text(text, encoding="utf-8")
    # Sphinx writes into a staging folder that becomes `out` when complete; what myst-nb
    # writes beside its output folder (jupyter_execute/) goes away with the staging folder.
    with outputs.replace_folder(out, "--out", made_by=MADE_BY) as new:
        _sphinx(source, new, work / "doctrees")
        (new / ".nojekyll").write_text("")  # GitHub Pages: serve _static/ and _images/ as they are
    return Path(out).resolve()
