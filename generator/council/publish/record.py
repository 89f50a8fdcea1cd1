"""The publishing record: series numbers, the ledger of every URL the Council has published
(briefings/published.yml) and old slugs kept alive as aliases, checked by `council check`, so an old
link can never break without someone being told. `council publish` itself is authoring/publish_note.py."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from council.base.config import ProjectConfig
from council.base.errors import Location, SourceError
from council.base.model import Briefing
from council.publish.pages import briefing_folder

LEDGER_FILE = "published.yml"
LEDGER_HEADER = (
    "# The publishing record: every briefing URL the Council has published, with its series number.\n"
    "# `council publish` adds to it. Never delete an entry: a slug listed here must keep a page (the\n"
    "# note itself, an `aliases:` entry of the note that replaced it, or a withdrawn notice).\n"
)
KEEPS_URL = ("published", "withdrawn")  # statuses under which a note keeps its public URL


@dataclass(frozen=True)
class LedgerEntry:
    slug: str
    number: str | None
    line: int


def ledger_path(config: ProjectConfig) -> Path:
    return config.briefings_dir / LEDGER_FILE


def load_ledger(config: ProjectConfig) -> tuple[list[LedgerEntry], list[SourceError]]:
    """The ledger's entries with their lines; a missing ledger is an empty record."""
    path = ledger_path(config)
    if not path.is_file():
        return [], []
    text = path.read_text(encoding="utf-8")
    hint = "each entry is  - {slug: old-file-name, number: APRC-2026-001}"
    try:
        raw = yaml.safe_load(text) or []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return [], [SourceError(Location(path, mark.line + 1 if mark else 1), f"not valid YAML: {exc}", hint=hint)]
    if not isinstance(raw, list):
        return [], [SourceError(Location(path, 1), "the ledger must be a list of published briefings", hint=hint)]
    lines = {
        m.group(1): n
        for n, line in enumerate(text.split("\n"), 1)
        if (m := re.search(r"slug:\s*['\"]?([a-z0-9-]+)", line))
    }
    entries, problems = [], []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("slug"), str):
            problems.append(SourceError(Location(path, 1), f"a ledger entry without a slug: {item!r}", hint=hint))
            continue
        number = item.get("number")
        entries.append(LedgerEntry(item["slug"], str(number) if number else None, lines.get(item["slug"], 1)))
    return entries, problems


def field_line(path: Path, name: str) -> int:
    """The line of a top-level front matter key, for messages about fields the schema has accepted."""
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if line.startswith(f"{name}:"):
            return number
        if number > 1 and line.rstrip() == "---":
            break
    return 1


def record_problems(config: ProjectConfig, briefings: list[Briefing], *, require_numbers: bool) -> list[SourceError]:
    """Duplicate or reused numbers, published notes without one (with `require_numbers`, i.e. in
    `council check`, once the project keeps a ledger), aliases that would shadow a live page, and
    ledger URLs that lost their page."""
    entries, problems = load_ledger(config)
    # a project keeps a record once it has a ledger (the sample does; `council publish` starts one)
    require_numbers = require_numbers and ledger_path(config).is_file()
    problems.extend(_number_problems(config, briefings, entries, require_numbers))
    problems.extend(_alias_problems(briefings))
    problems.extend(_ledger_problems(config, briefings, entries))
    if ledger_path(config).is_file():
        problems.extend(_disagreements(config, briefings, entries))
    return problems


def _disagreements(config: ProjectConfig, briefings: list[Briefing], entries: list[LedgerEntry]) -> list[SourceError]:
    """A published note the ledger does not list (a `council publish` stopped between writing the note
    and the ledger: a warning, which that command, run again, mends) and a note whose number is not the
    one the ledger gave it (an error: one of the two was edited by hand)."""
    recorded = {entry.slug: entry for entry in entries}
    problems = []
    for briefing in briefings:
        entry = recorded.get(briefing.slug)
        if entry is None and briefing.status in KEEPS_URL:
            problems.append(
                SourceError(
                    Location(briefing.path, field_line(briefing.path, "status")),
                    f"this briefing is {briefing.status}, but briefings/{LEDGER_FILE} does not list it, "
                    "so nothing guards its URL (was `council publish` stopped part-way?)",
                    field="status",
                    warning=True,
                    hint=f"run `council publish {briefing.slug}`: it records the briefing in the ledger",
                )
            )
        elif entry is not None and entry.number and briefing.number and entry.number != briefing.number:
            problems.append(
                SourceError(
                    Location(briefing.path, field_line(briefing.path, "number")),
                    f"number {briefing.number} is not the {entry.number} that briefings/{LEDGER_FILE} "
                    f"(line {entry.line}) gave this briefing",
                    field="number",
                    hint=f"a briefing keeps the number it was published with: write number: {entry.number}",
                )
            )
    return problems


def _number_problems(
    config: ProjectConfig, briefings: list[Briefing], entries: list[LedgerEntry], require_numbers: bool
) -> list[SourceError]:
    problems, seen = [], {}
    for briefing in briefings:
        if briefing.number is None:
            if require_numbers and config.numbering_format and briefing.status in KEEPS_URL:
                problems.append(
                    SourceError(
                        Location(briefing.path, field_line(briefing.path, "status")),
                        "a published briefing needs a series number",
                        field="number",
                        hint=f"publish notes with `council publish {briefing.slug}`, which gives the next number",
                    )
                )
            continue
        if briefing.number in seen:
            problems.append(
                SourceError(
                    Location(briefing.path, field_line(briefing.path, "number")),
                    f"number {briefing.number} is already used by {seen[briefing.number]}.md",
                    field="number",
                    hint="a number belongs to one briefing; remove this one and "
                    "run `council publish`, which gives the next free number",
                )
            )
        seen.setdefault(briefing.number, briefing.slug)
    owners = {b.slug: b for b in briefings}
    for entry in entries:  # a number given once is never given again, even after a withdrawal
        holder = next((b for b in briefings if b.number == entry.number), None) if entry.number else None
        if (
            holder is not None
            and holder.slug != entry.slug
            and entry.slug not in holder.aliases
            and entry.slug in owners
        ):
            problems.append(
                SourceError(
                    Location(holder.path, field_line(holder.path, "number")),
                    f"number {entry.number} was given to {entry.slug} (briefings/{LEDGER_FILE} "
                    f"line {entry.line}) and is never reused",
                    field="number",
                    hint="remove it and run `council publish`, which gives the next free number",
                )
            )
    return problems


def _alias_problems(briefings: list[Briefing]) -> list[SourceError]:
    """An alias names an old URL: it may never take over a page that is still live, or be claimed twice."""
    slugs = {b.slug for b in briefings}
    claimed: dict[str, str] = {}
    problems = []
    for briefing in briefings:
        for alias in briefing.aliases:
            where = Location(briefing.path, field_line(briefing.path, "aliases"))
            if alias in slugs:
                problems.append(
                    SourceError(
                        where,
                        f"alias '{alias}' is the URL of the live briefing {alias}.md; a redirect there would hide it",
                        field="aliases",
                        hint="list only old file names that no note uses any more",
                    )
                )
            elif alias in claimed and claimed[alias] != briefing.slug:
                problems.append(
                    SourceError(
                        where,
                        f"alias '{alias}' is claimed by {claimed[alias]}.md too",
                        field="aliases",
                        hint="an old URL can lead to one briefing only",
                    )
                )
            claimed.setdefault(alias, briefing.slug)
    for briefing in briefings:
        if briefing.superseded_by and briefing.superseded_by not in slugs:
            problems.append(
                SourceError(
                    Location(briefing.path, field_line(briefing.path, "superseded_by")),
                    f"superseded_by names '{briefing.superseded_by}', which is not a briefing",
                    field="superseded_by",
                    hint="give the slug (file name without .md) of the briefing that replaces this one",
                )
            )
    return problems


def _ledger_problems(config: ProjectConfig, briefings: list[Briefing], entries: list[LedgerEntry]) -> list[SourceError]:
    keeping = {b.slug for b in briefings if b.status in KEEPS_URL}
    aliased = {alias for b in briefings if b.status in KEEPS_URL for alias in b.aliases}
    problems = []
    for entry in entries:
        if entry.slug in keeping or entry.slug in aliased:
            continue
        old_url = f"{briefing_folder(entry.slug)}/"
        gone = not (config.briefings_dir / f"{entry.slug}.md").is_file()
        why = f"briefings/{entry.slug}.md is gone" if gone else f"briefings/{entry.slug}.md is no longer published"
        heir = next((b for b in briefings if entry.number and b.number == entry.number), None)
        hint = (
            f"briefings/{heir.slug}.md carries its number {entry.number}: add  aliases: [{entry.slug}]  to it"
            if heir
            else f"add  aliases: [{entry.slug}]  to the note that replaced it"
        )
        problems.append(
            SourceError(
                Location(ledger_path(config), entry.line),
                f"the published URL {old_url} would break: {why}",
                field="aliases",
                hint=f"{hint}, or set status: withdrawn with a withdrawn_reason",
            )
        )
    return problems


# --- numbers ---
def number_pattern(fmt: str) -> re.Pattern[str]:
    """A regular expression reading {year} and {seq} back out of numbers made with `fmt`."""
    pattern, position = "", 0
    for match in re.finditer(r"\{(year|seq)(?::[^}]*)?\}", fmt):
        pattern += re.escape(fmt[position : match.start()]) + rf"(?P<{match.group(1)}>\d+)"
        position = match.end()
    return re.compile(pattern + re.escape(fmt[position:]) + "$")


def next_number(fmt: str, year: int, used: Iterable[str]) -> str:
    """One more than the highest sequence number given in `year` (the series restarts each year when
    the format has {year}), counting every number ever given, so none is reused."""
    pattern, highest = number_pattern(fmt), 0
    for number in used:
        match = pattern.match(number)
        if match and ("year" not in match.groupdict() or int(match["year"]) == year):
            highest = max(highest, int(match["seq"]))
    return fmt.format(year=year, seq=highest + 1)
