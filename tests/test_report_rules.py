"""The rules where a bug would leak or misreport, checked in this process on tests/fixtures/reports
(see its README): period boundaries, the 90-day target, the watch list between periods, what the
published report and the site may carry, restricted briefings and the build's date. Each expected
value here comes from the fixture's README, not from council's own code."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import REPO

from council.model import Briefing, Library
from council.publish.gate import banner, is_previewable, is_public, is_public_marking, is_restricted
from council.publish.report_pages import publishable
from council.report.document import WITHHELD, public_sections, restricted_marking, restricted_sections
from council.report.figures import Figures, compute
from council.sources.reports import Report, load_reports
from council.vocabularies import vocabularies

FIXTURE = REPO / "tests" / "fixtures" / "reports"
SENSITIVE_SECTION_WORD = "SENTINEL-SECTION-7b31"
NOW = dt.datetime(2026, 11, 27, 12, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def reports() -> dict[str, Report]:
    loaded, problems = load_reports(FIXTURE, Library({}, {}))
    assert problems == []
    return {r.period: r for r in loaded}


@pytest.fixture(scope="module")
def figures(reports: dict[str, Report]) -> Figures:
    return compute(reports["2025-26"], [])


# --- period boundaries ---------------------------------------------------------------------------

def test_actions_on_the_first_and_last_day_of_the_period_count(reports: dict[str, Report], figures: Figures) -> None:
    dates = [a.date for a in reports["2025-26"].actions]
    assert dt.date(2025, 4, 1) in dates and dt.date(2026, 3, 31) in dates
    assert figures.actions_total == 3  # the fourth action is OFFICIAL-SENSITIVE
    assert figures.countries_acted_in == 3 and figures.departments_acting == 3


def test_a_course_may_run_the_whole_period_or_a_single_day(reports: dict[str, Report], figures: Figures) -> None:
    spans = [(t.start_date, t.end_date) for t in reports["2025-26"].training]
    assert (dt.date(2025, 4, 1), dt.date(2026, 3, 31)) in spans
    assert (dt.date(2025, 9, 10), dt.date(2025, 9, 10)) in spans
    assert figures.staff_trained == 135 and figures.courses == 2
    assert figures.staff_trained_previous == 40


# --- Atrocity Impact Assessments against the 90-day target -------------------------------------

def test_an_assessment_completed_in_exactly_90_days_meets_the_target(figures: Figures) -> None:
    assert figures.aia_target_days == 90
    assert figures.aia_completed == 2          # SDN in 90 days, COD in 91
    assert figures.aia_within_target == 1      # only SDN
    assert figures.aia_median_days == 90.5


def test_an_assessment_open_exactly_90_days_is_not_overdue_but_91_is(figures: Figures) -> None:
    assert [(o.country, o.days_open, o.trigger_date) for o in figures.overdue] == [("Mali", 91, dt.date(2025, 12, 30))]
    overdue_table = figures.tables["aia-overdue"]
    assert overdue_table.rows == (("Mali", "2025-12-30", "91"),)
    assert "more than 90 days" in overdue_table.caption


def test_assessment_counts_use_the_period_only(figures: Figures) -> None:
    assert figures.aia_triggers == 4 and figures.aia_started == 3
    assert figures.aia_completed_previous == 1
    register = {row[0]: row for row in figures.tables["aia-register"].rows}
    assert register["Sudan"][4:] == ("2025-07-30", "90")
    assert register["Mali"][3:] == ("not started", "open", "–")
    assert figures.chart_data["aia-days"] == [("Sudan (2025-05-01)", 90),
                                              ("The Democratic Republic of the Congo (2025-06-01)", 91)]


# --- the watch list between periods --------------------------------------------------------------

def test_the_watch_list_names_who_was_added_and_who_was_removed(figures: Figures) -> None:
    assert figures.added_to_watch_list == ("Haiti",)
    assert figures.removed_from_watch_list == ("Ethiopia",)
    assert figures.watch_list_total == 3 and figures.watch_list_previous == 3


def test_a_sensitive_watch_list_row_is_neither_counted_nor_named(figures: Figures) -> None:
    everything = repr(figures.tables) + repr(figures.added_to_watch_list) + repr(figures.chart_data)
    assert "Nicaragua" not in everything and "SENTINEL" not in everything
    assert figures.funding_total == 750000 and figures.transitional_justice_total == 250000
    assert figures.funding_previous == 300000


def test_the_first_report_has_no_watch_list_changes(reports: dict[str, Report]) -> None:
    first = compute(reports["2024-25"], [])
    assert first.added_to_watch_list == () and first.removed_from_watch_list == ()
    assert first.watch_list_previous is None and first.previous_period is None


def test_key_figures_compare_with_the_previous_period(figures: Figures) -> None:
    rows = {row[0]: row[1:] for row in figures.tables["key-figures"].rows}
    assert figures.tables["key-figures"].header == ("Measure", "2025-26", "2024-25", "Change")
    assert rows["Actions taken"] == ("3", "2", "+1")
    assert rows["Funding spent"] == ("£750,000", "£300,000", "+£450,000")
    assert rows["Staff trained"] == ("135", "40", "+95")
    assert rows["Countries and regions on the watch list"] == ("3", "3", "no change")
    assert rows["of which transitional justice"] == ("£250,000", "–", "–")


# --- what the published report carries -----------------------------------------------------------

def test_a_section_marked_official_sensitive_is_withheld_from_the_public_report(
        reports: dict[str, Report], figures: Figures) -> None:
    sections = {s.id: s for s in public_sections(reports["2025-26"], figures, [])}
    published = repr([s.as_request() for s in sections.values()])
    assert SENSITIVE_SECTION_WORD not in published
    assert sections["assessment"].pieces[0] == {"markdown": WITHHELD}
    assert "classified-annex" not in sections
    # the public sections keep their author's text
    assert sections["summary"].pieces[0]["markdown"].startswith("Fixture text for the summary section")


def test_withheld_material_goes_to_the_classified_annex(reports: dict[str, Report], figures: Figures) -> None:
    report = reports["2025-26"]
    assert restricted_marking(report) == "OFFICIAL-SENSITIVE"
    # table cells are escaped Markdown ("SENTINEL\\-ROW"): compare the text without the escapes
    restricted = "".join(p["markdown"] for s in restricted_sections(report, figures) for p in s.pieces).replace("\\", "")
    assert SENSITIVE_SECTION_WORD in restricted
    assert "SENTINEL-ROW-4c9d" in restricted and "SENTINEL-ROW-9e22" in restricted
    assert restricted_marking(reports["2024-25"]) is None
    assert restricted_sections(reports["2024-25"], compute(reports["2024-25"], [])) == []


def test_a_report_marked_official_sensitive_never_reaches_the_site(reports: dict[str, Report]) -> None:
    rendered = [SimpleNamespace(report=report) for report in reports.values()]
    assert [r.report.period for r in publishable(rendered)] == ["2024-25", "2025-26"]  # type: ignore[arg-type]


@pytest.mark.parametrize("marking", vocabularies()["classifications"].labels)
def test_only_plain_official_is_a_public_marking(marking: str) -> None:
    assert is_public_marking(marking) is (marking == "OFFICIAL")


# --- briefings: public, preview, restricted ------------------------------------------------------

def briefing(status: str, classification: str = "OFFICIAL", embargo: dt.datetime | None = None) -> Briefing:
    return Briefing(Path("briefings/x.md"), "x", "T", "S", ("a", "b"), ("A",), dt.date(2026, 1, 1), status, "en-GB",
                    "Body.", 1, classification=classification, embargo_until=embargo)


@pytest.mark.parametrize("status", vocabularies()["statuses"].labels)
@pytest.mark.parametrize("marking", vocabularies()["classifications"].labels)
def test_only_published_material_above_official_is_restricted(status: str, marking: str) -> None:
    assert is_restricted(briefing(status, marking)) is (status == "published" and marking != "OFFICIAL")
    assert is_previewable(briefing(status, marking)) is (marking == "OFFICIAL")
    assert is_public(briefing(status, marking), NOW) is (status == "published" and marking == "OFFICIAL")


def test_an_embargo_lifts_at_its_exact_moment() -> None:
    assert is_public(briefing("published", embargo=NOW), NOW)
    assert not is_public(briefing("published", embargo=NOW + dt.timedelta(seconds=1)), NOW)
    assert is_public(briefing("published", embargo=NOW - dt.timedelta(seconds=1)), NOW)


def test_preview_banners_say_why_a_page_is_not_public() -> None:
    assert banner(briefing("published"), NOW) is None
    assert banner(briefing("review"), NOW) == "REVIEW: not for publication. This page exists only in your local preview."
    embargoed = briefing("published", embargo=dt.datetime(2027, 6, 1, 9, 30, tzinfo=dt.timezone.utc))
    assert banner(embargoed, NOW) == "EMBARGOED until 01 June 2027 09:30 UTC: this page exists only in your local preview."


# --- the build's date ----------------------------------------------------------------------------

def test_source_date_epoch_from_the_environment_dates_the_build(monkeypatch: pytest.MonkeyPatch) -> None:
    from council.pipeline import source_date_epoch

    notes = [briefing("published")]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1234567890")
    assert source_date_epoch(notes) == 1234567890
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "not a number")
    assert source_date_epoch(notes) == int(dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc).timestamp())
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    later = Briefing(**{**briefing("published").__dict__, "date": dt.date(2026, 5, 4)})
    assert source_date_epoch([*notes, later]) == int(dt.datetime(2026, 5, 4, tzinfo=dt.timezone.utc).timestamp())
