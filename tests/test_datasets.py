"""The workshop on the data instructors bring (issue 13): a matrix of generated datasets.

Each dataset in `datasets.MATRIX` has one property of real photo collections (mixed sizes,
grayscale, RGBA/palette/16-bit/EXIF-tagged files, 8x8 images in 10 classes, a light background,
20 classes, a Mac copy with tiny classes, 12-megapixel photos) and runs through
``python -m helpers run`` on the notebooks that property can affect. `real_photos` are crops of
the photographs that ship inside scikit-image's wheel. Every run must pass with no error output
and no stderr beyond what the lessons themselves show and explain. Datasets in
`datasets.REFUSED` must be refused by ``data check`` (exit 1, file named) before anything runs.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import datasets
import pytest
import support
from click.testing import CliRunner

from helpers.plumbing import cli, runner

#: Small and quick (the properties show at any size), for the notebooks that declare them.
FAST = {"IMAGE_SIZE": ("32", ""), "EPOCHS": ("1", "07"), "BENCH_IMAGES": ("40", "06")}


def _run(data_dir: Path, out: Path, notebooks: tuple[str, ...]) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "helpers", "run", "--data-dir", str(data_dir)]
    command += ["--out", str(out), "--notebooks", *notebooks]
    for name, (value, only_in) in FAST.items():
        if not only_in or only_in in notebooks:
            command += ["-p", name, value]
    return subprocess.run(
        command, capture_output=True, text=True, cwd=out.parent, env=support.kernel_env()
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("datasets")
    for name, (build, _) in {**datasets.MATRIX, **datasets.REFUSED}.items():
        build(root / name)
    return root


@pytest.mark.parametrize("name", sorted(datasets.MATRIX))
def test_data_check_accepts(built, name):
    result = CliRunner().invoke(cli.main, ["data", "check", str(built / name), "--deep"])
    assert result.exit_code == 0, result.output
    assert "OK: ready for training." in result.output


@pytest.mark.parametrize("name", sorted(datasets.REFUSED))
def test_data_check_and_run_refuse_with_the_file_named(built, name, tmp_path):
    expected = datasets.REFUSED[name][1]
    result = CliRunner().invoke(cli.main, ["data", "check", str(built / name)])
    assert result.exit_code == 1 and expected in result.output, result.output
    refused = _run(built / name, tmp_path / "out", ("00",))
    assert refused.returncode == 1 and expected in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr
    assert not (tmp_path / "out").exists(), "nothing runs on refused data"


def _assert_clean_run(data_dir: Path, out: Path, notebooks: tuple[str, ...]) -> list[dict]:
    result = _run(data_dir, out, notebooks)
    summary = (
        [asdict(r) for r in runner.read_summary(out).notebooks]
        if (out / "summary.json").exists()
        else []
    )
    assert result.returncode == 0, result.stderr[-3000:] + json.dumps(summary, indent=1)
    assert [r["notebook"][:2] for r in summary] == list(notebooks)
    assert all(r["status"] == "passed" for r in summary), summary
    for r in summary:
        assert r["peak_memory_mb"] < 2000, f"{r['notebook']} would not fit on Binder"
        assert support.unexpected_output(out / r["output"]) == [], r["notebook"]
    return summary


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(datasets.MATRIX))
def test_notebooks_run_on(built, name, tmp_path):
    summary = _assert_clean_run(built / name, tmp_path / "out", datasets.MATRIX[name][1])
    for r in summary:  # 8x8 images are 192 bytes: a size printed as 0.00 MB says nothing
        printed = support.stream_text(tmp_path / "out" / r["output"], "stdout", "stderr")
        zero = re.findall(r"\b0\.0+ [kMG]B\b", printed)
        assert zero == [], f"{r['notebook']} prints {zero}"


@pytest.mark.slow
def test_notebooks_run_on_real_photographs(tmp_path):
    if datasets.skimage_data() is None:
        pytest.skip("scikit-image (a [test] extra) is not installed")
    data_dir = datasets.real_photos(tmp_path / "real")
    assert CliRunner().invoke(cli.main, ["data", "check", str(data_dir)]).exit_code == 0
    _assert_clean_run(data_dir, tmp_path / "out", ("01", "05"))
