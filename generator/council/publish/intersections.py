"""Where the contiguous workstreams converge with atrocity prevention (synergy) and where they diverge
(tension), as briefings declare it: a workstream x briefing matrix and a chart with its data table."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from council.base.model import Briefing
from council.base.vocabularies import vocabularies


@dataclass(frozen=True)
class WorkstreamCount:
    workstream: str
    label: str
    synergy: int
    tension: int


@dataclass(frozen=True)
class Matrix:
    workstreams: tuple[tuple[str, str], ...]  # (id, label) in vocabulary order
    briefings: tuple[Briefing, ...]  # those declaring any intersection, newest first
    cells: dict[tuple[str, str], str]  # (slug, workstream) -> synergy | tension
    counts: tuple[WorkstreamCount, ...]


def build_matrix(public: list[Briefing]) -> Matrix:
    labels = vocabularies()["workstreams"].labels
    declaring = tuple(sorted((b for b in public if b.intersections), key=lambda b: (b.date, b.slug), reverse=True))
    cells = {(b.slug, w): relation for b in declaring for w, relation in b.intersections}
    counts = tuple(
        WorkstreamCount(
            w,
            label,
            sum(1 for b in declaring if cells.get((b.slug, w)) == "synergy"),
            sum(1 for b in declaring if cells.get((b.slug, w)) == "tension"),
        )
        for w, label in labels.items()
    )
    return Matrix(tuple(labels.items()), declaring, cells, counts)


# The chart: horizontal bars, one pair per workstream, each pair under its workstream's name in full.
# Synergy bars are solid, tension bars hatched, and every bar carries its number, so nothing depends on
# colour alone. It is drawn 360 units wide, a phone's text column: on a 390 px screen the text is shown
# at its own 13 px, and no label is shortened or cut.
_WIDTH, _BAR, _LINE, _GAP, _TOP, _FONT = 360, 14, 17, 14, 34, 13
_LABEL_CHARS = 44  # a line of 13-unit sans-serif text within the width


def chart_svg(
    matrix: Matrix, title_id: str = "intersections-chart-title", desc_id: str = "intersections-chart-desc"
) -> str:
    largest = max([1, *(max(c.synergy, c.tension) for c in matrix.counts)])
    scale = (_WIDTH - 30) / largest
    rows = [(count, _lines(count.label)) for count in matrix.counts]
    height = _TOP + sum(len(lines) * _LINE + 2 * _BAR + 2 + _GAP for _, lines in rows)
    description = "; ".join(f"{c.label}: {c.synergy} synergy, {c.tension} tension" for c in matrix.counts)
    parts = [
        (
            f'<svg class="council-chart" viewBox="0 0 {_WIDTH} {height}" role="img" '
            f'aria-labelledby="{title_id} {desc_id}" xmlns="http://www.w3.org/2000/svg">'
        ),
        f'<title id="{title_id}">Briefings finding synergy or tension, by workstream</title>',
        f'<desc id="{desc_id}">{escape(description)}.</desc>',
        (
            '<defs><pattern id="council-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
            'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
            '<rect width="3" height="6" fill="#a4262c"/></pattern></defs>'
        ),
        f'<g font-family="sans-serif" font-size="{_FONT}" fill="#1b1b1b">',
        '<rect x="0" y="8" width="14" height="14" fill="#1d5f8a"/>',
        '<text x="20" y="20">Synergy</text>',
        '<rect x="100" y="8" width="14" height="14" fill="url(#council-hatch)" stroke="#a4262c"/>',
        '<text x="120" y="20">Tension</text>',
    ]
    y = _TOP
    for count, lines in rows:
        for line in lines:
            y += _LINE
            parts.append(f'<text x="0" y="{y - 4}">{escape(line)}</text>')
        for offset, (value, fill) in enumerate(((count.synergy, "#1d5f8a"), (count.tension, "url(#council-hatch)"))):
            bar_y = y + offset * (_BAR + 2)
            bar_w = value * scale
            stroke = ' stroke="#a4262c"' if offset else ""
            parts.append(f'<rect x="0" y="{bar_y}" width="{bar_w:.1f}" height="{_BAR}" fill="{fill}"{stroke}/>')
            parts.append(f'<text x="{bar_w + 6:.1f}" y="{bar_y + _BAR - 2}">{value}</text>')
        y += 2 * _BAR + 2 + _GAP
    parts.append("</g></svg>")
    return "\n".join(parts)


def _lines(label: str) -> list[str]:
    """A workstream's name in full, over as many lines as it needs (the table beside repeats it)."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= _LABEL_CHARS:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines
