"""Load every .bib file in bibliography/ into a Library: keys with their file and line, and CSL JSON.

bibtexparser gives keys, types and line numbers for messages; pandoc's own BibLaTeX reader converts
entries to CSL JSON (it knows LaTeX accents, @string macros, crossref and BibLaTeX types best), so
citeproc later reads only the small per-briefing subsets it needs.
"""
from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import bibtexparser
from bibtexparser.model import DuplicateBlockKeyBlock, Entry, ParsingFailedBlock

from council.cache import ContentCache, content_key
from council.errors import Location, SourceError, ToolError
from council.model import BibEntry, Library
from council.sources.text import read_source_text
from council.tools import run_pandoc, tool_versions

# bibtexparser logs each unreadable block itself; council reports them once, with file and line.
logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)


def bib_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.bib") if p.is_file())


def load_library(directory: Path, cache: ContentCache) -> tuple[Library, list[SourceError]]:
    """Every entry of every .bib file; duplicate keys and unreadable entries come back as problems."""
    return load_library_files(bib_files(directory), cache)


def load_library_files(paths: list[Path], cache: ContentCache) -> tuple[Library, list[SourceError]]:
    entries: dict[str, BibEntry] = {}
    csl: dict[str, dict] = {}
    strings: list[str] = []
    problems: list[SourceError] = []
    for path in paths:
        try:
            loaded = load_bib_file(path, cache)
        except SourceError as error:
            problems.append(error)
            continue
        problems.extend(loaded.problems)
        strings.extend(loaded.strings)
        for entry in loaded.entries:
            if entry.key in entries:
                first = entries[entry.key]
                problems.append(SourceError(
                    Location(path, entry.line), f"duplicate key '{entry.key}' (also at {Location(first.path, first.line)})",
                    hint="give one of the works another key, or delete the copy"))
                continue
            entries[entry.key] = entry
            csl[entry.key] = loaded.csl[entry.key]
    return Library(entries, csl, tuple(strings)), problems


@dataclass(frozen=True)
class BibFile:
    """One .bib file as read: its entries (with lines), their CSL JSON, @string macros and problems."""

    path: Path
    entries: list[BibEntry]
    csl: dict[str, dict]
    strings: list[str]  # the raw @string blocks, for BibTeX exports of entries that use them
    problems: list[SourceError]


def load_bib_file(path: Path, cache: ContentCache) -> BibFile:
    """Read one file; every entry bibtexparser finds must come back from pandoc, or it is a problem.
    A file read without problems is kept in the cache (as JSON), keyed by its content, not its path (a
    moved checkout reuses it; the path is attached on reading)."""
    text = read_source_text(path)
    key = content_key("bib-file", tool_versions(), text, Path(__file__).read_bytes())
    cached = cache.get(key, "bibfile.json")
    if cached is not None:
        return _bib_file_from_json(path, json.loads(cached))
    loaded = _read_bib_file(path, text, cache)
    if not loaded.problems:
        cache.put(key, "bibfile.json", json.dumps(_bib_file_to_json(loaded), ensure_ascii=False).encode())
    return loaded


def _bib_file_to_json(loaded: BibFile) -> dict:
    entries = [{"key": e.key, "type": e.entry_type, "line": e.line, "fields": e.fields, "raw": e.raw,
                "field_lines": e.field_lines} for e in loaded.entries]
    return {"entries": entries, "csl": loaded.csl, "strings": loaded.strings}


def _bib_file_from_json(path: Path, data: dict) -> BibFile:
    entries = [BibEntry(e["key"], e["type"], path, e["line"], e["fields"], e["raw"], e["field_lines"])
               for e in data["entries"]]
    return BibFile(path, entries, data["csl"], data["strings"], [])


def _read_bib_file(path: Path, text: str, cache: ContentCache) -> BibFile:
    parsed = bibtexparser.parse_string(text)
    entries, problems = parse_entries(path, text, parsed)
    readable = without_failed_blocks(text, parsed)
    try:
        converted = {str(item.get("id")): item for item in to_csl_json(path, readable, cache)}
    except SourceError as whole_file:
        converted = _convert_one_by_one(path, parsed, cache, whole_file, problems)
    macros = {block.key.lower(): str(block.value) for block in parsed.strings}
    lookup = raw_fields(parsed.entries, macros)
    csl: dict[str, dict] = {}
    kept = []
    for entry in entries:
        if entry.entry_type == "xdata":
            continue  # a container of shared fields (already merged into its users), not a work to cite
        item = converted.get(entry.key)
        if item is None:
            if not any(p.location.line == entry.line for p in problems):
                problems.append(SourceError(
                    Location(path, entry.line), f"entry '{entry.key}' could not be converted for citing",
                    hint="check its type and fields; pandoc's BibLaTeX reader skipped it"))
            continue
        csl[entry.key] = complete_csl_item(item, functools.partial(lookup, entry.key))
        kept.append(entry)
    return BibFile(path, kept, csl, [block.raw for block in parsed.strings], problems)


def without_failed_blocks(text: str, parsed: bibtexparser.Library) -> str:
    """The file as pandoc should see it: blocks that cannot be read (already reported) blanked out,
    so one broken entry does not cost the rest of the file."""
    for block in parsed.failed_blocks:
        if block.raw and block.raw in text:
            text = text.replace(block.raw, re.sub(r"[^\n]", " ", block.raw), 1)
    return text


def _convert_one_by_one(path: Path, parsed: bibtexparser.Library, cache: ContentCache,
                        whole_file: SourceError, problems: list[SourceError]) -> dict[str, dict]:
    """pandoc refused the file but bibtexparser read it: find the entries pandoc refuses, keep the rest."""
    macros = "\n".join(block.raw for block in parsed.strings)
    converted: dict[str, dict] = {}
    for entry in parsed.entries:
        try:
            items = to_csl_json(path, macros + "\n" + entry.raw, cache)
        except SourceError as error:
            problems.append(SourceError(Location(path, entry.start_line + 1), error.message,
                                        hint="check this entry's braces and field syntax"))
            continue
        converted.update({str(item.get("id")): item for item in items})
    return converted


def parse_entries(path: Path, text: str, library: bibtexparser.Library | None = None,
                  ) -> tuple[list[BibEntry], list[SourceError]]:
    library = library if library is not None else bibtexparser.parse_string(text)
    problems = []
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            problems.append(SourceError(Location(path, line), f"duplicate key '{block.key}' in the same file",
                                        hint="give one of the works another key, or delete the copy"))
        elif isinstance(block, ParsingFailedBlock):
            problems.append(SourceError(Location(path, line), "this entry cannot be read:\n" + text_around(text, line),
                                        hint="check its braces, commas and the '@type{key,' opening"))
    entries = [_entry(path, e) for e in library.entries]
    return entries, problems


def text_around(text: str, line: int, before: int = 1, after: int = 2) -> str:
    """The lines around a problem, numbered as an editor shows them."""
    lines = text.split("\n")
    first, last = max(1, line - before), min(len(lines), line + after)
    return "\n".join(f"    {n:>5} | {lines[n - 1]}" for n in range(first, last + 1))


def _entry(path: Path, entry: Entry) -> BibEntry:
    fields = {f.key.lower(): str(f.value) for f in entry.fields}
    field_lines = {f.key.lower(): (f.start_line or entry.start_line) + 1 for f in entry.fields}
    return BibEntry(entry.key, entry.entry_type.lower(), path, entry.start_line + 1, fields,
                    raw=entry.raw, field_lines=field_lines)


# BibLaTeX literal lists: "and" separates items, and biblatex prints them joined by "and" again;
# pandoc joins them with "; ", which turns "Co-operation and Development" into "Co-operation; Development".
_LITERAL_LISTS = {"publisher": ("publisher", "institution", "organization"), "publisher-place": ("location", "address")}
_TOP_LEVEL_AND = re.compile(r"\s+and\s+")


def complete_csl_item(item: dict, raw_field: Callable[[str], str | None]) -> dict:
    """Mend what pandoc's conversion loses for citeproc: literal lists, TeX dashes, the court of a case.
    `raw_field` gives a field as written (macros expanded, inherited from crossref/xdata parents)."""
    item = dict(item)
    for variable, fields in _LITERAL_LISTS.items():
        raw = next((value for value in map(raw_field, fields) if value is not None), None)
        if variable in item and raw is not None and ";" not in raw and _has_top_level_and(raw):
            item[variable] = item[variable].replace("; ", " and ")
    for variable, value in item.items():
        if isinstance(value, str) and "--" in value and variable not in _VERBATIM:
            item[variable] = value.replace("---", "\u2014").replace("--", "\u2013")
    # pandoc turns titles into sentence case for styles that title-case them, but OSCOLA prints the
    # book holding a chapter, and the names of cases and statutes, as they stand: keep the author's capitals.
    _restore_capitals(item, "container-title", raw_field("booktitle"))
    if item.get("type") in _NAMED_TYPES:
        _restore_capitals(item, "title", raw_field("title"))
    if item.get("type") == "legal_case" and "authority" not in item and "publisher" in item:
        # Zotero's Better BibLaTeX and biblatex users put the court in institution/organization;
        # CSL styles (OSCOLA above all) print the court from 'authority'.
        item["authority"] = item.pop("publisher")
    return item


_VERBATIM = {"URL", "DOI", "id", "ISBN", "ISSN"}
_NAMED_TYPES = {"legal_case", "legislation", "treaty", "bill"}


def _restore_capitals(item: dict, variable: str, raw: str | None) -> None:
    """Use the title as written when it differs from pandoc's only in case (and holds no TeX commands)."""
    if raw is None or not isinstance(item.get(variable), str) or "\\" in raw:
        return
    written = " ".join(raw.replace("{", "").replace("}", "").split())
    if written != item[variable] and written.casefold() == item[variable].casefold():
        item[variable] = written


def raw_fields(entries: list[Entry], macros: dict[str, str]) -> Callable[[str, str], str | None]:
    """Look up a field as written in the file, expanding @string macros and following crossref/xdata."""
    by_key = {e.key: {f.key.lower(): str(f.value) for f in e.fields} for e in entries}

    def expand(value: str) -> str:
        parts = []
        for part in (p.strip() for p in value.split("#")):
            if part.lower() in macros:
                part = macros[part.lower()]
            elif part[:1] in "{\"" and len(part) > 1 and part[-1:] in "}\"":
                part = part[1:-1]
            parts.append(part)
        return "".join(parts)

    def lookup(key: str, field: str, depth: int = 0) -> str | None:
        fields = by_key.get(key, {})
        if field in fields:
            return expand(fields[field])
        for link in ("crossref", "xdata"):
            for parent in fields.get(link, "").split(","):
                if parent.strip() and depth < 4:
                    found = lookup(parent.strip(), field, depth + 1)
                    if found is not None:
                        return found
        return None

    return lookup


def _has_top_level_and(raw: str) -> bool:
    depth, flat = 0, []
    for char in raw:
        depth += char == "{"
        flat.append(char if depth == 0 else "_")
        depth -= char == "}"
    return bool(_TOP_LEVEL_AND.search("".join(flat)))


def to_csl_json(path: Path, text: str, cache: ContentCache) -> list[dict]:
    key = content_key("csl-json", tool_versions(), text)
    cached = cache.get(key, "items.json")
    if cached is not None:
        return json.loads(cached)
    try:
        output = run_pandoc(["--from", "biblatex", "--to", "csljson"], input_text=text)
    except ToolError as exc:
        raise SourceError(Location(path), f"pandoc could not read this bibliography: {exc}") from None
    cache.put(key, "items.json", output.encode("utf-8"))
    return json.loads(output)
