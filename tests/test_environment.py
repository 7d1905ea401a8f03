"""pyproject.toml, environment.yml and binder/ pin the same packages at the same versions."""

import tomllib

import yaml
from packaging.requirements import Requirement

from helpers import paths

ROOT = paths.REPO_ROOT
LINUX_X86 = {"sys_platform": "linux", "platform_machine": "x86_64"}


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _pins(requirements):
    pins = {}
    for line in requirements:
        requirement = Requirement(line)
        (specifier,) = requirement.specifier  # exactly one ==
        assert specifier.operator == "==", f"{line!r} is not pinned with =="
        pins[requirement.name, str(requirement.marker or "")] = specifier.version
    return pins


def test_every_dependency_is_pinned_exactly():
    project = _pyproject()
    _pins(project["dependencies"])
    _pins(project["optional-dependencies"]["test"])


def test_environment_yml_mirrors_pyproject():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    (pip_section,) = [d["pip"] for d in env["dependencies"] if isinstance(d, dict)]
    assert "python=3.11" in conda and "pip" in conda
    assert _pins(pip_section) == _pins(_pyproject()["dependencies"])


def test_binder_requirements_are_pyproject_on_linux_x86_64():
    lines = [
        line.strip()
        for line in (ROOT / "binder" / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    expected = {}
    for line in _pyproject()["dependencies"]:
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate(LINUX_X86):
            expected[requirement.name, ""] = str(next(iter(requirement.specifier)).version)
    assert _pins(lines) == expected
    assert ("tensorflow-cpu", "") in expected and ("opencv-python-headless", "") in expected


def test_binder_python_matches_pyproject():
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip()
    assert runtime == "python-3.11"
    assert _pyproject()["requires-python"].startswith(">=3.11")


def test_binder_post_build_installs_helpers_and_is_executable():
    post_build = ROOT / "binder" / "postBuild"
    assert post_build.stat().st_mode & 0o111
    assert "pip install --no-deps -e ." in post_build.read_text()


def test_notebook_kernels_are_python3():
    import json

    for notebook in sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb")):
        spec = json.loads(notebook.read_text())["metadata"]["kernelspec"]
        assert spec["name"] == "python3", notebook.name
