"""Small helpers shared by several test modules (imported as `support`)."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat

from helpers import paths
from helpers.plumbing import hub_server


def fingerprint(root: Path) -> dict[str, str]:
    """``{relative path: sha256}`` of every file below `root`, to prove nothing changed."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".ipynb_checkpoints" not in p.parts
    }


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now.

    Outside the range the system hands out to other programs meanwhile (`hub_server.free_ports`).
    """
    return hub_server.free_ports(1)[0]


def stop_group(process: subprocess.Popen) -> None:
    """Stop a process started with ``start_new_session=True`` and everything it started."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def jupyter_env(folder: Path) -> dict[str, str]:
    """The environment with Jupyter's runtime, config and workspace folders inside `folder`."""
    return dict(
        os.environ,
        JUPYTER_RUNTIME_DIR=str(folder / ".runtime"),
        JUPYTERLAB_WORKSPACES_DIR=str(folder / ".workspaces"),
        JUPYTER_CONFIG_DIR=str(folder / ".config"),
    )


def wait_until_serving(url: str, server: subprocess.Popen, timeout: float = 120) -> str:
    """Poll `url` until it answers 200 and return the body; fail if `server` exits or times out."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(
                    f"No answer from {url.split('?')[0]} (server exit code {server.poll()})"
                ) from None
            time.sleep(0.5)


#: The processor features with which TensorFlow 2.21 switches oneDNN on by itself (on Linux).
ONEDNN_FEATURES = {"avx512_vnni", "avx512_bf16", "avx_vnni", "amx_tile", "amx_int8", "amx_bf16"}


def onednn_on_by_itself() -> bool:
    """Whether TensorFlow takes the oneDNN "on" path on this machine when nobody sets it.

    Read from the processor's features as TensorFlow reads them (``tests/test_onednn.py``
    checks the two agree).
    """
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    lines = [line for line in text.splitlines() if line.startswith("flags")]
    flags = {flag for line in lines for flag in line.split()}
    return bool(flags & ONEDNN_FEATURES)


#: ``TF_ENABLE_ONEDNN_OPTS`` for the path this machine does not take by itself.
OTHER_ONEDNN_PATH = "0" if onednn_on_by_itself() else "1"


def kernel_env() -> dict[str, str]:
    """The environment for commands that start notebook kernels whose stderr a test reads.

    Without ``PYTEST_CURRENT_TEST``: ipykernel stops copying C-level output (TensorFlow's C++
    log lines) into the notebook when it sees that variable, which pytest sets; JupyterLab
    and ``helpers run`` in a terminal do show it. And with TensorFlow forced onto the oneDNN
    path this processor does not take by itself (``OTHER_ONEDNN_PATH``), so that a developer
    sees what the other kind of processor prints; the path it takes by itself is what every
    other test runs (nbval), and ``tests/test_onednn.py`` checks both.
    """
    env = {name: value for name, value in os.environ.items() if name != "PYTEST_CURRENT_TEST"}
    env.setdefault("TF_ENABLE_ONEDNN_OPTS", OTHER_ONEDNN_PATH)
    return env


#: stderr the lessons show on purpose (and explain), whatever the data; by lesson number.
EXPECTED_STDERR = {
    "": re.compile(
        r"Left out of the split"  # the warning lesson 03 demonstrates
        r"|Clipping input data"  # the float 0-255 trap lesson 05 demonstrates
        r"|findDecoder imread_"  # cv2.imread of a missing file, demonstrated in lesson 01
        r"|got 0 images in '"  # small classes (data check notes them)
        r"|^\s*$"
    ),
    "03": re.compile(r"Copying files"),  # split-folders' own progress bar, explained in lesson 03
}


def stream_text(notebook: Path | nbformat.NotebookNode, *names: str) -> str:
    """What a notebook's code cells wrote to the named streams (``stdout`` if none is named)."""
    if not isinstance(notebook, nbformat.NotebookNode):
        notebook = nbformat.read(str(notebook), as_version=4)
    names = names or ("stdout",)
    return "".join(
        output.get("text", "")
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.get("output_type") == "stream" and output.get("name") in names
    )


def unexpected_output(notebook: Path) -> list[str]:
    """Error outputs, and stderr lines no lesson shows on purpose, in an executed notebook."""
    allowed = [EXPECTED_STDERR[""], EXPECTED_STDERR.get(notebook.name[:2], EXPECTED_STDERR[""])]
    found = []
    for cell in nbformat.read(str(notebook), as_version=4).cells:
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                found.append(f"{output.ename}: {output.evalue}")
            elif output.output_type == "stream" and output.name == "stderr":
                for line in output.text.splitlines():
                    explained = any(pattern.search(line) for pattern in allowed)
                    if not explained or "ipykernel_" in line:  # a temporary file's path
                        found.append(f"{notebook.name}: {line}")
    return found


def tracked_files(root: Path) -> list[str]:
    """Files git would put in a fresh clone of `root` (tracked, plus new files not ignored)."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [name for name in listed.split("\0") if name and (root / name).is_file()]


def copy_checkout(root: Path, dest: Path) -> Path:
    """Copy what a fresh clone of `root` would hold into `dest` (no .venv, no build/)."""
    import shutil

    for name in tracked_files(root):
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, dest / name)
    return dest


def venv_python(venv: Path) -> Path:
    """The Python of a virtual environment, on POSIX."""
    return venv / "bin" / "python"


def _link_tree(source: Path, dest: Path, real: set[str]) -> None:
    """Mirror `source` in `dest` with symbolic links, as real folders where named in `real`."""
    dest.mkdir(parents=True, exist_ok=True)
    for child in source.iterdir():
        if child.is_dir() and child.name in real:
            _link_tree(child, dest / child.name, real)
        else:
            (dest / child.name).symlink_to(child)


def overlay_venv(base: Path, dest: Path) -> Path:
    """A new, empty virtual environment that also sees `base`'s installed packages.

    Creating it takes a fraction of a second, instead of minutes for a fresh install of
    TensorFlow: its own site-packages starts empty (nothing of the workshop installed) and
    a ``.pth`` line appends `base`'s site-packages. ``pip install`` run with its Python
    installs into `dest`, never into `base`.
    """
    base_python = str(venv_python(base))
    subprocess.run([base_python, "-m", "venv", "--without-pip", str(dest)], check=True)
    where = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    own = subprocess.run(
        [str(venv_python(dest)), "-c", where], capture_output=True, text=True, check=True
    ).stdout.strip()
    shared = subprocess.run(
        [base_python, "-c", where], capture_output=True, text=True, check=True
    ).stdout.strip()
    Path(own, "_workshop_lab_venv.pth").write_text(shared + "\n")
    # Jupyter finds its data (JupyterLab's static files, nbconvert's templates, kernel specs)
    # and server configuration under sys.prefix: link base's, but give `dest` its own
    # share/jupyter/lab/settings, where `helpers lab` and postBuild install overrides.json.
    _link_tree(base / "share", dest / "share", real={"jupyter", "lab"})
    if (base / "etc").is_dir():
        (dest / "etc").symlink_to(base / "etc")
    pip = dest / "bin" / "pip"  # scripts such as binder/postBuild call `pip`: this venv's
    pip.write_text('#!/bin/sh\nexec "$(dirname "$0")/python" -m pip "$@"\n')
    pip.chmod(0o755)
    return dest


def offline_env(wheelhouse: Path, **extra: str) -> dict[str, str]:
    """The environment for commands that must not reach any package index.

    pip reads no configuration file (this machine's points at local indexes) and gets the
    wheelhouse as its only source; ``PYTHONPATH`` is dropped so nothing leaks in from the
    worktree the tests run from.
    """
    env = {k: v for k, v in kernel_env().items() if not k.startswith("PIP_")}
    env.pop("PYTHONPATH", None)
    env.update(
        PIP_CONFIG_FILE=os.devnull,
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=str(wheelhouse),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        **extra,
    )
    return env


#: Debian's Chromium, and the flags that keep it off the network (this machine has none).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def http_get(url: str) -> tuple[int, str]:
    """``(status, body)`` of a GET; an HTTP error's status with an empty body."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, ""


def helpers_cli(*args: str, cwd: Path, prefix: list[str] | None = None, timeout: float = 300):
    """``python -m helpers ARGS`` in a subprocess, as a user runs it, with this checkout's code."""
    env = dict(os.environ, PYTHONPATH=str(paths.REPO_ROOT))
    return subprocess.run(
        [*(prefix or []), sys.executable, "-m", "helpers", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def assert_one_line_error(result: subprocess.CompletedProcess, *names: str) -> str:
    """Exit != 0, no traceback, and one ``Error:`` line that names every one of `names`."""
    assert result.returncode != 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, result.stderr
    # (a progress bar may end without a newline just before the error)
    errors = [
        line[line.index("Error:") :] for line in result.stderr.splitlines() if "Error:" in line
    ]
    assert len(errors) == 1, result.stderr
    for name in names:
        assert name in errors[0], errors[0]
    return errors[0]
