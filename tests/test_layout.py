"""The layout of ``helpers/``: the lesson modules at the top, the tooling in ``helpers.plumbing``.

A learner opening ``helpers/`` finds only what the lessons teach (and ``paths``, which lessons
and tooling both need); instructors' and maintainers' tooling is in ``helpers/plumbing/``.
Tooling may import lesson modules, never the reverse. All checks read the source with `ast`:
nothing is imported or run.
"""

import ast
import re
import tomllib
from pathlib import Path

import nbformat
import pytest
import support

import helpers
from helpers import paths

HELPERS = Path(helpers.__file__).parent
PLUMBING = HELPERS / "plumbing"
#: The exercises' self-checks, one module per lesson: notebooks import them, and they may
#: import lesson modules, never the tooling.
CHECKS = HELPERS / "checks"
CHECK_MODULES = {p.stem for p in CHECKS.glob("lesson*.py")}
LESSON_MODULES = {"images", "files", "generators", "split", "pipelines", "plotting", "models"}
#: What notebooks may import from ``helpers``: the lesson modules and ``paths``; ``startup``
#: runs when ``helpers`` is imported, before TensorFlow, so it cannot live in the tooling;
#: ``outputs`` is the write policy that lesson modules (split) and the tooling both obey.
TOP_MODULES = LESSON_MODULES | {"paths", "startup", "outputs"}
PLUMBING_MODULES = {p.stem for p in PLUMBING.glob("*.py")} - {"__init__"}
NOTEBOOKS = sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb")) + sorted(paths.LEARNER_DIR.glob("*.ipynb"))


def _imports(tree: ast.AST, package: str) -> set[str]:
    """Every module a source imports, dotted and absolute, counting ``from a import b`` as a.b."""
    found = set()
    for node in ast.walk(tree):  # also the imports inside functions
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from . import x, from .plumbing import y
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def _is_plumbing(module: str) -> bool:
    parts = module.split(".")
    return parts[0] == "helpers" and len(parts) > 1 and parts[1] in PLUMBING_MODULES | {"plumbing"}


def test_the_top_level_holds_the_lesson_modules_paths_and_the_package_files():
    top = {p.stem for p in HELPERS.glob("*.py")}
    assert top == TOP_MODULES | {"__init__", "__main__"}, (
        "helpers/ holds the lesson modules only: put tooling in helpers/plumbing/, "
        "or add a new lesson module to LESSON_MODULES here and to README's Layout section"
    )
    folders = {p.name for p in HELPERS.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders == {"plumbing", "checks"}
    assert {p.stem for p in CHECKS.glob("*.py")} == CHECK_MODULES | {"__init__"}
    assert {"cli", "runner", "setup", "platforms", "bench", "data"} <= PLUMBING_MODULES


@pytest.mark.parametrize("name", sorted(TOP_MODULES | {"__init__"}))
def test_no_lesson_module_imports_the_tooling(name):
    tree = ast.parse((HELPERS / f"{name}.py").read_text(encoding="utf-8"))
    offending = sorted(m for m in _imports(tree, "helpers") if _is_plumbing(m))
    assert not offending, f"helpers/{name}.py imports {offending}: tooling may import lessons only"


@pytest.mark.parametrize("name", sorted(CHECK_MODULES | {"__init__"}))
def test_no_self_check_imports_the_tooling(name):
    tree = ast.parse((CHECKS / f"{name}.py").read_text(encoding="utf-8"))
    offending = sorted(m for m in _imports(tree, "helpers.checks") if _is_plumbing(m))
    assert not offending, f"helpers/checks/{name}.py imports {offending}"


def test_the_plumbing_package_imports_nothing():
    # helpers.plumbing.platforms must work in a bare Python (python -m helpers, before the
    # workshop's packages are installed): importing the package itself must not need any.
    tree = ast.parse((PLUMBING / "__init__.py").read_text(encoding="utf-8"))
    assert not _imports(tree, "helpers.plumbing")


def test_the_command_line_entry_points_are_in_plumbing():
    main = ast.parse((HELPERS / "__main__.py").read_text(encoding="utf-8"))
    assert "helpers.plumbing.cli.main" in _imports(main, "helpers")
    pyproject = tomllib.loads((paths.REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["scripts"]["workshop-helpers"] == "helpers.plumbing.cli:main"


def test_every_package_folder_is_installed():
    # setuptools installs only the packages listed: a missing helpers.plumbing would pass every
    # test in a checkout and break `pip install .` (Colab, wheels).
    pyproject = tomllib.loads((paths.REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = {
        ".".join(p.parent.relative_to(HELPERS.parent).parts) for p in HELPERS.rglob("__init__.py")
    }
    assert set(pyproject["tool"]["setuptools"]["packages"]) == packages


def _code(cell) -> str:
    # IPython's magics and shell lines are not Python
    return "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in cell.source.splitlines()
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_notebooks_import_lessons_from_helpers_and_tooling_from_plumbing(path):
    problems = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(_code(cell))):
            if isinstance(node, ast.Import):
                problems += [a.name for a in node.names if a.name.startswith("helpers.")]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("helpers"):
                allowed = {
                    "helpers": TOP_MODULES,
                    "helpers.plumbing": PLUMBING_MODULES,
                    "helpers.checks": CHECK_MODULES,
                }
                names = {alias.name for alias in node.names}
                if not names <= allowed.get(node.module, set()):
                    problems.append(f"from {node.module} import {', '.join(sorted(names))}")
    assert not problems, (
        f"{path.name}: {problems}. Import lesson modules from helpers "
        f"({', '.join(sorted(TOP_MODULES))}) and tooling from helpers.plumbing."
    )


def test_readme_layout_lists_every_module():
    readme = (paths.REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    tree = section.split("```text\n", 1)[1].split("```", 1)[0]
    top, plumbing = tree.split("\n  plumbing/", 1)
    assert "\n  checks/ " in top, "README's Layout names helpers/checks/"
    top = top.split("\n  checks/ ", 1)[0]
    listed_top = set(re.findall(r"^  (\w+)\.py ", top, flags=re.M))
    listed_plumbing = set(re.findall(r"^    (\w+)\.py ", plumbing, flags=re.M))
    assert listed_top == TOP_MODULES | {"__init__", "__main__"}, "one line per module"
    assert listed_plumbing == PLUMBING_MODULES | {"__init__"}, "one line per module"


def test_no_file_cites_a_document_a_fresh_clone_lacks():
    # A reader of a clone can follow only what the clone holds: every Markdown file that
    # code, tests, tools or notebooks name in capitals must be one of the repository's own.
    sources = [*HELPERS.rglob("*.py"), *paths.REPO_ROOT.joinpath("tests").rglob("*.py")]
    sources += [*paths.REPO_ROOT.joinpath("tools").glob("*.py"), *NOTEBOOKS]
    ours = {Path(name).name for name in support.tracked_files(paths.REPO_ROOT)}
    for path in sources:
        cited = set(re.findall(r"\b[A-Z][A-Z_-]+\.md\b", path.read_text(encoding="utf-8")))
        assert cited <= ours, f"{path} cites {sorted(cited - ours)}"
