"""Charts for the report, drawn with matplotlib's Agg backend and saved with fixed metadata so the
same data always gives the same bytes. Each chart has alt text and sits beside a table of its data.

Their text is in the document's font: the SVG keeps its text as text in Libertinus Serif, which typst
(built in) sets in the PDF, and the PNG for the Word and ODT files is that same SVG rendered by typst.
matplotlib has no Libertinus file, so it lays the text out with DejaVu Sans's wider metrics: the
labels have room to spare, never too little."""

from __future__ import annotations

import io
import json
import logging
import tempfile
from base64 import b64decode, b64encode
from dataclasses import asdict, dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path

from council.base.cache import ContentCache
from council.base.keys import SharedInputs, render_key
from council.render.pdf import shipped_fonts
from council.report.figures import Figures, count, days, money

COLOUR = "#1d4e89"  # the Council's blue, 8.6:1 against white
TARGET_COLOUR = "#a3261b"  # a dark red, distinguishable by line style as well as colour
PNG_DPI = 150
DOCUMENT_FONT = "Libertinus Serif"  # the PDF's text font (templates/_fonts.typ.j2), built into typst
STYLE = {
    "svg.hashsalt": "council-report",  # stable ids inside the SVG
    "svg.fonttype": "none",  # text as text: typst sets it in the document's font
    "font.family": [DOCUMENT_FONT, "DejaVu Sans"],  # DejaVu (shipped with matplotlib) for the layout's metrics
    "font.size": 10,  # drawn 4.8 in wide: on a 390 px phone the text is still about 10 px
    "axes.spines.top": False,
    "axes.spines.right": False,
}


@dataclass(frozen=True)
class Chart:
    key: str
    caption: str
    alt: str
    table_key: str  # the table holding the same figures
    svg: bytes
    png: bytes


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels, from the PNG header's IHDR chunk."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def charts(figures: Figures, cache: ContentCache, shared: SharedInputs) -> list[Chart]:
    """The period's charts, drawn once for each set of figures (matplotlib takes over a second)."""
    key = render_key("charts", shared, figures, derived=[version("matplotlib")])
    stored = cache.get(key, "charts.json")
    if stored is not None:
        return [
            Chart(**{**item, "svg": b64decode(item["svg"]), "png": b64decode(item["png"])})
            for item in json.loads(stored)
        ]
    made = _draw(figures)
    cache.put(
        key,
        "charts.json",
        json.dumps(
            [{**asdict(c), "svg": b64encode(c.svg).decode(), "png": b64encode(c.png).decode()} for c in made]
        ).encode(),
    )
    return made


def _draw(figures: Figures) -> list[Chart]:
    made = []
    data = figures.chart_data
    if data.get("actions-by-tool"):
        items = data["actions-by-tool"]
        top = max(items, key=lambda item: item[1])
        made.append(
            _bar_chart(
                "actions-by-tool",
                "Chart of actions by toolkit tool",
                items,
                count,
                f"Horizontal bar chart of the {count(figures.actions_total)} actions taken in {figures.period} by toolkit "
                f"tool. The most used tool was {top[0].lower()}, with {count(top[1])} actions. "
                "The table that follows gives every figure.",
                "actions-by-tool",
                "Actions",
            )
        )
    if data.get("funding-by-fund"):
        items = data["funding-by-fund"]
        made.append(
            _bar_chart(
                "funding-by-fund",
                "Chart of funding spent by fund",
                items,
                money,
                f"Horizontal bar chart of the {money(figures.funding_total)} spent in {figures.period}, by fund. "
                f"The largest was {items[0][0]}, with {money(items[0][1])}. The table that follows gives every figure.",
                "funding-by-fund",
                "Pounds spent",
                ticks=short_money,
            )
        )
    if data.get("aia-days"):
        items = data["aia-days"]
        target = figures.aia_target_days
        late = sum(1 for _, value in items if value > target)
        made.append(
            _bar_chart(
                "aia-days",
                "Chart of days from trigger to completion, against the target",
                items,
                count,
                f"Horizontal bar chart of the days each of the {count(len(items))} assessments completed in "
                f"{figures.period} took from trigger to completion, with a dashed line at the {target}-day target. "
                f"{count(late)} took longer than the target; the median was {days(figures.aia_median_days or 0)} days. "
                "The register in the table that follows gives every date.",
                "aia-register",
                "Days",
                target=target,
            )
        )
    return made


def _bar_chart(
    key: str,
    caption: str,
    items: list[tuple[str, float]],
    label,
    alt: str,
    table_key: str,
    axis: str,
    *,
    target: int | None = None,
    ticks=None,
) -> Chart:
    plt, ticker = _pyplot()
    with plt.rc_context(STYLE):
        names = [_wrap(name) for name, _ in items][::-1]
        lines = max(len(name) for name in names)
        figure, axes = plt.subplots(figsize=(4.8, (0.2 + 0.17 * lines) * len(items) + 0.9))
        values = [value for _, value in items][::-1]
        bars = axes.barh(range(len(values)), values, color=COLOUR)
        _category_labels(axes, names)
        # on a white ground, so that the target line never runs through a number
        axes.bar_label(
            bars,
            labels=[label(v) for v in values],
            padding=3,
            fontsize=9,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
        )
        axes.set_xlabel(axis)
        axes.xaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: (ticks or label)(v)))
        axes.xaxis.set_major_locator(ticker.MaxNLocator(nbins=4, integer=True))  # few ticks: labels never touch
        axes.margins(x=0.32)  # room for the longest bar's label
        if target is not None:
            axes.axvline(target, color=TARGET_COLOUR, linestyle="--", linewidth=1.2)
            axes.annotate(
                f"target: {target} days",
                (target, len(items) - 0.4),
                color=TARGET_COLOUR,
                fontsize=9,
                xytext=(4, 0),
                textcoords="offset points",
            )
        figure.tight_layout()
        svg = io.BytesIO()
        figure.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
        plt.close(figure)
    return Chart(key, caption, alt, table_key, svg.getvalue(), _png(svg.getvalue()))


def _png(svg: bytes) -> bytes:
    """The SVG as typst draws it in the PDF, at PNG_DPI: the same font in the Word file as in the PDF."""
    import typst

    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "chart.svg").write_bytes(svg)
        source = Path(folder, "chart.typ")
        source.write_text(
            '#set page(width: auto, height: auto, margin: 0pt, fill: white)\n#image("chart.svg")\n', encoding="utf-8"
        )
        return typst.compile(
            str(source),
            root=folder,
            format="png",
            ppi=PNG_DPI,
            font_paths=[str(shipped_fonts())],
            ignore_system_fonts=True,
        )


def short_money(value: float) -> str:
    """Axis labels: £500k, £1m, £2.5m (the bars carry the exact amounts)."""
    if value >= 1_000_000:
        return f"£{value / 1_000_000:,.1f}".removesuffix(".0") + "m"
    if value >= 1_000:
        return f"£{value / 1_000:,.0f}k"
    return f"£{value:,.0f}"


def _category_labels(axes, names: list[list[str]]) -> None:  # type: ignore[no-untyped-def]
    """Each bar's name, right-aligned beside it, one text per line: a single line is written to the SVG
    anchored at its end, so the lines stay aligned whatever font typst or a browser sets them in
    (matplotlib places the lines of a multi-line text by its own font's widths)."""
    axes.set_yticks(range(len(names)), [""] * len(names))
    size = STYLE["font.size"]
    for y, name in enumerate(names):
        for index, line in enumerate(name):
            shift = ((len(name) - 1) / 2 - index) * size * 1.2  # points; the first line on top
            axes.annotate(
                line,
                xy=(0, y),
                xycoords=("axes fraction", "data"),
                xytext=(-6, shift),
                textcoords="offset points",
                ha="right",
                va="center",
            )


def _wrap(text: str, width: int = 32) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return lines[:4]


@cache
def _pyplot():
    """matplotlib, imported only when a chart is drawn: the import alone takes most of a second."""
    import matplotlib

    matplotlib.use("Agg")  # no display, and no dependence on one
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)  # Libertinus is typst's, not matplotlib's
    import matplotlib.pyplot
    import matplotlib.ticker

    return matplotlib.pyplot, matplotlib.ticker
