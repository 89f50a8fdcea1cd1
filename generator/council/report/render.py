"""Render one period's report: figures and charts, then pandoc (render/report.lua) for HTML, typst and
DOCX, then typst for the tagged PDF. The classified annex, when there is one, is rendered the same way
into a separate PDF that only `council report` writes, under build/restricted/."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

from council.base.cache import ContentCache
from council.base.config import ProjectConfig
from council.base.errors import ProblemsFound
from council.base.keys import SharedInputs, render_key
from council.base.model import Briefing, Library
from council.citations.styles import compact_style
from council.render.docx_reference import reference_docx, section_end, table_geometry
from council.render.odt_reference import PAGE_BREAK_STYLE, reference_odt
from council.render.pandoc_worker import DocumentRequest, PandocWorker, citation_style, scratch_folder
from council.render.pdf import compile_pdf
from council.render.templating import long_date, render_template
from council.report.annex_data import AnnexData, cached_annex_data
from council.report.charts import Chart, charts
from council.report.document import (
    RECOMMENDATIONS_SOURCE,
    Section,
    abbreviations,
    annex_sections,
    public_sections,
    restricted_marking,
    restricted_sections,
)
from council.report.figures import Figures, Table, compute
from council.report.quotable import reference_problems
from council.sources.glossary import load_glossary
from council.sources.report_form import page_marking
from council.sources.reports import Report

REFERENCES_TITLE = "References"
SUBJECT = "Report to Parliament"  # the Word file's subject property
COPYRIGHT = {
    "crown": "© Crown copyright {year}",
    "licence": "This publication is licensed under the terms of the Open Government Licence v3.0 except where "
    "otherwise stated. To view this licence, visit nationalarchives.gov.uk/doc/open-government-licence/"
    "version/3.",
    "third_party": "Where we have identified any third-party copyright information you will need to obtain "
    "permission from the copyright holders concerned.",
    "enquiries": "Any enquiries regarding this publication should be sent to the {department}.",
}
OFFICIAL_DOCUMENTS = "This publication is available at www.gov.uk/official-documents."
CLASSIFIED_ANNEX = (
    "A classified annex accompanies this report. It is given to the committees concerned and is not published."
)


@dataclass(frozen=True)
class VersoLine:
    style: str  # the Word style's name; the PDF and the site print the lines in order
    text: str


def verso(report: Report, *, classified_annex: bool) -> tuple[VersoLine, ...]:
    """The title-page verso of a Command Paper, in the order papers print it: Crown copyright and the
    OGL, the official-documents line, the enquiries contact, then the ISBN and E-number."""
    meta, form = report.meta, report.meta.form
    enquiries = (
        f"Any enquiries regarding this publication should be sent to us at {form.contact.address}, or by "
        f"email to {form.contact.email}."
        if form.contact
        else COPYRIGHT["enquiries"].format(department=meta.department)
    )
    lines = [
        VersoLine("Copyright", COPYRIGHT["crown"].format(year=meta.laid.year)),
        VersoLine("Copyright", COPYRIGHT["licence"]),
        VersoLine("Copyright", COPYRIGHT["third_party"]),
        VersoLine("Copyright", OFFICIAL_DOCUMENTS),
        VersoLine("Contact", enquiries),
    ]
    if form.laid_date is not None:
        lines.append(VersoLine("Laid Date", f"Laid before Parliament on {long_date(form.laid_date)}."))
    if classified_annex:
        lines.append(VersoLine("Classified Annex Note", CLASSIFIED_ANNEX))
    if form.isbn_display:
        lines.append(VersoLine("ISBN", f"ISBN {form.isbn_display}"))
    if form.e_number:
        lines.append(VersoLine("E Number", form.e_number))
    return tuple(lines)


@dataclass(frozen=True)
class RenderedReport:
    report: Report
    figures: Figures
    html: str  # the body, for the site page
    headings: tuple[tuple[str, str], ...]  # (id, title) of each section, for contents
    paragraphs: int  # numbered paragraphs 1..N
    pdf: bytes
    docx: bytes
    charts: tuple[Chart, ...]
    restricted_pdf: bytes | None = None  # the classified annex; never published
    restricted_marking: str | None = None
    odt: bytes = b""  # the open-format copy (ODF text)
    data: AnnexData | None = None  # the annexes as CSV files and one ODS workbook

    @property
    def slug(self) -> str:
        return f"report-{self.report.period}"


def presentation_line(report: Report) -> str:
    return f"Presented to Parliament by the {report.meta.minister} by Command of His Majesty"


def keywords(report: Report) -> list[str]:
    """The PDF's and the Word file's keywords."""
    return ["atrocity prevention", "report to Parliament", report.period]


def period_line(report: Report) -> str:
    return f"Covering {long_date(report.meta.period_start)} to {long_date(report.meta.period_end)}"


def render_report(
    report: Report,
    config: ProjectConfig,
    library: Library,
    briefings: list[Briefing],
    cache: ContentCache,
    shared: SharedInputs,
) -> RenderedReport:
    """`briefings` are the public ones: the report lists only what the publication gate lets out.
    `shared` is what every output of the build depends on (keys.py)."""
    figures = compute(report, briefings)
    unknown = reference_problems(report)  # a reference to no figure would print nothing: refuse it
    if unknown:
        raise ProblemsFound(unknown)
    drawn = charts(figures, cache, shared)
    cite_source = RECOMMENDATIONS_SOURCE in library.csl
    cited = report.cited_keys + ((RECOMMENDATIONS_SOURCE,) if cite_source else ())
    references = json.dumps(library.subset(tuple(dict.fromkeys(cited))), ensure_ascii=False, sort_keys=True)
    key = render_key(
        "report",
        shared,
        (report, figures),
        entries=references,
        derived=[data for chart in drawn for data in (chart.svg, chart.png)],
    )
    data = cached_annex_data(f"report-{report.period}", figures, cache, shared)
    cached = _from_cache(cache, key, report, figures, drawn)
    if cached is not None:
        return replace(cached, data=data)
    with scratch_folder(config.cache_dir) as scratch:  # as a briefing's: typst reads only files under the root
        for chart in drawn:
            (scratch / f"{chart.key}.svg").write_bytes(chart.svg)
            (scratch / f"{chart.key}.png").write_bytes(chart.png)
        sections = public_sections(
            report, figures, drawn, cite_source=cite_source, abbreviations=abbreviations_table(report, figures, config)
        )
        annexes = annex_sections(figures, data.names, data.workbook_name)
        answer = _pandoc(report, config, sections, annexes, references, scratch, with_docx=True)
        docx = (scratch / "report.docx").read_bytes()
        odt = (scratch / "report.odt").read_bytes()
        pdf = _pdf(report, config, answer["typst"], public_marking(report), restricted=False)
        marking = restricted_marking(report)
        restricted_pdf = None
        if marking is not None:
            annex = _pandoc(
                report, config, restricted_sections(report, figures), [], references, scratch, with_docx=False
            )
            restricted_pdf = _pdf(report, config, annex["typst"], marking, restricted=True)
    rendered = RenderedReport(
        report,
        figures,
        answer["html"],
        tuple((h["id"], h["text"]) for h in answer["headings"]),
        int(answer["paragraphs"]),
        pdf,
        docx,
        tuple(drawn),
        restricted_pdf,
        marking,
        odt,
        data,
    )
    _to_cache(cache, key, rendered)
    return rendered


def _pandoc(
    report: Report,
    config: ProjectConfig,
    sections: list[Section],
    annexes: list[Section],
    references: str,
    scratch: Path,
    *,
    with_docx: bool,
) -> dict:
    relative = scratch.resolve().relative_to(config.root.resolve()).as_posix()
    request = {
        "kind": "report",
        "sections": [s.as_request() for s in sections],
        "annexes": [s.as_request() for s in annexes],
        "style": citation_style(
            config.style_file, compact_style(config.style_file, ContentCache(config.cache_dir)), references, "en-GB"
        ),
        "references_title": REFERENCES_TITLE,
        "html_charts_prefix": "",
        "typst_charts_prefix": f"/{relative}/",
        "docx_charts_dir": ".",  # relative to the scratch folder pandoc runs in: no temporary path in the file
        "documents": [],
    }
    if with_docx:
        verso_lines = verso(report, classified_annex=restricted_marking(report) is not None)
        front = render_template(
            "report_docx.pandoc.j2",
            **_front(report, public_marking(report)),
            title_page_end=section_end(),
            verso_end=section_end(),
            odt_page_break=f'<text:p text:style-name="{PAGE_BREAK_STYLE}"/>',
            contents=[(s.id, s.title) for s in sections]
            + ([("references", REFERENCES_TITLE)] if json.loads(references) else [])
            + [(a.id, a.title) for a in annexes],
        )
        # No title, author or date here: pandoc would print them above the marking and title page.
        meta = {"subject": SUBJECT, "description": report.meta.title, "keywords": keywords(report)}
        request["documents"] = [
            DocumentRequest(
                writer="docx",
                path=str(scratch / "report.docx"),
                reference_doc=str(
                    reference_docx(public_marking(report), ContentCache(config.cache_dir), update_fields=True)
                ),
                front=front,
                meta=meta,
                table=table_geometry(),
                core={"dc:title": report.meta.title, "dc:creator": report.meta.department},  # filled in after
                at_foot=tuple(dict.fromkeys(line.style for line in verso_lines)),
            ),
            # the open-format copy (ODF), the same text as the Word file
            DocumentRequest(
                writer="odt",
                path=str(scratch / "report.odt"),
                reference_doc=str(reference_odt(ContentCache(config.cache_dir))),
                front=front,
                meta=meta,
                table=table_geometry(),
            ),
        ]
    with PandocWorker(cwd=scratch) as worker:  # council's one pandoc driver, as for briefings
        return worker.render(request, f"reports/{report.period}")


def _front(report: Report, marking: str | None, *, restricted: bool = False) -> dict:
    meta = report.meta
    return {
        "meta": meta,
        "marking": marking,
        "title": _title(report, restricted),
        "period_line": period_line(report),
        "presentation_line": None if restricted else presentation_line(report),
        "month_year": f"{meta.laid:%B %Y}",
        "verso": () if restricted else verso(report, classified_annex=restricted_marking(report) is not None),
    }


def public_marking(report: Report) -> str | None:
    """The published report's page marking: none on a laid paper unless report.yml asks for one."""
    return page_marking(report.meta.form, report.meta.classification)


def _title(report: Report, restricted: bool) -> str:
    return f"Classified annex to: {report.meta.title}" if restricted else report.meta.title


def _pdf(report: Report, config: ProjectConfig, body: str, marking: str | None, *, restricted: bool) -> bytes:
    context = _front(report, marking, restricted=restricted)
    context.update(
        body=body,
        short_title=f"Report to Parliament {report.period}",
        description=f"{report.meta.title}. {period_line(report)}.",
        keywords=keywords(report),
    )
    source = render_template("report.typ.j2", **context)
    return compile_pdf(source, report.folder / "report.yml", config.root)


def abbreviations_table(report: Report, figures: Figures, config: ProjectConfig) -> Table:
    """glossary.yml's entries for the abbreviations the report uses (department ids in its tables first)."""
    glossary, _ = load_glossary(config.glossary_file)  # `council check` reports the glossary's problems
    return abbreviations(report, figures, glossary)


# --- cache: a report re-renders only when something it shows has changed -----------------------

_FILES = ("body.html", "report.pdf", "report.docx", "answer.json", "restricted.pdf", "report.odt")


def _from_cache(
    cache: ContentCache, key: str, report: Report, figures: Figures, drawn: list[Chart]
) -> RenderedReport | None:
    parts = [cache.get(key, name) for name in _FILES]
    if any(part is None for name, part in zip(_FILES, parts, strict=True) if name != "restricted.pdf"):
        return None
    html, pdf, docx, answer_json, restricted, odt = parts
    answer = json.loads(answer_json)  # type: ignore[arg-type]
    return RenderedReport(
        report,
        figures,
        html.decode(),
        tuple(tuple(h) for h in answer["headings"]),  # type: ignore[union-attr]
        answer["paragraphs"],
        pdf,
        docx,
        tuple(drawn),  # type: ignore[arg-type]
        restricted if answer["marking"] else None,
        answer["marking"],
        odt,
    )  # type: ignore[arg-type]


def _to_cache(cache: ContentCache, key: str, rendered: RenderedReport) -> None:
    answer = {"headings": rendered.headings, "paragraphs": rendered.paragraphs, "marking": rendered.restricted_marking}
    for name, data in (
        ("body.html", rendered.html.encode()),
        ("report.pdf", rendered.pdf),
        ("report.docx", rendered.docx),
        ("restricted.pdf", rendered.restricted_pdf or b""),
        ("report.odt", rendered.odt),
        ("answer.json", json.dumps(answer).encode()),
    ):
        cache.put(key, name, data)
