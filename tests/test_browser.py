"""JupyterLab as attendees meet it: a real server, driven in Debian's headless Chromium.

The server runs from the project's .venv on a free loopback port with a token, serving a
copy of notebooks/ (saving a notebook must not change the repository). The browser is
/usr/bin/chromium driven by Playwright; nothing is downloaded.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import support

from helpers import paths
from helpers.plumbing import lab as lab_module

CHROMIUM, CHROMIUM_ARGS = support.CHROMIUM, support.CHROMIUM_ARGS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's Chromium is not installed (apt-get install chromium; .ci/run does it)",
    ),
]


@pytest.fixture(scope="module")
def lab(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """A JupyterLab server over copies of notebooks/ and learner/; yields (URL with token, root)."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(paths.NOTEBOOKS_DIR, root / "notebooks")
    shutil.copytree(paths.LEARNER_DIR, root / "learner")  # the badges open the learner edition
    port, token = support.free_port(), "browser-test-token"
    jupyter = Path(sys.executable).parent / "jupyter"
    server = subprocess.Popen(
        [
            str(jupyter),
            "lab",
            "--no-browser",
            "--allow-root",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--IdentityProvider.token={token}",
            f"--notebook-dir={root}",
            *lab_module.server_options(),  # as `make lab` and `python -m helpers lab` start it
        ],
        env=support.jupyter_env(root),
        stdout=(root / ".server.log").open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: we stop exactly what we started
    )
    base = f"http://127.0.0.1:{port}"
    try:
        support.wait_until_serving(f"{base}/api/status?token={token}", server)
        yield f"{base}|{token}", root
    finally:
        support.stop_group(server)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _open(browser, lab, path: str):
    """A new page with `path` open in a workspace of its own.

    In the shared default workspace JupyterLab restores the notebooks earlier tests opened,
    and one of them may be the first panel, hidden behind ours: waiting for its cells to
    show once timed out (CI, 2026-12-05).
    """
    address, _ = lab
    base, token = address.split("|")
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    workspace = f"test-{uuid.uuid4().hex[:12]}"
    page.goto(f"{base}/lab/workspaces/{workspace}/tree/{path}?token={token}")
    page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell", timeout=90_000)
    page.wait_for_selector(".jp-StatusBar-TextItem:has-text('| Idle')", timeout=90_000)
    return page


def _screenshot(page, name: str) -> Path:
    folder = paths.BUILD_DIR / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name))
    return folder / name


def _saved_outputs(saved, timeout: float = 30) -> list[dict]:
    """The outputs in a notebook JupyterLab is saving: once the file parses and has some.

    After Ctrl+S JupyterLab may still be writing the file; a read in the middle sees half a
    JSON document (a flaky JSONDecodeError once). Poll until it parses and holds outputs.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            cells = json.loads(saved.read_text(encoding="utf-8"))["cells"]
            outputs = [output for cell in cells for output in cell.get("outputs", [])]
        except (json.JSONDecodeError, KeyError, OSError):
            outputs = []
        if outputs or time.monotonic() > deadline:
            return outputs
        time.sleep(0.5)


def test_a_learner_lesson_opens_on_its_title_with_the_colab_setup_folded(browser, lab):
    page = _open(browser, lab, "learner/00_setup_check.ipynb")
    first = page.locator(".jp-Notebook .jp-Cell").first
    first.wait_for(timeout=30_000)
    assert first.inner_text().strip().startswith("00 · Setup check"), first.inner_text()[:200]
    assert page.locator(".jp-Notebook .jp-InputPlaceholder").count() >= 1  # the folded set-up
    assert "urllib.request" not in page.locator(".jp-Notebook").inner_text()
    _screenshot(page, "learner_00_top.png")


def test_run_all_cells_of_lesson_01(browser, lab):
    page = _open(browser, lab, "notebooks/01_computer_vision_recap.ipynb")
    for _attempt in range(3):  # a click before the kernel is connected is dropped: retry
        page.click(".lm-MenuBar-item:has-text('Run')")
        page.click(".lm-Menu-item:has-text('Run All Cells')")
        try:
            page.wait_for_selector(".jp-InputPrompt:has-text('[1]')", timeout=20_000)
            break
        except Exception:
            continue
    # Run All goes top to bottom; the last self-check prints this line.
    try:
        page.wait_for_selector(
            ".jp-OutputArea-output:has-text('Exercise 1.4: passed')", timeout=180_000
        )
    except Exception:
        _screenshot(page, "01_run_all_FAILED.png")
        page.keyboard.press("Control+s")
        time.sleep(3)
        saved = lab[1] / "notebooks" / "01_computer_vision_recap.ipynb"
        for output in _saved_outputs(saved):
            if output["output_type"] == "error" or output.get("name") == "stderr":
                print("cell output before the timeout:", output)
        raise
    page.wait_for_function(
        "document.querySelector('.jp-Notebook-ExecutionIndicator')"
        "?.getAttribute('data-status') === 'idle'",
        timeout=60_000,
    )
    assert page.locator(".jp-OutputArea-output img").count() >= 1
    assert page.locator(".jp-OutputArea-output:has-text('(600, 600, 3)')").count() >= 1
    _screenshot(page, "01_run_all.png")
    # the kernel got CurveZMQ keys: ipykernel's plain-TCP warning never reaches the terminal
    assert "without encryption" not in (lab[1] / ".server.log").read_text(encoding="utf-8")

    page.keyboard.press("Control+s")  # save into the copy, then read what the kernel produced
    saved = lab[1] / "notebooks" / "01_computer_vision_recap.ipynb"
    outputs = _saved_outputs(saved)
    assert [o for o in outputs if o["output_type"] == "error"] == []
    assert any("image/png" in o.get("data", {}) for o in outputs)
    texts = ["".join(o.get("text", "")) for o in outputs]  # saved text is a list of lines
    shape_lines = [text for text in texts if "(600, 600, 3)" in text]
    assert shape_lines, "the cell that prints the shape should show (600, 600, 3)"
    page.close()


def test_binder_badge_path_opens_notebook_00_in_the_notebook_view(browser, lab):
    readme = (paths.REPO_ROOT / "README.md").read_text(encoding="utf-8")
    badge_path = readme.split("urlpath=lab/tree/")[1].split(")")[0]
    page = _open(browser, lab, badge_path)
    assert page.locator(".jp-NotebookPanel").count() >= 1
    # The server's workspace may still hold lesson 01 from the test before; the badge URL
    # must bring notebook 00 to the front.
    current = "#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel"
    page.wait_for_selector(f"{current}:text-is('00_setup_check.ipynb')", timeout=30_000)
    title = ".jp-MarkdownOutput h1:has-text('00 · Setup check')"
    page.wait_for_selector(title, timeout=30_000)  # markdown renders a moment after the tab
    assert page.locator(title).count() == 1
    # JupyterLab asks about "official Jupyter news" a moment after it starts, unless
    # binder/overrides.json is installed (make and binder/postBuild install it).
    page.wait_for_timeout(8_000)
    _screenshot(page, "00_badge.png")
    assert page.locator(".Toastify__toast").all_inner_texts() == []
    page.close()
