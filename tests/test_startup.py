"""What importing ``helpers`` sets up: thread caps under a CPU quota, caches, and none otherwise.

The quota is read from files laid out as Linux lays them out (cgroup v1 and v2, nested groups,
containers), then proved with a real cgroup quota on this machine (root; skipped with the
reason where none can be set).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import support

from helpers import startup
from helpers.plumbing import quota, runner

V1_MOUNTS = (
    "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct\n"
    "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
)
V2_MOUNTS = "30 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n"


def _fake_root(tmp_path: Path, mountinfo: str, cgroup: str, files: dict[str, str]) -> Path:
    (tmp_path / "proc/self").mkdir(parents=True)
    (tmp_path / "proc/self/mountinfo").write_text(mountinfo)
    (tmp_path / "proc/self/cgroup").write_text(cgroup)
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


@pytest.mark.parametrize(
    "mountinfo, cgroup, files, expected",
    [
        # cgroup v1, as Docker and older Binder nodes: 1.5 CPUs on this group
        (
            V1_MOUNTS,
            "4:memory:/kubepods/pod1\n3:cpu,cpuacct:/kubepods/pod1\n",
            {
                "sys/fs/cgroup/cpu,cpuacct/kubepods/pod1/cpu.cfs_quota_us": "150000",
                "sys/fs/cgroup/cpu,cpuacct/kubepods/pod1/cpu.cfs_period_us": "100000",
            },
            1.5,
        ),
        # v1 with no quota (-1), and a parent group with 2 CPUs: the parent's limit holds
        (
            V1_MOUNTS,
            "3:cpu,cpuacct:/a/b\n",
            {
                "sys/fs/cgroup/cpu,cpuacct/a/b/cpu.cfs_quota_us": "-1",
                "sys/fs/cgroup/cpu,cpuacct/a/b/cpu.cfs_period_us": "100000",
                "sys/fs/cgroup/cpu,cpuacct/a/cpu.cfs_quota_us": "200000",
                "sys/fs/cgroup/cpu,cpuacct/a/cpu.cfs_period_us": "100000",
            },
            2.0,
        ),
        # cgroup v2, as JupyterHub's systemd spawner and current Docker: "quota period"
        (
            V2_MOUNTS,
            "0::/user.slice/jupyter-ada\n",
            {"sys/fs/cgroup/user.slice/jupyter-ada/cpu.max": "50000 100000"},
            0.5,
        ),
        # v2 without a quota anywhere
        (V2_MOUNTS, "0::/user.slice\n", {"sys/fs/cgroup/user.slice/cpu.max": "max 100000"}, None),
        # v2 inside a container: its own group is the mount's root
        (
            "30 23 0:26 /docker/abc /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
            "0::/docker/abc\n",
            {"sys/fs/cgroup/cpu.max": "400000 100000"},
            4.0,
        ),
        # a group whose name only starts like the mount's root is not below it
        (
            "30 23 0:26 /docker/abc /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
            "0::/docker/abcdef\n",
            {"sys/fs/cgroup/cpu.max": "300000 100000"},
            3.0,
        ),
        # no control groups at all (macOS, Windows, a bare chroot)
        ("", "", {}, None),
    ],
    ids=["v1", "v1-parent", "v2", "v2-none", "v2-container", "v2-prefix", "none"],
)
def test_cpu_quota_read_as_linux_lays_it_out(tmp_path, mountinfo, cgroup, files, expected):
    root = _fake_root(tmp_path, mountinfo, cgroup, files)
    assert startup.cpu_quota(root) == expected


@pytest.mark.parametrize(
    "cores, quota_cpus, expected",
    [
        (8, 1.0, "1"),
        (8, 1.5, "2"),  # rounded up to whole CPUs
        (8, 0.2, "1"),  # never 0
        (2, 2.0, None),  # a quota as large as the cores: the libraries' own choice is right
        (2, 4.0, None),
        (1, 0.5, None),  # one core: already one thread each
        (8, None, None),  # no quota: nothing set
    ],
)
def test_thread_caps(monkeypatch, cores, quota_cpus, expected):
    monkeypatch.setattr(startup, "visible_cpus", lambda: cores)
    env = {"OMP_NUM_THREADS": "3"}  # set by the user: kept
    set_now = startup.cap_threads(env, quota=quota_cpus) if quota_cpus else {}
    if expected is None:
        assert set_now == {} and env == {"OMP_NUM_THREADS": "3"}
    else:
        assert env["OMP_NUM_THREADS"] == "3" and "OMP_NUM_THREADS" not in set_now
        assert set_now == {n: expected for n in startup.THREAD_VARIABLES if n != "OMP_NUM_THREADS"}
    assert startup.usable_cpus(quota=quota_cpus or float(cores)) >= 1


def test_no_worker_count_is_zero_on_one_core(monkeypatch):
    monkeypatch.setattr(startup, "visible_cpus", lambda: 1)
    assert startup.usable_cpus(quota=0.1) == 1 and startup.usable_cpus(quota=4) == 1


#: Run in a child: what importing helpers set, what the libraries then use.
PROBE = """
import json, os
import helpers
import cv2, numpy as np, keras, tensorflow as tf
model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Conv2D(8, 3),
                          keras.layers.Flatten(), keras.layers.Dense(2)])
model.compile("adam", "mse")
model.fit(np.zeros((16, 32, 32, 3)), np.zeros((16, 2)), verbose=0)
np.linalg.inv(np.eye(300) + 1)  # starts OpenBLAS's threads
print(json.dumps({
    "quota": helpers.startup.cpu_quota(),
    "variables": {n: os.environ.get(n) for n in helpers.startup.THREAD_VARIABLES},
    "opencv": cv2.getNumThreads(),
    "threads": len(os.listdir("/proc/self/task")),
}))
"""


def _probe(prefix: list[str], **env: str) -> dict:
    environ = {k: v for k, v in support.kernel_env().items() if k not in startup.THREAD_VARIABLES}
    environ.update(env)
    result = subprocess.run(
        [*prefix, sys.executable, "-c", PROBE],
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stderr == "", "importing helpers then TensorFlow printed: " + result.stderr
    return json.loads(result.stdout.splitlines()[-1])


@pytest.fixture(scope="module")
def one_cpu_quota():
    if startup.visible_cpus() < 2:
        pytest.skip("needs 2 or more cores, to set a quota smaller than the cores")
    try:
        with quota.cpu_quota_group(1.0) as prefix:
            yield prefix
    except quota.QuotaUnavailable as why:
        pytest.skip(f"no real CPU quota here: {why}")


@pytest.mark.slow
def test_a_real_cpu_quota_caps_the_thread_pools_and_none_without_it(one_cpu_quota):
    free = _probe([])
    capped = _probe(one_cpu_quota)
    assert free["quota"] is None and set(free["variables"].values()) == {None}
    assert capped["quota"] == 1.0
    assert capped["variables"] == {name: "1" for name in startup.THREAD_VARIABLES}
    assert capped["opencv"] == 1 and free["opencv"] == startup.visible_cpus()
    # TensorFlow's and OpenBLAS's pools: fewer threads in the whole process.
    assert capped["threads"] < free["threads"], (capped, free)


@pytest.mark.slow
def test_under_a_quota_what_the_user_set_wins(one_cpu_quota):
    capped = _probe(one_cpu_quota, TF_NUM_INTRAOP_THREADS="2")
    assert capped["variables"]["TF_NUM_INTRAOP_THREADS"] == "2"
    assert capped["variables"]["TF_NUM_INTEROP_THREADS"] == "1"


def test_matplotlib_gets_a_cache_elsewhere_when_home_cannot_be_written(tmp_path):
    # Root may write anywhere a mode says it may not, but not below a file: a HOME that is
    # a file is unwritable for everyone, as a read-only home is for an attendee.
    home = tmp_path / "home"
    home.write_text("not a folder")
    env = {"HOME": str(home)}
    set_now = startup.writable_caches(env)
    folder = Path(set_now["MPLCONFIGDIR"])
    assert folder.is_dir() and os.access(folder, os.W_OK) and env["MPLCONFIGDIR"] == str(folder)
    assert startup.writable_caches({"HOME": str(tmp_path)}) == {}


def _read_only_home(home: Path) -> list[str]:
    """A command prefix that runs a command with `home` mounted read-only (root, Linux)."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("a read-only mount needs root and unshare (util-linux)")
    home.mkdir()
    script = 'mount -t tmpfs -o ro,size=1m tmpfs "$0" && exec "$@"'
    probe = subprocess.run(["unshare", "--mount", "sh", "-c", script, str(home), "true"])
    if probe.returncode != 0:
        pytest.skip("this machine cannot make a mount namespace (unshare --mount)")
    return ["unshare", "--mount", "sh", "-c", script, str(home)]


@pytest.mark.slow
def test_lessons_run_with_a_read_only_home_and_say_nothing_new_in_red(tmp_path):
    # Keras, Matplotlib and the helpers want ~/.keras, ~/.config/matplotlib, ~/.cache; a
    # read-only home (some hubs, locked-down lab machines) must not fail a lesson or add red.
    prefix = _read_only_home(tmp_path / "home")
    env = dict(support.kernel_env(), HOME=str(tmp_path / "home"))
    for name in ("MPLCONFIGDIR", "KERAS_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        env.pop(name, None)
    out = tmp_path / "out"
    result = subprocess.run(
        [*prefix, sys.executable, "-m", "helpers", "run", "--notebooks", "00", "05"]
        + ["--out", str(out), "-p", "IMAGE_SIZE", "64"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    summary = runner.read_summary(out).notebooks
    assert [r.status for r in summary] == ["passed", "passed"]
    assert [line for r in summary for line in support.unexpected_output(out / r.output)] == []


@pytest.mark.slow
def test_helpers_matplotlib_and_keras_say_nothing_without_a_home(tmp_path):
    env = {k: v for k, v in support.kernel_env().items() if k not in ("HOME", "MPLCONFIGDIR")}
    code = "import helpers, matplotlib.pyplot as plt; plt.figure(); import keras"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr
