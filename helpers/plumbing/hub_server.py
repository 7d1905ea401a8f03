"""A real JupyterHub on this computer's loopback: ``python -m helpers hub demo`` and the tests.

It is JupyterHub itself (the 5.x line TLJH and Z2JH ship) behind configurable-http-proxy,
with one shared password (JupyterHub's dummy authenticator), attendees' servers as local
processes (its ``SimpleLocalProcessSpawner``, homes in the hub's folder), and **the file TLJH
loads** (``hub/tljh/jupyterhub_config.d/workshop.py``): so an instructor rehearses the room,
and the tests check it, with the settings attendees will get. It listens on 127.0.0.1 only,
and stopping it stops every server it started.

What it cannot show: the memory and CPU limits, which TLJH enforces with systemd and Z2JH with
Kubernetes (a local process spawner only passes them on as ``MEM_LIMIT`` and ``CPU_LIMIT``).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from helpers import MissingData, StepFailed, outputs, paths
from helpers.plumbing import hub as hub_module

__all__ = ["PROXY", "RunningHub", "free_ports", "running_hub"]

#: configurable-http-proxy, as `make test` (or `make hub-demo`) installs it from hub/proxy/
#: into the environment (``.venv/hub-proxy/``).
PROXY = Path(sys.prefix) / "hub-proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
#: The service whose token rehearsals use, and what it may do (JupyterHub's scopes).
SERVICE = "workshop-rehearsal"
SCOPES = ["admin:users", "admin:servers", "access:servers", "read:users", "list:users"]


@dataclass(frozen=True)
class RunningHub:
    """A hub started by `running_hub`.

    Parameters
    ----------
    url : str
        Its address (``http://127.0.0.1:PORT``).
    token : str
        A service token with `SCOPES`: what ``hub loadtest --token`` takes.
    password : str
        The shared password attendees log in with (any user name).
    folder : pathlib.Path
        Its database, log and attendees' homes.
    """

    url: str
    token: str
    password: str
    folder: Path


#: Where ports are looked for: below the range the system hands out for "any free port" and
#: for outgoing connections (Linux 32768-60999, macOS and Windows 49152-65535), so that a
#: kernel or a client elsewhere on the machine cannot take one between choosing and binding.
PORT_RANGE = range(20000, 32768)
#: How many times a hub is started with new ports when one was taken meanwhile anyway.
START_ATTEMPTS = 3


def free_ports(count: int) -> tuple[int, ...]:
    """`count` distinct ports in `PORT_RANGE` that nothing listens on now.

    Each stays bound until all are chosen, so that none is chosen twice.

    Examples
    --------
    >>> public, hub_port, proxy_api = free_ports(3)
    >>> len({public, hub_port, proxy_api}) == 3 and public in PORT_RANGE
    True
    """
    held: list[socket.socket] = []
    try:
        for port in secrets.SystemRandom().sample(PORT_RANGE, len(PORT_RANGE)):
            sock = socket.socket()
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                sock.close()
                continue
            held.append(sock)
            if len(held) == count:
                return tuple(s.getsockname()[1] for s in held)
        raise StepFailed(f"No {count} free ports between {PORT_RANGE.start} and {PORT_RANGE.stop}.")
    finally:
        for sock in held:
            sock.close()


def _config(
    folder: Path, token: str, password: str, ports: tuple[int, int, int], thread_caps: bool
) -> str:
    public, hub_port, proxy_api = ports
    workshop = paths.REPO_ROOT / "hub" / "tljh" / "jupyterhub_config.d" / "workshop.py"
    root = ["--allow-root"] if os.geteuid() == 0 else []
    return f"""# Written by helpers.plumbing.hub_server at every start: a hub on loopback.
c.JupyterHub.bind_url = "http://127.0.0.1:{public}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api}"
c.ConfigurableHTTPProxy.command = [{str(PROXY)!r}]
c.ConfigurableHTTPProxy.pid_file = {str(folder / "proxy.pid")!r}
c.JupyterHub.pid_file = {str(folder / "hub.pid")!r}
c.JupyterHub.db_url = "sqlite:///{folder / "jupyterhub.sqlite"}"
c.JupyterHub.cookie_secret_file = {str(folder / "cookie_secret")!r}
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {password!r}
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {str(folder / "homes" / "{username}")!r}
c.Spawner.cmd = [{sys.executable!r}, "-m", "jupyterhub.singleuser"]
c.Spawner.args = {root!r}  # (as root only: a local test machine; TLJH runs attendees as users)
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.JupyterHub.services = [{{"name": {SERVICE!r}, "api_token": {token!r}}}]
c.JupyterHub.load_roles = [
    {{"name": "workshop-rehearsal", "scopes": {SCOPES!r}, "services": [{SERVICE!r}]}}
]
# What TLJH loads from /opt/tljh/config/jupyterhub_config.d/, exactly as committed:
load_subconfig({str(workshop)!r})
""" + ("" if thread_caps else _WITHOUT_CAPS)


#: For measuring what the caps change (tools/hub_bench.py): the same hub, the variables unset.
_WITHOUT_CAPS = f"""
# Measuring without the thread caps: only PYTHONPATH is kept from the file above.
c.Spawner.environment = {{
    "PYTHONPATH": lambda spawner: spawner.home_dir + "/{hub_module.ROOM.folder}"
}}
"""


class _PortTaken(StepFailed):
    """Another program took one of the hub's ports between choosing and binding."""


def _why_it_stopped(log_text: str) -> str:
    """The log's first error line, or its last three lines if none says "Error".

    Examples
    --------
    >>> _why_it_stopped("a\\nError: listen EADDRINUSE: address already in use\\n{\\n  port: 1\\n}")
    'Error: listen EADDRINUSE: address already in use'
    >>> _why_it_stopped("one\\ntwo\\nthree\\nfour")
    'two | three | four'
    """
    lines = [line.strip() for line in log_text.strip().splitlines()]
    errors = [line for line in lines if "Error" in line and not line.startswith("Traceback")]
    return errors[0] if errors else " | ".join(lines[-3:])


def _wait_until_up(
    url: str, process: subprocess.Popen, log: Path, since: int, seconds: float
) -> None:
    """Wait until the hub answers; if it or its proxy fails first, say why from its log.

    A port taken by another program meanwhile stops the wait at once (`_PortTaken`): the
    proxy logs it and keeps running, and the hub would only give up after a minute.
    """
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        stopped = process.poll() is not None
        with open(log, "rb") as stream:
            stream.seek(since)
            text = stream.read().decode("utf-8", errors="replace")
        if "EADDRINUSE" in text or "address already in use" in text.lower():
            raise _PortTaken(f"A port of the hub was taken: {_why_it_stopped(text)} (log: {log}).")
        if stopped:
            raise StepFailed(
                f"JupyterHub stopped while starting: {_why_it_stopped(text)} (log: {log})."
            )
        try:
            with urllib.request.urlopen(f"{url}/hub/api/", timeout=2) as response:
                json.loads(response.read())
                return
        except (OSError, ValueError):
            time.sleep(0.3)
    raise StepFailed(f"JupyterHub did not answer at {url} within {seconds:.0f} s (log: {log}).")


def _stop(process: subprocess.Popen, folder: Path) -> None:
    """Stop the hub and everything it started: its process group (servers), and its proxy."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=30)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # what is left of the group: servers, kernels
    process.wait()
    _stop_proxy(folder / "proxy.pid")


def _stop_proxy(pid_file: Path) -> None:
    """Stop the proxy the hub recorded in `pid_file`, if it still runs.

    JupyterHub starts configurable-http-proxy in a session of its own and stops it when it
    shuts down, but not when it is stopped while still starting (a port taken): then the
    proxy would outlive it.
    """
    import psutil

    try:
        proxy = psutil.Process(int(pid_file.read_text().strip()))
        if "configurable-http-proxy" not in " ".join(proxy.cmdline()):
            return  # the number now belongs to another program
        proxy.terminate()
        proxy.wait(timeout=10)
    except psutil.TimeoutExpired:
        proxy.kill()
    except (OSError, ValueError, psutil.Error):  # no file, or no such process (any more)
        return


@contextmanager
def running_hub(
    folder: str | Path,
    *,
    start_seconds: float = 60,
    thread_caps: bool = True,
    limits: Mapping[str, int] | None = None,
) -> Iterator[RunningHub]:
    """Start JupyterHub on loopback in `folder`; stop it and all it started afterwards.

    Parameters
    ----------
    folder : str or pathlib.Path
        A new or empty folder, or an earlier hub's (replaced), for its database, log and the
        attendees' homes (`helpers.outputs.in_place`).
    start_seconds : float, optional
        How long the hub may take to answer.
    thread_caps : bool, optional
        False leaves the thread variables unset, to measure what they change.
    limits : mapping, optional
        JupyterHub settings to rehearse a refusing hub, e.g. ``{"active_server_limit": 2}``.

    Yields
    ------
    RunningHub
        Its address, service token and shared password.

    Raises
    ------
    helpers.MissingData
        If JupyterHub or configurable-http-proxy is not installed (`make test` installs
        both; the message says how).
    helpers.StepFailed
        If the hub does not start (the last lines of its log are named).

    Examples
    --------
    See ``python -m helpers hub demo --help``; tests/test_hub.py starts one for real.
    """
    if shutil.which("jupyterhub", path=str(Path(sys.executable).parent)) is None:
        raise MissingData(
            "JupyterHub is not installed here: `make test` installs it (requirements/test.txt)."
        )
    if not PROXY.is_file():
        raise MissingData(
            f"configurable-http-proxy is not installed ({PROXY}): `make test` installs it with "
            "npm from hub/proxy/ (Node.js 18 or newer)."
        )
    with outputs.in_place(
        folder, "The hub's folder", made_by=MADE_BY, records=_WRITES.__contains__
    ) as folder:
        yield from _serve(folder, start_seconds, thread_caps, dict(limits or {}))


#: Who wrote a hub's folder, and what it writes there.
MADE_BY = "python -m helpers hub demo"
_WRITES = {
    "jupyterhub_config.py",
    "jupyterhub.log",
    "jupyterhub.sqlite",
    "cookie_secret",
    "homes",
    "hub.pid",
    "proxy.pid",
}


def _serve(
    folder: Path, start_seconds: float, thread_caps: bool, limits: dict[str, int]
) -> Iterator[RunningHub]:
    (folder / "homes").mkdir()
    token, password = secrets.token_hex(24), secrets.token_urlsafe(8)

    def configure(ports: tuple[int, ...]) -> None:
        config = _config(folder, token, password, ports, thread_caps)
        config += "".join(f"c.JupyterHub.{k} = {int(v)!r}\n" for k, v in limits.items())
        (folder / "jupyterhub_config.py").write_text(config)

    process, url = _start_until_up(folder, configure, start_seconds)
    try:
        yield RunningHub(url, token, password, folder)
    finally:
        _stop(process, folder)


def _start_until_up(
    folder: Path, configure: Callable[[tuple[int, ...]], None], seconds: float
) -> tuple[subprocess.Popen, str]:
    """Start the hub on new ports, again (up to `START_ATTEMPTS`) if one was taken meanwhile."""
    log = folder / "jupyterhub.log"
    attempt = 1
    while True:
        ports = free_ports(3)
        configure(ports)
        since = log.stat().st_size if log.exists() else 0
        process = _start(folder)
        url = f"http://127.0.0.1:{ports[0]}"
        try:
            _wait_until_up(url, process, log, since, seconds)
            return process, url
        except _PortTaken:
            _stop(process, folder)
            if attempt == START_ATTEMPTS:
                raise
            attempt += 1
        except BaseException:
            _stop(process, folder)
            raise


def _start(folder: Path) -> subprocess.Popen:
    """JupyterHub with the folder's configuration, logging to its ``jupyterhub.log``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTERHUB_")}
    with open(folder / "jupyterhub.log", "ab") as sink:
        return subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(folder / "jupyterhub_config.py")],
            cwd=folder,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as one
        )
