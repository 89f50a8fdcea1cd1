"""Load every .bib file in bibliography/ into a Library: keys with their file and line, and CSL JSON.

bibtexparser gives keys, types and line numbers for messages; pandoc's own BibLaTeX reader converts
entries to CSL JSON (it knows LaTeX accents, @string macros, crossref and BibLaTeX types best), so
citeproc later reads only the small per-briefing subsets it needs.
"""
from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
from bibtexparser.model import DuplicateBlockKeyBlock, Entry, ParsingFailedBlock

from council.cache import ContentCache, content_key
from council.errors import Location, SourceError, ToolError
from council.model import BibEntry, Library
from council.sources.text import read_source_text
from council.tools import run_pandoc, tool_versions


def bib_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.bib") if p.is_file())


def load_library(directory: Path, cache: ContentCache) -> tuple[Library, list[SourceError]]:
    """Every entry of every .bib file; duplicate keys and unreadable entries come back as problems."""
    entries: dict[str, BibEntry] = {}
    csl: dict[str, dict] = {}
    problems: list[SourceError] = []
    for path in bib_files(directory):
        try:
            text = read_source_text(path)
        except SourceError as error:
            problems.append(error)
            continue
        file_entries, file_problems = parse_entries(path, text)
        problems.extend(file_problems)
        for entry in file_entries:
            if entry.key in entries:
                first = entries[entry.key]
                problems.append(SourceError(
                    Location(path, entry.line), f"duplicate key '{entry.key}' (also at {Location(first.path, first.line)})",
                    hint="give one of the works another key, or delete the copy"))
                continue
            entries[entry.key] = entry
        for item in to_csl_json(path, text, cache):
            csl.setdefault(str(item.get("id")), item)
    csl = {key: item for key, item in csl.items() if key in entries}
    return Library(entries, csl), problems


def parse_entries(path: Path, text: str) -> tuple[list[BibEntry], list[SourceError]]:
    library = bibtexparser.parse_string(text)
    problems = []
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            problems.append(SourceError(Location(path, line), f"duplicate key '{block.key}' in the same file",
                                        hint="give one of the works another key, or delete the copy"))
        elif isinstance(block, ParsingFailedBlock):
            snippet = " ".join(block.raw.strip().split())[:80]
            problems.append(SourceError(Location(path, line), f"this entry cannot be read: {snippet!r}",
                                        hint="check its braces, commas and the '@type{key,' opening"))
    entries = [_entry(path, e) for e in library.entries]
    return entries, problems


def _entry(path: Path, entry: Entry) -> BibEntry:
    fields = {f.key.lower(): str(f.value) for f in entry.fields}
    return BibEntry(entry.key, entry.entry_type.lower(), path, entry.start_line + 1, fields)


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
