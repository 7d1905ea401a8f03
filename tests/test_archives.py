"""Importing archives: safe, all-or-nothing, and never writing outside the target."""

import io
import shutil
import struct
import tarfile
import zipfile
from pathlib import Path

import broken_archives
import pytest
from click.testing import CliRunner

from helpers import paths
from helpers.plumbing import archives, cli

KAGGLE = "Pistachio_Image_Dataset/Pistachio_Image_Dataset"


@pytest.fixture
def kaggle_like(make_dataset, tmp_path):
    """The Kaggle archive.zip layout, with a few images per class and a __MACOSX folder."""
    content = tmp_path / "content"
    make_dataset({"Kirmizi_Pistachio": 3, "Siirt_Pistachio": 2}, root=content / KAGGLE)
    (content / "Pistachio_Image_Dataset" / "Pistachio_Image_Dataset_Request.txt").write_text("cite")
    zipped = tmp_path / "downloads" / "archive.zip"
    zipped.parent.mkdir()
    with zipfile.ZipFile(zipped, "w") as archive:
        for path in sorted(content.rglob("*")):
            archive.write(path, path.relative_to(content).as_posix())
        archive.writestr("__MACOSX/Pistachio_Image_Dataset/._junk.jpg", b"mac resource fork")
    return zipped


def _tree(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


def _evil_zip(path, name, data=b"x"):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("ok/a/1.jpg", b"fine")
        archive.writestr(name, data)
    return path


def _evil_tar(path, name, *, symlink_to=None, hardlink_to=None):
    with tarfile.open(path, "w:gz") as archive:
        for member_name, payload in (("ok/a/1.jpg", b"fine"), (name, b"evil")):
            info = tarfile.TarInfo(member_name)
            if member_name == name and symlink_to:
                info.type, info.linkname = tarfile.SYMTYPE, symlink_to
                archive.addfile(info)
                continue
            if member_name == name and hardlink_to:
                info.type, info.linkname = tarfile.LNKTYPE, hardlink_to
                archive.addfile(info)
                continue
            info.size = len(payload)
            archive.addfile(info, io.BytesIO(payload))
    return path


def test_kaggle_zip_imports_and_finds_data_dir(kaggle_like, tmp_path):
    result = archives.import_archive(kaggle_like, tmp_path / "real", progress=False)
    assert result.data_dir == (tmp_path / "real" / KAGGLE).resolve()
    assert result.counts == {"Kirmizi_Pistachio": 3, "Siirt_Pistachio": 2}
    assert not (tmp_path / "real" / "__MACOSX").exists()
    assert "1232" in result.warnings[0].replace(",", "")  # not the full Kaggle download
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "downloads", "real"]


def test_tar_gz_imports(make_dataset, tmp_path):
    source = make_dataset({"cats": 2, "dogs": 2}, root=tmp_path / "src" / "pets")
    packed = shutil.make_archive(str(tmp_path / "pets"), "gztar", tmp_path / "src")
    result = archives.import_archive(packed, tmp_path / "out", progress=False)
    assert result.counts == {"cats": 2, "dogs": 2} and result.warnings == []
    assert _tree(result.data_dir) == _tree(source)


@pytest.mark.parametrize(
    "member", ["../escape.txt", "/tmp/absolute-escape.txt", "ok/../../escape.txt", "C:/x.txt"]
)
def test_zip_with_escaping_member_is_refused_and_leaves_nothing(tmp_path, member):
    evil = _evil_zip(tmp_path / "evil.zip", member)
    before = _tree(tmp_path)
    with pytest.raises(ValueError, match="outside the target"):
        archives.import_archive(evil, tmp_path / "out" / "here", progress=False)
    assert _tree(tmp_path) == before


@pytest.mark.parametrize("member", ["../escape.txt", "/abs/escape.txt", "a/../../escape.txt"])
def test_tar_with_escaping_member_is_refused(tmp_path, member):
    evil = _evil_tar(tmp_path / "evil.tar.gz", member)
    before = _tree(tmp_path)
    with pytest.raises(ValueError, match="outside the target"):
        archives.import_archive(evil, tmp_path / "out", progress=False)
    assert _tree(tmp_path) == before


@pytest.mark.parametrize(
    "kind, target",
    [("symlink", "../../../etc/passwd"), ("symlink", "/etc/passwd"), ("hard", "../x")],
)
def test_tar_links_that_escape_are_refused(tmp_path, kind, target):
    keyword = {"symlink_to": target} if kind == "symlink" else {"hardlink_to": target}
    evil = _evil_tar(tmp_path / "evil.tar.gz", "ok/a/link.jpg", **keyword)
    assert archives.unsafe_members(evil) == [f"'ok/a/link.jpg' (link to '{target}')"]
    with pytest.raises(ValueError, match="link to"):
        archives.import_archive(evil, tmp_path / "out", progress=False)
    assert not (tmp_path / "out").exists()


def test_zip_symlink_that_escapes_is_refused(tmp_path):
    evil = tmp_path / "link.zip"
    with zipfile.ZipFile(evil, "w") as archive:
        info = zipfile.ZipInfo("data/a/link.jpg")
        info.external_attr = 0o120777 << 16
        archive.writestr(info, "../../../etc/passwd")
    assert "link to" in archives.unsafe_members(evil)[0]


def test_not_an_archive(tmp_path):
    fake = tmp_path / "archive.zip"
    fake.write_text("a html error page from a failed download")
    with pytest.raises(ValueError, match="not a zip or tar archive"):
        archives.import_archive(fake, tmp_path / "out", progress=False)
    assert not (tmp_path / "out").exists()


def test_archive_without_classes_leaves_nothing(tmp_path):
    zipped = _evil_zip(tmp_path / "flat.zip", "readme.txt")
    with pytest.raises(ValueError, match="2 or more class folders"):
        archives.import_archive(zipped, tmp_path / "out", progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["flat.zip"]


def test_refuses_non_empty_out(kaggle_like, tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "mine.txt").write_text("keep")
    with pytest.raises(FileExistsError, match="not empty"):
        archives.import_archive(kaggle_like, tmp_path / "real", progress=False)
    assert _tree(tmp_path / "real") == ["mine.txt"]


def test_cli_import_prints_data_dir_and_flags_incomplete_download(kaggle_like, tmp_path):
    result = CliRunner().invoke(
        cli.main, ["data", "import", str(kaggle_like), "--out", str(tmp_path / "r")]
    )
    assert result.exit_code == 1  # 5 images, not the 2,148 of the real download
    assert f"DATA_DIR={(tmp_path / 'r' / KAGGLE).resolve()}" in result.output
    assert "may be incomplete" in result.output


def test_cli_import_other_dataset_exits_0(make_dataset, tmp_path):
    make_dataset({"cats": 8, "dogs": 8}, root=tmp_path / "src" / "pets")
    packed = shutil.make_archive(str(tmp_path / "pets"), "zip", tmp_path / "src")
    result = CliRunner().invoke(cli.main, ["data", "import", packed, "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert "OK: ready for training." in result.output


def test_cli_import_refusal_is_one_line(tmp_path):
    evil = _evil_zip(tmp_path / "evil.zip", "../escape.txt")
    result = CliRunner().invoke(
        cli.main, ["data", "import", str(evil), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1 and "Nothing was extracted" in result.output


def test_tar_link_inside_the_target_is_kept(tmp_path):
    inside = _evil_tar(tmp_path / "ok.tar.gz", "ok/b/1.jpg", symlink_to="../a/1.jpg")
    assert archives.unsafe_members(inside) == []
    result = archives.import_archive(inside, tmp_path / "out", progress=False)
    assert (result.data_dir / "b" / "1.jpg").read_bytes() == b"fine"


# --- issue 12: sizes, damaged archives, link chains ---


@pytest.fixture
def pets_zip(make_dataset, tmp_path):
    make_dataset({"cats": 3, "dogs": 3}, root=tmp_path / "src" / "pets")
    return Path(shutil.make_archive(str(tmp_path / "pets"), "zip", tmp_path / "src"))


def test_size_limit_is_checked_before_extracting(pets_zip, tmp_path):
    total = archives.archive_size(pets_zip)
    assert total > 6 * 24 * 32  # 6 small JPEGs
    with pytest.raises(ValueError, match=r"more than the limit.*--max-size"):
        archives.import_archive(pets_zip, tmp_path / "new" / "out", max_size=total - 1)
    assert not (tmp_path / "new").exists()
    archives.import_archive(pets_zip, tmp_path / "out", max_size=total, progress=False)


def test_default_limit_allows_the_real_kaggle_download():
    assert archives.DEFAULT_MAX_SIZE >= 10 * 70_000_000  # archive.zip: 2,148 JPEGs, ~65 MB


def test_too_little_disk_space_is_refused(pets_zip, tmp_path, monkeypatch):
    usage = shutil.disk_usage(tmp_path)
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage._replace(free=1000))
    with pytest.raises(OSError, match="only 1 kB is free"):
        archives.import_archive(pets_zip, tmp_path / "out", progress=False)
    assert not (tmp_path / "out").exists()


def test_zip_member_larger_than_its_directory_entry_stops_extraction(tmp_path):
    liar = tmp_path / "liar.zip"
    with zipfile.ZipFile(liar, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a/x.jpg", bytes(5_000_000))
        archive.writestr("b/y.jpg", b"y")
    data = bytearray(liar.read_bytes())
    central = data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 1000)  # directory: "1000 bytes"
    struct.pack_into("<I", data, 22, 1000)  # local header too
    liar.write_bytes(bytes(data))
    assert archives.archive_size(liar) == 1001
    with pytest.raises(ValueError, match="damaged|more data than"):
        archives.import_archive(liar, tmp_path / "out", progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["liar.zip"]


def test_tar_symlink_chain_is_refused_before_extracting(tmp_path):
    chain = broken_archives.link_chain_tar(tmp_path / "chain.tar")
    assert archives.unsafe_members(chain) == ["'a/b/e' (link to 'c/../..')"]
    with pytest.raises(ValueError, match="outside the target"):
        archives.import_archive(chain, tmp_path / "out", progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chain.tar"]


@pytest.mark.parametrize("text", ["lots", "0", "-5MB", "5 parsecs", ""])
def test_parse_size_rejects_nonsense(text):
    with pytest.raises(ValueError, match="Incorrect size"):
        archives.parse_size(text)


def test_out_inside_the_lessons_is_refused(pets_zip):
    with pytest.raises(ValueError, match="never written to"):
        archives.import_archive(pets_zip, paths.NOTEBOOKS_DIR / "imported", progress=False)
    assert not (paths.NOTEBOOKS_DIR / "imported").exists()
