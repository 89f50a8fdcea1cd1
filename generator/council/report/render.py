"""Render one period's report: figures and charts, then pandoc (render/report.lua) for HTML, typst and
DOCX, then typst for the tagged PDF. The classified annex, when there is one, is rendered the same way
into a separate PDF that only `council report` writes, under build/restricted/."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from council.cache import ContentCache
from council.citations.styles import compact_style
from council.config import ProjectConfig
from council.model import Briefing, Library
from council.render.docx_reference import reference_docx, table_geometry
from council.render.keys import SharedInputs, render_key
from council.render.pandoc_worker import DocumentRequest, PandocWorker, citation_style, scratch_folder
from council.render.pdf import compile_pdf
from council.render.templating import long_date, render_template
from council.report.charts import Chart, charts
from council.report.document import (
    Section,
    annex_sections,
    public_sections,
    restricted_marking,
    restricted_sections,
)
from council.report.figures import Figures, compute
from council.sources.reports import SECTIONS, Report

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


@dataclass(frozen=True)
class RenderedReport:
    report: Report
    figures: Figures
    html: str                              # the body, for the site page
    headings: tuple[tuple[str, str], ...]  # (id, title) of each section, for contents
    paragraphs: int                        # numbered paragraphs 1..N
    pdf: bytes
    docx: bytes
    charts: tuple[Chart, ...]
    restricted_pdf: bytes | None = None    # the classified annex; never published
    restricted_marking: str | None = None

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


def render_report(report: Report, config: ProjectConfig, library: Library, briefings: list[Briefing],
                  cache: ContentCache, shared: SharedInputs) -> RenderedReport:
    """`briefings` are the public ones: the report lists only what the publication gate lets out.
    `shared` is what every output of the build depends on (render/keys.py)."""
    figures = compute(report, briefings)
    drawn = charts(figures, cache, shared)
    references = json.dumps(library.subset(report.cited_keys), ensure_ascii=False, sort_keys=True)
    key = render_key("report", shared, (report, figures), entries=references,
                     derived=[data for chart in drawn for data in (chart.svg, chart.png)])
    cached = _from_cache(cache, key, report, figures, drawn)
    if cached is not None:
        return cached
    with scratch_folder(config.cache_dir) as scratch:  # as a briefing's: typst reads only files under the root
        for chart in drawn:
            (scratch / f"{chart.key}.svg").write_bytes(chart.svg)
            (scratch / f"{chart.key}.png").write_bytes(chart.png)
        sections = public_sections(report, figures, drawn)
        answer = _pandoc(report, config, sections, annex_sections(figures), references, scratch, with_docx=True)
        docx = (scratch / "report.docx").read_bytes()
        pdf = _pdf(report, config, answer["typst"], report.meta.classification, restricted=False)
        marking = restricted_marking(report)
        restricted_pdf = None
        if marking is not None:
            annex = _pandoc(report, config, restricted_sections(report, figures), [], references, scratch,
                            with_docx=False)
            restricted_pdf = _pdf(report, config, annex["typst"], marking, restricted=True)
    rendered = RenderedReport(report, figures, answer["html"], tuple((h["id"], h["text"]) for h in answer["headings"]),
                              int(answer["paragraphs"]), pdf, docx, tuple(drawn), restricted_pdf, marking)
    _to_cache(cache, key, rendered)
    return rendered


def _pandoc(report: Report, config: ProjectConfig, sections: list[Section], annexes: list[Section],
            references: str, scratch: Path, *, with_docx: bool) -> dict:
    relative = scratch.resolve().relative_to(config.root.resolve()).as_posix()
    request = {
        "kind": "report",
        "sections": [s.as_request() for s in sections],
        "annexes": [s.as_request() for s in annexes],
        "style": citation_style(config.style_file, compact_style(config.style_file, ContentCache(config.cache_dir)),
                                references, "en-GB"),
        "references_title": REFERENCES_TITLE,
        "html_charts_prefix": "",
        "typst_charts_prefix": f"/{relative}/",
        "docx_charts_dir": ".",  # relative to the scratch folder pandoc runs in: no temporary path in the file
        "documents": [],
    }
    if with_docx:
        request["documents"] = [DocumentRequest(
            writer="docx", path=str(scratch / "report.docx"),
            reference_doc=str(reference_docx(report.meta.classification, ContentCache(config.cache_dir))),
            front=render_template("report_docx.pandoc.j2", **_front(report, report.meta.classification),
                                  contents=[s.title for s in sections] + [REFERENCES_TITLE]
                                  + [a.title for a in annexes]),
            # No title, author or date here: pandoc would print them above the marking and title page.
            meta={"subject": SUBJECT, "description": report.meta.title, "keywords": keywords(report)},
            core={"dc:title": report.meta.title, "dc:creator": report.meta.department},  # filled in after
            table=table_geometry(),
        )]
    with PandocWorker(cwd=scratch) as worker:  # council's one pandoc driver, as for briefings
        return worker.render(request, f"reports/{report.period}")


def _front(report: Report, marking: str, *, restricted: bool = False) -> dict:
    meta = report.meta
    copyright_notice = None if restricted else {
        name: text.format(year=meta.laid.year, department=meta.department) for name, text in COPYRIGHT.items()}
    return {
        "meta": meta, "marking": marking, "title": _title(report, restricted), "period_line": period_line(report),
        "presentation_line": None if restricted else presentation_line(report),
        "month_year": f"{meta.laid:%B %Y}", "copyright": copyright_notice,
    }


def _title(report: Report, restricted: bool) -> str:
    return f"Classified annex to: {report.meta.title}" if restricted else report.meta.title


def _pdf(report: Report, config: ProjectConfig, body: str, marking: str, *, restricted: bool) -> bytes:
    context = _front(report, marking, restricted=restricted)
    context.update(body=body, short_title=f"Report to Parliament {report.period}",
                   description=f"{report.meta.title}. {period_line(report)}.",
                   keywords=keywords(report))
    source = render_template("report.typ.j2", **context)
    return compile_pdf(source, report.folder / "report.yml", config.root)


def section_titles() -> dict[str, str]:
    return {spec.key: spec.title for spec in SECTIONS}


# --- cache: a report re-renders only when something it shows has changed -----------------------

_FILES = ("body.html", "report.pdf", "report.docx", "answer.json", "restricted.pdf")


def _from_cache(cache: ContentCache, key: str, report: Report, figures: Figures,
                drawn: list[Chart]) -> RenderedReport | None:
    parts = [cache.get(key, name) for name in _FILES]
    if any(part is None for part in parts[:4]):
        return None
    html, pdf, docx, answer_json, restricted = parts
    answer = json.loads(answer_json)  # type: ignore[arg-type]
    return RenderedReport(report, figures, html.decode(), tuple(tuple(h) for h in answer["headings"]),  # type: ignore[union-attr]
                          answer["paragraphs"], pdf, docx, tuple(drawn),  # type: ignore[arg-type]
                          restricted if answer["marking"] else None, answer["marking"])


def _to_cache(cache: ContentCache, key: str, rendered: RenderedReport) -> None:
    answer = {"headings": rendered.headings, "paragraphs": rendered.paragraphs, "marking": rendered.restricted_marking}
    for name, data in (("body.html", rendered.html.encode()), ("report.pdf", rendered.pdf),
                       ("report.docx", rendered.docx), ("restricted.pdf", rendered.restricted_pdf or b""),
                       ("answer.json", json.dumps(answer).encode())):
        cache.put(key, name, data)
