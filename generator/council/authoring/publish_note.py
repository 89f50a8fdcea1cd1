"""`council publish`: give a checked note its status, date and series number in its own text, and record
its URL in the publishing ledger. The only command that edits an author's file."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from council.base import checkpoints
from council.base.cache import ContentCache
from council.base.config import ProjectConfig
from council.base.errors import CouncilError, Notice, ProblemsFound, SourceError, raise_if_any
from council.base.files import write_atomically
from council.base.model import Briefing
from council.pipeline.note import check_note, note_path
from council.pipeline.site import load_briefings
from council.publish.record import (
    KEEPS_URL,
    LEDGER_HEADER,
    ledger_path,
    load_ledger,
    next_number,
    record_problems,
)
from council.sources.bibliography import load_library
from council.sources.requests import load_requests


@dataclass(frozen=True)
class Published:
    path: Path
    number: str | None
    date: dt.date


def publish(config: ProjectConfig, briefings: list[Briefing], slug: str, day: dt.date) -> Published:
    """Set the note's status, date and number in its own text (comments and layout kept), then record
    its URL in the ledger. `briefings` must have passed `council check`, and the note
    `refuse_unless_clean`."""
    briefing = next((b for b in briefings if b.slug == slug), None)
    if briefing is None:
        raise CouncilError(f"no note briefings/{slug}.md; give the file name without .md")
    entries, problems = load_ledger(config)
    if problems:
        raise problems[0]
    if briefing.status in KEEPS_URL:
        if slug in {e.slug for e in entries} or not ledger_path(config).is_file():
            raise CouncilError(
                f"briefings/{slug}.md is {briefing.status} already"
                + (f" as {briefing.number}" if briefing.number else "")
            )
        # a `council publish` stopped between its two writes: the note is published, so finish the record
        write_atomically(ledger_path(config), ledger_with(config, slug, briefing.number, briefing.date))
        return Published(briefing.path, briefing.number, briefing.date)
    used = [n for n in [*(e.number for e in entries), *(b.number for b in briefings)] if n]
    recorded = next((e.number for e in entries if e.slug == slug and e.number), None)  # published before
    number = (
        briefing.number
        or recorded
        or (next_number(config.numbering_format, day.year, used) if config.numbering_format else None)
    )
    text = set_front_matter(
        briefing.path.read_text(encoding="utf-8"),
        {"status": "published", "date": day.isoformat(), **({"number": number} if number else {})},
    )
    if not ledger_path(config).is_file():  # the record exists before a note claims a place in it, so
        write_atomically(ledger_path(config), LEDGER_HEADER)  # a stop after the note's write is found
    write_atomically(briefing.path, text)
    checkpoints.reached("publish-note-written")  # `council check` reports a stop here (publish/record.py)
    if slug not in {e.slug for e in entries}:
        write_atomically(ledger_path(config), ledger_with(config, slug, number, day))
    return Published(briefing.path, number, day)


def note_to_publish(config: ProjectConfig, given: str) -> str:
    """The slug of the note `council publish` was given: a slug (`early-warning`, or `early-warning.md`), or a
    path as other commands take it (`briefings/early-warning.md`, checked as they check it)."""
    if "/" in given or "\\" in given:
        return note_path(config, Path(given)).stem
    given = given.removesuffix(".md")
    if not (config.briefings_dir / f"{given}.md").is_file():
        raise CouncilError(f"no note briefings/{given}.md; give its file name without .md, e.g. early-warning")
    return given


def publishing_record(config: ProjectConfig) -> list[Briefing]:
    """Every note that could be read (their numbers and slugs are the record's), after checking what a
    publication would break: the ledger, and the numbers and aliases of notes already on the site. Other
    notes' own problems, a draft's above all, are theirs and never stop a publication."""
    library, _ = load_library(config.bibliography_dir)
    requests, _ = load_requests(config.requests_dir)
    notes = load_briefings(config, library, requests, lint=False)
    live = {b.path for b in notes.briefings if b.status in KEEPS_URL}
    record = record_problems(config, notes.briefings, require_numbers=True)
    raise_if_any([p for p in record if not p.warning and (p.location.path in live or p.location.path.suffix != ".md")])
    return notes.briefings


def refuse_unless_clean(config: ProjectConfig, slug: str) -> None:
    """`council check --strict` on the note: any finding refuses publication (a warning too, and
    `council new`'s placeholders still in the summary or key points); only notes of what council did
    itself (a `#` section moved down a level, a mended bibliography field) let it pass."""
    path = config.briefings_dir / f"{slug}.md"
    if not path.is_file():
        raise CouncilError(f"no note briefings/{slug}.md; give the file name without .md")
    try:
        checked = check_note(
            config, note_path(config, path), ContentCache(config.cache_dir, writable=False), strict=True
        )
    except ProblemsFound as found:
        raise NotPublished(found.problems) from None
    findings = [p for p in checked.warnings if not isinstance(p, Notice) and not getattr(p, "notice", False)]
    if findings:
        raise NotPublished(checked.warnings)


class NotPublished(ProblemsFound):
    """The strict check's findings: every one blocks publication."""

    def show(self) -> str:
        lines = [p.show().replace(": warning: ", ": error: ", 1) if _blocks(p) else p.show() for p in self.problems]
        count = sum(_blocks(p) for p in self.problems)
        lines.append(f"{count} finding{'s' if count != 1 else ''} to fix before publishing; nothing was written.")
        return "\n".join(lines)


def _blocks(problem: SourceError) -> bool:
    return not isinstance(problem, Notice) and not getattr(problem, "notice", False)


def ledger_with(config: ProjectConfig, slug: str, number: str | None, day: dt.date) -> str:
    """The ledger's text as written, with one entry added at the end."""
    path = ledger_path(config)
    text = path.read_text(encoding="utf-8") if path.is_file() else LEDGER_HEADER
    if text.strip() in ("", "[]") or not text.endswith("\n"):
        text = LEDGER_HEADER if not text.strip() or text.strip() == "[]" else text + "\n"
    entry = f"- slug: {slug}\n" + (f"  number: {number}\n" if number else "") + f"  published: {day.isoformat()}\n"
    return text + entry


def set_front_matter(text: str, values: dict[str, str]) -> str:
    """Replace (or add, before the closing fence) top-level `key: value` lines of the front matter,
    leaving every other line, comment and blank as the author wrote it."""
    lines = text.split("\n")
    end = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
    missing = dict(values)
    for index in range(1, end):
        match = re.match(r"([A-Za-z_]+):(\s*)([^#]*?)(\s*#.*)?$", lines[index])
        if match and match.group(1) in missing:
            comment = match.group(4) or ""
            lines[index] = f"{match.group(1)}: {missing.pop(match.group(1))}{comment}"
    lines[end:end] = [f"{key}: {value}" for key, value in missing.items()]
    return "\n".join(lines)
