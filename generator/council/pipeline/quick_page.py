"""`council serve`'s fast path: when an author saves a briefing, its page alone is rendered and laid
over the site being served (the shell of the last full build, holding the new article) in a second
or two, while the whole site rebuilds in the background. `council build` never comes here: the public
site is only ever a full, atomic build."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path

from council.base.cache import ContentCache
from council.base.config import ProjectConfig
from council.base.errors import SourceError
from council.base.keys import package_digest, shared_inputs
from council.base.model import Library
from council.base.public_fields import public_fields, public_library
from council.citations.styles import compact_style
from council.publish.docs_tree import publisher_of, write_briefing
from council.publish.draft_marking import preview_markings
from council.publish.gate import banner, is_previewable, is_public
from council.publish.indexes import RelatedBriefings
from council.publish.pages import briefing_folder
from council.publish.writer import OutputWriter
from council.render.batch import render_pages
from council.render.briefing import RenderContext
from council.sources.bibliography import bib_files, load_library, with_csl
from council.sources.briefings import load_briefing
from council.sources.citation_keys import missing_keys
from council.sources.glossary import load_glossary
from council.sources.requests import request_ids

# The library as last parsed, with the state of its files (name, size, modification time): a serve session
# parses a library of thousands of works once, and again only after a .bib file changes.
_KEPT: dict[Path, tuple[tuple[tuple[str, int, int], ...], Library, list[SourceError]]] = {}


def kept_library(folder: Path) -> tuple[Library, list[SourceError]]:
    files = bib_files(folder)
    state = tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in files)
    kept = _KEPT.get(folder)
    if kept is None or kept[0] != state:
        library, problems = load_library(folder)
        kept = _KEPT[folder] = (state, library, list(problems))
    return kept[1], list(kept[2])


_ARTICLE = re.compile(r'<article class="council-briefing".*?</article>', re.S)  # holds no other article


def quick_page(
    config: ProjectConfig, note: Path, served: Path, now: dt.datetime, preview: bool
) -> tuple[str, str] | None:
    """(the page's path in the site, its HTML) with the note's article re-rendered into the page the
    last full build left in `served`; None when only a full build can show the change (a new note, one
    the publication gate now hides, a citation the library lacks). Raises SourceError or
    BriefingProblems for a note that does not load, as the full build would."""
    cache = ContentCache(config.cache_dir)
    briefing = load_briefing(note, request_ids(config.requests_dir), config.root)
    page = f"{briefing_folder(briefing.slug)}/index.html"
    if not (served / page).is_file() or not (is_previewable(briefing) if preview else is_public(briefing, now)):
        return None
    library, problems = kept_library(config.bibliography_dir)
    library, conversion_problems = with_csl(library, briefing.cited_keys, cache)
    if any(not p.warning for p in problems + conversion_problems + missing_keys(briefing, library)):
        return None
    library = public_library(library, public_fields(config.public_fields))
    glossary, _ = load_glossary(config.glossary_file)  # a broken glossary is the full build's to report
    # no "Cite this briefing" here: the full build behind this page brings it back
    context = RenderContext(
        config,
        library,
        cache,
        shared_inputs(config, package_digest()),
        compact_style(config.style_file, cache),
        markings=preview_markings([briefing], now) if preview else {},
        glossary=glossary,
    )
    rendered, _ = render_pages([briefing], context, progress=False)  # its PDF waits for the full build
    with tempfile.TemporaryDirectory() as scratch:
        # related briefings need every other note: the full build behind this one brings them back
        write_briefing(
            OutputWriter(Path(scratch)),
            rendered[0],
            RelatedBriefings([]),
            library,
            banner(briefing, now) if preview else None,
            publisher_of(config),
            full_text=config.search_full_text,
        )
        source = (Path(scratch) / briefing_folder(briefing.slug) / "index.md").read_text(encoding="utf-8")
    article = _ARTICLE.search(source.split("\n---\n", 1)[1])
    shell = (served / page).read_text(encoding="utf-8")
    if article is None or not _ARTICLE.search(shell):
        return None
    return page, _ARTICLE.sub(lambda _: article.group(0), shell, count=1)
