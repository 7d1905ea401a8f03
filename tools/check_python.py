"""Can this Python build the workshop's environment? Run by the Makefile before any download.

Standard library only: it runs with whichever Python the Makefile found, before ``.venv`` exists.
Prints ``Using Python X.Y.Z (path)`` and exits 0, or prints what to do and exits 1.
"""

from __future__ import annotations

import platform
import sys

SUPPORTED = ((3, 11), (3, 12), (3, 13))


def problem(version: tuple[int, int], system: str, machine: str) -> str | None:
    """Why the workshop cannot be installed with this Python on this computer, or ``None``.

    Parameters
    ----------
    version : tuple of int
        ``(major, minor)`` of the Python.
    system, machine : str
        ``platform.system()`` and ``platform.machine()``.

    Returns
    -------
    str or None
        One line saying what to do; ``None`` when the lock has wheels for it.

    Examples
    --------
    >>> problem((3, 12), "Linux", "x86_64") is None
    True
    >>> print(problem((3, 14), "Linux", "x86_64"))  # doctest: +ELLIPSIS
    Python 3.14 is not supported: ... or run make PYTHON=/path/to/python3.13
    >>> problem((3, 11), "Darwin", "x86_64").startswith("Intel Macs are not supported")
    True
    """
    if tuple(version) not in SUPPORTED:
        return (
            f"Python {version[0]}.{version[1]} is not supported: the workshop needs Python 3.11, "
            "3.12 or 3.13. Install one, or run make PYTHON=/path/to/python3.13"
        )
    if system == "Darwin" and machine == "x86_64":
        return (
            "Intel Macs are not supported: TensorFlow 2.21 publishes no macOS x86_64 wheels. "
            "Use the Binder link in README.md (or Colab) instead."
        )
    if system == "Windows":
        return "On Windows, run make inside WSL (Ubuntu), or use conda with environment.yml."
    return None


def main() -> int:
    """Print the Python in use, or why it cannot be used; exit 1 in the second case."""
    found = problem(sys.version_info[:2], platform.system(), platform.machine())
    if found:
        print(f"{found} (found {sys.executable})", file=sys.stderr)
        return 1
    print(f"Using Python {platform.python_version()} ({sys.executable})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
