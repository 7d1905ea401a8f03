"""What the thread caps gain under a CPU quota: lessons 06 and 07's work, capped and uncapped.

Run as root on Linux (it makes real cgroup CPU quotas, as Binder, JupyterHub and Docker do)::

    .venv/bin/python -m tools.quota_bench [--rounds 3] [--json build/quota_bench.json]

Three cases, each run capped and uncapped in interleaved rounds (medians):

* one kernel under a 1-CPU quota: lesson 07's training epoch (its network at 64×64);
* the same kernel: lesson 06's tuned ``tf.data`` pipeline (224×224, batches of 32);
* the room: 4 kernels at once, each with a quota of (cores / 4) CPUs, each training lesson 07's
  network; the mean epoch time.

*Capped* is what importing ``helpers`` does under a quota (``helpers/startup.py``);
*uncapped* sets each thread variable to the host's cores, which is what TensorFlow, OpenCV and
OpenBLAS choose by themselves. ``--host-cores 16`` sets them to 16 instead: the threads a kernel
would start on a 16-core hub node, reproduced on this machine. The guide quotes the result.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script

from helpers import paths, startup  # noqa: E402
from helpers.plumbing import bench, quota  # noqa: E402

#: Run in each child: the work of one lesson, timed after a warm-up epoch.
CHILD = """
import json, sys, time
from helpers import models, pipelines
work, folder = sys.argv[1], sys.argv[2]
if work == "train":
    dataset, names = pipelines.image_dataset(folder, image_size=64, batch_size=32, cache="uint8")
    model = models.build_cnn(len(names), 64)
    model.fit(dataset, epochs=1, verbose=0)
    start = time.perf_counter()
    model.fit(dataset, epochs=2, verbose=0)
    print(json.dumps({"seconds per epoch": (time.perf_counter() - start) / 2}))
else:
    dataset, names = pipelines.image_dataset(folder, image_size=224, batch_size=32)
    count = sum(int(x.shape[0]) for x, _ in dataset)
    start = time.perf_counter()
    for _ in dataset:
        pass
    print(json.dumps({"images per second": count / (time.perf_counter() - start)}))
"""


def _env(capped: bool, host_cores: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in startup.THREAD_VARIABLES}
    if not capped:
        env.update({name: str(host_cores) for name in startup.THREAD_VARIABLES})
    return env


def _start(prefix: list[str], work: str, folder: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [*prefix, sys.executable, "-c", CHILD, work, str(folder)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=paths.REPO_ROOT,
    )


def _finish(process: subprocess.Popen) -> dict:
    out, err = process.communicate(timeout=900)
    if process.returncode != 0:
        raise SystemExit(f"a benchmark kernel failed: {err[-1000:]}")
    return json.loads(out.splitlines()[-1])


def _kernels(count: int, cpus: float, work: str, folder: Path, env: dict) -> list[dict]:
    """`count` kernels at once, each in its own group of `cpus` CPUs."""
    with contextlib.ExitStack() as stack:
        prefixes = [stack.enter_context(quota.cpu_quota_group(cpus)) for _ in range(count)]
        running = [_start(prefix, work, folder, env) for prefix in prefixes]
        return [_finish(process) for process in running]


def measure(rounds: int, folder: Path, host_cores: int) -> dict:
    """Medians over `rounds` of each case, capped and uncapped."""
    cores = startup.visible_cpus()
    cases = {
        "07 epoch, 1 kernel, 1 CPU quota (s)": (1, 1.0, "train", "seconds per epoch"),
        "06 pipeline, 1 kernel, 1 CPU quota (images/s)": (1, 1.0, "load", "images per second"),
        f"07 epoch, 4 kernels, {cores / 4:g} CPU each (s, mean)": (
            4,
            cores / 4,
            "train",
            "seconds per epoch",
        ),
    }
    found: dict[str, dict[str, list[float]]] = {
        name: {"capped": [], "uncapped": []} for name in cases
    }
    for round_ in range(rounds):
        for name, (count, cpus, work, key) in cases.items():
            for mode in ("capped", "uncapped") if round_ % 2 == 0 else ("uncapped", "capped"):
                env = _env(mode == "capped", host_cores)
                results = _kernels(count, cpus, work, folder, env)
                found[name][mode].append(statistics.mean(r[key] for r in results))
                print(
                    f"round {round_ + 1}: {name}, {mode}: {found[name][mode][-1]:.3g}", flush=True
                )
    return {
        "cores": cores,
        "uncapped_threads": host_cores,
        "rounds": rounds,
        "cases": {
            name: {mode: statistics.median(values) for mode, values in modes.items()}
            for name, modes in found.items()
        },
    }


def report(result: dict) -> str:
    """A table: each case capped, uncapped, and how many times better the caps are."""
    lines = [
        f"{result['cores']} cores, uncapped = {result['uncapped_threads']} threads a pool, "
        f"medians of {result['rounds']} rounds"
    ]
    for name, values in result["cases"].items():
        capped, uncapped = values["capped"], values["uncapped"]
        gain = uncapped / capped if "(s" in name else capped / uncapped
        lines.append(f"{name}: capped {capped:.3g}, uncapped {uncapped:.3g}, caps {gain:.2f}x")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--host-cores", type=int, default=startup.visible_cpus())
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = bench.repeated_dataset(paths.SAMPLE_DIR, Path(tmp) / "images", 840)
        try:
            result = measure(max(1, args.rounds), folder, max(1, args.host_cores))
        except quota.QuotaUnavailable as why:
            print(f"Cannot set a CPU quota here: {why}", file=sys.stderr)
            return 1
    print(report(result))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
