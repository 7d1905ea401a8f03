"""Small class-per-folder datasets with the properties instructors' own photos have.

Each builder writes into a folder it is given and returns the class-per-folder root. They are
small (a few KB to a few MB) so that `tests/test_datasets.py` can run the notebooks on them.
Imported by the tests as ``datasets``.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
from PIL import Image


def _picture(rng, height, width, hue, *, light=False, fill=False) -> np.ndarray:
    """An RGB picture: a class-coloured ellipse on a dark (or light) background, with noise."""
    background = 235 if light else 12
    image = np.full((height, width, 3), background, np.float32)
    image += rng.normal(0, 6, image.shape)
    rows, cols = np.mgrid[0:height, 0:width]
    cy, cx = height * rng.uniform(0.4, 0.6), width * rng.uniform(0.4, 0.6)
    ry, rx = height * rng.uniform(0.2, 0.35), width * rng.uniform(0.2, 0.35)
    inside = ((rows - cy) / ry) ** 2 + ((cols - cx) / rx) ** 2 <= 1
    colour = np.array(hue, np.float32)
    image[inside] = colour + rng.normal(0, 10, (int(inside.sum()), 3))
    if fill:  # a photo that fills the frame: texture everywhere, no background
        image = 0.5 * image + 0.5 * rng.uniform(60, 200, image.shape)
    return np.clip(image, 0, 255).astype(np.uint8)


_HUES = [
    (200, 60, 40),
    (60, 170, 60),
    (50, 80, 210),
    (210, 200, 60),
    (170, 60, 190),
    (60, 190, 200),
    (230, 140, 40),
    (120, 120, 120),
    (150, 90, 60),
    (90, 40, 120),
]


def _hue(index: int) -> tuple[int, int, int]:
    base = _HUES[index % len(_HUES)]
    shift = 25 * (index // len(_HUES))
    return tuple(int((value + shift) % 256) for value in base)


def _save(path: Path, image: np.ndarray | Image.Image, **options) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    picture = image if isinstance(image, Image.Image) else Image.fromarray(image)
    picture.save(path, **options)


def mixed_sizes(root: Path) -> Path:
    """Three classes of different sizes and aspect ratios, imbalanced, non-ASCII and spaces."""
    rng = np.random.default_rng(1)
    shapes = [(48, 64), (64, 48), (40, 40), (30, 72), (56, 42)]
    classes = [("çay bardağı", 9), ("Kaffee Tasse", 6), ("Ærø tea", 4)]
    for index, (name, count) in enumerate(classes):
        for i in range(count):
            height, width = shapes[(i + index) % len(shapes)]
            image = _picture(rng, height, width, _hue(index), fill=i % 2 == 0)
            suffix = ".png" if i % 3 == 0 else ".jpg"
            _save(root / name / f"foto {i + 1} é{suffix}", image)
    return root


def grayscale(root: Path) -> Path:
    """Grayscale-only photos (8-bit 'L' JPEG and PNG), two classes."""
    rng = np.random.default_rng(2)
    for index, name in enumerate(["coins", "faces"]):
        for i in range(8):
            gray = _picture(rng, 40, 40, _hue(index * 3)).mean(axis=2).astype(np.uint8)
            _save(root / name / f"{name}_{i}{'.png' if i % 2 else '.jpg'}", gray)
    return root


def colour_modes(root: Path) -> Path:
    """RGBA, palette and 16-bit colour PNGs, phone JPEGs with an EXIF orientation tag, MPO
    JPEGs (how Pillow sees many cameras' files), BMPs, and PNGs named ``.jpg``."""
    rng = np.random.default_rng(3)
    exif = Image.Exif()
    exif[0x0112] = 6  # "turn 90 degrees to show upright": shapes differ between loaders
    for index, name in enumerate(["alpha", "beta"]):
        folder = root / name
        for i in range(2):
            rgb = _picture(rng, 36, 48, _hue(index))
            alpha = np.full((36, 48, 1), 255, np.uint8)
            _save(folder / f"rgba {i}.png", np.concatenate([rgb, alpha], axis=2))
            _save(folder / f"palette {i}.png", Image.fromarray(rgb).convert("P"))
            _save(folder / f"camera {i}.jpg", rgb, exif=exif.tobytes(), quality=90)  # sorts first
            deep = rgb[..., ::-1].astype(np.uint16) * 257  # 16-bit, BGR for OpenCV
            folder.mkdir(parents=True, exist_ok=True)
            cv2.imwrite(str(folder / f"deep {i}.png"), deep)
            _save(folder / f"bitmap {i}.bmp", rgb)
            _save(folder / f"gray {i}.bmp", Image.fromarray(rgb).convert("L"))
            _save(folder / f"screenshot {i}.jpg", rgb, format="PNG")
            pair = [Image.fromarray(rgb), Image.fromarray(rgb[::-1])]
            _save(
                folder / f"phone {i}.jpg",
                pair[0],
                format="MPO",
                save_all=True,
                append_images=pair[1:],
            )
    return root


def tiny_digits(root: Path) -> Path:
    """8x8 grayscale images in 10 classes named 0-9 (like scikit-learn's digits)."""
    rng = np.random.default_rng(4)
    for digit in range(10):
        for i in range(8):
            image = np.zeros((8, 8), np.uint8)
            image[1:7, 2:6] = rng.integers(0, 80, (6, 4))
            image[1 + digit % 6, 1:7] = 255
            image[1:7, 1 + digit % 6] = 200
            _save(root / str(digit) / f"{digit}_{i}.png", image)
    return root


def light_background(root: Path) -> Path:
    """Dark objects on a white background, as in product photos."""
    rng = np.random.default_rng(5)
    for index, name in enumerate(["bolt", "nut"]):
        for i in range(8):
            hue = tuple(v // 3 for v in _hue(index))
            _save(root / name / f"{name}{i}.jpg", _picture(rng, 48, 48, hue, light=True))
    return root


def many_classes(root: Path, count: int = 20) -> Path:
    """`count` classes with long names, of 8 images each (tiny, so that lessons stay fast)."""
    rng = np.random.default_rng(6)
    for index in range(count):
        name = f"class_{index:02d}_with_a_long_name"
        for i in range(8):
            _save(root / name / f"img{i}.jpg", _picture(rng, 24, 24, _hue(index)))
    return root


def few_images(root: Path) -> Path:
    """A Mac copy: classes of 1 to 10 images, .DS_Store, AppleDouble '._' files, a stray text."""
    rng = np.random.default_rng(7)
    for index, (name, count) in enumerate([("big", 10), ("medium", 5), ("three", 3), ("one", 1)]):
        for i in range(count):
            _save(root / name / f"{name}{i}.jpg", _picture(rng, 32, 32, _hue(index)))
        (root / name / ".DS_Store").write_bytes(b"\0\0\0\1Bud1" + bytes(64))
        (root / name / f"._{name}0.jpg").write_bytes(b"\0\5\26\7\0\2\0\0Mac OS X" + bytes(40))
    (root / ".DS_Store").write_bytes(bytes(32))
    (root / "big" / "Thumbs.db").write_bytes(bytes(64))
    (root / "medium" / "where these came from.txt").write_text("my phone", encoding="utf-8")
    return root


def large_photos(root: Path) -> Path:
    """Two 12-megapixel phone photos (one portrait, with an EXIF tag) beside small scans."""
    rng = np.random.default_rng(8)
    exif = Image.Exif()
    exif[0x0112] = 6
    for i in range(2):
        small = _picture(rng, 75, 100, _hue(0))
        big = cv2.resize(small, (4000, 3000), interpolation=cv2.INTER_LINEAR)
        options = {}
        if i == 1:  # a portrait photo, stored sideways with a tag that says so
            big = np.ascontiguousarray(big.transpose(1, 0, 2))
            options = {"exif": exif.tobytes()}
        _save(root / "phone" / f"IMG_{i:04d}.JPG", big, quality=80, **options)
    for i in range(8):
        _save(root / "scanner" / f"scan {i}.jpg", _picture(rng, 60, 80, _hue(1)))
    return root


def cmyk(root: Path) -> Path:
    """A usable dataset with one CMYK JPEG: `data check` must refuse it, naming the file."""
    light_background(root)
    Image.fromarray(_picture(np.random.default_rng(10), 40, 40, _hue(2))).convert("CMYK").save(
        root / "nut" / "print.jpg", quality=90
    )
    return root


def deep_grayscale(root: Path) -> Path:
    """A usable dataset with one 16-bit grayscale PNG (a microscope's or a scanner's)."""
    light_background(root)
    gray = _picture(np.random.default_rng(12), 40, 40, _hue(2)).mean(axis=2)
    cv2.imwrite(str(root / "nut" / "scan.png"), (gray * 257).astype(np.uint16))
    return root


def too_small(root: Path) -> Path:
    """Three classes of three images: every validation set of the lessons would be empty."""
    rng = np.random.default_rng(11)
    for index, name in enumerate(["a", "b", "c"]):
        for i in range(3):
            _save(root / name / f"{name}{i}.jpg", _picture(rng, 24, 24, _hue(index)))
    return root


def skimage_data() -> Path | None:
    """scikit-image's bundled photos (inside its wheel; nothing is downloaded), or None."""
    spec = importlib.util.find_spec("skimage")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(spec.submodule_search_locations[0]) / "data"
    return folder if (folder / "chelsea.png").is_file() else None


def real_photos(root: Path) -> Path:
    """Crops of real photographs shipped in scikit-image: a cat, coffee, a rocket, coins.

    Sizes and aspect ratios vary; 'coins' is grayscale (as in the original), the others RGB.
    """
    source = skimage_data()
    if source is None:
        raise FileNotFoundError("scikit-image is not installed: pip install -e '.[test]'")
    rng = np.random.default_rng(9)
    photos = {
        "cat": "chelsea.png",
        "coffee": "coffee.png",
        "rocket": "rocket.jpg",
        "coins": "coins.png",
        "astronaut": "astronaut.png",
    }
    for name, file_name in photos.items():
        photo = np.asarray(Image.open(source / file_name))
        height, width = photo.shape[:2]
        for i in range(8):
            crop_h = int(rng.integers(height // 3, height * 2 // 3))
            crop_w = int(rng.integers(width // 3, width * 2 // 3))
            top = int(rng.integers(0, height - crop_h))
            left = int(rng.integers(0, width - crop_w))
            crop = np.ascontiguousarray(photo[top : top + crop_h, left : left + crop_w])
            _save(root / name / f"{name} {i + 1}.jpg", crop, quality=90)
    return root


#: Datasets `data check` must refuse: name -> (builder, text the report must contain)
REFUSED: dict[str, tuple[Callable[[Path], Path], str]] = {
    "cmyk": (cmyk, "'nut/print.jpg': a CMYK JPEG"),
    "deep_grayscale": (deep_grayscale, "'nut/scan.png': 16-bit grayscale"),
    "too_small": (too_small, "Too few images: the largest class has 3"),
}

#: name -> (builder, the notebooks this property can break)
MATRIX: dict[str, tuple[Callable[[Path], Path], tuple[str, ...]]] = {
    "mixed_sizes": (mixed_sizes, ("01", "02")),
    "grayscale": (grayscale, ("01", "02")),
    "colour_modes": (colour_modes, ("01", "04", "06")),
    "tiny_digits": (tiny_digits, ("01", "02")),
    "light_background": (light_background, ("01",)),
    "many_classes": (many_classes, ("05",)),
    "few_images": (few_images, ("00", "03")),
    "large_photos": (large_photos, ("01", "02")),
}
