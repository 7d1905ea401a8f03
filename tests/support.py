"""Small helpers shared by several test modules (imported as `support`)."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import nbformat


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
