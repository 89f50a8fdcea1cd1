"""The Command Paper form items of report.yml (issue 20): the ISBN-13 check digit, clear errors naming the
file, line and field, and the security marking a laid paper carries (none unless asked for)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import SAMPLE_NOW, copy_sample_project, run_council

from council.sources.report_form import hyphenated_isbn, isbn13_check_digit, normalise_isbn

PERIOD = "2025-26"


@pytest.mark.parametrize(
    ("isbn", "digits"),
    [
        ("978-1-5286-5012-0", "9781528650120"),  # check digit 0: the sum is already a multiple of 10
        ("978 1 5286 4311 5", "9781528643115"),
        ("ISBN 978-0-306-40615-7", "9780306406157"),  # a published book's ISBN, from outside this project
        ("979-10-90636-07-1", "9791090636071"),
    ],
)
def test_a_valid_isbn_13_is_accepted_with_hyphens_or_spaces(isbn: str, digits: str) -> None:
    assert normalise_isbn(isbn) == digits


@pytest.mark.parametrize(
    ("isbn", "complaint"),
    [
        ("978-1-5286-5012-1", "check digit 1, but its first twelve digits give 0"),
        ("978-0-306-40615-8", "check digit 8, but its first twelve digits give 7"),
        ("978-1-5286-5012", "13 digits"),
        ("978-1-5286-5012-00", "13 digits"),
        ("977-1-5286-5012-3", "978 or 979"),
        ("0-306-40615-2", "13 digits"),  # an ISBN-10 is not accepted
    ],
)
def test_a_wrong_isbn_says_what_is_wrong(isbn: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        normalise_isbn(isbn)


def test_every_possible_last_digit_but_one_is_refused() -> None:
    first = "978152865012"
    assert isbn13_check_digit(first) == 0
    for digit in "123456789":
        with pytest.raises(ValueError):
            normalise_isbn(first + digit)


def test_the_isbn_is_printed_as_command_papers_print_it() -> None:
    assert hyphenated_isbn("9781528650120") == "978-1-5286-5012-0"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_sample_project(tmp_path_factory.mktemp("form"))


def _with_yml(root: Path, tmp: Path, change: dict[str, str | None]) -> Path:
    """A copy of the sample whose report.yml has `change` applied line by line (None removes the key)."""
    import shutil

    target = tmp / "project"
    shutil.copytree(root, target, symlinks=True)
    path = target / "reports" / PERIOD / "report.yml"
    lines = path.read_text(encoding="utf-8").split("\n")
    for key, value in change.items():
        lines = [line for line in lines if not line.startswith(f"{key}:")]
        if value is not None:
            lines.append(f"{key}: {value}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def _report(root: Path) -> subprocess.CompletedProcess[str]:
    return run_council("report", PERIOD, "--now", SAMPLE_NOW, cwd=root)


def test_a_wrong_check_digit_names_the_file_line_and_field_and_writes_nothing(sample: Path, tmp_path: Path) -> None:
    root = _with_yml(sample, tmp_path, {"isbn": "978-1-5286-5012-7"})
    result = _report(root)
    assert result.returncode != 0
    lines = (root / "reports" / PERIOD / "report.yml").read_text(encoding="utf-8").split("\n")
    line = next(i for i, text in enumerate(lines, 1) if text.startswith("isbn:"))
    assert f"reports/{PERIOD}/report.yml:{line}: error: field 'isbn'" in result.stderr
    assert "check digit 7, but its first twelve digits give 0" in result.stderr
    assert "hint:" in result.stderr and "Traceback" not in result.stderr
    assert not (root / "build" / "reports" / PERIOD).exists()


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("e_number", "03412345", "is not an E-number"),  # YAML reads it as a number
        ("isbn", "9781528650121", "check digit 1"),
        ("security_marking", "SECRET-ISH", "security_marking"),
        ("laid_date", "2026-07-10", "'laid' and 'laid_date' give different dates"),
    ],
)
def test_other_bad_form_items_are_named(sample: Path, tmp_path: Path, key: str, value: str, message: str) -> None:
    change: dict[str, str | None] = {key: value}
    if key == "laid_date":
        change = {"laid": "2026-07-09", "laid_date": value}
    result = _report(_with_yml(sample, tmp_path, change))
    assert result.returncode != 0
    assert message in result.stderr and f"field '{key}'" in result.stderr


def _first_page_top(pdf: Path) -> str:
    text = subprocess.run(
        ["pdftotext", "-f", "3", "-l", "3", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.strip().split("\n")[0]


def test_a_laid_paper_carries_no_marking_unless_report_yml_asks(sample: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    unmarked = _with_yml(sample, plain, {})
    assert _report(unmarked).returncode == 0
    pdf = unmarked / "build" / "reports" / PERIOD / f"report-{PERIOD}.pdf"
    assert "OFFICIAL" not in _first_page_top(pdf)
    marked_dir = tmp_path / "marked"
    marked_dir.mkdir()
    marked = _with_yml(sample, marked_dir, {"security_marking": "OFFICIAL"})
    result = _report(marked)
    assert result.returncode == 0, result.stderr
    assert _first_page_top(marked / "build" / "reports" / PERIOD / f"report-{PERIOD}.pdf") == "OFFICIAL"
