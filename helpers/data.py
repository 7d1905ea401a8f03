"""The workshop's data: the bundled sample and the real Kaggle set (plumbing, not a lesson).

The sample mirrors the layout of the Kaggle download exactly, so that every
notebook works unchanged on the real data::

    data/sample/
    └── Pistachio_Image_Dataset/
        ├── Pistachio_Image_Dataset_Request.txt
        └── Pistachio_Image_Dataset/          <- DATA_DIR (one folder per class)
            ├── Kirmizi_Pistachio/kirmizi (1).jpg …
            └── Siirt_Pistachio/siirt (1).jpg …
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from helpers import images, paths, synthetic

__all__ = ["DEFAULT_PER_CLASS", "DEFAULT_SEED", "REQUEST_FILE", "make_sample", "sample_layout"]

#: Images per class in the bundled sample, and the seed that drew them.
DEFAULT_PER_CLASS = 30
DEFAULT_SEED = 2022

REQUEST_FILE = "Pistachio_Image_Dataset_Request.txt"
_TOP = "Pistachio_Image_Dataset"
_CLASSES = {"kirmizi": paths.CLASS_NAMES[0], "siirt": paths.CLASS_NAMES[1]}
_OUR_FILE = re.compile(r"^(kirmizi|siirt) \(\d+\)\.jpg$")

_REQUEST_TEXT = """\
SYNTHETIC STAND-IN for the Pistachio Image Dataset
==================================================

The images in this folder were DRAWN by `python -m helpers data sample`
(helpers/synthetic.py): they are not photographs. They copy the layout, file
names, size (600x600 RGB JPEG on black) and two classes of the real data set,
which may not be redistributed here.

The real data set (2,148 photos: 1,232 Kirmizi, 916 Siirt) is on Kaggle as
"Pistachio Image Dataset" by Murat Koklu. Its authors ask you to cite:

  Ozkan, I. A., Koklu, M., Saracoglu, R. (2021). Classification of Pistachio
  Species Using Improved K-NN Classifier. Progress in Nutrition, 23(2), e2021044.

  Singh, D., Taspinar, Y. S., Kursun, R., Cinar, I., Koklu, M., Ozkan, I. A.,
  Lee, H.-N. (2022). Classification and Analysis of Pistachio Species with
  Pre-Trained Deep Learning Models. Electronics, 11(7), 981.

See data/README.md for how to download it and use it in the workshop.
"""


def sample_layout(root: str | Path) -> Path:
    """The class-per-folder directory inside a sample (or Kaggle) root.

    Parameters
    ----------
    root : str or pathlib.Path
        The folder that holds ``Pistachio_Image_Dataset/``.

    Returns
    -------
    pathlib.Path
        ``root/Pistachio_Image_Dataset/Pistachio_Image_Dataset``.

    Examples
    --------
    >>> sample_layout("data/sample").as_posix()
    'data/sample/Pistachio_Image_Dataset/Pistachio_Image_Dataset'
    """
    return Path(root) / _TOP / _TOP


def _check_replaceable(target: Path) -> None:
    """Refuse to replace a folder holding anything the generator did not write."""
    if not target.exists():
        return
    foreign = [
        p
        for p in target.rglob("*")
        if p.is_file() and p.name != REQUEST_FILE and not _OUR_FILE.match(p.name)
    ]
    if foreign:
        raise FileExistsError(
            f"'{target}' holds files the sample generator did not write (e.g. '{foreign[0]}'). "
            "Nothing was changed; choose another --out or move those files away."
        )


def make_sample(
    out: str | Path = paths.SAMPLE_ROOT,
    *,
    per_class: int = DEFAULT_PER_CLASS,
    seed: int = DEFAULT_SEED,
    size: int = 600,
    progress: bool = True,
) -> Path:
    """Generate the synthetic pistachio sample in the Kaggle layout.

    Images are drawn in a temporary folder next to the target and moved into
    place only when all are written, so an interrupted run leaves the old
    sample intact. Image ``i`` of a class depends only on ``(seed, class, i)``:
    asking for more images per class keeps the first ones identical.

    Parameters
    ----------
    out : str or pathlib.Path, optional
        Folder to write ``Pistachio_Image_Dataset/`` into (default: ``data/sample``).
    per_class : int, optional
        Images per class, at least 1.
    seed : int, optional
        Seed of the drawing.
    size : int, optional
        Image width and height in pixels.
    progress : bool, optional
        Show a progress bar.

    Returns
    -------
    pathlib.Path
        The class-per-folder directory (use it as ``DATA_DIR``).

    Raises
    ------
    ValueError
        If `per_class` is below 1.
    FileExistsError
        If the target holds files this generator did not write.
    OSError
        If `out` cannot be created or written.

    Examples
    --------
    >>> import tempfile
    >>> data_dir = make_sample(tempfile.mkdtemp(), per_class=2, size=64, progress=False)
    >>> sorted(p.name for p in (data_dir / "Siirt_Pistachio").iterdir())
    ['siirt (1).jpg', 'siirt (2).jpg']
    """
    if per_class < 1:
        raise ValueError(f"per_class must be at least 1, got {per_class}.")
    out = Path(out)
    target = out / _TOP
    _check_replaceable(target)
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".sample-", dir=out))
    try:
        new = staging / _TOP
        jobs = [(k, i) for k in _CLASSES for i in range(1, per_class + 1)]
        for kind, i in tqdm(jobs, desc="Drawing sample", unit="img", disable=not progress):
            folder = sample_layout(staging) / _CLASSES[kind]
            folder.mkdir(parents=True, exist_ok=True)
            class_index = list(_CLASSES).index(kind)
            rng = np.random.default_rng([seed, class_index, i])
            images.write_image(folder / f"{kind} ({i}).jpg", synthetic.draw_nut(kind, rng, size))
        (new / REQUEST_FILE).write_text(_REQUEST_TEXT, encoding="utf-8")
        if target.exists():
            old = staging / "old"
            target.rename(old)
        new.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return sample_layout(out)
