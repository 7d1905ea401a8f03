"""Can this Python build the workshop's environment? Run by the Makefile before any download.

Standard library only: it runs with whichever Python the Makefile found, before ``.venv`` exists.
The verdict is ``helpers.plumbing.platforms`` (the same one ``python -m helpers check`` gives);
this script adds what is particular to ``make``. Prints ``Using Python X.Y.Z (path)`` and exits
0, or prints what to do and exits 1.
"""

from __future__ import annotations

import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script by make

from helpers.plumbing import platforms  # noqa: E402  (standard library only)


def problem(
    version: tuple[int, int],
    system: str,
    machine: str,
    libc: tuple[str, str] = ("glibc", "2.36"),
) -> str | None:
    """Why ``make`` cannot build the workshop with this Python on this computer, or ``None``.

    Parameters
    ----------
    version : tuple of int
        ``(major, minor)`` of the Python.
    system, machine : str
        ``platform.system()`` and ``platform.machine()``.
    libc : tuple of str, optional
        ``platform.libc_ver()`` on Linux (`main` passes the real one).

    Returns
    -------
    str or None
        One line saying what to do; ``None`` when the lock has wheels for it.

    Examples
    --------
    >>> problem((3, 12), "Linux", "x86_64") is None
    True
    >>> problem((3, 12), "Linux", "x86_64", libc=("glibc", "2.17")).startswith("glibc 2.17")
    True
    >>> print(problem((3, 14), "Linux", "x86_64"))  # doctest: +ELLIPSIS
    Python 3.14 is not supported: ... Or run make PYTHON=/path/to/python3.13
    >>> problem((3, 11), "Darwin", "x86_64").startswith("This is an Intel (x86_64) Mac")
    True
    >>> print(problem((3, 12), "Windows", "AMD64"))  # doctest: +ELLIPSIS
    make is not needed on Windows: ... then .venv\\Scripts\\python -m helpers lab).
    """
    found = platforms.problem(version, system, machine, libc=libc)
    if found and tuple(version) not in platforms.SUPPORTED_PYTHONS:
        return f"{found} Or run make PYTHON=/path/to/python3.13"
    if found:
        return found
    if system == "Windows":
        return (
            "make is not needed on Windows: in PowerShell, follow SETUP.md (py -3.12 -m venv "
            ".venv, install requirements/lab.txt, then .venv\\Scripts\\python -m helpers lab)."
        )
    return None


def main() -> int:
    """Print the Python in use, or why it cannot be used; exit 1 in the second case."""
    libc = platform.libc_ver() if platform.system() == "Linux" else ("glibc", "2.36")
    found = problem(sys.version_info[:2], platform.system(), platform.machine(), libc)
    if found is None and platform.system() == "Darwin":
        found = platforms.current_problem()  # the macOS version
    if found:
        print(f"{found} (found {sys.executable})", file=sys.stderr)
        return 1
    print(f"Using Python {platform.python_version()} ({sys.executable})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
