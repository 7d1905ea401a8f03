"""The lesson website: built from a clean copy of the repository, opened in headless Chromium.

`python -m helpers site --executed` renders the session's one full run of the lessons
(tests/conftest.py's `binder_run`, shared with the Binder test) with Sphinx in about 15 s;
every browser check reads that one build, served by a local http.server. The browser is Debian's
/usr/bin/chromium driven by Playwright, as in tests/test_browser.py; nothing is downloaded
and the site must load nothing from outside the machine.
"""

from __future__ import annotations

import functools
import html.parser
import http.server
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import support
import yaml
from click.testing import CliRunner

from helpers import paths
from helpers.plumbing import cli, runner, site_pages, website

CHROMIUM, CHROMIUM_ARGS = support.CHROMIUM, support.CHROMIUM_ARGS
LESSONS = sorted(p.name for p in paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
PAGES = [name.replace(".ipynb", ".html") for name in LESSONS]
OTHER_PAGES = ["index.html", "setup.html", "schedule.html", "glossary.html", "guide.html"]
OTHER_PAGES += ["references.html", "search.html"]

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian's Chromium is not installed (apt-get install chromium; .ci/run does it)",
)


@pytest.fixture(scope="module")
def site(checkout, binder_run) -> Path:
    """`python -m helpers site --executed` in a clean copy of the repository's files.

    It renders the session's one full run of the lessons (`binder_run`: every lesson at its
    defaults on the sample, in Binder's environment), as `make site` renders its own run.
    """
    env = dict(support.kernel_env(), PYTHONPATH=str(checkout))  # the copy's helpers
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "helpers", "site", "--executed", str(binder_run.path)],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    out = checkout / "build" / "site"
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file()) / 1e6
    print(f"\nsite rendered in {seconds:.0f} s, {size:.1f} MB: {result.stdout.strip()}")
    assert str(out) in result.stdout
    # Only the site and its work folder: no jupyter_execute/ (myst-nb's) beside it, no staging
    assert sorted(p.name for p in out.parent.iterdir()) == ["site", "site-work"]
    return out


@pytest.mark.slow
def test_lessons_on_the_sample_show_no_stderr_that_no_lesson_explains(site, binder_run):
    """The site's lessons ran on the bundled sample as attendees run them (kernel_env)."""
    executed = sorted(binder_run.path.glob("[0-9][0-9]_*.ipynb"))
    assert [notebook.name[:2] for notebook in executed] == [f"0{i}" for i in range(8)]
    assert [line for notebook in executed for line in support.unexpected_output(notebook)] == []


@pytest.fixture(scope="module")
def server(site) -> str:
    """The site over HTTP on a free loopback port, as GitHub Pages would serve it."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # no line per request in the test log
            pass

    handler = functools.partial(Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _open(browser, url: str, width: int = 1400, height: int = 900):
    """A page at `url` with every console error, page error and failed request recorded."""
    page = browser.new_page(viewport={"width": width, "height": height})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else 0)
    page.on("pageerror", lambda err: problems.append(f"page error: {err}"))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    page.on("response", lambda r: problems.append(f"{r.status}: {r.url}") if r.status >= 400 else 0)
    page.goto(url, wait_until="networkidle")
    return page, problems


_IMAGES = """async () => {
    const images = Array.from(document.querySelectorAll("img"));
    for (const img of images) { img.loading = "eager"; }
    await Promise.all(images.map(img => img.decode().catch(() => null)));
    return images.map(img => ({src: img.getAttribute("src"), alt: img.getAttribute("alt"),
                                width: img.naturalWidth}));
}"""


@pytest.mark.slow
@pytest.mark.browser
@needs_chromium
@pytest.mark.parametrize("name", PAGES + OTHER_PAGES)
def test_every_page_loads_cleanly_and_every_image_has_alt_text(browser, server, name):
    page, problems = _open(browser, f"{server}/{name}")
    images = page.evaluate(_IMAGES)
    page.wait_for_load_state("networkidle")
    page.close()
    assert problems == [], problems  # no console errors, no 404s, nothing fetched from outside
    for image in images:
        assert image["width"] > 0, f"{name}: {image['src']} did not load"
        alt = (image["alt"] or "").strip()
        assert alt and alt.lower() not in {"image", "png", "figure"}, f"{name}: {image}"
        assert not alt.lower().endswith((".png", ".svg", ".jpg")), f"{name}: {image}"
    if name in PAGES:
        figures = [i for i in images if i["src"].startswith("_images/")]
        if name[:2] in {"00", "01", "02", "05", "06", "07"}:  # lessons that draw figures
            assert figures, f"{name} shows no figure: were the outputs lost?"
        assert len({i["alt"] for i in figures}) >= min(len(figures), 1)


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        for key in ("href", "src"):
            if values.get(key) and not (tag == "link" and values.get("rel") == "canonical"):
                self.links.append(values[key])


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.mark.slow
def test_every_internal_link_resolves_and_every_lesson_is_reachable(site):
    seen, queue, broken = set(), ["index.html"], []
    parsed = {}
    while queue:
        name = queue.pop()
        if name in seen:
            continue
        seen.add(name)
        parsed[name] = _parse(site / name)
        for link in parsed[name].links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "javascript:")):
                continue
            target = (Path(name).parent / unquote(parts.path)).as_posix() if parts.path else name
            target = os.path.normpath(target)
            if not (site / target).is_file():
                broken.append(f"{name} -> {link}")
            elif target.endswith(".html"):
                queue.append(target)
                fragment = parts.fragment
                if fragment and target in parsed and fragment not in parsed[target].ids:
                    broken.append(f"{name} -> {link} (no #{fragment})")
    # Fragments into pages parsed later: check them once everything is parsed.
    for name, page in parsed.items():
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or not parts.fragment or not parts.path.endswith(".html"):
                continue
            target = os.path.normpath((Path(name).parent / parts.path).as_posix())
            if target in parsed and parts.fragment not in parsed[target].ids:
                broken.append(f"{name} -> {link} (no #{parts.fragment})")
    assert sorted(set(broken)) == []
    assert set(PAGES + OTHER_PAGES) <= seen, set(PAGES + OTHER_PAGES) - seen
    repository = f"https://github.com/{site_pages.REPOSITORY}"
    assert any(link.startswith(repository) for link in parsed["index.html"].links)


@pytest.mark.slow
def test_lesson_pages_show_the_outputs_and_hide_the_run_parameters(site):
    recap = (site / "01_computer_vision_recap.html").read_text(encoding="utf-8")
    assert "(600, 600, 3)" in recap  # printed by a cell: outputs of this very run
    assert "Exercise 1.1: passed" in recap  # the self-checks ran against the solutions
    for name in PAGES:
        text = (site / name).read_text(encoding="utf-8")
        assert "injected-parameters" not in text and "# Parameters" not in text, name


@pytest.mark.slow
@pytest.mark.browser
@needs_chromium
def test_solution_dropdown_is_closed_until_clicked(browser, server):
    page, problems = _open(browser, f"{server}/01_computer_vision_recap.html")
    solutions = page.locator("details.hide:has(summary:has-text('Solution'))")
    assert solutions.count() == 4  # exercises 1.1-1.4
    first = solutions.first
    code = first.locator("div.cell_input")
    assert first.evaluate("d => d.open") is False
    assert not code.is_visible()
    first.locator("summary").click()
    assert first.evaluate("d => d.open") is True
    assert code.is_visible() and "def row_means" in code.inner_text()
    page.close()
    assert problems == []


@pytest.mark.slow
@pytest.mark.browser
@needs_chromium
def test_search_finds_image_data_generator(browser, server):
    page, problems = _open(browser, f"{server}/search.html?q=ImageDataGenerator")
    results = page.locator("#search-results ul.search li a")
    results.first.wait_for(timeout=30_000)
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    page.close()
    assert any(href.startswith("04_image_data_generator.html") for href in hrefs), hrefs
    assert problems == []


@pytest.mark.slow
def test_launch_buttons_open_the_learner_edition_on_binder_and_colab(site):
    for lesson, name in zip(LESSONS, PAGES, strict=True):
        links = _parse(site / name).links
        urls = site_pages.launch_urls(lesson)
        assert urls["binder"] in links and urls["colab"] in links, name
        assert urls["binder"].endswith(f"urlpath=lab/tree/learner/{lesson}")
    for page in OTHER_PAGES:  # only lessons are notebooks: no launch buttons elsewhere
        assert "dropdown-launch-buttons" not in (site / page).read_text(encoding="utf-8"), page
    setup = _parse(site / "setup.html").links  # the setup page offers lesson 00 on both
    assert site_pages.launch_urls(LESSONS[0])["binder"] in setup


@pytest.mark.slow
@pytest.mark.browser
@needs_chromium
def test_a_lesson_reads_on_a_phone_and_on_a_projector(browser, server):
    folder = paths.BUILD_DIR / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    for label, width, height in [("phone", 390, 844), ("projector", 1280, 720)]:
        page, problems = _open(browser, f"{server}/05_plotting_batches.html", width, height)
        page.locator("div.cell_output img").first.scroll_into_view_if_needed()
        page.screenshot(path=str(folder / f"site_05_{label}.png"))
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        font = page.evaluate("parseFloat(getComputedStyle(document.querySelector('p')).fontSize)")
        page.close()
        assert problems == []
        assert overflow <= 0, f"{label}: the page is {overflow} px wider than the screen"
        assert font >= 15, f"{label}: body text is {font} px"


def test_site_refuses_an_output_folder_it_did_not_make(tmp_path):
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "keep.txt").write_text("mine")
    result = CliRunner().invoke(cli.main, ["site", "--out", str(mine)])
    assert result.exit_code != 0
    assert "did not write" in result.output and str(mine) in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert (mine / "keep.txt").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes"]  # no work folder left


@pytest.mark.slow
def test_a_rebuild_never_deletes_a_file_added_to_the_site(site, checkout):
    """A CNAME (GitHub Pages' custom domain) added to a built site blocks the next build."""
    (site / "CNAME").write_text("workshop.example.org\n")
    try:
        env = dict(os.environ, PYTHONPATH=str(checkout))
        result = subprocess.run(
            [sys.executable, "-m", "helpers", "site", "--executed", "unused"],
            cwd=checkout,
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert result.stderr.strip().splitlines() == [result.stderr.strip()]
        assert "CNAME" in result.stderr and "never replaced" in result.stderr
        assert (site / "CNAME").read_text(encoding="utf-8") == "workshop.example.org\n"
    finally:
        (site / "CNAME").unlink()


@pytest.mark.parametrize("protected", ["notebooks", "data", "helpers"])
def test_site_refuses_to_write_into_the_lessons_code_or_data(protected):
    target = paths.REPO_ROOT / protected / "site"
    result = CliRunner().invoke(cli.main, ["site", "--out", str(target)])
    assert result.exit_code != 0 and "never written to" in result.output
    assert not target.exists()


def test_pages_workflow_builds_with_make_site_and_deploys_build_site():
    workflow = yaml.safe_load(
        (paths.REPO_ROOT / ".github/workflows/site.yml").read_text(encoding="utf-8")
    )
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on:` as True
    assert "push" in on and "workflow_dispatch" in on
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build = workflow["jobs"]["build"]["steps"]
    assert any(step.get("run", "").strip() == "make site" for step in build)
    (upload,) = [s for s in build if s.get("uses", "").startswith("actions/upload-pages-artifact")]
    assert upload["with"]["path"] == "build/site"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert any(s.get("uses", "").startswith("actions/deploy-pages") for s in deploy["steps"])


def test_readme_links_the_site_and_explains_make_site():
    readme = (paths.REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert site_pages.SITE_URL in readme and "make site" in readme
    makefile = (paths.REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    assert "\nsite:" in makefile and "helpers site" in makefile


def test_site_refuses_a_data_dir():
    result = CliRunner().invoke(cli.main, ["site", "-p", "DATA_DIR", "/tmp/mine"])
    assert result.exit_code != 0 and "bundled sample" in result.output


def test_site_without_the_builder_says_how_to_install_it_before_running(tmp_path, monkeypatch):
    monkeypatch.setattr(website, "BUILDER_MODULES", ("sphinx", "no_such_builder_module"))
    result = CliRunner().invoke(cli.main, ["site", "--out", str(tmp_path / "site")])
    assert result.exit_code != 0 and "no_such_builder_module" in result.output
    assert "make site" in result.output and len(result.output.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []  # refused before any lesson ran


def test_site_command_has_help():
    result = CliRunner().invoke(cli.main, ["site", "--help"])
    assert result.exit_code == 0 and "--out" in result.output and "build/site" in result.output


def _fake_run(folder: Path, *, skip: str = "", **how: str | None) -> Path:
    """A folder shaped like `helpers run --out`: the lessons' files and its summary.json."""
    folder.mkdir()
    results = []
    for name in LESSONS:
        if name.startswith(skip or "-"):
            continue
        notebook = json.loads((paths.NOTEBOOKS_DIR / name).read_text(encoding="utf-8"))
        (folder / name).write_text(json.dumps(notebook))
        results.append(runner.NotebookResult(name, "passed"))
    runner.write_summary(results, folder, **how)
    return folder


def _broken(folder: Path, name: str) -> Path:
    (folder / name).write_text('{"cut short": ')
    return folder


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d, "has no summary.json"),
        (lambda d: _fake_run(d / "run", skip="04"), "no passed run of 04_image_data_generator"),
        (lambda d: _fake_run(d / "run", data_dir="/x"), "a run on other data"),
        (lambda d: _fake_run(d / "run", edition="learner"), "of the learner edition"),
        (lambda d: _broken(_fake_run(d / "run"), "summary.json"), "summary.json' is not as"),
        (lambda d: _broken(_fake_run(d / "run"), LESSONS[2]), f"{LESSONS[2]}' is not as"),
    ],
    ids=["not a run", "a lesson missing", "other data", "learner", "bad summary", "bad notebook"],
)
def test_site_refuses_executed_lessons_it_should_not_show(tmp_path, make, message):
    executed = make(tmp_path)
    out = tmp_path / "site"
    result = CliRunner().invoke(cli.main, ["site", "--out", str(out), "--executed", str(executed)])
    assert result.exit_code != 0 and message in result.output, result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert not out.exists() and not (tmp_path / "site-work").exists()
