"""pytest set-up shared by the doctests in helpers/ and the tests in tests/."""

import pytest


@pytest.fixture(autouse=True)
def _doctest_tmp_path(doctest_namespace, tmp_path):
    """Docstring examples write into `tmp_path`, a fresh folder that pytest cleans up."""
    doctest_namespace["tmp_path"] = tmp_path
