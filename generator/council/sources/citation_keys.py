"""Find pandoc citation keys (`[@key, p 3]`, `@key`, `@{key}`) in Markdown with their positions, and
check every cited key against the library: a missing key is an error, never a silent '???'."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Protocol

from council.base.errors import Location, SourceError
from council.base.model import Citation, Library
from council.base.vocabularies import nearest
from council.sources.prose import prose_lines

# Pandoc's rule: a key starts with a letter, digit or _, and may contain internal punctuation
# from :.#$%&-+?<>~/ ; trailing punctuation belongs to the sentence, not the key.
_KEY = r"[\w](?:[\w:.#$%&\-+?<>~/]*[\w])?"
CITATION = re.compile(r"(?<![\w@\\])@(?:\{(?P<braced>[^{}\s]+)\}|(?P<bare>" + _KEY + r"))")
# `@fig-x` and `@tbl-y` name a figure or table of the note (Quarto's syntax), never a work
CROSSREF = re.compile(r"(?:fig|tbl)-.")


def is_crossref(key: str) -> bool:
    return CROSSREF.match(key) is not None


def find_citations(path: Path, body: str, first_line: int) -> tuple[list[Citation], list[SourceError]]:
    citations: list[Citation] = []
    for line in prose_lines(body, skip_comments=True):  # pandoc ignores comments, so do we
        if "@" not in line.text:
            continue
        for match in CITATION.finditer(line.text):
            key = match.group("braced") or match.group("bare")
            if is_crossref(key):  # checked by sources/floats.py
                continue
            citations.append(Citation(key, first_line + line.offset, match.start() + 1))
    return citations, []


class Citing(Protocol):
    """A briefing, a report section, or a note too broken to load that still cites works."""

    @property
    def path(self) -> Path: ...

    @property
    def citations(self) -> tuple[Citation, ...]: ...


def missing_keys(briefing: Citing, library: Library) -> list[SourceError]:
    problems = []
    for citation in briefing.citations:
        if citation.key in library.entries:
            continue
        guesses = nearest(citation.key, library.entries, count=3)
        # `@council` in prose reads as a citation: say how to write the character itself
        literal = f"for a literal @, not a citation, write '\\@{citation.key}'"
        hint = (
            ("did you mean " + " or ".join(f"'@{g}'" for g in guesses) + f"? ({literal})")
            if guesses
            else f"add the work to a .bib file in bibliography/ (export it from Zotero), or fix the key; {literal}"
        )
        problems.append(
            SourceError(
                Location(briefing.path, citation.line, citation.column),
                f"citation key '@{citation.key}' is not in the bibliography",
                hint=hint,
            )
        )
    return problems
