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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpers import BadInput, paths
from helpers.plumbing import release
from helpers.plumbing.editions import cell_source

__all__ = [
    "BREAKS",
    "BUFFER",
    "CORE_DAY_MINUTES",
    "DAY_START",
    "LessonTimes",
    "core_day",
    "LEARNER_PATH",
    "PAGES",
    "REF",
    "REPOSITORY",
    "SITE_URL",
    "launch_urls",
    "lesson_times",
    "optional_track",
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

#: Breaks in the one-day schedule: ``{lesson number after which it comes: (name, minutes)}``.
#: With them and `BUFFER` the core day (00-06 without 06's optional part) is six hours.
BREAKS = {"02": ("Coffee break", 15), "04": ("Lunch", 35), "05": ("Break", 15)}
#: Minutes kept free at the end of the core day, for questions and a room running late.
BUFFER = 15
#: The schedule's clock starts here (instructors shift it to their own start).
DAY_START = (9, 0)
#: The longest core day the schedule may add up to, breaks included (a test checks it).
CORE_DAY_MINUTES = 6 * 60

#: The folder in the repository that launch buttons open (the learner edition).
LEARNER_PATH = paths.LEARNER_DIR.name

_CONF_DIR = paths.REPO_ROOT / "docs"
_TIME_TO_LEARN = re.compile(r"Time to learn\*\*: (\d+) minutes \(teaching (\d+), exercises (\d+)\)")
_GOING_FURTHER = re.compile(
    r"\*\*Going further\*\* \(optional, ([^)]+)\): "
    r"(\d+) minutes \(teaching (\d+), exercises (\d+)\)"
)
_OPTIONAL_TRACK = re.compile(r"\*\*Track\*\*: optional")


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


@dataclass(frozen=True)
class LessonTimes:
    """A lesson's minutes, from the lines under its *Prerequisites* (`lesson_times`).

    ``optional`` marks a lesson that is entirely on the optional track; ``further`` names
    the optional part at the end of a core lesson (its own teaching and exercise minutes).
    """

    title: str
    teaching: int
    exercises: int
    optional: bool = False
    further: str = ""
    further_teaching: int = 0
    further_exercises: int = 0

    @property
    def core_minutes(self) -> int:
        """Minutes in the one-day workshop (0 for an optional lesson)."""
        return 0 if self.optional else self.teaching + self.exercises

    @property
    def further_minutes(self) -> int:
        """Minutes on the optional track: the whole lesson, or its optional part."""
        if self.optional:
            return self.teaching + self.exercises
        return self.further_teaching + self.further_exercises


def lesson_times(notebook: str | Path) -> LessonTimes:
    """A lesson's title and minutes, from its "Time to learn" line (and "Going further", "Track").

    Parameters
    ----------
    notebook : str or pathlib.Path
        A lesson notebook.

    Returns
    -------
    LessonTimes

    Raises
    ------
    helpers.BadInput
        If the notebook has no "Time to learn" line of the usual form.

    Examples
    --------
    >>> lesson_times(paths.NOTEBOOKS_DIR / "00_setup_check.ipynb")
    LessonTimes(title='Setup check', teaching=5, exercises=5, optional=False, further='', \
further_teaching=0, further_exercises=0)
    >>> lesson_times(paths.NOTEBOOKS_DIR / "07_train_a_classifier.ipynb").optional
    True
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
    further = _GOING_FURTHER.search(text)
    return LessonTimes(
        title,
        int(found.group(2)),
        int(found.group(3)),
        optional=bool(_OPTIONAL_TRACK.search(text)),
        further=further.group(1) if further else "",
        further_teaching=int(further.group(3)) if further else 0,
        further_exercises=int(further.group(4)) if further else 0,
    )


def _clock(minutes: int) -> str:
    hours, mins = divmod(DAY_START[0] * 60 + DAY_START[1] + minutes, 60)
    return f"{hours:02d}:{mins:02d}"


def _row(start: int, what: str, teach: object, exercises: object, total: int) -> str:
    return f"| {_clock(start)} | {what} | {teach} | {exercises} | {total} |"


_HEADER = [
    "| time | lesson | teaching (min) | exercises (min) | total (min) |",
    "|---|---|---|---|---|",
]


def core_day(notebooks: Sequence[Path]) -> tuple[list[str], int]:
    """The one-day plan: table rows for the core lessons, `BREAKS` and `BUFFER`; its length.

    Examples
    --------
    >>> rows, minutes = core_day(sorted(paths.NOTEBOOKS_DIR.glob("0[0-2]_*.ipynb")))
    >>> rows[0]
    '| 09:00 | [00 · Setup check](00_setup_check.ipynb) | 5 | 5 | 10 |'
    """
    rows, start = [], 0
    for notebook in notebooks:
        times, number = lesson_times(notebook), notebook.name[:2]
        if times.optional:
            continue
        link = f"[{number} · {times.title}]({notebook.name})"
        if times.further:
            link += f" (without {times.further})"
        rows.append(_row(start, link, times.teaching, times.exercises, times.core_minutes))
        start += times.core_minutes
        if number in BREAKS:
            name, minutes = BREAKS[number]
            rows.append(_row(start, f"*{name}*", "", "", minutes))
            start += minutes
    rows.append(_row(start, "*Buffer: questions, catching up*", "", "", BUFFER))
    return rows, start + BUFFER


def optional_track(notebooks: Sequence[Path]) -> tuple[list[str], int]:
    """The second morning: the optional parts and lessons, in order, and its length.

    Examples
    --------
    >>> rows, minutes = optional_track(sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb")))
    >>> rows[-1].split(" | ")[1]
    '[07 · Train a classifier: the pipeline at work](07_train_a_classifier.ipynb)'
    """
    rows, start = [], 0
    for notebook in notebooks:
        times, number = lesson_times(notebook), notebook.name[:2]
        if times.optional:
            link = f"[{number} · {times.title}]({notebook.name})"
            rows.append(_row(start, link, times.teaching, times.exercises, times.further_minutes))
        elif times.further:
            link = f"[{number} · {times.title}]({notebook.name}): {times.further}"
            teach, exercises = times.further_teaching, times.further_exercises
            rows.append(_row(start, link, teach, exercises, times.further_minutes))
        start += times.further_minutes
    return rows, start


def schedule_page(notebooks: Sequence[Path]) -> str:
    """The schedule as Markdown: the one-day plan, then the day and a half.

    Parameters
    ----------
    notebooks : sequence of pathlib.Path
        The lessons, in order.

    Returns
    -------
    str
        A page with one table per plan (`core_day`, `optional_track`).

    Examples
    --------
    >>> page = schedule_page(sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb")))
    >>> print(page.splitlines()[0])
    # Schedule
    """
    day, day_end = core_day(notebooks)
    track, track_end = optional_track(notebooks)
    lessons = sum(lesson_times(n).core_minutes for n in notebooks)
    return "\n".join(
        [
            "# Schedule",
            "",
            "Two plans with the same first day. Times are estimates for learners who know basic "
            "Python and meet these libraries for the first time; the "
            "[instructor guide](guide.md) says what to cut first, lesson by lesson, when the "
            "room runs late. Shift the clock to your own start.",
            "",
            "## One day",
            "",
            f"From {_clock(0)} to {_clock(day_end)}: {lessons // 60} h {lessons % 60:02d} of "
            f"lessons, {day_end - lessons - BUFFER} minutes of breaks and {BUFFER} minutes kept "
            "free for questions and a room running late. It ends with section 5 of lesson 06; "
            "nothing in it needs the optional material.",
            "",
            *_HEADER,
            *day,
            f"| {_clock(day_end)} | *End* | | | |",
            "",
            "## A day and a half",
            "",
            f"The day above, then a second morning from {_clock(0)} to {_clock(track_end)} "
            "with the optional material: where lesson 06's speed-up comes from, and training a "
            "first classifier. Attendees of the one-day plan can work through it at home.",
            "",
            *_HEADER,
            *track,
            f"| {_clock(track_end)} | *End* | | | |",
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


_LINK = re.compile(r"(\]\()(?!https?://|mailto:|data:|#)([^)\s]+)(\))")


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
    >>> rewrite_links("![a figure](data:image/png;base64,iVBO)", "notebooks/01_x.ipynb")
    '![a figure](data:image/png;base64,iVBO)'
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
