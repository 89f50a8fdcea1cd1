"""`council serve`'s fast path: when an author saves a briefing, its page alone is rendered and laid
over the site being served (the shell of the last full build, holding the new article) in a second
or two, while the whole site rebuilds in the background. `council build` never comes here: the public
site is only ever a full, atomic build."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from council.base.cache import ContentCache
from council.base.config import ProjectConfig
from council.base.errors import SourceError
from council.base.keys import package_digest, shared_inputs
from council.base.model import BibEntry, Library
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
from council.sources.bibliography import (
    DUPLICATE_KEY,
    bib_files,
    duplicate_key_problem,
    load_library_files,
    with_csl,
)
from council.sources.briefings import load_briefing
from council.sources.citation_keys import CITATION, missing_keys
from council.sources.glossary import load_glossary
from council.sources.requests import request_ids
from council.sources.text import read_source_text


@dataclass(frozen=True)
class _KeptFile:
    """One .bib file as last parsed, with its size and modification time when it was."""

    state: tuple[int, int]
    library: Library
    problems: list[SourceError]


# A serve session parses a library of thousands of works once; after a save, only the .bib file that
# changed is parsed again, the others' entries are kept. The merged library is kept too, so that
# citing it again costs nothing. The lock: the server primes the library while it watches for saves.
_KEPT_FILES: dict[Path, dict[Path, _KeptFile]] = {}
_KEPT: dict[Path, tuple[tuple[tuple[Path, tuple[int, int]], ...], Library, list[SourceError]]] = {}
_LOCK = threading.Lock()


def kept_library(folder: Path) -> tuple[Library, list[SourceError]]:
    """Every entry of every .bib file in `folder`, as `load_library` reads them, parsing again only the
    files whose size or modification time changed since the last call."""
    with _LOCK:
        _refresh(folder)
        files = _KEPT_FILES[folder]
        state = tuple((path, kept.state) for path, kept in files.items())
        merged = _KEPT.get(folder)
        if merged is None or merged[0] != state:
            merged = _KEPT[folder] = (state, *_merged(list(files.values())))
        return merged[1], list(merged[2])


def changed_entries(folder: Path) -> set[str]:
    """The keys of the entries added, removed or edited since the last look at `folder`'s .bib files
    (every key of a file whose @string macros changed, as each entry may use them)."""
    with _LOCK:
        before = dict(_KEPT_FILES.get(folder, {}))
        after = _refresh(folder)
    changed: set[str] = set()
    for path in before.keys() | after.keys():
        old, new = before.get(path), after.get(path)
        if old is new:
            continue
        old_entries = old.library.entries if old else {}
        new_entries = new.library.entries if new else {}
        if old is None or new is None or old.library.strings != new.library.strings:
            changed |= old_entries.keys() | new_entries.keys()
            continue
        changed |= {
            key
            for key in old_entries.keys() | new_entries.keys()
            if getattr(old_entries.get(key), "raw", None) != getattr(new_entries.get(key), "raw", None)
        }
    return changed


def _refresh(folder: Path) -> dict[Path, _KeptFile]:
    """Parse again the files that changed (and only those); forget the ones removed. Holds _LOCK.
    A file sees the @string macros of the files before it, as BibTeX reads them (load_library_files):
    while any file defines macros, a change reads every file again, together."""
    kept = _KEPT_FILES.setdefault(folder, {})
    present: dict[Path, tuple[int, int]] = {}
    for path in bib_files(folder):
        try:
            stat = path.stat()
        except OSError:  # removed while we looked: as good as gone
            continue
        present[path] = (stat.st_size, stat.st_mtime_ns)
    stale = [path for path, state in present.items() if path not in kept or kept[path].state != state]
    for path in stale:
        library, problems = load_library_files([path], root=folder.parent)
        kept[path] = _KeptFile(present[path], library, list(problems))
    if stale and len(present) > 1 and any(kept[path].library.strings for path in present):
        kept.update(_read_together(folder, present))
    _KEPT_FILES[folder] = {path: kept[path] for path in present}  # in load_library's order
    return _KEPT_FILES[folder]


def _read_together(folder: Path, present: dict[Path, tuple[int, int]]) -> dict[Path, _KeptFile]:
    """Every file as load_library reads them, kept file by file (a key in several files is kept in the
    first only, so the preview does not report it again: the full build does)."""
    library, problems = load_library_files(list(present), root=folder.parent)
    copies: dict[Path, dict[str, BibEntry]] = {path: {} for path in present}
    for key, entry in library.entries.items():
        copies.setdefault(entry.path, {})[key] = entry
    kept = {}
    for path, state in present.items():
        own = [p for p in problems if p.location.path == path and getattr(p, "kind", None) != DUPLICATE_KEY]
        strings = library.file_strings.get(path, ())
        kept[path] = _KeptFile(state, Library(copies[path], {}, strings, {path: strings} if strings else {}), own)
    return kept


def _merged(files: list[_KeptFile]) -> tuple[Library, list[SourceError]]:
    """The files' libraries as one, as `load_library` makes it: the first copy of a key wins, and a key
    in several files is a finding."""
    entries: dict[str, BibEntry] = {}
    copies: dict[str, list[BibEntry]] = {}
    problems: list[SourceError] = []
    for kept in files:
        problems.extend(kept.problems)
        for key, entry in kept.library.entries.items():
            entries.setdefault(key, entry)
            copies.setdefault(key, []).append(entry)
    problems.extend(duplicate_key_problem(key, found) for key, found in copies.items() if len(found) > 1)
    strings = tuple(s for kept in files for s in kept.library.strings)
    file_strings = {path: macros for kept in files for path, macros in kept.library.file_strings.items()}
    return Library(entries, {}, strings, file_strings), problems


# A .bib edit re-renders at once the pages of at most this many notes citing what changed, the most
# recently saved first (the one the author is working on); the full build behind them brings the rest.
NOTES_PER_BIB_EDIT = 3


def notes_citing(briefings: Path, keys: set[str], limit: int = NOTES_PER_BIB_EDIT) -> list[Path]:
    """The notes whose text cites one of `keys`, most recently saved first, at most `limit` of them."""
    if not keys:
        return []
    notes = sorted(briefings.glob("*.md"), key=_saved_at, reverse=True)
    found = []
    for note in notes:
        try:  # within the project and the size limit, as the build reads it
            text = read_source_text(note, briefings.parent)
        except (SourceError, OSError):  # the full build behind reports it
            continue
        if any((m.group("braced") or m.group("bare")) in keys for m in CITATION.finditer(text)):
            found.append(note)
            if len(found) == limit:
                break
    return found


def _saved_at(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:  # removed while we looked
        return 0


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
