"""The damaged and strange archives an instructor's download can be, built in a temporary folder.

One set, used by the command-line tests (`tests/test_hostile_input.py`) and the library tests
(`tests/test_archives.py`). Imported by the tests as ``broken_archives``.
"""

from __future__ import annotations

import io
import shutil
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path


def zip_with(path: Path, members: dict[str, bytes]) -> Path:
    """A zip holding exactly `members` (name: content)."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def bad_crc_zip(path: Path, src: Path | None = None) -> Path:
    """A zip whose first member's bytes no longer match its CRC-32 (a flipped byte)."""
    zip_with(path, {"a/1.jpg": b"hello world" * 10, "b/1.jpg": b"abc" * 10})
    data = bytearray(path.read_bytes())
    data[data.find(b"hello world")] = ord("j")
    path.write_bytes(bytes(data))
    return path


def truncated_tar_gz(path: Path, src: Path) -> Path:
    """The first half of a .tar.gz of `src`: a download that stopped."""
    packed = Path(shutil.make_archive(str(path.parent / "full"), "gztar", src))
    data = packed.read_bytes()
    packed.unlink()
    path.write_bytes(data[: len(data) // 2])
    return path


def link_chain_tar(path: Path, src: Path | None = None) -> Path:
    """A tar whose links each stay inside, but whose chain leads out: a/b/e/escaped.txt."""
    with tarfile.open(path, "w") as archive:
        for name, target in (("a/b/c", "../.."), ("a/b/e", "c/../..")):
            info = tarfile.TarInfo(name)
            info.type, info.linkname = tarfile.SYMTYPE, target
            archive.addfile(info)
        info = tarfile.TarInfo("a/b/e/escaped.txt")
        info.size = 1
        archive.addfile(info, io.BytesIO(b"x"))
    return path


def _html_page(path: Path, src: Path | None = None) -> Path:
    path.write_text("<html>Sign in to download</html>")  # what a browser saves without login
    return path


def _folder(path: Path, src: Path | None = None) -> Path:
    path.mkdir()
    return path


#: file name -> (builder(path, a class-per-folder source), what the one error line names)
BROKEN: dict[str, tuple[Callable[[Path, Path], Path], str]] = {
    "bad-crc.zip": (bad_crc_zip, "damaged or incomplete (Bad CRC-32"),
    "truncated.tar.gz": (truncated_tar_gz, "damaged or incomplete"),
    "empty.zip": (lambda path, src: zip_with(path, {}), "no folder with 2 or more class folders"),
    "macosx-only.zip": (
        lambda path, src: zip_with(path, {"__MACOSX/a/._1.jpg": b"x", "__MACOSX/b/._1.jpg": b"x"}),
        "no folder with 2 or more class folders",
    ),
    "chain.tar": (link_chain_tar, "outside the target folder: 'a/b/e' (link to 'c/../..')"),
    "html page.zip": (_html_page, "not a zip or tar archive"),
    "folder.zip": (_folder, "is a folder, not an archive"),
    "missing.zip": (lambda path, src: path, "No archive at"),
}
