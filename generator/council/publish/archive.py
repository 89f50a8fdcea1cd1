"""The pages that keep a large site light: the home page (the latest briefings only, the open requests,
and the ways into everything else) and the Archive (every briefing, one page per year, newest first).
Plain pages in the docs tree: no engine plugin."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from council.base.config import ProjectConfig
from council.base.model import Briefing
from council.publish.agenda import build_agenda
from council.publish.indexes import by_year, href, listing, newest_first
from council.publish.pages import NavEntry, page_source
from council.publish.writer import OutputWriter
from council.render.templating import render_template
from council.sources.requests import Request

ARCHIVE = "archive"
HOME_OPEN_REQUESTS = 5  # the oldest open requests of the highest priority; the agenda has them all


@dataclass(frozen=True)
class Year:
    year: int
    count: int
    href: str


def year_folder(year: int) -> str:
    return f"{ARCHIVE}/{year}"


def write_home(
    writer: OutputWriter,
    config: ProjectConfig,
    public: list[Briefing],
    requests: list[Request],
    now: dt.datetime,
    report_folders: list[str],
) -> None:
    """`public` must already have passed the publication gate; `report_folders` are the published
    reports' folders, newest first."""
    agenda = build_agenda(requests, public, now.date())
    open_requests = [item for _, items in agenda.open_by_priority for item in items][:HOME_OPEN_REQUESTS]
    years = [Year(year, len(items), href("", year_folder(year))) for year, items in by_year(public)]
    html = render_template(
        "site_home.html.j2",
        site_name=config.site_name,
        organisation=config.organisation,
        briefings=listing(newest_first(public)[: config.home_latest], ""),
        total=len(public),
        years=years,
        archive=f"{ARCHIVE}/",
        open_requests=open_requests,
        open_count=agenda.open_count,
        report=f"{report_folders[0]}/" if report_folders else None,
    )
    # the latest briefings are found through their own pages, not through the home page's copy
    writer.write(
        "index.md", page_source({"title": "Home", "hide": ["navigation", "toc"], "search": {"exclude": True}}, html)
    )


def write_archive(writer: OutputWriter, public: list[Briefing]) -> list[NavEntry]:
    """The Archive: a page of years with their counts, and one page per year listing its briefings
    (title and date: a year of a busy Council stays a light page). Returns the nav entry."""
    years = by_year(public)
    for year, items in years:
        folder = year_folder(year)
        html = render_template(
            "site_archive_year.html.j2",
            year=year,
            items=listing(items, folder),
            archive=href(folder, ARCHIVE),
            others=[Year(y, len(i), href(folder, year_folder(y))) for y, i in years],
        )
        meta = {
            "title": f"Briefings published in {year}",
            "description": f"Every briefing the Council published in {year}",
            "hide": ["toc"],
            "search": {"exclude": True},
        }
        writer.write(f"{folder}/index.md", page_source(meta, html))
    html = render_template(
        "site_archive.html.j2",
        total=len(public),
        years=[Year(y, len(items), href(ARCHIVE, year_folder(y))) for y, items in years],
    )
    meta = {
        "title": "Archive",
        "description": "Every published briefing, by year",
        "hide": ["toc"],
        "search": {"exclude": True},
    }
    writer.write(f"{ARCHIVE}/index.md", page_source(meta, html))
    return [NavEntry("Archive", f"{ARCHIVE}/index.md")]
