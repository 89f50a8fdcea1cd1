"""Tables and figures a note refers to: every `@fig-x` / `@tbl-y` cross-reference must name a figure or
table of the same note (render/common.lua numbers them and writes "Figure 1" in every format), and a
figure should have alt text of its own (`{fig-alt="..."}`) besides its caption.

Checked here, with file and line, before anything renders: in pandoc the reference would otherwise
reach the renderer as an unknown citation."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from council.base.errors import Location, SourceError
from council.sources.citation_keys import CITATION, is_crossref
from council.sources.prose import prose_lines

# an id in an attribute block: ![Caption](map.png){#fig-map} or a table caption ": Caption {#tbl-x}"
_ID = re.compile(r"\{[^{}]*?#((?:fig|tbl)-[\w:.\-]+)")
# a figure: an image alone on its line (pandoc makes a captioned image alone in its paragraph a figure)
_FIGURE = re.compile(r"^\s{0,3}!\[(?P<caption>[^\]]+)\]\([^)]*\)(?P<attributes>\{[^{}]*\})?\s*$")
_KINDS = {
    "fig": ("figure", "![Caption](image.png){#fig-name}"),
    "tbl": ("table", "a caption line under the table ending in {#tbl-name}"),
}


def float_problems(path: Path, body: str, first_line: int) -> list[SourceError]:
    """Unknown or repeated ids (errors) and figures without alt text of their own (warnings)."""
    lines = list(prose_lines(body, skip_comments=True))
    problems: list[SourceError] = []
    defined: dict[str, int] = {}
    for line in lines:
        for match in _ID.finditer(line.text):
            name, number = match.group(1), first_line + line.offset
            if name in defined:
                problems.append(
                    SourceError(
                        Location(path, number, match.start(1)),
                        f"the id '{name}' is used twice (first on line {defined[name]})",
                        hint="give each figure and table an id of its own",
                    )
                )
            defined.setdefault(name, number)
        figure = _FIGURE.match(line.text)
        if figure and "fig-alt=" not in (figure.group("attributes") or ""):
            problems.append(
                SourceError(
                    Location(path, first_line + line.offset, 1),
                    f"the figure '{figure.group('caption')}' has no alt text: screen readers will read its caption",
                    hint="describe what the image shows for someone who cannot see it: "
                    '![Caption](image.png){fig-alt="A bar chart of ..."}',
                    warning=True,
                )
            )
    for line in lines:
        for match in CITATION.finditer(line.text):
            name = match.group("braced") or match.group("bare")
            if is_crossref(name) and name not in defined:
                problems.append(_unknown(path, first_line + line.offset, match.start() + 1, name, defined))
    return problems


def _unknown(path: Path, line: int, column: int, name: str, defined: dict[str, int]) -> SourceError:
    kind, example = _KINDS[name[:3]]
    close = difflib.get_close_matches(name, list(defined), n=1)
    hint = f"did you mean @{close[0]}?" if close else f"give the {kind} an id where it is defined: {example}"
    return SourceError(
        Location(path, line, column), f"the cross-reference @{name} names no {kind} in this note", hint=hint
    )
