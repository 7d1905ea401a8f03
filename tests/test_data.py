"""The bundled sample: layout, determinism, and that what is committed is what the code draws."""

import numpy as np
import pytest

from helpers import files, images, paths
from helpers.plumbing import data, synthetic


@pytest.mark.slow  # draws all 60 images at 600x600
def test_committed_sample_matches_regeneration(tmp_path):
    fresh = data.make_sample(tmp_path, progress=False)
    committed = paths.SAMPLE_DIR
    assert files.count_images(fresh) == files.count_images(committed)
    for name in files.list_classes(committed):
        for path in files.list_images(committed / name):
            a = images.read_image(path).astype(int)
            b = images.read_image(fresh / name / path.name).astype(int)
            difference = np.abs(a - b)
            # JPEG round-off may differ by a step between libjpeg builds; shapes may not.
            assert difference.mean() < 1.0, path.name
            assert np.percentile(difference, 99.9) <= 8, path.name


def test_layout_is_kaggles(tmp_path):
    data_dir = data.make_sample(tmp_path, per_class=3, size=64, progress=False)
    top = tmp_path / "Pistachio_Image_Dataset"
    assert (top / data.REQUEST_FILE).is_file()
    assert data_dir == top / "Pistachio_Image_Dataset"
    assert files.list_classes(data_dir) == list(paths.CLASS_NAMES)
    assert [p.name for p in files.list_images(data_dir / "Kirmizi_Pistachio")] == [
        "kirmizi (1).jpg",
        "kirmizi (2).jpg",
        "kirmizi (3).jpg",
    ]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".sample-")]


def test_more_images_keep_the_first_ones(tmp_path):
    small = data.make_sample(tmp_path / "a", per_class=2, size=64, progress=False)
    large = data.make_sample(tmp_path / "b", per_class=4, size=64, progress=False)
    name = "Siirt_Pistachio/siirt (2).jpg"
    assert (small / name).read_bytes() == (large / name).read_bytes()


def test_regenerating_replaces_without_leftovers(tmp_path):
    data.make_sample(tmp_path, per_class=3, size=64, progress=False)
    data_dir = data.make_sample(tmp_path, per_class=1, size=64, progress=False)
    assert files.count_images(data_dir) == {name: 1 for name in paths.CLASS_NAMES}


def test_refuses_to_replace_foreign_files(tmp_path):
    data_dir = data.make_sample(tmp_path, per_class=1, size=64, progress=False)
    mine = data_dir / "Siirt_Pistachio" / "my_photo.jpg"
    mine.write_bytes(b"precious")
    with pytest.raises(FileExistsError, match="my_photo.jpg"):
        data.make_sample(tmp_path, per_class=2, size=64, progress=False)
    assert mine.read_bytes() == b"precious"


def test_per_class_must_be_positive(tmp_path):
    with pytest.raises(ValueError, match="at least 1"):
        data.make_sample(tmp_path, per_class=0)
    assert not any(tmp_path.iterdir())


def test_draw_nut_is_deterministic():
    a = synthetic.draw_nut("kirmizi", np.random.default_rng(7), size=96)
    b = synthetic.draw_nut("kirmizi", np.random.default_rng(7), size=96)
    c = synthetic.draw_nut("kirmizi", np.random.default_rng(8), size=96)
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def _shape_and_colour(image):
    mask = image.max(axis=2) > 40
    ys, xs = np.nonzero(mask)
    coords = np.stack([xs, ys]).astype(float)
    eigen = np.linalg.eigvalsh(np.cov(coords))
    elongation = np.sqrt(eigen[1] / eigen[0])
    red, _, blue = image[mask].astype(float).mean(axis=0)
    return elongation, (red - blue) / (red + blue)


def test_classes_differ_as_described_but_overlap():
    stats = {
        kind: np.array(
            [
                _shape_and_colour(synthetic.draw_nut(kind, np.random.default_rng([1, i]), 160))
                for i in range(40)
            ]
        )
        for kind in synthetic.KINDS
    }
    kirmizi, siirt = stats["kirmizi"], stats["siirt"]
    assert kirmizi[:, 0].mean() > siirt[:, 0].mean() + 0.1  # more elongated
    assert kirmizi[:, 1].mean() > siirt[:, 1].mean()  # redder
    # not separable by elongation alone
    assert kirmizi[:, 0].min() < siirt[:, 0].max()


@pytest.mark.parametrize("kind, size", [("almond", 64), ("siirt", 8)])
def test_draw_nut_bad_arguments(kind, size):
    with pytest.raises(ValueError):
        synthetic.draw_nut(kind, np.random.default_rng(0), size=size)
