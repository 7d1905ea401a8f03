"""The workshop on a JupyterHub: one source of what every attendee's server gets.

A room of 30 to 100 attendees runs best on a JupyterHub: The Littlest JupyterHub (TLJH) on one
server, or Zero to JupyterHub (Z2JH) on Kubernetes when one server is not enough. `ROOM` holds
the settings both need, once: memory and CPU per attendee, the thread caps that keep
TensorFlow, OpenCV and OpenBLAS to that CPU (they size their pools from the host's cores, not
from a quota), the idle timeout, the page attendees land on, and the nbgitpuller link that
puts the workshop into each attendee's home. `render` writes them for each engine into
``hub/`` (committed; tests/test_hub.py says when it is stale):

- ``hub/tljh/install.sh``: TLJH's install line and the ``tljh-config`` commands;
- ``hub/tljh/jupyterhub_config.d/workshop.py``: the file TLJH loads (thread caps, where
  ``helpers`` is, the first page), the same file the tests load into a real hub;
- ``hub/z2jh/config.yaml``: the Helm values for Z2JH.

Examples
--------
>>> ROOM.thread_environment()["TF_NUM_INTRAOP_THREADS"]
'1'
>>> link("https://hub.example.org").startswith("https://hub.example.org/hub/user-redirect/git-pull?")
True
"""

from __future__ import annotations

import math
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from helpers import BadInput, NotOurs, outputs, paths, startup
from helpers.plumbing import release

__all__ = ["ROOM", "Room", "link", "render", "rendered", "stale"]


@dataclass(frozen=True)
class Room:
    """What every attendee's server gets, whatever runs the hub.

    Parameters
    ----------
    memory_limit_gb, memory_guarantee_gb : float
        A lesson kernel peaks at 0.6 to 1.1 GB on the sample; 2 GB leaves room for JupyterLab
        and a second notebook left open. The guarantee (Kubernetes only) is the limit: the whole
        room works at once, so no node may promise memory it cannot give.
    cpu_limit, cpu_guarantee : float
        Cores per attendee; the lessons run one cell at a time.
    cull_idle_seconds : int
        Stop a server idle this long (TLJH's default of 600 s stops them over lunch).
    repository : str
        The git repository nbgitpuller clones into each home.
    branch : str
        Its branch (`helpers.plumbing.release.REF`, as the badges).
    folder : str
        The clone's folder in each home (nbgitpuller names it after the repository).
    first_page : str
        What attendees open first, inside the clone.
    """

    memory_limit_gb: float = 2.0
    memory_guarantee_gb: float = 2.0
    cpu_limit: float = 1.0
    cpu_guarantee: float = 0.5
    cull_idle_seconds: int = 3600
    repository: str = f"https://github.com/{release.REPOSITORY}"
    branch: str = release.REF
    folder: str = release.REPOSITORY.split("/")[1]
    first_page: str = f"{paths.LEARNER_DIR.name}/00_setup_check.ipynb"

    def thread_environment(self) -> dict[str, str]:
        """The thread variables for a server of `cpu_limit` cores (at least 1 each).

        Examples
        --------
        >>> Room(cpu_limit=2.5).thread_environment()["OMP_NUM_THREADS"]
        '3'
        """
        threads = str(max(1, math.ceil(self.cpu_limit)))
        return {name: threads for name in startup.THREAD_VARIABLES}


#: The settings of the room, for every engine.
ROOM = Room()


def link(hub: str, room: Room = ROOM) -> str:
    """The link attendees click: log in, get the workshop into their home, open the first page.

    nbgitpuller clones the repository on the first click and merges updates on later ones,
    never overwriting what an attendee changed.

    Parameters
    ----------
    hub : str
        The hub's address, e.g. ``https://hub.example.org``.
    room : Room, optional
        The settings.

    Returns
    -------
    str
        The nbgitpuller link.

    Raises
    ------
    helpers.BadInput
        If `hub` is not an http(s) address.

    Examples
    --------
    >>> print(link("http://127.0.0.1:8000/"))  # doctest: +ELLIPSIS
    http://127.0.0.1:8000/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2F...
    """
    parts = urllib.parse.urlsplit(hub)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BadInput(f"--hub '{hub}' is not a hub's address: give it as https://hub.example.org.")
    query = urllib.parse.urlencode(
        {
            "repo": room.repository,
            "branch": room.branch,
            "urlpath": f"lab/tree/{room.folder}/{room.first_page}",
        }
    )
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def _tljh_install(room: Room) -> str:
    requirements = (
        f"https://raw.githubusercontent.com/{release.REPOSITORY}/{room.branch}/requirements/lab.txt"
    )
    return f"""#!/usr/bin/env bash
# The workshop on The Littlest JupyterHub, on one Ubuntu 22.04+ server (instructors/hosting.md
# says how big). Rendered by `python -m helpers hub config` from helpers/plumbing/hub.py: edit
# that file, not this one. Run it from the repository's hub/tljh/ folder, as a user with sudo.
set -euo pipefail
cd "$(dirname "$0")"

# Choose the passwords first: attendees share one, the instructor has another.
: "${{ATTENDEE_PASSWORD:?Set ATTENDEE_PASSWORD (8 characters or more), then run this again}}"
: "${{ADMIN_PASSWORD:?Set ADMIN_PASSWORD (32 characters or more): the admin can become root}}"

# 1. TLJH itself, with the attendees' packages (the workshop's locked lab requirements).
curl -L https://tljh.jupyter.org/bootstrap.py | sudo -E python3 - --admin instructor \\
    --user-requirements-txt-url {requirements}

# 2. One shared password for attendees (any user name), another for the admin "instructor".
#    Not TLJH's "dummy" login: with it anyone could log in as the admin, who has sudo.
sudo tljh-config set auth.type shared-password
sudo tljh-config set auth.SharedPasswordAuthenticator.user_password "$ATTENDEE_PASSWORD"
sudo tljh-config set auth.SharedPasswordAuthenticator.admin_password "$ADMIN_PASSWORD"

# 3. What each attendee's server may use, and a timeout that survives lunch.
sudo tljh-config set limits.memory {room.memory_limit_gb:g}G
sudo tljh-config set limits.cpu {room.cpu_limit:g}
sudo tljh-config set services.cull.timeout {room.cull_idle_seconds}

# 4. Thread caps, where the workshop's helpers are, the first page: loaded by TLJH's hub.
sudo cp jupyterhub_config.d/workshop.py /opt/tljh/config/jupyterhub_config.d/
sudo tljh-config reload hub
"""


def _tljh_config(room: Room) -> str:
    environment = "".join(
        f'        "{name}": "{value}",\n' for name, value in room.thread_environment().items()
    )
    return f'''"""The workshop's settings for every attendee's server, for The Littlest JupyterHub.

Rendered by `python -m helpers hub config` from helpers/plumbing/hub.py (edit that file, not
this one). TLJH loads every file in /opt/tljh/config/jupyterhub_config.d/; the workshop's tests
load this one into a real JupyterHub.
"""

import os
import pwd

#: The clone of the workshop nbgitpuller makes in each attendee's home.
WORKSHOP_FOLDER = "{room.folder}"


def workshop_on_path(spawner):
    """PYTHONPATH for an attendee's server: their clone, so that ``import helpers`` finds it."""
    home = getattr(spawner, "home_dir", "")  # JupyterHub's SimpleLocalProcessSpawner
    if not home:  # TLJH's spawner runs each attendee as the system user jupyter-NAME
        template = getattr(spawner, "username_template", "{{USERNAME}}")
        name = template.replace("{{USERNAME}}", spawner.user.name)
        try:
            home = pwd.getpwnam(name).pw_dir
        except KeyError:
            home = os.path.expanduser("~" + name)
    return os.path.join(home, WORKSHOP_FOLDER)


# TensorFlow, OpenCV and OpenBLAS size their thread pools from the server's cores, not from
# the attendee's CPU limit ({room.cpu_limit:g} here): capped, a room of kernels does not thrash.
c.Spawner.environment.update(  # noqa: F821 (c is the configuration JupyterHub passes in)
    {{
{environment}        "PYTHONPATH": workshop_on_path,
    }}
)
c.Spawner.default_url = "/lab"  # noqa: F821
'''


def _z2jh_config(room: Room) -> str:
    environment = "".join(
        f'    {name}: "{value}"\n' for name, value in room.thread_environment().items()
    )
    pull = (  # a failed pull must not stop the attendee's server from starting
        f'["sh", "-c", "gitpuller {room.repository} {room.branch} {room.folder} || true"]'
    )
    return f"""# The workshop on Zero to JupyterHub (instructors/hosting.md says how big):
#   helm repo add jupyterhub https://hub.jupyter.org/helm-chart/ && helm repo update
#   helm upgrade --install workshop jupyterhub/jupyterhub --namespace workshop \\
#       --create-namespace --values config.yaml --timeout 15m \\
#       --set singleuser.image.name=REGISTRY/workshop --set singleuser.image.tag=TAG \\
#       --set hub.config.SharedPasswordAuthenticator.user_password=ATTENDEES-PASSWORD \\
#       --set hub.config.SharedPasswordAuthenticator.admin_password=ADMIN-PASSWORD-32-CHARS
# Rendered by `python -m helpers hub config` from helpers/plumbing/hub.py: edit that file.
singleuser:
  # Built from the repository's binder/ folder, the files Binder uses, and given to helm
  # with --set (this file is rendered: do not edit it):
  #   jupyter-repo2docker --no-run --push --user-id 1000 --user-name jovyan \\
  #       --image-name REGISTRY/workshop:TAG --ref {room.branch} \\
  #       https://github.com/{release.REPOSITORY}
  image:
    name: REGISTRY/workshop
    tag: TAG
  memory:
    limit: {room.memory_limit_gb:g}G
    guarantee: {room.memory_guarantee_gb:g}G
  cpu:
    limit: {room.cpu_limit:g}
    guarantee: {room.cpu_guarantee:g}
  extraEnv:
{environment}    PYTHONPATH: "/home/jovyan/{room.folder}"
  defaultUrl: /lab
  lifecycleHooks:
    postStart:
      exec:
        command: {pull}
  startTimeout: 300
hub:
  config:
    JupyterHub:
      authenticator_class: shared-password  # passwords: --set, as the first lines show
    Authenticator:
      admin_users: [instructor]
cull:
  enabled: true
  timeout: {room.cull_idle_seconds}
  every: 300
prePuller:
  hook:
    enabled: true
scheduling:
  podPriority:
    enabled: true  # attendees' pods push the placeholders aside
  userPlaceholder:
    enabled: true
    replicas: 10
"""


def rendered(room: Room = ROOM) -> dict[str, str]:
    """``{path inside hub/: text}`` of every engine's configuration, from `room`.

    Examples
    --------
    >>> sorted(rendered())
    ['tljh/install.sh', 'tljh/jupyterhub_config.d/workshop.py', 'z2jh/config.yaml']
    """
    return {
        "tljh/install.sh": _tljh_install(room),
        "tljh/jupyterhub_config.d/workshop.py": _tljh_config(room),
        "z2jh/config.yaml": _z2jh_config(room),
    }


def stale(folder: str | Path | None = None, room: Room = ROOM) -> list[str]:
    """The files of `rendered` that are missing in `folder` or differ from it.

    Parameters
    ----------
    folder : str or pathlib.Path, optional
        Where they are kept (default: ``hub/`` in the repository).
    room : Room, optional
        The settings.

    Returns
    -------
    list of str
        Their paths inside `folder`.

    Examples
    --------
    >>> stale(tmp_path)
    ['tljh/install.sh', 'tljh/jupyterhub_config.d/workshop.py', 'z2jh/config.yaml']
    """
    folder = Path(folder or paths.REPO_ROOT / "hub")
    return [
        name
        for name, text in rendered(room).items()
        if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != text
    ]


def render(
    folder: str | Path | None = None, room: Room = ROOM, *, force: bool = False
) -> list[Path]:
    """Write the stale files of `rendered` into `folder` (``hub/``), each in one step.

    A file changed by hand since it was rendered (``hub/``'s marker says) is not replaced
    unless `force`: put settings in `ROOM`, or pass them to the engine (``helm --set``).

    Parameters
    ----------
    folder : str or pathlib.Path, optional
        Default: ``hub/`` in the repository, which is committed.
    room : Room, optional
        The settings.
    force : bool, optional
        Replace hand-edited files too.

    Returns
    -------
    list of pathlib.Path
        The files written.

    Raises
    ------
    helpers.NotOurs
        If a file was edited by hand (and not `force`), or a link is in the way.

    Examples
    --------
    >>> [p.name for p in render(tmp_path)]
    ['install.sh', 'workshop.py', 'config.yaml']
    >>> render(tmp_path)
    []
    """
    folder = Path(folder or paths.REPO_ROOT / "hub")
    texts = rendered(room)
    changed = stale(folder, room)
    foreign = outputs.foreign_entries(folder) if folder.is_dir() else []
    for name in changed:
        outputs.refuse_links_below(folder, folder / name, "hub/")
        edited = (folder / name).exists() and (foreign is None or folder / name in foreign)
        if edited and not force:
            raise NotOurs(
                f"'{folder / name}' was edited by hand since `hub config` wrote it, so it is "
                "not replaced. Put the setting in helpers/plumbing/hub.py (ROOM), or pass it to "
                "the engine (helm --set ...); --force replaces it."
            )
    written = []
    for name in changed:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        outputs.write_atomically(path, texts[name])
        if path.suffix == ".sh":
            path.chmod(0o755)
        written.append(path)
    if written or not (folder / outputs.MARKER).is_file():
        outputs.write_marker(folder, MADE_BY, include={"tljh", "z2jh"}.__contains__)
    return written


#: Who wrote hub/'s rendered files, in its marker.
MADE_BY = "python -m helpers hub config"
