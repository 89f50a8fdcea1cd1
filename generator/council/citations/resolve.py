"""Check every cited key against the library; a missing key is an error, never a silent '???'."""
from __future__ import annotations

from council.errors import Location, SourceError
from council.model import Briefing, Library
from council.vocabularies import nearest


def missing_keys(briefing: Briefing, library: Library) -> list[SourceError]:
    problems = []
    for citation in briefing.citations:
        if citation.key in library.entries:
            continue
        guesses = nearest(citation.key, library.entries, count=3)
        hint = ("did you mean " + " or ".join(f"'@{g}'" for g in guesses) + "?") if guesses else \
            "add the work to a .bib file in bibliography/ (export it from Zotero), or fix the key"
        problems.append(SourceError(Location(briefing.path, citation.line, citation.column),
                                    f"citation key '@{citation.key}' is not in the bibliography", hint=hint))
    return problems
