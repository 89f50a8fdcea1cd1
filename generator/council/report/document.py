"""Assemble a report into the pieces the pandoc entry point (render/report.lua) reads: sections in
order, each a list of Markdown pieces (the author's narrative, the figures' sentences and tables)
and charts. Narrative Markdown is passed through as data; it is never treated as a template."""
from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from council.render.templating import environment
from council.report import figures as fmt
from council.report.charts import Chart
from council.report.figures import Figures, Table
from council.report.quotable import quotable, quote
from council.sources.report_data import PUBLIC_MARKING, TABLES
from council.sources.report_sections import RESTRICTED_ONLY, SECTIONS
from council.sources.reports import Report
from council.vocabularies import vocabularies

# Which generated text, charts and tables follow each section's narrative.
SECTION_FIGURES: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "summary": (None, ("key-figures",)),
    "current-efforts": ("current_efforts", ("chart:actions-by-tool", "actions-by-tool", "actions-by-department-tool",
                                            "actions-by-recommendation")),
    "funding": ("funding", ("chart:funding-by-fund", "funding-by-fund", "funding-by-country", "funding-by-purpose")),
    "assessment": ("assessment", ("actions-by-country",)),
    "countries-at-risk": ("countries_at_risk", ("watch-list", "watch-list-changes")),
    "training": ("training", ("training-by-department",)),
    "impact-assessments": ("impact_assessments", ("chart:aia-days", "aia-overdue")),  # the register is Annex C
    "strategy-progress": (None, ("recommendations",)),
    "research-council": ("research_council", ()),
}

ANNEXES: tuple[tuple[str, str, str], ...] = (
    ("annex-a", "Annex A: Actions taken", "actions-all"),
    ("annex-b", "Annex B: Funding spent", "funding-all"),
    ("annex-c", "Annex C: Atrocity Impact Assessments", "aia-register"),
    ("annex-d", "Annex D: Training delivered", "training-courses"),
    ("annex-e", "Annex E: Countries and regions at risk", "watch-list-full"),
)

WITHHELD = ("Part of this section is classified and appears only in the classified annex, which is not "
            "published.")


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    numbered: bool
    pieces: tuple[dict, ...]

    def as_request(self) -> dict:
        return {"id": self.id, "title": self.title, "numbered": self.numbered, "pieces": list(self.pieces)}


def column_widths(table: Table) -> list[int]:
    """Dashes per column in a pipe table: pandoc sizes wrapped columns by them."""
    longest = [max([len(table.header[i])] + [len(row[i]) for row in table.rows]) for i in range(len(table.header))]
    return [max(3, min(40, length)) for length in longest]


def _formatters() -> SimpleNamespace:
    return SimpleNamespace(count=fmt.count, money=fmt.money, change=fmt.change, days=fmt.days, widths=column_widths,
                           quantity=fmt.quantity)


def _macros(figures: Figures):  # type: ignore[no-untyped-def]
    template = environment().get_template("report_figures.md.j2")
    return template.make_module({"f": figures, "n": _formatters()})


def public_sections(report: Report, figures: Figures, charts: list[Chart]) -> list[Section]:
    macros = _macros(figures)
    quoted = quotable(figures)
    by_key = {chart.key: chart for chart in charts}
    sections = []
    for spec in SECTIONS:
        if spec.key == RESTRICTED_ONLY:
            continue
        pieces: list[dict] = []
        narrative = report.narratives.get(spec.key)
        if narrative is not None:
            if narrative.classification == PUBLIC_MARKING:
                pieces.append({"markdown": quote(narrative.body, quoted), "source": str(narrative.path)})
            else:
                pieces.append({"markdown": WITHHELD})
        sentences, items = SECTION_FIGURES.get(spec.key, (None, ()))
        if sentences:
            pieces.append({"markdown": str(getattr(macros, sentences)())})
        for item in items:
            if item.startswith("chart:"):
                chart = by_key.get(item.removeprefix("chart:"))
                if chart is not None:
                    pieces.append({"chart": {"key": chart.key, "caption": chart.caption, "alt": chart.alt}})
            elif item in figures.tables:
                pieces.append({"markdown": str(macros.table(figures.tables[item]))})
        if narrative is None and not pieces:
            continue
        sections.append(Section(spec.key, spec.title, spec.numbered, tuple(pieces)))
    return sections


def annex_sections(figures: Figures) -> list[Section]:
    macros = _macros(figures)
    return [Section(key, title, False, ({"markdown": str(macros.table(figures.tables[table]))},))
            for key, title, table in ANNEXES if table in figures.tables]


# --- the classified annex -----------------------------------------------------------------------

def restricted_marking(report: Report) -> str | None:
    """The highest marking of anything withheld from the published report, or None if nothing is."""
    markings = [n.classification for n in report.narratives.values() if n.classification != PUBLIC_MARKING]
    for schema in TABLES.values():
        rows = getattr(report, schema.field)
        markings += [r.classification for r in rows if r.classification != PUBLIC_MARKING]
    if not markings:
        return None
    order = list(vocabularies()["classifications"].labels)
    return max(markings, key=order.index)


def restricted_sections(report: Report, figures: Figures) -> list[Section]:
    """Withheld narrative in full, then every withheld data row, table by table."""
    macros = _macros(figures)
    sections = []
    for spec in SECTIONS:
        narrative = report.narratives.get(spec.key)
        if narrative is not None and narrative.classification != PUBLIC_MARKING:
            sections.append(Section(f"restricted-{spec.key}", spec.title, False,
                                    ({"markdown": quote(narrative.body, quotable(figures)),
                                      "source": str(narrative.path)},)))
    for name, schema in TABLES.items():
        rows = [r for r in getattr(report, schema.field) if r.classification != PUBLIC_MARKING]
        if not rows:
            continue
        columns = [c.name for c in schema.columns]
        table = Table(f"restricted-{name}", f"{schema.description}: rows marked above OFFICIAL ({name})",
                      tuple(c.replace("_", " ").capitalize() for c in columns),
                      tuple(tuple(_cell(getattr(r, c)) for c in columns) for r in rows), (False,) * len(columns))
        sections.append(Section(f"restricted-{name.removesuffix('.csv')}", schema.description, False,
                                ({"markdown": str(macros.table(table))},)))
    return sections


def _cell(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[union-attr]
    return str(value)
