"""Run commands under a real CPU quota, as Binder, JupyterHub and Docker run kernels.

Linux only, as root: a new control group (cgroup) with a CPU quota, below this process's own
group, removed again afterwards. The tests prove with it that importing ``helpers`` caps the
thread pools under a quota (:mod:`helpers.startup`); ``tools/quota_bench.py`` measures what
the caps gain.
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from helpers import startup

PERIOD_US = 100_000


class QuotaUnavailable(RuntimeError):
    """No CPU quota can be set here; the message says why."""


def _own_group(version: str) -> str:
    group = startup.cpu_cgroups().get(version)
    if group is None:
        raise QuotaUnavailable(
            f"this process is in no cgroup {version} group with a CPU controller"
        )
    return group


def _parent_folder(root: Path) -> tuple[Path, str]:
    """Where to make the new group, and the cgroup version there."""
    if os.geteuid() != 0:
        raise QuotaUnavailable("setting a CPU quota needs root")
    v1 = root / "cpu"
    if (v1 / "cpu.cfs_quota_us").exists():
        return v1 / _own_group("v1").lstrip("/"), "v1"
    for v2 in (root, root / "unified"):
        controllers = v2 / "cgroup.subtree_control"
        if controllers.exists() and "cpu" in controllers.read_text(encoding="ascii").split():
            return v2 / _own_group("v2").lstrip("/"), "v2"
    raise QuotaUnavailable(f"no cgroup CPU controller to write under {root}")


@contextlib.contextmanager
def cpu_quota_group(cpus: float, root: str | Path = "/sys/fs/cgroup") -> Iterator[list[str]]:
    """A new cgroup limited to `cpus` CPUs; yields a command prefix that runs a command in it.

    Parameters
    ----------
    cpus : float
        The quota, in CPUs (0.5 is half of one CPU's time).
    root : str or Path
        Where the cgroup file systems are mounted.

    Yields
    ------
    list of str
        ``prefix + ["python", ...]`` runs that command in the group (so do its children).

    Raises
    ------
    QuotaUnavailable
        Not root, not Linux, or no CPU controller that can be written.

    Examples
    --------
    >>> import subprocess, sys
    >>> try:
    ...     with cpu_quota_group(0.5) as prefix:
    ...         code = "import helpers.startup as s; print(s.cpu_quota())"
    ...         out = subprocess.run([*prefix, sys.executable, "-c", code], capture_output=True)
    ...         print(out.stdout.decode().strip())
    ... except QuotaUnavailable:
    ...     print(0.5)
    0.5
    """
    parent, version = _parent_folder(Path(root))
    folder = parent / f"workshop-quota-{uuid.uuid4().hex[:8]}"
    try:
        folder.mkdir()
    except OSError as error:
        raise QuotaUnavailable(f"cannot make a cgroup in {parent}: {error.strerror}") from None
    try:
        quota = max(1000, round(cpus * PERIOD_US))
        if version == "v1":
            (folder / "cpu.cfs_period_us").write_text(str(PERIOD_US))
            (folder / "cpu.cfs_quota_us").write_text(str(quota))
        else:
            (folder / "cpu.max").write_text(f"{quota} {PERIOD_US}")
        procs = folder / "cgroup.procs"
        yield ["sh", "-c", f'echo $$ > "{procs}" && exec "$@"', "sh"]
    finally:
        for _ in range(50):  # the group can be removed once its processes have ended
            try:
                folder.rmdir()
                break
            except OSError:
                time.sleep(0.1)
