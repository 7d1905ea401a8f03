"""``python -m helpers lab``: what ``make lab`` does, on every OS and without ``make``.

Installs the attendees' JupyterLab settings (``binder/overrides.json``: no "Jupyter news?"
question, no notices about newer releases) into this environment, regenerates the sample if
it is missing, and starts JupyterLab at notebook 00 of the learner edition.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
from pathlib import Path

from helpers import BadInput, MissingData, outputs, paths

__all__ = [
    "FIRST_NOTEBOOK",
    "command",
    "first_notebook",
    "install_settings",
    "prepare",
    "server_options",
    "start",
]

#: The notebook JupyterLab opens first, in the learner edition.
FIRST_NOTEBOOK = "00_setup_check.ipynb"


def first_notebook() -> tuple[Path, str | None]:
    """The notebook to open: learner edition's 00, else the full edition's, with a note why.

    Returns
    -------
    (pathlib.Path, str or None)
        The notebook, and a one-line note when it is not the learner edition's.

    Raises
    ------
    FileNotFoundError
        If neither edition has notebook 00.

    Examples
    --------
    >>> path, note = first_notebook()
    >>> path.name
    '00_setup_check.ipynb'
    """
    learner = paths.LEARNER_DIR / FIRST_NOTEBOOK
    if learner.is_file():
        return learner, None
    full = paths.NOTEBOOKS_DIR / FIRST_NOTEBOOK
    if full.is_file():
        return full, (
            f"The learner edition ({paths.LEARNER_DIR}) is missing, so this opens the full "
            "edition, solutions included. To get it back: git checkout -- learner "
            "(instructors: python -m helpers editions)."
        )
    raise MissingData(
        f"Neither '{learner}' nor '{full}' exists: this checkout of the workshop is incomplete. "
        "Clone the repository again (SETUP.md)."
    )


def install_settings(prefix: str | Path = sys.prefix) -> str:
    """Copy ``binder/overrides.json`` into `prefix`'s JupyterLab settings, unless already there.

    A different ``overrides.json`` found there is left alone (it is not the workshop's).

    Parameters
    ----------
    prefix : str or pathlib.Path, optional
        The environment (default: the running one).

    Returns
    -------
    str
        One line saying what was done.

    Examples
    --------
    >>> install_settings(tmp_path).startswith("Installed JupyterLab settings")
    True
    >>> install_settings(tmp_path).startswith("JupyterLab settings already installed")
    True
    """
    source = paths.REPO_ROOT / "binder" / "overrides.json"
    target = Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    if target.is_file():
        if target.read_bytes() == source.read_bytes():
            return f"JupyterLab settings already installed ({target})."
        return f"Kept your own JupyterLab settings in {target} (the workshop's are {source})."
    target.parent.mkdir(parents=True, exist_ok=True)
    outputs.write_atomically(target, source.read_bytes())  # (a link there is replaced)
    return f"Installed JupyterLab settings: {target}"


def prepare(prefix: str | Path = sys.prefix) -> tuple[Path, list[str]]:
    """Everything ``lab`` does before starting JupyterLab.

    Parameters
    ----------
    prefix : str or pathlib.Path, optional
        The environment whose JupyterLab gets the settings.

    Returns
    -------
    (pathlib.Path, list of str)
        The notebook to open, and what was done (one line each).

    Raises
    ------
    ValueError
        Outside a checkout, or without JupyterLab installed.
    """
    if not paths.in_checkout():
        raise BadInput(
            "python -m helpers lab needs a checkout of the workshop (git clone, SETUP.md); "
            f"this helpers is installed in {paths.HELPERS_DIR}. On Colab, open the notebooks "
            "from their 'Open in Colab' badge instead."
        )
    if importlib.util.find_spec("jupyterlab") is None:
        raise BadInput(
            f"JupyterLab is not installed in {sys.prefix}: install requirements/lab.txt into "
            "it (SETUP.md), then run python -m helpers lab again."
        )
    notebook, note = first_notebook()
    done = [install_settings(prefix)]
    if not paths.SAMPLE_DIR.is_dir():
        from helpers.plumbing import data

        data.make_sample(paths.SAMPLE_ROOT, progress=False)
        done.append(f"Regenerated the sample: {paths.SAMPLE_DIR}")
    if note:
        done.append(f"NOTE: {note}")
    return notebook, done


def server_options() -> list[str]:
    """JupyterLab options that give every kernel CurveZMQ keys, when `kernels_can_encrypt`.

    With the keys the connection is encrypted, as ipykernel's warning advises; a pyzmq
    without libsodium would make JupyterLab refuse the option, so it is left out there.

    Examples
    --------
    >>> server_options()  # pyzmq from PyPI has libsodium
    ['--KernelManager.transport_encryption=auto']
    """
    return ["--KernelManager.transport_encryption=auto"] if kernels_can_encrypt() else []


def kernels_can_encrypt() -> bool:
    """Whether kernels can get CurveZMQ keys here: pyzmq built with libsodium (every PyPI wheel).

    ipykernel 7 warns "Kernel is running over TCP without encryption" at every kernel start
    unless the kernel manager hands the kernel such keys; `server_options` (JupyterLab) and
    `helpers.plumbing.runner.kernel_options` (papermill) do when this is True.

    Examples
    --------
    >>> kernels_can_encrypt()  # every pyzmq wheel on PyPI is built with libsodium
    True
    """
    try:
        import zmq
    except ImportError:  # JupyterLab is not installed: `start` says so
        return False
    return bool(zmq.has("curve"))


def command(notebook: Path, extra: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The ``jupyter lab`` command line (run from the repository root).

    Examples
    --------
    >>> command(paths.NOTEBOOKS_DIR / "00_setup_check.ipynb", ["--no-browser"])[-2:]
    ['--no-browser', 'notebooks/00_setup_check.ipynb']
    """
    # `-m jupyterlab`, not `-m jupyter lab`: the latter looks for a `jupyter-lab` script on
    # PATH, which an environment that is not activated (Windows, often) does not put there.
    args = [sys.executable, "-m", "jupyterlab", f"--notebook-dir={paths.REPO_ROOT}"]
    args += server_options()
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--allow-root")  # containers; JupyterLab refuses root otherwise
    return [*args, *extra, notebook.relative_to(paths.REPO_ROOT).as_posix()]


def start(extra: list[str] | tuple[str, ...] = ()) -> int:
    """Prepare, then run JupyterLab until it stops; its exit code.

    Ctrl-C goes to JupyterLab alone (it asks whether to shut down), as with ``make lab``.
    """
    notebook, done = prepare()
    for line in done:
        print(line, flush=True)
    print(f"Starting JupyterLab at {notebook.relative_to(paths.REPO_ROOT).as_posix()}", flush=True)
    server = subprocess.Popen(command(notebook, extra), cwd=paths.REPO_ROOT)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        return server.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
        if server.poll() is None:  # we were stopped (SIGTERM): stop JupyterLab too
            server.terminate()
            server.wait()
