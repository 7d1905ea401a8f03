"""Small helpers shared by several test modules (imported as `support`)."""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path


def fingerprint(root: Path) -> dict[str, str]:
    """``{relative path: sha256}`` of every file below `root`, to prove nothing changed."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".ipynb_checkpoints" not in p.parts
    }


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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


def kernel_env() -> dict[str, str]:
    """This environment without ``PYTEST_CURRENT_TEST``, for commands that start notebook kernels.

    ipykernel stops copying C-level output (TensorFlow's C++ log lines) into the notebook when it
    sees that variable, which pytest sets; JupyterLab and ``helpers run`` in a terminal do show it.
    Tests that read a notebook's stderr must run it the way attendees and instructors do.
    """
    return {name: value for name, value in os.environ.items() if name != "PYTEST_CURRENT_TEST"}
