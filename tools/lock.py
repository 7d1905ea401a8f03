"""Lock every package of the workshop, and render the lock for attendees, Binder and conda.

``make lock`` (``python -m tools.lock``) resolves ``pyproject.toml`` into ``uv.lock`` with uv
(one universal resolution for Python 3.11-3.13 on every supported platform), then writes:

- ``requirements/lab.txt``: what attendees install (``make lab``), every package pinned;
- ``requirements/test.txt``: the same plus the maintainers' test tooling (``make test``);
- ``binder/requirements.txt``: ``requirements/lab.txt`` for Binder's pip buildpack;
- ``environment.yml``: the conda environment, its pip section from ``requirements/lab.txt``.

``make upgrade`` (``python -m tools.lock --upgrade``) lets every unpinned package move to its
newest release. Each generated file records :func:`spec_hash` of ``pyproject.toml`` in its
header, so ``tests/test_lock.py`` sees offline when one is stale.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement

__all__ = [
    "GENERATED",
    "PYTHONS",
    "TARGETS",
    "UNSUPPORTED",
    "export",
    "frozen",
    "generated",
    "header_hash",
    "main",
    "pins",
    "render",
    "spec_hash",
    "stale",
    "target_environment",
]

ROOT = Path(__file__).resolve().parent.parent
LAB = Path("requirements/lab.txt")
TEST = Path("requirements/test.txt")
BINDER = Path("binder/requirements.txt")
CONDA = Path("environment.yml")
#: Every file ``make lock`` writes from ``uv.lock`` (paths relative to the repository root).
GENERATED = (LAB, TEST, BINDER, CONDA)
HASH_LABEL = "pyproject-sha256:"
SUPPORTED = "Python 3.11-3.13 on Linux x86_64/aarch64, macOS arm64 (13+), Windows amd64"

#: The Pythons the lock covers, as the full versions the markers are evaluated at.
PYTHONS = ("3.11.9", "3.12.9", "3.13.9")
#: Supported platforms: their marker values, the wheel tag pip would be given
#: (``pip install --platform``) and uv's name for them (``--python-platform``).
#: glibc 2.28 (manylinux_2_28) is Debian 10 / Ubuntu 20.04 / RHEL 8 or newer; opencv 5.0's
#: macOS arm64 wheels need macOS 13.
TARGETS = {
    "linux-x86_64": (
        {"sys_platform": "linux", "platform_machine": "x86_64", "platform_system": "Linux"},
        "manylinux_2_28_x86_64",
        "x86_64-manylinux_2_28",
    ),
    "linux-aarch64": (
        {"sys_platform": "linux", "platform_machine": "aarch64", "platform_system": "Linux"},
        "manylinux_2_28_aarch64",
        "aarch64-manylinux_2_28",
    ),
    "macos-arm64": (
        {"sys_platform": "darwin", "platform_machine": "arm64", "platform_system": "Darwin"},
        "macosx_13_0_arm64",
        "aarch64-apple-darwin",
    ),
    "windows-amd64": (
        {"sys_platform": "win32", "platform_machine": "AMD64", "platform_system": "Windows"},
        "win_amd64",
        "x86_64-pc-windows-msvc",
    ),
}
#: Platforms the workshop cannot support: the reason, the package without wheels there, and
#: the same fields as TARGETS (tests/test_lock.py shows that package fails to resolve there).
UNSUPPORTED = {
    "macos-x86_64": (
        "TensorFlow >= 2.17 publishes no macOS x86_64 wheels (Intel Macs): use Binder or Colab",
        "tensorflow==2.21.0",
        {"sys_platform": "darwin", "platform_machine": "x86_64", "platform_system": "Darwin"},
        "macosx_13_0_x86_64",
        "x86_64-apple-darwin",
    ),
    "windows-arm64": (
        "TensorFlow 2.21 publishes no Windows arm64 wheels: use Binder or Colab",
        "tensorflow==2.21.0",
        {"sys_platform": "win32", "platform_machine": "ARM64", "platform_system": "Windows"},
        "win_arm64",
        "aarch64-pc-windows-msvc",
    ),
}


def spec_hash(pyproject: str) -> str:
    """Fingerprint of everything in ``pyproject.toml`` that decides the lock.

    Parameters
    ----------
    pyproject : str
        The text of ``pyproject.toml``.

    Returns
    -------
    str
        16 hex digits of the SHA-256 of the dependencies, extras, ``requires-python`` and
        ``[tool.uv]``; comments, formatting and unrelated sections do not change it.

    Examples
    --------
    >>> a = spec_hash('[project]\\ndependencies = ["numpy==2.4.6"]  # why\\n')
    >>> a == spec_hash('[project]\\ndependencies = [\\n  "numpy==2.4.6",\\n]\\n')
    True
    >>> a == spec_hash('[project]\\ndependencies = ["numpy==2.4.5"]\\n')
    False
    """
    data = tomllib.loads(pyproject)
    project = data.get("project", {})
    spec = {
        "dependencies": project.get("dependencies", []),
        "optional-dependencies": project.get("optional-dependencies", {}),
        "requires-python": project.get("requires-python"),
        "tool.uv": data.get("tool", {}).get("uv", {}),
    }
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:16]


def header_hash(text: str) -> str | None:
    """The :func:`spec_hash` a generated file's header records, or ``None``.

    Examples
    --------
    >>> header_hash("# Generated\\n# pyproject-sha256: 0123abcd\\nnumpy==2.4.6\\n")
    '0123abcd'
    >>> header_hash("numpy==2.4.6\\n") is None
    True
    """
    for line in text.splitlines():
        if line.lstrip("# ").startswith(HASH_LABEL):
            return line.split(HASH_LABEL, 1)[1].strip()
    return None


def pins(text: str) -> list[str]:
    """The requirement lines of a requirements file (comments and blank lines dropped).

    Examples
    --------
    >>> pins("# header\\nnumpy==2.4.6\\n    # via keras\\ncolorama==0.4.6 ; os_name == 'nt'\\n")
    ['numpy==2.4.6', "colorama==0.4.6 ; os_name == 'nt'"]
    """
    stripped = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [line for line in stripped if line]


def target_environment(python: str, target: str) -> dict[str, str]:
    """The marker environment of `target` (a key of :data:`TARGETS`) under `python` (x.y.z).

    Examples
    --------
    >>> env = target_environment("3.12.9", "windows-amd64")
    >>> env["python_version"], env["sys_platform"], env["os_name"]
    ('3.12', 'win32', 'nt')
    >>> target_environment("3.11.9", "macos-x86_64")["platform_machine"]  # unsupported ones too
    'x86_64'
    """
    env = default_environment()
    env.update(
        python_full_version=python,
        python_version=".".join(python.split(".")[:2]),
        implementation_name="cpython",
        platform_python_implementation="CPython",
    )
    markers = TARGETS[target][0] if target in TARGETS else UNSUPPORTED[target][2]
    env.update(markers, os_name="nt" if markers["sys_platform"] == "win32" else "posix")
    return env


def render(lines: list[str], environment: dict[str, str] | None = None) -> dict[str, str]:
    """``{name: version}`` of the pinned lines whose markers hold in `environment`.

    Parameters
    ----------
    lines : list of str
        ``name==version [; marker]`` lines, as :func:`pins` returns them.
    environment : dict, optional
        Marker values (see :func:`target_environment`); default: this interpreter's.

    Returns
    -------
    dict
        Normalised project name to exact version.

    Raises
    ------
    ValueError
        If a line is not pinned with ``==``, or a package gets two versions.

    Examples
    --------
    >>> lines = ["Numpy==2.4.6", "colorama==0.4.6 ; sys_platform == 'win32'"]
    >>> render(lines, target_environment("3.11.9", "windows-amd64"))
    {'numpy': '2.4.6', 'colorama': '0.4.6'}
    >>> render(lines, target_environment("3.11.9", "linux-aarch64"))
    {'numpy': '2.4.6'}
    """
    chosen: dict[str, str] = {}
    for line in lines:
        requirement = Requirement(line)
        specifiers = list(requirement.specifier)
        if len(specifiers) != 1 or specifiers[0].operator != "==":
            raise ValueError(f"{line!r} is not pinned with ==; run `make lock`.")
        if requirement.marker is not None and not requirement.marker.evaluate(environment):
            continue
        name = requirement.name.lower().replace("_", "-").replace(".", "-")
        if chosen.get(name, specifiers[0].version) != specifiers[0].version:
            raise ValueError(f"{name} has two versions for one target; run `make lock`.")
        chosen[name] = specifiers[0].version
    return chosen


def stale(root: Path = ROOT) -> list[str]:
    """What ``make lock`` must regenerate under `root`: one line per stale generated file.

    A file is stale when the :func:`spec_hash` in its header is not that of ``pyproject.toml``
    (offline: nothing is resolved). Empty when every file is fresh.

    Examples
    --------
    >>> (tmp_path / "pyproject.toml").write_text('[project]\\ndependencies = ["numpy==2.4.6"]\\n')
    42
    >>> print(stale(tmp_path)[0])
    requirements/lab.txt is missing: run `make lock` and commit what it writes.
    """
    digest = spec_hash((root / "pyproject.toml").read_text())
    problems = []
    for path in GENERATED:
        if not (root / path).is_file():
            problems.append(f"{path} is missing: run `make lock` and commit what it writes.")
        elif header_hash((root / path).read_text()) != digest:
            problems.append(
                f"{path} is stale against pyproject.toml (its dependencies changed since it was "
                "generated): run `make lock` and commit what it writes."
            )
    return problems


def frozen(text: str) -> dict[str, str]:
    """``{name: version}`` from ``pip freeze`` output, editable installs left out.

    A package installed from a URL or a path (``name @ ...``) gets the version ``"direct URL"``,
    so that it never equals a locked version.

    Examples
    --------
    >>> frozen("# Editable Git install with no remote (helpers==0.1.0)\\n-e /src\\nNumPy==2.4.6\\n")
    {'numpy': '2.4.6'}
    >>> frozen("keras @ file:///tmp/keras-3.15.1-py3-none-any.whl\\n")
    {'keras': 'direct URL'}
    """
    found = {}
    for line in pins(text):
        if line.startswith("-e"):
            continue
        if " @ " in line:
            name = line.split(" @ ", 1)[0].strip()
            found[name.lower().replace("_", "-").replace(".", "-")] = "direct URL"
        else:
            found.update(render([line], {}))
    return found


def _uv() -> str:
    beside = Path(sys.executable).parent / "uv"
    found = str(beside) if beside.exists() else shutil.which("uv")
    if found is None:
        raise SystemExit("uv is missing: run `make lock` (it installs requirements/test.txt).")
    return found


def export(extra: str | None = None, annotate: bool = True) -> str:
    """``uv.lock`` as a requirements file (offline: reads the lock only).

    Parameters
    ----------
    extra : str, optional
        An optional-dependencies group to include (``"test"``).
    annotate : bool
        Keep uv's ``# via`` lines (why each package is there).

    Returns
    -------
    str
        ``name==version ; marker`` lines for every supported platform and Python.
    """
    command = [_uv(), "export", "--frozen", "--no-config", "--no-emit-project", "--no-hashes"]
    command += ["--no-header", "--format", "requirements.txt"]
    command += ["--extra", extra] if extra else []
    command += [] if annotate else ["--no-annotate"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"uv export failed on uv.lock: {result.stderr.strip()}")
    return result.stdout


def _header(what: str, digest: str) -> str:
    return (
        "# Generated by `make lock` from pyproject.toml (via uv.lock): do not edit by hand.\n"
        f"# {what}\n"
        f"# Valid for {SUPPORTED}.\n"
        f"# {HASH_LABEL} {digest}\n"
    )


def generated(digest: str) -> dict[Path, str]:
    """The text of every file in :data:`GENERATED`, rendered from ``uv.lock``."""
    lab = export()
    conda_pins = "".join(f'      - "{line}"\n' for line in pins(lab))
    conda = (
        "#   conda env create -f environment.yml\n"
        "#   conda activate image-pipelines\n"
        "#   pip install --no-deps -e .\n"
        "#   python -m helpers lab\n"
        "# Its pip section is requirements/lab.txt: the versions `make lab` installs.\n"
        "channels:\n"
        "  - conda-forge\n"
        "dependencies:\n"
        "  - python>=3.11,<3.14\n"
        "  - pip\n"
        "  - pip:\n"
    )
    return {
        LAB: _header("What attendees install (`make lab`): lessons, instructors' tools.", digest)
        + lab,
        TEST: _header("What maintainers install (`make test`): lab + test tooling.", digest)
        + export("test"),
        BINDER: _header("Binder (pip buildpack): requirements/lab.txt, every package.", digest)
        + export(annotate=False),
        CONDA: "name: image-pipelines\n"
        + _header("Conda environment for attendees; conda picks a Python 3.11-3.13:", digest)
        + conda
        + conda_pins,
    }


def main(argv: list[str] | None = None) -> int:
    """Re-resolve ``uv.lock`` from ``pyproject.toml`` and rewrite every generated file."""
    summary = __doc__.split("\n")[0]
    parser = argparse.ArgumentParser(prog="python -m tools.lock", description=summary)
    parser.add_argument(
        "--upgrade", action="store_true", help="move unpinned packages to their newest releases"
    )
    args = parser.parse_args(argv)
    command = [_uv(), "lock", "--no-config", "--python", sys.executable]
    command += ["--upgrade"] if args.upgrade else []
    if subprocess.run(command, cwd=ROOT).returncode != 0:
        print("uv could not lock pyproject.toml (see above); nothing rewritten.", file=sys.stderr)
        return 1
    digest = spec_hash((ROOT / "pyproject.toml").read_text())
    for path, text in generated(digest).items():
        (ROOT / path).parent.mkdir(parents=True, exist_ok=True)
        (ROOT / path).write_text(text)
        print(f"wrote {path} ({len(pins(text))} packages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
