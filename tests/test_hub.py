"""Hosting the room: hub/ rendered from one source, and a real JupyterHub rehearsed on loopback.

The hub is JupyterHub itself behind configurable-http-proxy (installed by `make test` from
hub/proxy/), loading the committed hub/tljh/jupyterhub_config.d/workshop.py as TLJH would;
attendees get the workshop by nbgitpuller from a local git repository of this checkout, and
`python -m helpers hub loadtest` runs the learner edition's lessons in their kernels.
"""

from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import sys
import urllib.request

import psutil
import pytest
import support
import yaml

import helpers
from helpers import outputs, paths, startup
from helpers.plumbing import hub, hub_server

needs_hub = pytest.mark.skipif(
    not hub_server.PROXY.is_file(),
    reason=f"configurable-http-proxy is not installed ({hub_server.PROXY}): make test installs "
    "it with npm (Node.js 18+)",
)


def test_hub_folder_is_rendered_from_the_one_source():
    assert hub.stale() == [], "Run `python -m helpers hub config` and commit hub/."


def test_every_engine_gets_the_same_settings():
    room = hub.ROOM
    z2jh = yaml.safe_load((paths.REPO_ROOT / "hub" / "z2jh" / "config.yaml").read_text("utf-8"))
    single = z2jh["singleuser"]
    assert {k: single["extraEnv"][k] for k in startup.THREAD_VARIABLES} == room.thread_environment()
    assert single["memory"]["limit"] == f"{room.memory_limit_gb:g}G"
    assert single["cpu"]["limit"] == room.cpu_limit and z2jh["cull"]["timeout"] == 3600
    install = (paths.REPO_ROOT / "hub" / "tljh" / "install.sh").read_text("utf-8")
    assert f"limits.memory {room.memory_limit_gb:g}G" in install
    assert f"services.cull.timeout {room.cull_idle_seconds}" in install
    assert "requirements/lab.txt" in install and "set -euo pipefail" in install
    assert "auth.type shared-password" in install  # never the dummy login on a real hub
    unset = subprocess.run(
        ["bash", str(paths.REPO_ROOT / "hub/tljh/install.sh")],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert unset.returncode != 0 and "ATTENDEE_PASSWORD" in unset.stderr  # asks before installing
    assert z2jh["hub"]["config"]["JupyterHub"]["authenticator_class"] == "shared-password"
    assert z2jh["scheduling"]["podPriority"]["enabled"] is True
    config = {"c": _Config()}
    exec((paths.REPO_ROOT / "hub/tljh/jupyterhub_config.d/workshop.py").read_text("utf-8"), config)
    environment = config["c"].Spawner.environment
    assert {k: environment[k] for k in startup.THREAD_VARIABLES} == room.thread_environment()


class _Config:
    """Enough of traitlets' config object to read what a jupyterhub_config.d file sets."""

    class _Section(dict):
        def __getattr__(self, name):
            return self.setdefault(name, {})

        def __setattr__(self, name, value):
            self[name] = value

    def __init__(self) -> None:
        self.Spawner = self._Section()


def test_the_attendees_link_opens_lesson_00_after_the_pull():
    url = hub.link("https://hub.example.org/")
    assert url.startswith("https://hub.example.org/hub/user-redirect/git-pull?repo=https%3A")
    assert "branch=workshop" in url and "learner%2F00_setup_check.ipynb" in url
    result = support.helpers_cli("hub", "link", "--hub", "hub.example.org", cwd=paths.REPO_ROOT)
    support.assert_one_line_error(result, "hub.example.org", "https://")


@pytest.fixture(scope="module")
def workshop_repository(tmp_path_factory, checkout) -> str:
    """This checkout as a git repository on branch `workshop`: what nbgitpuller clones."""
    repo = tmp_path_factory.mktemp("git") / "image-data-pipelines"
    shutil.copytree(checkout, repo, ignore=shutil.ignore_patterns(".venv", "build"))
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org"]
    subprocess.run([*git, "init", "-q", "-b", "workshop"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "workshop"], cwd=repo, check=True)
    return str(repo)


def _users(running: hub_server.RunningHub) -> list[str]:
    request = urllib.request.Request(
        f"{running.url}/hub/api/users", headers={"Authorization": f"token {running.token}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return [user["name"] for user in json.loads(response.read())]


def _proxies_on(ports) -> list[psutil.Process]:
    """configurable-http-proxy processes listening on any of `ports` (in their command line)."""
    wanted, found = {str(port) for port in ports}, []
    for process in psutil.process_iter(["cmdline"]):
        words = process.info["cmdline"] or []
        if any("configurable-http-proxy" in word for word in words) and wanted & set(words):
            found.append(process)
    return found


def _hub_processes(folder) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["cmdline", "environ"]):
        try:
            text = " ".join(process.info["cmdline"] or [])
        except psutil.Error:
            continue
        if str(folder) in text:
            found.append(process)
    return found


@pytest.mark.slow
@needs_hub
def test_a_rehearsal_of_three_attendees_on_a_real_hub(tmp_path, workshop_repository):
    """helpers hub loadtest: 3 attendees, lessons 00-02 of the learner edition, thread caps."""
    folder = tmp_path / "hub"
    with hub_server.running_hub(folder) as running:
        result = subprocess.run(
            [
                sys.executable, "-m", "helpers", "hub", "loadtest",
                "--url", running.url, "--token", running.token, "--users", "3",
                "--notebooks", "00", "01", "02",
                "--repo", workshop_repository, "--branch", "workshop",
                "--json", str(tmp_path / "rehearsal.json"), "--timeout", "600",
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=1500,
        )  # fmt: skip
        print(result.stdout)
        assert result.returncode == 0, result.stdout + result.stderr[-3000:]
        assert _users(running) == [], "the rehearsal removes its attendees"
    rehearsal = json.loads((tmp_path / "rehearsal.json").read_text("utf-8"))
    assert outputs.sealed_by(tmp_path / "rehearsal.json") == "python -m helpers hub loadtest"
    assert len(rehearsal["attendees"]) == 3 and len(rehearsal["removed"]) == 3
    for attendee in rehearsal["attendees"]:
        assert attendee["error"] == ""
        assert [k["notebook"].split("/")[-1][:2] for k in attendee["kernels"]] == ["00", "01", "02"]
        for kernel in attendee["kernels"]:  # the TLJH file's caps reached every kernel
            assert kernel["environment"] == hub.ROOM.thread_environment()
            assert kernel["opencv_threads"] == 1
            assert kernel["tensorflow_compute_threads"] == 1  # TensorFlow's own pool, capped
            home = folder / "homes" / attendee["name"] / hub.ROOM.folder
            assert kernel["helpers"] == str(home), "helpers comes from the attendee's clone"
    assert "For 30 attendees: >=" in result.stdout
    assert _hub_processes(folder) == [], "stopping the hub stops every server and kernel"
    assert _proxies_on([running.url.rsplit(":", 1)[1]]) == [], "and its proxy"


@pytest.mark.slow  # starts a hub
@needs_hub
def test_a_wrong_token_is_one_line_and_leaves_nobody_behind(tmp_path):
    with hub_server.running_hub(tmp_path / "hub") as running:
        result = support.helpers_cli(
            "hub", "loadtest", "--url", running.url, "--token", "wrong", "--users", "2",
            cwd=tmp_path, timeout=120,
        )  # fmt: skip
        support.assert_one_line_error(result, running.url, "refused the token", "HTTP 403")
        assert _users(running) == []


@pytest.mark.slow  # starts a hub and two servers
@needs_hub
def test_a_hub_that_refuses_servers_is_reported_and_cleaned_up(tmp_path, workshop_repository):
    """More attendees than the hub allows: the refused ones are named, nobody stays behind."""
    with hub_server.running_hub(tmp_path / "hub", limits={"active_server_limit": 2}) as running:
        result = support.helpers_cli(
            "hub", "loadtest", "--url", running.url, "--token", running.token, "--users", "3",
            "--notebooks", "00", "--repo", workshop_repository, "--branch", "workshop",
            cwd=tmp_path, timeout=600,
        )  # fmt: skip
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert "HTTP 429" in result.stdout and "2 of 3 attendees ran every lesson" in result.stdout
        assert _users(running) == []


@pytest.mark.slow  # starts a hub four times
@needs_hub
def test_a_port_taken_after_it_was_chosen_is_retried_then_named(tmp_path, monkeypatch):
    """What failed CI once: another program took the proxy's port before the proxy bound it."""
    real_free_ports, taken = hub_server.free_ports, []

    def taking_the_proxy_port(times: int):
        def free_ports(count: int) -> tuple[int, ...]:
            ports = real_free_ports(count)
            if len(taken) < times:  # the proxy's API port, taken by "another program"
                taken.append(socket.create_server(("127.0.0.1", ports[2])))
            return ports

        return free_ports

    try:
        monkeypatch.setattr(hub_server, "free_ports", taking_the_proxy_port(times=99))
        with pytest.raises(helpers.StepFailed) as failed, hub_server.running_hub(tmp_path / "x"):
            pass
        assert len(taken) == hub_server.START_ATTEMPTS
        port = taken[-1].getsockname()[1]
        assert "EADDRINUSE" in str(failed.value) and str(port) in str(failed.value), failed.value
        assert _hub_processes(tmp_path / "x") == []
        assert _proxies_on(s.getsockname()[1] for s in taken) == [], "no proxy left running"

        monkeypatch.setattr(hub_server, "free_ports", taking_the_proxy_port(times=4))
        with hub_server.running_hub(tmp_path / "once") as running:  # the second start answers
            assert _users(running) == []
        assert len(taken) == 4
    finally:
        for sock in taken:
            sock.close()


def test_a_hub_that_is_not_there_is_one_line(tmp_path):
    port = support.free_port()
    result = support.helpers_cli(
        "hub", "loadtest", "--url", f"http://127.0.0.1:{port}", "--token", "x", cwd=tmp_path
    )
    support.assert_one_line_error(result, f"127.0.0.1:{port}", "Cannot reach the hub")


@pytest.mark.slow
@needs_hub
def test_hub_demo_serves_until_ctrl_c_and_leaves_nothing_running(tmp_path):
    folder = tmp_path / "demo"
    demo = subprocess.Popen(
        [sys.executable, "-m", "helpers", "hub", "demo", "--folder", str(folder)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        first = demo.stdout.readline()
        assert first.startswith("JupyterHub: http://127.0.0.1:"), first + demo.stderr.read()
        url = first.split()[1]
        assert json.loads(support.http_get(f"{url}/hub/api/")[1])["version"].startswith("5.")
    finally:
        demo.send_signal(signal.SIGINT)
        out, err = demo.communicate(timeout=60)
    assert demo.returncode == 0 and "Traceback" not in err, err
    assert _hub_processes(folder) == []
    assert outputs.foreign_entries(folder) == []  # its folder is the demo's own: replaced next time
