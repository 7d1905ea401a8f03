"""pytest set-up shared by the doctests in helpers/ and the tests in tests/."""

import pytest


@pytest.fixture(autouse=True)
def _doctest_tmp_path(doctest_namespace, tmp_path):
    """Docstring examples write into `tmp_path`, a fresh folder that pytest cleans up."""
    doctest_namespace["tmp_path"] = tmp_path


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """Under pytest-xdist (``make test``), every lesson notebook runs in the same worker.

    Each notebook keeps one kernel for all its cells (xdist's ``loadscope``), and the
    notebooks run one after another because they share the work folder ``build/workshop``
    (lesson 03 splits into it, 04-07 reuse the split). Other test modules spread freely.
    """
    from xdist.scheduler import LoadScopeScheduling

    class NotebooksTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.startswith("notebooks/"):
                return "notebooks"
            return super()._split_scope(nodeid)

    return NotebooksTogether(config, log)
