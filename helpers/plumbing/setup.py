"""Is this machine ready for the workshop? (lesson 00, *Setup check*)."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import platform
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from helpers import files, paths
from helpers.plumbing import data, platforms

__all__ = [
    "ACCEPTED",
    "LAPTOP_ONLY",
    "MIN_RAM_GB",
    "PACKAGES",
    "Report",
    "check",
    "data_status",
    "memory_gb",
    "versions",
]

#: Distribution names whose versions the check reports (first one found of each group).
PACKAGES = (
    ("tensorflow-cpu", "tensorflow"),
    ("keras",),
    ("numpy",),
    ("opencv-python-headless", "opencv-python"),
    ("pillow",),
    ("matplotlib",),
    ("split-folders",),
    ("jupyterlab",),
    ("papermill",),
)

#: Where the environment is not ours (Colab preinstalls its own TensorFlow and Keras), the
#: versions the lessons accept: ``{name: (oldest accepted, the pin the tests run)}``. Older is a
#: problem; anything else that is not the pin gets a note (only the pin is tested).
ACCEPTED = {"tensorflow": ("2.18", "2.21.0"), "keras": ("3.8", "3.15.1")}

#: Needed on a laptop, not on Colab (Colab is its own notebook server; `run` is for instructors).
LAPTOP_ONLY = ("jupyterlab", "papermill")

#: Below this much free memory the later notebooks may fail (Binder gives 2 GB).
MIN_RAM_GB = 1.0


def versions() -> dict[str, str]:
    """Installed versions of Python and the workshop's packages.

    Returns
    -------
    dict
        ``{name: version}``; ``"missing"`` for a package that is not installed.

    Examples
    --------
    >>> "python" in versions() and "keras" in versions()
    True
    """
    found = {"python": platform.python_version()}
    for group in PACKAGES:
        for name in group:
            try:
                found[group[-1]] = importlib.metadata.version(name)
                break
            except importlib.metadata.PackageNotFoundError:
                continue
        else:
            found[group[-1]] = "missing"
    return found


def _cgroup_limit() -> float | None:
    """Memory limit of this container in bytes (Binder sets one), if any."""
    for limit_file in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            text = Path(limit_file).read_text().strip()
        except OSError:
            continue
        if text.isdigit() and int(text) < 2**60:
            return float(text)
    return None


def memory_gb() -> dict[str, float]:
    """Total and available memory of this machine, or of its container if smaller, in GB.

    Returns
    -------
    dict
        ``{"total": …, "available": …}``.

    Examples
    --------
    >>> memory_gb()["total"] > 0
    True
    """
    info = psutil.virtual_memory()
    total, available = float(info.total), float(info.available)
    limit = _cgroup_limit()
    if limit is not None and limit < total:
        used = psutil.Process().memory_info().rss
        total, available = limit, max(0.0, min(available, limit - used))
    return {"total": total / 1e9, "available": available / 1e9}


def data_status(data_dir: str | Path | None = None) -> dict[str, int]:
    """Images per class in the data folder.

    Parameters
    ----------
    data_dir : str, pathlib.Path or None
        Class-per-folder root; ``None`` means the bundled sample.

    Returns
    -------
    dict
        ``{class: count}``.

    Raises
    ------
    FileNotFoundError
        If the folder is missing (the message says how to get it back).

    Examples
    --------
    >>> sorted(data_status())
    ['Kirmizi_Pistachio', 'Siirt_Pistachio']
    """
    return files.count_images(paths.data_dir(data_dir))


@dataclass
class Report:
    """What `check` found.

    Parameters
    ----------
    versions : dict
        From `versions`.
    memory : dict
        From `memory_gb`.
    data_dir : pathlib.Path
        The folder checked.
    counts : dict
        Images per class (empty when the data is missing).
    problems : list of str
        Readable reasons the workshop would not work; empty when all is well.
    notes : list of str
        Worth knowing, not a reason to stop (e.g. Colab's TensorFlow is not the pinned one).
    """

    versions: dict[str, str]
    memory: dict[str, float]
    data_dir: Path
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when there are no problems."""
        return not self.problems

    def __str__(self) -> str:
        lines = [platforms.describe(), "Versions:"]
        lines += [f"  {name:<24} {version}" for name, version in self.versions.items()]
        total, available = self.memory["total"], self.memory["available"]
        lines.append(f"Memory: {total:.1f} GB total, {available:.1f} GB available")
        lines.append(f"Data: {self.data_dir}")
        lines += [f"  {name:<24} {count} images" for name, count in self.counts.items()]
        lines += [f"NOTE: {note}" for note in self.notes]
        lines += [f"PROBLEM: {problem}" for problem in self.problems]
        lines.append("All good: you are ready for the workshop." if self.ok else "Not ready yet.")
        return "\n".join(lines)


def _on_colab() -> bool:
    return importlib.util.find_spec("google.colab") is not None


def _numbers(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split(".")[:3] if part.isdigit())


def _version_verdict(name: str, version: str, oldest: str, pin: str) -> tuple[str, str]:
    """``(problem, note)`` for one package's installed `version`; empty strings when none.

    Examples
    --------
    >>> _version_verdict("keras", "3.15.1", "3.8", "3.15.1")
    ('', '')
    >>> print(_version_verdict("keras", "3.10.0", "3.8", "3.15.1")[1])  # doctest: +ELLIPSIS
    keras 3.10.0 (preinstalled, e.g. by Colab) is not the tested 3.15.1; the lessons accept ...
    >>> print(_version_verdict("keras", "2.15.0", "3.8", "3.15.1")[0])  # doctest: +ELLIPSIS
    keras 2.15.0 is too old for the lessons (they need 3.8 or newer, tested with 3.15.1). ...
    """
    if version in ("missing", pin):
        return "", ""
    if _numbers(version) < _numbers(oldest):
        return (
            f"{name} {version} is too old for the lessons (they need {oldest} or newer, tested "
            f"with {pin}). Install the workshop's versions (SETUP.md), or use Colab or Binder.",
            "",
        )
    return "", (
        f"{name} {version} (preinstalled, e.g. by Colab) is not the tested {pin}; the lessons "
        f"accept {oldest} or newer. If a cell fails, tell the instructor this version."
    )


def check(data_dir: str | Path | None = None) -> Report:
    """Check packages, memory and data; collect every problem rather than stop at the first.

    Parameters
    ----------
    data_dir : str, pathlib.Path or None
        Class-per-folder root; ``None`` means the bundled sample.

    Returns
    -------
    Report
        Printable; ``report.ok`` tells whether the workshop will run.

    Notes
    -----
    Used by notebook 00 and ``python -m helpers check``.

    Examples
    --------
    >>> sorted(check().counts)  # report.ok depends on this computer's memory too
    ['Kirmizi_Pistachio', 'Siirt_Pistachio']
    """
    found = versions()
    report = Report(found, memory_gb(), paths.SAMPLE_DIR if data_dir is None else Path(data_dir))
    unsupported = platforms.current_problem()
    if unsupported:
        report.problems.append(unsupported)
    missing = [name for name, version in found.items() if version == "missing"]
    if _on_colab():
        report.notes += [f"{name} is not installed: not needed on Colab." for name in LAPTOP_ONLY]
        missing = [name for name in missing if name not in LAPTOP_ONLY]
    for name, (oldest, pin) in ACCEPTED.items():
        problem, note = _version_verdict(name, found.get(name, "missing"), oldest, pin)
        report.problems += [problem] if problem else []
        report.notes += [note] if note else []
    if missing:
        report.problems.append(
            f"Packages not installed: {', '.join(missing)}. Run `make lab` (or, in your own "
            "environment, `pip install -r requirements/lab.txt` then `pip install --no-deps -e .`)."
        )
    if report.memory["available"] < MIN_RAM_GB:
        report.problems.append(
            f"Only {report.memory['available']:.1f} GB of memory available; close other "
            f"programs (the workshop needs about {MIN_RAM_GB:.0f} GB)."
        )
    try:
        folder = paths.data_dir(data_dir)
    except (FileNotFoundError, NotADirectoryError) as err:
        report.problems.append(str(err))
        return report
    found_data = data.check(folder, progress=False)  # the same verdict as `data check`
    report.counts = found_data.counts
    report.problems += found_data.problems
    return report
