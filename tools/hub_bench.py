"""The room rehearsed on this computer: N attendees on a real JupyterHub, with and without caps.

Starts the loopback hub of ``helpers.plumbing.hub_server`` (the committed TLJH settings) and
runs ``helpers hub loadtest``'s rehearsal against it, once with the thread caps and once
without, and prints a Markdown table for instructors/hosting.md::

    .venv/bin/python -m tools.hub_bench [--users 5] [--notebooks 00 01 02 03 04 05] [--json F]

Needs what ``make test`` installs (JupyterHub, configurable-http-proxy). The workshop comes
from a git repository made from this checkout's tracked files (no network).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script

from helpers import paths  # noqa: E402
from helpers.plumbing import hub, hub_server, loadtest, runner  # noqa: E402


def _repository(folder: Path) -> str:
    """This checkout's tracked files as a git repository on the branch `workshop`."""
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=paths.REPO_ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    repo = folder / hub.ROOM.folder
    for name in filter(None, files):
        target = repo / name.decode()
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(paths.REPO_ROOT / name.decode(), target)
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org"]
    subprocess.run([*git, "init", "-q", "-b", "workshop"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "workshop"], cwd=repo, check=True)
    return str(repo)


def _summary(result: loadtest.Rehearsal) -> dict[str, float]:
    ok = [a for a in result.attendees if not a.error]
    cells = [s for a in ok for s in a.cell_seconds]
    return {
        "attendees": len(result.attendees),
        "ran": len(ok),
        "wall_seconds": result.seconds,
        "server_seconds_max": max((a.server_seconds or 0) for a in result.attendees),
        "cell_p50": statistics.median(cells) if cells else 0.0,
        "cell_p95": sorted(cells)[int(0.95 * (len(cells) - 1))] if cells else 0.0,
        "kernel_peak_mb": max((k["peak_mb"] for a in ok for k in a.kernels), default=0.0),
        "cpu_seconds_per_attendee": statistics.mean(
            [sum(k["cpu_seconds"] for k in a.kernels) for a in ok] or [0.0]
        ),
        "kernel_threads": statistics.median([k["threads"] for a in ok for k in a.kernels] or [0]),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=5)
    parser.add_argument("--notebooks", nargs="+", default=["00", "01", "02", "03", "04", "05"])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    lessons = [f"learner/{n.name}" for n in runner.select_notebooks(args.notebooks)]
    results = {}
    with tempfile.TemporaryDirectory(prefix="hub-bench-") as scratch:
        room = dataclasses.replace(
            hub.ROOM, repository=_repository(Path(scratch)), branch="workshop"
        )
        for caps in (True, False):
            with hub_server.running_hub(Path(scratch) / f"hub-{caps}", thread_caps=caps) as h:
                result = loadtest.rehearse(h.url, h.token, args.users, lessons, room=room)
            print(loadtest.report(result), "\n", flush=True)
            results["with caps" if caps else "without caps"] = _summary(result)
    rows = list(results["with caps"])
    print("| | " + " | ".join(results) + " |\n|---|" + "---|" * len(results))
    for row in rows:
        print(f"| {row} | " + " | ".join(f"{r[row]:.4g}" for r in results.values()) + " |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
