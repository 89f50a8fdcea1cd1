"""The pipeline, start to finish: load and validate sources -> resolve citations -> render each
format -> publish. Data flows one way; each stage lives in the folder of the same name."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from council.base import checkpoints
from council.base.cache import ContentCache
from council.base.config import ProjectConfig
from council.base.errors import (
    BibProblem,
    CouncilError,
    Location,
    ProblemsFound,
    SourceError,
    Tally,
    display_path,
    raise_if_any,
)
from council.base.keys import SharedInputs, package_digest, shared_inputs
from council.base.model import Briefing, DraftMarking, Library, RenderedBriefing
from council.base.public_fields import public_fields, public_library
from council.base.vocabularies import nearest
from council.citations.styles import compact_style
from council.publish.archive import write_archive, write_home
from council.publish.cite import csl_items
from council.publish.docs_tree import (
    publisher_of,
    write_alias_downloads,
    write_docs_tree,
    write_downloads,
    write_redirects,
    write_withdrawn_pages,
)
from council.publish.download_sizes import fill_download_sizes
from council.publish.draft_marking import preview_markings, withdrawn_markings
from council.publish.fingerprint import inputs_fingerprint
from council.publish.gate import (
    Withheld,
    banner,
    is_previewable,
    is_public,
    is_restricted,
    keeps_withdrawn_notice,
    public_aliases,
    withheld,
)
from council.publish.library import library_groups, write_library
from council.publish.pages import NavEntry
from council.publish.record import record_problems
from council.publish.release import (
    build_lock,
    clearing_old_outputs,
    publish_release,
    published_fingerprint,
    record_fingerprint,
    staging_area,
)
from council.publish.report_files import write_report_outputs
from council.publish.site_engine import build_site
from council.publish.site_pages import write_policy_pages
from council.publish.writer import OutputWriter
from council.render.batch import PdfCompilation, render_complete, render_pages
from council.render.briefing import RenderContext
from council.render.cite import CiteThis, cite_briefings, format_references
from council.render.formats import download_files
from council.render.images import resized_lines
from council.sources.bibliography import load_library, with_csl
from council.sources.briefings import BriefingProblems, read_briefing
from council.sources.citation_keys import missing_keys
from council.sources.glossary import GlossaryEntry, load_glossary
from council.sources.reports import Report, load_reports  # report to Parliament
from council.sources.requests import Request, load_requests, request_ids, status_warnings
from council.sources.safety import local_images
from council.sources.text import briefing_files, stray_notes

if TYPE_CHECKING:
    from council.publish.report_files import ReportOutputs
    from council.report.quotable import Quotable
    from council.report.render import RenderedReport


@dataclass(frozen=True)
class Sources:
    library: Library
    briefings: list[Briefing]
    warnings: list[SourceError] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)  # policymakers' requests (requests/)
    reports: list[Report] = field(default_factory=list)  # reports to Parliament (reports/<period>/)
    # bibliography findings about entries nothing cites: counted on one line, listed by `council bib check`
    uncited_findings: list[SourceError] = field(default_factory=list)
    glossary: dict[str, GlossaryEntry] = field(default_factory=dict)  # glossary.yml: term -> entry
    held_back: list[Withheld] = field(default_factory=list)  # drafts a build left out for their problems


@dataclass(frozen=True)
class BuildSummary:
    built: int
    reused: int
    withheld: int  # valid briefings the publication gate kept off the site
    site: Path
    site_changed: bool = True
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    warnings: list[SourceError] = field(default_factory=list)  # e.g. the count of bibliography findings
    withheld_notes: list[Withheld] = field(default_factory=list)  # each note the gate kept off, and why
    resized: list[str] = field(default_factory=list)  # each oversized image and the sizes of its copies
    current: int = 0  # an unchanged site: the briefings it already holds, as they are


def load_sources(
    config: ProjectConfig,
    cache: ContentCache,
    *,
    lint: bool = False,
    hold_back_drafts: bool = False,
    style: bool = False,
    strict: bool = False,
) -> Sources:
    """Read and check everything; raise ProblemsFound listing every error at once. With `lint`, the
    bibliography linter's findings join them. A bibliography finding blocks only when a briefing or
    report cites the entry (citations/lint.py `settle`); otherwise it is a warning. With
    `hold_back_drafts` (a build), a draft's problems are warnings and a broken draft is held back. With
    `style` (`council check`), the house style's findings join them (errors with `strict`), for notes that
    could not be used too."""
    from council.citations.lint import settle, with_parents

    library, bib_problems = load_library(config.bibliography_dir)
    problems: list[SourceError] = []
    requests, request_problems = load_requests(config.requests_dir)
    problems.extend(request_problems)
    notes = load_briefings(config, library, requests, lint=lint, hold_back_drafts=hold_back_drafts)
    briefings, unloaded = notes.briefings, notes.unloaded
    problems.extend(notes.problems)
    reports, report_problems = load_reports(config.reports_dir, library)
    problems.extend(report_problems)
    glossary, glossary_problems = load_glossary(config.glossary_file)
    problems.extend(glossary_problems)
    citations = with_parents(citation_places([*briefings, *unloaded], reports), library)
    library, conversion_problems = with_csl(library, citations, cache)
    bib_problems.extend(conversion_problems)
    if lint:
        from council.citations.lint import lint_library

        bib_problems.extend(lint_library(library, citations))
    settled = settle(bib_problems, citations)
    held_back = notes.held_back
    if hold_back_drafts:  # a citation problem only a draft raises never stops the site
        settled, briefings, held_back = drafts_citation_problems(settled, citations, briefings, notes)
    quiet = [p for p in settled if p.warning and not any(k in citations for k in getattr(p, "keys", ()))]
    shown = [p for p in [*problems, *settled] if p not in quiet]
    shown.extend(uncited_findings_warning(quiet, config.bibliography_dir))  # hundreds of lines become one or two
    if style:
        shown.extend(prose_findings(config, briefings, unloaded, glossary, strict=strict))
    raise_if_any(shown)
    # from here on, only the fields a citation needs: nothing private reaches any output
    library = public_library(library, public_fields(config.public_fields))
    return Sources(
        library,
        briefings,
        [p for p in shown if p.warning],
        requests,
        reports,
        uncited_findings=quiet,
        glossary=glossary,
        held_back=held_back,
    )


def prose_findings(
    config: ProjectConfig,
    briefings: list[Briefing],
    unloaded: list[BriefingProblems],
    glossary: dict[str, GlossaryEntry],
    *,
    strict: bool,
    partial: bool = False,
) -> list[SourceError]:
    """The house style's findings (sources/house_style.py): warnings, or with `strict` errors. A note that
    could not be used is checked through its stand-in, whose findings count only in the body."""
    from council.sources.house_style import check_house_style
    from council.sources.style_cache import StyleCache

    stand_ins = {n.stand_in.path: n.stand_in for n in unloaded if n.stand_in is not None}
    _, found = check_house_style(
        config, [*briefings, *stand_ins.values()], glossary, strict=strict, cache=StyleCache(config, partial=partial)
    )
    return [
        f
        for f in found
        if f.location.path not in stand_ins or (f.location.line or 0) >= stand_ins[f.location.path].body_start_line
    ]


@dataclass(frozen=True)
class LoadedNotes:
    briefings: list[Briefing]
    unloaded: list[BriefingProblems]  # notes that could not be used, with the citations they make
    problems: list[SourceError]
    held_back: list[Withheld] = field(default_factory=list)  # drafts a build leaves out for their problems
    draft_errors: dict[Path, tuple[str, list[SourceError]]] = field(default_factory=dict)  # their status, errors


def load_briefings(
    config: ProjectConfig, library: Library, requests: list[Request], *, lint: bool, hold_back_drafts: bool = False
) -> LoadedNotes:
    """Every note of briefings/ read and checked, with the checks across notes (numbers, aliases,
    titles, requests answered): the one place `council check` and `council check briefings/x.md` share."""
    known_requests = request_ids(config.requests_dir)
    briefings: list[Briefing] = []
    unloaded: list[BriefingProblems] = []
    stray = stray_notes(config.briefings_dir)  # published by nobody: an error to check, a withheld line in a build
    problems: list[SourceError] = [] if hold_back_drafts else stray
    held_back = [Withheld(p.location.path, f"{p.message}; {p.hint}", False) for p in stray] if hold_back_drafts else []
    draft_errors: dict[Path, tuple[str, list[SourceError]]] = {}  # each held-back draft: its status and errors
    for path in briefing_files(config.briefings_dir):
        try:
            briefing, found = read_briefing(path, known_requests, config.root)
        except SourceError as error:
            briefing, found, status = None, [error], None
        except BriefingProblems as broken:  # its citations are still checked, and still count as citing
            briefing, found, status = None, [*broken.problems, *missing_keys(broken, library)], broken.status
            unloaded.append(broken)
        else:
            status = briefing.status
            found = [*found, *missing_keys(briefing, library)]
        errors = [p for p in found if not p.warning]
        if hold_back_drafts and errors and status in DRAFT_STATUSES:  # a draft never stops the site
            problems.extend(as_warning(p) for p in found)
            draft_errors[path] = (status, errors)
            held_back.append(held_back_draft(path, status, errors))
            continue
        problems.extend(found)
        if briefing is not None:
            briefings.append(briefing)
    # a note with refused values takes part without them, so that its faults hide nothing across notes
    partial = {n.path: n for n in unloaded if n.partial is not None and n.path not in draft_errors}
    across = [*briefings, *(n.partial for n in partial.values() if n.partial is not None)]
    problems.extend(status_warnings(requests, across))
    # the publishing record: numbers, aliases and the ledger of URLs that must never break
    record = record_problems(config, across, require_numbers=lint)
    problems.extend(
        p for p in record if p.location.path not in partial or p.field not in partial[p.location.path].dropped
    )
    problems.extend(duplicate_titles(across))
    return LoadedNotes(briefings, unloaded, problems, held_back, draft_errors)


DRAFT_STATUSES = ("draft", "review")  # written but not yet meant for readers


def held_back_draft(path: Path, status: str, errors: list[SourceError]) -> Withheld:
    """The withheld line of a draft a build leaves out, naming each of its problems."""
    named = "; ".join(f"line {p.location.line or 1}: {p.message}" for p in errors)
    plural = "s" if len(errors) != 1 else ""
    return Withheld(path, f"status: {status}, held back for its {len(errors)} problem{plural} ({named})", False)


def drafts_citation_problems(
    settled: list[SourceError], citations: dict[str, list[Location]], briefings: list[Briefing], notes: LoadedNotes
) -> tuple[list[SourceError], list[Briefing], list[Withheld]]:
    """A build's view of the bibliography's findings: one that only drafts raise (a draft cites a work pandoc
    cannot read) is a warning, and each draft citing it is held back with the problem on its withheld line.
    A published note or a report citing the same work keeps it an error. Returns the findings, the notes
    still to publish and every withheld line."""
    statuses = {path: status for path, (status, _) in notes.draft_errors.items()}
    statuses.update({b.path: b.status for b in briefings if b.status in DRAFT_STATUSES})
    errors = {path: list(found) for path, (_, found) in notes.draft_errors.items()}

    def only_drafts(problem: SourceError) -> bool:
        places = [place for key in getattr(problem, "keys", ()) for place in citations.get(key, [])]
        return problem.location.path in statuses or (bool(places) and all(p.path in statuses for p in places))

    kept: list[SourceError] = []
    for problem in settled:
        if problem.warning or not only_drafts(problem):
            kept.append(problem)
            continue
        kept.append(problem.settled(warning=True) if isinstance(problem, BibProblem) else as_warning(problem))
        if problem.location.path in statuses:
            errors.setdefault(problem.location.path, []).append(problem)
    held = {path for path in errors if path not in notes.draft_errors}  # valid drafts that now are held back
    held_back = [w for w in notes.held_back if w.path not in errors]
    held_back.extend(held_back_draft(path, statuses[path], found) for path, found in errors.items())
    return kept, [b for b in briefings if b.path not in held], held_back


def as_warning(problem: SourceError) -> SourceError:
    return SourceError(problem.location, problem.message, field=problem.field, hint=problem.hint, warning=True)


def duplicate_titles(briefings: list[Briefing]) -> list[SourceError]:
    """Two notes with one title confuse readers of lists, feeds and citations: a warning at each later one."""
    first: dict[str, Briefing] = {}
    problems = []
    for briefing in briefings:
        key = " ".join(briefing.title.casefold().split())
        if key in first:
            problems.append(
                SourceError(
                    Location(briefing.path, briefing.lines_of("title")[0] if briefing.lines_of("title") else 2),
                    f"the title is the same as that of {display_path(first[key].path)}",
                    field="title",
                    warning=True,
                    hint="give each note a title of its own",
                )
            )
        first.setdefault(key, briefing)
    return problems


def uncited_findings_warning(findings: list[SourceError], directory: Path) -> list[SourceError]:
    """Works nothing cites are counted on one line (`council bib check --unused` lists them); other
    findings in such works on another. Both are shown after the author's own problems."""
    from council.citations.lint import UNCITED

    unused = [f for f in findings if getattr(f, "kind", None) == UNCITED]
    other = [f for f in findings if f not in unused]
    lines = []
    if unused:
        works = len(unused)
        lines.append(
            Tally(
                Location(directory),
                f"{works} work{'s' if works != 1 else ''} in the library "
                f"{'are' if works != 1 else 'is'} not cited yet; `council bib check --unused` lists "
                f"{'them' if works != 1 else 'it'}",
                warning=True,
            )
        )
    if other:
        entries = len({key for f in other for key in getattr(f, "keys", ())})
        lines.append(
            Tally(
                Location(directory),
                f"{len(other)} finding{'s' if len(other) != 1 else ''} in "
                f"{entries} entr{'ies' if entries != 1 else 'y'} that no briefing or report cites "
                "(not blocking); `council bib check` lists them",
                warning=True,
            )
        )
    return lines


def citation_places(briefings: list[Briefing | BriefingProblems], reports: list[Report]) -> dict[str, list[Location]]:
    """Key -> every line citing it, in briefings (loaded or not) and in the sections of reports to Parliament."""
    places: dict[str, list[Location]] = {}
    cited = [(b.path, b.citations) for b in briefings]
    cited += [(n.path, n.citations) for r in reports for n in r.narratives.values()]
    for path, citations in cited:
        for citation in citations:
            places.setdefault(citation.key, []).append(Location(path, citation.line, citation.column))
    return places


def check(config: ProjectConfig, *, style: bool = False, strict: bool = False) -> Sources:
    """`council check`: everything a build validates, plus the bibliography linter (and with `style`, the
    house style); writes nothing but the house style's cache."""
    return load_sources(config, ContentCache(config.cache_dir, writable=False), lint=True, style=style, strict=strict)


@dataclass(frozen=True)
class BuildMode:
    """Everything that differs between the public site and the local drafts preview (`council serve
    --drafts`), decided here once."""

    preview: bool
    link: Path  # the link the finished release is swapped in at: site/, or build/preview
    releases: Path

    def shows(self, briefing: Briefing, now: dt.datetime) -> bool:
        return is_previewable(briefing) if self.preview else is_public(briefing, now)

    def markings(self, shown: list[Briefing], withdrawn: list[Briefing], now: dt.datetime) -> dict[str, DraftMarking]:
        """Preview copies of notes the public cannot see are marked DRAFT or EMBARGOED, published ones
        never; withdrawn briefings keep a notice online for the record, marked on every page."""
        return (preview_markings(shown, now) if self.preview else {}) | withdrawn_markings(withdrawn)

    def banner(self, now: dt.datetime) -> Callable[[Briefing], str | None]:
        return (lambda b: banner(b, now)) if self.preview else (lambda b: None)

    @property
    def writes_private_copies(self) -> bool:
        """Restricted briefings and the clerks' copies of reports come only from a public build."""
        return not self.preview


def build_mode(config: ProjectConfig, preview: bool) -> BuildMode:
    if preview:
        return BuildMode(True, config.preview_dir, config.preview_releases_dir)
    return BuildMode(False, config.site_dir, config.releases_dir)


class Stopwatch:
    """The build's one timer: seconds from the start to the end of each named stage."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.seconds: dict[str, float] = {}

    def mark(self, name: str) -> None:
        self.seconds[name] = time.perf_counter() - self.started

    @contextmanager
    def stage(self, name: str | None, checkpoint: str | None = None) -> Iterator[None]:
        """Time the block as `name` (if it has one), then pass the tests' pause point `checkpoint`."""
        yield
        if name:
            self.mark(name)
        if checkpoint:
            checkpoints.reached(checkpoint)


@dataclass(frozen=True)
class Selection:
    """Which briefings a build puts online: those listed, and the withdrawn that keep a notice."""

    shown: list[Briefing]
    withdrawn: list[Briefing]
    markings: dict[str, DraftMarking]


def build(config: ProjectConfig, now: dt.datetime, *, progress: bool = True, preview: bool = False) -> BuildSummary:
    """Build the public site (or, with `preview`, the local drafts preview in build/preview)."""
    clock = Stopwatch()
    mode = build_mode(config, preview)
    with build_lock(config.build_dir):
        cache = ContentCache(config.cache_dir)
        with clock.stage("load", "sources-loaded"):
            # the public site leaves out a draft with problems; the drafts preview shows them, as the author's to fix
            sources = load_sources(config, cache, hold_back_drafts=not mode.preview)
        selection = select(sources.briefings, mode, now)
        shown, withdrawn = selection.shown, selection.withdrawn
        shared = shared_inputs(config, package_digest())  # hashed once, for the fingerprint and every key
        fingerprint = inputs_fingerprint(config, shown + withdrawn, now, mode.preview, shared, selection.markings)
        if fingerprint == published_fingerprint(mode.link, mode.releases):  # nothing changed: the site is current
            clock.mark("total")
            # nothing rendered and nothing read from the cache (which may be gone)
            return BuildSummary(
                0,
                0,
                len(sources.briefings) - len(shown) + len(sources.held_back),
                mode.link,
                False,
                clock.seconds,
                _build_warnings(sources, config),
                sources.held_back + withheld(sources.briefings, now, mode.preview),
                current=len(shown),
            )
        # "Cite this briefing": each briefing's own reference, by citeproc, for its page, PDF and Word file
        citations = cite_briefings(csl_items(shown + withdrawn, publisher_of(config)), config.style_file, cache)
        context = RenderContext(
            config,
            sources.library,
            cache,
            shared,
            compact_style(config.style_file, cache),
            markings=selection.markings,
            glossary=sources.glossary,
            citations=citations,
        )
        with (
            PdfCompilation(config.root, cache, progress=progress) as pdfs,
            staging_area(config.build_dir) as staging,
            clearing_old_outputs(mode.link, mode.releases, config.build_dir),
        ):
            with clock.stage("pages"):  # every briefing's HTML and DOCX
                everything, pending_pdfs = render_pages(shown + withdrawn, context, progress=progress)
            rendered = everything[: len(shown)]  # listed on the site; the withdrawn keep only their notice
            with clock.stage(None, "pages-rendered"):
                pdfs.compile(pending_pdfs)  # in other processes, while the site is built
            # the rest of the site's own renderings, before the docs tree is written
            references = {
                heading: format_references(items, config.style_file, cache, shared)  # a type at once
                for heading, items in library_groups(sources.library, rendered)
            }
            reports = render_reports(sources.reports, config, sources.library, shown, cache, shared)
            with clock.stage("docs_tree", "docs-tree-written"):
                nav = write_docs(
                    OutputWriter(staging / "docs"),
                    config,
                    sources,
                    selection,
                    everything,
                    references,
                    reports,
                    mode,
                    now,
                    citations,
                )
            with clock.stage("site_engine", "site-engine-done"):
                build_site(
                    config.site_settings, config.root, staging / "docs", staging / "site", nav, source_date_epoch(shown)
                )
            with clock.stage(None, "pdfs-done"):
                pdfs.wait()
            clock.seconds["own_outputs"] = max(
                pdfs.finished - clock.started, clock.seconds["pages"]
            )  # pages, DOCX, PDF
            with clock.stage(None, "downloads-written"):
                write_site_files(OutputWriter(staging / "site"), config, sources, selection, everything, cache, shared)
            with clock.stage(None, "fingerprint-recorded"):
                publish_release(staging / "site", mode.link, mode.releases)
                record_fingerprint(mode.link, mode.releases, fingerprint)
            _keep_docs_for_inspection(staging / "docs", config.build_dir / "docs")
        if mode.writes_private_copies:
            write_private_copies(config, sources.briefings, reports, context)
    reused = sum(r.from_cache for r in rendered)
    clock.mark("total")
    images = sorted({source for b in shown for _, source in local_images(b.path, b.body)})
    resized = resized_lines(images, cache, display_path)
    return BuildSummary(
        len(rendered) - reused,
        reused,
        len(sources.briefings) - len(shown) + len(sources.held_back),
        mode.link,
        True,
        clock.seconds,
        _build_warnings(sources, config),
        sources.held_back + withheld(sources.briefings, now, mode.preview),
        resized,
    )


def select(briefings: list[Briefing], mode: BuildMode, now: dt.datetime) -> Selection:
    shown = [b for b in briefings if mode.shows(b, now)]
    withdrawn = [b for b in briefings if keeps_withdrawn_notice(b, now)]  # a notice at their URL
    return Selection(shown, withdrawn, mode.markings(shown, withdrawn, now))


def write_docs(
    writer: OutputWriter,
    config: ProjectConfig,
    sources: Sources,
    selection: Selection,
    everything: list[RenderedBriefing],
    references: dict[str, dict[str, str]],
    reports: list[RenderedReport],
    mode: BuildMode,
    now: dt.datetime,
    citations: dict[str, CiteThis],
) -> list[NavEntry]:
    """The docs tree the site engine reads: every page, in the order of the site's navigation."""
    shown = selection.shown
    rendered = everything[: len(shown)]
    nav = write_docs_tree(writer, config, rendered, sources.library, banner=mode.banner(now), citations=citations)
    write_withdrawn_pages(writer, config, everything[len(shown) :], shown)
    nav += write_archive(writer, shown)  # every briefing by year: the home page lists only the latest
    # the Council's library (works cited by published briefings) and its exports
    nav += write_library(writer, sources.library, rendered, references)
    # topic indexes, research agenda, intersections, feed, accessibility statement
    nav += write_policy_pages(writer, config, shown, sources.requests, now, sources.glossary)
    # every period's report to Parliament (the classified annex never comes here)
    report_nav, report_folders = report_pages(writer, reports)
    nav += report_nav
    write_home(writer, config, shown, sources.requests, now, report_folders)
    return nav


def write_site_files(
    site: OutputWriter,
    config: ProjectConfig,
    sources: Sources,
    selection: Selection,
    everything: list[RenderedBriefing],
    cache: ContentCache,
    shared: SharedInputs,
) -> None:
    """Into the built site: each briefing's files, redirects from old URLs, and the downloads' sizes."""
    write_downloads(site, everything, sources.library, cache, shared)
    aliases = public_aliases(selection.shown, selection.withdrawn)
    write_redirects(site, aliases, config.site_url)  # renamed briefings: the old page sends readers on
    write_alias_downloads(site, aliases, everything)  # and the old PDF and Word addresses keep working
    fill_download_sizes(site)


def write_private_copies(
    config: ProjectConfig, briefings: list[Briefing], reports: list[RenderedReport], context: RenderContext
) -> None:
    """Kept off the site: briefings above OFFICIAL, clerks' copies of reports and classified annexes."""
    restricted = [b for b in briefings if is_restricted(b)]
    write_restricted(config, render_complete(restricted, context))
    checkpoints.reached("restricted-written")
    for report in reports:
        write_report_outputs(config, report)


def _build_warnings(sources: Sources, config: ProjectConfig) -> list[SourceError]:
    """What a build prints: the one-line count of bibliography findings in entries nothing cites."""
    found = sources.uncited_findings
    return uncited_findings_warning(found, config.bibliography_dir)


def write_restricted(config: ProjectConfig, rendered: list[RenderedBriefing]) -> None:
    """Briefings above OFFICIAL as marked files of every download format (PDF, Word...) in
    build/restricted/, never on the site."""
    folder = config.restricted_dir / "briefings"
    shutil.rmtree(folder, ignore_errors=True)
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.parent.chmod(0o700)  # readable as ordinary files are: copies, not the cache's own
    writer = OutputWriter(folder)
    for item in rendered:
        for name, finished in download_files(item.briefing.slug, item.outputs):
            writer.copy(name, finished)


def render_reports(
    reports: list[Report],
    config: ProjectConfig,
    library: Library,
    public: list[Briefing],
    cache: ContentCache,
    shared: SharedInputs,
) -> list[RenderedReport]:
    if not reports:
        return []
    from council.report.render import render_report  # pandas and matplotlib load only when a report renders

    return [render_report(report, config, library, public, cache, shared) for report in reports]


def build_report(config: ProjectConfig, period: str, now: dt.datetime) -> ReportOutputs:
    """`council report <period>`: every source checked and the report rendered before a byte is written."""
    from council.report.render import render_report  # pandas and matplotlib: only when a report renders

    with build_lock(config.build_dir):
        cache = ContentCache(config.cache_dir)
        sources = load_sources(config, cache)
        found = {r.period: r for r in sources.reports}
        if period not in found:
            guess = nearest(period, found)
            raise CouncilError(
                f"there is no report for '{period}' in reports/"
                + (f"; did you mean '{guess[0]}'?" if guess else f"; periods: {', '.join(found) or 'none yet'}")
            )
        public = [b for b in sources.briefings if is_public(b, now)]
        shared = shared_inputs(config, package_digest())
        rendered = render_report(found[period], config, sources.library, public, cache, shared)
        return write_report_outputs(config, rendered)


@dataclass(frozen=True)
class ReportCheck:
    period: str
    figures: dict[str, Quotable]
    warnings: list[SourceError]


def check_reports(config: ProjectConfig, period: str | None, now: dt.datetime) -> list[ReportCheck]:
    """`council report --check`: every figure the narrative can quote, with its value, and a warning for
    each hand-written number the figures contradict or, in a numbered paragraph, do not match. A
    reference to an unknown figure is an error. Renders and writes nothing."""
    from council.report.figures import compute  # pandas: only when a report is read
    from council.report.narrative_check import narrative_warnings
    from council.report.quotable import quotable, reference_problems

    sources = load_sources(config, ContentCache(config.cache_dir, writable=False))
    found = {r.period: r for r in sources.reports}
    if period is not None and period not in found:
        guess = nearest(period, found)
        raise CouncilError(
            f"there is no report for '{period}' in reports/"
            + (f"; did you mean '{guess[0]}'?" if guess else f"; periods: {', '.join(found) or 'none yet'}")
        )
    chosen = [found[period]] if period is not None else list(found.values())
    problems = [problem for report in chosen for problem in reference_problems(report)]
    if problems:
        raise ProblemsFound(problems)
    public = [b for b in sources.briefings if is_public(b, now)]
    checks = []
    for report in chosen:
        figures = quotable(compute(report, public))
        checks.append(ReportCheck(report.period, figures, narrative_warnings(report, figures)))
    return checks


def report_pages(writer: OutputWriter, rendered: list[RenderedReport]) -> tuple[list[NavEntry], list[str]]:
    """The reports' pages: their navigation, and their folders newest first (for the home page)."""
    if not rendered:
        return [], []
    from council.publish.report_pages import published_folders, write_report_pages  # pandas: only when needed

    return write_report_pages(writer, rendered), published_folders(rendered)


def source_date_epoch(public: list[Briefing]) -> int:
    """The build's date for reproducible outputs: SOURCE_DATE_EPOCH if set, else the newest briefing's date."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    newest = max((b.date for b in public), default=dt.date(2026, 1, 1))
    return int(dt.datetime.combine(newest, dt.time(0), dt.timezone.utc).timestamp())


def _keep_docs_for_inspection(staged: Path, target: Path) -> None:
    shutil.rmtree(target, ignore_errors=True)  # normally gone already (clearing_old_outputs)
    staged.rename(target)
