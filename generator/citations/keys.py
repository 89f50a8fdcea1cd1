"""Find pandoc citation keys (`[@key, p 3]`, `@key`, `@{key}`) in Markdown with their positions."""
from __future__ import annotations

import re
from pathlib import Path

from council.errors import SourceError
from council.model import Citation

# Pandoc's rule: a key starts with a letter, digit or _, and may contain internal punctuation
# from :.#$%&-+?<>~/ ; trailing punctuation belongs to the sentence, not the key.
_KEY = r"[\w](?:[\w:.#$%&\-+?<>~/]*[\w])?"
CITATION = re.compile(r"(?<![\w@\\])@(?:\{(?P<braced>[^{}\s]+)\}|(?P<bare>" + _KEY + r"))")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:.+?)\1")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def _blank(match: re.Match[str]) -> str:
    """Replace text by spaces, keeping line breaks so positions stay true."""
    return re.sub(r"[^\n]", " ", match.group(0))


def find_citations(path: Path, body: str, first_line: int) -> tuple[list[Citation], list[SourceError]]:
    citations: list[Citation] = []
    fence: str | None = None
    body = _COMMENT.sub(_blank, body)  # pandoc ignores comments, so do we
    for offset, line in enumerate(body.split("\n")):
        opener = _FENCE.match(line)
        if fence:
            if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence):
                fence = None
            continue
        if opener:
            fence = opener.group(1)
            continue
        visible = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)
        for match in CITATION.finditer(visible):
            key = match.group("braced") or match.group("bare")
            citations.append(Citation(key, first_line + offset, match.start() + 1))
    return citations, []
