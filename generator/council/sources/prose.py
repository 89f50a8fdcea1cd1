"""The lines of a note that pandoc reads as prose: fenced code is skipped and inline code blanked,
keeping every position true, so checks can point at the exact line and column."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})(.*)$")
_CODE_SPAN = re.compile(r"(`+)(?:.+?)\1")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


@dataclass(frozen=True)
class ProseLine:
    offset: int  # 0-based line number within the body
    text: str  # the line with inline code blanked; "" on a fence's opening line
    fence_info: str | None = None  # on an opening fence line: what follows the backticks


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def prose_text(body: str, *, skip_comments: bool = False) -> str | None:
    """The body as prose_lines() gives it, whole: its lines are their texts. None when the body may hold a
    code fence (```, ~~~), whose lines only prose_lines() can tell apart."""
    if skip_comments and "<!--" in body:
        body = _COMMENT.sub(_blank, body)
    if "```" in body or "~~~" in body:
        return None
    # the code-span pattern cannot cross a line end, so one pass over the body blanks what a pass per line would
    return _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), body) if "`" in body else body


def prose_lines(body: str, *, skip_comments: bool = False) -> Iterator[ProseLine]:
    if skip_comments and "<!--" in body:
        body = _COMMENT.sub(_blank, body)
    fence: str | None = None
    lines = body.split("\n")
    closers = _longest_closers(lines)
    for offset, line in enumerate(lines):
        opener = _FENCE.match(line) if ("`" in line or "~" in line) else None
        if opener and not fence and closers[opener.group(1)[0]][offset + 1] < len(opener.group(1)):
            opener = None  # a fence that never closes is text to pandoc, and so is all that follows it
        if fence:
            if (
                opener
                and opener.group(1)[0] == fence[0]
                and len(opener.group(1)) >= len(fence)
                and not opener.group(2).strip()
            ):
                fence = None
            continue
        if opener:
            fence = opener.group(1)
            yield ProseLine(offset, "", opener.group(2))
            continue
        if "`" in line:
            line = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)
        yield ProseLine(offset, line)


def _longest_closers(lines: list[str]) -> dict[str, list[int]]:
    """For each fence character, the longest bare fence (a possible closer) at or after each line: with
    it, whether a fence ever closes is known in one pass, however many are left open."""
    longest = {"`": [0] * (len(lines) + 1), "~": [0] * (len(lines) + 1)}
    for offset in range(len(lines) - 1, -1, -1):
        for character in longest:
            longest[character][offset] = longest[character][offset + 1]
        line = lines[offset]
        fence = _FENCE.match(line) if ("`" in line or "~" in line) else None
        if fence and not fence.group(2).strip():
            character = fence.group(1)[0]
            longest[character][offset] = max(longest[character][offset], len(fence.group(1)))
    return longest
