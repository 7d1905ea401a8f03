"""Download every wheel an attendee needs, for one (Python, platform), into one folder.

``make wheelhouse`` (``python -m tools.wheelhouse``) is for rooms with bad Wi-Fi: an instructor
fills a USB stick once, and attendees install from it with no network::

    python -m pip install --no-index --find-links WHEELHOUSE -r requirements/lab.txt
    python -m pip install --no-index --find-links WHEELHOUSE --no-deps -e .

The lock's markers are evaluated for the *target* (pip evaluates them for the Python running
it, whatever ``--platform`` says), so a Linux laptop can fill a stick for Windows or macOS.
The folder also gets setuptools, which ``pip install -e .`` builds the helpers with.
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

from tools import lock

__all__ = ["main", "pip_platforms", "requirements", "this_target"]

DEFAULT_OUT = Path("wheelhouse")


def pip_platforms(target: str) -> list[str]:
    """The ``pip download --platform`` tags a `target` (a key of ``lock.TARGETS``) accepts.

    pip expands macOS tags to older releases itself, but not ``manylinux_2_28``: every
    manylinux tag down to ``manylinux_2_17`` (``manylinux2014``) is listed here.

    Examples
    --------
    >>> pip_platforms("windows-amd64")
    ['win_amd64']
    >>> tags = pip_platforms("linux-aarch64")
    >>> tags[0], tags[-1], len(tags)
    ('manylinux_2_28_aarch64', 'manylinux2014_aarch64', 13)
    """
    tag = lock.TARGETS[target][1]
    if not tag.startswith("manylinux_2_"):
        return [tag]
    arch = tag.split("_", 3)[3]
    return [f"manylinux_2_{minor}_{arch}" for minor in range(28, 16, -1)] + [
        f"manylinux2014_{arch}"
    ]


def this_target() -> str:
    """The ``lock.TARGETS`` key of this computer.

    Raises
    ------
    ValueError
        On a platform the workshop does not support.
    """
    system, machine = platform.system(), platform.machine().lower()
    names = {
        ("Linux", "x86_64"): "linux-x86_64",
        ("Linux", "aarch64"): "linux-aarch64",
        ("Darwin", "arm64"): "macos-arm64",
        ("Windows", "amd64"): "windows-amd64",
    }
    if (system, machine) not in names:
        raise ValueError(
            f"{system} {machine} is not a supported platform: give PLATFORM= one of "
            f"{', '.join(sorted(lock.TARGETS))}."
        )
    return names[system, machine]


#: Patch releases the wheelhouse covers: markers such as ``python_full_version >= '3.11.5'``
#: split a minor release (Debian 12 has 3.11.2), so both ends of each are downloaded.
PATCHES = (".0", ".99")


def requirements(python: str, target: str, lab: Path = lock.ROOT / lock.LAB) -> list[str]:
    """``name==version`` lines of `lab` that `target` installs under `python` (``3.12.0``).

    Examples
    --------
    >>> wanted = requirements("3.12.0", "windows-amd64")
    >>> "tensorflow==2.21.0" in wanted, "tensorflow-cpu==2.21.0" in wanted
    (True, False)
    >>> "setuptools==84.2.1" in wanted  # `pip install -e .` builds the helpers with it
    True
    >>> [line for line in requirements("3.11.0", "linux-x86_64") if "soupsieve" in line]
    ['soupsieve==2.10']
    """
    minor = ".".join(python.split(".")[:2])
    if minor not in ("3.11", "3.12", "3.13"):
        raise ValueError(f"PYTHON_VERSION must be 3.11, 3.12 or 3.13, got {python!r}.")
    if target not in lock.TARGETS:
        raise ValueError(
            f"PLATFORM must be one of {', '.join(sorted(lock.TARGETS))}, got {target!r} "
            "(Intel Macs and Windows on ARM are not supported: send them to Binder or Colab)."
        )
    pinned = lock.render(lock.pins(lab.read_text()), lock.target_environment(python, target))
    return [f"{name}=={version}" for name, version in pinned.items()]


def main(argv: list[str] | None = None) -> int:
    """Download the wheels; print the folder, its size and the install commands."""
    parser = argparse.ArgumentParser(prog="python -m tools.wheelhouse", description=__doc__)
    parser.add_argument("--platform", help=f"one of {', '.join(sorted(lock.TARGETS))}")
    parser.add_argument("--python-version", help="3.11, 3.12 or 3.13 [default: this Python's]")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="[default: wheelhouse]")
    args = parser.parse_args(argv)
    try:
        target = args.platform or this_target()
        python = args.python_version or f"{sys.version_info[0]}.{sys.version_info[1]}"
        wanted = {patch: requirements(python + patch, target) for patch in PATCHES}
    except ValueError as err:
        print(err, file=sys.stderr)
        return 1
    out = args.out / f"{target}-py{python}" if args.out == DEFAULT_OUT else args.out
    out.mkdir(parents=True, exist_ok=True)
    for patch, lines in wanted.items():
        with tempfile.TemporaryDirectory() as folder:
            listed = Path(folder) / "requirements.txt"
            listed.write_text("\n".join(lines) + "\n")
            command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
            command += ["--only-binary=:all:", "--python-version", python + patch]
            command += ["--implementation", "cp", "-r", str(listed), "-d", str(out)]
            for tag in pip_platforms(target):
                command += ["--platform", tag]
            if subprocess.run(command).returncode != 0:
                print(f"pip could not download every wheel into {out} (above).", file=sys.stderr)
                return 1
    size = sum(p.stat().st_size for p in out.iterdir()) / 1e6
    count = len(set().union(*wanted.values()))
    print(f"{count} packages for Python {python} on {target}: {out} ({size:.0f} MB)")
    print("Attendees install from it with no network (SETUP.md, 'Offline'):")
    print(f"  python -m pip install --no-index --find-links {out} -r requirements/lab.txt")
    print(f"  python -m pip install --no-index --find-links {out} --no-deps -e .")
    return 0


if __name__ == "__main__":
    sys.exit(main())
