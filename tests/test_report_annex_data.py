"""The annexes' data files as someone reusing them meets them: each CSV read with the csv module and the
workbook with pandas (odfpy), against the fixture's own CSV sources summed here in plain Python. The
files hold data rows only (summing Amount gives the funding once), money columns say their unit, no
header is an abbreviation, the workbook has a data dictionary naming every column of every sheet, and
the files of a report to be laid are readable (0644) while a report above OFFICIAL stays 0600."""

from __future__ import annotations

import csv
import shutil
import stat
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO, TinyProject

PUBLIC = "2025-26"
SENSITIVE = "2026-27"  # the whole report is marked OFFICIAL-SENSITIVE


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = TinyProject(tmp_path_factory.mktemp("annex-data"))
    for period in ("2024-25", PUBLIC, SENSITIVE):
        shutil.copytree(REPO / "tests" / "fixtures" / "reports" / period, project.root / "reports" / period)
    for period in (PUBLIC, SENSITIVE):
        result = project.council("report", period)
        assert result.returncode == 0, result.stderr
    return project.root


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def public_source_rows(root: Path, name: str) -> list[dict[str, str]]:
    rows = read_csv(root / "reports" / PUBLIC / name)
    return [r for r in rows if r.get("classification", "").strip() in ("", "OFFICIAL")]


def annex_csv(root: Path, annex: str) -> list[dict[str, str]]:
    return read_csv(root / "build" / "reports" / PUBLIC / f"report-{PUBLIC}-{annex}.csv")


def test_summing_an_annexs_amounts_gives_the_funding_once(project: Path) -> None:
    funding = annex_csv(project, "annex-b")
    spent = sum(int(r["amount_gbp"]) for r in public_source_rows(project, "funding.csv"))
    assert sum(int(r["Amount (£)"]) for r in funding) == spent
    assert len(funding) == len(public_source_rows(project, "funding.csv"))


def test_summing_the_staff_trained_gives_the_staff_once(project: Path) -> None:
    courses = annex_csv(project, "annex-d")
    trained = sum(int(r["staff_trained"]) for r in public_source_rows(project, "training.csv"))
    assert sum(int(r["Staff trained"]) for r in courses) == trained


def test_no_data_file_holds_a_total_row_and_no_header_is_an_abbreviation(project: Path) -> None:
    files = sorted((project / "build" / "reports" / PUBLIC).glob("*.csv"))
    assert len(files) == 5
    for path in files:
        with open(path, encoding="utf-8", newline="") as stream:
            header, *rows = list(csv.reader(stream))
        assert all(row[0] != "Total" for row in rows), path.name
        assert all(not name.endswith(".") for name in header), (path.name, header)


def test_every_money_column_names_its_unit(project: Path) -> None:
    for path in sorted((project / "build" / "reports" / PUBLIC).glob("*.csv")):
        for column, values in pd.read_csv(path, dtype=str, keep_default_na=False).items():
            if column.startswith("Amount"):
                assert column == "Amount (£)", path.name
                assert all(value.isdigit() for value in values)


def test_the_workbook_has_a_data_dictionary_naming_every_column(project: Path) -> None:
    workbook = pd.read_excel(
        project / "build" / "reports" / PUBLIC / f"report-{PUBLIC}-data.ods", sheet_name=None, engine="odf"
    )
    dictionary = workbook["Data dictionary"].fillna("")
    described = {(r.Sheet, r.Column): (r.Meaning, r.Format) for r in dictionary.itertuples()}
    annexes = [name for name in workbook if name.startswith("Annex ")]
    assert len(annexes) == 5
    for sheet in annexes:
        assert all(str(row[0]) != "Total" for row in workbook[sheet].itertuples(index=False))
        for column in workbook[sheet].columns:
            meaning, kind = described[(sheet, column)]
            assert meaning and kind, (sheet, column)
            if column == "Amount (£)":
                assert "pounds" in kind
            if column == "Date":
                assert "YYYY-MM-DD" in kind
    assert len(described) == sum(len(workbook[sheet].columns) for sheet in annexes)


def test_a_public_reports_files_are_readable_and_a_sensitive_reports_are_not(project: Path) -> None:
    public = sorted((project / "build" / "reports" / PUBLIC).iterdir())
    sensitive = sorted((project / "build" / "reports" / SENSITIVE).iterdir())
    assert len(public) >= 9 and sensitive
    assert {stat.S_IMODE(p.stat().st_mode) for p in public} == {0o644}
    assert {stat.S_IMODE(p.stat().st_mode) for p in sensitive} == {0o600}
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in (project / "build" / "restricted").rglob("*.pdf"))
