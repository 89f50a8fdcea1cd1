"""The Council's library on the site: every work the published briefings cite, once, formatted in the
house style beforehand (render/cite.py: citeproc with the configured CSL), on one page per letter of the
first author (so no page is heavy), grouped by type, each with the briefings that cite it; plus the
whole library and each briefing's references as BibTeX, CSL JSON and RIS. Only the briefings the pipeline publishes are ever passed here, so drafts never show."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from council.base.cache import ContentCache
from council.base.keys import SharedInputs, render_key
from council.base.model import Briefing, Library, RenderedBriefing
from council.publish.pages import Download, NavEntry, briefing_folder, page_source
from council.publish.site_engine import UNINDEXED
from council.publish.writer import OutputWriter
from council.render.exports import to_bibtex, to_csl_json, to_ris
from council.render.templating import render_template

LIBRARY_DIR = "library"
LIBRARY_EXPORT = "council-library"
# Group headings in the order a law-and-policy reader looks for them; CSL types not listed go to "Other works".
GROUPS: tuple[tuple[str, frozenset[str]], ...] = (
    ("Cases", frozenset({"legal_case"})),
    ("Legislation", frozenset({"legislation", "bill", "regulation", "hearing"})),
    ("Treaties", frozenset({"treaty"})),
    ("Books", frozenset({"book"})),
    ("Chapters", frozenset({"chapter", "entry-encyclopedia", "entry-dictionary"})),
    ("Journal articles", frozenset({"article-journal", "article-magazine", "article-newspaper"})),
    ("Reports and papers", frozenset({"report", "paper-conference", "thesis", "manuscript"})),
    ("Web pages", frozenset({"webpage", "post-weblog", "post"})),
)
OTHER = "Other works"
FORMATS = (
    ("bib", "BibTeX", "application/x-bibtex"),
    ("json", "CSL JSON", "application/json"),
    ("ris", "RIS", "application/x-research-info-systems"),
)


@dataclass(frozen=True)
class CitingBriefing:
    title: str
    href: str  # relative to the library page


@dataclass(frozen=True)
class LibraryWork:
    key: str
    anchor: str
    html: str  # the reference in the house style
    link: str | None  # DOI (as a doi.org address) or URL
    cited_in: tuple[CitingBriefing, ...]


def anchor(key: str) -> str:
    """The id of a work on its library page; pandoc's own 'ref-' ids, so one key means one anchor."""
    return f"ref-{key}"


def library_page(item: dict) -> str:
    """The library page a work is listed on: the first letter of its first author's (or editor's)
    family name, else of its title; '0' for anything not a letter. It depends on the work alone, so
    a work's address never changes as the library grows, and no page holds more than one letter."""
    names = item.get("author") or item.get("editor") or []
    first = names[0] if names and isinstance(names[0], dict) else {}
    text = str(first.get("family") or first.get("literal") or item.get("title") or "")
    letter = unicodedata.normalize("NFKD", text.lstrip(" \"'‘“([")[:1]).encode("ascii", "ignore").decode().lower()
    return letter if letter.isalpha() else "0"


def page_label(page: str) -> str:
    return page.upper() if page != "0" else "Other"


def library_href(key: str, page: str, from_depth: int) -> str:
    """A link to a work on its library page from a page `from_depth` folders deep (briefings/x/ is 2)."""
    return "../" * from_depth + f"{LIBRARY_DIR}/{page}/#{quote(anchor(key), safe=':/-_.~')}"


def citing_briefings(rendered: list[RenderedBriefing]) -> dict[str, list[Briefing]]:
    """Key -> the published briefings citing it, newest first."""
    cited: dict[str, list[Briefing]] = {}
    for item in sorted(rendered, key=lambda r: (r.briefing.date, r.briefing.slug), reverse=True):
        for key in item.briefing.cited_keys:
            cited.setdefault(key, []).append(item.briefing)
    return cited


def library_groups(library: Library, rendered: list[RenderedBriefing]) -> list[tuple[str, list[dict]]]:
    """The works the published briefings cite, grouped by type: each group is formatted at once
    (render/cite.py format_references), and `write_library` takes the results by heading."""
    return group_by_type(sorted(k for k in citing_briefings(rendered) if k in library.csl), library)


def write_library(
    writer: OutputWriter, library: Library, rendered: list[RenderedBriefing], references: dict[str, dict[str, str]]
) -> list[NavEntry]:
    """Write the library: an overview page with the whole-library exports, and one page per letter
    (library_page), each grouped by type; return its navigation entry. `references` holds, for each
    heading of `library_groups`, key -> the formatted reference, in the style's own order."""
    cited = citing_briefings(rendered)
    keys = sorted(k for k in cited if k in library.csl)
    pages: dict[str, dict[str, list[LibraryWork]]] = {}
    headings = []
    for heading, formatted in references.items():
        headings.append(heading)
        for key in formatted:
            page = library_page(library.csl[key])
            work = LibraryWork(
                key,
                anchor(key),
                formatted[key],
                work_link(library.csl[key]),
                tuple(CitingBriefing(b.title, f"../../{briefing_folder(b.slug)}/") for b in cited[key]),
            )
            pages.setdefault(page, {}).setdefault(heading, []).append(work)
    letters = [(page, page_label(page), sum(len(w) for w in pages[page].values())) for page in sorted(pages)]
    for page, label, count in letters:
        groups = [{"heading": h, "id": _group_id(h), "works": pages[page][h]} for h in headings if h in pages[page]]
        html = render_template(
            "site_library_page.html.j2",
            label=label,
            groups=groups,
            count=count,
            letters=[(other, other_label, n, f"../{other}/") for other, other_label, n in letters],
            current=page,
            overview="../",
            unindexed=UNINDEXED,
        )
        meta = {
            "title": f"Library: {label}",
            "hide": ["toc"],
            "description": f"Works cited in the Council's published briefings: {label}",
        }
        writer.write(f"{LIBRARY_DIR}/{page}/index.md", page_source(meta, html))
    exports = write_exports(writer, f"{LIBRARY_DIR}/{LIBRARY_EXPORT}", keys, library, "the whole library")
    html = render_template(
        "site_library.html.j2",
        count=len(keys),
        exports=exports,
        letters=[(page, label, n, f"{page}/") for page, label, n in letters],
    )
    meta = {"title": "Library", "description": "Every work the Council's published briefings cite."}
    writer.write(f"{LIBRARY_DIR}/index.md", page_source(meta, html))
    return [NavEntry("Library", f"{LIBRARY_DIR}/index.md")]


def _group_id(heading: str) -> str:
    return "type-" + re.sub(r"[^a-z]+", "-", heading.lower())


def group_by_type(keys: list[str], library: Library) -> list[tuple[str, list[dict]]]:
    buckets: dict[str, list[dict]] = {}
    for key in keys:
        item = library.csl[key]
        heading = next((h for h, types in GROUPS if item.get("type") in types), OTHER)
        buckets.setdefault(heading, []).append(item)
    order = [h for h, _ in GROUPS] + [OTHER]
    return [(h, buckets[h]) for h in order if h in buckets]


def work_link(item: dict) -> str | None:
    if item.get("DOI"):
        return "https://doi.org/" + quote(str(item["DOI"]), safe="/:;()<>-._~")
    return str(item["URL"]) if item.get("URL") else None


def write_exports(writer: OutputWriter, stem: str, keys: list[str], library: Library, what: str) -> list[Download]:
    """`stem`.bib, .json and .ris for the given works; returns download links relative to their folder."""
    name = stem.rsplit("/", 1)[-1]
    for suffix, text in _export_contents(keys, library).items():
        writer.write(f"{stem}.{suffix}", text)
    return [Download(f"{name}.{suffix}", f"References in {what} ({label})") for suffix, label, _ in FORMATS]


def _export_contents(keys: list[str], library: Library, bibtex: str | None = None) -> dict[str, str]:
    items = [library.csl[k] for k in keys if k in library.csl]
    return {
        "bib": bibtex if bibtex is not None else _bibtex(keys, library),
        "json": to_csl_json(items),
        "ris": to_ris(items),
    }


def _bibtex(keys: list[str], library: Library) -> str:
    """The entries as written, with the crossref parents they inherit from."""
    entries = [library.entries[k] for k in keys if k in library.entries]
    parent_keys = {p.strip() for e in entries for p in e.fields.get("crossref", "").split(",") if p.strip()}
    parents = [library.entries[k] for k in sorted(parent_keys - set(keys)) if k in library.entries]
    return to_bibtex(entries, library.strings, parents)


def briefing_export_downloads(briefing: Briefing) -> list[Download]:
    """A briefing's references for reference managers, as links beside its PDF (the files themselves
    come from `briefing_export_files`, straight into the built site)."""
    return [Download(f"{briefing.slug}-references.{suffix}", f"References ({label})") for suffix, label, _ in FORMATS]


def briefing_export_files(
    briefing: Briefing, library: Library, cache: ContentCache, shared: SharedInputs
) -> list[tuple[str, Path]]:
    """(file name, file in the render cache) for each download of `briefing_export_downloads`; made
    once for each set of cited entries, as written, so a rebuild only links them."""
    keys = list(briefing.cited_keys)
    bibtex = _bibtex(keys, library)  # the entries exactly as written: with the CSL items, the whole input
    key = render_key(
        "reference-exports",
        shared,
        bibtex,
        entries=json.dumps(library.subset(briefing.cited_keys), ensure_ascii=False, sort_keys=True),
    )
    files = [
        (f"{briefing.slug}-references.{suffix}", cache.path(key, f"references.{suffix}")) for suffix, _, _ in FORMATS
    ]
    if not all(cache.holds(key, path.name) for _, path in files):
        for suffix, text in _export_contents(keys, library, bibtex).items():
            cache.put(key, f"references.{suffix}", text.encode("utf-8"))
    return files


_ENTRY = re.compile(r'(<div id="ref-(?P<key>[^"]+)" class="csl-entry"[^>]*>)(?P<body>.*?)(</div>)', re.S)


def link_references_to_library(references_html: str, library: Library, from_depth: int = 2) -> str:
    """Give each entry of a briefing's reference list a link to the same work in the library."""

    def add_link(match: re.Match[str]) -> str:
        if match["key"] not in library.csl:
            return match.group(0)
        href = library_href(match["key"], library_page(library.csl[match["key"]]), from_depth)
        link = f' <a class="council-library-link" href="{href}">In the library</a>'
        return match.group(1) + match["body"].rstrip() + link + "\n" + match.group(4)

    return _ENTRY.sub(add_link, references_html)
