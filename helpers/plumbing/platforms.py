"""Can this computer install the workshop? Answered before anything is downloaded.

Standard library only, and kept runnable by old Pythons: ``tools/check_python.py`` (the
Makefile, before ``.venv`` exists) and ``python -m helpers check`` in a bare Python (before
``pip install``) both use it, so an attendee on an unsupported machine is sent to Binder or
Colab before downloading 500 MB that cannot install.

The supported set is the lock's (``tools/lock.py``, ``TARGETS``): Python 3.11-3.13 on Linux
x86_64/aarch64 (glibc 2.28+), macOS 13+ on Apple silicon, and Windows amd64.

Examples
--------
>>> problem((3, 12), "Linux", "x86_64") is None
True
>>> print(problem((3, 11), "Darwin", "x86_64"))  # doctest: +ELLIPSIS
This is an Intel (x86_64) Mac, or an x86_64 Python under Rosetta: ... Colab ...
"""

from __future__ import annotations

import platform
import sys

from helpers.plumbing import release

__all__ = ["SUPPORTED_PYTHONS", "current_problem", "describe", "problem"]

SUPPORTED_PYTHONS = ((3, 11), (3, 12), (3, 13))
#: Where attendees whose laptop cannot install the workshop go instead (SETUP.md explains both).
_ELSEWHERE = (
    "Use Binder or Colab instead, nothing to install (SETUP.md, 'Binder', 'Colab'): "
    f"{release.binder_url('learner/00_setup_check.ipynb')}"
)
_MIN_GLIBC = (2, 28)
_MIN_MACOS = 13


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for part in text.split("."):
        if not part.isdigit():
            break
        parts.append(int(part))
    return tuple(parts)


def problem(
    version: tuple[int, int],
    system: str,
    machine: str,
    *,
    libc: tuple[str, str] = ("glibc", "2.36"),
    macos: str = "14.0",
) -> str | None:
    """Why the workshop's packages cannot be installed here, or ``None`` when they can.

    Parameters
    ----------
    version : tuple of int
        ``(major, minor)`` of the Python.
    system, machine : str
        ``platform.system()`` and ``platform.machine()``.
    libc : tuple of str, optional
        ``platform.libc_ver()`` (Linux only).
    macos : str, optional
        ``platform.mac_ver()[0]`` (macOS only).

    Returns
    -------
    str or None
        One line saying what is wrong and what to do instead.

    Examples
    --------
    >>> print(problem((3, 14), "Linux", "x86_64"))  # doctest: +ELLIPSIS
    Python 3.14 is not supported: the workshop needs Python 3.11, 3.12 or 3.13. ...
    >>> print(problem((3, 12), "Windows", "ARM64"))  # doctest: +ELLIPSIS
    Windows on ARM64 is not supported: TensorFlow 2.21 publishes no Windows arm64 wheels. ...
    >>> problem((3, 13), "Windows", "AMD64") is None
    True
    >>> problem((3, 12), "Darwin", "arm64", macos="12.6").startswith("macOS 12.6 is too old")
    True
    """
    if tuple(version) not in SUPPORTED_PYTHONS:
        return (
            f"Python {version[0]}.{version[1]} is not supported: the workshop needs Python 3.11, "
            "3.12 or 3.13. Install one of them (python.org), or use Binder or Colab (SETUP.md)."
        )
    machine = machine.lower()
    if system == "Darwin":
        if machine == "x86_64":
            return (
                "This is an Intel (x86_64) Mac, or an x86_64 Python under Rosetta: TensorFlow "
                "2.21 publishes no macOS x86_64 wheels. On Apple silicon install the arm64 "
                f"Python from python.org; on an Intel Mac: {_ELSEWHERE}"
            )
        found = _version_tuple(macos)
        if found and found[0] < _MIN_MACOS:
            return (
                f"macOS {macos} is too old: the workshop's OpenCV and TensorFlow need macOS "
                f"{_MIN_MACOS} (Ventura) or newer. Update macOS, or: {_ELSEWHERE}"
            )
        return None if machine == "arm64" else f"A Mac with a {machine} processor: {_ELSEWHERE}"
    if system == "Windows":
        if machine in ("amd64", "x86_64"):
            return None
        return (
            f"Windows on {machine.upper()} is not supported: TensorFlow 2.21 publishes no "
            f"Windows {machine} wheels. {_ELSEWHERE}"
        )
    if system == "Linux":
        if machine not in ("x86_64", "aarch64"):
            return f"Linux on {machine} is not supported (no TensorFlow wheels). {_ELSEWHERE}"
        name, release = libc
        if name != "glibc":
            return (
                "This Linux has no glibc (Alpine or another musl system): TensorFlow's wheels "
                f"need glibc 2.28 or newer. {_ELSEWHERE}"
            )
        found = _version_tuple(release)
        if found and found < _MIN_GLIBC:
            return (
                f"glibc {release} is too old: TensorFlow's wheels need glibc 2.28 or newer "
                f"(Debian 10, Ubuntu 20.04, RHEL 8 or newer). {_ELSEWHERE}"
            )
        return None
    return f"{system} on {machine} is not supported (no TensorFlow wheels). {_ELSEWHERE}"


def current_problem() -> str | None:
    """`problem` for the running Python on this computer.

    Examples
    --------
    Not shown here: the answer is this computer's. `problem` is tested for each kind of
    computer, and tests/test_setup.py checks what `helpers check` says for each answer.
    """
    return problem(
        sys.version_info[:2],
        platform.system(),
        platform.machine(),
        libc=platform.libc_ver() if platform.system() == "Linux" else ("glibc", "2.36"),
        macos=platform.mac_ver()[0] if platform.system() == "Darwin" else "14.0",
    )


def describe() -> str:
    """``Python X.Y.Z on SYSTEM MACHINE (path)``: what an attendee sends when asking for help.

    Examples
    --------
    >>> describe().startswith("Python 3.")
    True
    """
    return (
        f"Python {platform.python_version()} on {platform.system()} {platform.machine()} "
        f"({sys.executable})"
    )


def not_installed_message(err: ImportError) -> str:
    """What ``python -m helpers`` says when the workshop's packages are not installed.

    Unsupported computers hear why, and where to go instead; supported ones, how to install.

    Parameters
    ----------
    err : ImportError
        The failed import of the command line's packages.

    Returns
    -------
    str
        Two lines, for ``sys.exit`` (which prints them to stderr and exits 1).

    Examples
    --------
    >>> print(not_installed_message(ModuleNotFoundError("No module named 'click'", name="click")))
    ... # doctest: +ELLIPSIS
    Python 3... on ...: supported.
    Not ready yet: the workshop's packages are not installed (no module 'click'). ...
    """
    found = current_problem()
    if found:
        return f"{describe()}: not supported.\nNot ready yet: {found}"
    missing = f"no module '{err.name}'" if err.name else str(err)
    return (
        f"{describe()}: supported.\nNot ready yet: the workshop's packages are not installed "
        f"({missing}). Install them as SETUP.md says for your system (make lab, or "
        "pip install -r requirements/lab.txt), then run python -m helpers check again."
    )
