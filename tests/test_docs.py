"""The README and the instructor guide promise what the repository does."""

import json
import re
import shlex

from helpers import paths
from helpers.plumbing import release, site_pages

README = (paths.REPO_ROOT / "README.md").read_text(encoding="utf-8")
SETUP = (paths.REPO_ROOT / "SETUP.md").read_text(encoding="utf-8")


def test_badges_open_the_learner_notebook_00_on_the_workshop_branch():
    first = "learner/00_setup_check.ipynb"
    for text in (README, SETUP):
        (binder,) = re.findall(r"\((https://mybinder\.org/v2/gh/[^)]+)\)", text)
        assert binder == release.binder_url(first)
        assert f"({release.colab_url(first)})" in text
    assert (paths.REPO_ROOT / first).is_file()


def test_readme_starts_with_the_attendee_setup_per_os_then_the_two_commands():
    sections = re.findall(r"^## (.+)$", README, re.M)
    assert sections[:2] == ["Setup for attendees", "Two commands"]
    setup = README.split("## Setup for attendees")[1].split("\n## ")[0]
    assert "**Linux and macOS**" in setup and "**Windows (PowerShell)**" in setup
    assert "make lab" in setup.split("```bash")[1] and "SETUP.md" in setup
    powershell = setup.split("```powershell")[1].split("```")[0]
    assert ".venv\\Scripts\\python -m helpers lab" in powershell
    two = README.split("## Two commands")[1].split("```bash")[1].split("```")[0]
    assert [line.split()[:2] for line in two.strip().splitlines()] == [
        ["make", "lab"],
        ["make", "test"],
    ]


def _commands(text: str, prefix: str) -> set[str]:
    return set(re.findall(rf"{re.escape(prefix)} ([a-z][a-z-]*)", text))


def test_setup_commands_exist():
    """Every `python -m helpers X`, `make X`, requirements file and PLATFORM named exists."""
    from helpers.plumbing import cli
    from tools import lock

    makefile = (paths.REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    guide = (paths.REPO_ROOT / "instructors" / "guide.md").read_text(encoding="utf-8")
    for text in (README, SETUP, guide):
        for command in _commands(text, "-m helpers"):
            assert command in cli.main.commands, f"python -m helpers {command}"
        for target in _commands(text, "make"):
            assert re.search(rf"^{target}:", makefile, re.M), f"make {target}"
        for name in re.findall(r"requirements/[a-z]+\.txt", text):
            assert (paths.REPO_ROOT / name).is_file(), name
        for platform in re.findall(r"PLATFORM=([a-z0-9-]+)", text):
            assert platform in lock.TARGETS, platform
    for platform in lock.TARGETS:
        assert f"`{platform}`" in SETUP


def test_setup_shows_what_helpers_check_really_prints(ready_machine):
    from helpers.plumbing import platforms, setup

    sample = SETUP.split("## When it is ready")[1].split("```text")[1].split("```")[0]
    lines = sample.strip().splitlines()
    report = str(setup.check()).splitlines()
    assert lines[-1] == report[-1] == "All good: you are ready for the workshop."
    assert [line.split()[0] for line in lines[1:12]] == [line.split()[0] for line in report[1:12]]
    assert re.match(r"Python 3\.1[123]\.\d+ on \w+ \w+ \(.+\)$", lines[0])
    assert re.match(r"Python 3\.1[123]\.\d+ on \w+ \w+ \(.+\)$", platforms.describe())
    quoted = SETUP.split("## Is my computer supported?")[1].split("## ")[0]
    assert ": supported.`" in quoted and ": supported." in platforms.not_installed_message(
        ModuleNotFoundError("No module named 'click'", name="click")
    )


def test_setup_states_the_colab_versions_the_check_accepts():
    from helpers.plumbing import setup

    (tf_oldest, tf_pin), (keras_oldest, keras_pin) = (
        setup.ACCEPTED["tensorflow"],
        setup.ACCEPTED["keras"],
    )
    assert f"TensorFlow {tf_oldest}\nor newer with Keras {keras_oldest} or newer" in SETUP
    assert f"TensorFlow {tf_pin} and Keras {keras_pin}" in SETUP


def test_readme_links_every_notebook_and_ci_runs_make_test():
    for notebook in sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb")):
        assert f"notebooks/{notebook.name}" in README
    assert "make test" in (paths.REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_relative_links_resolve():
    for target in re.findall(r"\]\((?!https?://)([^)#]+)\)", README + SETUP):
        assert (paths.REPO_ROOT / target).exists(), target


def test_guide_hands_out_the_learner_edition_with_a_command_that_parses():
    """The guide's hand-out commands are real `helpers run --edition learner` command lines."""
    from helpers.plumbing import cli

    guide = (paths.REPO_ROOT / "instructors" / "guide.md").read_text(encoding="utf-8")
    assert "TagRemovePreprocessor" not in guide, "the nbconvert recipe left no answer cells"
    commands = [
        line.split("python -m helpers ", 1)[1]
        for line in guide.splitlines()
        if "python -m helpers run --edition learner" in line
    ]
    assert len(commands) >= 2
    for command in commands:
        args = shlex.split(command)
        context = cli.main.make_context("helpers", list(args))  # parses, runs nothing
        sub = cli.main.get_command(context, args[0])
        assert sub.make_context("run", args[1:]).params["edition"] == "learner"
    assert "make editions" in guide and "learner/" in guide
    assert "--edition learner" in README and "learner/" in README


def test_lesson_times_agree_in_notebooks_readme_and_guide():
    """A notebook's "Time to learn" is teaching plus exercises, as README and guide say."""
    guide = (paths.REPO_ROOT / "instructors" / "guide.md").read_text(encoding="utf-8")
    for notebook in sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb")):
        number = notebook.name[:2]
        text = "".join(
            "".join(c["source"]) for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        )
        total, teach, exercises = map(
            int,
            re.search(
                r"Time to learn\*\*: (\d+) minutes \(teaching (\d+), exercises (\d+)\)", text
            ).groups(),
        )
        assert total == teach + exercises, notebook.name
        times = site_pages.lesson_times(notebook)
        (readme_row,) = re.findall(rf"^\| {number} \|.*\| ([^|]+) \|$", README, re.M)
        wanted = f"{total} min" + (", optional" if times.optional else "")
        if times.further:
            wanted += f" + {times.further_minutes} optional"
        assert readme_row == wanted, f"README gives {readme_row} for {notebook.name}"
        (guide_row,) = re.findall(rf"^\| {number} [^|]+\| (\d+) min \| (\d+) min \|", guide, re.M)
        assert tuple(map(int, guide_row)) == (teach, exercises), f"guide row for {notebook.name}"


def test_citation_file_credits_the_workshop_the_post_and_the_dataset():
    import yaml

    citation = yaml.safe_load((paths.REPO_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0"
    assert citation["title"] and citation["authors"] and citation["message"]
    references = {reference["type"]: reference for reference in citation["references"]}
    post = references["blog"]
    assert post["url"] == "https://amishabhojwani.github.io/posts/2022/05-images_in_python"
    assert post["authors"] == [{"family-names": "Bhojwani", "given-names": "Amisha"}]
    assert str(post["date-published"]) == "2022-05-06"
    dois = [r.get("doi") for r in citation["references"]]
    assert "10.3390/electronics11070981" in dois
    assert "Bhojwani" in README and post["url"] in README and "CITATION.cff" in README


def test_the_guide_quotes_the_error_keras_3_really_raises():
    import pytest

    guide = (paths.REPO_ROOT / "instructors" / "guide.md").read_text(encoding="utf-8")
    with pytest.raises(ImportError) as raised:
        from keras.preprocessing.image import ImageDataGenerator  # noqa: F401
    assert type(raised.value) is ImportError  # not its subclass ModuleNotFoundError
    message = "cannot import name 'ImageDataGenerator' from 'keras.preprocessing.image'"
    assert f"`ImportError: {message}`" in guide
    assert str(raised.value).startswith(message)


def test_the_glossary_defines_the_terms_the_lessons_rely_on():
    glossary = (paths.REPO_ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    headwords = [line for line in glossary.splitlines() if line.startswith("**")]
    defined = " ".join(re.findall(r"\*\*(.+?)\*\*", "\n".join(headwords))).lower()
    for term in (
        "epoch", "batch", "label", "class index", "`class_mode`", "validation set", "test set",
        "loss", "optimiser", "learning rate", "convolution", "logits", "overfitting", "layer",
    ):  # fmt: skip
        assert term in defined, f"docs/glossary.md does not define {term!r}"


def test_class_mode_table_of_lesson_04_matches_keras(make_dataset):
    """Lesson 04 and the glossary say what each `class_mode` gives; Keras agrees."""
    import numpy as np
    from tensorflow.keras.preprocessing.image import ImageDataGenerator

    root = make_dataset({"a": 2, "b": 2})
    batches = {}
    for mode in ("sparse", "categorical", "binary", None):
        iterator = ImageDataGenerator(rescale=1 / 255).flow_from_directory(
            root, target_size=(8, 8), batch_size=4, class_mode=mode, shuffle=False
        )
        batches[mode] = next(iterator)
    assert batches["sparse"][1].tolist() == [0.0, 0.0, 1.0, 1.0]  # class indices, as floats
    assert batches["categorical"][1].tolist() == [[1, 0], [1, 0], [0, 1], [0, 1]]  # one-hot
    assert batches["binary"][1].tolist() == [0.0, 0.0, 1.0, 1.0]
    assert isinstance(batches[None], np.ndarray) and batches[None].shape == (4, 8, 8, 3)
    lesson = (paths.NOTEBOOKS_DIR / "04_image_data_generator.ipynb").read_text(encoding="utf-8")
    for row in ("SparseCategoricalCrossentropy", "CategoricalCrossentropy", "BinaryCrossentropy"):
        assert row in lesson


def test_the_guide_has_every_model_answer_of_the_instructor_edition():
    from helpers.plumbing import editions

    guide = " ".join((paths.REPO_ROOT / "instructors" / "guide.md").read_text("utf-8").split())
    found = 0
    for notebook in sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        for index, cell in enumerate(cells):
            if editions.SOLUTION_TEXT in cell.get("metadata", {}).get("tags", []):
                number = editions.exercise_id(cells, index)
                text = editions.cell_source(cell).replace("**Model answer.** ", "", 1)
                assert f"**{number} (" in guide and " ".join(text.split()) in guide, number
                found += 1
    assert found >= 5
