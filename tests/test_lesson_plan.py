"""The day fits: a core day of six hours, practice every ~15 minutes, terms defined before use.

Everything here is read from the notebooks' text (no kernel): the schedule's minutes, where
exercises sit among the lesson's code cells, and where each glossary term is first used.
"""

from __future__ import annotations

import base64
import json
import re
import struct
from pathlib import Path

import pytest

from helpers import paths
from helpers.plumbing import editions, site_pages
from tools import figures

NOTEBOOKS = sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
#: The most lesson code cells in a row without an exercise (about 15 minutes of teaching).
MAX_CELLS_WITHOUT_PRACTICE = 8
_OPTIONAL_HEADING = re.compile(r"^## \d+\. Going further \(optional\)", re.M)


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _tags(cell: dict) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def _markdown(path: Path) -> str:
    """A lesson's Markdown text, without the figures' data (base64 could spell a word)."""
    text = "\n".join(editions.cell_source(c) for c in _cells(path) if c["cell_type"] == "markdown")
    return re.sub(r"\(data:image/[^)]*\)", "()", text)


def test_the_core_day_is_six_hours_with_breaks_and_the_optional_track_is_apart():
    rows, minutes = site_pages.core_day(NOTEBOOKS)
    assert minutes <= site_pages.CORE_DAY_MINUTES, f"the core day takes {minutes} min"
    assert site_pages.BUFFER >= 15, "a day with no slack runs late"
    track, extra = site_pages.optional_track(NOTEBOOKS)
    assert track and extra > 0, "the optional material has its own plan"
    times = [site_pages.lesson_times(n) for n in NOTEBOOKS]
    optional = [i for i, t in enumerate(times) if t.optional]
    assert optional == list(range(len(times) - len(optional), len(times))), (
        "optional lessons come after every core lesson, so no core lesson can need them"
    )
    linked = {name for row in rows for name in re.findall(r"\]\((\S+?\.ipynb)\)", row)}
    assert not linked & {NOTEBOOKS[i].name for i in optional}
    page = site_pages.schedule_page(NOTEBOOKS)
    assert "## One day" in page and "## A day and a half" in page


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_an_optional_part_comes_last_and_is_named_in_the_header(path):
    times = site_pages.lesson_times(path)
    headings = [
        (i, editions.cell_source(c))
        for i, c in enumerate(_cells(path))
        if c["cell_type"] == "markdown" and re.match(r"#{2,3} ", editions.cell_source(c))
    ]
    optional = [i for i, text in headings if _OPTIONAL_HEADING.match(text)]
    named = re.match(r"sections? (\d+)(?:–(\d+))?", times.further)
    if named:  # the sections the header calls optional are the ones marked so
        first, last = int(named.group(1)), int(named.group(2) or named.group(1))
        marked = [
            int(re.match(r"## (\d+)", headings_text).group(1))
            for headings_text in (text for i, text in headings if i in optional)
        ]
        assert marked == list(range(first, last + 1)), f"{path.name}: optional sections {marked}"
    if not times.further:
        assert not optional, f"{path.name}: optional sections need a 'Going further' line"
        return
    assert optional, f"{path.name}: the header names an optional part, but no section is"
    core_after = [
        i
        for i, text in headings
        if i > optional[0] and re.match(r"## \d+\. ", text) and not _OPTIONAL_HEADING.match(text)
    ]
    assert not core_after, f"{path.name}: a core section follows the optional part"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_exercise_timings_add_up_to_the_header(path):
    times = site_pages.lesson_times(path)
    text = _markdown(path)
    minutes = [int(m) for m in re.findall(r"^### Exercise \d+\.\d+: .*\((\d+) min\)$", text, re.M)]
    assert len(minutes) == len(re.findall(r"^### Exercise ", text, re.M)), "a (K min) each"
    assert sum(minutes) == times.exercises + times.further_exercises, path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_practice_comes_at_most_every_fifteen_minutes(path):
    """No more than MAX_CELLS_WITHOUT_PRACTICE lesson code cells pass without an exercise."""
    cells = _cells(path)
    start = next(i for i, c in enumerate(cells) if re.match(r"## 1\. ", editions.cell_source(c)))
    stretch, longest = [], []
    for index, cell in enumerate(cells[start:], start):
        if cell["cell_type"] != "code":
            continue
        if editions.SOLUTION in _tags(cell):
            stretch = []
        elif editions.SELF_CHECK not in _tags(cell):
            stretch.append(index)
            longest = max(longest, stretch, key=len)
    assert len(longest) <= MAX_CELLS_WITHOUT_PRACTICE, (
        f"{path.name}: cells {longest[0]}-{longest[-1]} are {len(longest)} lesson code cells "
        "without an exercise; put one next to what they teach"
    )


#: Terms a basic-Python learner cannot guess, and the lesson the glossary says introduces them.
#: Each must not appear in the lessons' text before that lesson (where the text defines it).
TERMS = (
    "epoch", "model", "validation score", "loss", "thread", "core", "matrix", "warp", "tensor",
    "one-hot", "augmentation", "convolution", "logits", "overfitting", "interpolation", "mask",
    "axis", "iterator", "generator", "seed", "leak", "threshold", "channel", "dtype",
)  # fmt: skip


def _glossary_lessons() -> dict[str, str]:
    """Each glossary headword (lower case, no backticks) and the first lesson number given."""
    text = (paths.REPO_ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    found = {}
    for line in text.splitlines():
        number = re.search(r"\((\d\d)", line)
        if line.startswith("**") and number:
            for word in re.findall(r"\*\*(.+?)\*\*", line):
                found[word.strip("`").lower()] = number.group(1)
    return found


def _first_use(term: str) -> str | None:
    """The first lesson whose teaching text (before its Summary: no previews, no references)
    uses `term`."""
    word = re.compile(rf"(?<![\w-]){re.escape(term)}s?(?![\w-])", re.I)
    teaching = {p.name[:2]: _markdown(p).split("\n## Summary", 1)[0] for p in NOTEBOOKS}
    return next((number for number, text in teaching.items() if word.search(text)), None)


@pytest.mark.parametrize("term", TERMS)
def test_terms_are_not_used_before_the_lesson_that_defines_them(term):
    lessons = _glossary_lessons()
    assert term in lessons, f"docs/glossary.md has no entry for {term!r}"
    first = _first_use(term)
    assert first == lessons[term], (
        f"{term!r} is first used in lesson {first}, but the glossary dates it to "
        f"{lessons[term]}: define it where it is first used, and date it there"
    )


@pytest.mark.parametrize("figure", figures.FIGURES, ids=lambda f: f.name)
def test_concept_figures_are_in_both_editions_with_alt_text(figure):
    for folder in (paths.NOTEBOOKS_DIR, paths.LEARNER_DIR):
        cells = {c.get("id"): c for c in _cells(folder / figure.notebook)}
        cell = cells.get(f"figure-{figure.name}")
        assert cell, f"{folder.name}/{figure.notebook}: run python -m tools.figures, then editions"
        found = re.fullmatch(
            r"!\[([^\]]{80,})\]\(data:image/png;base64,([A-Za-z0-9+/=]+)\)\n\n\*(.+)\*",
            editions.cell_source(cell),
        )
        assert found, "one image with alt text of a sentence or more, then a caption"
        png = base64.b64decode(found.group(2))
        assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5_000
        width, height = struct.unpack(">II", png[16:24])
        assert 500 <= width <= 1000 and 150 <= height <= 400, (width, height)
