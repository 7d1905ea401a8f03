"""Colab, or any Python without the workshop: the cells at the top of each learner notebook.

:func:`colab_cells` gives two cells for the learner-edition generator to put first: an
"Open in Colab" badge, and a code cell tagged ``bootstrap`` that does nothing where
``helpers`` is importable (a checkout, Binder, a laptop set up with SETUP.md) and otherwise
fetches the repository at :data:`helpers.plumbing.release.REF` (or ``$WORKSHOP_SOURCE``: a
local copy or another zip URL), then runs this module from it:
``python -m helpers.plumbing.colab``.

That installer (:func:`main`) installs only what is missing: it keeps Colab's preinstalled
TensorFlow, Keras, NumPy, OpenCV… (``helpers.plumbing.setup.ACCEPTED`` says which versions the
lessons accept) and adds the rest at the workshop's pins, e.g. split-folders; then the ``helpers``
package itself (``pip install --no-deps``) and the sample images in ``workshop/`` next to the
notebook, where ``helpers.paths`` looks outside a checkout. It says what it did.

Standard library only: it runs before anything of the workshop is installed.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import shutil
import subprocess
import sys
from pathlib import Path

from helpers import BadInput, StepFailed, paths
from helpers.plumbing import release

__all__ = ["LESSON_PACKAGES", "bootstrap_source", "colab_cells", "main", "missing"]

#: What the lessons import, as groups of interchangeable distributions (first: the pinned one).
#: JupyterLab, papermill and nbconvert are left out: Colab is its own notebook server.
LESSON_PACKAGES = (
    ("tensorflow-cpu", "tensorflow"),
    ("keras",),
    ("numpy",),
    ("pillow",),
    (
        "opencv-python-headless",
        "opencv-python",
        "opencv-contrib-python",
        "opencv-contrib-python-headless",
    ),
    ("matplotlib",),
    ("scipy",),
    ("split-folders",),
    ("tqdm",),
    ("click",),
    ("psutil",),
)


def bootstrap_source() -> str:
    """The Python source of the ``bootstrap`` cell (kept short: learners see it first).

    Examples
    --------
    >>> code = bootstrap_source()
    >>> compile(code, "bootstrap", "exec") is not None and release.archive_url() in code
    True
    """
    return f"""\
# Set-up for Colab (or any Python without the workshop): installs the workshop's `helpers`
# and the sample images next to this notebook, and says what it did. Elsewhere: nothing.
import importlib.util, os, pathlib, subprocess, sys, tempfile, urllib.request, zipfile

if importlib.util.find_spec("helpers") is None:
    source = os.environ.get("WORKSHOP_SOURCE", "{release.archive_url()}")
    if not os.path.isdir(source):  # a zip URL: download and unpack it
        folder = tempfile.mkdtemp()
        archive, _ = urllib.request.urlretrieve(source, os.path.join(folder, "workshop.zip"))
        zipfile.ZipFile(archive).extractall(folder)
        source = str(next(p for p in pathlib.Path(folder).iterdir() if p.is_dir()))
    command = [sys.executable, "-m", "helpers.plumbing.colab", "--notebook-dir", os.getcwd()]
    if subprocess.run(command, cwd=source).returncode != 0:
        raise RuntimeError("The workshop set-up failed: send the lines above to the instructor.")
    importlib.invalidate_caches()
"""


def _lines(text: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    if lines:
        lines[-1] = lines[-1].rstrip("\n")
    return lines


#: The one line a learner sees of the folded set-up cell (Colab shows it as the form's title).
SETUP_TITLE = "# @title Set-up for Colab: run this first there (elsewhere it does nothing)"


def colab_cells(notebook_name: str) -> list[dict]:
    """The cells that go first in the learner edition of `notebook_name`.

    Parameters
    ----------
    notebook_name : str
        File name in ``notebooks/`` (and ``learner/``), e.g. ``"00_setup_check.ipynb"``.

    Returns
    -------
    list of dict
        nbformat v4 cells: a markdown cell with the "Open in Colab" badge and one sentence,
        and a code cell tagged ``bootstrap``, folded (JupyterLab's ``source_hidden``, Colab's
        form view) so that the lesson, not set-up code, is what learners read first.

    Examples
    --------
    >>> badge, setup = colab_cells("03_directory_split.ipynb")
    >>> release.colab_url("learner/03_directory_split.ipynb") in "".join(badge["source"])
    True
    >>> setup["metadata"]["tags"], setup["id"]
    (['bootstrap'], '03-colab-setup')
    """
    if not notebook_name.endswith(".ipynb") or "/" in notebook_name:
        raise BadInput(
            f"Expected a notebook file name such as '00_setup_check.ipynb', got {notebook_name!r}."
        )
    number = notebook_name.split("_", 1)[0]
    url = release.colab_url(f"{paths.LEARNER_DIR.name}/{notebook_name}")
    badge = (
        f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({url})\n"
        "\n"
        "**On Colab**, run the folded cell below first: it installs the workshop's helpers and "
        "sample images (about a minute). On Binder, a JupyterHub or your own laptop it does "
        "nothing."
    )
    return [
        {
            "cell_type": "markdown",
            "id": f"{number}-colab-badge",
            "metadata": {},
            "source": _lines(badge),
        },
        {
            "cell_type": "code",
            "execution_count": None,
            "id": f"{number}-colab-setup",
            # folded: in JupyterLab (source_hidden) and on Colab (a form, titled by @title)
            "metadata": {
                "cellView": "form",
                "jupyter": {"source_hidden": True},
                "tags": ["bootstrap"],
            },
            "outputs": [],
            "source": _lines(f"{SETUP_TITLE}\n{bootstrap_source()}"),
        },
    ]


def _installed(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def _pins(requirements: Path) -> dict[str, str]:
    """``{name: version}`` of a locked requirements file (markers ignored: first pin wins)."""
    found: dict[str, str] = {}
    for line in requirements.read_text().splitlines():
        line = line.split("#", 1)[0].split(";", 1)[0].strip()
        if "==" in line:
            name, version = (part.strip() for part in line.split("==", 1))
            found.setdefault(name.lower(), version)
    return found


def missing(pins: dict[str, str], installed=_installed) -> tuple[list[str], list[str]]:
    """What to install, and what is kept, of :data:`LESSON_PACKAGES`.

    Parameters
    ----------
    pins : dict
        ``{name: version}`` from the workshop's ``requirements/lab.txt``.
    installed : callable, optional
        ``name -> version or None``; default: this Python's installed distributions.

    Returns
    -------
    (list of str, list of str)
        ``name==version`` to install; ``name version`` found installed.

    Examples
    --------
    >>> colab = {"tensorflow": "2.19.0", "keras": "3.10.0", "opencv-python": "4.12.0.88"}
    >>> pins = {"tensorflow-cpu": "2.21.0", "tensorflow": "2.21.0", "split-folders": "0.6.1"}
    >>> install, kept = missing(pins, colab.get)
    >>> [line for line in install if "split" in line or "tensorflow" in line], kept[:2]
    (['split-folders==0.6.1'], ['tensorflow 2.19.0', 'keras 3.10.0'])
    >>> missing(pins, {}.get)[0][0]  # no TensorFlow at all: the plain wheel, any platform
    'tensorflow==2.21.0'
    """
    install, kept = [], []
    for group in LESSON_PACKAGES:
        found = next(((name, installed(name)) for name in group if installed(name)), None)
        if found:
            kept.append(f"{found[0]} {found[1]}")
            continue
        name = group[-1] if group[0] == "tensorflow-cpu" else group[0]  # tensorflow-cpu: Linux
        if name in pins:
            install.append(f"{name}=={pins[name]}")
    return install, kept


def _pip(*args: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", *args], capture_output=True, text=True
    )
    if result.returncode != 0:
        raise StepFailed(f"pip install {' '.join(args)} failed:\n{result.stderr[-2000:]}")


def _copy_sample(notebook_dir: Path) -> Path:
    """Copy this source's sample into the workshop folder next to the notebook (if missing)."""
    root = paths.outside_checkout_root(notebook_dir)
    target = root / paths.SAMPLE_DIR.relative_to(paths.REPO_ROOT)
    if not target.is_dir():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(paths.SAMPLE_DIR, target)
    return target


def main(argv: list[str] | None = None) -> int:
    """Install what the lessons miss, the helpers and the sample (run from the source tree)."""
    parser = argparse.ArgumentParser(prog="python -m helpers.plumbing.colab", description=__doc__)
    parser.add_argument("--notebook-dir", type=Path, required=True, help="the kernel's folder")
    args = parser.parse_args(argv)
    source = paths.REPO_ROOT
    try:
        install, kept = missing(_pins(source / "requirements" / "lab.txt"))
        if install:
            print(f"Installing what the lessons need and this Python lacks: {', '.join(install)}")
            _pip("--only-binary=:all:", *install)
        _pip("--no-deps", str(source))
        sample = _copy_sample(args.notebook_dir)
    except (OSError, RuntimeError) as err:
        print(f"Workshop set-up failed: {err}", file=sys.stderr)
        return 1
    images = sum(1 for p in sample.rglob("*.jpg"))
    print(f"Kept what was already installed: {', '.join(kept) or 'nothing'}.")
    print(f"Installed the workshop's helpers from {source} (branch {release.REF}).")
    print(f"Sample data: {sample} ({images} images).")
    print("Ready: run the next cells. (Colab forgets all this when its runtime is recycled.)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
