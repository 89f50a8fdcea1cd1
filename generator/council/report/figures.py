"""Every figure in the report, computed with pandas from the period's CSV data: never typed by hand.

Only rows marked OFFICIAL count towards the published figures; rows above OFFICIAL are shown in the
classified annex alone, so no published total can reveal them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from decimal import Decimal
from fractions import Fraction

import pandas as pd

from council.base.model import Briefing
from council.base.vocabularies import country, vocabularies
from council.sources.report_data import PUBLIC_MARKING
from council.sources.reports import Report

MINUS = "\u2212"  # a true minus sign, read as "minus" by screen readers


# --- formatting (one place, so the text, tables and charts agree) -------------------------------


def count(value: float) -> str:
    return f"{int(value):,}"


def money(value: float | Decimal) -> str:
    return f"£{int(value):,}"


def days(value: float) -> str:
    """A median may fall between two whole days: 45.5."""
    return f"{value:,.1f}".removesuffix(".0")


def change(now: float | Decimal, before: float | Decimal, *, as_money: bool = False) -> str:
    delta = int(now) - int(before)
    if delta == 0:
        return "no change"
    sign = "+" if delta > 0 else MINUS
    return sign + (money(abs(delta)) if as_money else count(abs(delta)))


def money_in_words(value: float | Decimal) -> str:
    """Money as GOV.UK writes it in a sentence: '£3.14 million' from a million, '£300,000' below it."""
    pounds = int(value)
    if abs(pounds) < 1_000_000:
        return money(pounds)
    return f"£{pounds / 1_000_000:.2f}".rstrip("0").rstrip(".") + " million"


def compared(now: float | Decimal, before: float | Decimal, *, as_money: bool = False) -> str:
    """How a figure moved, as a sentence says it: 'up 9', 'down £1.2 million', 'unchanged'."""
    delta = int(now) - int(before)
    if delta == 0:
        return "unchanged"
    said = money_in_words(abs(delta)) if as_money else count(abs(delta))
    return ("up " if delta > 0 else "down ") + said


def shares(values: list[int]) -> list[int]:
    """Whole percentages that add up to exactly 100 (for a non-zero total), by the largest remainder
    method: each value gets the floor of its exact share, and the points left over go to the largest
    remainders; equal remainders go to the earlier value, so the result is the same in every build."""
    total = sum(values)
    if total <= 0:
        return [0] * len(values)
    exact = [Fraction(100 * v, total) for v in values]
    floors = [int(q) for q in exact]
    by_remainder = sorted(range(len(values)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in by_remainder[: 100 - sum(floors)]:
        floors[i] += 1
    return floors


_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def in_words(value: int) -> str:
    """A whole number written out, British style: 'three', 'forty-two', 'six hundred and thirty-six',
    'twelve thousand and five'. For a number that starts a sentence (GOV.UK style)."""
    if value < 0:
        return "minus " + in_words(-value)
    if value < 20:
        return _ONES[value]
    if value < 100:
        return _TENS[value // 10] + ("-" + _ONES[value % 10] if value % 10 else "")
    if value < 1000:
        rest = value % 100
        return _ONES[value // 100] + " hundred" + (" and " + in_words(rest) if rest else "")
    for size, name in ((10**9, "billion"), (10**6, "million"), (1000, "thousand")):
        if value >= size:
            rest = value % size
            joint = " and " if 0 < rest < 100 else (" " if rest else "")
            return in_words(value // size) + " " + name + (joint + in_words(rest) if rest else "")
    raise AssertionError(value)  # unreachable: every size is covered above


def quantity(value: int, singular: str, plural: str, *, starts_sentence: bool = False) -> str:
    """A count with its noun as GOV.UK writes it: 'no briefings' for zero, '1 briefing', '12 briefings';
    written out when it starts a sentence ('Six triggers', 'No staff')."""
    noun = singular if value == 1 else plural
    if value == 0:
        said = f"no {plural}"
    elif starts_sentence:
        said = f"{in_words(int(value))} {noun}"
    else:
        said = f"{count(value)} {noun}"
    return said[0].upper() + said[1:] if starts_sentence else said


def in_running_text(name: str) -> str:
    """A name as it stands inside a sentence: 'The Democratic Republic of the Congo' -> 'the Democratic
    Republic of the Congo'; other names as they are."""
    return "the" + name[3:] if name.startswith("The ") else name


def listed(names: tuple[str, ...] | list[str], *, starts_sentence: bool = False) -> str:
    """Names as a sentence lists them: 'Burkina Faso, Haiti and the Democratic Republic of the Congo'."""
    said = [name if starts_sentence and i == 0 else in_running_text(name) for i, name in enumerate(names)]
    return said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]


def country_name(code: str) -> str:
    """The name as a reader says it: ISO's 'Congo, The Democratic Republic of the' becomes
    'The Democratic Republic of the Congo'."""
    found = country(code)
    if found is None:
        return code
    head, comma, tail = found.name.partition(", ")
    return f"{tail} {head}" if comma else found.name


# --- plain results handed to the renderers ------------------------------------------------------


@dataclass(frozen=True)
class Table:
    key: str
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]  # right-align numeric columns


@dataclass(frozen=True)
class WatchChange:
    """How one country's place on the watch list changed since the previous period."""

    country: str
    kinds: tuple[str, ...]  # of CHANGE_KINDS, in that order
    before: str  # "Very high (Darfur)", or "" when added
    after: str  # "" when removed


# The ways a watch-list entry can change between periods, most consequential first.
CHANGE_KINDS = ("added", "removed", "moved up", "moved down", "region changed")


@dataclass(frozen=True)
class Overdue:
    country: str
    trigger: str
    trigger_date: dt.date
    days_open: int


# --- one period's public rows, as pandas frames --------------------------------------------------


@dataclass(frozen=True)
class PeriodData:
    """The rows of one period that the published figures may count (OFFICIAL only), and its dates."""

    period: str
    start: dt.date
    end: dt.date
    target_days: int
    actions: pd.DataFrame
    funding: pd.DataFrame  # with `amount`, the whole pounds as int, when there are rows
    training: pd.DataFrame
    aia: pd.DataFrame
    watch: pd.DataFrame
    recommendations: pd.DataFrame


def public(rows: tuple) -> pd.DataFrame:
    frame = pd.DataFrame([asdict(r) for r in rows])
    if frame.empty:
        return frame
    return frame[frame["classification"] == PUBLIC_MARKING].reset_index(drop=True)


def period_data(report: Report) -> PeriodData:
    funding = public(report.funding)
    if not funding.empty:
        funding = funding.assign(amount=funding["amount_gbp"].map(int))
    meta = report.meta
    return PeriodData(
        report.period,
        meta.period_start,
        meta.period_end,
        meta.aia_target_days,
        public(report.actions),
        funding,
        public(report.training),
        public(report.impact_assessments),
        public(report.countries_at_risk),
        public(report.recommendations),
    )


# --- the headline measures -----------------------------------------------------------------------


@dataclass(frozen=True)
class Measures:
    period: str
    previous_period: str | None
    # (A) actions
    actions_total: int
    actions_previous: int | None
    departments_acting: int
    countries_acted_in: int
    top_tool: str
    top_tool_count: int
    # (C) funding
    funding_total: int
    funding_previous: int | None
    transitional_justice_total: int
    transitional_justice_previous: int | None
    funds_used: int
    # (E) watch list
    watch_list_total: int
    watch_list_previous: int | None
    added_to_watch_list: tuple[str, ...]
    removed_from_watch_list: tuple[str, ...]
    watch_list_changes: tuple[WatchChange, ...]
    # (F) training
    staff_trained: int
    staff_trained_previous: int | None
    courses: int
    # AIAs
    aia_triggers: int
    aia_started: int
    aia_not_started: int  # triggered by the end of the period, with no assessment started by then
    aia_completed: int
    aia_completed_previous: int | None
    aia_median_days: float | None
    aia_within_target: int
    aia_target_days: int
    aia_open: int  # triggered by the end of the period and not completed by then
    overdue: tuple[Overdue, ...]
    # the Research Council
    briefings: tuple[Briefing, ...]
    requests_answered: tuple[str, ...]

    def changed(self, kind: str) -> tuple[str, ...]:
        """The countries whose watch-list entry changed in this way, by name."""
        return tuple(c.country for c in self.watch_list_changes if kind in c.kinds)


@dataclass(frozen=True)
class Figures(Measures):
    """The measures, every table by its key and every chart's data by its key, built once."""

    tables: dict[str, Table]
    chart_data: dict[str, list[tuple[str, float]]]  # chart key -> (label, value) in display order

    def as_dict(self) -> dict:
        return asdict(self)


def compute(report: Report, briefings: list[Briefing]) -> Figures:
    now = period_data(report)
    before = period_data(report.previous) if report.previous else None
    measures = _measures(now, before, briefings)
    tables = {table.key: table for table in (build(now, measures) for build in TABLE_BUILDERS) if table is not None}
    charts = {key: data for key, build in CHART_BUILDERS.items() if (data := build(now))}
    return Figures(**{f.name: getattr(measures, f.name) for f in fields(Measures)}, tables=tables, chart_data=charts)


def _measures(now: PeriodData, before: PeriodData | None, briefings: list[Briefing]) -> Measures:
    top_tool, top_count = _top_tool(now.actions)
    changes = watch_list_changes(before, now) if before else ()
    completed = _completed(now)
    taken = _days_taken(completed)
    in_period_briefings = tuple(
        sorted((b for b in briefings if now.start <= b.date <= now.end), key=lambda b: (b.date, b.slug))
    )
    return Measures(
        period=now.period,
        previous_period=before.period if before else None,
        actions_total=len(now.actions),
        actions_previous=len(before.actions) if before else None,
        departments_acting=_distinct(now.actions, "department"),
        countries_acted_in=_distinct(now.actions, "country"),
        top_tool=top_tool,
        top_tool_count=top_count,
        funding_total=_funding_total(now),
        funding_previous=_funding_total(before) if before else None,
        transitional_justice_total=_transitional_justice(now),
        transitional_justice_previous=_transitional_justice(before) if before else None,
        funds_used=_distinct(now.funding, "fund"),
        watch_list_total=len(now.watch),
        watch_list_previous=len(before.watch) if before else None,
        added_to_watch_list=tuple(sorted(c.country for c in changes if "added" in c.kinds)),
        removed_from_watch_list=tuple(sorted(c.country for c in changes if "removed" in c.kinds)),
        watch_list_changes=changes,
        staff_trained=_staff_trained(now),
        staff_trained_previous=_staff_trained(before) if before else None,
        courses=len(now.training),
        aia_triggers=int(_in_period(now, "trigger_date").sum()),
        aia_started=int(_in_period(now, "started").sum()),
        aia_not_started=_not_started(now),
        aia_open=_open_at_end(now),
        aia_completed=len(completed),
        aia_completed_previous=len(_completed(before)) if before else None,
        aia_median_days=float(taken.median()) if len(taken) else None,
        aia_within_target=int((taken <= now.target_days).sum()) if len(taken) else 0,
        aia_target_days=now.target_days,
        overdue=_overdue(now),
        briefings=in_period_briefings,
        requests_answered=tuple(dict.fromkeys(a for b in in_period_briefings for a in b.answers)),
    )


def _distinct(frame: pd.DataFrame, column: str) -> int:
    return int(frame[column].nunique()) if not frame.empty else 0


def _tool_totals(actions: pd.DataFrame) -> list[tuple[str, int]]:
    """Actions per toolkit tool used, in the toolkit's order."""
    totals = actions.groupby("tool").size()
    return [(t, int(totals[t])) for t in vocabularies()["tools"].labels if t in totals.index]


def _top_tool(actions: pd.DataFrame) -> tuple[str, int]:
    if actions.empty:
        return "", 0
    tool, most = max(_tool_totals(actions), key=lambda item: item[1])  # the first in the toolkit's order on a tie
    return vocabularies()["tools"].label(tool), most


def _funding_total(data: PeriodData) -> int:
    return int(data.funding["amount_gbp"].sum()) if not data.funding.empty else 0


def _by_purpose(funding: pd.DataFrame) -> pd.Series:
    return funding.groupby("purpose")["amount"].sum() if not funding.empty else pd.Series(dtype=int)


def _staff_trained(data: PeriodData) -> int:
    return int(data.training["staff_trained"].sum()) if not data.training.empty else 0


def _in_period(data: PeriodData, column: str) -> pd.Series:
    if data.aia.empty:
        return pd.Series(dtype=bool)
    return data.aia[column].map(lambda d: d is not None and data.start <= d <= data.end)


def _completed(data: PeriodData) -> pd.DataFrame:
    """The assessments completed within the period, in the order they were written."""
    return data.aia[_in_period(data, "completed")] if not data.aia.empty else data.aia


def _days_taken(done: pd.DataFrame) -> pd.Series:
    if done.empty:
        return pd.Series(dtype=int)
    return done["completed"].map(dt.date.toordinal) - done["trigger_date"].map(dt.date.toordinal)


def _overdue(data: PeriodData) -> tuple[Overdue, ...]:
    """Assessments still open at the end of the period more than the target's days after their trigger."""
    if data.aia.empty:
        return ()
    aia, end = data.aia, data.end
    open_at_end = aia[
        aia["completed"].map(lambda d: d is None or d > end) & aia["trigger_date"].map(lambda d: d <= end)
    ]
    return tuple(
        Overdue(country_name(row.country), row.trigger_type, row.trigger_date, (end - row.trigger_date).days)
        for row in open_at_end.itertuples()
        if (end - row.trigger_date).days > data.target_days
    )


def _transitional_justice(data: PeriodData) -> int:
    return int(_by_purpose(data.funding).get("transitional-justice", 0))


def _triggered_by_end(data: PeriodData) -> pd.DataFrame:
    if data.aia.empty:
        return data.aia
    return data.aia[data.aia["trigger_date"].map(lambda d: d <= data.end)]


def _not_started(data: PeriodData) -> int:
    triggered = _triggered_by_end(data)
    return 0 if triggered.empty else int(triggered["started"].map(lambda d: d is None or d > data.end).sum())


def _open_at_end(data: PeriodData) -> int:
    triggered = _triggered_by_end(data)
    return 0 if triggered.empty else int(triggered["completed"].map(lambda d: d is None or d > data.end).sum())


def watch_list_changes(before: PeriodData, now: PeriodData) -> tuple[WatchChange, ...]:
    """Each country added to, removed from, moved up or down, or given another region on the watch list,
    by name. Nothing when either period has no public watch list: a missing list is not an empty one."""
    if before.watch.empty or now.watch.empty:
        return ()
    rank = {level: i for i, level in enumerate(vocabularies()["risk_levels"].labels)}  # 0 is the highest risk
    old, new = _entries(before.watch), _entries(now.watch)
    changes = []
    for code in sorted(old.keys() | new.keys(), key=country_name):
        was, is_ = old.get(code), new.get(code)
        if was is None or is_ is None:
            kinds: tuple[str, ...] = ("added",) if was is None else ("removed",)
        else:
            kinds = tuple(
                kind
                for kind, happened in (
                    ("moved up", rank[is_[0]] < rank[was[0]]),
                    ("moved down", rank[is_[0]] > rank[was[0]]),
                    ("region changed", is_[1] != was[1]),
                )
                if happened
            )
        if kinds:
            changes.append(WatchChange(country_name(code), kinds, _entry_text(was), _entry_text(is_)))
    return tuple(changes)


def _entries(watch: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """country -> (risk level, region); a country listed twice keeps its highest-risk row."""
    entries: dict[str, tuple[str, str]] = {}
    for row in _by_risk(watch).itertuples():
        entries.setdefault(row.country, (row.risk_level, row.region))
    return entries


def _entry_text(entry: tuple[str, str] | None) -> str:
    if entry is None:
        return ""
    level = vocabularies()["risk_levels"].label(entry[0])
    return f"{level} ({entry[1]})" if entry[1] else level


# --- the tables, each built by name from the period's rows and measures ---------------------------


def actions_by_department_tool(data: PeriodData, m: Measures) -> Table | None:
    # department x tool as a long table (one row per pair used): twelve tools by ten departments
    # would not fit an A4 page, and a long table copies cleanly into a spreadsheet.
    actions, tools = data.actions, vocabularies()["tools"]
    if actions.empty:
        return None
    grid = pd.crosstab(actions["department"], actions["tool"])
    departments = sorted(grid.index, key=lambda d: (-int(grid.loc[d].sum()), d))
    ordered_tools = [t for t in tools.labels if t in grid.columns]
    pairs = [(d, tools.label(t), count(grid.loc[d, t])) for d in departments for t in ordered_tools if grid.loc[d, t]]
    return Table(
        "actions-by-department-tool",
        "Actions by department and toolkit tool",
        ("Department", "Toolkit tool", "Actions"),
        tuple(pairs) + (("Total", "", count(len(actions))),),
        (False, False, True),
    )


def actions_by_tool(data: PeriodData, m: Measures) -> Table | None:
    if data.actions.empty:
        return None
    tools = vocabularies()["tools"]
    return Table(
        "actions-by-tool",
        "Actions by toolkit tool",
        ("Toolkit tool", "Actions"),
        tuple((tools.label(t), count(n)) for t, n in _tool_totals(data.actions))
        + (("Total", count(len(data.actions))),),
        (False, True),
    )


def actions_by_recommendation(data: PeriodData, m: Measures) -> Table | None:
    if data.actions.empty:
        return None
    recommendations = vocabularies()["recommendations"]
    by_rec = data.actions.groupby("recommendation").size()
    return Table(
        "actions-by-recommendation",
        "Actions by the recommendation they serve",
        ("Recommendation", "Actions"),
        tuple((f"{r}: {recommendations.label(r)}", count(by_rec.get(r, 0))) for r in recommendations.labels)
        + (("Total", count(len(data.actions))),),
        (False, True),
    )


def actions_by_country(data: PeriodData, m: Measures) -> Table | None:
    if data.actions.empty:
        return None
    by_country = data.actions.groupby("country").size().sort_values(ascending=False, kind="stable")
    return Table(
        "actions-by-country",
        "Actions by country",
        ("Country", "Actions"),
        tuple((country_name(c), count(n)) for c, n in by_country.items()) + (("Total", count(len(data.actions))),),
        (False, True),
    )


def _by_fund(funding: pd.DataFrame) -> pd.Series:
    return funding.groupby("fund")["amount"].sum().sort_values(ascending=False, kind="stable")


def funding_by_fund(data: PeriodData, m: Measures) -> Table | None:
    if data.funding.empty:
        return None
    by_fund = _by_fund(data.funding)
    percentages = shares([int(v) for v in by_fund])
    return Table(
        "funding-by-fund",
        "Funding spent by fund",
        ("Fund", "Amount", "Share"),
        tuple((fund, money(v), f"{p}%") for (fund, v), p in zip(by_fund.items(), percentages, strict=True))
        + (("Total", money(m.funding_total), f"{sum(percentages)}%"),),
        (False, True, True),
    )


def funding_by_country(data: PeriodData, m: Measures) -> Table | None:
    if data.funding.empty:
        return None
    by_country = data.funding.groupby("country")["amount"].sum().sort_values(ascending=False, kind="stable")
    return Table(
        "funding-by-country",
        "Funding spent by country",
        ("Country", "Amount"),
        tuple((country_name(c), money(v)) for c, v in by_country.items()) + (("Total", money(m.funding_total)),),
        (False, True),
    )


def funding_by_purpose(data: PeriodData, m: Measures) -> Table | None:
    if data.funding.empty:
        return None
    purposes, by_purpose = vocabularies()["funding_purposes"], _by_purpose(data.funding)
    return Table(
        "funding-by-purpose",
        "Funding spent by purpose",
        ("Purpose", "Amount"),
        tuple((purposes.label(p), money(by_purpose[p])) for p in purposes.labels if p in by_purpose.index)
        + (("Total", money(m.funding_total)),),
        (False, True),
    )


def aia_register(data: PeriodData, m: Measures) -> Table | None:
    """Every assessment triggered by the end of the period: trigger to completion."""
    if data.aia.empty:
        return None
    end, triggers = data.end, vocabularies()["aia_triggers"]
    register = data.aia[data.aia["trigger_date"].map(lambda d: d <= end)].sort_values("trigger_date", kind="stable")
    return Table(
        "aia-register",
        "Atrocity Impact Assessments: trigger to completion",
        ("Country", "Trigger", "Trigger date", "Started", "Completed", "Days to complete"),
        tuple(
            (
                country_name(r.country),
                triggers.label(r.trigger_type),
                r.trigger_date.isoformat(),
                r.started.isoformat() if r.started else "not started",
                r.completed.isoformat() if r.completed and r.completed <= end else "open",
                count((r.completed - r.trigger_date).days) if r.completed and r.completed <= end else "–",
            )
            for r in register.itertuples()
        ),
        (False, False, False, False, False, True),
    )


def aia_overdue(data: PeriodData, m: Measures) -> Table | None:
    if not m.overdue:
        return None
    return Table(
        "aia-overdue",
        f"Assessments open more than {m.aia_target_days} days after their trigger at the end of the period",
        ("Country", "Trigger date", "Days since trigger"),
        tuple((o.country, o.trigger_date.isoformat(), count(o.days_open)) for o in m.overdue),
        (False, False, True),
    )


def _place(code: str, region: str) -> str:
    return f"{country_name(code)} ({region})" if region else country_name(code)


def _by_risk(watch: pd.DataFrame) -> pd.DataFrame:
    """The watch list, highest risk first, then by country code."""
    rank = {level: i for i, level in enumerate(vocabularies()["risk_levels"].labels)}
    return watch.assign(rank=watch["risk_level"].map(rank)).sort_values(["rank", "country"], kind="stable")


def watch_list(data: PeriodData, m: Measures) -> Table | None:
    if data.watch.empty:
        return None
    levels = vocabularies()["risk_levels"]
    return Table(
        "watch-list",
        "Countries and regions at risk",
        ("Country or region", "Risk level", "Groups at risk"),
        tuple(
            (_place(r.country, r.region), levels.label(r.risk_level), r.at_risk_groups)
            for r in _by_risk(data.watch).itertuples()
        ),
        (False, False, False),
    )


def watch_list_full(data: PeriodData, m: Measures) -> Table | None:
    if data.watch.empty:
        return None
    levels = vocabularies()["risk_levels"]
    return Table(
        "watch-list-full",
        "Countries and regions at risk: factors and likely scenarios",
        ("Country or region", "Risk level", "Risk factors", "Groups at risk", "Likely scenarios"),
        tuple(
            (
                _place(r.country, r.region),
                levels.label(r.risk_level),
                r.risk_factors,
                r.at_risk_groups,
                r.likely_scenarios,
            )
            for r in _by_risk(data.watch).itertuples()
        ),
        (False,) * 5,
    )


def watch_list_changes_table(data: PeriodData, m: Measures) -> Table | None:
    if not m.watch_list_changes or m.previous_period is None:
        return None
    return Table(
        "watch-list-changes",
        f"Changes to the watch list since {m.previous_period}",
        ("Country", "Change", m.previous_period, m.period),
        tuple(
            (c.country, "; ".join(c.kinds).capitalize(), c.before or "not listed", c.after or "not listed")
            for c in m.watch_list_changes
        ),
        (False,) * 4,
    )


def training_by_department(data: PeriodData, m: Measures) -> Table | None:
    training = data.training
    if training.empty:
        return None
    by_department = training.groupby("department").agg(courses=("course", "size"), staff=("staff_trained", "sum"))
    by_department = by_department.sort_values("staff", ascending=False, kind="stable")
    return Table(
        "training-by-department",
        "Staff trained by department",
        ("Department", "Courses", "Staff trained"),
        tuple((d, count(r.courses), count(r.staff)) for d, r in by_department.iterrows())
        + (("Total", count(len(training)), count(m.staff_trained)),),
        (False, True, True),
    )


def training_courses(data: PeriodData, m: Measures) -> Table | None:
    if data.training.empty:
        return None
    return Table(
        "training-courses",
        "Courses delivered",
        ("Department", "Course", "Staff trained", "From", "To"),
        tuple(
            (r.department, r.course, count(r.staff_trained), r.start_date.isoformat(), r.end_date.isoformat())
            for r in data.training.itertuples()
        )
        + (("Total", "", count(m.staff_trained), "", ""),),
        (False, False, True, False, False),
    )


def recommendations(data: PeriodData, m: Measures) -> Table | None:
    """Progress on recommendations I to VI."""
    if data.recommendations.empty:
        return None
    statuses, names = vocabularies()["recommendation_statuses"], vocabularies()["recommendations"]
    return Table(
        "recommendations",
        "Status of recommendations I to VI",
        ("Recommendation", "Status", "Evidence", "Next step"),
        tuple(
            (f"{r.recommendation}: {names.label(r.recommendation)}", statuses.label(r.status), r.evidence, r.next_step)
            for r in data.recommendations.itertuples()
        ),
        (False,) * 4,
    )


def actions_all(data: PeriodData, m: Measures) -> Table | None:
    """Annex A: every public action."""
    if data.actions.empty:
        return None
    tools = vocabularies()["tools"]
    return Table(
        "actions-all",
        "Actions taken in the period",
        ("Date", "Department", "Country", "Tool", "Recommendation", "Description"),
        tuple(
            (
                r.date.isoformat(),
                r.department,
                country_name(r.country),
                tools.label(r.tool),
                r.recommendation,
                r.description,
            )
            for r in data.actions.sort_values("date", kind="stable").itertuples()
        ),
        (False,) * 6,
    )


def funding_all(data: PeriodData, m: Measures) -> Table | None:
    if data.funding.empty:
        return None
    purposes = vocabularies()["funding_purposes"]
    return Table(
        "funding-all",
        "Funding spent in the period",
        ("Fund", "Country", "Purpose", "Amount"),
        tuple(
            (r.fund, country_name(r.country), purposes.label(r.purpose), money(r.amount))
            for r in data.funding.itertuples()
        )
        + (("Total", "", "", money(m.funding_total)),),
        (False, False, False, True),
    )


def key_figures(data: PeriodData, m: Measures) -> Table:
    """The headline measures, with the change against the previous period where there is one."""
    rows = [
        ("Actions taken", m.actions_total, m.actions_previous, False),
        ("Funding spent", m.funding_total, m.funding_previous, True),
        ("of which transitional justice", m.transitional_justice_total, m.transitional_justice_previous, True),
        ("Atrocity Impact Assessments completed", m.aia_completed, m.aia_completed_previous, False),
        ("Staff trained", m.staff_trained, m.staff_trained_previous, False),
        ("Countries and regions on the watch list", m.watch_list_total, m.watch_list_previous, False),
    ]

    def cell(value: int | None, as_money: bool) -> str:
        if value is None:
            return "–"
        return money(value) if as_money else count(value)

    header = ("Measure", m.period) + ((m.previous_period, "Change") if m.previous_period else ())
    body = []
    for name, now, before, as_money in rows:
        row = (name, cell(now, as_money))
        if m.previous_period:
            row += (cell(before, as_money), change(now, before, as_money=as_money) if before is not None else "–")
        body.append(row)
    return Table("key-figures", "Key figures", header, tuple(body), (False,) + (True,) * (len(header) - 1))


# In this order in Figures.tables; the renderers pick them by key (report/document.py).
TABLE_BUILDERS: tuple[Callable[[PeriodData, Measures], Table | None], ...] = (
    actions_by_department_tool,
    actions_by_tool,
    actions_by_recommendation,
    actions_by_country,
    funding_by_fund,
    funding_by_country,
    funding_by_purpose,
    aia_register,
    aia_overdue,
    watch_list,
    watch_list_full,
    watch_list_changes_table,
    training_by_department,
    training_courses,
    recommendations,
    actions_all,
    funding_all,
    key_figures,
)


# --- the data behind each chart: (label, value) in display order ----------------------------------


def _actions_by_tool_chart(data: PeriodData) -> list[tuple[str, float]]:
    if data.actions.empty:
        return []
    return [(vocabularies()["tools"].label(t), n) for t, n in _tool_totals(data.actions)]


def _funding_by_fund_chart(data: PeriodData) -> list[tuple[str, float]]:
    return [] if data.funding.empty else [(str(f), int(v)) for f, v in _by_fund(data.funding).items()]


def _aia_days_chart(data: PeriodData) -> list[tuple[str, float]]:
    return [
        (f"{country_name(r.country)} ({r.trigger_date.isoformat()})", (r.completed - r.trigger_date).days)
        for r in _completed(data).itertuples()
    ]


CHART_BUILDERS: dict[str, Callable[[PeriodData], list[tuple[str, float]]]] = {
    "actions-by-tool": _actions_by_tool_chart,
    "funding-by-fund": _funding_by_fund_chart,
    "aia-days": _aia_days_chart,
}
