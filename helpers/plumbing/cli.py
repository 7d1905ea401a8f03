"""The workshop's command line: ``python -m helpers COMMAND`` (``--help`` on each).

Each command parses its arguments and calls one helpers function; errors are
shown as one readable line, never a traceback: `_Workshop.invoke` turns a
`helpers.WorkshopError` (an expected refusal, whose message says what to do) or an
``OSError`` (the system's: a permission, a full disk) into a one-line ``Error: …`` and exit
code 1. Anything else is a bug: it is shown in one line too, with a request to report it.
SIGTERM and SIGHUP (`kill`, a closed terminal) stop a command like Ctrl-C does, so that
its temporary folders are removed.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import sys
import threading
import time
import unicodedata
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from helpers import NotEmpty, WorkshopError, generators, outputs, paths, split
from helpers.plumbing import archives, editions, runner, setup, website
from helpers.plumbing import data as data_module

__all__ = ["main"]

_SETTINGS = {"help_option_names": ["-h", "--help"]}


class _GreedyOption(click.Option):
    """An option that takes every following value up to the next option: ``--notebooks 01 03``.

    click has no public way to do this: ``nargs=-1`` is for arguments only, and an option
    with ``multiple=True`` needs its flag before every value. So this wraps the parser's
    handler of the option (click's ``_OptionParser`` internals, checked by
    tests/test_cli.py on every click version the lock allows).
    """

    def add_to_parser(self, parser, ctx):  # type: ignore[no-untyped-def]
        super().add_to_parser(parser, ctx)
        for name in self.opts:
            option = parser._long_opt.get(name) or parser._short_opt.get(name)
            if option is None:
                continue
            original = option.process

            def process(value, state, original=original):  # type: ignore[no-untyped-def]
                original(value, state)  # with multiple=True each call appends one value
                while state.rargs and not state.rargs[0].startswith("-"):
                    original(state.rargs.pop(0), state)

            option.process = process


class _Path(click.Path):
    """click's Path that refuses an empty value, which would otherwise mean the current folder
    (``data check ""`` checked wherever the terminal was)."""

    def convert(self, value, param, ctx):  # type: ignore[no-untyped-def]
        if isinstance(value, str) and not value.strip():
            self.fail(
                "is empty: give a path (an empty one would mean the current folder).", param, ctx
            )
        return super().convert(value, param, ctx)


def _require_suffix(option: str, path: Path, suffix: str) -> None:
    """A usage error unless `path` is a file name ending in `suffix` (``.json`` alone is not)."""
    if path.name.lower() == suffix:
        raise click.UsageError(
            f"{option} '{path}' is only an ending: give a name, e.g. results{suffix}."
        )
    if path.suffix.lower() != suffix:
        raise click.UsageError(f"{option} '{path}' must end in {suffix}.")


class _Terminated(BaseException):
    """Raised in the main thread on SIGTERM or SIGHUP, so that ``finally`` blocks clean up."""


_HINTS = {
    errno.EACCES: "Check its permissions (ls -l), or choose another folder.",
    errno.EPERM: "Check its permissions (ls -l), or choose another folder.",
    errno.EROFS: "That file system is read-only: choose another folder.",
    errno.ENOSPC: "The disk is full: free some space, or choose a folder on another disk.",
    errno.ENOENT: "Check the path.",
    errno.ENOTDIR: "A part of the path is a file, not a folder: check the path.",
    errno.EEXIST: "Something with that name is in the way: choose another name.",
}


def _one_line(err: BaseException) -> str:
    """A readable single line for any error a command lets through."""
    if isinstance(err, WorkshopError):
        return str(err)  # one line already; a newline in a file name is escaped when shown
    if isinstance(err, OSError) and err.filename:
        names = f"'{err.filename}'" + (f" and '{err.filename2}'" if err.filename2 else "")
        hint = _HINTS.get(err.errno or 0, "")
        text = f"Cannot use {names}: {err.strerror or type(err).__name__}. {hint}"
    elif isinstance(err, OSError) and err.errno == errno.ENOSPC and err.strerror:
        text = f"{err.strerror}. {_HINTS[errno.ENOSPC]}"
    elif isinstance(err, OSError):
        text = str(err) or type(err).__name__
    else:
        text = f"Unexpected {type(err).__name__}: {err}. Please report this (with the command)."
    return " ".join(text.split())


#: Characters that change how a terminal shows the text after them: a file name holding them
#: could rewrite a report ("OK: ready" over "NOT OK"). Shown as escapes instead.
_BIDI = set("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _printable(text: str, *, one_line: bool = False) -> str:
    r"""`text` safe for any terminal: escapes for control characters and undecodable bytes.

    A file name's bytes that are not UTF-8 (copied from an old drive) arrive as surrogates
    and are shown as ``\xff``; control characters (the escape that starts a terminal's
    colour and cursor codes) as ``\x1b``; what the terminal's encoding lacks as ``\u…``.

    Examples
    --------
    >>> _printable("bad \udcff name \x1b[2K done")
    'bad \\xff name \\x1b[2K done'
    """
    shown = []
    for char in text:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:
            shown.append(f"\\x{code - 0xDC00:02x}")
        elif char in "\n\t" and not one_line:
            shown.append(char)
        elif unicodedata.category(char) in ("Cc", "Cs") or char in _BIDI:
            shown.append(char.encode("unicode_escape").decode("ascii"))
        else:
            shown.append(char)
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    return "".join(shown).encode(encoding, "backslashreplace").decode(encoding)


def _echo(text: str, *, err: bool = False) -> None:
    """Print a line of the command's output, safe for any terminal (`_printable`)."""
    click.echo(_printable(text), err=err)


def _on_sigterm(signum: int, frame: Any) -> None:
    signal.signal(signum, signal.SIG_IGN)  # once is enough; let the cleanup finish
    raise _Terminated(signum)


class _Workshop(click.Group):
    """The top-level group: one place that turns errors into one line."""

    def invoke(self, ctx: click.Context) -> Any:
        in_main_thread = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGTERM, _on_sigterm) if in_main_thread else None
        hangup = (  # a closed terminal or a dropped SSH: stop as for SIGTERM, cleaning up
            signal.signal(signal.SIGHUP, _on_sigterm)
            if in_main_thread and hasattr(signal, "SIGHUP")
            else None
        )
        try:
            return super().invoke(ctx)
        except click.ClickException as err:
            err.message = _printable(err.message, one_line=True)
            raise
        except (click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except _Terminated as stop:
            signum = stop.args[0] if stop.args else signal.SIGTERM
            name = signal.Signals(signum).name
            _echo(f"Stopped by {name}; temporary files were removed.", err=True)
            raise SystemExit(128 + signum) from None
        except Exception as err:
            if os.environ.get("HELPERS_DEBUG"):
                raise
            raise click.ClickException(_printable(_one_line(err), one_line=True)) from err
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
            if hangup is not None:
                signal.signal(signal.SIGHUP, hangup)


@click.group(cls=_Workshop, context_settings=_SETTINGS)
def main() -> None:
    """Helpers for the Image Data Pipelines in Python workshop.

    Set HELPERS_DEBUG=1 to see the full traceback of an error.
    """


@main.command()
@click.option(
    "--data-dir",
    type=_Path(path_type=Path),
    default=None,
    help="Class-per-folder dataset to check [default: the bundled sample].",
)
def check(data_dir: Path | None) -> None:
    """Check Python packages, memory and data; exit 1 with the reason if not ready."""
    report = setup.check(data_dir)
    _echo(str(report))
    if not report.ok:
        raise SystemExit(1)


@main.command("lab", context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("jupyter_args", nargs=-1, type=click.UNPROCESSED)
def lab_command(jupyter_args: tuple[str, ...]) -> None:
    """Start JupyterLab at notebook 00 of the learner edition (what `make lab` does).

    Installs the workshop's JupyterLab settings into this environment and regenerates the
    sample if it is missing. Other arguments go to jupyter lab, e.g. --port 8899 --no-browser.

    Writes only JupyterLab's settings in this environment and, when it is missing, the
    bundled sample (data/sample).
    """
    from helpers.plumbing import lab

    code = lab.start(jupyter_args)
    if code:
        raise SystemExit(code)


@main.group()
def data() -> None:
    """Create, check and import datasets."""


@data.command("sample")
@click.option(
    "--out",
    type=_Path(file_okay=False, path_type=Path),
    default=paths.SAMPLE_ROOT,
    show_default=True,
    help="Folder to write Pistachio_Image_Dataset/ into.",
)
@click.option(
    "--per-class",
    type=click.IntRange(min=1),
    default=data_module.DEFAULT_PER_CLASS,
    show_default=True,
    help="Images per class.",
)
@click.option("--seed", type=int, default=data_module.DEFAULT_SEED, show_default=True)
@click.option(
    "--size",
    type=click.IntRange(min=32),
    default=600,
    show_default=True,
    help="Image width and height, in pixels.",
)
def sample(out: Path, per_class: int, seed: int, size: int) -> None:
    """Regenerate the synthetic pistachio sample deterministically.

    Writes only --out: a new or empty folder, or an earlier sample whose files are unchanged
    (replaced as a whole). A folder holding anything else is refused and left as it is.
    """
    outputs.refuse_in_work_folder(out, "--out")
    with _doing(f"Cannot write the sample to '{out}'"):
        data_dir = data_module.make_sample(out, per_class=per_class, seed=seed, size=size)
    _echo(f"Wrote {2 * per_class} images. Use DATA_DIR={data_dir}")


@data.command("check")
@click.argument("data_dir", type=_Path(path_type=Path))
@click.option("--deep", is_flag=True, help="Decode every image fully (slower, catches more).")
def check_data(data_dir: Path, deep: bool) -> None:
    """Report classes, counts, sizes and problems of the class-per-folder DATA_DIR.

    Exits 1 when the folder would break or mislead training.
    """
    report = data_module.check(data_dir, deep=deep)
    _echo(str(report))
    if not report.ok:
        raise SystemExit(1)


@data.command("import")
@click.argument("archive", type=_Path(path_type=Path))
@click.option(
    "--out",
    type=_Path(file_okay=False, path_type=Path),
    default=paths.DATA_ROOT / "real",
    show_default=True,
    help="Folder to extract into; must be new or empty.",
)
@click.option(
    "--max-size",
    default=generators.readable_size(archives.DEFAULT_MAX_SIZE).replace(" ", ""),
    show_default=True,
    help="Largest total size to extract, e.g. 500MB or 10GB.",
)
def import_command(archive: Path, out: Path, max_size: str) -> None:
    """Import a downloaded dataset ARCHIVE (.zip or .tar.gz) safely, then check it.

    For the real pistachio photos (about 65 MB), download archive.zip from Kaggle's
    "Pistachio Image Dataset" page (a free account is needed) and pass its path here.

    Writes only --out, which must be new or empty; nothing is left there if the archive is
    refused or the import is stopped.
    """
    try:
        limit = archives.parse_size(max_size)
    except WorkshopError as err:
        raise click.BadParameter(str(err), param_hint="--max-size") from err
    outputs.refuse_in_work_folder(out, "--out")
    with _doing(f"Cannot import into '{out}'"):
        result = archives.import_archive(archive, out, max_size=limit)
    report = data_module.check(result.data_dir)
    _echo(str(report))
    for warning in result.warnings:
        _echo(f"WARNING: {warning}", err=True)
    _echo(f"Imported into {result.root}. Use DATA_DIR={result.data_dir}")
    if result.warnings or not report.ok:
        raise SystemExit(1)


def _max_side(ctx: click.Context, param: click.Parameter, value: str) -> int:
    """--max-side as a whole number of pixels, at least 64, or a one-line error saying so."""
    from helpers.plumbing import prepare

    text = value.strip()
    if not (text.isascii() and text.isdigit()) or int(text) < prepare.MIN_MAX_SIDE:
        raise click.BadParameter(
            f"give the longest side in pixels, a whole number of {prepare.MIN_MAX_SIDE} or "
            f"more (e.g. --max-side {prepare.DEFAULT_MAX_SIDE}); got '{value}'."
        )
    return int(text)


@data.command("prepare")
@click.argument("src", type=_Path(path_type=Path))
@click.argument("dst", type=_Path(path_type=Path))
@click.option(
    "--max-side",
    default="1024",
    show_default=True,
    metavar="PIXELS",
    callback=_max_side,
    help="Longest side of the images in the copy, in pixels; larger ones are shrunk.",
)
@click.option(
    "--overwrite",
    is_flag=True,
    help="Replace DST if it is an earlier copy made by this command (atomically).",
)
def prepare_command(src: Path, dst: Path, max_side: int, overwrite: bool) -> None:
    """Make a workshop-ready copy of your class-per-folder SRC in DST; SRC is never changed.

    \b
    - images in sub-folders of a class are brought up into it, the sub-folders' names
      put first: cats/2024-05/IMG_0001.jpg becomes cats/2024-05_IMG_0001.jpg;
    - formats the loaders skip or disagree on (WebP, GIF, TIFF, AVIF, CMYK JPEGs, odd BMPs)
      are converted: to JPEG (quality 95) when the original was lossy and has no
      transparency, to PNG otherwise; 16-bit grayscale is saved as 8-bit (v >> 8, as
      OpenCV and TensorFlow read it);
    - images longer than --max-side are shrunk to it (a JPEG decoded at 1/2, 1/4 or 1/8 of
      its size first). Pixels are never turned: a shrunk photo keeps its EXIF orientation
      tag, so every loader sees it as it saw the original;
    - system files (.DS_Store, Thumbs.db, __MACOSX, hidden files and folders) and files that
      are not images are left out; files that cannot be read are named and left out;
    - every other image is copied byte for byte.

    It reports what it changed, then checks DST as `data check` does (exit 1 if NOT OK).

    Writes only DST, which must be new or empty; with --overwrite, an earlier copy made by
    this command whose files are unchanged is replaced as a whole. Anything you added to it
    blocks that.
    """
    from helpers.plumbing import prepare

    try:
        with _doing(f"Cannot prepare a copy in '{dst}'"):
            result = prepare.prepare(src, dst, max_side=max_side, overwrite=overwrite)
    except NotEmpty as err:
        raise click.ClickException(
            f"DST '{err.target}' already exists and is not empty. Choose a new folder, or add "
            "--overwrite to replace an earlier copy made by `data prepare` (only if you added "
            "nothing to it)."
        ) from err
    _echo(str(result))
    _echo(str(result.report))
    _echo(f"Use DATA_DIR={result.target}")
    if not result.report.ok:
        raise SystemExit(1)


@main.command("split")
@click.argument("src", type=_Path(exists=True, file_okay=False, path_type=Path))
@click.argument("dst", type=_Path(file_okay=False, path_type=Path))
@click.option(
    "--ratio",
    type=float,
    multiple=True,
    help="Fraction per split; give 2 or 3.  [default: 0.7 0.3]",
)
@click.option("--seed", type=int, default=42, show_default=True)
@click.option(
    "--overwrite", is_flag=True, help="Replace DST if it is an earlier split (atomically)."
)
def split_command(
    src: Path, dst: Path, ratio: tuple[float, ...], seed: int, overwrite: bool
) -> None:
    """Split the class folders in SRC into train/val(/test) under DST, safely.

    Writes only DST, which must be new or empty; with --overwrite, an earlier split whose
    files are unchanged is replaced as a whole. Anything you added to it blocks that.
    """
    ratio = ratio or (0.7, 0.3)
    outputs.refuse_in_work_folder(dst, "DST")
    try:
        with _doing(f"Cannot split into '{dst}'"), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            counts = split.split_dataset(src, dst, ratio, seed, overwrite=overwrite)
    except NotEmpty as err:
        raise click.ClickException(
            f"'{err.target}' already exists and is not empty. Choose a new folder, or add "
            "--overwrite to replace an earlier split (only if you added nothing to it)."
        ) from err
    for warning in caught:
        _echo(f"WARNING: {warning.message}", err=True)
    for subset, per_class in counts.items():
        detail = ", ".join(f"{name} {n}" for name, n in per_class.items())
        _echo(f"{subset}: {sum(per_class.values())} images ({detail})")
    _echo(f"Split written to {dst.resolve()}")


@main.command("run")
@click.option(
    "--data-dir",
    type=_Path(path_type=Path),
    default=None,
    help="Class-per-folder dataset [default: the bundled sample].",
)
@click.option(
    "--out",
    type=_Path(file_okay=False, path_type=Path),
    default=paths.BUILD_DIR / "run",
    show_default=True,
    help="Where executed notebooks, HTML copies and the summary go.",
)
@click.option(
    "--notebooks",
    cls=_GreedyOption,
    multiple=True,
    help="Only these lessons, by number or name prefix: --notebooks 01 03.",
)
@click.option(
    "-p",
    "--parameter",
    "parameters",
    type=(str, str),
    multiple=True,
    metavar="NAME VALUE",
    help="Set a parameter in every notebook that declares it (repeatable).",
)
@click.option(
    "--edition",
    type=click.Choice(runner.EDITIONS),
    default="instructor",
    show_default=True,
    help="instructor: with worked solutions. learner: copies to hand out, lessons executed "
    "and exercises left empty.",
)
@click.option("--keep-going", is_flag=True, help="Run the remaining notebooks after a failure.")
def run(
    data_dir: Path | None,
    out: Path,
    notebooks: tuple[str, ...],
    parameters: tuple[tuple[str, str], ...],
    edition: str,
    keep_going: bool,
) -> None:
    """Rerun the lesson notebooks with papermill and write a summary.

    --edition learner writes copies to hand out: the learner edition with every lesson cell
    executed and the exercises as attendees get them (empty answer cells, no solutions).

    Values of -p keep the type of the parameter's default in the notebook: SEED 7 is the
    integer 7, RATIO "[0.8, 0.2]" a list; a value that does not fit (SEED 007) is an error
    before anything runs. DATA_DIR and WORK_DIR are passed as typed.

    Writes only --out (and a WORK_DIR you give): new or empty folders, or an earlier run's
    output whose files are unchanged, which is replaced. Anything you added there, or a link,
    blocks the run before any lesson starts.
    """
    chosen = runner.select_notebooks(notebooks)
    values = runner.parse_parameters(parameters, chosen)
    if data_dir is not None and "DATA_DIR" in values:
        raise click.UsageError("Give the data folder once: --data-dir or -p DATA_DIR, not both.")
    data_dir = values.pop("DATA_DIR", data_dir)
    outputs.refuse_in_work_folder(out, "--out")
    with _doing("Cannot run the notebooks"):
        results = runner.run_notebooks(
            chosen,
            out,
            data_dir=data_dir,
            parameters=values,
            keep_going=keep_going,
            edition=edition,
        )
    _echo(f"{'notebook':<36} {'status':<8} {'seconds':>8} {'kernel MB':>10}")
    for r in results:
        _echo(f"{r.notebook:<36} {r.status:<8} {r.seconds:>8.1f} {r.peak_memory_mb:>10.0f}")
    for r in results:
        if r.error:
            _echo(f"FAILED {r.notebook}, {r.error}", err=True)
    _echo(f"Executed notebooks and summary: {(out / 'index.html').resolve()}")
    if any(r.status != "passed" for r in results):
        raise SystemExit(1)


@main.command("editions")
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Write nothing; list the learner notebooks that are out of date and exit 1 if any.",
)
@click.option(
    "--force", is_flag=True, help="Also overwrite learner notebooks that hold outputs (work)."
)
def editions_command(check_only: bool, force: bool) -> None:
    """Write the learner edition (learner/) from notebooks/, the instructor edition.

    Each worked solution becomes an empty cell tagged 'attempt' that says what to write;
    outputs are removed. The result is the same, byte for byte, every time.

    Writes only the changed notebooks of learner/, each in one step; a learner notebook that
    holds outputs (someone's work) is refused unless --force.
    """
    if check_only:
        stale = editions.stale_notebooks()
        for line in stale:
            _echo(f"STALE {line}", err=True)
        if stale:
            raise click.ClickException(
                f"The learner edition in '{paths.LEARNER_DIR}' is out of date: run "
                "`python -m helpers editions` and commit learner/."
            )
        _echo(f"The learner edition in {paths.LEARNER_DIR} is up to date.")
        return
    changed = editions.write_learner_edition(force=force)
    for path in changed:
        _echo(f"wrote {path}")
    _echo(f"Learner edition: {paths.LEARNER_DIR} ({len(changed)} notebooks changed)")


@main.command("bench")
@click.option(
    "--data-dir",
    type=_Path(path_type=Path),
    default=None,
    help="Class-per-folder dataset [default: the sample, repeated to 840 images].",
)
@click.option(
    "--json",
    "json_file",
    type=_Path(dir_okay=False, path_type=Path),
    help="Save the results (a .json file).",
)
@click.option("--plot", type=_Path(dir_okay=False, path_type=Path), help="Save a bar chart (PNG).")
@click.option(
    "--rounds",
    type=click.IntRange(min=1),
    default=7,
    show_default=True,
    help="Timed passes per loader.",
)
@click.option(
    "--images",
    type=click.IntRange(min=1),
    default=800,
    show_default=True,
    help="Images per pass; a smaller dataset is repeated to reach it.",
)
def bench_command(
    data_dir: Path | None, json_file: Path | None, plot: Path | None, rounds: int, images: int
) -> None:
    """Measure images/second of every image loader, side by side, and print the ratios.

    Also measures how fast lesson 07's network trains when each loader feeds it.

    Writes only the --json and --plot files: new files, or earlier results of this command
    (they carry its name); any other file there is refused before the benchmark starts.
    """
    from helpers.plumbing import bench  # OpenCV and TensorFlow: only this command needs them

    # Checked before the minutes of measuring: where the results go, and that it is allowed.
    protect = {"the dataset measured": paths.data_dir(data_dir)}
    for option, path, suffix in (("--json", json_file, ".json"), ("--plot", plot, ".png")):
        if path is not None:
            outputs.check_file(path, option, made_by=bench.MADE_BY, protect=protect)
            outputs.refuse_in_work_folder(path, option)
            _require_suffix(option, path, suffix)
    result = bench.run_benchmark(data_dir, rounds=rounds, min_images=images)
    _echo(bench.format_report(result))
    with _doing("Cannot save the results"):
        if json_file:
            _echo(f"Results: {bench.save(result, json_file, '--json', protect=protect)}")
        if plot:
            _echo(f"Plot: {bench.save(result, plot, '--plot', protect=protect)}")


@main.command("site")
@click.option(
    "--out",
    type=_Path(file_okay=False, path_type=Path),
    default=paths.BUILD_DIR / "site",
    show_default=True,
    help="Folder for the website; an earlier build there is replaced, anything else refused.",
)
@click.option(
    "-p",
    "--parameter",
    "parameters",
    type=(str, str),
    multiple=True,
    metavar="NAME VALUE",
    help="A lesson parameter, as for `run` (a quick preview: -p EPOCHS 2); the published "
    "site uses the defaults.",
)
@click.option(
    "--executed",
    type=_Path(file_okay=False, path_type=Path),
    default=None,
    help="Render this `run --out` folder (every lesson passed, on the sample) instead of "
    "running the lessons again.",
)
def site_command(out: Path, parameters: tuple[tuple[str, str], ...], executed: Path | None) -> None:
    """Build the lesson website: run every lesson on the sample, render it into --out.

    The lessons are executed first (as `run` does, into OUT-work/), so every page shows the
    outputs of the code as it is now; Sphinx then renders them without executing anything.
    With --executed, the copies of an earlier `python -m helpers run` are rendered instead.

    Writes only --out and OUT-work/: new or empty folders, or earlier builds whose files are
    unchanged, which are replaced. A file you added there (a CNAME, notes) blocks the build.
    """
    values = runner.parse_parameters(parameters, runner.select_notebooks())
    if {"DATA_DIR", "WORK_DIR"} & values.keys():
        raise click.UsageError(
            "The site always runs on the bundled sample; DATA_DIR and WORK_DIR "
            "cannot be set (use `run` for your own data)."
        )
    outputs.refuse_in_work_folder(out, "--out")
    with _doing(f"Cannot build the site in '{out}'"):
        result = website.build_site(out, parameters=values, executed=executed)
    ran = f"lessons from {executed}" if executed else f"lessons ran in {result.run_seconds:.0f} s"
    _echo(
        f"{result.pages} pages, {result.images} figures, {result.size_mb} MB; {ran}, "
        f"Sphinx took {result.render_seconds:.0f} s."
    )
    _echo(f"Website: {(result.out / 'index.html').resolve()}")


@main.group()
def hub() -> None:
    """Host the room on a JupyterHub: its configuration, the attendees' link, a rehearsal."""


@hub.command("config")
@click.option(
    "--check", "check_only", is_flag=True, help="Write nothing; exit 1 if hub/ is out of date."
)
@click.option("--force", is_flag=True, help="Also replace files of hub/ edited by hand.")
def hub_config(check_only: bool, force: bool) -> None:
    """Render hub/ (TLJH and Z2JH) from the one source, helpers/plumbing/hub.py.

    Writes only the files of hub/ that changed (tljh/install.sh,
    tljh/jupyterhub_config.d/workshop.py, z2jh/config.yaml), each in one step.
    """
    from helpers.plumbing import hub as hub_module

    if check_only:
        stale = hub_module.stale()
        if stale:
            raise click.ClickException(
                f"hub/ is out of date ({', '.join(stale)}): run `python -m helpers hub config` "
                "and commit hub/."
            )
        _echo("hub/ is up to date.")
        return
    for path in hub_module.render(force=force):
        _echo(f"wrote {path}")
    _echo(f"hub/ rendered from helpers/plumbing/hub.py ({paths.REPO_ROOT / 'hub'})")


@hub.command("link")
@click.option(
    "--hub", "address", required=True, help="The hub's address, e.g. https://hub.example.org"
)
def hub_link(address: str) -> None:
    """Print the link attendees click: log in, get the workshop (nbgitpuller), open lesson 00.

    Writes nothing.
    """
    from helpers.plumbing import hub as hub_module

    _echo(hub_module.link(address))


@hub.command("loadtest")
@click.option("--url", required=True, help="The hub, e.g. https://hub.example.org")
@click.option("--token", required=True, help="An admin's or a service's API token.")
@click.option("--users", type=click.IntRange(1, 200), default=5, show_default=True)
@click.option(
    "--notebooks",
    cls=_GreedyOption,
    multiple=True,
    help="Lessons of the learner edition to run, by number: --notebooks 00 01 02 [default: 00 01].",
)
@click.option(
    "--repo", help="Where nbgitpuller gets the workshop [default: the workshop branch on GitHub]."
)
@click.option("--branch", default=None, help="Its branch [default: workshop].")
@click.option("--json", "json_file", type=_Path(dir_okay=False, path_type=Path))
@click.option(
    "--timeout",
    type=click.FloatRange(min=10),
    default=900,
    show_default=True,
    help="Seconds any one step (a server's start, a cell) may take.",
)
def hub_loadtest(
    url: str,
    token: str,
    users: int,
    notebooks: tuple[str, ...],
    repo: str | None,
    branch: str | None,
    json_file: Path | None,
    timeout: float,
) -> None:
    """Rehearse the room: N attendees start their servers at once and run lessons on the hub.

    Each gets the workshop by nbgitpuller and runs the chosen lessons of the learner edition in
    their own kernel; the report gives server start times, cell times, memory and CPU per
    attendee, the thread caps the kernels got, and what 30 attendees need. Every user it
    creates is removed again. Writes only --json (a sealed .json file).
    """
    import dataclasses

    from helpers.plumbing import hub as hub_module
    from helpers.plumbing import loadtest

    lessons = [
        f"learner/{notebook.name}"
        for notebook in runner.select_notebooks(notebooks or ("00", "01"))
    ]
    room = dataclasses.replace(
        hub_module.ROOM,
        **{k: v for k, v in {"repository": repo, "branch": branch}.items() if v is not None},
    )
    if json_file is not None:
        outputs.check_file(json_file, "--json", made_by=loadtest.MADE_BY)
        outputs.refuse_in_work_folder(json_file, "--json")
        _require_suffix("--json", json_file, ".json")
    result = loadtest.rehearse(url, token, users, lessons, room=room, seconds=timeout)
    _echo(loadtest.report(result))
    if json_file is not None:
        data = json.dumps(loadtest.as_json(result)).encode()
        _echo(
            f"Results: {outputs.replace_file(json_file, data, '--json', made_by=loadtest.MADE_BY)}"
        )
    if any(attendee.error for attendee in result.attendees):
        raise SystemExit(1)


@hub.command("demo")
@click.option(
    "--folder",
    type=_Path(file_okay=False, path_type=Path),
    default=paths.BUILD_DIR / "hub-demo",
    show_default=True,
    help="The hub's database, log and attendees' homes (replaced at each start).",
)
def hub_demo(folder: Path) -> None:
    """A real JupyterHub on this computer (127.0.0.1), with the settings TLJH gets: rehearse.

    Prints its address, the shared password and a token for `hub loadtest`; Ctrl-C stops it
    and every server it started. Writes only --folder (an earlier demo's folder is replaced).
    """
    from helpers.plumbing import hub_server

    outputs.refuse_in_work_folder(folder, "--folder")
    with hub_server.running_hub(folder) as running:
        _echo(f"JupyterHub: {running.url}  (any user name, password {running.password})")
        _echo(f"Token for `hub loadtest --url {running.url} --token ...`: {running.token}")
        _echo("Ctrl-C stops it and every attendee's server.")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            _echo("Stopping the hub...")


@contextmanager
def _doing(what: str) -> Iterator[None]:
    """Name what the command was doing in the one-line message of a system error."""
    try:
        yield
    except WorkshopError:
        raise
    except OSError as err:
        raise click.ClickException(_explain(err, what)) from err


def _reason(err: OSError) -> str:
    """The OS's words without the path, which the caller's message already names."""
    return err.strerror or str(err)


def _explain(err: OSError, doing: str) -> str:
    """Our own OSErrors carry a full message; the system's get `doing`, its reason and a hint."""
    if err.filename is None and err.errno is None:
        return str(err)
    if err.filename is None:
        return f"{doing}: {_reason(err)}. {_HINTS.get(err.errno or 0, '')}".strip()
    return f"{doing}: {_reason(err)} ('{err.filename}'). {_HINTS.get(err.errno or 0, '')}".strip()
