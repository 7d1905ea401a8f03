from helpers import paths
from helpers.plumbing import setup


def test_check_passes_on_the_bundled_sample(ready_machine):
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


def test_low_memory_is_a_problem_that_says_what_to_do(ready_machine, monkeypatch):
    monkeypatch.setattr(setup, "memory_gb", lambda: {"total": 2.0, "available": 0.4})
    report = setup.check()
    assert not report.ok
    assert report.problems == [
        f"Only 0.4 GB of memory available; close other programs (the workshop needs about "
        f"{setup.MIN_RAM_GB:.0f} GB)."
    ]


def test_an_unsupported_computer_is_a_problem(ready_machine, monkeypatch):
    from helpers.plumbing import platforms

    reason = platforms.problem((3, 11), "Darwin", "x86_64")
    monkeypatch.setattr(platforms, "current_problem", lambda: reason)
    report = setup.check()
    assert not report.ok and report.problems == [reason]
    assert "Intel" in reason
