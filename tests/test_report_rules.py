"""The rules where a bug would leak or misreport, checked in this process on tests/fixtures/reports
(see its README): period boundaries, the 90-day target, the watch list between periods, what the
published report and the site may carry, restricted briefings and the build's date. Each expected
value here comes from the fixture's README, not from council's own code."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pycountry
import pytest
from conftest import REPO

from council.base.model import Briefing, Library
from council.base.vocabularies import vocabularies
from council.publish.gate import banner, is_previewable, is_public, is_public_marking, is_restricted
from council.publish.report_pages import publishable
from council.report.document import WITHHELD, public_sections, restricted_marking, restricted_sections
from council.report.figures import MINUS, Figures, change, compute, count, country_name, days, money
from council.sources.report_data import Action, Funding, ImpactAssessment, Training
from council.sources.reports import Report, ReportMeta, load_reports

FIXTURE = REPO / "tests" / "fixtures" / "reports"
SENSITIVE_SECTION_WORD = "SENTINEL-SECTION-7b31"
NOW = dt.datetime(2026, 11, 27, 12, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")  # loaded once: the loader's own tests are in test_report_messages.py
def reports() -> dict[str, Report]:
    loaded, problems = load_reports(FIXTURE, Library({}, {}))
    assert problems == []
    return {r.period: r for r in loaded}


@pytest.fixture  # per test: mutmut links a function only to the tests that call it
def figures(reports: dict[str, Report]) -> Figures:
    return compute(reports["2025-26"], [])


EXPECTED_TABLES = {  # worked out by hand from tests/fixtures/reports/2025-26 (see its README)
    "actions-by-department-tool": (
        "Actions by department and toolkit tool",
        ("Department", "Toolkit tool", "Actions"),
        (False, False, True),
        (
            (
                "FCDO",
                "Human-rights engagement through diplomatic, trade and security channels and multilateral forums",
                "1",
            ),
            ("FCDO", "Targeted sanctions (arms embargoes, travel bans, asset freezes)", "2"),
            ("MOD", "Targeted sanctions (arms embargoes, travel bans, asset freezes)", "1"),
            ("MOD", "International humanitarian law training for armed forces and other parties", "1"),
            ("Home Office", "Asylum and refugee resettlement", "1"),
            ("Total", "", "6"),
        ),
    ),
    "actions-by-tool": (
        "Actions by toolkit tool",
        ("Toolkit tool", "Actions"),
        (False, True),
        (
            ("Human-rights engagement through diplomatic, trade and security channels and multilateral forums", "1"),
            ("Targeted sanctions (arms embargoes, travel bans, asset freezes)", "3"),
            ("Asylum and refugee resettlement", "1"),
            ("International humanitarian law training for armed forces and other parties", "1"),
            ("Total", "6"),
        ),
    ),
    "actions-by-recommendation": (
        "Actions by the recommendation they serve",
        ("Recommendation", "Actions"),
        (False, True),
        (
            ("I: A national, cross-government mass atrocity prevention strategy", "1"),
            ("II: An integrated architecture to coordinate the strategy across government", "2"),
            ("III: Embedding atrocity prevention in the work of UK posts", "1"),
            ("IV: Funding research on intersections with other policy areas", "1"),
            ("V: Atrocity Impact Assessments", "1"),
            ("VI: Supporting international legal mechanisms", "0"),
            ("Total", "6"),
        ),
    ),
    "actions-by-country": (
        "Actions by country",
        ("Country", "Actions"),
        (False, True),
        (
            ("Sudan", "3"),
            ("Myanmar", "2"),
            ("Haiti", "1"),
            ("Total", "6"),
        ),
    ),
    "funding-by-fund": (
        "Funding spent by fund",
        ("Fund", "Amount", "Share"),
        (False, True, True),
        (
            ("Integrated Security Fund", "£500,000", "56%"),
            ("Conflict Fund", "£400,000", "44%"),
            ("Total", "£900,000", "100%"),
        ),
    ),
    "funding-by-country": (
        "Funding spent by country",
        ("Country", "Amount"),
        (False, True),
        (
            ("Sudan", "£600,000"),
            ("Haiti", "£250,000"),
            ("Myanmar", "£50,000"),
            ("Total", "£900,000"),
        ),
    ),
    "funding-by-purpose": (
        "Funding spent by purpose",
        ("Purpose", "Amount"),
        (False, True),
        (
            ("Early warning and analysis", "£50,000"),
            ("Documentation and accountability", "£500,000"),
            ("Transitional justice", "£350,000"),
            ("Total", "£900,000"),
        ),
    ),
    "aia-register": (
        "Atrocity Impact Assessments: trigger to completion",
        ("Country", "Trigger", "Trigger date", "Started", "Completed", "Days to complete"),
        (False, False, False, False, False, True),
        (
            ("Ukraine", "Judicial finding", "2025-02-01", "2025-02-10", "2025-04-01", "59"),
            ("Syria", "Judicial finding", "2025-03-20", "2025-04-01", "open", "–"),
            ("Sudan", "Judicial finding", "2025-05-01", "2025-05-05", "2025-07-30", "90"),
            (
                "The Democratic Republic of the Congo",
                "Commission of inquiry or fact-finding finding",
                "2025-06-01",
                "2025-06-02",
                "2025-08-31",
                "91",
            ),
            (
                "Central African Republic",
                "Commission of inquiry or fact-finding finding",
                "2025-11-15",
                "2025-11-20",
                "2026-03-31",
                "136",
            ),
            ("Afghanistan", "Commission of inquiry or fact-finding finding", "2025-12-01", "2025-12-03", "open", "–"),
            ("Mali", "Commission of inquiry or fact-finding finding", "2025-12-30", "not started", "open", "–"),
            ("South Sudan", "Special Adviser notification", "2025-12-31", "2026-01-05", "open", "–"),
            ("Somalia", "Special Adviser notification", "2026-03-31", "not started", "open", "–"),
        ),
    ),
    "aia-overdue": (
        "Assessments open more than 90 days after their trigger at the end of the period",
        ("Country", "Trigger date", "Days since trigger"),
        (False, False, True),
        (
            ("Mali", "2025-12-30", "91"),
            ("Afghanistan", "2025-12-01", "120"),
            ("Syria", "2025-03-20", "376"),
        ),
    ),
    "watch-list": (
        "Countries and regions at risk",
        ("Country or region", "Risk level", "Groups at risk"),
        (False, False, False),
        (
            ("Myanmar", "Very high", "Rohingya"),
            ("Sudan (Darfur)", "Very high", "Displaced people"),
            ("Haiti", "High", "Residents of contested districts"),
            ("Burkina Faso", "Elevated", "Fulani communities"),
        ),
    ),
    "watch-list-full": (
        "Countries and regions at risk: factors and likely scenarios",
        ("Country or region", "Risk level", "Risk factors", "Groups at risk", "Likely scenarios"),
        (False, False, False, False, False),
        (
            ("Myanmar", "Very high", "Military rule", "Rohingya", "Mass displacement"),
            ("Sudan (Darfur)", "Very high", "Siege; impunity", "Displaced people", "Killings when towns fall"),
            (
                "Haiti",
                "High",
                "Gang control of the capital",
                "Residents of contested districts",
                "Massacres by armed gangs",
            ),
            (
                "Burkina Faso",
                "Elevated",
                "Insurgency; reprisals against civilians",
                "Fulani communities",
                "Massacres in reprisal for attacks",
            ),
        ),
    ),
    "watch-list-changes": (
        "Changes to the watch list since 2024-25",
        ("Country", "Change", "2024-25", "2025-26"),
        (False, False, False, False),
        (
            ("Burkina Faso", "Added", "not listed", "Elevated"),
            ("Ethiopia", "Removed", "High (Amhara)", "not listed"),
            ("Haiti", "Added", "not listed", "High"),
        ),
    ),
    "training-by-department": (
        "Staff trained by department",
        ("Department", "Courses", "Staff trained"),
        (False, True, True),
        (
            ("MOD", "1", "200"),
            ("FCDO", "2", "150"),
            ("Total", "3", "350"),
        ),
    ),
    "training-courses": (
        "Courses delivered",
        ("Department", "Course", "Staff trained", "From", "To"),
        (False, False, True, False, False),
        (
            ("FCDO", "Foundations (online)", "120", "2025-04-01", "2026-03-31"),
            ("MOD", "One-day workshop", "200", "2025-09-10", "2025-09-10"),
            ("FCDO", "Heads of mission", "30", "2025-05-19", "2025-05-20"),
            ("Total", "", "350", "", ""),
        ),
    ),
    "recommendations": (
        "Status of recommendations I to VI",
        ("Recommendation", "Status", "Evidence", "Next step"),
        (False, False, False, False),
        (
            (
                "I: A national, cross-government mass atrocity prevention strategy",
                "In progress",
                "A draft strategy",
                "Publish it",
            ),
            (
                "II: An integrated architecture to coordinate the strategy across government",
                "In progress",
                "A steering group met",
                "Meet again",
            ),
            ("III: Embedding atrocity prevention in the work of UK posts", "Not started", "None yet", "Plan it"),
            (
                "IV: Funding research on intersections with other policy areas",
                "Partly implemented",
                "Some guidance",
                "Finish it",
            ),
            ("V: Atrocity Impact Assessments", "Implemented", "Guidance issued", "Review it"),
            ("VI: Supporting international legal mechanisms", "Not started", "None yet", "Plan it"),
        ),
    ),
    "actions-all": (
        "Actions taken in the period",
        ("Date", "Department", "Country", "Tool", "Recommendation", "Description"),
        (False, False, False, False, False, False),
        (
            (
                "2025-04-01",
                "FCDO",
                "Sudan",
                "Targeted sanctions (arms embargoes, travel bans, asset freezes)",
                "II",
                "Action on the first day of the period",
            ),
            (
                "2025-06-02",
                "FCDO",
                "Sudan",
                "Targeted sanctions (arms embargoes, travel bans, asset freezes)",
                "II",
                "A second round of sanctions listings",
            ),
            (
                "2025-07-15",
                "FCDO",
                "Myanmar",
                "Human-rights engagement through diplomatic, trade and security channels and multilateral forums",
                "III",
                "Raised the persecution of the Rohingya with the authorities",
            ),
            (
                "2025-08-20",
                "MOD",
                "Sudan",
                "Targeted sanctions (arms embargoes, travel bans, asset freezes)",
                "I",
                "Seconded experts to monitor the arms embargo",
            ),
            (
                "2025-10-14",
                "MOD",
                "Myanmar",
                "International humanitarian law training for armed forces and other parties",
                "V",
                "Action in the middle of the period",
            ),
            (
                "2026-03-31",
                "Home Office",
                "Haiti",
                "Asylum and refugee resettlement",
                "IV",
                "Action on the last day of the period",
            ),
        ),
    ),
    "funding-all": (
        "Funding spent in the period",
        ("Fund", "Country", "Purpose", "Amount"),
        (False, False, False, True),
        (
            ("Integrated Security Fund", "Sudan", "Documentation and accountability", "£500,000"),
            ("Conflict Fund", "Haiti", "Transitional justice", "£250,000"),
            ("Conflict Fund", "Sudan", "Transitional justice", "£100,000"),
            ("Conflict Fund", "Myanmar", "Early warning and analysis", "£50,000"),
            ("Total", "", "", "£900,000"),
        ),
    ),
    "key-figures": (
        "Key figures",
        ("Measure", "2025-26", "2024-25", "Change"),
        (False, True, True, True),
        (
            ("Actions taken", "6", "2", "+4"),
            ("Funding spent", "£900,000", "£300,000", "+£600,000"),
            ("of which transitional justice", "£350,000", "£0", "+£350,000"),
            ("Atrocity Impact Assessments completed", "4", "3", "+1"),
            ("Staff trained", "350", "40", "+310"),
            ("Countries and regions on the watch list", "4", "3", "+1"),
        ),
    ),
}


def test_every_figure_at_once(figures: Figures) -> None:
    """The whole result in one test, first, so that a wrong figure fails fast (mutation testing runs the
    tests up to the first failure); the tests below say what each part means."""
    assert {key: (t.caption, t.header, t.numeric, t.rows) for key, t in figures.tables.items()} == EXPECTED_TABLES
    scalars = {
        k: v
        for k, v in figures.as_dict().items()
        if k not in ("tables", "chart_data", "briefings", "overdue", "watch_list_changes")
    }
    assert scalars == EXPECTED_SCALARS
    assert [(o.country, o.days_open) for o in figures.overdue] == [("Mali", 91), ("Afghanistan", 120), ("Syria", 376)]


# --- formatting, one place for the text, tables and charts ---------------------------------------


def test_numbers_money_days_and_changes_are_written_as_a_reader_expects() -> None:
    assert (count(1234567.0), money(Decimal("2500000")), money(12.9)) == ("1,234,567", "£2,500,000", "£12")
    assert (days(45.5), days(45.0), days(1234.0), days(0.25)) == ("45.5", "45", "1,234", "0.2")
    assert (change(5, 3), change(3, 5), change(4, 4), change(0, 1)) == ("+2", MINUS + "2", "no change", MINUS + "1")
    assert change(1500, 500, as_money=True) == "+£1,000" and change(500, 1500, as_money=True) == MINUS + "£1,000"
    assert change(2500, 1) == "+2,499" and MINUS == "\u2212"


def test_countries_are_named_as_a_reader_says_them() -> None:
    assert country_name("COD") == "The Democratic Republic of the Congo"
    assert country_name("KOR") == "South Korea"  # the common name where ISO gives one
    assert country_name("SDN") == "Sudan"
    assert country_name("XKX") == "XKX"  # not an ISO code: shown as written


# --- report.yml ---------------------------------------------------------------------------------


def test_report_yml_is_read_whole(reports: dict[str, Report]) -> None:
    assert reports["2025-26"].meta == ReportMeta(
        "Fixture report 2025-26",
        dt.date(2025, 4, 1),
        dt.date(2026, 3, 31),
        "Foreign, Commonwealth and Development Office",
        "Secretary of State for Foreign, Commonwealth and Development Affairs",
        dt.date(2026, 7, 9),
        "OFFICIAL",
        "2024-25",
        "CP 1422",
        True,
        90,
    )
    first = reports["2024-25"].meta
    assert (first.previous, first.command_paper, first.aia_target_days) == (None, None, 90)  # the defaults
    assert reports["2026-27"].meta.classification == "OFFICIAL-SENSITIVE"
    assert reports["2026-27"].meta.aia_target_days == 120


EXPECTED_SCALARS = {  # worked out by hand from the fixture; the tests below explain each
    "period": "2025-26",
    "previous_period": "2024-25",
    "actions_total": 6,
    "actions_previous": 2,
    "departments_acting": 3,
    "countries_acted_in": 3,
    "top_tool": "Targeted sanctions (arms embargoes, travel bans, asset freezes)",
    "top_tool_count": 3,
    "funding_total": 900000,
    "funding_previous": 300000,
    "transitional_justice_total": 350000,
    "transitional_justice_previous": 0,
    "funds_used": 2,
    "watch_list_total": 4,
    "watch_list_previous": 3,
    "added_to_watch_list": ("Burkina Faso", "Haiti"),
    "removed_from_watch_list": ("Ethiopia",),
    "staff_trained": 350,
    "staff_trained_previous": 40,
    "courses": 3,
    "aia_triggers": 7,
    "aia_started": 6,
    "aia_not_started": 2,
    "aia_completed": 4,
    "aia_completed_previous": 3,
    "aia_median_days": 90.5,
    "aia_within_target": 2,
    "aia_target_days": 90,
    "aia_open": 5,
    "requests_answered": (),
}


# --- period boundaries ---------------------------------------------------------------------------


def test_actions_on_the_first_and_last_day_of_the_period_count(reports: dict[str, Report], figures: Figures) -> None:
    dates = [a.date for a in reports["2025-26"].actions]
    assert dt.date(2025, 4, 1) in dates and dt.date(2026, 3, 31) in dates
    assert figures.actions_total == 6  # the seventh action is OFFICIAL-SENSITIVE
    assert figures.countries_acted_in == 3 and figures.departments_acting == 3
    assert figures.top_tool == "Targeted sanctions (arms embargoes, travel bans, asset freezes)"
    assert figures.top_tool_count == 3


def test_a_course_may_run_the_whole_period_or_a_single_day(reports: dict[str, Report], figures: Figures) -> None:
    spans = [(t.start_date, t.end_date) for t in reports["2025-26"].training]
    assert (dt.date(2025, 4, 1), dt.date(2026, 3, 31)) in spans
    assert (dt.date(2025, 9, 10), dt.date(2025, 9, 10)) in spans
    assert figures.staff_trained == 350 and figures.courses == 3
    assert figures.staff_trained_previous == 40


# --- Atrocity Impact Assessments against the 90-day target -------------------------------------


def test_an_assessment_completed_in_exactly_90_days_meets_the_target(figures: Figures) -> None:
    assert figures.aia_target_days == 90
    # UKR in 59 days, SDN in 90, COD in 91, CAF in 136 (on the period's last day; AFG after the period)
    assert figures.aia_completed == 4
    assert figures.aia_within_target == 2  # UKR and SDN
    assert figures.aia_median_days == 90.5


def test_an_assessment_open_exactly_90_days_is_not_overdue_but_91_is(figures: Figures) -> None:
    # SSD is open 90 days at the end: not overdue. AFG was completed only after the period: overdue.
    # CAF, 136 days old, was completed on the period's last day: not open at its end, so not overdue.
    assert [(o.country, o.trigger, o.trigger_date, o.days_open) for o in figures.overdue] == [
        ("Mali", "inquiry-finding", dt.date(2025, 12, 30), 91),
        ("Afghanistan", "inquiry-finding", dt.date(2025, 12, 1), 120),
        ("Syria", "judicial-finding", dt.date(2025, 3, 20), 376),
    ]  # SOM, triggered on the last day, is not


def test_assessment_counts_use_the_period_only(figures: Figures) -> None:
    # UKR was triggered and started before the period, YEM after it; SOM on its last day; SYR started on
    # its first day; UKR was completed on its first day
    assert figures.aia_triggers == 7 and figures.aia_started == 6
    # 2024-25: completed on its first day (MMR), on its last (ETH), in between (SDN); COD still open
    assert figures.aia_completed_previous == 3
    assert figures.chart_data["aia-days"] == [
        ("Sudan (2025-05-01)", 90),
        ("The Democratic Republic of the Congo (2025-06-01)", 91),
        ("Ukraine (2025-02-01)", 59),
        ("Central African Republic (2025-11-15)", 136),
    ]


# --- the watch list between periods --------------------------------------------------------------


def test_the_watch_list_names_who_was_added_and_who_was_removed(figures: Figures) -> None:
    assert figures.added_to_watch_list == ("Burkina Faso", "Haiti")
    assert figures.removed_from_watch_list == ("Ethiopia",)
    assert figures.watch_list_total == 4 and figures.watch_list_previous == 3


def test_a_sensitive_watch_list_row_is_neither_counted_nor_named(figures: Figures) -> None:
    everything = repr(figures.tables) + repr(figures.added_to_watch_list) + repr(figures.chart_data)
    assert "Nicaragua" not in everything and "SENTINEL" not in everything
    assert figures.funding_total == 900000 and figures.transitional_justice_total == 350000
    assert figures.funding_previous == 300000 and figures.funds_used == 2


def test_a_period_with_no_public_rows_gives_zeros_and_no_tables(reports: dict[str, Report]) -> None:
    report = reports["2025-26"]
    previous = dataclasses.replace(report.previous, impact_assessments=(), funding=(), training=())
    empty = dataclasses.replace(
        report,
        actions=report.actions[-1:],
        funding=(),
        training=(),
        impact_assessments=(),
        countries_at_risk=(),
        recommendations=(),
        previous=previous,
    )
    figures = compute(empty, [])
    assert (figures.actions_total, figures.top_tool, figures.top_tool_count, figures.departments_acting) == (
        0,
        "",
        0,
        0,
    )
    assert (figures.funding_total, figures.funding_previous, figures.funds_used) == (0, 0, 0)
    assert figures.transitional_justice_total == 0
    assert (figures.staff_trained, figures.staff_trained_previous, figures.courses) == (0, 0, 0)
    assert (figures.aia_triggers, figures.aia_completed, figures.aia_completed_previous) == (0, 0, 0)
    assert figures.aia_median_days is None and figures.overdue == () and figures.added_to_watch_list == ()
    assert list(figures.tables) == ["key-figures"] and figures.chart_data == {}
    none_at_all = compute(dataclasses.replace(empty, actions=()), [])  # not even a withheld row
    assert (none_at_all.countries_acted_in, none_at_all.departments_acting, none_at_all.actions_total) == (0, 0, 0)


def test_ties_keep_the_order_of_their_codes_and_names_however_many(reports: dict[str, Report]) -> None:
    """Equal counts and amounts are listed by code or fund name, the same in every build: with more than
    16 rows an unstable sort would shuffle them."""
    codes = sorted(c.alpha_3 for c in pycountry.countries)[:30]
    weight = [2 if 10 <= i < 20 else 1 for i in range(30)]  # ten heavy rows in the middle of the code order
    day = dt.date(2025, 6, 1)
    actions = tuple(
        Action(i + 2, day, "FCDO", code, "targeted-sanctions", "II", f"{code}-{n}")
        for i, code in enumerate(codes)
        for n in range(weight[i])
    )
    assessments = tuple(
        ImpactAssessment(i + 2, code, "judicial-finding", day, None, None, "") for i, code in enumerate(reversed(codes))
    )
    funding = tuple(
        Funding(i + 2, f"Fund {i:02d}", code, "protection", Decimal(1000 * weight[i])) for i, code in enumerate(codes)
    )
    figures = compute(
        dataclasses.replace(reports["2025-26"], actions=actions, funding=funding, impact_assessments=assessments), []
    )
    # one date for every row: the annex and the register keep the order the rows were written in
    assert [row[5] for row in figures.tables["actions-all"].rows] == [a.description for a in actions]
    assert [row[0] for row in figures.tables["aia-register"].rows] == [country_name(a.country) for a in assessments]
    assert figures.transitional_justice_total == 0  # all of it went to protection
    heavy_first = [codes[i] for i in range(10, 20)] + [codes[i] for i in [*range(10), *range(20, 30)]]
    assert [row[0] for row in figures.tables["actions-by-country"].rows][:-1] == [country_name(c) for c in heavy_first]
    assert [row[0] for row in figures.tables["funding-by-country"].rows][:-1] == [country_name(c) for c in heavy_first]
    funds = [f"Fund {i:02d}" for i in [*range(10, 20), *range(10), *range(20, 30)]]
    assert [row[0] for row in figures.tables["funding-by-fund"].rows][:-1] == funds


def test_departments_with_equal_staff_trained_keep_their_name_order(reports: dict[str, Report]) -> None:
    """Ten departments, alternately 10 and 5 staff trained: the ties stay in name order. numpy's
    default sort is not stable for ties on this machine (issue 29), so the table's order would
    depend on the CPU."""
    departments = sorted(vocabularies()["departments"].labels)
    day = dt.date(2025, 6, 1)
    training = tuple(
        Training(i + 2, department, f"Course {i}", 10 if i % 2 == 0 else 5, day, day)
        for i, department in enumerate(departments)
    )
    figures = compute(dataclasses.replace(reports["2025-26"], training=training), [])
    rows = [row[0] for row in figures.tables["training-by-department"].rows][:-1]
    assert rows == departments[0::2] + departments[1::2]


def test_briefings_of_the_period_include_its_first_and_last_day(reports: dict[str, Report]) -> None:
    def note(slug: str, day: dt.date, answers: tuple[str, ...] = ()) -> Briefing:
        return dataclasses.replace(briefing("published"), slug=slug, date=day, answers=answers)

    notes = [
        note("after", dt.date(2026, 4, 1), ("REQ-9",)),
        note("last-b", dt.date(2026, 3, 31), ("REQ-2", "REQ-1")),
        note("last-a", dt.date(2026, 3, 31), ("REQ-1",)),
        note("first", dt.date(2025, 4, 1), ("REQ-3",)),
        note("before", dt.date(2025, 3, 31), ("REQ-8",)),
    ]
    figures = compute(reports["2025-26"], notes)
    assert [b.slug for b in figures.briefings] == ["first", "last-a", "last-b"]
    assert figures.requests_answered == ("REQ-3", "REQ-1", "REQ-2")


def test_figures_as_plain_data(figures: Figures) -> None:
    data = figures.as_dict()
    assert data["actions_total"] == 6 and data["tables"]["key-figures"]["caption"] == "Key figures"


def test_the_first_report_has_no_watch_list_changes(reports: dict[str, Report]) -> None:
    first = compute(reports["2024-25"], [])
    assert first.added_to_watch_list == () and first.removed_from_watch_list == ()
    assert first.watch_list_previous is None and first.previous_period is None


@pytest.mark.parametrize("key", EXPECTED_TABLES)
def test_every_table_of_the_report(figures: Figures, key: str) -> None:
    caption, header, numeric, rows = EXPECTED_TABLES[key]
    table = figures.tables[key]
    assert (table.key, table.caption, table.header, table.numeric) == (key, caption, header, numeric)
    assert table.rows == rows


def test_no_table_beyond_those_expected(figures: Figures) -> None:
    assert list(figures.tables) == list(EXPECTED_TABLES)
    assert figures.chart_data["actions-by-tool"] == [
        (row[0], int(row[1])) for row in EXPECTED_TABLES["actions-by-tool"][3][:-1]
    ]
    assert figures.chart_data["funding-by-fund"] == [("Integrated Security Fund", 500000), ("Conflict Fund", 400000)]
    assert list(figures.chart_data) == ["actions-by-tool", "funding-by-fund", "aia-days"]


def test_the_first_period_compares_with_nothing(reports: dict[str, Report]) -> None:
    first = compute(reports["2024-25"], [])
    assert (first.aia_triggers, first.aia_started, first.aia_completed) == (3, 2, 3)
    assert first.tables["key-figures"].header == ("Measure", "2024-25")
    assert first.tables["key-figures"].rows[0] == ("Actions taken", "2")
    assert first.actions_previous is None and first.funding_previous is None
    assert first.staff_trained_previous is None and first.aia_completed_previous is None


# --- what the published report carries -----------------------------------------------------------


def test_a_section_marked_official_sensitive_is_withheld_from_the_public_report(
    reports: dict[str, Report], figures: Figures
) -> None:
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
    restricted = "".join(p["markdown"] for s in restricted_sections(report, figures) for p in s.pieces).replace(
        "\\", ""
    )
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
    return Briefing(
        Path("briefings/x.md"),
        "x",
        "T",
        "S",
        ("a", "b"),
        ("A",),
        dt.date(2026, 1, 1),
        status,
        "en-GB",
        "Body.",
        1,
        classification=classification,
        embargo_until=embargo,
    )


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
    assert (
        banner(briefing("review"), NOW) == "REVIEW: not for publication. This page exists only in your local preview."
    )
    embargoed = briefing("published", embargo=dt.datetime(2027, 6, 1, 9, 30, tzinfo=dt.timezone.utc))
    assert (
        banner(embargoed, NOW) == "EMBARGOED until 01 June 2027 09:30 UTC: this page exists only in your local preview."
    )


# --- the build's date ----------------------------------------------------------------------------


def test_source_date_epoch_from_the_environment_dates_the_build(monkeypatch: pytest.MonkeyPatch) -> None:
    from council.pipeline.site import source_date_epoch

    notes = [briefing("published")]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1234567890")
    assert source_date_epoch(notes) == 1234567890
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "not a number")
    assert source_date_epoch(notes) == int(dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc).timestamp())
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    later = Briefing(**{**briefing("published").__dict__, "date": dt.date(2026, 5, 4)})
    assert source_date_epoch([*notes, later]) == int(dt.datetime(2026, 5, 4, tzinfo=dt.timezone.utc).timestamp())
