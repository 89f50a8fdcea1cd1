"""Where the contiguous workstreams converge with atrocity prevention (synergy) and where they diverge
(tension), as briefings declare it: a workstream x briefing matrix and a chart with its data table."""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

from council.model import Briefing
from council.vocabularies import vocabularies


@dataclass(frozen=True)
class WorkstreamCount:
    workstream: str
    label: str
    synergy: int
    tension: int


@dataclass(frozen=True)
class Matrix:
    workstreams: tuple[tuple[str, str], ...]           # (id, label) in vocabulary order
    briefings: tuple[Briefing, ...]                     # those declaring any intersection, newest first
    cells: dict[tuple[str, str], str]                   # (slug, workstream) -> synergy | tension
    counts: tuple[WorkstreamCount, ...]


def build_matrix(public: list[Briefing]) -> Matrix:
    labels = vocabularies()["workstreams"].labels
    declaring = tuple(sorted((b for b in public if b.intersections), key=lambda b: (b.date, b.slug), reverse=True))
    cells = {(b.slug, w): relation for b in declaring for w, relation in b.intersections}
    counts = tuple(WorkstreamCount(w, label,
                                   sum(1 for b in declaring if cells.get((b.slug, w)) == "synergy"),
                                   sum(1 for b in declaring if cells.get((b.slug, w)) == "tension"))
                   for w, label in labels.items())
    return Matrix(tuple(labels.items()), declaring, cells, counts)


# The chart: horizontal bars, one pair per workstream. Synergy bars are solid, tension bars hatched,
# and every bar carries its number, so nothing depends on colour alone.
_ROW, _BAR, _LABEL_W, _PLOT_W, _TOP = 46, 16, 250, 330, 40


def chart_svg(matrix: Matrix, title_id: str = "intersections-chart-title",
              desc_id: str = "intersections-chart-desc") -> str:
    largest = max([1, *(max(c.synergy, c.tension) for c in matrix.counts)])
    scale = (_PLOT_W - 30) / largest
    height = _TOP + _ROW * len(matrix.counts) + 10
    width = _LABEL_W + _PLOT_W
    description = "; ".join(f"{c.label}: {c.synergy} synergy, {c.tension} tension" for c in matrix.counts)
    parts = [
        (f'<svg class="council-chart" viewBox="0 0 {width} {height}" role="img" '
         f'aria-labelledby="{title_id} {desc_id}" xmlns="http://www.w3.org/2000/svg">'),
        f'<title id="{title_id}">Briefings finding synergy or tension, by workstream</title>',
        f'<desc id="{desc_id}">{escape(description)}.</desc>',
        ('<defs><pattern id="council-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
         'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
         '<rect width="3" height="6" fill="#a4262c"/></pattern></defs>'),
        '<g font-family="sans-serif" font-size="13" fill="#1b1b1b">',
        f'<rect x="{_LABEL_W}" y="8" width="14" height="14" fill="#1d5f8a"/>',
        f'<text x="{_LABEL_W + 20}" y="20">Synergy</text>',
        f'<rect x="{_LABEL_W + 100}" y="8" width="14" height="14" fill="url(#council-hatch)" stroke="#a4262c"/>',
        f'<text x="{_LABEL_W + 120}" y="20">Tension</text>',
    ]
    for row, count in enumerate(matrix.counts):
        y = _TOP + row * _ROW
        parts.append(f'<text x="{_LABEL_W - 8}" y="{y + _BAR + 4}" text-anchor="end">{escape(_short(count.label))}</text>')
        for offset, (value, fill) in enumerate(((count.synergy, "#1d5f8a"), (count.tension, "url(#council-hatch)"))):
            bar_y = y + offset * (_BAR + 2)
            bar_w = value * scale
            stroke = ' stroke="#a4262c"' if offset else ""
            parts.append(f'<rect x="{_LABEL_W}" y="{bar_y}" width="{bar_w:.1f}" height="{_BAR}" fill="{fill}"{stroke}/>')
            parts.append(f'<text x="{_LABEL_W + bar_w + 6:.1f}" y="{bar_y + _BAR - 3}">{value}</text>')
    parts.append(f'<line x1="{_LABEL_W}" y1="{_TOP - 4}" x2="{_LABEL_W}" y2="{height - 6}" stroke="#1b1b1b"/>')
    parts.append("</g></svg>")
    return "\n".join(parts)


def _short(label: str, limit: int = 34) -> str:
    """Chart labels are shortened; the table beside the chart gives them in full."""
    return label if len(label) <= limit else label[:limit - 1].rstrip() + "…"
