import io

import pytest

from helpers import files


def test_hidden_and_system_folders_are_not_classes(make_dataset):
    root = make_dataset({"Kirmizi": 2, "Siirt": 1})
    (root / ".ipynb_checkpoints").mkdir()
    (root / "__MACOSX").mkdir()
    (root / "notes.txt").write_text("not a class")
    assert files.list_classes(root) == ["Kirmizi", "Siirt"]


def test_class_order_is_plain_string_sort(make_dataset):
    root = make_dataset({"2": 1, "10": 1, "kirmizi": 1, "Siirt": 1})
    assert files.list_classes(root) == ["10", "2", "Siirt", "kirmizi"]


def test_list_images_skips_non_images_any_case(make_dataset):
    root = make_dataset({"a": 1})
    folder = root / "a"
    (folder / "UPPER.JPG").write_bytes(b"x")
    (folder / "readme.txt").write_text("x")
    (folder / "._a (1).jpg").write_bytes(b"mac resource fork")
    names = [p.name for p in files.list_images(folder)]
    assert names == ["UPPER.JPG", "a (1).jpg"]


def test_count_images(make_dataset):
    root = make_dataset({"a": 3, "b": 0})
    (root / "b").mkdir(exist_ok=True)
    assert files.count_images(root) == {"a": 3, "b": 0}


def test_list_classes_of_a_file_names_it(tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("x")
    with pytest.raises(NotADirectoryError, match="file.txt"):
        files.list_classes(target)


def test_print_tree_limits_files_and_marks_hidden(make_dataset):
    root = make_dataset({"a": 7, "b": 1})
    (root / ".ipynb_checkpoints").mkdir()
    out = io.StringIO()
    files.print_tree(root, max_files=5, file=out)
    text = out.getvalue()
    assert text.splitlines()[0] == "dataset/"
    assert ".ipynb_checkpoints/ (hidden)" in text
    assert "a (5).jpg" in text and "a (6).jpg" not in text
    assert "… and 2 more files" in text
    assert text.count("└──") >= 2


def test_require_classes_names_the_folder_to_use(make_dataset, tmp_path):
    make_dataset({"a": 2, "b": 2}, root=tmp_path / "download" / "Pistachio_Image_Dataset")
    (tmp_path / "download" / "Request.txt").write_text("cite us")
    with pytest.raises(
        ValueError, match=r"1 class folder.*probably '.*download/Pistachio_Image_Dataset'"
    ):
        files.require_classes(tmp_path / "download")


def test_require_classes_detects_split_root(make_dataset, tmp_path):
    make_dataset({"a": 2, "b": 2}, root=tmp_path / "split" / "train")
    make_dataset({"a": 1, "b": 1}, root=tmp_path / "split" / "val")
    with pytest.raises(ValueError, match="one level too high"):
        files.require_classes(tmp_path / "split")


def test_require_classes_accepts_a_dataset(make_dataset):
    assert files.require_classes(make_dataset({"a": 1, "b": 1})) == ["a", "b"]
