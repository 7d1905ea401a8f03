"""The README promises what the repository does."""

import re

from helpers import paths

README = (paths.REPO_ROOT / "README.md").read_text()


def test_binder_badge_opens_notebook_00_in_jupyterlab():
    (url,) = re.findall(r"\(https://mybinder\.org/v2/gh/[^)]+\)", README)
    target = url.split("urlpath=")[1].rstrip(")")
    assert target == "lab/tree/notebooks/00_setup_check.ipynb"
    assert (paths.REPO_ROOT / target.removeprefix("lab/tree/")).is_file()


def test_readme_shows_the_two_commands_first():
    first_block = README.split("```bash")[1].split("```")[0]
    assert [line.split()[:2] for line in first_block.strip().splitlines()] == [
        ["make", "lab"],
        ["make", "test"],
    ]


def test_readme_links_every_notebook_and_ci_runs_make_test():
    for notebook in sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb")):
        assert f"notebooks/{notebook.name}" in README
    assert "make test" in (paths.REPO_ROOT / ".ci" / "run").read_text()


def test_relative_links_resolve():
    for target in re.findall(r"\]\((?!https?://)([^)#]+)\)", README):
        assert (paths.REPO_ROOT / target).exists(), target
