"""The report to Parliament on the site: one page per period (reports/<period>/index.md) holding the
report as HTML, its charts and its PDF and Word downloads, plus the nav entry "Reports to Parliament".
The classified annex is never written here: it exists only under build/restricted/."""

from __future__ import annotations

from council.publish.gate import is_public_marking
from council.publish.pages import Download, NavEntry, document_downloads, page_source
from council.publish.writer import OutputWriter
from council.render.formats import ODT
from council.render.templating import render_template
from council.report.render import RenderedReport, period_line, presentation_line, verso

NAV_TITLE = "Reports to Parliament"
INDEX = "reports/index.md"


def report_dir(period: str) -> str:
    return f"reports/{period}"


def publishable(rendered: list[RenderedReport]) -> list[RenderedReport]:
    return [r for r in rendered if is_public_marking(r.report.meta.classification)]


def write_report_pages(writer: OutputWriter, rendered: list[RenderedReport]) -> list[NavEntry]:
    """Write each public report's page and downloads; return the nav entries (none if no report)."""
    newest_first = _newest_first(rendered)
    for item in newest_first:
        write_report_page(writer, item)
    if not newest_first:
        return []
    write_reports_index(writer, newest_first)
    return [
        NavEntry(
            NAV_TITLE,
            (NavEntry("All reports", INDEX),)
            + tuple(
                NavEntry(f"{r.report.period}: {r.report.meta.title}", f"{report_dir(r.report.period)}/index.md")
                for r in newest_first
            ),
        )
    ]


def published_folders(rendered: list[RenderedReport]) -> list[str]:
    """The folders of the reports the site carries, newest first (the home page links the first)."""
    return [report_dir(r.report.period) for r in _newest_first(rendered)]


def _newest_first(rendered: list[RenderedReport]) -> list[RenderedReport]:
    return sorted(publishable(rendered), key=lambda r: r.report.period, reverse=True)


def write_reports_index(writer: OutputWriter, newest_first: list[RenderedReport]) -> None:
    """reports/: every published report, newest first, with its period, date laid and Command Paper number."""
    items = [
        {"href": f"{r.report.period}/", "meta": r.report.meta, "period_line": period_line(r.report)}
        for r in newest_first
    ]
    html = render_template("site_reports_index.html.j2", items=items)
    meta = {
        "title": NAV_TITLE,
        "hide": ["toc"],
        "description": "The government's periodic reports to Parliament on its atrocity prevention work",
    }
    writer.write(INDEX, page_source(meta, html))


def report_downloads(item: RenderedReport) -> list[Download]:
    """The report in every format, then its annexes' data in open formats."""
    downloads = document_downloads(item.slug)
    downloads.append(Download(ODT.file_name(item.slug), ODT.label))
    if item.data is not None:
        downloads.append(
            Download(item.data.workbook_name, "Annex data, OpenDocument spreadsheet (ODS), a sheet per annex")
        )
        downloads += [
            Download(name, f"Annex {name.rsplit('-', 1)[-1].removesuffix('.csv').upper()} data (CSV)")
            for name in item.data.names
        ]
    return downloads


def write_report_page(writer: OutputWriter, item: RenderedReport) -> None:
    folder = report_dir(item.report.period)
    writer.write(f"{folder}/{item.slug}.pdf", item.pdf)
    writer.write(f"{folder}/{item.slug}.docx", item.docx)
    writer.write(f"{folder}/{item.slug}.odt", item.odt)
    if item.data is not None:
        writer.write(f"{folder}/{item.data.workbook_name}", item.data.workbook)
        for name, data in item.data.csv_files:
            writer.write(f"{folder}/{name}", data)
    for chart in item.charts:
        writer.write(f"{folder}/{chart.key}.svg", chart.svg)
    downloads = report_downloads(item)
    meta = item.report.meta
    html = render_template(
        "site_report.html.j2",
        report=item.report,
        meta=meta,
        body=item.html,
        headings=item.headings,
        downloads=downloads,
        period_line=period_line(item.report),
        presentation_line=presentation_line(item.report),
        month_year=f"{meta.laid:%B %Y}",
        verso=verso(item.report, classified_annex=item.restricted_marking is not None),
    )
    page = {"title": meta.title, "description": f"{meta.title}. {period_line(item.report)}.", "hide": ["toc"]}
    writer.write(f"{folder}/index.md", page_source(page, html))
