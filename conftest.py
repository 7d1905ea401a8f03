"""pytest set-up shared by the doctests in helpers/ and the tests in tests/."""

import pytest


@pytest.fixture(autouse=True)
def _doctest_tmp_path(doctest_namespace, tmp_path):
    """Docstring examples write into `tmp_path`, a fresh folder that pytest cleans up."""
    doctest_namespace["tmp_path"] = tmp_path


#: Test modules that must share one pytest-xdist worker: they read the same session fixtures
#: (tests/conftest.py's fresh attendee environment and its run of every lesson), which a
#: second worker would build again.
SHARED_WORKER = {"tests/test_fresh_install.py": "attendee", "tests/test_site.py": "attendee"}

#: The longest groups of tests, longest first (seconds on 2 cores, for the order only). Handing
#: them out first keeps both workers busy until the end instead of one finishing alone.
LONGEST_FIRST = ("attendee", "notebooks", "tests/test_datasets.py", "tests/test_self_checks.py")


def _group(nodeid: str) -> str:
    """The scheduling group of a test: its module, all lesson notebooks, or `SHARED_WORKER`."""
    module = nodeid.split("::", 1)[0]
    if module.startswith("notebooks/"):
        return "notebooks"
    return SHARED_WORKER.get(module, module)


#: Docstring examples that train or measure with TensorFlow: `slow`, like the tests that do.
SLOW_DOCTESTS = {
    "helpers.plumbing.bench.run_benchmark",
    "helpers.plumbing.bench.format_report",
}


def pytest_collection_modifyitems(items) -> None:
    """Mark `SLOW_DOCTESTS`; order the tests as `LONGEST_FIRST`, then as collected."""
    for item in items:
        if item.name in SLOW_DOCTESTS:
            item.add_marker(pytest.mark.slow)
    rank = {group: i for i, group in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(_group(item.nodeid), len(rank)))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """Under pytest-xdist (``make test``), each group of `_group` runs in one worker, in order.

    Each notebook keeps one kernel for all its cells (xdist's ``loadscope``), and the
    notebooks run one after another because they share the work folder ``build/workshop``
    (lesson 03 splits into it, 04-07 reuse the split). The groups are handed out in the
    order of `pytest_collection_modifyitems` (longest first), not xdist's default (most tests
    first).
    """
    from xdist.scheduler import LoadScopeScheduling

    class Groups(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return _group(nodeid)

    config.option.loadscopereorder = False
    return Groups(config, log)
