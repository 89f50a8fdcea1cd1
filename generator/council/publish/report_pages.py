"""The report to Parliament on the site: one page per period (reports/<period>/index.md) holding the
report as HTML, its charts and its PDF and Word downloads, plus the nav entry "Reports to Parliament".
The classified annex is never written here: it exists only under build/restricted/."""
from __future__ import annotations

from council.publish.gate import is_public_marking
from council.publish.pages import NavEntry, document_downloads, page_source
from council.publish.writer import OutputWriter
from council.render.templating import render_template
from council.report.render import RenderedReport, period_line, presentation_line

NAV_TITLE = "Reports to Parliament"


def report_dir(period: str) -> str:
    return f"reports/{period}"


def publishable(rendered: list[RenderedReport]) -> list[RenderedReport]:
    return [r for r in rendered if is_public_marking(r.report.meta.classification)]


def write_report_pages(writer: OutputWriter, rendered: list[RenderedReport]) -> list[NavEntry]:
    """Write each public report's page and downloads; return the nav entries (none if no report)."""
    newest_first = sorted(publishable(rendered), key=lambda r: r.report.period, reverse=True)
    for item in newest_first:
        write_report_page(writer, item)
    if not newest_first:
        return []
    return [NavEntry(NAV_TITLE, tuple(NavEntry(f"{r.report.period}: {r.report.meta.title}",
                                               f"{report_dir(r.report.period)}/index.md") for r in newest_first))]


def write_report_page(writer: OutputWriter, item: RenderedReport) -> None:
    folder = report_dir(item.report.period)
    writer.write(f"{folder}/{item.slug}.pdf", item.pdf)
    writer.write(f"{folder}/{item.slug}.docx", item.docx)
    for chart in item.charts:
        writer.write(f"{folder}/{chart.key}.svg", chart.svg)
    downloads = document_downloads(item.slug)
    meta = item.report.meta
    html = render_template("site_report.html.j2", report=item.report, meta=meta, body=item.html,
                           headings=item.headings, downloads=downloads, period_line=period_line(item.report),
                           presentation_line=presentation_line(item.report), month_year=f"{meta.laid:%B %Y}")
    page = {"title": meta.title, "description": f"{meta.title}. {period_line(item.report)}.", "hide": ["toc"]}
    writer.write(f"{folder}/index.md", page_source(page, html))
