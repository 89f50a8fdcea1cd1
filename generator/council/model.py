"""Plain data objects that flow through the pipeline. No behaviour beyond derived values."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

WORDS_PER_MINUTE = 200  # a common plain-language reading speed
# The one security marking a public website may carry: anything marked above it (OFFICIAL-SENSITIVE)
# stays off the site (publish/gate.py), in briefings, report sections and report data alike.
PUBLIC_MARKING = "OFFICIAL"


@dataclass(frozen=True)
class Citation:
    key: str
    line: int    # line in the source file
    column: int


@dataclass(frozen=True)
class Briefing:
    """A research note as the author wrote it, validated."""

    path: Path
    slug: str
    title: str
    summary: str
    key_points: tuple[str, ...]
    authors: tuple[str, ...]
    date: dt.date
    status: str
    lang: str
    body: str
    body_start_line: int
    workstreams: tuple[str, ...] = ()
    tools: tuple[str, ...] = ()
    recommendations: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    classification: str = PUBLIC_MARKING
    embargo_until: dt.datetime | None = None
    answers: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()
    # (workstream, "synergy" | "tension"): how this briefing finds each agenda meets atrocity prevention
    intersections: tuple[tuple[str, str], ...] = ()
    # where the author wrote them, for the house-style findings: {"summary": [line], "key_points": [...], ...}
    field_lines: tuple[tuple[str, tuple[int, ...]], ...] = ()
    # --- publishing record (publish/record.py): series number, old slugs, corrections, withdrawal
    number: str | None = None
    aliases: tuple[str, ...] = ()
    updates: tuple[tuple[dt.date, str], ...] = ()  # (date, what changed), oldest first
    withdrawn_reason: str | None = None
    superseded_by: str | None = None
    doi: str | None = None

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


@dataclass(frozen=True)
class Library:
    """Every bibliography entry, with the CSL JSON form for citeproc of those that are cited (a
    library of thousands of works is converted only as far as the briefings and reports need)."""

    entries: dict[str, BibEntry]
    csl: dict[str, dict]  # key -> CSL JSON item
    strings: tuple[str, ...] = ()  # bibliography: the @string macros as written, for BibTeX exports
    file_strings: dict[Path, tuple[str, ...]] = field(default_factory=dict)  # each file's macros, for pandoc

    def subset(self, keys: tuple[str, ...]) -> list[dict]:
        return [self.csl[k] for k in keys if k in self.csl]


@dataclass(frozen=True)
class DraftMarking:
    """How a preview copy of a note the public cannot see yet is marked wherever it goes: beside the
    classification on every page, in the title property, and in its file names."""

    label: str   # "DRAFT – not for publication", or "EMBARGOED until 03 September 2026 09:30 UTC"
    suffix: str  # added to the file names: "-draft" or "-embargoed"


@dataclass(frozen=True)
class RenderedBriefing:
    """What the renderers made of one briefing: fragments for templates plus finished files."""

    briefing: Briefing
    html_body: str                       # body with its footnotes, HTML
    references_html: str                 # the reference list, HTML
    headings: tuple[tuple[str, str], ...]  # (id, text) of level-2 headings, for the contents box
    pdf_file: Path                       # in the render cache: linked, not copied, into the site
    docx_file: Path
    from_cache: bool = False
    media: tuple[tuple[str, Path], ...] = ()  # (file name beside the site page, source file): note images
    marking: DraftMarking | None = None  # preview copies of drafts and embargoed notes only

    @property
    def file_stem(self) -> str:
        """The name of its PDF and Word files: a draft's copies say so in their names too."""
        return self.briefing.slug + (self.marking.suffix if self.marking else "")

    @property
    def pdf(self) -> bytes:
        return self.pdf_file.read_bytes()

    @property
    def docx(self) -> bytes:
        return self.docx_file.read_bytes()
