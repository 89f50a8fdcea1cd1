"""Load one period of the report to Parliament (reports/<period>/): report.yml, the narrative sections
in Markdown and the CSV data, validated into plain data objects.

Every problem names its file and line (for CSV files, the row's line; line 1 is the header) and the
field or column; all problems of every file are collected and raised once, as for briefings.
The column schemas below are the reference for reports/README.md.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from council.errors import Location, SourceError
from council.model import PUBLIC_MARKING, Citation, Library
from council.sources.citation_keys import find_citations, missing_keys
from council.sources.frontmatter import parse_front_matter, schema_problems, split_note
from council.sources.safety import unsafe_content
from council.sources.text import read_source_text
from council.vocabularies import country, country_complaint, nearest, vocabularies

REPORT_FILE = "report.yml"
PERIOD_PATTERN = re.compile(r"^\d{4}-\d{2}$")

# Paragraph labels and references in the narrative: `[]{#para-early-warning}` marks a paragraph;
# `[](#para-early-warning)` elsewhere becomes that paragraph's number.
LABEL = re.compile(r"\[\]\{#(para-[A-Za-z0-9_-]+)\}")
REFERENCE = re.compile(r"\[\]\(#(para-[A-Za-z0-9_-]+)\)")


# --- narrative sections -------------------------------------------------------------------------

@dataclass(frozen=True)
class SectionSpec:
    key: str
    file: str
    title: str
    numbered: bool      # body paragraphs numbered 1..N run through these sections
    required: bool = True


# The report's sections in order: the Wiesel Act's items (A) to (F), then the UK additions.
SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("summary", "summary.md", "Summary", numbered=False),
    SectionSpec("current-efforts", "a-current-efforts.md", "(A) Current efforts and capabilities", True),
    SectionSpec("strengthening", "b-strengthening.md", "(B) Recommendations to strengthen capabilities", True),
    SectionSpec("funding", "c-funding.md", "(C) Funding for atrocity prevention", True),
    SectionSpec("assessment", "d-assessment.md", "(D) Ongoing atrocities and the efficacy of the response", True),
    SectionSpec("countries-at-risk", "e-countries-at-risk.md", "(E) Countries and regions at risk", True),
    SectionSpec("training", "f-training.md", "(F) Atrocity prevention training", True),
    SectionSpec("impact-assessments", "impact-assessments.md", "Atrocity Impact Assessments", True),
    SectionSpec("strategy-progress", "strategy-progress.md", "Progress on recommendations I to VI", True),
    SectionSpec("research-council", "research-council.md", "The Research Council's briefings", True, required=False),
    SectionSpec("conclusions", "conclusions.md", "Conclusions and recommendations", numbered=False),
    # Material above OFFICIAL: never in the published report, only in build/restricted/.
    SectionSpec("classified-annex", "classified-annex.md", "Classified annex", numbered=False, required=False),
)
RESTRICTED_ONLY = "classified-annex"
SECTION_FILES = {spec.file: spec for spec in SECTIONS}


@dataclass(frozen=True)
class Narrative:
    """One section's Markdown, as the author wrote it."""

    path: Path
    key: str
    body: str
    body_start_line: int
    classification: str = PUBLIC_MARKING
    citations: tuple[Citation, ...] = ()
    labels: tuple[tuple[str, int], ...] = ()      # (label, line)
    references: tuple[tuple[str, int, int], ...] = ()  # (label, line, column)


# --- CSV data -----------------------------------------------------------------------------------

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
    classification: str = PUBLIC_MARKING
    previous: str | None = None
    illustrative: bool = False
    aia_target_days: int = Field(default=90, gt=0, le=3650)

    @field_validator("command_paper")
    @classmethod
    def _command_paper_number(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"CP \d{1,5}", value):
            raise ValueError(f"'{value}' is not a Command Paper number such as 'CP 1234'")
        return value

    @field_validator("classification")
    @classmethod
    def _known_marking(cls, value: str) -> str:
        if value not in vocabularies()["classifications"]:
            raise ValueError(vocabularies()["classifications"].complaint(value))
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
                problems.append(SourceError(
                    Location(report.folder / REPORT_FILE, _line_of(report.folder / REPORT_FILE, "previous")),
                    f"there is no period '{previous_id}' in reports/", field="previous",
                    hint="give the folder name of the previous period, or leave 'previous' out for the first report"))
            continue
        linked[period] = _with_previous(report, loaded.get(previous_id) if previous_id else None)
    return [linked[p] for p in sorted(linked)], problems


def _with_previous(report: Report, previous: Report | None) -> Report:
    from dataclasses import replace

    return replace(report, previous=previous)


def load_report(folder: Path, library: Library) -> tuple[Report | None, list[SourceError]]:
    problems: list[SourceError] = []
    period = folder.name
    yml = folder / REPORT_FILE
    if not PERIOD_PATTERN.match(period):
        problems.append(SourceError(Location(yml), f"the folder name '{period}' is not a period such as 2025-26",
                                    hint="name each period's folder YYYY-YY, e.g. reports/2025-26"))
    meta = _load_meta(yml, problems)
    narratives = _load_narratives(folder, library, problems)
    tables = {name: _load_table(folder / name, schema, meta, problems) for name, schema in TABLES.items()}
    problems.extend(_recommendation_coverage(folder / "recommendations.csv", tables["recommendations.csv"]))
    problems.extend(_label_problems(narratives))
    if meta is None or any(not p.warning for p in problems):
        return None, problems
    report = Report(period, folder, meta, narratives, *(tuple(tables[name]) for name in TABLES))
    return report, problems


def _load_meta(path: Path, problems: list[SourceError]) -> ReportMeta | None:
    try:
        front = parse_front_matter(path, read_source_text(path), first_line=1, end_line=0)
    except SourceError as error:
        problems.append(error)
        return None
    try:
        raw = ReportFile.model_validate(front.values)
    except ValidationError as exc:
        problems.extend(schema_problems(front, exc, ReportFile, _META_HINTS))
        return None
    if raw.period_end <= raw.period_start:
        problems.append(SourceError(front.location("period_end"), "the period ends before it starts",
                                    field="period_end", hint="period_start comes first, e.g. 2025-04-01 to 2026-03-31"))
        return None
    return ReportMeta(raw.title, raw.period_start, raw.period_end, raw.department, raw.minister, raw.laid,
                      raw.classification, raw.previous, raw.command_paper, raw.illustrative, raw.aia_target_days)


def _line_of(path: Path, key: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if line.startswith(f"{key}:"):
            return number
    return 1


def _load_narratives(folder: Path, library: Library, problems: list[SourceError]) -> dict[str, Narrative]:
    narratives: dict[str, Narrative] = {}
    for path in sorted(folder.glob("*.md")):
        if path.name.startswith(("_", ".")) or path.name == "README.md":
            continue
        spec = SECTION_FILES.get(path.name)
        if spec is None:
            guess = nearest(path.name, SECTION_FILES)
            problems.append(SourceError(Location(path), f"'{path.name}' is not one of the report's sections",
                                        hint=f"did you mean '{guess[0]}'?" if guess else
                                        "sections are: " + ", ".join(SECTION_FILES)))
            continue
        try:
            narrative = _load_narrative(path, spec)
        except SourceError as error:
            problems.append(error)
            continue
        problems.extend(missing_keys(narrative, library))  # type: ignore[arg-type]  # same path/citations shape
        # author text is data: the same content rules as briefings
        problems.extend(unsafe_content(path, narrative.body, narrative.body_start_line, folder.parent.parent))
        narratives[spec.key] = narrative
    for spec in SECTIONS:
        if spec.required and spec.key not in narratives and not (folder / spec.file).exists():
            problems.append(SourceError(Location(folder / spec.file), f"the section '{spec.title}' is missing",
                                        hint=f"write it in {spec.file} (Markdown; citations as [@key])"))
    return narratives


def _load_narrative(path: Path, spec: SectionSpec) -> Narrative:
    text = read_source_text(path)
    classification, body, first_line = PUBLIC_MARKING, text, 1
    if text.startswith("---\n"):
        note = split_note(path, text)
        unknown = [k for k in note.front.values if k != "classification"]
        if unknown:
            raise SourceError(note.front.location(unknown[0]), f"unknown field '{unknown[0]}'", field=unknown[0],
                              hint="a section's front matter may only give its classification")
        classification = str(note.front.values.get("classification", PUBLIC_MARKING))
        if classification not in vocabularies()["classifications"]:
            raise SourceError(note.front.location("classification"),
                              vocabularies()["classifications"].complaint(classification), field="classification",
                              hint="OFFICIAL, or OFFICIAL-SENSITIVE to keep the section out of the published report")
        body, first_line = note.body, note.body_start_line
    if spec.key == RESTRICTED_ONLY and classification == PUBLIC_MARKING:
        raise SourceError(Location(path, 1), "the classified annex is marked OFFICIAL",
                          field="classification", hint="give it front matter 'classification: OFFICIAL-SENSITIVE', "
                          "or move public text into one of the report's sections")
    citations, _ = find_citations(path, body, first_line)
    lines = body.split("\n")
    labels = tuple((m.group(1), first_line + i) for i, line in enumerate(lines) for m in LABEL.finditer(line))
    references = tuple((m.group(1), first_line + i, m.start() + 1)
                       for i, line in enumerate(lines) for m in REFERENCE.finditer(line))
    return Narrative(path, spec.key, body, first_line, classification, tuple(citations), labels, references)


def _label_problems(narratives: dict[str, Narrative]) -> list[SourceError]:
    """Every '(paragraph N)' reference must point at a labelled paragraph of the public, numbered body."""
    numbered = {spec.key for spec in SECTIONS if spec.numbered}
    defined: dict[str, tuple[Path, int]] = {}
    problems = []
    for narrative in narratives.values():
        for label, line in narrative.labels:
            if label in defined:
                first = defined[label]
                problems.append(SourceError(Location(narrative.path, line),
                                            f"the paragraph label '#{label}' is used twice (also at {Location(*first)})",
                                            hint="give each labelled paragraph its own name"))
            elif narrative.key not in numbered or narrative.classification != PUBLIC_MARKING:
                problems.append(SourceError(Location(narrative.path, line),
                                            f"'#{label}' labels a paragraph that has no number",
                                            hint="only paragraphs of the public sections (A) to the Research "
                                                 "Council's briefings are numbered; label one of those"))
            else:
                defined[label] = (narrative.path, line)
    for narrative in narratives.values():
        for label, line, column in narrative.references:
            if label not in defined:
                guess = nearest(label, defined)
                problems.append(SourceError(Location(narrative.path, line, column),
                                            f"'(#{label})' refers to no labelled paragraph",
                                            hint=f"did you mean '#{guess[0]}'?" if guess else
                                            "label the paragraph with []{#" + label + "} in its section"))
    return problems


# --- CSV tables ---------------------------------------------------------------------------------

class CellError(ValueError):
    """A bad value in one cell; the message says what is wrong, the hint what to do."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


def _text(value: str, meta: ReportMeta | None) -> str:
    return value


def _date(value: str, meta: ReportMeta | None) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CellError(f"'{value}' is not a date", "write dates as YYYY-MM-DD, e.g. 2025-10-14") from None


def _date_in_period(value: str, meta: ReportMeta | None) -> dt.date:
    date = _date(value, meta)
    if meta is not None and not meta.period_start <= date <= meta.period_end:
        raise CellError(f"{date.isoformat()} is outside the reporting period "
                        f"({meta.period_start.isoformat()} to {meta.period_end.isoformat()})",
                        "record it in the report for the period it belongs to")
    return date


def _vocabulary(name: str) -> Callable[[str, ReportMeta | None], str]:
    def check(value: str, meta: ReportMeta | None) -> str:
        vocabulary = vocabularies()[name]
        if value not in vocabulary:
            raise CellError(vocabulary.complaint(value), "the known values are in generator/council/vocabularies.yml")
        return value
    return check


def _country(value: str, meta: ReportMeta | None) -> str:
    found = country(value)
    if found is None or len(value) != 3:
        raise CellError(country_complaint(value))
    return found.code


def _count(value: str, meta: ReportMeta | None) -> int:
    if not re.fullmatch(r"\d+", value):
        raise CellError(f"'{value}' is not a whole number of people", "write a count such as 12")
    return int(value)


def _amount(value: str, meta: ReportMeta | None) -> Decimal:
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


def _marking(value: str, meta: ReportMeta | None) -> str:
    return _vocabulary("classifications")(value or PUBLIC_MARKING, meta)


@dataclass(frozen=True)
class Column:
    name: str
    parse: Callable[[str, ReportMeta | None], Any]
    required: bool = True
    description: str = ""


@dataclass(frozen=True)
class TableSchema:
    row_type: type
    columns: tuple[Column, ...]
    description: str

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


CLASSIFICATION = Column("classification", _marking, required=False,
                        description="optional: OFFICIAL (default) or OFFICIAL-SENSITIVE; rows above OFFICIAL go "
                                    "only into the classified annex")

TABLES: dict[str, TableSchema] = {
    "actions.csv": TableSchema(Action, (
        Column("date", _date_in_period, description="YYYY-MM-DD, inside the period"),
        Column("department", _vocabulary("departments"), description="a department id from the vocabulary"),
        Column("country", _country, description="ISO 3166-1 alpha-3 code, e.g. SDN"),
        Column("tool", _vocabulary("tools"), description="a toolkit tool id, e.g. targeted-sanctions"),
        Column("recommendation", _vocabulary("recommendations"), description="I to VI"),
        Column("description", _text, description="what was done, one sentence"),
        CLASSIFICATION), "Actions taken"),
    "impact-assessments.csv": TableSchema(ImpactAssessment, (
        Column("country", _country, description="ISO 3166-1 alpha-3 code"),
        Column("trigger_type", _vocabulary("aia_triggers"),
               description="judicial-finding, inquiry-finding or special-adviser-notification"),
        Column("trigger_date", _date, description="YYYY-MM-DD; may fall before the period"),
        Column("started", _date, required=False, description="YYYY-MM-DD, or empty if not yet started"),
        Column("completed", _date, required=False, description="YYYY-MM-DD, or empty if still open"),
        Column("outcome", _text, required=False, description="what the assessment concluded; needed once completed"),
        CLASSIFICATION), "Atrocity Impact Assessments"),
    "training.csv": TableSchema(Training, (
        Column("department", _vocabulary("departments"), description="a department id"),
        Column("course", _text, description="the course's name"),
        Column("staff_trained", _count, description="whole number of staff who completed it"),
        Column("start_date", _date_in_period, description="YYYY-MM-DD"),
        Column("end_date", _date_in_period, description="YYYY-MM-DD, on or after start_date"),
        CLASSIFICATION), "Training delivered"),
    "funding.csv": TableSchema(Funding, (
        Column("fund", _text, description="the fund or budget the money came from"),
        Column("country", _country, description="ISO 3166-1 alpha-3 code"),
        Column("purpose", _vocabulary("funding_purposes"), description="a funding purpose id, e.g. transitional-justice"),
        Column("amount_gbp", _amount, description="whole pounds spent in the period, not negative"),
        CLASSIFICATION), "Funding spent"),
    "countries-at-risk.csv": TableSchema(CountryAtRisk, (
        Column("country", _country, description="ISO 3166-1 alpha-3 code"),
        Column("region", _text, required=False, description="optional region, e.g. Sahel"),
        Column("risk_level", _vocabulary("risk_levels"), description="very-high, high, elevated or moderate"),
        Column("risk_factors", _text, description="specific risk factors; separate several with ';'"),
        Column("at_risk_groups", _text, description="groups at risk; separate several with ';'"),
        Column("likely_scenarios", _text, description="likely scenarios of atrocity crimes"),
        CLASSIFICATION), "Countries and regions at risk"),
    "recommendations.csv": TableSchema(RecommendationStatus, (
        Column("recommendation", _vocabulary("recommendations"), description="I to VI, each once"),
        Column("status", _vocabulary("recommendation_statuses"),
               description="not-started, in-progress, partly-implemented or implemented"),
        Column("evidence", _text, description="what shows the status"),
        Column("next_step", _text, description="what happens next"),
        CLASSIFICATION), "Status of recommendations I to VI"),
}


def _load_table(path: Path, schema: TableSchema, meta: ReportMeta | None,
                problems: list[SourceError]) -> list[Any]:
    if not path.is_file():
        problems.append(SourceError(Location(path), f"the data file {path.name} is missing",
                                    hint="columns: " + ", ".join(schema.names) + " (see reports/README.md)"))
        return []
    try:
        text = read_source_text(path)
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
        row = _parse_row(path, line, header, cells, schema, meta, problems)
        if row is not None:
            rows.append(row)
    return rows


def _header_problems(path: Path, header: list[str], schema: TableSchema) -> list[SourceError]:
    problems = []
    if not any(header):
        return [SourceError(Location(path, 1), "the file has no header row",
                            hint="the first line names the columns: " + ", ".join(schema.names))]
    for index, name in enumerate(header):
        if name not in schema.names:
            guess = nearest(name, schema.names)
            problems.append(SourceError(Location(path, 1, index + 1), f"unknown column '{name}'", field=name,
                                        hint=f"did you mean '{guess[0]}'?" if guess else
                                        "known columns: " + ", ".join(schema.names)))
        elif header.index(name) != index:
            problems.append(SourceError(Location(path, 1), f"the column '{name}' appears twice", field=name,
                                        hint="keep one of the two columns"))
    for column in schema.columns:
        if column.required and column.name not in header:
            problems.append(SourceError(Location(path, 1), f"the required column '{column.name}' is missing",
                                        field=column.name, hint=f"add it: {column.description}"))
    return problems


def _parse_row(path: Path, line: int, header: list[str], cells: list[str], schema: TableSchema,
               meta: ReportMeta | None, problems: list[SourceError]) -> Any:
    if len(cells) != len(header):
        problems.append(SourceError(Location(path, line), f"this row has {len(cells)} values for {len(header)} columns",
                                    hint="quote values that contain commas: \"Sanctions, travel bans\""))
        return None
    raw = {name: cell.strip() for name, cell in zip(header, cells, strict=True)}
    values: dict[str, Any] = {}
    failed = False
    for column in schema.columns:
        value = raw.get(column.name, "")
        if not value:
            if column.required:
                problems.append(SourceError(Location(path, line), "missing value", field=column.name,
                                            hint=f"give {column.description}"))
                failed = True
            values[column.name] = column.parse("", meta) if column is CLASSIFICATION else (
                "" if column.parse is _text else None)
            continue
        try:
            values[column.name] = column.parse(value, meta)
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


def _recommendation_coverage(path: Path, rows: list[RecommendationStatus]) -> list[SourceError]:
    problems = []
    seen: dict[str, int] = {}
    for row in rows:
        if row.recommendation in seen:
            problems.append(SourceError(Location(path, row.line),
                                        f"recommendation {row.recommendation} is listed twice (also on line "
                                        f"{seen[row.recommendation]})", field="recommendation",
                                        hint="give each recommendation one row"))
        seen.setdefault(row.recommendation, row.line)
    if rows or path.is_file():
        missing = [r for r in vocabularies()["recommendations"].labels if r not in seen]
        if missing and not any(p.location.path == path for p in problems) and rows:
            problems.append(SourceError(Location(path), "no status for recommendation(s) " + ", ".join(missing),
                                        field="recommendation", hint="give one row for each of I to VI"))
    return problems
