"""The benchmark runs for real on tiny settings and writes well-formed results."""

import json

from click.testing import CliRunner

from helpers import bench, cli, files


def test_repeated_dataset_reaches_the_minimum_with_links(make_dataset, tmp_path):
    src = make_dataset({"a": 3, "b": 2})
    dst = bench.repeated_dataset(src, tmp_path / "big", 12)
    assert sum(files.count_images(dst).values()) == 15  # 5 images x 3 copies
    assert all(p.is_symlink() for p in (dst / "a").iterdir())


def test_cli_bench_writes_json_and_plot(make_dataset, tmp_path):
    src = make_dataset({"cats": 4, "dogs": 4}, size=(40, 50), suffix=".png")
    out_json, out_png = tmp_path / "out" / "bench.json", tmp_path / "out" / "bench.png"
    result = CliRunner().invoke(
        cli.main,
        [
            "bench",
            "--data-dir",
            str(src),
            "--json",
            str(out_json),
            "--plot",
            str(out_png),
            "--rounds",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "same output: bilinear resize" in result.output
    saved = json.loads(out_json.read_text())
    assert list(saved["images_per_second"]) == list(bench.VARIANTS)
    assert all(speed > 0 for speed in saved["images_per_second"].values())
    assert all(len(rounds) == 1 for rounds in saved["rounds"].values())
    assert saved["config"]["images"] == 800  # 8 images repeated up to the default minimum
    assert saved["cache_megabytes"]["uint8"] * 4 == saved["cache_megabytes"]["float32"]
    assert out_png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bench_rejects_zero_rounds():
    result = CliRunner().invoke(cli.main, ["bench", "--rounds", "0"])
    assert result.exit_code == 1 and "rounds must be at least 1" in result.output
