"""The lock: every package pinned, its mirrors fresh, and each supported target installable.

`make lock` (tools/lock.py) writes uv.lock, requirements/{lab,test}.txt, binder/requirements.txt
and environment.yml from pyproject.toml. These tests say when one is stale, that the environment
`make test` built is exactly the lock, and (slow, needs the registry) that every supported
(Python, platform) installs the locked set from wheels.
"""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

from helpers import paths
from tools import lock

ROOT = paths.REPO_ROOT
#: Installed by the Python's `venv` itself; compared only when the lock has them.
VENV_SEEDS = {"pip", "setuptools", "wheel"}


def _pins(path: Path) -> list[str]:
    return lock.pins((ROOT / path).read_text(encoding="utf-8"))


def _uv() -> str:
    beside = Path(sys.executable).parent / "uv"
    found = str(beside) if beside.exists() else shutil.which("uv")
    if found is None:
        pytest.skip("uv is missing (it comes with requirements/test.txt: run `make test`)")
    return found


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _test_lines() -> list[str]:
    """The test extra's lines, with the extras it includes (``helpers[site]``) spelled out."""
    project = _project()
    lines = []
    for line in project["optional-dependencies"]["test"]:
        requirement = Requirement(line)
        if requirement.name == project["name"]:
            for extra in sorted(requirement.extras):
                lines += project["optional-dependencies"][extra]
        else:
            lines.append(line)
    return lines


# --- fresh: offline -------------------------------------------------------------------------


def test_every_generated_file_records_the_current_pyproject():
    assert lock.stale(ROOT) == []


def test_a_pin_changed_without_make_lock_is_caught(tmp_path):
    for path in ("pyproject.toml", *map(str, lock.GENERATED)):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / path, tmp_path / path)
    assert lock.stale(tmp_path) == []
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8").replace('"keras==3.15.1"', '"keras==3.15.0"')
    )
    problems = lock.stale(tmp_path)
    assert len(problems) == len(lock.GENERATED)
    assert all("run `make lock`" in problem for problem in problems)
    assert problems[0].startswith("requirements/lab.txt is stale against pyproject.toml")


def test_a_comment_in_pyproject_does_not_make_the_lock_stale(tmp_path):
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    edited = text.replace('"keras==3.15.1",', '"keras==3.15.1",  # Keras 3')
    assert edited != text and lock.spec_hash(edited) == lock.spec_hash(text)


def test_uv_lock_matches_pyproject():
    result = subprocess.run(
        [_uv(), "lock", "--check", "--offline", "--no-config", "--python", sys.executable],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, (
        "uv.lock is stale against pyproject.toml: run `make lock` and commit what it writes.\n"
        + result.stderr[-1500:]
    )


def test_generated_files_are_rendered_from_uv_lock():
    _uv()  # tools.lock runs it (offline: `uv export --frozen` reads uv.lock only)
    digest = lock.spec_hash((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    for path, text in lock.generated(digest).items():
        assert (ROOT / path).read_text(encoding="utf-8") == text, (
            f"{path} differs from what `make lock` renders from uv.lock (edited by hand?): "
            "run `make lock` and commit what it writes."
        )


# --- what the lock contains -------------------------------------------------------------------


@pytest.mark.parametrize("python", lock.PYTHONS)
@pytest.mark.parametrize("target", sorted(lock.TARGETS))
def test_lock_has_every_direct_dependency_at_its_pin(python, target):
    environment = lock.target_environment(python, target)
    lab = lock.render(_pins(lock.LAB), environment)
    test = lock.render(_pins(lock.TEST), environment)
    assert {name: test[name] for name in lab} == lab  # attendees get the versions tested
    project = _project()
    for line, locked in [(line, lab) for line in project["dependencies"]] + [
        (line, test) for line in _test_lines()
    ]:
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate(environment):
            name = requirement.name.lower()
            assert requirement.specifier.contains(locked.get(name, "missing")), (line, target)


def test_attendees_do_not_install_the_test_tooling():
    lab = lock.render(_pins(lock.LAB))
    for line in _test_lines():
        name = Requirement(line).name.lower()
        if name in {"pytest", "pyyaml"}:  # nbval needs pytest; jupyter-events needs pyyaml
            continue
        assert name not in lab, f"{name} is test tooling but requirements/lab.txt installs it"


def _test_only_modules() -> set[str]:
    only = set(lock.render(_pins(lock.TEST))) - set(lock.render(_pins(lock.LAB)))
    modules = {"pytest", "_pytest", "nbval"}  # tests only, though nbval still sits in the lab set
    for module, dists in importlib.metadata.packages_distributions().items():
        if {dist.lower().replace("_", "-") for dist in dists} & only:
            modules.add(module)
    return modules


def test_pre_commit_hooks_run_the_locked_versions():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    revs = {repo["repo"].rsplit("/", 1)[1]: repo["rev"].lstrip("v") for repo in config["repos"]}
    test = lock.render(_pins(lock.TEST))
    assert revs == {
        "nbstripout": test["nbstripout"],
        "ruff-pre-commit": test["ruff"],
    }, "update the revs in .pre-commit-config.yaml to the versions in requirements/test.txt"


def test_helpers_import_no_test_only_package():
    blocked = sorted(_test_only_modules())
    code = (
        "import importlib, pkgutil, sys\n"
        f"BLOCKED = set({blocked!r})\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in BLOCKED:\n"
        "            raise ImportError(f'test-only package imported: {name}')\n"
        "sys.meta_path.insert(0, Block())\n"
        "import helpers\n"
        "for module in pkgutil.iter_modules(helpers.__path__):\n"
        "    importlib.import_module('helpers.' + module.name)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert {"pytest", "nbval", "playwright", "repo2docker"} <= set(blocked)


def test_environment_is_exactly_the_lock():
    if not Path(sys.prefix, ".installed-test").exists():
        pytest.skip(f"{sys.prefix} was not built by `make test` (no .installed-test stamp)")
    expected = lock.render(_pins(lock.TEST))
    freeze = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--all", "--exclude-editable"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    installed = lock.frozen(freeze)
    for seed in VENV_SEEDS - expected.keys():
        installed.pop(seed, None)
    installed.pop(_project()["name"], None)  # `pip install -e .`: the helpers themselves
    differences = {
        name: (installed.get(name, "missing"), expected.get(name, "not locked"))
        for name in installed.keys() | expected.keys()
        if installed.get(name) != expected.get(name)
    }
    assert differences == {}, (
        f"{sys.prefix} differs from requirements/test.txt ({{name: (installed, locked)}}): "
        "rebuild it with `rm -rf .venv && make test`."
    )


# --- the Makefile and the weekly update ---------------------------------------------------------


def test_make_names_a_missing_python_before_any_download(tmp_path):
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    for name in ("Makefile", "pyproject.toml", "tools", "requirements"):
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy
        copy(ROOT / name, tmp_path / name)
    result = subprocess.run(
        ["make", "venv", "PYTHON=/nonexistent/python3.13"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "No Python at /nonexistent/python3.13" in result.stderr
    assert "PYTHON=/path/to/python3.13" in result.stderr
    assert not (tmp_path / ".venv").exists()
    chosen = subprocess.run(["make", "-n", "venv"], cwd=tmp_path, capture_output=True, text=True)
    assert "tools/check_python.py" in chosen.stdout  # the chosen Python is checked first


def test_weekly_update_workflow():
    text = (ROOT / ".github" / "workflows" / "update-lock.yml").read_text(encoding="utf-8")
    workflow = yaml.safe_load(text)
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as True
    assert triggers["schedule"][0]["cron"].count(" ") == 4 and "workflow_dispatch" in triggers
    (job,) = workflow["jobs"].values()
    runs = "\n".join(step.get("run", "") for step in job["steps"])
    assert runs.index("make upgrade") < runs.index(".ci/run")  # re-lock, then the tests
    assert any("create-pull-request" in step.get("uses", "") for step in job["steps"])


# --- resolvability: slow, needs the registry -----------------------------------------------------


def _resolve(uv: str, python: str, platform: str, lines: list[str], folder: Path):
    """uv resolves exactly `lines` for one target from wheels only: (returncode, stdout, stderr)."""
    requirements = folder / f"{platform}-{python}.txt"
    requirements.write_text("\n".join(lines) + "\n")
    command = [uv, "pip", "compile", "--no-config", "--no-deps", "--only-binary", ":all:"]
    command += ["--python-platform", platform, "--python-version", python, "--no-header"]
    command += ["--no-annotate", str(requirements)]
    env = dict(os.environ, MACOSX_DEPLOYMENT_TARGET="13.0", UV_PYTHON_DOWNLOADS="never")
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    return result.returncode, result.stdout, result.stderr


@pytest.mark.slow
def test_every_supported_target_installs_the_lock_from_wheels(tmp_path):
    uv = _uv()
    jobs = {}
    for target, (_, _, platform) in lock.TARGETS.items():
        for python in lock.PYTHONS:
            pinned = lock.render(_pins(lock.TEST), lock.target_environment(python, target))
            lines = [f"{name}=={version}" for name, version in pinned.items()]
            jobs[target, python] = (platform, lines)
    for target, (_, package, _, _, platform) in lock.UNSUPPORTED.items():
        jobs[target, lock.PYTHONS[0]] = (platform, [package])
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {
            key: pool.submit(_resolve, uv, key[1], platform, lines, tmp_path)
            for key, (platform, lines) in jobs.items()
        }
        results = {key: future.result() for key, future in futures.items()}
    for (target, python), (returncode, stdout, stderr) in results.items():
        if target in lock.UNSUPPORTED:
            reason = lock.UNSUPPORTED[target][0]
            assert returncode != 0 and "no wheels with a matching platform tag" in stderr, (
                f"{target} is marked unsupported ({reason}), yet it resolves: move it to TARGETS"
            )
            continue
        assert returncode == 0, f"{target}, Python {python}:\n{stderr[-2000:]}"
        resolved = lock.render(lock.pins(stdout))
        assert resolved == lock.render(jobs[target, python][1]), (target, python)
