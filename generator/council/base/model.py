"""Plain data objects that flow through the pipeline. No behaviour beyond derived values, except the
briefing's schema: the Briefing validates what an author writes, so that its fields are defined once."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import AfterValidator, ConfigDict, Field, StringConstraints, field_validator
from pydantic.dataclasses import dataclass as schema

WORDS_PER_MINUTE = 200  # a common plain-language reading speed
# The one security marking a public website may carry: anything marked above it (OFFICIAL-SENSITIVE)
# stays off the site (publish/gate.py), in briefings, report sections and report data alike.
PUBLIC_MARKING = "OFFICIAL"


@dataclass(frozen=True)
class Citation:
    key: str
    line: int  # line in the source file
    column: int


# --- the briefing: its one schema --------------------------------------------------------------------
# A note's front matter is validated by constructing the Briefing itself (sources/briefings.py), so each
# field, its type and its rules are written once, here. The loader supplies the fields an author does not
# write (path, slug, body, citations, field lines) and reports every failure at its line.
SUMMARY_MAX_WORDS = 120
KEY_POINT_MAX_WORDS = 40
DEFAULT_LANG = "en-GB"
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,80}$")

Text = Annotated[str, StringConstraints(strip_whitespace=True)]

# Fields whose every item must fit a pattern: (the test, what an item must be, for the message).
_ITEM_RULES: dict[str, tuple[Callable[[str], object], str]] = {
    "answers": (
        re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*").fullmatch,
        "a request id (letters, digits, '-', '_' and '.')",
    ),
    "aliases": (SLUG_PATTERN.match, "a slug (an old file name without .md)"),
}


def _item_fits(name: str) -> Callable[[str], str]:
    """Checked item by item, so that a wrong one is reported at its own line."""
    fits, what = _ITEM_RULES[name]

    def check(value: str) -> str:
        if not fits(value):
            raise ValueError(f"'{value}' is not {what}")
        return value

    return check


def _short_key_point(point: str) -> str:
    """Checked item by item, so that a problem is reported at its bullet's line."""
    if not point.strip():
        raise ValueError("this key point is empty")
    words = len(point.split())
    if words > KEY_POINT_MAX_WORDS:
        raise ValueError(f"this key point has {words} words; the limit is {KEY_POINT_MAX_WORDS}")
    return " ".join(point.split())


KeyPoint = Annotated[str, AfterValidator(_short_key_point)]


def in_utc(embargo: dt.datetime | dt.date | None) -> dt.datetime | None:
    """An embargo as a moment: a date alone is 00:00 UTC, a time without a zone is UTC."""
    if isinstance(embargo, dt.date) and not isinstance(embargo, dt.datetime):
        embargo = dt.datetime.combine(embargo, dt.time(0, 0))
    if embargo is not None and embargo.tzinfo is None:
        embargo = embargo.replace(tzinfo=dt.timezone.utc)
    return embargo


class Update(NamedTuple):
    """One entry of `updates:`: a correction or change, dated, in plain words."""

    date: dt.date
    note: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]


@schema(frozen=True, config=ConfigDict(extra="forbid"))
class Briefing:
    """A research note as the author wrote it, validated field by field. Rules across fields (a withdrawal
    needs its reason) are the loader's, so that code may build any state a note can pass through."""

    path: Path
    slug: str
    title: Annotated[Text, Field(min_length=1, max_length=200)]
    summary: Annotated[Text, Field(min_length=1)]
    key_points: Annotated[tuple[KeyPoint, ...], Field(min_length=2, max_length=6)]
    authors: Annotated[tuple[Text, ...], Field(min_length=1)]
    date: dt.date
    status: Literal["draft", "review", "published", "withdrawn"]
    lang: Text  # the loader gives DEFAULT_LANG when the note says nothing
    body: str
    body_start_line: int
    workstreams: tuple[Text, ...] = ()
    tools: tuple[Text, ...] = ()
    recommendations: tuple[Text, ...] = ()
    countries: tuple[Text, ...] = ()  # ISO 3166-1 alpha-3 once loaded
    classification: Literal["OFFICIAL", "OFFICIAL-SENSITIVE"] = PUBLIC_MARKING
    embargo_until: dt.datetime | None = None  # a date alone is 00:00, a time without a zone UTC
    answers: tuple[Annotated[Text, AfterValidator(_item_fits("answers"))], ...] = ()
    citations: tuple[Citation, ...] = ()
    # (workstream, "synergy" | "tension"): how this briefing finds each agenda meets atrocity prevention;
    # written as a mapping in front matter
    intersections: tuple[tuple[str, Literal["synergy", "tension"]], ...] = ()
    # where the author wrote them, for the house-style findings: {"summary": [line], "key_points": [...], ...}
    field_lines: tuple[tuple[str, tuple[int, ...]], ...] = ()
    # --- publishing record (publish/record.py; `council publish` is authoring/publish_note.py): series number, old slugs, corrections, withdrawal
    number: Annotated[Text, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9./-]*$")] | None = None
    aliases: tuple[Annotated[Text, AfterValidator(_item_fits("aliases"))], ...] = ()
    updates: tuple[Update, ...] = ()  # (date, what changed), oldest first
    withdrawn_reason: Annotated[Text, Field(min_length=1)] | None = None
    superseded_by: Text | None = None
    doi: Annotated[Text, Field(pattern=r"^10\.\d{4,9}/\S+$")] | None = None

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

    @field_validator("lang")
    @classmethod
    def _lang_is_a_language_tag(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z]{2,3}(-[A-Z]{2})?", value):
            raise ValueError(f"'{value}' is not a language tag such as en-GB or fr")
        return value

    @field_validator("embargo_until", mode="before")
    @classmethod
    def _embargo_is_a_moment(cls, value: Any) -> Any:
        return in_utc(value) if isinstance(value, dt.date) else value  # YAML gives dates and date-times

    @field_validator("embargo_until")
    @classmethod
    def _embargo_in_utc(cls, value: dt.datetime | None) -> dt.datetime | None:
        return in_utc(value)  # text such as "2026-03-14T09:30" is read by pydantic

    @field_validator("intersections", mode="before")
    @classmethod
    def _intersections_as_pairs(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return tuple(value.items())
        if isinstance(value, tuple):  # already pairs, from code
            return value
        raise ValueError(
            "write each workstream on its own line under 'intersections:', as "
            "'workstream: synergy' or 'workstream: tension'"
        )

    @field_validator("updates")
    @classmethod
    def _updates_oldest_first(cls, values: tuple[Update, ...]) -> tuple[Update, ...]:
        return tuple(sorted(Update(u.date, " ".join(u.note.split())) for u in values))

    def lines_of(self, name: str) -> tuple[int, ...]:
        return dict(self.field_lines).get(name, ())

    @property
    def last_updated(self) -> dt.date:
        """The latest correction's date, else the publication date."""
        return max([self.date, *(day for day, _ in self.updates)])

    @property
    def word_count(self) -> int:
        return len(self.body.split())

    @property
    def reading_minutes(self) -> int:
        return max(1, round((self.word_count + len(self.summary.split())) / WORDS_PER_MINUTE))

    @property
    def cited_keys(self) -> tuple[str, ...]:
        """Distinct keys in order of first citation."""
        return tuple(dict.fromkeys(c.key for c in self.citations))


# what the loader supplies; every other field of Briefing is written by the author in front matter
LOADER_FIELDS = ("path", "slug", "body", "body_start_line", "citations", "field_lines")
FRONT_MATTER_FIELDS = tuple(name for name in Briefing.__dataclass_fields__ if name not in LOADER_FIELDS)


@dataclass(frozen=True)
class BibEntry:
    key: str
    entry_type: str
    path: Path
    line: int
    fields: dict[str, str] = field(default_factory=dict)
    # --- bibliography: the entry as written, for BibTeX exports, and each field's line
    raw: str = ""
    field_lines: dict[str, int] = field(default_factory=dict)
    # the entry as pandoc reads it (macros expanded, `@type{...}`), when that is not `raw`
    for_pandoc: str = ""


@dataclass(frozen=True)
class Library:
    """Every bibliography entry, with the CSL JSON form for citeproc of those that are cited (a
    library of thousands of works is converted only as far as the briefings and reports need)."""

    entries: dict[str, BibEntry]
    csl: dict[str, dict]  # key -> CSL JSON item
    strings: tuple[str, ...] = ()  # bibliography: the @string macros as written, for BibTeX exports
    file_strings: dict[Path, tuple[str, ...]] = field(default_factory=dict)  # each file's @string blocks, as written

    def subset(self, keys: tuple[str, ...]) -> list[dict]:
        return [self.csl[k] for k in keys if k in self.csl]


@dataclass(frozen=True)
class DraftMarking:
    """How a preview copy of a note the public cannot see yet is marked wherever it goes: beside the
    classification on every page, in the title property, and in its file names."""

    label: str  # "DRAFT – not for publication", or "EMBARGOED until 03 September 2026 09:30 UTC"
    suffix: str  # added to the file names: "-draft" or "-embargoed"


@dataclass(frozen=True)
class RenderedBriefing:
    """What the renderers made of one briefing: fragments for templates plus finished files."""

    briefing: Briefing
    html_body: str  # body with its footnotes, HTML
    references_html: str  # the reference list, HTML
    headings: tuple[tuple[str, str], ...]  # (id, text) of level-2 headings, for the contents box
    # format name (render/formats.py) -> its finished file in the render cache: linked, not copied, into the site
    outputs: dict[str, Path]
    from_cache: bool = False
    media: tuple[tuple[str, Path], ...] = ()  # (file name beside the site page, source file): note images
    marking: DraftMarking | None = None  # preview copies of drafts and embargoed notes only

    @property
    def file_stem(self) -> str:
        """The name of its downloads (PDF, Word file...): a draft's copies say so in their names too."""
        return self.briefing.slug + (self.marking.suffix if self.marking else "")

    def read(self, format_name: str) -> bytes:
        return self.outputs[format_name].read_bytes()
