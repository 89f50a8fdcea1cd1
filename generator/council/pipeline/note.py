"""One note at a time: `council check briefings/x.md` and `council build briefings/x.md`.

An author working on one note wants its problems and its outputs, not the whole project's. The check
runs what `council check` runs for that note: its front matter and text, its citations against the
library, the bibliography linter on the works it cites, and the house style. The build renders its page,
PDF and Word file into build/single/<slug>/ through the guarded writer, swapped in whole when done. Drafts are
allowed (this is not the public site, which is never touched); material above OFFICIAL is not, as in
`council serve --drafts`."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from council.base.cache import ContentCache
from council.base.config import ProjectConfig
from council.base.errors import BibProblem, CouncilError, SourceError, display_path, raise_if_any
from council.base.keys import package_digest, shared_inputs
from council.base.model import Briefing, Library
from council.base.public_fields import public_fields, public_library
from council.citations.lint import lint_library, settle, with_parents
from council.citations.styles import compact_style
from council.pipeline.site import citation_places, load_briefings, prose_findings, source_date_epoch
from council.publish.cite import csl_items
from council.publish.docs_tree import publisher_of, write_docs_tree, write_downloads
from council.publish.draft_marking import preview_markings
from council.publish.gate import banner, is_previewable, withheld_reason
from council.publish.pages import NavEntry, briefing_folder
from council.publish.release import build_lock, staging_area
from council.publish.site_engine import build_site
from council.publish.writer import OutputWriter
from council.render.batch import render_complete
from council.render.briefing import RenderContext
from council.render.cite import cite_briefings
from council.render.formats import DOCX, PDF
from council.sources.bibliography import load_library, with_csl
from council.sources.glossary import GlossaryEntry, load_glossary
from council.sources.requests import load_requests
from council.sources.text import OutsideProject, stray_notes

SINGLE = "single"  # build/single/<slug>/


@dataclass(frozen=True)
class CheckedNote:
    briefing: Briefing
    library: Library  # with CSL JSON for the works the note cites; private fields still in
    glossary: dict[str, GlossaryEntry]
    warnings: list[SourceError] = field(default_factory=list)


@dataclass(frozen=True)
class SingleOutputs:
    page: Path
    pdf: Path
    docx: Path


def note_path(config: ProjectConfig, given: Path) -> Path:
    """`given` (relative to the folder council runs in) as a briefing of this project, or a clear error."""
    path = given.resolve()
    folder = config.briefings_dir.resolve()
    what = "a briefing is a .md file directly in briefings/, such as briefings/early-warning.md"
    if not path.exists():
        raise CouncilError(f"{given}: no such file; {what}")
    if not path.is_relative_to(config.root):  # e.g. a link out of briefings/: refused before it is read
        raise OutsideProject(given, config.root)
    stray = [p for p in stray_notes(config.briefings_dir) if p.location.path.resolve() == path]
    raise_if_any(stray)  # a note in a subfolder: the full check's own message
    if path.is_dir() or path.suffix != ".md" or path.parent != folder or path.name.startswith(("_", ".")):
        raise CouncilError(f"{given} is not a briefing: {what}")
    return path


def concerns(problem: SourceError, path: Path, briefings_dir: Path) -> bool:
    """Whether a finding of the full check is this note's: found in it, or found in a record outside the
    notes (the ledger) and naming it (`briefings/x.md carries its number`)."""
    where = problem.location.path.resolve()
    if where == path:
        return True
    in_a_note = where.suffix == ".md" and where.is_relative_to(briefings_dir.resolve())
    named = f"briefings/{path.name}"
    return not in_a_note and (named in problem.message or named in (problem.hint or ""))


def check_note(
    config: ProjectConfig, path: Path, cache: ContentCache, *, lint: bool = True, strict: bool = False
) -> CheckedNote:
    """Every problem of this one note at once (ProblemsFound); with `lint`, the bibliography linter's
    findings on the works it cites and the house style join them. Other notes' problems are theirs."""
    library, bib_problems = load_library(config.bibliography_dir)
    requests, _ = load_requests(config.requests_dir)  # the registry's own problems are `council check`'s
    # every note is read, so that the checks across notes (numbers, aliases, titles) are the full check's
    notes = load_briefings(config, library, requests, lint=lint)
    problems = [p for p in notes.problems if concerns(p, path, config.briefings_dir)]
    briefing = next((b for b in notes.briefings if b.path.resolve() == path), None)
    # a note that could not be read still has the works it cites checked, as in the full check
    citing = briefing or next((n for n in notes.unloaded if n.path and n.path.resolve() == path), None)
    citations = with_parents(citation_places([citing] if citing else [], []), library)
    library, conversion_problems = with_csl(library, citations, cache)
    bib_problems = [*bib_problems, *conversion_problems]
    if lint:
        bib_problems.extend(lint_library(library, citations))
    # a finding about a work this note does not cite belongs to `council bib check`, not here
    problems += [
        p
        for p in settle(bib_problems, citations)
        if not isinstance(p, BibProblem) or any(key in citations for key in p.keys)
    ]
    glossary, _ = load_glossary(config.glossary_file)  # the glossary's own problems are `council check`'s
    if lint:
        problems += prose_findings(
            config,
            [briefing] if briefing else [],
            [n for n in notes.unloaded if n is citing],
            glossary,
            strict=strict,
            partial=True,
        )
    if briefing is None:
        raise_if_any(problems)
        raise CouncilError(f"{display_path(path)} could not be read")
    raise_if_any(problems)
    return CheckedNote(briefing, library, glossary, [p for p in problems if p.warning])


def build_note(config: ProjectConfig, path: Path, now: dt.datetime) -> tuple[SingleOutputs, list[SourceError]]:
    """The note's page (with the site's theme), PDF and Word file in build/single/<slug>/."""
    with build_lock(config.build_dir):
        cache = ContentCache(config.cache_dir)
        checked = check_note(config, path, cache, lint=False)
        briefing = checked.briefing
        if not is_previewable(briefing):
            raise CouncilError(
                f"{display_path(path)}: {withheld_reason(briefing, now, preview=True)}; "
                "build/single/ holds only notes a preview may show"
            )
        library = public_library(checked.library, public_fields(config.public_fields))
        shared = shared_inputs(config, package_digest())
        citations = cite_briefings(csl_items([briefing], publisher_of(config)), config.style_file, cache)
        context = RenderContext(
            config,
            library,
            cache,
            shared,
            compact_style(config.style_file, cache),
            markings=preview_markings([briefing], now),
            glossary=checked.glossary,
            citations=citations,
        )
        rendered = render_complete([briefing], context)[0]
        target = config.build_dir / SINGLE / briefing.slug
        with staging_area(config.build_dir) as staging:
            nav = write_docs_tree(
                OutputWriter(staging / "docs"),
                config,
                [rendered],
                library,
                banner=lambda b: banner(b, now),
                citations=citations,
            )
            page = f"{briefing_folder(briefing.slug)}/index.md"
            # the one page there is: the navigation's home would point at a page this build has not got
            nav = [NavEntry(briefing.title, page)] if nav else nav
            build_site(
                config.site_settings,
                config.root,
                staging / "docs",
                staging / "site",
                nav,
                source_date_epoch([briefing]),
            )
            write_downloads(OutputWriter(staging / "site"), [rendered], library, cache, shared)
            _replace(staging / "site", target)
    folder = target / briefing_folder(briefing.slug)
    outputs = SingleOutputs(
        folder / "index.html", folder / PDF.file_name(rendered.file_stem), folder / DOCX.file_name(rendered.file_stem)
    )
    return outputs, checked.warnings


def _replace(built: Path, target: Path) -> None:
    """The new outputs in place of the old, swapped by renames: a failed build leaves the last one whole."""
    target.parent.mkdir(parents=True, exist_ok=True)
    old = target.with_name(f".old-{target.name}-{os.getpid()}")
    if target.exists():
        target.rename(old)
    built.rename(target)
    shutil.rmtree(old, ignore_errors=True)
