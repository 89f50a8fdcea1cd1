"""Figures the narrative can quote. An author writes `[]{.figure key=aia.triggers}` (pandoc's attribute
syntax, never a template language) and the report shows the value computed from the data, in every
format, so the text and the tables cannot disagree.

Each figure has a key, what it counts, the value and its text as printed, and the nouns a hand-written
number about the same thing would be followed by ("6 triggers"): report/narrative_check.py uses them
to find numbers the data contradicts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from council.base.errors import Location, SourceError
from council.base.vocabularies import nearest
from council.render.templating import pandoc_markdown
from council.report.figures import Figures, count, days, money
from council.sources.report_sections import FIGURE
from council.sources.reports import Report

Value = int | float | None


@dataclass(frozen=True)
class FigureSpec:
    key: str
    description: str
    kind: str  # count, money, days or names
    read: Callable[[Figures], object]
    nouns: tuple[str, ...] = ()  # what a number quoting it is followed by, lower case


@dataclass(frozen=True)
class Quotable:
    key: str
    description: str
    kind: str
    value: Value  # None for names, or a measure with no value (no previous period)
    text: str  # as printed in the report
    nouns: tuple[str, ...]


def _names(names: tuple[str, ...]) -> str:
    """'Haiti', 'Haiti and Nigeria', 'Burkina Faso, Haiti and Nigeria'; 'none' when empty."""
    if not names:
        return "none"
    names = tuple("the " + n.removeprefix("The ") if n.startswith("The ") else n for n in names)  # mid-sentence
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _spec(key: str, description: str, kind: str, read: Callable[[Figures], object], *nouns: str) -> FigureSpec:
    return FigureSpec(key, description, kind, read, nouns)


_ADDED, _REMOVED = ("added", "new to the list", "joined"), ("removed", "left", "came off", "dropped")
_UP, _DOWN, _REGION = (
    ("moved up", "raised", "rose"),
    ("moved down", "lowered", "fell"),
    ("region changed", "regions changed"),
)

# Every figure an author may quote, by key. Previous-period figures share their nouns with the current
# ones: a number that matches either is true to the data.
CATALOGUE: tuple[FigureSpec, ...] = (
    _spec("actions.total", "actions recorded in the period", "count", lambda f: f.actions_total, "actions"),
    _spec(
        "actions.previous", "actions recorded in the previous period", "count", lambda f: f.actions_previous, "actions"
    ),
    _spec(
        "actions.departments",
        "departments that recorded an action",
        "count",
        lambda f: f.departments_acting,
        "departments",
    ),
    _spec(
        "actions.countries",
        "countries in which departments acted",
        "count",
        lambda f: f.countries_acted_in,
        "countries",
    ),
    _spec("actions.top_tool", "the toolkit tool used most often", "names", lambda f: (f.top_tool.lower(),)),
    _spec(
        "actions.top_tool_count",
        "actions that used the toolkit tool used most often",
        "count",
        lambda f: f.top_tool_count,
    ),
    _spec(
        "funding.total",
        "money spent on atrocity prevention in the period",
        "money",
        lambda f: f.funding_total,
        "on atrocity prevention",
        "in total",
        "altogether",
    ),
    _spec(
        "funding.previous",
        "money spent in the previous period",
        "money",
        lambda f: f.funding_previous,
        "on atrocity prevention",
        "in total",
        "altogether",
    ),
    _spec(
        "funding.transitional_justice",
        "money spent on transitional justice",
        "money",
        lambda f: f.transitional_justice_total,
        "transitional justice",
    ),
    _spec(
        "funding.transitional_justice_previous",
        "money spent on transitional justice in the previous period",
        "money",
        lambda f: f.transitional_justice_previous,
        "transitional justice",
    ),
    _spec("funding.funds", "funds the money came from", "count", lambda f: f.funds_used, "funds"),
    _spec(
        "watch.total",
        "countries and regions on the watch list at the end of the period",
        "count",
        lambda f: f.watch_list_total,
        "countries and regions",
        "on the watch list",
        "on the list",
    ),
    _spec(
        "watch.previous",
        "countries and regions on the previous period's watch list",
        "count",
        lambda f: f.watch_list_previous,
        "countries and regions",
        "on the watch list",
        "on the list",
    ),
    _spec(
        "watch.added",
        "countries added to the watch list since the previous period",
        "count",
        lambda f: len(f.changed("added")),
        *_ADDED,
    ),
    _spec("watch.added_names", "the countries added to the watch list", "names", lambda f: f.changed("added")),
    _spec(
        "watch.removed",
        "countries removed from the watch list",
        "count",
        lambda f: len(f.changed("removed")),
        *_REMOVED,
    ),
    _spec("watch.removed_names", "the countries removed from the watch list", "names", lambda f: f.changed("removed")),
    _spec("watch.moved_up", "countries whose risk level rose", "count", lambda f: len(f.changed("moved up")), *_UP),
    _spec("watch.moved_up_names", "the countries whose risk level rose", "names", lambda f: f.changed("moved up")),
    _spec(
        "watch.moved_down", "countries whose risk level fell", "count", lambda f: len(f.changed("moved down")), *_DOWN
    ),
    _spec("watch.moved_down_names", "the countries whose risk level fell", "names", lambda f: f.changed("moved down")),
    _spec(
        "watch.region_changed",
        "countries listed for another region than before",
        "count",
        lambda f: len(f.changed("region changed")),
        *_REGION,
    ),
    _spec(
        "watch.region_changed_names",
        "the countries listed for another region than before",
        "names",
        lambda f: f.changed("region changed"),
    ),
    _spec(
        "training.staff",
        "staff who completed atrocity prevention training",
        "count",
        lambda f: f.staff_trained,
        "staff",
        "officials",
        "people trained",
    ),
    _spec(
        "training.staff_previous",
        "staff trained in the previous period",
        "count",
        lambda f: f.staff_trained_previous,
        "staff",
        "officials",
        "people trained",
    ),
    _spec("training.courses", "courses delivered", "count", lambda f: f.courses, "courses"),
    _spec(
        "aia.triggers",
        "triggers for an Atrocity Impact Assessment received in the period",
        "count",
        lambda f: f.aia_triggers,
        "triggers",
        "formal triggers",
    ),
    _spec(
        "aia.started",
        "assessments started in the period",
        "count",
        lambda f: f.aia_started,
        "assessments started",
        "assessments were started",
        "started",
        "assessments began",
    ),
    _spec(
        "aia.not_started",
        "triggers with no assessment started by the end of the period",
        "count",
        lambda f: f.aia_not_started,
        "not started",
        "not yet started",
        "without an assessment",
    ),
    _spec(
        "aia.completed",
        "assessments completed in the period",
        "count",
        lambda f: f.aia_completed,
        "assessments completed",
        "assessments were completed",
        "completed",
        "finished",
    ),
    _spec(
        "aia.completed_previous",
        "assessments completed in the previous period",
        "count",
        lambda f: f.aia_completed_previous,
        "assessments completed",
        "assessments were completed",
        "completed",
        "finished",
    ),
    _spec(
        "aia.open",
        "assessments still open at the end of the period",
        "count",
        lambda f: f.aia_open,
        "open",
        "still open",
        "assessments open",
    ),
    _spec(
        "aia.overdue",
        "assessments open beyond the target at the end of the period",
        "count",
        lambda f: len(f.overdue),
        "overdue",
    ),
    _spec(
        "aia.within_target",
        "completed assessments that met the target",
        "count",
        lambda f: f.aia_within_target,
        "within the target",
        "within target",
        "on time",
        "met the target",
    ),
    _spec(
        "aia.target_days",
        "the days allowed from trigger to completed assessment",
        "count",
        lambda f: f.aia_target_days,
        "days",
        "-day",
    ),
    _spec(
        "aia.median_days",
        "the median days from trigger to completion",
        "days",
        lambda f: f.aia_median_days,
        "days",
        "-day",
    ),
    _spec(
        "briefings.published",
        "the Research Council's briefings published in the period",
        "count",
        lambda f: len(f.briefings),
        "briefings",
    ),
    _spec(
        "briefings.requests",
        "policymakers' requests those briefings answered",
        "count",
        lambda f: len(f.requests_answered),
        "requests",
    ),
)
KEYS = tuple(spec.key for spec in CATALOGUE)


def quotable(figures: Figures) -> dict[str, Quotable]:
    """Every figure by key, with its value for this period."""
    found = {}
    for spec in CATALOGUE:
        raw = spec.read(figures)
        if spec.kind == "names":
            value, text = None, _names(raw)  # type: ignore[arg-type]
        elif raw is None:
            value, text = None, "–"
        else:
            value = raw  # type: ignore[assignment]
            text = {"count": count, "money": money, "days": days}[spec.kind](raw)  # type: ignore[arg-type]
        found[spec.key] = Quotable(spec.key, spec.description, spec.kind, value, text, spec.nouns)
    return found


def quote(markdown: str, figures: dict[str, Quotable]) -> str:
    """The narrative with each figure reference filled in with its value, as literal text in a span that
    keeps its key (the site's HTML carries it as data-key). Unknown keys were refused before."""

    def filled(match: re.Match[str]) -> str:
        key = match.group(2)
        return f"[{pandoc_markdown(figures[key].text)}]{{.figure key={key}}}"

    return FIGURE.sub(filled, markdown)


def reference_problems(report: Report) -> list[SourceError]:
    """An error for every figure reference whose key is not in the catalogue, with the nearest key."""
    problems = []
    for narrative in report.narratives.values():
        for key, line, column in narrative.figures:
            if key in KEYS:
                continue
            guess = nearest(key, KEYS)
            problems.append(
                SourceError(
                    Location(narrative.path, line, column),
                    f"there is no figure '{key}'",
                    field="key",
                    hint=f"did you mean '{guess[0]}'?"
                    if guess
                    else "`council report --check` lists every figure with its value",
                )
            )
    return problems


def figure_listing(figures: dict[str, Quotable]) -> list[str]:
    """One line per figure: key, value as printed, what it counts (for `council report --check`)."""
    width = max(len(key) for key in figures)
    return [f"  {q.key:<{width}}  {q.text}  ({q.description})" for q in figures.values()]
