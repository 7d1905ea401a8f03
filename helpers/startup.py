"""What importing ``helpers`` sets up before TensorFlow starts.

Three things, each done once, by ``helpers/__init__.py``, and each leaving alone whatever the
user has already set:

* **Thread caps under a CPU quota.** Binder, JupyterHub and Docker often give a kernel a CPU
  *quota* (say 1 CPU) on a machine with many cores. TensorFlow, OpenCV and OpenBLAS size their
  thread pools from the cores they can see, not from the quota, so dozens of threads take
  turns on one CPU. :func:`cap_threads` sets the variables these libraries read when they
  start to the quota, rounded up to whole CPUs; without a quota it sets nothing.
* **Quiet TensorFlow start-up.** ``TF_CPP_MIN_LOG_LEVEL=2`` hides TensorFlow's INFO and
  WARNING log lines, except those it prints before its logging is set up: on processors where
  it switches its fast oneDNN routines on, ``import tensorflow`` prints "oneDNN custom
  operations are on" and "All log messages before absl::InitializeLog() ..." whatever the level.
  :func:`quiet_tensorflow_start` hides those lines too, and only those, while TensorFlow is
  first imported. It switches nothing off: oneDNN stays as TensorFlow (or the user) chose.
* **Caches when the home folder is read-only.** Matplotlib writes its font cache under the
  home folder and warns in red when it cannot; :func:`writable_caches` points it at a
  temporary folder instead.

Examples
--------
>>> cpus = usable_cpus()
>>> cpus >= 1
True
"""

from __future__ import annotations

import contextlib
import importlib.abc
import math
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

#: The variables the lessons' libraries read once, when they start, for their thread pools.
THREAD_VARIABLES = (
    "TF_NUM_INTRAOP_THREADS",  # TensorFlow: threads for one operation (a convolution, a resize)
    "TF_NUM_INTEROP_THREADS",  # TensorFlow: operations run side by side
    "OMP_NUM_THREADS",  # OpenMP, used by some NumPy and OpenCV builds
    "OPENBLAS_NUM_THREADS",  # NumPy's linear algebra
    "OPENCV_FOR_THREADS_NUM",  # OpenCV's parallel loops (resize, colour conversion)
)


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None


def _mounts(root: Path) -> list[tuple[str, str, str, str]]:
    """``(mount point, root in the hierarchy, filesystem type, super options)`` of each mount."""
    found = []
    for line in (_read(root / "proc/self/mountinfo") or "").splitlines():
        fields = line.split(" ")
        if " - " not in line or len(fields) < 10:
            continue
        after = line.split(" - ", 1)[1].split(" ")
        if len(after) >= 3:
            found.append((fields[4], fields[3], after[0], after[2]))
    return found


def cpu_cgroups(root: str | Path = "/") -> dict[str, str]:
    """This process's control groups that can hold a CPU quota: ``{version: group path}``.

    Version 1 lists the group of its ``cpu`` controller, version 2 the one unified group
    (``/proc/self/cgroup``). Empty where there are no control groups (macOS, Windows).

    Parameters
    ----------
    root : str or Path
        The folder that stands for ``/``.

    Returns
    -------
    dict
        ``"v1"`` and/or ``"v2"`` to a path such as ``"/user.slice/jupyter-ada"``.

    Examples
    --------
    >>> set(cpu_cgroups()) <= {"v1", "v2"}
    True
    """
    groups = {}
    for line in (_read(Path(root) / "proc/self/cgroup") or "").splitlines():
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        _, controllers, group = parts
        if controllers == "":
            groups["v2"] = group
        elif "cpu" in controllers.split(","):
            groups["v1"] = group
    return groups


def _quota_folders(root: Path) -> Iterator[tuple[Path, str]]:
    """Each cgroup folder of this process holding a CPU quota, with its version: "v1" or "v2".

    The folder of the process's own group and each of its parents: a quota set on a parent
    limits every group below it.
    """
    for version, group in cpu_cgroups(root).items():
        for mount_point, mount_root, fstype, options in _mounts(root):
            wanted = "cgroup2" if version == "v2" else "cgroup"
            if fstype != wanted or (version == "v1" and "cpu" not in options.split(",")):
                continue
            inside = group == mount_root or group.startswith(mount_root.rstrip("/") + "/")
            top = root / mount_point.lstrip("/")
            folder = top / os.path.relpath(group, mount_root) if inside else top
            while True:  # from the process's own group up to the mount point
                yield folder, version
                if folder == top or not folder.is_relative_to(top):
                    break
                folder = folder.parent


def cpu_quota(root: str | Path = "/") -> float | None:
    """The CPU quota this process runs under, in CPUs (1.5 means one and a half), or None.

    Reads the Linux control groups (version 2's ``cpu.max`` and version 1's
    ``cpu.cfs_quota_us`` / ``cpu.cfs_period_us``) of this process and of the groups above it;
    the smallest quota wins. Other systems, and Linux without a quota, give None.

    Parameters
    ----------
    root : str or Path
        The folder that stands for ``/`` (tests give a folder laid out like one).

    Returns
    -------
    float or None

    Examples
    --------
    >>> quota = cpu_quota()
    >>> quota is None or quota > 0
    True
    """
    root = Path(root)
    quotas = []
    for folder, version in _quota_folders(root):
        if version == "v2":
            fields = (_read(folder / "cpu.max") or "max").split()
            quota, period = fields[0], fields[1] if len(fields) > 1 else "100000"
        else:
            quota, period = _read(folder / "cpu.cfs_quota_us"), _read(folder / "cpu.cfs_period_us")
        try:
            if int(quota) > 0 and int(period) > 0:
                quotas.append(int(quota) / int(period))
        except (TypeError, ValueError):  # "max", -1, or no such file
            continue
    return min(quotas) if quotas else None


def visible_cpus() -> int:
    """The cores this process may run on (what TensorFlow and OpenCV count), at least 1.

    Examples
    --------
    >>> visible_cpus() >= 1
    True
    """
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def usable_cpus(quota: float | None = None) -> int:
    """How many CPUs this process can really keep busy: its cores, or its quota if smaller.

    A quota of 1.5 CPUs counts as 2: two threads can then share the time.

    Parameters
    ----------
    quota : float, optional
        A CPU quota, in CPUs; by default the one :func:`cpu_quota` finds.

    Returns
    -------
    int
        At least 1.

    Examples
    --------
    >>> usable_cpus(quota=0.5)
    1
    >>> usable_cpus(quota=1.5) == min(2, visible_cpus())
    True
    """
    quota = cpu_quota() if quota is None else quota
    cores = visible_cpus()
    return cores if quota is None else max(1, min(cores, math.ceil(quota)))


def cap_threads(environ: dict[str, str] | None = None, quota: float | None = None) -> dict:
    """Set the thread variables to the CPU quota when it is smaller than the visible cores.

    Only variables that are not set already are written (what a user set wins), and only
    under a quota: without one, the libraries' own choice is right and nothing is set.

    Parameters
    ----------
    environ : dict, optional
        Where to set them; ``os.environ`` by default.
    quota : float, optional
        The quota in CPUs; by default the one :func:`cpu_quota` finds.

    Returns
    -------
    dict
        ``{variable: value}`` for each variable this call set.

    Examples
    --------
    >>> env = {"OMP_NUM_THREADS": "3"}
    >>> set_now = cap_threads(env, quota=0.5)
    >>> env["OMP_NUM_THREADS"], env.get("TF_NUM_INTRAOP_THREADS") == set_now.get(
    ...     "TF_NUM_INTRAOP_THREADS")
    ('3', True)
    """
    environ = os.environ if environ is None else environ
    quota = cpu_quota() if quota is None else quota
    if quota is None or math.ceil(quota) >= visible_cpus():
        return {}
    value = str(usable_cpus(quota))
    set_now = {name: value for name in THREAD_VARIABLES if name not in environ}
    environ.update(set_now)
    return set_now


#: TensorFlow's lines from before its logging starts, by the lowest level that hides them.
_EARLY_LINES = (
    (1, re.compile(rb"^I\d{4} [\d:. ]+\d+ \S+:\d+\] ")),  # INFO, e.g. "oneDNN custom operations"
    (2, re.compile(rb"^W\d{4} [\d:. ]+\d+ \S+:\d+\] ")),  # WARNING
    (1, re.compile(rb"^WARNING: All log messages before absl::InitializeLog\(\) is called")),
)


def _hidden(line: bytes, level: int) -> bool:
    return any(level >= needs and pattern.match(line) for needs, pattern in _EARLY_LINES)


@contextlib.contextmanager
def filtered_stderr(level: int) -> Iterator[None]:
    """Hold back what C code writes to standard error; then pass on all but hidden log lines.

    Everything written to file descriptor 2 inside the block is kept in a temporary file;
    at the end every line is written back, except TensorFlow's early log lines that
    `level` (a ``TF_CPP_MIN_LOG_LEVEL``) hides. If no temporary file can be made, nothing
    is held back.

    Parameters
    ----------
    level : int
        1 hides the early INFO lines, 2 the WARNING lines too.

    Examples
    --------
    >>> with filtered_stderr(level=2):
    ...     _ = os.write(2, b"I0000 00:00:1.2  7 port.cc:153] oneDNN custom operations are on.\\n")
    """
    with contextlib.ExitStack() as stack:
        try:
            held = stack.enter_context(tempfile.TemporaryFile())
            saved = os.dup(2)
        except OSError:  # no temporary file: nothing is held back
            held = None
        if held is None:
            yield
            return
        try:
            sys.stderr.flush()
            os.dup2(held.fileno(), 2)
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            held.seek(0)
            kept = b"".join(line for line in held if not _hidden(line, level))
            if kept:
                os.write(2, kept)


class _QuietFirstImport(importlib.abc.MetaPathFinder):
    """Runs the first import of one package inside :func:`filtered_stderr`, then steps aside."""

    def __init__(self, name: str, level: int) -> None:
        self.name, self.level = name, level

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self.name or self not in sys.meta_path:
            return None
        sys.meta_path.remove(self)  # once: later imports of TensorFlow are not filtered
        from importlib.util import find_spec

        spec = find_spec(fullname)
        if spec is not None and spec.loader is not None:
            spec.loader = _FilteredLoader(spec.loader, self.level)
        return spec


class _FilteredLoader(importlib.abc.Loader):
    """A package's own loader, its ``exec_module`` run with standard error filtered."""

    def __init__(self, loader, level: int) -> None:
        self._loader, self._level = loader, level

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module) -> None:
        with filtered_stderr(self._level):
            self._loader.exec_module(module)

    def __getattr__(self, name: str):  # get_data, get_resource_reader, ... as the loader has them
        return getattr(self._loader, name)


def quiet_tensorflow_start(environ: dict[str, str] | None = None) -> bool:
    """Hide the log lines TensorFlow prints before its logging starts, on its first import.

    Uses the level ``TF_CPP_MIN_LOG_LEVEL`` sets (``0`` shows everything, and then nothing
    is filtered). Does nothing if TensorFlow is already imported.

    Parameters
    ----------
    environ : dict, optional
        Where ``TF_CPP_MIN_LOG_LEVEL`` is read; ``os.environ`` by default.

    Returns
    -------
    bool
        Whether the first import of TensorFlow will be filtered.

    Examples
    --------
    >>> quiet_tensorflow_start({"TF_CPP_MIN_LOG_LEVEL": "0"})
    False
    """
    environ = os.environ if environ is None else environ
    try:
        level = int(environ.get("TF_CPP_MIN_LOG_LEVEL", "0"))
    except ValueError:
        level = 0
    if level < 1 or "tensorflow" in sys.modules:
        return False
    if not any(isinstance(f, _QuietFirstImport) for f in sys.meta_path):
        sys.meta_path.insert(0, _QuietFirstImport("tensorflow", level))
    return True


def writable_caches(environ: dict[str, str] | None = None) -> dict:
    """Point Matplotlib's cache at a temporary folder when the home folder is not writable.

    Keras already falls back to a temporary folder by itself; Matplotlib does too, but
    prints a red warning. Sets ``MPLCONFIGDIR`` only if it is not set already.

    Parameters
    ----------
    environ : dict, optional
        Where ``HOME`` is read and ``MPLCONFIGDIR`` set; ``os.environ`` by default.

    Returns
    -------
    dict
        ``{variable: value}`` for each variable this call set.

    Examples
    --------
    >>> writable_caches({"MPLCONFIGDIR": "/somewhere"})
    {}
    """
    environ = os.environ if environ is None else environ
    if "MPLCONFIGDIR" in environ:
        return {}
    home = Path(environ["HOME"]) if environ.get("HOME") else Path.home()
    config = Path(environ.get("XDG_CONFIG_HOME") or home / ".config") / "matplotlib"
    folder = config  # Matplotlib makes the folder if it can: find the nearest that exists
    while not os.path.lexists(folder) and folder != folder.parent:  # False also if unreadable
        folder = folder.parent
    if os.path.isdir(folder) and os.access(folder, os.W_OK | os.X_OK):
        return {}
    user = os.getuid() if hasattr(os, "getuid") else 0
    fallback = Path(tempfile.gettempdir()) / f"workshop-matplotlib-{user}"
    try:
        fallback.mkdir(mode=0o700, exist_ok=True)
        if fallback.stat().st_uid != user:  # someone else's folder in a shared /tmp
            fallback = Path(tempfile.mkdtemp(prefix="workshop-matplotlib-"))
    except OSError:
        return {}  # no writable temporary folder either: Matplotlib says so itself
    environ["MPLCONFIGDIR"] = str(fallback)
    return {"MPLCONFIGDIR": str(fallback)}
