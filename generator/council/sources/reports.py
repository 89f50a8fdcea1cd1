"""Load the periods of the report to Parliament (reports/<period>/): report.yml, then the narrative
sections (sources/report_sections.py) and the CSV data (sources/report_data.py), validated into one
`Report` per period, each linked to the report of its previous period.

All problems of every file are collected and raised once, as for briefings.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from council.base.errors import Location, SourceError
from council.base.model import Library
from council.base.vocabularies import Marking
from council.sources.frontmatter import parse_front_matter, schema_problems
from council.sources.report_data import (
    PUBLIC_MARKING,
    TABLES,
    Action,
    CountryAtRisk,
    Funding,
    ImpactAssessment,
    RecommendationStatus,
    Training,
    load_table,
    recommendation_coverage,
)
from council.sources.report_form import ReportForm, take_form
from council.sources.report_sections import Narrative, label_problems, load_narratives
from council.sources.text import folder_above, read_source_text

REPORT_FILE = "report.yml"
PERIOD_PATTERN = re.compile(r"^\d{4}-\d{2}$")


@dataclass(frozen=True)
class ReportMeta:
    title: str
    period_start: dt.date
    period_end: dt.date
    department: str
    minister: str
    laid: dt.date
    classification: str
    previous: str | None
    command_paper: str | None = None
    illustrative: bool = False
    aia_target_days: int = 90
    form: ReportForm = field(default_factory=ReportForm)  # Command Paper items (sources/report_form.py)


@dataclass(frozen=True)
class Report:
    """One period's report, validated: everything the figures and renderers need."""

    period: str
    folder: Path
    meta: ReportMeta
    narratives: dict[str, Narrative]
    actions: tuple[Action, ...]
    impact_assessments: tuple[ImpactAssessment, ...]
    training: tuple[Training, ...]
    funding: tuple[Funding, ...]
    countries_at_risk: tuple[CountryAtRisk, ...]
    recommendations: tuple[RecommendationStatus, ...]
    previous: Report | None = field(default=None, repr=False)

    @property
    def cited_keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.key for n in self.narratives.values() for c in n.citations))


# --- report.yml ---------------------------------------------------------------------------------


class ReportFile(BaseModel):
    """The schema of report.yml. Unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=200)
    period_start: dt.date
    period_end: dt.date
    department: str = Field(min_length=1)
    minister: str = Field(min_length=1)
    laid: dt.date
    command_paper: str | None = None
    classification: Marking = PUBLIC_MARKING
    previous: str | None = None
    illustrative: bool = False
    aia_target_days: int = Field(default=90, gt=0, le=3650)

    @field_validator("command_paper")
    @classmethod
    def _command_paper_number(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"CP \d{1,5}", value):
            raise ValueError(f"'{value}' is not a Command Paper number such as 'CP 1234'")
        return value


_META_HINTS = {
    "period_start": "write dates as YYYY-MM-DD, e.g. 2025-04-01",
    "period_end": "write dates as YYYY-MM-DD, e.g. 2026-03-31",
    "laid": "the date the report is laid before Parliament, YYYY-MM-DD",
    "classification": "OFFICIAL for a report that is published; OFFICIAL-SENSITIVE keeps it off the site",
    "aia_target_days": "the days allowed from a trigger to a completed assessment, e.g. 90",
}


def report_periods(directory: Path) -> list[Path]:
    """Every reports/<period>/ folder that holds a report.yml, oldest first."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.is_dir() and (p / REPORT_FILE).is_file())


def load_reports(directory: Path, library: Library) -> tuple[list[Report], list[SourceError]]:
    """Every period, each linked to its previous period's report where that exists."""
    loaded: dict[str, Report] = {}
    problems: list[SourceError] = []
    for folder in report_periods(directory):
        report, found = load_report(folder, library)
        problems.extend(found)
        if report is not None:
            loaded[report.period] = report
    linked: dict[str, Report] = {}
    for period, report in loaded.items():
        previous_id = report.meta.previous
        if previous_id is not None and previous_id not in loaded:
            if not (directory / previous_id / REPORT_FILE).is_file():
                problems.append(
                    SourceError(
                        Location(report.folder / REPORT_FILE, _line_of(report.folder / REPORT_FILE, "previous")),
                        f"there is no period '{previous_id}' in reports/",
                        field="previous",
                        hint="give the folder name of the previous period, or leave 'previous' out for the first report",
                    )
                )
            continue
        linked[period] = replace(report, previous=loaded.get(previous_id) if previous_id else None)
    return [linked[p] for p in sorted(linked)], problems


def load_report(folder: Path, library: Library) -> tuple[Report | None, list[SourceError]]:
    problems: list[SourceError] = []
    period = folder.name
    yml = folder / REPORT_FILE
    if not PERIOD_PATTERN.match(period):
        problems.append(
            SourceError(
                Location(yml),
                f"the folder name '{period}' is not a period such as 2025-26",
                hint="name each period's folder YYYY-YY, e.g. reports/2025-26",
            )
        )
    meta = _load_meta(yml, problems)
    narratives = load_narratives(folder, library, problems)
    span = (meta.period_start, meta.period_end) if meta is not None else None
    rows = {schema.field: tuple(load_table(folder / name, schema, span, problems)) for name, schema in TABLES.items()}
    problems.extend(recommendation_coverage(folder / "recommendations.csv", list(rows["recommendations"])))
    problems.extend(label_problems(narratives))
    if meta is None or any(not p.warning for p in problems):
        return None, problems
    return Report(period, folder, meta, narratives, **rows), problems


def _load_meta(path: Path, problems: list[SourceError]) -> ReportMeta | None:
    try:
        text = read_source_text(path, folder_above(path, 3))  # reports/<period>/report.yml, inside the project
        front = parse_front_matter(path, text, first_line=1, end_line=0)
    except SourceError as error:
        problems.append(error)
        return None
    form = take_form(front, problems)
    try:
        raw = ReportFile.model_validate(front.values)
    except ValidationError as exc:
        problems.extend(schema_problems(front, exc, ReportFile, _META_HINTS))
        return None
    if raw.period_end <= raw.period_start:
        problems.append(
            SourceError(
                front.location("period_end"),
                "the period ends before it starts",
                field="period_end",
                hint="period_start comes first, e.g. 2025-04-01 to 2026-03-31",
            )
        )
        return None
    if form is None:
        return None
    return ReportMeta(
        raw.title,
        raw.period_start,
        raw.period_end,
        raw.department,
        raw.minister,
        raw.laid,
        raw.classification,
        raw.previous,
        raw.command_paper,
        raw.illustrative,
        raw.aia_target_days,
        form,
    )


def _line_of(path: Path, key: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if line.startswith(f"{key}:"):
            return number
    return 1
