"""Rehearse the room on a real hub: ``python -m helpers hub loadtest``.

N attendees are created through the hub's REST API, their servers started together (as a class
does at 9:00), the workshop pulled into each home with nbgitpuller, and the chosen lessons of
the learner edition run cell by cell in each attendee's kernel, over the Jupyter server's
kernel websocket (the exercises are left out, as attendees find them). Every step is bounded
in time; every attendee created is removed again, whatever happens.

The report gives, per attendee and in all: seconds to a running server, to the first executed
cell, cell times (median and 95th percentile), each kernel's peak memory and CPU time, the
thread settings the kernels really got, and failures; then what a room of 30 needs.

Only the address given is contacted; the tests use a hub on 127.0.0.1 (`hub_server`).
"""

from __future__ import annotations

import asyncio
import json
import math
import statistics
import time
import urllib.parse
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from helpers import BadInput, StepFailed
from helpers.plumbing import editions
from helpers.plumbing import hub as hub_module

__all__ = ["MADE_BY", "Attendee", "Rehearsal", "as_json", "rehearse", "report"]

#: Who wrote a rehearsal's results (the seal of ``--json``).
MADE_BY = "python -m helpers hub loadtest"
#: Cells left out of a learner copy's run: the exercises, as attendees get them.
_EXERCISE_TAGS = {"attempt", "self-check", "bootstrap"}
#: What a kernel says about itself after the lessons (one line of JSON).
_PROBE = """
import json, os, resource, psutil
import helpers
from helpers import startup
usage = resource.getrusage(resource.RUSAGE_SELF)
try:
    import cv2
    opencv = cv2.getNumThreads()
except ImportError:
    opencv = None
def tensorflow_pool():  # threads of TensorFlow's compute pool (it names them tf_Compute)
    import tensorflow as tf
    tf.reduce_sum(tf.matmul(tf.ones((64, 64)), tf.ones((64, 64)))).numpy()
    if not os.path.isdir("/proc/self/task"):
        return None  # (Linux only: threads' names)
    names = []
    for task in os.listdir("/proc/self/task"):
        with open(f"/proc/self/task/{task}/comm") as comm:
            names.append(comm.read().strip())
    return sum(name.startswith("tf_Compute") for name in names)
print(json.dumps({
    "peak_mb": usage.ru_maxrss / 1024,
    "cpu_seconds": usage.ru_utime + usage.ru_stime,
    "threads": psutil.Process().num_threads(),
    "server_mb": psutil.Process(os.getppid()).memory_info().rss / 1e6,
    "opencv_threads": opencv,
    "tensorflow_compute_threads": tensorflow_pool(),
    "environment": {name: os.environ.get(name) for name in startup.THREAD_VARIABLES},
    "helpers": os.path.dirname(os.path.dirname(helpers.__file__)),
}))
"""


@dataclass
class Attendee:
    """How one attendee's day went.

    Parameters
    ----------
    name : str
        The user created for the rehearsal.
    server_seconds : float or None
        From asking for the server to its being ready.
    first_cell_seconds : float or None
        From asking for the server to the first executed cell's result.
    cell_seconds : list of float
        Every cell's time.
    kernels : list of dict
        Per lesson: its name, peak memory (MB), CPU seconds, thread count and settings.
    error : str
        What failed, if anything.
    """

    name: str
    server_seconds: float | None = None
    first_cell_seconds: float | None = None
    cell_seconds: list[float] = field(default_factory=list)
    kernels: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""


@dataclass
class Rehearsal:
    """A load test's results: every attendee, and how long the whole took."""

    url: str
    notebooks: list[str]
    attendees: list[Attendee]
    seconds: float
    removed: list[str]


class _Hub:
    """The hub's REST API and its users' servers, with one token."""

    def __init__(self, url: str, token: str, timeout: float) -> None:
        from tornado.httpclient import AsyncHTTPClient

        self.url, self.token, self.timeout = url.rstrip("/"), token, timeout
        self.client = AsyncHTTPClient(force_instance=True, defaults={"follow_redirects": False})

    async def call(
        self, method: str, path: str, body: Any = None, already: tuple[int, ...] = ()
    ) -> Any:
        """The hub's answer as JSON (or text); None for an error code in `already`, which
        means the request's effect was there before (a server already running, a user gone)."""
        from tornado.httpclient import HTTPClientError

        data = None if body is None else json.dumps(body)
        try:
            response = await self.client.fetch(
                self.url + path,
                method=method,
                body=data if method in ("POST", "PATCH", "PUT") else None,
                allow_nonstandard_methods=True,
                headers={"Authorization": f"token {self.token}"},
                request_timeout=self.timeout,
            )
        except HTTPClientError as err:
            if err.code in already:
                return None
            if err.code in (401, 403):
                raise StepFailed(
                    f"The hub at {self.url} refused the token (HTTP {err.code} for {method} "
                    f"{path}): give an admin's token, or a service's with the scopes "
                    "admin:users, admin:servers, access:servers and read:users."
                ) from None
            detail = err.response.body.decode(errors="replace")[:200] if err.response else ""
            raise StepFailed(f"{method} {path}: HTTP {err.code} {detail}".strip()) from None
        except OSError as err:
            raise StepFailed(
                f"Cannot reach the hub at {self.url} ({err.strerror or err}). Check --url."
            ) from None
        text = response.body.decode()
        return json.loads(text) if text.strip().startswith(("{", "[")) else text


async def _start_server(hub: _Hub, attendee: Attendee, deadline: float) -> None:
    start = time.monotonic()
    await hub.call("POST", f"/hub/api/users/{attendee.name}/server", {}, already=(400,))
    while time.monotonic() < deadline:
        user = await hub.call("GET", f"/hub/api/users/{attendee.name}")
        if user["servers"].get("", {}).get("ready"):
            attendee.server_seconds = round(time.monotonic() - start, 2)
            return
        await asyncio.sleep(0.5)
    raise StepFailed("the server was not ready in time")


async def _pull(hub: _Hub, name: str, room: hub_module.Room) -> None:
    """nbgitpuller's own API (what the attendees' link calls): clone or update the workshop."""
    query = urllib.parse.urlencode(
        {"repo": room.repository, "branch": room.branch, "targetpath": room.folder}
    )
    events = await hub.call("GET", f"/user/{name}/git-pull/api?{query}")
    last = [line for line in str(events).splitlines() if line.startswith("data:")][-1:]
    if not last or json.loads(last[0][5:]).get("phase") != "finished":
        raise StepFailed(f"nbgitpuller did not finish: {last[0][:200] if last else events!r}")


def _code_cells(notebook: dict[str, Any]) -> list[str]:
    return [
        editions.cell_source(cell)
        for cell in notebook["cells"]
        if cell["cell_type"] == "code"
        and not _EXERCISE_TAGS & set(cell.get("metadata", {}).get("tags", []))
    ]


async def _execute(socket: Any, code: str, session: str, seconds: float) -> tuple[str, str]:
    """Run `code` in the kernel; return (status, stdout). Bounded by `seconds`."""
    msg_id = uuid.uuid4().hex
    await socket.write_message(
        json.dumps(
            {
                "header": {
                    "msg_id": msg_id,
                    "username": "rehearsal",
                    "session": session,
                    "msg_type": "execute_request",
                    "version": "5.3",
                },
                "parent_header": {},
                "metadata": {},
                "content": {
                    "code": code,
                    "silent": False,
                    "store_history": True,
                    "user_expressions": {},
                    "allow_stdin": False,
                    "stop_on_error": True,
                },
                "channel": "shell",
                "buffers": [],
            }
        )
    )
    stdout, status, error, idle = [], None, "", False
    async with asyncio.timeout(seconds):
        # The reply (shell channel) can come before the last output (iopub): wait for both
        # the reply and the kernel's "idle", which follows every output of the request.
        while status is None or not idle:
            text = await socket.read_message()
            if text is None:
                raise StepFailed("the kernel's connection closed (did the kernel die?)")
            message = json.loads(text)
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = message["msg_type"], message["content"]
            if kind == "stream" and content.get("name") == "stdout":
                stdout.append(content["text"])
            elif kind == "error":
                error = f"{content['ename']}: {content['evalue']}"[:300]
            elif kind == "execute_reply":
                status = content["status"]
            elif kind == "status" and content.get("execution_state") == "idle":
                idle = True
    return (error or status), "".join(stdout)


async def _run_notebook(
    hub: _Hub, attendee: Attendee, path: str, started: float, seconds: float
) -> None:
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    quoted = urllib.parse.quote(path)
    notebook = (await hub.call("GET", f"/user/{attendee.name}/api/contents/{quoted}"))["content"]
    session = await hub.call(
        "POST",
        f"/user/{attendee.name}/api/sessions",
        {"path": path, "type": "notebook", "name": path, "kernel": {"name": "python3"}},
    )
    kernel = session["kernel"]["id"]
    ws_url = (
        hub.url.replace("http", "ws", 1) + f"/user/{attendee.name}/api/kernels/{kernel}/channels"
    )
    request = HTTPRequest(ws_url, headers={"Authorization": f"token {hub.token}"})
    socket = await websocket_connect(request)
    try:
        for code in _code_cells(notebook):
            start = time.monotonic()
            status, _ = await _execute(socket, code, session["id"], seconds)
            attendee.cell_seconds.append(round(time.monotonic() - start, 3))
            if attendee.first_cell_seconds is None:
                attendee.first_cell_seconds = round(time.monotonic() - started, 2)
            if status != "ok":
                raise StepFailed(f"{path}: a cell failed: {status}")
        status, printed = await _execute(socket, _PROBE, session["id"], seconds)
        if status != "ok" or not printed.strip():
            raise StepFailed(f"{path}: the kernel could not report on itself: {status}")
        attendee.kernels.append({"notebook": path, **json.loads(printed.strip().splitlines()[-1])})
    finally:
        socket.close()
        await hub.call("DELETE", f"/user/{attendee.name}/api/sessions/{session['id']}")


async def _attend(
    hub: _Hub, attendee: Attendee, notebooks: list[str], room: hub_module.Room, seconds: float
) -> None:
    started = time.monotonic()
    try:
        await _start_server(hub, attendee, started + seconds)
        await _pull(hub, attendee.name, room)
        for notebook in notebooks:
            await _run_notebook(hub, attendee, f"{room.folder}/{notebook}", started, seconds)
    except (StepFailed, TimeoutError, OSError) as err:
        attendee.error = str(err) or type(err).__name__
    except Exception as err:  # one attendee's surprise must not end the others' rehearsal
        attendee.error = f"Unexpected {type(err).__name__}: {err}"


async def _rehearse(
    url: str, token: str, users: int, notebooks: list[str], room: hub_module.Room, seconds: float
) -> Rehearsal:
    hub = _Hub(url, token, timeout=seconds)
    names = [f"rehearsal-{uuid.uuid4().hex[:6]}-{i + 1}" for i in range(users)]
    attendees = [Attendee(name) for name in names]
    removed: list[str] = []
    start = time.monotonic()
    try:
        await hub.call("POST", "/hub/api/users", {"usernames": names})
        await asyncio.gather(*(_attend(hub, a, notebooks, room, seconds) for a in attendees))
    finally:
        for name in names:  # whatever happened: nobody the rehearsal made stays on the hub
            try:
                await hub.call("DELETE", f"/hub/api/users/{name}/server", already=(400,))
                await hub.call("DELETE", f"/hub/api/users/{name}", already=(404,))
                removed.append(name)
            except (StepFailed, OSError):
                pass
        hub.client.close()
    return Rehearsal(url, notebooks, attendees, round(time.monotonic() - start, 1), removed)


def rehearse(
    url: str,
    token: str,
    users: int,
    notebooks: list[str],
    *,
    room: hub_module.Room = hub_module.ROOM,
    seconds: float = 900,
) -> Rehearsal:
    """Run the lessons `notebooks` for `users` attendees at once on the hub at `url`.

    Parameters
    ----------
    url : str
        The hub (``https://hub.example.org``; tests: ``http://127.0.0.1:PORT``).
    token : str
        A token with the scopes ``admin:users``, ``admin:servers``, ``access:servers`` and
        ``read:users`` (a service's, as `helpers.plumbing.hub_server` makes, or an admin's).
    users : int
        Attendees to simulate, 1 to 200.
    notebooks : list of str
        Paths inside the workshop's folder, e.g. ``learner/00_setup_check.ipynb``.
    room : Room, optional
        Where the workshop comes from (`helpers.plumbing.hub.ROOM`: its repository and branch).
    seconds : float, optional
        The longest any one step may take (a server's start, one cell).

    Returns
    -------
    Rehearsal
        Every attendee's times, memory, threads and failures.

    Raises
    ------
    helpers.BadInput
        If `url` is not an http(s) address or `users` is out of range.
    helpers.StepFailed
        If the hub refuses the token or the users (what it said is named).

    Examples
    --------
    See ``python -m helpers hub loadtest --help``; tests/test_hub.py runs one on a real hub.
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BadInput(f"--url '{url}' is not a hub's address: give it as https://hub.example.org.")
    if not 1 <= users <= 200:
        raise BadInput(f"--users must be from 1 to 200, got {users}.")
    return asyncio.run(_rehearse(url, token, users, notebooks, room, seconds))


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)] if ordered else 0.0


def report(result: Rehearsal, room_size: int = 30) -> str:
    """The rehearsal as text: a line per attendee, the totals, what `room_size` attendees need.

    Examples
    --------
    >>> print(report(Rehearsal("http://h", ["x.ipynb"], [Attendee("a", error="boom")], 1.0, ["a"])))
    ... # doctest: +ELLIPSIS
    attendee ...
    a ... boom
    ...
    """
    lines = [
        f"{'attendee':<26} {'server s':>8} {'1st cell s':>10} {'peak MB':>8} {'CPU s':>7}  result"
    ]
    peaks, cpu, cells = [], [], []
    for a in result.attendees:
        peak = max((k["peak_mb"] for k in a.kernels), default=0.0)
        seconds = sum(k["cpu_seconds"] for k in a.kernels)
        peaks.append(peak)
        cpu.append(seconds)
        cells += a.cell_seconds
        lines.append(
            f"{a.name:<26} {a.server_seconds or 0:>8.1f} {a.first_cell_seconds or 0:>10.1f} "
            f"{peak:>8.0f} {seconds:>7.1f}  {a.error or 'ran ' + ', '.join(result.notebooks)}"
        )
    ok = [a for a in result.attendees if not a.error]
    lines.append(
        f"{len(ok)} of {len(result.attendees)} attendees ran every lesson "
        f"in {result.seconds:.0f} s; "
        f"cells: median {statistics.median(cells) if cells else 0:.2f} s, "
        f"95th percentile {_percentile(cells, 0.95):.2f} s; removed again: {len(result.removed)}."
    )
    kernels = [k for a in ok for k in a.kernels]
    caps = sorted({str(k["environment"].get("TF_NUM_INTRAOP_THREADS")) for k in kernels})
    pools = sorted({str(k.get("tensorflow_compute_threads")) for k in kernels})
    lines.append(
        f"Thread caps the kernels got: TF_NUM_INTRAOP_THREADS={', '.join(caps)}; threads in "
        f"TensorFlow's compute pool: {', '.join(pools)}."
    )
    if ok and cells:
        memory = max(peaks) / 1000 * 1.25 * room_size + 0.5
        busy = sum(cpu) / max(sum(cells), 0.001)  # cores busy while cells run
        lines.append(
            f"For {room_size} attendees: >= {memory:.0f} GB RAM (each kernel's peak + 25 %, "
            f"+ 0.5 GB for the hub), >= {math.ceil(room_size * busy)} cores (measured)."
        )
    return "\n".join(lines)


def as_json(result: Rehearsal) -> dict[str, Any]:
    """The rehearsal as JSON-able data (``--json``)."""
    return asdict(result)
