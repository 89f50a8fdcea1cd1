"""Text that cannot contradict its data: figures quoted in the narrative as `[]{.figure key=...}`, the
warnings of `council report --check`, watch-list changes between periods, shares that add up to 100 and
the house style of the generated sentences. The rules run in this process on tests/fixtures/reports
(expected values worked out by hand from its README); the command and the outputs run on the sample."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import html
import io
import random
import re
import zipfile
from pathlib import Path

import pypdf
import pytest
from conftest import REPO, SAMPLE_NOW, copy_sample_project, run_council

from council.base.model import Library
from council.report.document import ANNEXES, SECTION_FIGURES, restricted_sections
from council.report.figures import Figures, compute, in_words, quantity, shares
from council.report.narrative_check import narrative_warnings
from council.report.quotable import KEYS, quotable, quote, reference_problems
from council.sources.report_data import CountryAtRisk
from council.sources.reports import Report, load_reports

FIXTURE = REPO / "tests" / "fixtures" / "reports"


@pytest.fixture(scope="module")
def reports() -> dict[str, Report]:
    loaded, problems = load_reports(FIXTURE, Library({}, {}))
    assert problems == []
    return {r.period: r for r in loaded}


@pytest.fixture
def figures(reports: dict[str, Report]) -> Figures:
    return compute(reports["2025-26"], [])


# --- shares by largest remainder -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([500, 400], [56, 44]),
        ([1, 1, 1], [34, 33, 33]),  # the leftover point goes to the first of equal remainders
        ([335, 335, 330], [34, 33, 33]),  # rounding each share (33.5, 33.5, 33) would give 101
        ([1, 2], [33, 67]),
        ([1, 1], [50, 50]),  # exact halves: nothing left over
        ([1] * 7, [15, 15, 14, 14, 14, 14, 14]),
        ([0, 5], [0, 100]),
        ([999, 1], [100, 0]),  # 99.9 and 0.1: the larger remainder wins the point
        ([995, 5], [100, 0]),  # 99.5 and 0.5: a tie, so the earlier value gets the point
        ([5, 995], [1, 99]),  # and the other way round
        ([0, 0], [0, 0]),  # no total: nothing to share
        ([], []),
    ],
)
def test_shares_add_up_to_100_by_largest_remainder(values: list[int], expected: list[int]) -> None:
    assert shares(values) == expected


def test_shares_always_add_up_to_100_and_stay_within_one_point_of_the_exact_share() -> None:
    generator = random.Random(20)
    for _ in range(500):
        values = [generator.randint(0, 10**7) for _ in range(generator.randint(1, 12))]
        if not sum(values):
            continue
        result = shares(values)
        assert sum(result) == 100
        for value, share in zip(values, result, strict=True):
            assert abs(share - 100 * value / sum(values)) < 1


def test_the_funding_table_shows_shares_that_add_up(figures: Figures) -> None:
    table = figures.tables["funding-by-fund"]
    assert [row[2] for row in table.rows] == ["56%", "44%", "100%"]


# --- watch-list changes --------------------------------------------------------------------------


def entry(code: str, level: str, region: str = "", marking: str = "OFFICIAL") -> CountryAtRisk:
    return CountryAtRisk(2, code, region, level, "factors", "groups", "scenarios", marking)


def changes_between(reports: dict[str, Report], before: tuple, after: tuple) -> Figures:
    report = reports["2025-26"]
    previous = dataclasses.replace(report.previous, countries_at_risk=before)
    return compute(dataclasses.replace(report, countries_at_risk=after, previous=previous), [])


def test_each_kind_of_watch_list_change(reports: dict[str, Report]) -> None:
    before = (
        entry("SDN", "very-high", "Darfur"),
        entry("MMR", "high"),
        entry("ETH", "very-high", "Amhara"),
        entry("HTI", "elevated"),
        entry("COD", "high", "Ituri"),
        entry("MLI", "moderate"),
        entry("NIC", "high", marking="OFFICIAL-SENSITIVE"),
    )
    after = (
        entry("SDN", "very-high", "Darfur"),  # unchanged: not listed at all
        entry("MMR", "very-high"),  # moved up
        entry("ETH", "high", "Amhara"),  # moved down
        entry("HTI", "elevated", "Port-au-Prince"),  # region changed (from none)
        entry("COD", "very-high", "North Kivu"),  # moved up and region changed
        entry("BFA", "elevated"),  # added; MLI removed
        entry("NIC", "very-high", marking="OFFICIAL-SENSITIVE"),
    )  # withheld: never named
    figures = changes_between(reports, before, after)
    assert [(c.country, c.kinds, c.before, c.after) for c in figures.watch_list_changes] == [
        ("Burkina Faso", ("added",), "", "Elevated"),
        ("Ethiopia", ("moved down",), "Very high (Amhara)", "High (Amhara)"),
        ("Haiti", ("region changed",), "Elevated", "Elevated (Port-au-Prince)"),
        ("Mali", ("removed",), "Moderate", ""),
        ("Myanmar", ("moved up",), "High", "Very high"),
        (
            "The Democratic Republic of the Congo",
            ("moved up", "region changed"),
            "High (Ituri)",
            "Very high (North Kivu)",
        ),
    ]
    assert figures.changed("moved up") == ("Myanmar", "The Democratic Republic of the Congo")
    assert (figures.added_to_watch_list, figures.removed_from_watch_list) == (("Burkina Faso",), ("Mali",))
    table = figures.tables["watch-list-changes"]
    assert table.header == ("Country", "Change", "2024-25", "2025-26")
    assert table.rows[0] == ("Burkina Faso", "Added", "not listed", "Elevated")
    assert table.rows[-1][1] == "Moved up; region changed"
    quoted = quotable(figures)
    assert [
        quoted[k].value
        for k in ("watch.added", "watch.removed", "watch.moved_up", "watch.moved_down", "watch.region_changed")
    ] == [1, 1, 2, 1, 2]
    assert quoted["watch.moved_up_names"].text == "Myanmar and the Democratic Republic of the Congo"
    assert "Nicaragua" not in repr(figures.tables) + repr(figures.watch_list_changes)


def test_a_watch_list_that_did_not_change_has_no_changes_table(reports: dict[str, Report]) -> None:
    same = (entry("SDN", "very-high", "Darfur"), entry("MMR", "high"))
    figures = changes_between(reports, same, same)
    assert figures.watch_list_changes == () and "watch-list-changes" not in figures.tables
    assert quotable(figures)["watch.added_names"].text == "none"
    missing = changes_between(reports, (), same)  # no public list before: not "everything was added"
    assert missing.watch_list_changes == ()


# --- figure references ---------------------------------------------------------------------------


def test_every_figure_has_a_value_text_and_nouns_or_names(reports: dict[str, Report], figures: Figures) -> None:
    quoted = quotable(figures)
    assert list(quoted) == list(KEYS) and len(set(KEYS)) == len(KEYS)
    assert (quoted["aia.triggers"].value, quoted["aia.triggers"].text) == (7, "7")
    assert (quoted["aia.not_started"].value, quoted["aia.open"].value) == (2, 5)  # MLI, SOM; + SSD, AFG, SYR
    assert quoted["funding.transitional_justice"].text == "£350,000"
    assert quoted["funding.transitional_justice_previous"].text == "£0"
    assert quoted["aia.median_days"].text == "90.5"
    assert quoted["watch.added_names"].text == "Burkina Faso and Haiti"
    first = quotable(compute(reports["2024-25"], []))
    assert first["funding.previous"].value is None and first["funding.previous"].text == "–"


def test_a_figure_reference_becomes_its_value_as_literal_text(figures: Figures) -> None:
    quoted = quotable(figures)
    text = 'Spent []{.figure key=funding.total} on []{.figure key="watch.added_names"} and more.'
    assert quote(text, quoted) == (
        r"Spent [£900\,000]{.figure key=funding.total} on "  # escaped: literal text
        r"[Burkina Faso and Haiti]{.figure key=watch.added_names} and more."
    )
    assert quote("no reference here: [x]{.figure}", quoted) == "no reference here: [x]{.figure}"


def with_text(report: Report, section: str, body: str) -> Report:
    """The report with one section's narrative replaced (figure references found as the loader does)."""
    from council.sources.report_sections import FIGURE

    narrative = report.narratives[section]
    found = tuple(
        (m.group(2), narrative.body_start_line + i, m.start() + 1)
        for i, line in enumerate(body.split("\n"))
        for m in FIGURE.finditer(line)
    )
    changed = dataclasses.replace(narrative, body=body, figures=found, classification="OFFICIAL")
    return dataclasses.replace(report, narratives={**report.narratives, section: changed})


def test_an_unknown_figure_key_is_an_error_with_the_nearest_key(reports: dict[str, Report]) -> None:
    report = with_text(
        reports["2025-26"],
        "training",
        "Fine: []{.figure key=aia.triggers}.\n\nNot: []{.figure key=aia.trigers} and []{.figure key=zzz}.",
    )
    problems = reference_problems(report)
    assert [(p.message, p.hint, p.location.line, p.location.column, p.warning) for p in problems] == [
        ("there is no figure 'aia.trigers'", "did you mean 'aia.triggers'?", 3, 6, False),
        ("there is no figure 'zzz'", "`council report --check` lists every figure with its value", 3, 38, False),
    ]
    assert str(report.narratives["training"].path).endswith("f-training.md")


def test_a_mistyped_figure_reference_is_refused_by_the_loader(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(FIXTURE, tmp_path / "reports")
    path = tmp_path / "reports" / "2025-26" / "f-training.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nStaff: []{.figure training.staff}.\n", encoding="utf-8")
    loaded, problems = load_reports(tmp_path / "reports", Library({}, {}))
    assert "2025-26" not in {r.period for r in loaded}
    [problem] = [p for p in problems if "figure" in p.message]
    assert problem.message == "'[]{.figure training.staff}' is not a figure reference"
    assert problem.location.path == path and problem.location.column == 8
    assert "[]{.figure key=aia.triggers}" in (problem.hint or "")


def test_the_classified_annex_quotes_the_same_figures(reports: dict[str, Report], figures: Figures) -> None:
    report = reports["2025-26"]
    narrative = dataclasses.replace(report.narratives["assessment"], body="Withheld: []{.figure key=aia.open} open.")
    report = dataclasses.replace(report, narratives={**report.narratives, "assessment": narrative})
    [section] = [s for s in restricted_sections(report, figures) if s.id == "restricted-assessment"]
    assert section.pieces[0]["markdown"] == "Withheld: [5]{.figure key=aia.open} open."


# --- hand-written numbers against the figures ----------------------------------------------------


def warnings_for(reports: dict[str, Report], body: str, section: str = "training") -> list[tuple[str, int, int]]:
    report = with_text(reports["2025-26"], section, body)
    found = narrative_warnings(report, quotable(compute(report, [])))
    assert all(w.warning for w in found)
    start = report.narratives[section].body_start_line
    return [(w.message, w.location.line - start + 1, w.location.column) for w in found]


def test_a_narrative_that_contradicts_its_data_is_warned_about(reports: dict[str, Report]) -> None:
    body = (
        "Departments received 9 triggers in the year.\n\n"
        "Three countries moved up the list, and none left it.\n\n"
        "Of the total, £400,000 went to transitional justice; the 60-day target was met."
    )
    assert warnings_for(reports, body) == [
        ("'9 triggers in the year' contradicts the data: aia.triggers is 7", 1, 22),
        ("'Three countries moved up the list' contradicts the data: watch.moved_up is 0", 3, 1),
        ("'none left it' contradicts the data: watch.removed is 1", 3, 40),
        (
            "'£400,000 went to transitional justice' contradicts the data: funding.transitional_justice is £350,000; "
            "funding.transitional_justice_previous is £0",
            5,
            15,
        ),
        ("'60-day target was met' contradicts the data: aia.target_days is 90; aia.median_days is 90.5", 5, 58),
    ]


def test_a_narrative_true_to_its_data_gets_no_warning(reports: dict[str, Report]) -> None:
    body = (
        "Departments received 7 triggers in the year, and []{.figure key=aia.started} assessments began.\n\n"
        "Two countries were added to the list and one left it; none moved up.\n\n"
        "Of the total, £350,000 went to transitional justice, about £0.9 million altogether, within the "
        "90-day target set in 2024 under section 5 of the Act (paragraph 12, rule 3) on 14 March 2026.\n\n"
        "This is one of the reasons the 2025-26 report exists [@someKey2020, p 45], with resolution 2417."
    )
    assert warnings_for(reports, body) == []


def test_a_number_no_figure_matches_is_warned_about_in_numbered_paragraphs_only(reports: dict[str, Report]) -> None:
    assert warnings_for(reports, "A review counted 4,321 files.") == [("the number '4,321' matches no figure", 1, 18)]
    assert warnings_for(reports, "A review counted 4,321 files.", section="summary") == []  # not numbered
    assert warnings_for(reports, "| Files |\n|---|\n| 4,321 |") == []  # a table, not a paragraph
    assert warnings_for(reports, "A review counted 350 files.") == []  # 350 is a figure (staff trained)
    assert warnings_for(reports, "A review counted £1.2m in total.") == [
        ("'£1.2m in total' contradicts the data: funding.total is £900,000; funding.previous is £300,000", 1, 18)
    ]


# --- what the outputs show -----------------------------------------------------------------------


def csv_rows(period: str, name: str) -> list[dict[str, str]]:
    text = (REPO / "reports" / period / name).read_text(encoding="utf-8")
    return [r for r in csv.DictReader(io.StringIO(text)) if r.get("classification", "") in ("", "OFFICIAL")]


def sample_triggers(period: str = "2025-26") -> tuple[int, int]:
    """(triggers received in the period, triggers with no assessment started by its end), from the CSV."""
    start, end = dt.date(2025, 4, 1), dt.date(2026, 3, 31)
    rows = csv_rows(period, "impact-assessments.csv")
    received = sum(start <= dt.date.fromisoformat(r["trigger_date"]) <= end for r in rows)
    not_started = sum(dt.date.fromisoformat(r["trigger_date"]) <= end and not r["started"] for r in rows)
    return received, not_started


@pytest.fixture(scope="module")
def rendered(sample_site: Path) -> Path:
    run_council("report", "2025-26", "--now", SAMPLE_NOW, cwd=sample_site, check=True)
    return sample_site


def test_quoted_figures_show_the_datas_value_in_html_pdf_and_word(rendered: Path) -> None:
    received, not_started = sample_triggers()
    sentence = f"of the {received} triggers received, {not_started} still had no assessment started"
    page = (rendered / "site" / "reports" / "2025-26" / "index.html").read_text(encoding="utf-8")
    assert f'<span class="figure" data-key="aia.triggers">{received}</span>' in page
    assert sentence in " ".join(html.unescape(re.sub(r"<[^>]+>", "", page)).split())
    assert "{.figure" not in page and "key=aia" not in page.replace('data-key="aia', "")
    pdf = pypdf.PdfReader(rendered / "build" / "reports" / "2025-26" / "report-2025-26.pdf")
    assert sentence in " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    with zipfile.ZipFile(rendered / "build" / "reports" / "2025-26" / "report-2025-26.docx") as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    assert sentence in re.sub(r"<[^>]+>", "", xml)


@pytest.mark.parametrize("period", ["2024-25", "2025-26"])
def test_generated_sentences_follow_govuk_style(sample_site: Path, period: str) -> None:
    """No sentence starts with a numeral, zero is 'no', and money is in pounds with thousands separators."""
    page = (sample_site / "site" / "reports" / period / "index.html").read_text(encoding="utf-8")
    paragraphs = [
        " ".join(html.unescape(re.sub(r"<[^>]+>", "", p)).split())
        for p in re.findall(r"<p[^>]*>(.*?)</p>", page, flags=re.DOTALL)
    ]
    text = [re.sub(r"^(\d+|C\d+)\. ", "", p) for p in paragraphs]  # the paragraph and conclusion numbers
    sentences = [s for p in text for s in re.split(r"(?<=[.?!]) (?=[A-Z0-9£])", p)]
    assert len(sentences) > 40
    assert [s for s in sentences if re.match(r"[0-9£]", s)] == []
    assert not re.search(r"(?<![\d,.£+−])0 [a-z]", " ".join(text))
    for amount in re.findall(r"£\d[\d,]*\d", " ".join(text)):
        assert re.fullmatch(r"£\d{1,3}(,\d{3})*", amount), amount
    if period == "2024-25":  # 2025-26's author quotes the counts, so its generated paragraphs are left out
        assert any(s.startswith(("Three ", "Five ", "Six ", "Eight ", "Ten ")) for s in sentences)


def test_numbers_in_words_and_quantities() -> None:
    assert [in_words(n) for n in (0, 7, 21, 100, 115, 636, 1005, 20000)] == [
        "zero",
        "seven",
        "twenty-one",
        "one hundred",
        "one hundred and fifteen",
        "six hundred and thirty-six",
        "one thousand and five",
        "twenty thousand",
    ]
    # "and" only before a last part under a hundred: exactly a hundred takes none (issue 29)
    assert [in_words(n) for n in (1099, 1100, 1101, 2_000_100, 1_000_099)] == [
        "one thousand and ninety-nine",
        "one thousand one hundred",
        "one thousand one hundred and one",
        "two million one hundred",
        "one million and ninety-nine",
    ]
    assert quantity(0, "briefing", "briefings") == "no briefings"
    assert quantity(0, "briefing", "briefings", starts_sentence=True) == "No briefings"
    assert quantity(1, "trigger", "triggers", starts_sentence=True) == "One trigger"
    assert quantity(1234, "member of staff", "staff") == "1,234 staff"


def test_no_table_appears_twice_in_the_report(figures: Figures) -> None:
    keys = [item for _, items in SECTION_FIGURES.values() for item in items if not item.startswith("chart:")]
    keys += [table for _, _, table in ANNEXES]
    assert len(keys) == len(set(keys))
    shown = [figures.tables[k].rows for k in keys if k in figures.tables]
    assert len(shown) == len({repr(rows) for rows in shown})


def test_tables_that_add_up_end_with_a_total(figures: Figures) -> None:
    for key in (
        "actions-by-department-tool",
        "actions-by-tool",
        "actions-by-recommendation",
        "actions-by-country",
        "funding-by-fund",
        "funding-by-country",
        "funding-by-purpose",
        "training-by-department",
        "training-courses",
        "funding-all",
    ):
        assert figures.tables[key].rows[-1][0] == "Total", key


# --- the command ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_sample_project(tmp_path_factory.mktemp("quoted"))


def test_report_check_lists_every_figure_and_finds_the_sample_true(sample: Path) -> None:
    result = run_council("report", "2025-26", "--check", "--now", SAMPLE_NOW, cwd=sample)
    assert result.returncode == 0, result.stderr
    received, not_started = sample_triggers()
    listed = dict(re.findall(r"^  (\S+) +(.+?)  \(", result.stdout, flags=re.MULTILINE))
    assert list(listed) == list(KEYS)
    assert (listed["aia.triggers"], listed["aia.not_started"]) == (str(received), str(not_started))
    assert "0 warnings about hand-written numbers" in result.stdout and "warning:" not in result.stderr
    assert not (sample / "build" / "reports").exists()  # --check writes nothing


def test_report_check_warns_where_the_narrative_contradicts_the_data(sample: Path, tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "project"
    shutil.copytree(sample, root)
    path = root / "reports" / "2025-26" / "e-countries-at-risk.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "The list grew from", "Three countries moved up the list. The list grew from"
        ),
        encoding="utf-8",
    )
    result = run_council("report", "--check", "--now", SAMPLE_NOW, cwd=root)
    assert result.returncode == 0
    moved_up = {"COD", "SSD"}  # elevated -> high and high -> very high between the two sample lists
    assert (
        f"reports/2025-26/e-countries-at-risk.md:3:20: warning: 'Three countries moved up the list' "
        f"contradicts the data: watch.moved_up is {len(moved_up)}"
    ) in result.stderr
    assert "1 warning about hand-written numbers" in result.stdout
    assert "reports/2024-25:" in result.stdout  # every period when none is named


def test_an_unknown_figure_key_stops_the_check_and_the_report(sample: Path, tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "project"
    shutil.copytree(sample, root)
    path = root / "reports" / "2025-26" / "f-training.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("key=training.courses", "key=training.course"), encoding="utf-8"
    )
    for args in (("report", "2025-26", "--check"), ("report", "2025-26")):
        result = run_council(*args, "--now", SAMPLE_NOW, cwd=root)
        assert result.returncode == 1, args
        assert "reports/2025-26/f-training.md:1:" in result.stderr
        assert "there is no figure 'training.course'" in result.stderr
        assert "did you mean 'training.courses'?" in result.stderr
    assert not (root / "build" / "reports" / "2025-26").exists()
