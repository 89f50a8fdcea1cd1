"""Assemble a report into the pieces the pandoc entry point (render/report.lua) reads: sections in
order, each a list of Markdown pieces (the author's narrative, the figures' sentences and tables)
and charts. Narrative Markdown is passed through as data; it is never treated as a template."""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import SimpleNamespace

from council.base.vocabularies import vocabularies
from council.render.docx_reference import picture_width_cm
from council.render.templating import environment, pandoc_markdown
from council.report import figures as fmt
from council.report.charts import Chart, png_size
from council.report.figures import Figures, Table
from council.report.quotable import quotable, quote
from council.sources.glossary import GlossaryEntry
from council.sources.report_data import PUBLIC_MARKING, TABLES
from council.sources.report_sections import RESTRICTED_ONLY, SECTIONS, Narrative
from council.sources.reports import Report

# Which generated text, charts and tables follow each section's narrative.
SECTION_FIGURES: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "summary": (None, ("key-figures",)),
    "current-efforts": (
        "current_efforts",
        ("chart:actions-by-tool", "actions-by-tool", "actions-by-department-tool", "actions-by-recommendation"),
    ),
    "funding": ("funding", ("chart:funding-by-fund", "funding-by-fund", "funding-by-country", "funding-by-purpose")),
    "assessment": ("assessment", ("actions-by-country",)),
    "countries-at-risk": ("countries_at_risk", ("watch-list", "watch-list-changes")),
    "training": ("training", ("training-by-department",)),
    "impact-assessments": ("impact_assessments", ("chart:aia-days", "aia-overdue")),  # the register is Annex C
    "strategy-progress": (None, ("recommendations",)),
    "research-council": ("research_council", ()),
}

# The figures each generated paragraph states. Where a section's own narrative quotes one of them, the
# author has written that paragraph: the generated one would say the same fact twice, so it is left out.
SENTENCE_FIGURES: dict[str, frozenset[str]] = {
    "current_efforts": frozenset({"actions.total", "actions.top_tool", "actions.departments"}),
    "funding": frozenset({"funding.total", "funding.transitional_justice"}),
    "assessment": frozenset({"actions.countries"}),
    "countries_at_risk": frozenset({"watch.total", "watch.added_names", "watch.removed_names"}),
    "training": frozenset({"training.staff", "training.courses"}),
    "impact_assessments": frozenset({"aia.triggers", "aia.completed", "aia.median_days", "aia.within_target"}),
    "research_council": frozenset({"briefings.published"}),
}

# Rows marked above OFFICIAL are left out of every published table and chart; each section whose tables
# they would be in says how many, in a note under them: section -> (data file, singular, plural).
WITHHELD_ROWS: dict[str, tuple[str, str, str]] = {
    "current-efforts": ("actions.csv", "action", "actions"),
    "funding": ("funding.csv", "funding record", "funding records"),
    "countries-at-risk": ("countries-at-risk.csv", "watch-list entry", "watch-list entries"),
    "training": ("training.csv", "course", "courses"),
}
ROUNDING_NOTE = (
    "Shares are whole percentages, rounded by the largest remainder method so that they add up to 100%: "
    "a share of 5.6% may show as 5% or 6%."
)

ANNEXES: tuple[tuple[str, str, str], ...] = (
    ("annex-a", "Annex A: Actions taken", "actions-all"),
    ("annex-b", "Annex B: Funding spent", "funding-all"),
    ("annex-c", "Annex C: Atrocity Impact Assessments", "aia-register"),
    ("annex-d", "Annex D: Training delivered", "training-courses"),
    ("annex-e", "Annex E: Countries and regions at risk", "watch-list-full"),
)

# Section 5(a)(1) of the Elie Wiesel Genocide and Atrocities Prevention Act 2018: what each item asks
# for, in short, and the section of this report that answers it.
STATUTORY_ITEMS: tuple[tuple[str, str, str], ...] = (
    ("(A)", "Current efforts to prevent and respond, and the capacities behind them", "current-efforts"),
    ("(B)", "Recommendations to strengthen those capabilities", "strengthening"),
    ("(C)", "Funding spent on atrocity prevention, including transitional justice", "funding"),
    ("(D)", "A global assessment of ongoing atrocities and the efficacy of the response", "assessment"),
    ("(E)", "Countries and regions at risk, with risk factors, groups at risk and scenarios", "countries-at-risk"),
    ("(F)", "Atrocity prevention training for staff", "training"),
)
STATUTORY_CAPTION = "Where this report answers each item of section 5(a)(1) of the Act"
# Where recommendations I to VI come from: the January 2023 brief of the Oxford Institute for Ethics,
# Law and Armed Conflict (bibliography/atrocity-prevention.bib).
RECOMMENDATIONS_SOURCE = "dalessandraDevelopingUKAtrocity2023"
ANNEX_DATA_NOTE = (
    "The data in each annex is also published with this report in open formats: {files}, and all "
    "of it in one OpenDocument spreadsheet, {workbook}, with a sheet for each annex and a notes sheet."
)

WITHHELD = "Part of this section is classified and appears only in the classified annex, which is not published."


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
    return SimpleNamespace(
        count=fmt.count,
        money=fmt.money,
        change=fmt.change,
        days=fmt.days,
        widths=column_widths,
        quantity=fmt.quantity,
        listed=fmt.listed,
        compared=fmt.compared,
        money_in_words=fmt.money_in_words,
    )


def _macros(figures: Figures):  # type: ignore[no-untyped-def]
    template = environment().get_template("report_figures.md.j2")
    return template.make_module({"f": figures, "n": _formatters()})


def abbreviations(report: Report, figures: Figures, glossary: dict[str, GlossaryEntry]) -> Table:
    """Every glossary term that appears as a word in the report's tables or public narrative, A to Z."""
    text = [cell for table in figures.tables.values() for row in table.rows for cell in row]
    text += [n.body for n in report.narratives.values() if n.classification == PUBLIC_MARKING]
    words = set(re.findall(r"[A-Za-z][A-Za-z0-9]*", " ".join(text)))
    used = sorted((e for term, e in glossary.items() if term in words), key=lambda e: e.term.casefold())
    return Table(
        "abbreviations",
        "Abbreviations used in this report",
        ("Abbreviation", "Meaning"),
        tuple((e.term, e.expansion) for e in used),
        (False, False),
    )


def statutory_table() -> Table:
    titles = {spec.key: spec.title for spec in SECTIONS}
    rows = tuple((item, asked, titles[key]) for item, asked, key in STATUTORY_ITEMS)
    return Table(
        "statutory-items",
        STATUTORY_CAPTION,
        ("Item", "What the Act asks for", "Section of this report"),
        rows,
        (False, False, False),
    )


def recommendations_source(cite: bool) -> str:
    """The sentence naming the brief recommendations I to VI come from, with its citation when the
    bibliography holds it."""
    text = (
        "Recommendations I to VI are those of the policy brief published by the Oxford Institute for Ethics, "
        "Law and Armed Conflict in January 2023"
    )
    return text + (f" [@{RECOMMENDATIONS_SOURCE}]." if cite else ".")


def public_sections(
    report: Report,
    figures: Figures,
    charts: list[Chart],
    *,
    cite_source: bool = False,
    abbreviations: Table | None = None,
) -> list[Section]:
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
        if spec.key == "strategy-progress":
            pieces.append({"markdown": recommendations_source(cite_source)})
        sentences, items = SECTION_FIGURES.get(spec.key, (None, ()))
        if sentences and not _written(narrative, sentences):
            pieces.append({"markdown": str(getattr(macros, sentences)())})
        for item in items:
            if item.startswith("chart:"):
                chart = by_key.get(item.removeprefix("chart:"))
                if chart is not None:
                    size = png_size(chart.png)
                    width = f"{picture_width_cm(*size)}cm"  # Word: it and its caption on one page
                    pdf_width = f"{_pdf_chart_width_cm(*size)}cm"
                    pieces.append(
                        {
                            "chart": {
                                "key": chart.key,
                                "caption": chart.caption,
                                "alt": chart.alt,
                                "width": width,
                                "pdf_width": pdf_width,
                            }
                        }
                    )
            elif item in figures.tables:
                pieces.append({"markdown": str(macros.table(figures.tables[item]))})
        pieces += [{"markdown": _table_note(note)} for note in _notes(report, spec.key, items, figures)]
        if spec.key == "summary":
            pieces.append({"markdown": str(macros.table(statutory_table()))})
        if narrative is None and not pieces:
            continue
        sections.append(Section(spec.key, spec.title, spec.numbered, tuple(pieces)))
    if abbreviations is not None and abbreviations.rows:
        sections.append(
            Section("abbreviations", "Abbreviations", False, ({"markdown": str(macros.table(abbreviations))},))
        )
    return sections


# The PDF's text area (templates/report.typ.j2: A4, 2.3 cm side and 2.6 cm top and bottom margins); a
# chart is drawn at most 75% of its width, and no taller than leaves room for its caption.
PDF_TEXT_CM = (21.0 - 2 * 2.3, 29.7 - 2 * 2.6)
PDF_CHART_SHARE = 0.75
PDF_CAPTION_ROOM_CM = 3.0


def _pdf_chart_width_cm(width_px: int, height_px: int) -> float:
    text_width, text_height = PDF_TEXT_CM
    return round(min(text_width * PDF_CHART_SHARE, (text_height - PDF_CAPTION_ROOM_CM) * width_px / height_px), 2)


def withheld_count(report: Report, data_file: str) -> int:
    """Rows of one data file marked above OFFICIAL that the period's tables would otherwise count."""
    meta = report.meta
    rows = getattr(report, TABLES[data_file].field)
    return sum(
        1
        for row in rows
        if row.classification != PUBLIC_MARKING
        and not (hasattr(row, "date") and not meta.period_start <= row.date <= meta.period_end)
    )


def _notes(report: Report, section: str, items: tuple[str, ...], figures: Figures) -> list[str]:
    """What a reader of the section's tables needs to know: rows left out, and how shares are rounded."""
    notes = []
    if section in WITHHELD_ROWS:
        data_file, singular, plural = WITHHELD_ROWS[section]
        withheld = withheld_count(report, data_file)
        if withheld:
            are = "is" if withheld == 1 else "are"
            notes.append(
                f"{fmt.quantity(withheld, singular, plural, starts_sentence=True)} marked above OFFICIAL {are} left "
                "out of this section's tables and charts, and of the totals; the classified annex reports "
                f"{'it' if withheld == 1 else 'them'}."
            )
    if any("Share" in figures.tables[item].header for item in items if item in figures.tables):
        notes.append(ROUNDING_NOTE)
    return notes


def _table_note(text: str) -> str:
    """A note under the tables, in a Div of its own: not a numbered paragraph."""
    return f"::: {{.table-note}}\n{pandoc_markdown(text)}\n:::"


def _written(narrative: Narrative | None, sentences: str) -> bool:
    """Whether the section's published narrative already quotes a figure the generated paragraph states."""
    if narrative is None or narrative.classification != PUBLIC_MARKING:
        return False
    quoted = {key for key, *_ in narrative.figures}
    return bool(quoted & SENTENCE_FIGURES.get(sentences, frozenset()))


def annex_sections(figures: Figures, data_files: tuple[str, ...] = (), workbook: str | None = None) -> list[Section]:
    """The annexes, after an introduction listing the open-format data files published beside them."""
    macros = _macros(figures)
    sections = [
        Section(key, title, False, ({"markdown": str(macros.table(figures.tables[table]))},))
        for key, title, table in ANNEXES
        if table in figures.tables
    ]
    if sections and workbook:
        files = ", ".join(f"`{name}`" for name in data_files)
        intro = Section(
            "annexes", "Annexes", False, ({"markdown": ANNEX_DATA_NOTE.format(files=files, workbook=f"`{workbook}`")},)
        )
        sections.insert(0, intro)
    return sections


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
            sections.append(
                Section(
                    f"restricted-{spec.key}",
                    spec.title,
                    False,
                    ({"markdown": quote(narrative.body, quotable(figures)), "source": str(narrative.path)},),
                )
            )
    for name, schema in TABLES.items():
        rows = [r for r in getattr(report, schema.field) if r.classification != PUBLIC_MARKING]
        if not rows:
            continue
        columns = [c.name for c in schema.columns]
        table = Table(
            f"restricted-{name}",
            f"{schema.description}: rows marked above OFFICIAL ({name})",
            tuple(c.replace("_", " ").capitalize() for c in columns),
            tuple(tuple(_cell(getattr(r, c)) for c in columns) for r in rows),
            (False,) * len(columns),
        )
        sections.append(
            Section(
                f"restricted-{name.removesuffix('.csv')}",
                schema.description,
                False,
                ({"markdown": str(macros.table(table))},),
            )
        )
    return sections


def _cell(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[union-attr]
    return str(value)
