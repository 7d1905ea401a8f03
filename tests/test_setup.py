from helpers import paths
from helpers.plumbing import setup


def test_check_passes_on_the_bundled_sample():
    report = setup.check()
    assert report.ok, report.problems
    assert report.counts == {"Kirmizi_Pistachio": 30, "Siirt_Pistachio": 30}
    text = str(report)
    assert "tensorflow" in text and "GB" in text and "ready" in text


def test_missing_sample_is_a_problem_with_the_fix(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "SAMPLE_DIR", tmp_path / "gone")
    report = setup.check()
    assert not report.ok
    assert "python -m helpers data sample" in report.problems[0]


def test_one_class_is_a_problem(make_dataset):
    root = make_dataset({"only": 2})
    report = setup.check(root)
    assert any("at least 2" in problem for problem in report.problems)


def test_empty_class_is_a_problem(make_dataset):
    root = make_dataset({"a": 2})
    (root / "b").mkdir()
    report = setup.check(root)
    assert any("'b' has no usable images" in problem for problem in report.problems)


def test_versions_lists_every_package():
    found = setup.versions()
    assert set(found) == {"python"} | {group[-1] for group in setup.PACKAGES}
    assert found["keras"].startswith("3.")


def test_setup_check_agrees_with_data_check(make_dataset):
    root = make_dataset({"a": 2, "b": 2})
    (root / "b" / "broken.jpg").write_bytes(b"not a picture")
    report = setup.check(root)
    assert not report.ok and any("'b/broken.jpg'" in problem for problem in report.problems)
