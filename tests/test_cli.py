"""The command line, through click's CliRunner and once as a real subprocess."""

import signal
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from helpers import files, paths, split
from helpers.plumbing import cli


def invoke(*args):
    return CliRunner().invoke(cli.main, list(args))


def _every_command(group=cli.main, prefix=()):
    """Every command and sub-command the command line has, read from click itself."""
    yield list(prefix)
    for name, command in getattr(group, "commands", {}).items():
        yield from _every_command(command, (*prefix, name))


def test_help_on_every_command():
    commands = list(_every_command())
    # read from click, so a new command is checked without editing this list
    assert {"check", "lab", "site", "split", "run", "editions", "bench"} <= {
        c[0] for c in commands if c
    }
    assert ["data", "check"] in commands
    for args in commands:
        result = invoke(*args, "--help")
        assert result.exit_code == 0 and "Usage:" in result.output, args


def test_check_ok(ready_machine):
    result = invoke("check")
    assert result.exit_code == 0, result.output
    assert "Kirmizi_Pistachio" in result.output and "ready" in result.output


def test_check_without_data_exits_1_and_says_how_to_fix(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "SAMPLE_DIR", tmp_path / "removed")
    result = invoke("check")
    assert result.exit_code == 1
    assert "python -m helpers data sample" in result.output


def test_sample_into_a_folder(tmp_path):
    result = invoke("data", "sample", "--out", str(tmp_path), "--per-class", "2")
    assert result.exit_code == 0, result.output
    data_dir = tmp_path / "Pistachio_Image_Dataset" / "Pistachio_Image_Dataset"
    assert files.count_images(data_dir) == {"Kirmizi_Pistachio": 2, "Siirt_Pistachio": 2}
    assert f"DATA_DIR={data_dir}" in result.output


def test_sample_smaller_images(tmp_path):
    result = invoke("data", "sample", "--out", str(tmp_path), "--per-class", "1", "--size", "64")
    assert result.exit_code == 0, result.output
    image = (
        tmp_path / "Pistachio_Image_Dataset/Pistachio_Image_Dataset/Siirt_Pistachio/siirt (1).jpg"
    )
    from helpers import images

    assert images.read_image(image).shape == (64, 64, 3)


def test_sample_per_class_zero_is_one_line(tmp_path):
    result = invoke("data", "sample", "--out", str(tmp_path), "--per-class", "0")
    assert result.exit_code == 2  # click's exit code for a usage error
    error = result.output.strip().splitlines()[-1]
    assert error.startswith("Error: Invalid value for '--per-class': 0 is not in the range x>=1")
    assert not any(tmp_path.iterdir())


def test_sample_unwritable_out_is_one_line(tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    result = invoke("data", "sample", "--out", str(blocker / "sub"))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "a_file" in lines[0] and "Traceback" not in result.output


def test_split_and_refuse_rerun(make_dataset, tmp_path):
    src = make_dataset({"a": 5, "b": 5})
    first = invoke("split", str(src), str(tmp_path / "out"))
    assert first.exit_code == 0, first.output
    assert "train: 6 images" in first.output
    again = invoke("split", str(src), str(tmp_path / "out"))
    assert again.exit_code == 1 and "--overwrite" in again.output
    forced = invoke("split", str(src), str(tmp_path / "out"), "--overwrite", "--seed", "7")
    assert forced.exit_code == 0


def test_split_reports_what_it_left_out(make_dataset, tmp_path):
    src = make_dataset({"a": 5, "b": 5})
    (src / ".ipynb_checkpoints").mkdir()
    result = CliRunner().invoke(cli.main, ["split", str(src), str(tmp_path / "out")])
    assert result.exit_code == 0
    assert (
        "WARNING: Left out of the split" in result.output and ".ipynb_checkpoints" in result.output
    )


def test_split_bad_ratio_is_one_line(make_dataset, tmp_path):
    src = make_dataset({"a": 5, "b": 5})
    result = invoke("split", str(src), str(tmp_path / "out"), "--ratio", "0.5", "--ratio", "0.2")
    assert result.exit_code == 1 and "Incorrect value for `ratio`" in result.output


def test_python_dash_m_from_another_directory(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "helpers", "data", "check", str(paths.SAMPLE_DIR)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0 and "OK: ready for training." in result.stdout, result.stderr
    assert "Traceback" not in result.stderr


# --- issue 12: one place turns any error into one line -------------------------------------------


def test_an_os_error_from_any_command_is_one_line_naming_the_file(monkeypatch, tmp_path):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", "/somewhere/dogs")

    monkeypatch.setattr(split, "split_dataset", refuse)
    src = tmp_path / "src"
    src.mkdir()
    result = invoke("split", str(src), str(tmp_path / "out"))
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert lines == [
        f"Error: Cannot split into '{tmp_path / 'out'}': Permission denied ('/somewhere/dogs'). "
        "Check its permissions (ls -l), or choose another folder."
    ]


def test_an_unexpected_error_is_one_line_too_and_debug_shows_it(
    monkeypatch, make_dataset, tmp_path
):
    def broken(*args, **kwargs):
        raise RuntimeError("something\nnobody expected")

    monkeypatch.setattr(split, "split_dataset", broken)
    src = make_dataset({"a": 2, "b": 2})
    result = invoke("split", str(src), str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: Unexpected RuntimeError: something nobody expected. Please report this "
        "(with the command)."
    ]
    monkeypatch.setenv("HELPERS_DEBUG", "1")
    assert isinstance(invoke("split", str(src), str(tmp_path / "out")).exception, RuntimeError)


def test_sigterm_stops_a_command_and_the_handler_is_restored_after_it():
    seen = []

    @click.command("probe")
    def probe() -> None:
        seen.append(signal.getsignal(signal.SIGTERM))
        signal.raise_signal(signal.SIGTERM)  # a closed terminal, or kill
        seen.append("not stopped")

    def not_the_commands(signum, frame):  # what runs if the command installed no handler
        raise AssertionError("SIGTERM reached the handler from before the command")

    original = signal.signal(signal.SIGTERM, not_the_commands)
    cli.main.add_command(probe)
    try:
        result = invoke("probe")
        after = signal.getsignal(signal.SIGTERM)
    finally:
        cli.main.commands.pop("probe")
        signal.signal(signal.SIGTERM, original)
    assert seen == [cli._on_sigterm], "SIGTERM during a command must stop it like Ctrl-C"
    assert result.exit_code == 128 + signal.SIGTERM and "Stopped by SIGTERM" in result.output
    assert after is not_the_commands, "the handler from before the command must be restored"


def test_import_max_size_must_be_a_size(tmp_path):
    result = invoke("data", "import", str(tmp_path / "a.zip"), "--max-size", "big")
    assert result.exit_code == 2 and "Incorrect size 'big'" in result.output


def test_split_into_a_file_or_its_child(make_dataset, tmp_path):
    src = make_dataset({"a": 2, "b": 2})
    (tmp_path / "report.pdf").write_text("x")
    result = invoke("split", str(src), str(tmp_path / "report.pdf" / "split"))
    assert result.exit_code == 1 and "report.pdf" in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


WRITERS = [["data", "sample"], ["data", "import"], ["data", "prepare"], ["split"], ["run"]]
WRITERS += [["bench"], ["site"]]
WRITERS += [["editions"], ["lab"]]


@pytest.mark.parametrize("command", WRITERS, ids=" ".join)
def test_every_command_that_writes_says_what_it_writes(command):
    result = invoke(*command, "--help")
    assert result.exit_code == 0 and "Writes only" in " ".join(result.output.split())


def test_notebooks_takes_every_value_up_to_the_next_option(tmp_path):
    """_GreedyOption (click's parser internals): '--notebooks 00 99' is two values, not one and
    an unexpected argument, on the click version installed."""
    result = invoke("run", "--notebooks", "00", "99", "--out", str(tmp_path / "o"))
    assert result.exit_code == 1 and "No notebook starts with '99'" in result.output
    result = invoke("run", "--notebooks", "00", "--out", str(tmp_path / "o"), "-p", "SEED", "x")
    assert result.exit_code == 1 and "SEED expects an int" in result.output
