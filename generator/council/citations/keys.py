"""Find pandoc citation keys (`[@key, p 3]`, `@key`, `@{key}`) in Markdown with their positions."""
from __future__ import annotations

import re
from pathlib import Path

from council.errors import SourceError
from council.model import Citation
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
