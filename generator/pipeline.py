"""The pipeline, start to finish: load and validate sources -> resolve citations -> render each
format -> publish. Data flows one way; each stage lives in the folder of the same name."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from council.cache import ContentCache
from council.citations.public_fields import public_fields, public_library
from council.citations.resolve import missing_keys
from council.citations.styles import compact_style
from council.config import ProjectConfig
from council.errors import SourceError, raise_if_any
from council.model import Briefing, Library, RenderedBriefing
from council.publish.archive import nav_folders, write_archive, write_home
from council.publish.docs_tree import write_docs_tree, write_downloads
from council.publish.download_sizes import fill_download_sizes
from council.publish.draft_marking import preview_markings
from council.publish.fingerprint import inputs_fingerprint
from council.publish.gate import banner, is_previewable, is_public, is_restricted
from council.publish.library import write_library
from council.publish.release import (
    build_lock,
    clearing_old_outputs,
    publish_release,
    published_fingerprint,
    record_fingerprint,
    staging_area,
)
from council.publish.site_engine import build_site
from council.publish.site_pages import write_policy_pages
from council.publish.writer import OutputWriter
from council.render.batch import PdfCompilation, render_complete, render_pages
from council.render.briefing import RenderContext, presentation_hash
from council.sources.bibliography import load_library
from council.sources.briefings import BriefingProblems, load_briefing
from council.sources.reports import Report, load_reports  # report to Parliament
from council.sources.requests import Request, load_requests, request_ids, status_warnings

if TYPE_CHECKING:
    from council.report.render import RenderedReport


@dataclass(frozen=True)
class Sources:
    library: Library
    briefings: list[Briefing]
    warnings: list[SourceError] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)  # policymakers' requests (requests/)
    reports: list[Report] = field(default_factory=list)  # reports to Parliament (reports/<period>/)


@dataclass(frozen=True)
class BuildSummary:
    built: int
    reused: int
    withheld: int  # valid briefings the publication gate kept off the site
    site: Path
    site_changed: bool = True
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage


def briefing_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.md") if p.is_file() and not p.name.startswith(("_", ".")))


def load_sources(config: ProjectConfig, cache: ContentCache, *, lint: bool = False) -> Sources:
    """Read and check everything; raise ProblemsFound listing every error at once. With `lint`, the
    bibliography linter's findings join them (uncited works are warnings only)."""
    library, problems = load_library(config.bibliography_dir, cache)
    requests, request_problems = load_requests(config.root / "requests")
    problems.extend(request_problems)
    known_requests = request_ids(config.root / "requests")
    briefings = []
    for path in briefing_files(config.briefings_dir):
        try:
            briefing = load_briefing(path, known_requests, config.root)
        except SourceError as error:
            problems.append(error)
            continue
        except BriefingProblems as found:
            problems.extend(found.problems)
            continue
        problems.extend(missing_keys(briefing, library))
        briefings.append(briefing)
    problems.extend(status_warnings(requests, briefings))
    reports, report_problems = load_reports(config.reports_dir, library)
    problems.extend(report_problems)
    if lint:
        from council.citations.lint import lint_library

        problems.extend(lint_library(library, {key for b in briefings for key in b.cited_keys}))
    raise_if_any(problems)
    # from here on, only the fields a citation needs: nothing private reaches any output
    library = public_library(library, public_fields(config.public_fields))
    return Sources(library, briefings, [p for p in problems if p.warning], requests, reports)


def check(config: ProjectConfig) -> Sources:
    """`council check`: everything a build validates, plus the bibliography linter; writes nothing."""
    return load_sources(config, ContentCache(config.cache_dir, writable=False), lint=True)


def build(config: ProjectConfig, now: dt.datetime, *, progress: bool = True, preview: bool = False) -> BuildSummary:
    """Build the public site (or, with `preview`, the local drafts preview in build/preview)."""
    started = time.perf_counter()
    timings: dict[str, float] = {}
    link, releases = (config.preview_dir, config.preview_releases_dir) if preview else (config.site_dir, config.releases_dir)
    with build_lock(config.build_dir):
        cache = ContentCache(config.cache_dir)
        sources = load_sources(config, cache)
        timings["load"] = time.perf_counter() - started
        shown = [b for b in sources.briefings if (is_previewable(b) if preview else is_public(b, now))]
        # preview copies of notes the public cannot see are marked DRAFT or EMBARGOED; published ones never
        markings = preview_markings(shown, now) if preview else {}
        fingerprint = inputs_fingerprint(config, shown, now, preview, markings)
        if fingerprint == published_fingerprint(link, releases):  # nothing changed: the site in place is current
            timings["total"] = time.perf_counter() - started
            return BuildSummary(0, len(shown), len(sources.briefings) - len(shown), link, False, timings)
        context = RenderContext(config, sources.library, cache, presentation_hash(config),
                                compact_style(config.style_file, cache), markings)
        with (PdfCompilation(config.root, cache, progress=progress) as pdfs, staging_area(config.build_dir) as staging,
              clearing_old_outputs(link, releases, config.build_dir)):
            rendered, pending_pdfs = render_pages(shown, context, progress=progress)
            timings["pages"] = time.perf_counter() - started  # every briefing's HTML and DOCX ready
            pdfs.compile(pending_pdfs)  # in other processes, while the site is built
            writer = OutputWriter(staging / "docs")
            nav = write_docs_tree(writer, config, rendered, sources.library,
                                  banner=(lambda b: banner(b, now)) if preview else (lambda b: None))
            nav += write_archive(writer, shown)  # every briefing by year: the home page lists only the latest
            # the Council's library (works cited by published briefings) and its exports
            nav += write_library(writer, config, sources.library, rendered, cache)
            # topic indexes, research agenda, intersections, feed, accessibility statement
            nav += write_policy_pages(writer, config, shown, sources.requests, now)
            # every period's report to Parliament (the classified annex never comes here)
            reports = render_reports(sources.reports, config, sources.library, shown, cache)
            report_nav = report_pages(writer, reports)
            nav += report_nav
            write_home(writer, config, shown, sources.requests, now, nav_folders(report_nav))
            timings["docs_tree"] = time.perf_counter() - started
            build_site(config.mkdocs_file, staging / "docs", staging / "site", nav, source_date_epoch(shown))
            timings["site_engine"] = time.perf_counter() - started
            pdfs.wait()
            timings["own_outputs"] = max(pdfs.finished - started, timings["pages"])  # pages, DOCX and PDF
            site = OutputWriter(staging / "site")
            write_downloads(site, rendered, sources.library, cache)
            fill_download_sizes(site)
            publish_release(staging / "site", link, releases)
            record_fingerprint(link, releases, fingerprint)
            _keep_docs_for_inspection(staging / "docs", config.build_dir / "docs")
        if not preview:
            restricted = [b for b in sources.briefings if is_restricted(b)]
            write_restricted(config, render_complete(restricted, context))
            for report in reports:  # clerks' copies, and classified annexes kept apart from the site
                write_report_outputs(config, report)
    reused = sum(r.from_cache for r in rendered)
    timings["total"] = time.perf_counter() - started
    return BuildSummary(len(rendered) - reused, reused, len(sources.briefings) - len(shown), link, True, timings)


def write_restricted(config: ProjectConfig, rendered: list[RenderedBriefing]) -> None:
    """Briefings above OFFICIAL as marked PDF and Word files in build/restricted/, never on the site."""
    folder = config.build_dir / "restricted" / "briefings"
    shutil.rmtree(folder, ignore_errors=True)
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.parent.chmod(0o700)  # the files are links to cache entries, readable as ordinary files are
    writer = OutputWriter(folder)
    for item in rendered:
        writer.link(f"{item.briefing.slug}.pdf", item.pdf_file)
        writer.link(f"{item.briefing.slug}.docx", item.docx_file)


def render_reports(reports: list[Report], config: ProjectConfig, library: Library, public: list[Briefing],
                   cache: ContentCache) -> list[RenderedReport]:
    if not reports:
        return []
    from council.report.render import render_report  # pandas and matplotlib load only when a report renders

    return [render_report(report, config, library, public, cache) for report in reports]


def write_report_outputs(config: ProjectConfig, rendered: RenderedReport) -> None:
    from council.report.build import write_report_outputs as write

    write(config, rendered)


def report_pages(writer: OutputWriter, rendered: list[RenderedReport]) -> list[dict]:
    if not rendered:
        return []
    from council.publish.report_pages import write_report_pages  # imports pandas: only when needed

    return write_report_pages(writer, rendered)


def source_date_epoch(public: list[Briefing]) -> int:
    """The build's date for reproducible outputs: SOURCE_DATE_EPOCH if set, else the newest briefing's date."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    newest = max((b.date for b in public), default=dt.date(2026, 1, 1))
    return int(dt.datetime.combine(newest, dt.time(0), dt.timezone.utc).timestamp())


def _keep_docs_for_inspection(staged: Path, target: Path) -> None:
    shutil.rmtree(target, ignore_errors=True)  # normally gone already (clearing_old_outputs)
    staged.rename(target)
