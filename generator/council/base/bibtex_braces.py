"""Where a BibTeX value delimited by braces or quotes ends, counted as BibTeX counts: every `{` and
`}` is a brace, a backslash before it or not (`\\{` and `\\}` count too). The one place for this rule:
the reader (sources/bibtex.py) and the public-field filter (base/public_fields.py) both use it, so
they never disagree about where a field ends.
"""

from __future__ import annotations

import re

_BRACES = re.compile(r"[{}]")
_QUOTE_OR_BRACES = re.compile(r'[{}"]')


def braced_end(text: str, opening: int) -> int | None:
    """Offset just past the `}` that closes the `{` at `opening`, or None if the text ends first."""
    depth = 0
    for brace in _BRACES.finditer(text, opening):
        depth += 1 if brace.group(0) == "{" else -1
        if depth == 0:
            return brace.end()
    return None


def quoted_end(text: str, opening: int) -> int | None:
    """Offset just past the `"` that closes the one at `opening` (a `"` inside braces does not close
    it), or None if the text ends first."""
    depth = 0
    for mark in _QUOTE_OR_BRACES.finditer(text, opening + 1):
        char = mark.group(0)
        if char == '"' and depth == 0:
            return mark.end()
        depth += 1 if char == "{" else -1 if char == "}" else 0
    return None
