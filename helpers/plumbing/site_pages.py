"""The lesson website's pages besides the lessons, and the links between pages.

What `helpers.plumbing.website` puts around the executed lessons: launch buttons
(`launch_urls`), the schedule made from each lesson's *Time to learn* (`schedule_page`), the
references from ``CITATION.cff`` (`references_page`), and links that point from one page of
the repository to another rewritten for the site (`rewrite_links`). Pure functions of text;
nothing here runs Sphinx.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from helpers import BadInput, paths
from helpers.plumbing import release
from helpers.plumbing.editions import cell_source

__all__ = [
    "BREAKS",
    "DAY_START",
    "LEARNER_PATH",
    "PAGES",
    "REF",
    "REPOSITORY",
    "SITE_URL",
    "launch_urls",
    "lesson_times",
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
    "hosting.md": "instructors/hosting.md",
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
    text = "\n".join(cell_source(c) for c in cells if c["cell_type"] == "markdown")
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
