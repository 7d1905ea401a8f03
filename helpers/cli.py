"""The workshop's command line: ``python -m helpers COMMAND`` (``--help`` on each).

Each command parses its arguments and calls one helpers function; errors are
shown as one readable line, never a traceback.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import click

from helpers import archives, paths, setup, split
from helpers import data as data_module

__all__ = ["main"]

_SETTINGS = {"help_option_names": ["-h", "--help"]}


@click.group(context_settings=_SETTINGS)
def main() -> None:
    """Helpers for the Image Data Pipelines in Python workshop."""


@main.command()
@click.option(
    "--data-dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Class-per-folder dataset to check [default: the bundled sample].",
)
def check(data_dir: Path | None) -> None:
    """Check Python packages, memory and data; exit 1 with the reason if not ready."""
    report = setup.check(data_dir)
    click.echo(str(report))
    if not report.ok:
        raise SystemExit(1)


@main.group()
def data() -> None:
    """Create, check and import datasets."""


@data.command("sample")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=paths.SAMPLE_ROOT,
    show_default=True,
    help="Folder to write Pistachio_Image_Dataset/ into.",
)
@click.option(
    "--per-class",
    type=int,
    default=data_module.DEFAULT_PER_CLASS,
    show_default=True,
    help="Images per class.",
)
@click.option("--seed", type=int, default=data_module.DEFAULT_SEED, show_default=True)
def sample(out: Path, per_class: int, seed: int) -> None:
    """Regenerate the synthetic pistachio sample deterministically."""
    if per_class < 1:
        raise click.ClickException(f"--per-class must be at least 1, got {per_class}.")
    try:
        data_dir = data_module.make_sample(out, per_class=per_class, seed=seed)
    except OSError as err:
        raise click.ClickException(f"Cannot write the sample to '{out}': {_reason(err)}") from err
    click.echo(f"Wrote {2 * per_class} images. Use DATA_DIR={data_dir}")


@data.command("check")
@click.argument("data_dir", type=click.Path(path_type=Path))
@click.option("--deep", is_flag=True, help="Decode every image fully (slower, catches more).")
def check_data(data_dir: Path, deep: bool) -> None:
    """Report classes, counts, sizes and problems of the class-per-folder DATA_DIR.

    Exits 1 when the folder would break or mislead training.
    """
    report = data_module.check(data_dir, deep=deep)
    click.echo(str(report))
    if not report.ok:
        raise SystemExit(1)


@data.command("import")
@click.argument("archive", type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=paths.DATA_ROOT / "real",
    show_default=True,
    help="Folder to extract into; must be new or empty.",
)
def import_command(archive: Path, out: Path) -> None:
    """Import a downloaded dataset ARCHIVE (.zip or .tar.gz) safely, then check it.

    For the real pistachio photos, download archive.zip from Kaggle's "Pistachio Image
    Dataset" page (a free account is needed) and pass its path here.
    """
    try:
        result = archives.import_archive(archive, out)
    except (FileNotFoundError, FileExistsError, ValueError) as err:
        raise click.ClickException(str(err)) from err
    except OSError as err:
        raise click.ClickException(f"Cannot import into '{out}': {_reason(err)}") from err
    report = data_module.check(result.data_dir)
    click.echo(str(report))
    for warning in result.warnings:
        click.echo(f"WARNING: {warning}", err=True)
    click.echo(f"Imported into {result.root}. Use DATA_DIR={result.data_dir}")
    if result.warnings or not report.ok:
        raise SystemExit(1)


@main.command("split")
@click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("dst", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--ratio",
    type=float,
    multiple=True,
    help="Fraction per split; give 2 or 3.  [default: 0.7 0.3]",
)
@click.option("--seed", type=int, default=42, show_default=True)
@click.option("--overwrite", is_flag=True, help="Replace DST if it exists (atomically).")
def split_command(
    src: Path, dst: Path, ratio: tuple[float, ...], seed: int, overwrite: bool
) -> None:
    """Split the class folders in SRC into train/val(/test) under DST, safely."""
    ratio = ratio or (0.7, 0.3)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            counts = split.split_dataset(src, dst, ratio, seed, overwrite=overwrite)
    except (FileExistsError, ValueError) as err:
        raise click.ClickException(str(err)) from err
    for warning in caught:
        click.echo(f"WARNING: {warning.message}", err=True)
    for subset, per_class in counts.items():
        detail = ", ".join(f"{name} {n}" for name, n in per_class.items())
        click.echo(f"{subset}: {sum(per_class.values())} images ({detail})")
    click.echo(f"Split written to {dst.resolve()}")


def _reason(err: OSError) -> str:
    """The OS's words without the path, which the caller's message already names."""
    return err.strerror or str(err)
