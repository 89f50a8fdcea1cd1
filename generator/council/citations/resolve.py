"""Check every cited key against the library; a missing key is an error, never a silent '???'."""
from __future__ import annotations

from pathlib import Path
from typing import Protocol

from council.errors import Location, SourceError
from council.model import Citation, Library
from council.vocabularies import nearest


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
        hint = ("did you mean " + " or ".join(f"'@{g}'" for g in guesses) + f"? ({literal})") if guesses else \
            f"add the work to a .bib file in bibliography/ (export it from Zotero), or fix the key; {literal}"
        problems.append(SourceError(Location(briefing.path, citation.line, citation.column),
                                    f"citation key '@{citation.key}' is not in the bibliography", hint=hint))
    return problems
