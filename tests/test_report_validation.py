"""Bad report data is refused with the file, row (its line) and column of each problem, every problem
in one run, and the outputs of the previous `council report` stay exactly as they were."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE_NOW, copy_sample_project, run_council

PERIOD = "2025-26"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project with its 2025-26 report built once."""
    root = copy_sample_project(tmp_path_factory.mktemp("report-ok"))
    run_council("report", PERIOD, "--now", SAMPLE_NOW, cwd=root, check=True)
    return root


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(built, root, symlinks=True)
    return root


def outputs(root: Path) -> dict[str, bytes]:
    folders = [root / "build" / "reports" / PERIOD, root / "build" / "restricted" / PERIOD]
    return {p.name: p.read_bytes() for folder in folders for p in sorted(folder.iterdir())}


def edit_cell(root: Path, name: str, data_row: int, column: str, value: str) -> int:
    """Set one cell (data_row 1 is the first row under the header); return that row's line number."""
    path = root / "reports" / PERIOD / name
    table = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    table[data_row][table[0].index(column)] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(table)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return data_row + 1


def rename_column(root: Path, name: str, old: str, new: str) -> None:
    path = root / "reports" / PERIOD / name
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[0] = ",".join(new if cell == old else cell for cell in lines[0].split(","))
    path.write_text("\n".join(lines), encoding="utf-8")


CASES = {
    # case: (file, row, column, new value, words the message must hold)
    "missing value": ("training.csv", 3, "department", "", "missing value"),
    "bad date": ("actions.csv", 5, "date", "2025-13-40", "'2025-13-40' is not a date"),
    "negative amount": ("funding.csv", 2, "amount_gbp", "-5000", "negative"),
    "unknown department": ("actions.csv", 4, "department", "FDCO", "unknown department 'FDCO'; did you mean 'FCDO'?"),
    "unknown tool": ("actions.csv", 6, "tool", "sanction", "unknown toolkit tool 'sanction'"),
    "unknown country": ("funding.csv", 3, "country", "XYZ", "unknown country code 'XYZ'"),
    "date outside the period": ("actions.csv", 2, "date", "2024-12-01", "outside the reporting period"),
    "unknown trigger type": ("impact-assessments.csv", 1, "trigger_type", "court", "unknown trigger type 'court'"),
}


@pytest.mark.parametrize("case", CASES)
def test_a_bad_cell_is_named_by_file_row_and_column_and_nothing_is_overwritten(project: Path, case: str) -> None:
    name, row, column, value, words = CASES[case]
    before = outputs(project)
    line = edit_cell(project, name, row, column, value)
    result = run_council("report", PERIOD, "--now", SAMPLE_NOW, cwd=project)
    assert result.returncode == 1, result.stderr
    assert f"reports/{PERIOD}/{name}:{line}: error: field '{column}': " in result.stderr
    assert words in result.stderr
    assert "Traceback" not in result.stderr
    assert outputs(project) == before


def test_an_unknown_column_is_named_on_the_header_line(project: Path) -> None:
    before = outputs(project)
    rename_column(project, "actions.csv", "description", "descripton")
    result = run_council("report", PERIOD, "--now", SAMPLE_NOW, cwd=project)
    assert result.returncode == 1
    assert f"reports/{PERIOD}/actions.csv:1:6: error: field 'descripton': unknown column 'descripton'" in result.stderr
    assert "did you mean 'description'?" in result.stderr
    assert (
        f"reports/{PERIOD}/actions.csv:1: error: field 'description': the required column 'description' is missing"
        in result.stderr
    )
    assert outputs(project) == before


def test_every_problem_in_every_file_is_reported_in_one_run(project: Path) -> None:
    lines = [
        edit_cell(project, "actions.csv", 3, "country", "Sudan"),
        edit_cell(project, "funding.csv", 4, "amount_gbp", "-1"),
        edit_cell(project, "training.csv", 2, "staff_trained", ""),
    ]
    result = run_council("check", cwd=project)
    assert result.returncode == 1
    assert f"actions.csv:{lines[0]}: error: field 'country'" in result.stderr
    assert f"funding.csv:{lines[1]}: error: field 'amount_gbp'" in result.stderr
    assert f"training.csv:{lines[2]}: error: field 'staff_trained': missing value" in result.stderr
    assert "3 errors found; nothing was written." in result.stderr


def test_the_site_build_refuses_bad_report_data_and_keeps_the_published_site(project: Path) -> None:
    run_council("build", "--quiet", "--now", SAMPLE_NOW, cwd=project, check=True)
    published = (project / "site").resolve()
    edit_cell(project, "funding.csv", 1, "amount_gbp", "-10")
    result = run_council("build", "--quiet", "--now", SAMPLE_NOW, cwd=project)
    assert result.returncode == 1 and "funding.csv:2: error: field 'amount_gbp'" in result.stderr
    assert (project / "site").resolve() == published
    assert (published / "reports" / PERIOD / f"report-{PERIOD}.pdf").is_file()


def test_a_reference_to_an_unlabelled_paragraph_is_an_error(project: Path) -> None:
    conclusions = project / "reports" / PERIOD / "conclusions.md"
    conclusions.write_text(
        conclusions.read_text(encoding="utf-8").replace("#para-coordination)", "#para-coordinaton)"), encoding="utf-8"
    )
    result = run_council("report", PERIOD, "--now", SAMPLE_NOW, cwd=project)
    assert result.returncode == 1
    assert f"reports/{PERIOD}/conclusions.md:2:" in result.stderr
    assert "did you mean '#para-coordination'?" in result.stderr


def test_a_missing_citation_key_in_the_narrative_is_an_error(project: Path) -> None:
    summary = project / "reports" / PERIOD / "summary.md"
    summary.write_text(summary.read_text(encoding="utf-8") + "\nA claim [@noSuchWork2020].\n", encoding="utf-8")
    result = run_council("report", PERIOD, "--now", SAMPLE_NOW, cwd=project)
    assert result.returncode == 1
    assert "citation key '@noSuchWork2020' is not in the bibliography" in result.stderr
    assert f"reports/{PERIOD}/summary.md:" in result.stderr


def test_reports_readme_documents_every_column_of_every_data_file() -> None:
    from council.sources.report_data import TABLES

    readme = (Path(__file__).resolve().parents[1] / "reports" / "README.md").read_text(encoding="utf-8")
    for name, schema in TABLES.items():
        section = readme[readme.index(f"### {name}") :]
        section = section[: section.find("\n### ", 4) if "\n### " in section[4:] else None]
        for column in schema.names:
            assert column == "classification" or f"`{column}`" in section, (name, column)
