"""pyproject.toml pins the direct dependencies; environment.yml and binder/ install the lock."""

import json
import tomllib

import yaml
from packaging.requirements import Requirement

from helpers import paths
from tools import lock

ROOT = paths.REPO_ROOT


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _lab_pins():
    return lock.pins((ROOT / "requirements" / "lab.txt").read_text(encoding="utf-8"))


def test_every_direct_dependency_is_pinned_exactly():
    project = _pyproject()
    extras = project["optional-dependencies"]
    for line in project["dependencies"] + [r for extra in extras.values() for r in extra]:
        if Requirement(line).name == project["name"]:
            continue  # the test set includes the site set: its own pins are checked here
        (specifier,) = Requirement(line).specifier
        assert specifier.operator == "==", f"{line!r} is not pinned with =="


def test_environment_yml_installs_the_lab_lock_on_any_supported_python():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    (pip_section,) = [d["pip"] for d in env["dependencies"] if isinstance(d, dict)]
    assert "python>=3.11,<3.14" in conda and "pip" in conda
    assert pip_section == _lab_pins()


def test_binder_requirements_pin_every_package_of_the_lab_lock():
    text = (ROOT / "binder" / "requirements.txt").read_text(encoding="utf-8")
    assert lock.pins(text) == _lab_pins()
    linux = lock.render(lock.pins(text), lock.target_environment("3.11.9", "linux-x86_64"))
    assert "tensorflow-cpu" in linux and "tensorflow" not in linux
    assert "opencv-python-headless" in linux and "protobuf" in linux  # transitive ones too


def test_binder_python_is_a_supported_python():
    runtime = (ROOT / "binder" / "runtime.txt").read_text(encoding="utf-8").strip()
    assert runtime == "python-3.11"  # CI's Python: tests/test_binder.py reproduces the build
    assert _pyproject()["requires-python"] == ">=3.11,<3.14"


def test_binder_post_build_installs_helpers_and_is_executable():
    post_build = ROOT / "binder" / "postBuild"
    assert post_build.stat().st_mode & 0o111
    assert "pip install --no-deps -e ." in post_build.read_text(encoding="utf-8")


def test_notebook_kernels_are_python3():
    for notebook in sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb")):
        spec = json.loads(notebook.read_text(encoding="utf-8"))["metadata"]["kernelspec"]
        assert spec["name"] == "python3", notebook.name
