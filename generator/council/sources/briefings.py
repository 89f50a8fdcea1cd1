"""Validate research notes into Briefing objects, reporting every problem with file, line and field."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from council.errors import Location, ProblemsFound, SourceError
from council.model import Briefing
from council.sources.citation_keys import find_citations
from council.sources.frontmatter import FrontMatter, schema_problems, split_note
from council.sources.safety import plain_text_problem, unsafe_content
from council.sources.text import read_source_text
from council.vocabularies import country, country_complaint, nearest, vocabularies

SUMMARY_MAX_WORDS = 120
KEY_POINT_MAX_WORDS = 40
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,80}$")


class BriefingUpdate(BaseModel):
    """One entry of `updates:`: a correction or change, dated, in plain words."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    date: dt.date
    note: str = Field(min_length=1, max_length=1000)


class BriefingFrontMatter(BaseModel):
    """The schema of a briefing's front matter. Unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=200)
    summary: str = Field(min_length=1)
    key_points: list[str] = Field(min_length=2, max_length=6)
    authors: list[str] = Field(min_length=1)
    date: dt.date
    status: Literal["draft", "review", "published", "withdrawn"]
    lang: str = "en-GB"
    workstreams: list[str] = []
    tools: list[str] = []
    recommendations: list[str] = []
    countries: list[str] = []
    classification: Literal["OFFICIAL", "OFFICIAL-SENSITIVE"] = "OFFICIAL"
    embargo_until: dt.datetime | dt.date | None = None
    answers: list[str] = []
    intersections: dict[str, Literal["synergy", "tension"]] = {}
    # --- publishing record
    number: str | None = Field(default=None, pattern=r"^[A-Za-z0-9][A-Za-z0-9./-]*$")
    aliases: list[str] = []
    updates: list[BriefingUpdate] = []
    withdrawn_reason: str | None = Field(default=None, min_length=1)
    superseded_by: str | None = None
    doi: str | None = Field(default=None, pattern=r"^10\.\d{4,9}/\S+$")

    @field_validator("aliases")
    @classmethod
    def _aliases_are_slugs(cls, values: list[str]) -> list[str]:
        for value in values:
            if not SLUG_PATTERN.match(value):
                raise ValueError(f"'{value}' is not a slug (an old file name without .md)")
        return values

    @model_validator(mode="after")
    def _withdrawal_has_reason(self) -> BriefingFrontMatter:
        if self.status == "withdrawn" and not self.withdrawn_reason:
            raise ValueError("a withdrawn briefing needs withdrawn_reason: say why readers should not rely on it")
        if self.status != "withdrawn" and (self.withdrawn_reason or self.superseded_by):
            raise ValueError("withdrawn_reason and superseded_by belong only to a briefing with status: withdrawn")
        return self

    @field_validator("authors", mode="before")
    @classmethod
    def _one_author_may_be_a_string(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("summary")
    @classmethod
    def _summary_is_short_plain_text(cls, value: str) -> str:
        words = len(value.split())
        if words > SUMMARY_MAX_WORDS:
            raise ValueError(f"the summary has {words} words; the limit is {SUMMARY_MAX_WORDS}")
        if re.search(r"\[@|\]\(|^#", value):
            raise ValueError("the summary must be plain text (no citations, links or headings)")
        return " ".join(value.split())

    @field_validator("key_points")
    @classmethod
    def _key_points_are_short(cls, values: list[str]) -> list[str]:
        for point in values:
            if not point.strip():
                raise ValueError("a key point is empty")
            if len(point.split()) > KEY_POINT_MAX_WORDS:
                raise ValueError(f"key point '{point[:40]}...' has more than {KEY_POINT_MAX_WORDS} words")
        return [" ".join(p.split()) for p in values]

    @field_validator("lang")
    @classmethod
    def _lang_is_a_language_tag(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z]{2,3}(-[A-Z]{2})?", value):
            raise ValueError(f"'{value}' is not a language tag such as en-GB or fr")
        return value

    @field_validator("answers")
    @classmethod
    def _request_ids(cls, values: list[str]) -> list[str]:
        for value in values:
            if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", value):
                raise ValueError(f"'{value}' is not a request id (letters, digits, '-', '_' and '.')")
        return values


def load_briefing(path: Path, request_ids: Collection[str] | None = None, root: Path | None = None) -> Briefing:
    """Read one note. Raises SourceError, or a list of them via ExceptionGroup-like ProblemsFound.
    With `request_ids` (the registry in requests/), every `answers` id must name a known request."""
    problems = []
    note = split_note(path, read_source_text(path))
    slug = path.stem
    if not SLUG_PATTERN.match(slug):
        problems.append(SourceError(Location(path), f"the file name '{path.name}' is not a valid slug",
                                    hint="use lowercase letters, digits and hyphens, e.g. early-warning.md"))
    try:
        meta = BriefingFrontMatter.model_validate(note.front.values)
    except ValidationError as exc:
        problems.extend(schema_problems(note.front, exc, BriefingFrontMatter, _HINTS))
        meta = None
    problems.extend(_intersection_problems(note.front))
    if meta is not None:
        problems.extend(_vocabulary_problems(note.front, meta))
        if request_ids is not None:
            problems.extend(_unknown_requests(note.front, meta, request_ids))
    citations, citation_problems = find_citations(path, note.body, note.body_start_line)
    problems.extend(citation_problems)
    # publication safety: author text is data; unsafe HTML, links and images are refused
    problems.extend(unsafe_content(path, note.body, note.body_start_line, root or path.parent.parent))
    problems.extend(_plain_text_problems(note.front))
    problems.extend(_update_problems(note.front, path, root or path.parent.parent))
    if problems or meta is None:
        raise BriefingProblems(problems)
    embargo = meta.embargo_until
    if isinstance(embargo, dt.date) and not isinstance(embargo, dt.datetime):
        embargo = dt.datetime.combine(embargo, dt.time(0, 0))
    if embargo is not None and embargo.tzinfo is None:
        embargo = embargo.replace(tzinfo=dt.timezone.utc)
    countries = tuple(c.code for c in map(country, meta.countries) if c)
    return Briefing(
        path=path, slug=slug, title=meta.title, summary=meta.summary, key_points=tuple(meta.key_points),
        authors=tuple(meta.authors), date=meta.date, status=meta.status, lang=meta.lang,
        body=note.body, body_start_line=note.body_start_line, workstreams=tuple(meta.workstreams),
        tools=tuple(meta.tools), recommendations=tuple(meta.recommendations),
        countries=countries, classification=meta.classification, embargo_until=embargo,
        answers=tuple(meta.answers), citations=tuple(citations),
        intersections=tuple(meta.intersections.items()),
        field_lines=tuple((name, _field_lines(note.front, name, len(getattr(meta, name))
                                              if isinstance(getattr(meta, name), list) else None))
                          for name in ("summary", "key_points", "authors")),
        number=meta.number, aliases=tuple(meta.aliases),
        updates=tuple(sorted((u.date, " ".join(u.note.split())) for u in meta.updates)),
        withdrawn_reason=meta.withdrawn_reason, superseded_by=meta.superseded_by, doi=meta.doi,
    )


def _field_lines(front: FrontMatter, name: str, count: int | None) -> tuple[int, ...]:
    """The line of a field's key, or of each of its items."""
    if count is None:
        return (front.line_of(name) or 1,)
    return tuple(front.line_of(name, index) or 1 for index in range(count))


def _update_problems(front: FrontMatter, path: Path, root: Path) -> list[SourceError]:
    """`updates` notes reach the page, PDF and DOCX: the same content safety as the body, at their line."""
    raw = front.values.get("updates")
    problems: list[SourceError] = []
    for index, item in enumerate(raw if isinstance(raw, list) else []):
        text = item.get("note") if isinstance(item, dict) else None
        if isinstance(text, str):
            line = front.line_of("updates", index) or 1
            problems.extend(unsafe_content(path, text, line, root))
            complaint = plain_text_problem(text)
            if complaint:
                problems.append(SourceError(Location(path, line), complaint, field="updates",
                                            hint="write the update as plain text"))
    return problems


def _plain_text_problems(front: FrontMatter) -> list[SourceError]:
    problems = []
    for name in ("title", "summary", "key_points", "authors"):
        value = front.values.get(name)
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            complaint = plain_text_problem(str(item)) if isinstance(item, str) else None
            if complaint:
                where = front.location(name, index if isinstance(value, list) else None)
                problems.append(SourceError(where, complaint, field=name, hint="write plain text; markup is added by council"))
    return problems


def _vocabulary_problems(front: FrontMatter, meta: BriefingFrontMatter) -> list[SourceError]:
    """Each unknown value is reported on its own line, with the nearest known value."""
    problems = []
    for name in ("workstreams", "tools", "recommendations"):
        vocabulary = vocabularies()[name]
        for index, value in enumerate(getattr(meta, name)):
            if value not in vocabulary:
                problems.append(SourceError(front.location(name, index), vocabulary.complaint(value), field=name))
    for index, code in enumerate(meta.countries):
        if country(code) is None:
            problems.append(SourceError(front.location("countries", index), country_complaint(code), field="countries"))
    return problems


def _intersection_problems(front: FrontMatter) -> list[SourceError]:
    """Checked on the raw mapping, so an unknown workstream is reported alongside other errors."""
    raw = front.values.get("intersections")
    workstreams = vocabularies()["workstreams"]
    return [SourceError(front.location("intersections", str(name)), workstreams.complaint(str(name)),
                        field="intersections")
            for name in (raw if isinstance(raw, dict) else {}) if str(name) not in workstreams]


def _unknown_requests(front: FrontMatter, meta: BriefingFrontMatter, known: Collection[str]) -> list[SourceError]:
    problems = []
    for index, request_id in enumerate(meta.answers):
        if request_id not in known:
            guess = nearest(request_id, known)
            message = f"no request '{request_id}' in requests/" + (f"; did you mean '{guess[0]}'?" if guess else "")
            problems.append(SourceError(front.location("answers", index), message, field="answers",
                                        hint="list ids of requests in requests/ (the file name without .yml); "
                                             "`council request new` adds one"))
    return problems


class BriefingProblems(ProblemsFound):
    """Every problem found in one briefing that cannot be loaded."""


_HINTS = {
    "date": "write dates as YYYY-MM-DD, e.g. 2026-03-14",
    "embargo_until": "write a date (2026-03-14) or a date and time (2026-03-14T09:30:00Z)",
    "status": "use draft, review or published (or withdrawn, with a withdrawn_reason)",
    "updates": "give a list of {date: YYYY-MM-DD, note: what changed}",
    "number": "leave it to `council publish`, which gives the next number",
    "doi": "write the DOI itself, e.g. 10.1234/aprc.2026.007",
    "classification": "use OFFICIAL or OFFICIAL-SENSITIVE; nothing higher belongs in this repository",
    "key_points": "give 2 to 6 short bullet points as a YAML list ('- ...' lines)",
    "authors": "give a YAML list of names ('- Dr Jane Doe')",
    "intersections": "map workstreams to synergy or tension, e.g. {counter-terrorism-pve: tension}",
}


