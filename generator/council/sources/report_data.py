"""The CSV data of a report to Parliament: one schema per file (its columns, how each cell is read and
checked, the row it becomes), and the reader that applies it.

Every problem names its file, the row's line (line 1 is the header) and the column. The schemas
below are the reference for reports/README.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from council.base.errors import Location, SourceError
from council.base.model import PUBLIC_MARKING
from council.base.vocabularies import country, country_complaint, nearest, vocabularies
from council.sources.text import folder_above, read_source_text

# --- one row of each file -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    line: int
    date: dt.date
    department: str
    country: str
    tool: str
    recommendation: str
    description: str
    classification: str = PUBLIC_MARKING


@dataclass(frozen=True)
class ImpactAssessment:
    line: int
    country: str
    trigger_type: str
    trigger_date: dt.date
    started: dt.date | None
    completed: dt.date | None
    outcome: str
    classification: str = PUBLIC_MARKING


@dataclass(frozen=True)
class Training:
    line: int
    department: str
    course: str
    staff_trained: int
    start_date: dt.date
    end_date: dt.date
    classification: str = PUBLIC_MARKING


@dataclass(frozen=True)
class Funding:
    line: int
    fund: str
    country: str
    purpose: str
    amount_gbp: Decimal
    classification: str = PUBLIC_MARKING


@dataclass(frozen=True)
class CountryAtRisk:
    line: int
    country: str
    region: str
    risk_level: str
    risk_factors: str
    at_risk_groups: str
    likely_scenarios: str
    classification: str = PUBLIC_MARKING


@dataclass(frozen=True)
class RecommendationStatus:
    line: int
    recommendation: str
    status: str
    evidence: str
    next_step: str
    classification: str = PUBLIC_MARKING


# --- reading cells ---------------------------------------------------------------------------------


class CellError(ValueError):
    """A bad value in one cell; the message says what is wrong, the hint what to do."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


Span = tuple[dt.date, dt.date] | None  # the reporting period (first day, last day), when report.yml gave one


def _text(value: str, span: Span) -> str:
    return value


def _date(value: str, span: Span) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CellError(f"'{value}' is not a date", "write dates as YYYY-MM-DD, e.g. 2025-10-14") from None


def _date_in_period(value: str, span: Span) -> dt.date:
    date = _date(value, span)
    if span is not None and not span[0] <= date <= span[1]:
        raise CellError(
            f"{date.isoformat()} is outside the reporting period ({span[0].isoformat()} to {span[1].isoformat()})",
            "record it in the report for the period it belongs to",
        )
    return date


def _vocabulary(name: str) -> Callable[[str, Span], str]:
    def check(value: str, span: Span) -> str:
        vocabulary = vocabularies()[name]
        if value not in vocabulary:
            raise CellError(vocabulary.complaint(value), "the known values are in generator/council/vocabularies.yml")
        return value

    return check


def _country(value: str, span: Span) -> str:
    found = country(value)
    if found is None or len(value) != 3:
        raise CellError(country_complaint(value))
    return found.code


def _count(value: str, span: Span) -> int:
    if not re.fullmatch(r"\d+", value):
        raise CellError(f"'{value}' is not a whole number of people", "write a count such as 12")
    return int(value)


def _amount(value: str, span: Span) -> Decimal:
    cleaned = value.replace(",", "").removeprefix("£")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise CellError(f"'{value}' is not an amount", "write pounds as a number, e.g. 250000") from None
    if amount < 0:
        raise CellError(f"the amount {value} is negative", "record money spent as a positive number of pounds")
    if amount != amount.to_integral_value():
        raise CellError(f"'{value}' has pence", "round amounts to whole pounds")
    return amount


def _marking(value: str, span: Span) -> str:
    return _vocabulary("classifications")(value or PUBLIC_MARKING, span)


@dataclass(frozen=True)
class Column:
    name: str
    parse: Callable[[str, Span], Any]
    required: bool = True
    description: str = ""


@dataclass(frozen=True)
class TableSchema:
    row_type: type
    field: str  # the Report's field that holds the rows
    columns: tuple[Column, ...]
    description: str

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


CLASSIFICATION = Column(
    "classification",
    _marking,
    required=False,
    description="optional: OFFICIAL (default) or OFFICIAL-SENSITIVE; rows above OFFICIAL go "
    "only into the classified annex",
)

TABLES: dict[str, TableSchema] = {
    "actions.csv": TableSchema(
        Action,
        "actions",
        (
            Column("date", _date_in_period, description="YYYY-MM-DD, inside the period"),
            Column("department", _vocabulary("departments"), description="a department id from the vocabulary"),
            Column("country", _country, description="ISO 3166-1 alpha-3 code, e.g. SDN"),
            Column("tool", _vocabulary("tools"), description="a toolkit tool id, e.g. targeted-sanctions"),
            Column("recommendation", _vocabulary("recommendations"), description="I to VI"),
            Column("description", _text, description="what was done, one sentence"),
            CLASSIFICATION,
        ),
        "Actions taken",
    ),
    "impact-assessments.csv": TableSchema(
        ImpactAssessment,
        "impact_assessments",
        (
            Column("country", _country, description="ISO 3166-1 alpha-3 code"),
            Column(
                "trigger_type",
                _vocabulary("aia_triggers"),
                description="judicial-finding, inquiry-finding or special-adviser-notification",
            ),
            Column("trigger_date", _date, description="YYYY-MM-DD; may fall before the period"),
            Column("started", _date, required=False, description="YYYY-MM-DD, or empty if not yet started"),
            Column("completed", _date, required=False, description="YYYY-MM-DD, or empty if still open"),
            Column(
                "outcome", _text, required=False, description="what the assessment concluded; needed once completed"
            ),
            CLASSIFICATION,
        ),
        "Atrocity Impact Assessments",
    ),
    "training.csv": TableSchema(
        Training,
        "training",
        (
            Column("department", _vocabulary("departments"), description="a department id"),
            Column("course", _text, description="the course's name"),
            Column("staff_trained", _count, description="whole number of staff who completed it"),
            Column("start_date", _date_in_period, description="YYYY-MM-DD"),
            Column("end_date", _date_in_period, description="YYYY-MM-DD, on or after start_date"),
            CLASSIFICATION,
        ),
        "Training delivered",
    ),
    "funding.csv": TableSchema(
        Funding,
        "funding",
        (
            Column("fund", _text, description="the fund or budget the money came from"),
            Column("country", _country, description="ISO 3166-1 alpha-3 code"),
            Column(
                "purpose",
                _vocabulary("funding_purposes"),
                description="a funding purpose id, e.g. transitional-justice",
            ),
            Column("amount_gbp", _amount, description="whole pounds spent in the period, not negative"),
            CLASSIFICATION,
        ),
        "Funding spent",
    ),
    "countries-at-risk.csv": TableSchema(
        CountryAtRisk,
        "countries_at_risk",
        (
            Column("country", _country, description="ISO 3166-1 alpha-3 code"),
            Column("region", _text, required=False, description="optional region, e.g. Sahel"),
            Column("risk_level", _vocabulary("risk_levels"), description="very-high, high, elevated or moderate"),
            Column("risk_factors", _text, description="specific risk factors; separate several with ';'"),
            Column("at_risk_groups", _text, description="groups at risk; separate several with ';'"),
            Column("likely_scenarios", _text, description="likely scenarios of atrocity crimes"),
            CLASSIFICATION,
        ),
        "Countries and regions at risk",
    ),
    "recommendations.csv": TableSchema(
        RecommendationStatus,
        "recommendations",
        (
            Column("recommendation", _vocabulary("recommendations"), description="I to VI, each once"),
            Column(
                "status",
                _vocabulary("recommendation_statuses"),
                description="not-started, in-progress, partly-implemented or implemented",
            ),
            Column("evidence", _text, description="what shows the status"),
            Column("next_step", _text, description="what happens next"),
            CLASSIFICATION,
        ),
        "Status of recommendations I to VI",
    ),
}


def load_table(path: Path, schema: TableSchema, span: Span, problems: list[SourceError]) -> list[Any]:
    if not path.is_file():
        problems.append(
            SourceError(
                Location(path),
                f"the data file {path.name} is missing",
                hint="columns: " + ", ".join(schema.names) + " (see reports/README.md)",
            )
        )
        return []
    try:
        text = read_source_text(path, folder_above(path, 3))  # reports/<period>/<table>.csv, inside the project
    except SourceError as error:
        problems.append(error)
        return []
    reader = csv.reader(text.split("\n"))
    header = [h.strip() for h in next(reader, [])]
    header_problems = _header_problems(path, header, schema)
    problems.extend(header_problems)
    if header_problems:
        return []
    rows = []
    line = 1
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        row = _parse_row(path, line, header, cells, schema, span, problems)
        if row is not None:
            rows.append(row)
    return rows


def _header_problems(path: Path, header: list[str], schema: TableSchema) -> list[SourceError]:
    problems = []
    if not any(header):
        return [
            SourceError(
                Location(path, 1),
                "the file has no header row",
                hint="the first line names the columns: " + ", ".join(schema.names),
            )
        ]
    for index, name in enumerate(header):
        if name not in schema.names:
            guess = nearest(name, schema.names)
            problems.append(
                SourceError(
                    Location(path, 1, index + 1),
                    f"unknown column '{name}'",
                    field=name,
                    hint=f"did you mean '{guess[0]}'?" if guess else "known columns: " + ", ".join(schema.names),
                )
            )
        elif header.index(name) != index:
            problems.append(
                SourceError(
                    Location(path, 1),
                    f"the column '{name}' appears twice",
                    field=name,
                    hint="keep one of the two columns",
                )
            )
    for column in schema.columns:
        if column.required and column.name not in header:
            problems.append(
                SourceError(
                    Location(path, 1),
                    f"the required column '{column.name}' is missing",
                    field=column.name,
                    hint=f"add it: {column.description}",
                )
            )
    return problems


def _parse_row(
    path: Path,
    line: int,
    header: list[str],
    cells: list[str],
    schema: TableSchema,
    span: Span,
    problems: list[SourceError],
) -> Any:
    if len(cells) != len(header):
        problems.append(
            SourceError(
                Location(path, line),
                f"this row has {len(cells)} values for {len(header)} columns",
                hint='quote values that contain commas: "Sanctions, travel bans"',
            )
        )
        return None
    raw = {name: cell.strip() for name, cell in zip(header, cells, strict=True)}
    values: dict[str, Any] = {}
    failed = False
    for column in schema.columns:
        value = raw.get(column.name, "")
        if not value:
            if column.required:
                problems.append(
                    SourceError(
                        Location(path, line), "missing value", field=column.name, hint=f"give {column.description}"
                    )
                )
                failed = True
            values[column.name] = (
                column.parse("", span) if column is CLASSIFICATION else ("" if column.parse is _text else None)
            )
            continue
        try:
            values[column.name] = column.parse(value, span)
        except CellError as error:
            problems.append(SourceError(Location(path, line), str(error), field=column.name, hint=error.hint))
            failed = True
    if failed:
        return None
    cross = _row_rules(schema.row_type, values)
    if cross:
        name, message, hint = cross
        problems.append(SourceError(Location(path, line), message, field=name, hint=hint))
        return None
    return schema.row_type(line=line, **values)


def _row_rules(row_type: type, values: dict[str, Any]) -> tuple[str, str, str] | None:
    """Rules that join two cells of a row: dates in order, an outcome once an assessment is done."""
    if row_type is Training and values["end_date"] < values["start_date"]:
        return "end_date", "the course ends before it starts", "check the dates"
    if row_type is ImpactAssessment:
        started, completed = values["started"], values["completed"]
        if started is not None and started < values["trigger_date"]:
            return "started", "the assessment starts before its trigger", "check the dates"
        if completed is not None and started is None:
            return "started", "a completed assessment needs the date it started", "fill in 'started'"
        if completed is not None and completed < started:
            return "completed", "the assessment is completed before it started", "check the dates"
        if completed is not None and not values["outcome"]:
            return "outcome", "missing value", "say what the completed assessment concluded"
    return None


def recommendation_coverage(path: Path, rows: list[RecommendationStatus]) -> list[SourceError]:
    problems = []
    seen: dict[str, int] = {}
    for row in rows:
        if row.recommendation in seen:
            problems.append(
                SourceError(
                    Location(path, row.line),
                    f"recommendation {row.recommendation} is listed twice (also on line {seen[row.recommendation]})",
                    field="recommendation",
                    hint="give each recommendation one row",
                )
            )
        seen.setdefault(row.recommendation, row.line)
    if rows or path.is_file():
        missing = [r for r in vocabularies()["recommendations"].labels if r not in seen]
        if missing and not any(p.location.path == path for p in problems) and rows:
            problems.append(
                SourceError(
                    Location(path),
                    "no status for recommendation(s) " + ", ".join(missing),
                    field="recommendation",
                    hint="give one row for each of I to VI",
                )
            )
    return problems
