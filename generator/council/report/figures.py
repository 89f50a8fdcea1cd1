"""Every figure in the report, computed with pandas from the period's CSV data: never typed by hand.

Only rows marked OFFICIAL count towards the published figures; rows above OFFICIAL are shown in the
classified annex alone, so no published total can reveal them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from decimal import Decimal

import pandas as pd

from council.model import Briefing
from council.sources.reports import PUBLIC_MARKING, Report
from council.vocabularies import country, vocabularies

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
class Overdue:
    country: str
    trigger: str
    trigger_date: dt.date
    days_open: int


@dataclass(frozen=True)
class Figures:
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
    funds_used: int
    # (E) watch list
    watch_list_total: int
    watch_list_previous: int | None
    added_to_watch_list: tuple[str, ...]
    removed_from_watch_list: tuple[str, ...]
    # (F) training
    staff_trained: int
    staff_trained_previous: int | None
    courses: int
    # AIAs
    aia_triggers: int
    aia_started: int
    aia_completed: int
    aia_completed_previous: int | None
    aia_median_days: float | None
    aia_within_target: int
    aia_target_days: int
    overdue: tuple[Overdue, ...]
    # the Research Council
    briefings: tuple[Briefing, ...]
    requests_answered: tuple[str, ...]
    tables: dict[str, Table]
    chart_data: dict[str, list[tuple[str, float]]]  # chart key -> (label, value) in display order

    def as_dict(self) -> dict:
        return asdict(self)


def public(rows: tuple) -> pd.DataFrame:
    frame = pd.DataFrame([asdict(r) for r in rows])
    if frame.empty:
        return frame
    return frame[frame["classification"] == PUBLIC_MARKING].reset_index(drop=True)


def compute(report: Report, briefings: list[Briefing]) -> Figures:
    meta = report.meta
    actions = public(report.actions)
    funding = public(report.funding)
    training = public(report.training)
    aia = public(report.impact_assessments)
    watch = public(report.countries_at_risk)
    previous = report.previous
    prev_actions = public(previous.actions) if previous else None
    prev_funding = public(previous.funding) if previous else None
    prev_training = public(previous.training) if previous else None
    prev_watch = public(previous.countries_at_risk) if previous else None

    tables: dict[str, Table] = {}
    charts: dict[str, list[tuple[str, float]]] = {}

    # (A) actions by toolkit tool x department
    tools = vocabularies()["tools"]
    top_tool, top_count = "", 0
    if not actions.empty:
        # department x tool as a long table (one row per pair used): twelve tools by ten departments
        # would not fit an A4 page, and a long table copies cleanly into a spreadsheet.
        grid = pd.crosstab(actions["department"], actions["tool"])
        departments = sorted(grid.index, key=lambda d: (-int(grid.loc[d].sum()), d))
        ordered_tools = [t for t in tools.labels if t in grid.columns]
        pairs = [(d, tools.label(t), count(grid.loc[d, t])) for d in departments for t in ordered_tools
                 if grid.loc[d, t]]
        tables["actions-by-department-tool"] = Table(
            "actions-by-department-tool", "Actions by department and toolkit tool",
            ("Department", "Toolkit tool", "Actions"),
            tuple(pairs) + (("Total", "", count(len(actions))),), (False, False, True))
        totals = grid.sum(axis=0)
        tables["actions-by-tool"] = Table(
            "actions-by-tool", "Actions by toolkit tool", ("Toolkit tool", "Actions"),
            tuple((tools.label(t), count(totals[t])) for t in ordered_tools) + (("Total", count(len(actions))),),
            (False, True))
        by_tool = totals[ordered_tools].sort_values(ascending=False, kind="stable")
        top_tool, top_count = tools.label(str(by_tool.index[0])), int(by_tool.iloc[0])
        charts["actions-by-tool"] = [(tools.label(t), int(totals[t])) for t in ordered_tools]
        by_rec = actions.groupby("recommendation").size()
        tables["actions-by-recommendation"] = Table(
            "actions-by-recommendation", "Actions by the recommendation they serve", ("Recommendation", "Actions"),
            tuple((f"{r}: {vocabularies()['recommendations'].label(r)}", count(by_rec.get(r, 0)))
                  for r in vocabularies()["recommendations"].labels), (False, True))
        by_country = actions.groupby("country").size().sort_values(ascending=False, kind="stable")
        tables["actions-by-country"] = Table(
            "actions-by-country", "Actions by country", ("Country", "Actions"),
            tuple((country_name(c), count(n)) for c, n in by_country.items()), (False, True))

    # (C) funding by fund and by country
    funding_total = int(funding["amount_gbp"].sum()) if not funding.empty else 0
    tj_total = 0
    if not funding.empty:
        funding = funding.assign(amount=funding["amount_gbp"].map(int))
        by_fund = funding.groupby("fund")["amount"].sum().sort_values(ascending=False, kind="stable")
        tables["funding-by-fund"] = Table(
            "funding-by-fund", "Funding spent by fund", ("Fund", "Amount", "Share"),
            tuple((fund, money(v), f"{100 * v / funding_total:.0f}%") for fund, v in by_fund.items())
            + (("Total", money(funding_total), "100%"),), (False, True, True))
        charts["funding-by-fund"] = [(str(f), int(v)) for f, v in by_fund.items()]
        by_country = funding.groupby("country")["amount"].sum().sort_values(ascending=False, kind="stable")
        tables["funding-by-country"] = Table(
            "funding-by-country", "Funding spent by country", ("Country", "Amount"),
            tuple((country_name(c), money(v)) for c, v in by_country.items()) + (("Total", money(funding_total)),),
            (False, True))
        purposes = vocabularies()["funding_purposes"]
        by_purpose = funding.groupby("purpose")["amount"].sum()
        tables["funding-by-purpose"] = Table(
            "funding-by-purpose", "Funding spent by purpose", ("Purpose", "Amount"),
            tuple((purposes.label(p), money(by_purpose[p])) for p in purposes.labels if p in by_purpose.index),
            (False, True))
        tj_total = int(by_purpose.get("transitional-justice", 0))

    # Atrocity Impact Assessments: timeliness against the target
    start, end, target = meta.period_start, meta.period_end, meta.aia_target_days
    overdue: list[Overdue] = []
    median = None
    triggers = started = completed = within = 0
    if not aia.empty:
        def in_period(column: str) -> pd.Series:
            return aia[column].map(lambda d: d is not None and start <= d <= end)
        triggers, started = int(in_period("trigger_date").sum()), int(in_period("started").sum())
        done = aia[in_period("completed")]
        completed = len(done)
        taken = (done["completed"].map(dt.date.toordinal) - done["trigger_date"].map(dt.date.toordinal))
        if completed:
            median = float(taken.median())
            within = int((taken <= target).sum())
        open_at_end = aia[aia["completed"].map(lambda d: d is None or d > end)
                          & aia["trigger_date"].map(lambda d: d <= end)]
        for row in open_at_end.itertuples():
            age = (end - row.trigger_date).days
            if age > target:
                overdue.append(Overdue(country_name(row.country), row.trigger_type, row.trigger_date, age))
        triggers_vocab = vocabularies()["aia_triggers"]
        register = aia[aia["trigger_date"].map(lambda d: d <= end)].sort_values("trigger_date", kind="stable")
        tables["aia-register"] = Table(
            "aia-register", "Atrocity Impact Assessments: trigger to completion",
            ("Country", "Trigger", "Trigger date", "Started", "Completed", "Days to complete"),
            tuple((country_name(r.country), triggers_vocab.label(r.trigger_type), r.trigger_date.isoformat(),
                   r.started.isoformat() if r.started else "not started",
                   r.completed.isoformat() if r.completed and r.completed <= end else "open",
                   count((r.completed - r.trigger_date).days) if r.completed and r.completed <= end else "–")
                  for r in register.itertuples()), (False, False, False, False, False, True))
        charts["aia-days"] = [(f"{country_name(r.country)} ({r.trigger_date.isoformat()})",
                               (r.completed - r.trigger_date).days) for r in done.itertuples()]
    if overdue:
        tables["aia-overdue"] = Table(
            "aia-overdue", f"Assessments open more than {target} days after their trigger at the end of the period",
            ("Country", "Trigger date", "Days since trigger"),
            tuple((o.country, o.trigger_date.isoformat(), count(o.days_open)) for o in overdue), (False, False, True))

    # (E) the watch list
    levels = vocabularies()["risk_levels"]
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    if not watch.empty:
        rank = {level: i for i, level in enumerate(levels.labels)}
        ordered = watch.assign(rank=watch["risk_level"].map(rank)).sort_values(["rank", "country"], kind="stable")
        tables["watch-list"] = Table(
            "watch-list", "Countries and regions at risk", ("Country or region", "Risk level", "Groups at risk"),
            tuple((_place(r.country, r.region), levels.label(r.risk_level), r.at_risk_groups)
                  for r in ordered.itertuples()), (False, False, False))
        tables["watch-list-full"] = Table(
            "watch-list-full", "Countries and regions at risk: factors and likely scenarios",
            ("Country or region", "Risk level", "Risk factors", "Groups at risk", "Likely scenarios"),
            tuple((_place(r.country, r.region), levels.label(r.risk_level), r.risk_factors, r.at_risk_groups,
                   r.likely_scenarios) for r in ordered.itertuples()), (False,) * 5)
        if prev_watch is not None and not prev_watch.empty:
            before, now = set(prev_watch["country"]), set(watch["country"])
            added = tuple(sorted(country_name(c) for c in now - before))
            removed = tuple(sorted(country_name(c) for c in before - now))

    # (F) training
    staff = int(training["staff_trained"].sum()) if not training.empty else 0
    if not training.empty:
        by_department = training.groupby("department").agg(courses=("course", "size"), staff=("staff_trained", "sum"))
        by_department = by_department.sort_values("staff", ascending=False, kind="stable")
        tables["training-by-department"] = Table(
            "training-by-department", "Staff trained by department", ("Department", "Courses", "Staff trained"),
            tuple((d, count(r.courses), count(r.staff)) for d, r in by_department.iterrows())
            + (("Total", count(len(training)), count(staff)),), (False, True, True))
        tables["training-courses"] = Table(
            "training-courses", "Courses delivered", ("Department", "Course", "Staff trained", "From", "To"),
            tuple((r.department, r.course, count(r.staff_trained), r.start_date.isoformat(), r.end_date.isoformat())
                  for r in training.itertuples()), (False, False, True, False, False))

    # Progress on recommendations I to VI
    statuses = vocabularies()["recommendation_statuses"]
    recs = public(report.recommendations)
    if not recs.empty:
        tables["recommendations"] = Table(
            "recommendations", "Status of recommendations I to VI", ("Recommendation", "Status", "Evidence", "Next step"),
            tuple((f"{r.recommendation}: {vocabularies()['recommendations'].label(r.recommendation)}",
                   statuses.label(r.status), r.evidence, r.next_step) for r in recs.itertuples()), (False,) * 4)

    # Annex A: every public action
    if not actions.empty:
        tables["actions-all"] = Table(
            "actions-all", "Actions taken in the period",
            ("Date", "Department", "Country", "Tool", "Rec.", "Description"),
            tuple((r.date.isoformat(), r.department, country_name(r.country), tools.label(r.tool), r.recommendation,
                   r.description) for r in actions.sort_values("date", kind="stable").itertuples()), (False,) * 6)
    if not funding.empty:
        purposes = vocabularies()["funding_purposes"]
        tables["funding-all"] = Table(
            "funding-all", "Funding spent in the period", ("Fund", "Country", "Purpose", "Amount"),
            tuple((r.fund, country_name(r.country), purposes.label(r.purpose), money(r.amount))
                  for r in funding.itertuples()), (False, False, False, True))

    in_period_briefings = tuple(sorted((b for b in briefings if start <= b.date <= end), key=lambda b: (b.date, b.slug)))
    answered = tuple(dict.fromkeys(a for b in in_period_briefings for a in b.answers))

    figures = Figures(
        period=report.period, previous_period=previous.period if previous else None,
        actions_total=len(actions), actions_previous=len(prev_actions) if prev_actions is not None else None,
        departments_acting=int(actions["department"].nunique()) if not actions.empty else 0,
        countries_acted_in=int(actions["country"].nunique()) if not actions.empty else 0,
        top_tool=top_tool, top_tool_count=top_count,
        funding_total=funding_total,
        funding_previous=(int(prev_funding["amount_gbp"].sum()) if prev_funding is not None and not prev_funding.empty
                          else (0 if prev_funding is not None else None)),
        transitional_justice_total=tj_total,
        funds_used=int(funding["fund"].nunique()) if not funding.empty else 0,
        watch_list_total=len(watch), watch_list_previous=len(prev_watch) if prev_watch is not None else None,
        added_to_watch_list=added, removed_from_watch_list=removed,
        staff_trained=staff,
        staff_trained_previous=(int(prev_training["staff_trained"].sum()) if prev_training is not None
                                and not prev_training.empty else (0 if prev_training is not None else None)),
        courses=len(training),
        aia_triggers=triggers, aia_started=started, aia_completed=completed,
        aia_completed_previous=_completed_in(previous) if previous else None,
        aia_median_days=median, aia_within_target=within, aia_target_days=target, overdue=tuple(overdue),
        briefings=in_period_briefings, requests_answered=answered, tables=tables, chart_data=charts,
    )
    tables["key-figures"] = key_figures(figures)
    return figures


def _place(code: str, region: str) -> str:
    return f"{country_name(code)} ({region})" if region else country_name(code)


def _completed_in(report: Report) -> int:
    aia = public(report.impact_assessments)
    if aia.empty:
        return 0
    start, end = report.meta.period_start, report.meta.period_end
    return int(aia["completed"].map(lambda d: d is not None and start <= d <= end).sum())


def key_figures(f: Figures) -> Table:
    """The headline measures, with the change against the previous period where there is one."""
    rows = [
        ("Actions taken", f.actions_total, f.actions_previous, False),
        ("Funding spent", f.funding_total, f.funding_previous, True),
        ("of which transitional justice", f.transitional_justice_total, None, True),
        ("Atrocity Impact Assessments completed", f.aia_completed, f.aia_completed_previous, False),
        ("Staff trained", f.staff_trained, f.staff_trained_previous, False),
        ("Countries and regions on the watch list", f.watch_list_total, f.watch_list_previous, False),
    ]
    def cell(value: int | None, as_money: bool) -> str:
        if value is None:
            return "–"
        return money(value) if as_money else count(value)

    header = ("Measure", f.period) + ((f.previous_period, "Change") if f.previous_period else ())
    body = []
    for name, now, before, as_money in rows:
        row = (name, cell(now, as_money))
        if f.previous_period:
            row += (cell(before, as_money), change(now, before, as_money=as_money) if before is not None else "–")
        body.append(row)
    return Table("key-figures", "Key figures", header, tuple(body), (False,) + (True,) * (len(header) - 1))
