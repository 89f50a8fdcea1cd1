"""Every message the report loader can give, one case each: the text, the file and the line (for CSV
files, the row's line; line 1 is the header), and that the period is refused. The loader runs in this
process on a copy of tests/fixtures/reports, so these tests take milliseconds (they are also the tests
`nox -s mutate` runs against the report loaders in generator/council/sources/)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REPO

from council.base.errors import Location, SourceError
from council.base.model import Library
from council.sources.reports import load_reports

FIXTURE = REPO / "tests" / "fixtures" / "reports"
PERIOD = "2025-26"
EMPTY_LIBRARY = Library({}, {})


def load(root: Path) -> tuple[dict[str, object], list[SourceError]]:
    reports, problems = load_reports(root, EMPTY_LIBRARY)
    return {r.period: r for r in reports}, problems


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    """The fixture's first two periods (2026-27 only where a test adds it: fewer files, faster tests)."""
    root = tmp_path / "reports"
    for period in ("2024-25", PERIOD):
        shutil.copytree(FIXTURE / period, root / period)
    return root


# --- edits: each returns the file the message must name and its line (None: the file as a whole) ---


def line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").split("\n").index(text) + 1


def replace(root: Path, name: str, old: str, new: str, period: str = PERIOD) -> Path:
    path = root / period / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def set_cell(root: Path, name: str, data_row: int, column: str, value: str) -> tuple[Path, int]:
    """Set one cell (data_row 1 is the first row under the header); return the file and the row's line."""
    path = root / PERIOD / name
    table = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    table[data_row][table[0].index(column)] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(table)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path, data_row + 1


def yml(old: str, new: str, period: str = PERIOD) -> Callable[[Path], tuple[Path, int | None]]:
    def edit(root: Path) -> tuple[Path, int | None]:
        path = replace(root, "report.yml", old, new, period)
        return path, line_of(path, new.split("\n")[0])

    return edit


def cell(name: str, data_row: int, column: str, value: str) -> Callable[[Path], tuple[Path, int | None]]:
    return lambda root: set_cell(root, name, data_row, column, value)


def cells(name: str, data_row: int, **values: str) -> Callable[[Path], tuple[Path, int | None]]:
    def edit(root: Path) -> tuple[Path, int | None]:
        for column, value in values.items():
            path, line = set_cell(root, name, data_row, column, value)
        return path, line

    return edit


def section(name: str, text: str, line: int | None) -> Callable[[Path], tuple[Path, int | None]]:
    def edit(root: Path) -> tuple[Path, int | None]:
        path = root / PERIOD / name
        path.write_text(text, encoding="utf-8")
        return path, line

    return edit


def csv_text(name: str, text: str, line: int | None) -> Callable[[Path], tuple[Path, int | None]]:
    return section(name, text, line)


def delete(name: str) -> Callable[[Path], tuple[Path, int | None]]:
    def edit(root: Path) -> tuple[Path, int | None]:
        (root / PERIOD / name).unlink()
        return root / PERIOD / name, None

    return edit


def rename_period(root: Path) -> tuple[Path, int | None]:
    shutil.copytree(FIXTURE / "2026-27", root / "2026-2027")
    return root / "2026-2027" / "report.yml", None


def no_previous(root: Path) -> tuple[Path, int | None]:
    path = replace(root, "report.yml", "previous: 2024-25", "previous: 2023-24")
    return path, line_of(path, "previous: 2023-24")


def label_twice(root: Path) -> tuple[Path, int | None]:
    first = root / PERIOD / "a-current-efforts.md"
    first.write_text("[]{#para-early} One.\n", encoding="utf-8")
    second = root / PERIOD / "c-funding.md"
    second.write_text("Funding.\n\n[]{#para-early} Two.\n", encoding="utf-8")
    return second, 3


def label_and_misspelt_reference(root: Path) -> tuple[Path, int | None]:
    (root / PERIOD / "a-current-efforts.md").write_text("[]{#para-early} One.\n", encoding="utf-8")
    path = root / PERIOD / "conclusions.md"
    path.write_text("Done.\n\nAs said ([](#para-erly)).\n", encoding="utf-8")
    return path, 3


def not_utf8(root: Path) -> tuple[Path, int | None]:
    path = root / PERIOD / "funding.csv"
    path.write_bytes(path.read_bytes().replace(b"Conflict Fund,HTI", b"Conflict Fund \xe9t\xe9,HTI", 1))
    return path, 3  # the row; column 15 is the first byte that is not UTF-8


def drop_recommendation(root: Path) -> tuple[Path, int | None]:
    path = root / PERIOD / "recommendations.csv"
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    assert lines[-2].startswith("V,") and lines[-1].startswith("VI,")
    path.write_text("\n".join(lines[:-2]) + "\n", encoding="utf-8")
    return path, None


def duplicate_recommendation(root: Path) -> tuple[Path, int | None]:
    path = root / PERIOD / "recommendations.csv"
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    path.write_text("\n".join([*lines, "III,implemented,Done twice,Nothing"]) + "\n", encoding="utf-8")
    return path, len(lines) + 1


@dataclass(frozen=True)
class Case:
    edit: Callable[[Path], tuple[Path, int | None]]
    message: str
    field: str | None = None
    column: int | None = None
    period: str = PERIOD  # the period refused


SENSITIVE_SECTION = "---\nclassification: OFFICIAL-SENSITIVE\n---\n"
ACTIONS_HEADER = "date,department,country,tool,recommendation,description,classification\n"

CASES: dict[str, Case] = {
    # report.yml
    "folder name is not a period": Case(
        rename_period, "the folder name '2026-2027' is not a period such as 2025-26", period="2026-2027"
    ),
    "previous period missing": Case(no_previous, "there is no period '2023-24' in reports/", "previous"),
    "period ends before it starts": Case(
        yml("period_end: 2026-03-31", "period_end: 2025-03-31"), "the period ends before it starts", "period_end"
    ),
    "period ends the day it starts": Case(
        yml("period_end: 2026-03-31", "period_end: 2025-04-01"), "the period ends before it starts", "period_end"
    ),
    "command paper number": Case(
        yml("command_paper: CP 1422", "command_paper: CP12"),
        "'CP12' is not a Command Paper number such as 'CP 1234'",
        "command_paper",
    ),
    "unknown report field": Case(
        yml("laid: 2026-07-09", "layed: 2026-07-09\nlaid: 2026-07-09"), "unknown field 'layed'", "layed"
    ),
    "unknown report marking": Case(
        yml("classification: OFFICIAL", "classification: SECRET"),
        "unknown classification 'SECRET'; known values: OFFICIAL, OFFICIAL-SENSITIVE",
        "classification",
    ),
    "target of no days": Case(
        yml("aia_target_days: 90", "aia_target_days: 0"),
        "the value is the number 0; it must be more than 0",
        "aia_target_days",
    ),
    # narrative sections
    "unknown section file": Case(
        section("b-strenghtening.md", "Text.\n", None), "'b-strenghtening.md' is not one of the report's sections"
    ),
    "unknown section far from any": Case(
        section("zzz.md", "Text.\n", None), "'zzz.md' is not one of the report's sections"
    ),
    "image outside the repository": Case(
        section("summary.md", "Intro.\n\n![A map](../../../etc/hostname)\n", 3),
        "the image '../../../etc/hostname' is outside the repository",
        column=1,
    ),
    "required section missing": Case(
        delete("f-training.md"), "the section '(F) Atrocity prevention training' is missing"
    ),
    "unknown section field": Case(
        section("summary.md", "---\nclassification: OFFICIAL\nauthor: Someone\n---\nText.\n", 3),
        "unknown field 'author'",
        "author",
    ),
    "unknown section marking": Case(
        section("summary.md", "---\nclassification: OFFICIAL-SENSITVE\n---\nText.\n", 2),
        "unknown classification 'OFFICIAL-SENSITVE'; did you mean 'OFFICIAL-SENSITIVE'?",
        "classification",
    ),
    "classified annex marked OFFICIAL": Case(
        section("classified-annex.md", "Secret things.\n", 1),
        "the classified annex is marked OFFICIAL",
        "classification",
    ),
    "paragraph label used twice": Case(label_twice, "the paragraph label '#para-early' is used twice (also at "),
    "label in an unnumbered section": Case(
        section("summary.md", "Intro.\n\n[]{#para-summary} Text.\n", 3),
        "'#para-summary' labels a paragraph that has no number",
    ),
    "label in a withheld section": Case(
        section("d-assessment.md", SENSITIVE_SECTION + "[]{#para-secret} Text.\n", 4),
        "'#para-secret' labels a paragraph that has no number",
    ),
    "reference to no label": Case(
        section("conclusions.md", "Done.\n\nAs said ([](#para-nowhere)).\n", 3),
        "'(#para-nowhere)' refers to no labelled paragraph",
        column=10,
    ),
    "reference to no label, written @para-": Case(
        section("conclusions.md", "Done.\n\nAs said (@para-nowhere).\n", 3),
        "'(#para-nowhere)' refers to no labelled paragraph",
        column=10,
    ),
    "citation key not in the bibliography": Case(
        section("summary.md", "Intro.\n\nA claim [@noSuchWork2020].\n", 3),
        "citation key '@noSuchWork2020' is not in the bibliography",
        column=10,
    ),  # the '@'
    "reference to a label misspelt": Case(
        label_and_misspelt_reference, "'(#para-erly)' refers to no labelled paragraph", column=10
    ),
    "data file not UTF-8": Case(not_utf8, "the file is not valid UTF-8 (byte 0xe9)", column=15),
    "script in a section": Case(
        section("summary.md", "Intro.\n\n<script>alert(1)</script>\n", 3),
        "the HTML tag <script> is not allowed",
        column=1,
    ),
    # CSV files as a whole
    "data file missing": Case(delete("funding.csv"), "the data file funding.csv is missing"),
    "no header row": Case(csv_text("training.csv", "", 1), "the file has no header row"),
    "column twice": Case(
        csv_text("actions.csv", ACTIONS_HEADER.replace("tool,", "tool,tool,"), 1),
        "the column 'tool' appears twice",
        "tool",
    ),
    "row of the wrong length": Case(
        csv_text("actions.csv", ACTIONS_HEADER + "2025-05-01,FCDO,SDN\n", 2), "this row has 3 values for 7 columns"
    ),
    # cells
    "not a whole number": Case(
        cell("training.csv", 1, "staff_trained", "12.5"), "'12.5' is not a whole number of people", "staff_trained"
    ),
    "not an amount": Case(cell("funding.csv", 2, "amount_gbp", "lots"), "'lots' is not an amount", "amount_gbp"),
    "amount with pence": Case(cell("funding.csv", 1, "amount_gbp", "100.50"), "'100.50' has pence", "amount_gbp"),
    "negative amount": Case(cell("funding.csv", 1, "amount_gbp", "-1"), "the amount -1 is negative", "amount_gbp"),
    "not a date": Case(cell("actions.csv", 2, "date", "2025-02-30"), "'2025-02-30' is not a date", "date"),
    "day before the period": Case(
        cell("actions.csv", 1, "date", "2025-03-31"),
        "2025-03-31 is outside the reporting period (2025-04-01 to 2026-03-31)",
        "date",
    ),
    "day after the period": Case(
        cell("actions.csv", 3, "date", "2026-04-01"),
        "2026-04-01 is outside the reporting period (2025-04-01 to 2026-03-31)",
        "date",
    ),
    "two-letter country": Case(cell("funding.csv", 1, "country", "SD"), "unknown country code 'SD'", "country"),
    "unknown row marking": Case(
        cell("actions.csv", 2, "classification", "SECRET"), "unknown classification 'SECRET'", "classification"
    ),
    "missing value": Case(cell("training.csv", 2, "course", ""), "missing value", "course"),
    # rules across the cells of a row
    "missing date": Case(cell("training.csv", 2, "end_date", ""), "missing value", "end_date"),
    "course ends before it starts": Case(
        cell("training.csv", 2, "end_date", "2025-09-09"), "the course ends before it starts", "end_date"
    ),
    "assessment starts before its trigger": Case(
        cell("impact-assessments.csv", 1, "started", "2025-04-30"),
        "the assessment starts before its trigger",
        "started",
    ),
    "completed without a start": Case(
        cell("impact-assessments.csv", 4, "completed", "2026-02-01"),
        "a completed assessment needs the date it started",
        "started",
    ),
    "completed before it started": Case(
        cell("impact-assessments.csv", 2, "completed", "2025-06-01"),
        "the assessment is completed before it started",
        "completed",
    ),
    "completed without an outcome": Case(cell("impact-assessments.csv", 1, "outcome", ""), "missing value", "outcome"),
    # recommendations I to VI
    "recommendation twice": Case(
        duplicate_recommendation, "recommendation III is listed twice (also on line 4)", "recommendation"
    ),
    "recommendation without a status": Case(
        drop_recommendation, "no status for recommendation(s) V, VI", "recommendation"
    ),
}

# What each message tells the author to do (None: the message itself says it).
HINTS: dict[str, str | None] = {
    "folder name is not a period": "name each period's folder YYYY-YY, e.g. reports/2025-26",
    "previous period missing": "give the folder name of the previous period, or leave 'previous' out for the first report",
    "period ends before it starts": "period_start comes first, e.g. 2025-04-01 to 2026-03-31",
    "period ends the day it starts": "period_start comes first, e.g. 2025-04-01 to 2026-03-31",
    "command paper number": None,
    "unknown report field": "did you mean 'laid'?",
    "unknown report marking": "OFFICIAL for a report that is published; OFFICIAL-SENSITIVE keeps it off the site",
    "target of no days": "the days allowed from a trigger to a completed assessment, e.g. 90",
    "unknown section file": "did you mean 'b-strengthening.md'?",
    "unknown section far from any": "sections are: summary.md, a-current-efforts.md, b-strengthening.md, "
    "c-funding.md, d-assessment.md, e-countries-at-risk.md, f-training.md, "
    "impact-assessments.md, strategy-progress.md, research-council.md, conclusions.md, "
    "classified-annex.md",
    "image outside the repository": "keep images inside the repository, e.g. in briefings/images/",
    "required section missing": "write it in f-training.md (Markdown; citations as [@key])",
    "unknown section field": "a section's front matter may only give its classification",
    "unknown section marking": "OFFICIAL, or OFFICIAL-SENSITIVE to keep the section out of the published report",
    "classified annex marked OFFICIAL": "give it front matter 'classification: OFFICIAL-SENSITIVE', or move public text into one of the report's sections",
    "paragraph label used twice": "give each labelled paragraph its own name",
    "label in an unnumbered section": "only paragraphs of the public sections (A) to the Research Council's briefings are numbered; label one of those",
    "label in a withheld section": "only paragraphs of the public sections (A) to the Research Council's briefings are numbered; label one of those",
    "reference to no label": "label the paragraph with []{#para-nowhere} in its section",
    "reference to no label, written @para-": "label the paragraph with []{#para-nowhere} in its section",
    "citation key not in the bibliography": "add the work to a .bib file in bibliography/ (export it from Zotero), "
    "or fix the key; for a literal @, not a citation, write '\\@noSuchWork2020'",
    "reference to a label misspelt": "did you mean '#para-early'?",
    "data file not UTF-8": "save the file as UTF-8 in your editor",
    "script in a section": "use Markdown; only simple formatting tags such as <abbr> or <sup> are accepted",
    "data file missing": "columns: fund, country, purpose, amount_gbp, classification (see reports/README.md)",
    "no header row": "the first line names the columns: department, course, staff_trained, start_date, end_date, classification",
    "column twice": "keep one of the two columns",
    "row of the wrong length": 'quote values that contain commas: "Sanctions, travel bans"',
    "not a whole number": "write a count such as 12",
    "not an amount": "write pounds as a number, e.g. 250000",
    "amount with pence": "round amounts to whole pounds",
    "negative amount": "record money spent as a positive number of pounds",
    "not a date": "write dates as YYYY-MM-DD, e.g. 2025-10-14",
    "day before the period": "record it in the report for the period it belongs to",
    "day after the period": "record it in the report for the period it belongs to",
    "two-letter country": None,
    "unknown row marking": "the known values are in generator/council/vocabularies.yml",
    "missing value": "give the course's name",
    "missing date": "give YYYY-MM-DD, on or after start_date",
    "course ends before it starts": "check the dates",
    "assessment starts before its trigger": "check the dates",
    "completed without a start": "fill in 'started'",
    "completed before it started": "check the dates",
    "completed without an outcome": "say what the completed assessment concluded",
    "recommendation twice": "give each recommendation one row",
    "recommendation without a status": "give one row for each of I to VI",
}


def test_the_fixture_loads_without_a_problem(reports: Path) -> None:
    loaded, problems = load(reports)
    assert problems == []
    assert sorted(loaded) == ["2024-25", "2025-26"]
    assert sorted(load(FIXTURE)[0]) == ["2024-25", "2025-26", "2026-27"]


@pytest.mark.parametrize("case", CASES)
def test_each_report_problem_names_its_file_line_and_field(reports: Path, case: str) -> None:
    expected = CASES[case]
    path, line = expected.edit(reports)
    loaded, problems = load(reports)
    matching = [p for p in problems if p.message.startswith(expected.message)]
    assert len(matching) == len(problems) == 1, [p.show() for p in problems]
    problem = matching[0]
    assert problem.location.path == path
    assert problem.location.line == line
    assert problem.location.column == expected.column
    assert problem.field == expected.field
    assert problem.hint == HINTS[case]
    assert not problem.warning
    assert expected.period not in loaded  # a period with any error is refused as a whole
    assert "2024-25" in loaded  # an earlier period stands on its own


def test_a_bad_cell_does_not_hide_the_other_problems_of_its_row(reports: Path) -> None:
    set_cell(reports, "funding.csv", 1, "amount_gbp", "lots")
    path, line = set_cell(reports, "funding.csv", 1, "country", "Sudan")
    _, problems = load(reports)
    found = {(p.location.path, p.location.line, p.field) for p in problems}
    assert found == {(path, line, "amount_gbp"), (path, line, "country")}


@pytest.mark.parametrize(
    ("column", "value", "parsed"),
    [
        ("amount_gbp", "£1,000", 1000),
        ("amount_gbp", "0", 0),
        ("amount_gbp", "250000.00", 250000),
    ],
)
def test_amounts_written_as_people_write_them_are_accepted(reports: Path, column: str, value: str, parsed: int) -> None:
    set_cell(reports, "funding.csv", 1, column, value)
    loaded, problems = load(reports)
    assert problems == []
    assert loaded[PERIOD].funding[0].amount_gbp == parsed  # type: ignore[attr-defined]


def test_an_empty_marking_means_official_and_rows_keep_their_lines(reports: Path) -> None:
    loaded, _ = load(reports)
    report = loaded[PERIOD]
    assert [a.classification for a in report.actions] == ["OFFICIAL"] * 6 + ["OFFICIAL-SENSITIVE"]  # type: ignore[attr-defined]
    assert [a.line for a in report.actions] == [2, 3, 4, 5, 6, 7, 8]  # type: ignore[attr-defined]
    assert report.narratives["assessment"].classification == "OFFICIAL-SENSITIVE"  # type: ignore[attr-defined]
    assert report.previous.period == "2024-25"  # type: ignore[attr-defined]


def test_report_yml_that_is_not_yaml_is_named_with_its_line(reports: Path) -> None:
    path = reports / PERIOD / "report.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("laid: 2026-07-09", "laid: [2026-07-09"), encoding="utf-8")
    loaded, problems = load(reports)
    assert [(p.location.path, p.warning) for p in problems] == [(path, False)]
    assert problems[0].location.line is not None and PERIOD not in loaded


def test_drafts_readmes_and_hidden_files_beside_the_sections_are_ignored(reports: Path) -> None:
    for name in ("_draft.md", ".notes.md", "README.md"):
        (reports / PERIOD / name).write_text("<script>not a section</script>\n", encoding="utf-8")
    (reports / "misc").mkdir()  # a folder without report.yml is no period
    (reports / "notes.txt").write_text("not a period")
    loaded, problems = load(reports)
    assert problems == [] and sorted(loaded) == ["2024-25", "2025-26"]
    assert len(loaded[PERIOD].narratives) == 10  # type: ignore[attr-defined]


def test_every_problem_of_every_section_is_reported_in_one_run(reports: Path) -> None:
    (reports / PERIOD / "b-strenghtening.md").write_text("Text.\n", encoding="utf-8")
    (reports / PERIOD / "c-funding.md").write_text("---\nauthor: Someone\n---\nText.\n", encoding="utf-8")
    (reports / PERIOD / "summary.md").write_text("<script>x</script>\n", encoding="utf-8")
    _, problems = load(reports)
    assert [(p.location.path.name, p.message) for p in problems] == [
        ("b-strenghtening.md", "'b-strenghtening.md' is not one of the report's sections"),
        ("c-funding.md", "unknown field 'author'"),
        ("summary.md", "the HTML tag <script> is not allowed in notes"),
    ]


def test_a_period_whose_previous_period_is_refused_is_not_linked_to_nothing(reports: Path) -> None:
    shutil.copytree(FIXTURE / "2026-27", reports / "2026-27")
    set_cell(reports, "funding.csv", 1, "amount_gbp", "lots")  # 2025-26 is refused; 2026-27 names it
    loaded, problems = load(reports)
    assert [p.message for p in problems] == ["'lots' is not an amount"]  # no "there is no period '2025-26'"
    assert sorted(loaded) == ["2024-25"]


def test_no_reports_folder_means_no_reports(tmp_path: Path) -> None:
    assert load(tmp_path / "reports") == ({}, [])


def test_a_section_with_empty_front_matter_is_official(reports: Path) -> None:
    (reports / PERIOD / "summary.md").write_text("---\n---\nThe summary.\n", encoding="utf-8")
    loaded, problems = load(reports)
    assert problems == []
    summary = loaded[PERIOD].narratives["summary"]  # type: ignore[attr-defined]
    assert (summary.classification, summary.body, summary.body_start_line) == ("OFFICIAL", "The summary.\n", 3)


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("descripton", "did you mean 'description'?"),
        ("notes", "known columns: date, department, country, tool, recommendation, description, classification"),
    ],
)
def test_an_unknown_column_is_named_at_its_place_in_the_header(reports: Path, written: str, hint: str) -> None:
    path = reports / PERIOD / "actions.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",description,", f",{written},", 1), encoding="utf-8")
    _, problems = load(reports)
    assert [(p.location, p.message, p.field, p.hint) for p in problems] == [
        (Location(path, 1, 6), f"unknown column '{written}'", written, hint),
        (
            Location(path, 1),
            "the required column 'description' is missing",
            "description",
            "add it: what was done, one sentence",
        ),
    ]


def test_blank_lines_between_rows_are_skipped(reports: Path) -> None:
    path = reports / PERIOD / "training.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join([*lines[:2], "", " , ,", *lines[2:]]), encoding="utf-8")
    loaded, problems = load(reports)
    assert problems == []
    assert [t.line for t in loaded[PERIOD].training] == [2, 5, 6]  # type: ignore[attr-defined]


def test_a_bad_previous_link_in_one_period_does_not_unlink_the_next(reports: Path) -> None:
    path = replace(reports, "report.yml", "illustrative: true", "previous: 2023-24\nillustrative: true", "2024-25")
    loaded, problems = load(reports)
    assert [(p.location.path, p.message) for p in problems] == [(path, "there is no period '2023-24' in reports/")]
    assert sorted(loaded) == [PERIOD] and loaded[PERIOD].previous.period == "2024-25"  # type: ignore[attr-defined]


def test_an_assessment_may_start_on_its_trigger_day_and_end_the_day_it_starts(reports: Path) -> None:
    set_cell(reports, "impact-assessments.csv", 1, "started", "2025-05-01")  # its trigger's day
    set_cell(reports, "impact-assessments.csv", 2, "completed", "2025-06-02")  # the day it started
    loaded, problems = load(reports)
    assert problems == []
    assert loaded[PERIOD].impact_assessments[1].completed == dt.date(2025, 6, 2)  # type: ignore[attr-defined]


def test_a_recommendation_written_twice_is_the_one_problem_not_also_a_missing_one(reports: Path) -> None:
    path = reports / PERIOD / "recommendations.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("VI,not-started", "III,not-started"), encoding="utf-8")
    _, problems = load(reports)
    assert [(p.location.line, p.message) for p in problems] == [
        (7, "recommendation III is listed twice (also on line 4)")
    ]


def test_a_period_may_set_its_own_assessment_target() -> None:
    loaded, _ = load(FIXTURE)
    assert loaded["2026-27"].meta.aia_target_days == 120  # type: ignore[attr-defined]
    assert loaded[PERIOD].meta.aia_target_days == 90  # type: ignore[attr-defined]
