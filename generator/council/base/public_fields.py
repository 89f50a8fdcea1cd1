"""What of a bibliography entry may leave the author's machine: the one allowlist.

Reference managers export far more than a citation needs: Zotero's Better BibTeX writes the path of
the attached PDF (`file`, with the author's user name in it), private reading notes (`annote`) and
personal tags (`keywords`); Mendeley and JabRef add `mendeley-tags`, `groups`, `owner`, `timestamp`,
`comment`, `readstatus`, `priority`, `ranking`, `qualityassured` and more. Every public output (the
library page and its BibTeX, CSL JSON and RIS files, each briefing's references, pages, search index,
feed, PDF and Word files) is made from `public_library`, which keeps only the fields listed here. A
field not listed is private, so a new exporter's new field stays home by default.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from council.base.bibtex_braces import braced_end, quoted_end
from council.base.errors import Location, display_path
from council.base.model import BibEntry, Library

# --- BibTeX/BibLaTeX fields that are public, and why ------------------------------------------------
_BIBTEX_PUBLIC: dict[str, str] = {
    # who made the work: every style prints them
    "author": "creator",
    "editor": "creator",
    "editora": "creator",
    "editorb": "creator",
    "editorc": "creator",
    "editortype": "role of the editor",
    "translator": "creator",
    "bookauthor": "creator of the containing book",
    "holder": "a patent's holder",
    "editoratype": "role of an editor",
    "editorbtype": "role of an editor",
    "editorctype": "role of an editor",
    "foreword": "contributor",
    "afterword": "contributor",
    "introduction": "contributor",
    "commentator": "contributor",
    "annotator": "contributor (of an annotated edition, not a reader's notes)",
    # what the work is called, and what it is part of
    "title": "title",
    "subtitle": "title",
    "titleaddon": "title",
    "shorttitle": "short form for styles that use one",
    "booktitle": "container",
    "booksubtitle": "container",
    "booktitleaddon": "container",
    "maintitle": "multi-volume work",
    "mainsubtitle": "multi-volume work",
    "maintitleaddon": "multi-volume work",
    "journaltitle": "container",
    "journal": "container (BibTeX name)",
    "journalsubtitle": "container",
    "shortjournal": "abbreviated container",
    "issuetitle": "special issue",
    "issuesubtitle": "special issue",
    "series": "series",
    "eventtitle": "conference",
    "origtitle": "original title",
    "shorthand": "the short form citations use",
    "label": "the label author-year styles print",
    "origlanguage": "language translated from",
    "origpublisher": "original publisher",
    "origlocation": "original place",
    "origyear": "original date (old name)",
    # where and by whom it was published
    "publisher": "publisher",
    "institution": "issuing body (and the court of a case)",
    "organization": "issuing body",
    "school": "thesis institution (BibTeX name)",
    "location": "place of publication",
    "address": "place of publication (BibTeX name)",
    "venue": "where an event was held",
    "howpublished": "how an unusual work was published",
    # which part of it, and which version
    "edition": "edition",
    "volume": "volume",
    "volumes": "number of volumes",
    "number": "report, statute or case number",
    "issue": "issue",
    "part": "part of a volume",
    "pages": "pages",
    "pagetotal": "length",
    "chapter": "chapter",
    "eid": "electronic article number",
    "type": "kind of report or thesis",
    "version": "version",
    "pubstate": "publication state (forthcoming, in press)",
    # when
    "date": "date",
    "year": "date (BibTeX name)",
    "month": "date (BibTeX name)",
    "eventdate": "date of an event or enactment",
    "origdate": "original date",
    "urldate": "access date, which styles print beside the URL",
    # how to find it: public identifiers and addresses (local paths are removed separately)
    "doi": "identifier",
    "url": "address",
    "eprint": "identifier",
    "eprinttype": "identifier scheme",
    "eprintclass": "identifier class",
    "archiveprefix": "identifier scheme (arXiv)",
    "primaryclass": "identifier class (arXiv)",
    "isbn": "identifier",
    "issn": "identifier",
    "isrn": "identifier",
    "pmid": "identifier",
    # language, for hyphenation and for styles that print it
    "language": "language of the work",
    "langid": "language of the work",
    "hyphenation": "language (old name)",
    # links between entries, so an exported entry still loads with its parents
    "crossref": "inherited fields",
    "xdata": "shared fields",
    "xref": "parent reference",
    "related": "related works",
    "relatedtype": "how works relate",
    "relatedstring": "how works relate",
    "relatedoptions": "how works relate",
    "entryset": "members of a set of works",
    # how biblatex formats, sorts and indexes the entry: settings, not personal data
    "options": "formatting options (useprefix ...)",
    "langidopts": "language options",
    "presort": "sorting",
    "sortkey": "sorting",
    "sortname": "sorting",
    "sorttitle": "sorting",
    "sortyear": "sorting",
    "sortshorthand": "sorting",
    "indextitle": "index entry",
    "indexsorttitle": "index entry",
}

# --- CSL variables that are public, and why (pandoc's conversion of the fields above) ------------------
_CSL_PUBLIC: dict[str, str] = {
    "id": "the citation key",
    "type": "the kind of work",
    **{
        name: "creator"
        for name in (
            "author",
            "editor",
            "translator",
            "collection-editor",
            "container-author",
            "director",
            "editorial-director",
            "illustrator",
            "interviewer",
            "recipient",
            "reviewed-author",
            "composer",
            "original-author",
            "chair",
            "compiler",
            "contributor",
            "curator",
            "organizer",
            "performer",
            "producer",
            "executive-producer",
            "guest",
            "host",
            "narrator",
            "script-writer",
            "series-creator",
        )
    },
    **{
        name: "title or container"
        for name in (
            "title",
            "title-short",
            "container-title",
            "container-title-short",
            "collection-title",
            "collection-number",
            "original-title",
            "volume-title",
            "part-title",
            "event",
            "event-title",
        )
    },
    **{
        name: "part, version or extent"
        for name in (
            "volume",
            "issue",
            "number",
            "number-of-volumes",
            "number-of-pages",
            "page",
            "page-first",
            "edition",
            "chapter-number",
            "section",
            "part-number",
            "supplement-number",
            "genre",
            "medium",
            "version",
            "status",
        )
    },
    **{
        name: "publisher or issuing body"
        for name in (
            "publisher",
            "publisher-place",
            "original-publisher",
            "original-publisher-place",
            "authority",
            "jurisdiction",
            "event-place",
        )
    },
    **{name: "date" for name in ("issued", "original-date", "event-date", "accessed", "available-date", "submitted")},
    **{name: "public identifier or address" for name in ("DOI", "ISBN", "ISSN", "URL", "PMID", "PMCID")},
    "language": "language of the work",
    "archive": "the archive holding a document",
    "archive_location": "its reference there",
}

# --- fields some libraries use bibliographically and others privately: public only when council.yml
# lists them under bibliography.public_fields. Each maps to the BibTeX fields and CSL variables it opens.
OPT_IN: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    # biblatex prints note and addendum; Zotero users keep the 'Extra' field and reading remarks there.
    # pandoc merges both into CSL 'note', so they go together.
    "note": (frozenset({"note", "addendum"}), frozenset({"note"})),
    # publishers' abstracts are public, but many authors write their own summaries here
    "abstract": (frozenset({"abstract"}), frozenset({"abstract"})),
    # subject keywords for some, personal tags such as "to-read" for most
    "keywords": (frozenset({"keywords"}), frozenset({"keyword"})),
}
# Never public, whatever council.yml says: attachment paths and private reading notes.
NEVER_PUBLIC = frozenset({"file", "annote", "annotation", "pdf", "local-url", "mendeley-tags", "owner"})

# A local file path anywhere in a value: file: URLs, home folders (~/, /Users/, /home/), other
# absolute folders of a machine, Windows drives (C:\ or C:/) and network shares (\\server\).
_LOCAL_PATH = re.compile(
    r"(?:^|(?<=[\s{}\"'(;:,=]))(?:file:|~[/\\]|\\\\[\w.$-]+\\|[A-Za-z]:[\\/]"
    r"|/(?:Users|home|root|private|Volumes|mnt|media|tmp|var|opt|srv|etc|net|afs)/)",
    re.I,
)


_FOLDERS = re.compile(r"/(?:users|home|root|private|volumes|mnt|media|tmp|var|opt|srv|etc|net|afs)/")


def might_hold_local_path(text: str) -> bool:
    """A quick first test, sound but loose (about 1 µs): the full expression costs about 10 µs, and a
    build passes thousands of works through here."""
    lowered = text.lower()
    return (
        "file:" in lowered
        or "~" in lowered
        or "\\" in lowered
        or ":/" in lowered.replace("://", "")
        or ("/" in lowered and _FOLDERS.search(lowered) is not None)
    )


def looks_like_local_path(value: str) -> bool:
    return might_hold_local_path(value) and _LOCAL_PATH.search(value) is not None


@dataclass(frozen=True)
class PublicFields:
    """The allowlist for one project: the fixed public fields plus those council.yml opens."""

    bibtex: frozenset[str]
    csl: frozenset[str]


def public_fields(opened: Iterable[str] = ()) -> PublicFields:
    bibtex, csl = set(_BIBTEX_PUBLIC), set(_CSL_PUBLIC)
    for name in opened:
        bib_names, csl_names = OPT_IN[name]
        bibtex |= bib_names
        csl |= csl_names
    return PublicFields(frozenset(bibtex), frozenset(csl))


def is_public_field(name: str, value: str, allowed: PublicFields) -> bool:
    """A BibTeX field (as bibtexparser reads it: macros expanded, outer braces gone) may be published."""
    return name.lower() in allowed.bibtex and not looks_like_local_path(value)


def private_field_names(entry: BibEntry, allowed: PublicFields) -> list[str]:
    """The entry's fields that stay private, in the order written."""
    if entry.fields.keys() <= allowed.bibtex and not might_hold_local_path("\n".join(entry.fields.values())):
        return []  # the common case, checked in one pass
    return [name for name, value in entry.fields.items() if not is_public_field(name, value, allowed)]


def local_paths(entry: BibEntry) -> list[tuple[str, str]]:
    """(field, value) for every field holding a local file path."""
    return [(name, value) for name, value in entry.fields.items() if looks_like_local_path(value)]


def public_library(library: Library, allowed: PublicFields) -> Library:
    """The library with only public fields: in each entry's fields and BibTeX text, in its CSL item, and
    in the @string macros exported with it. Everything the site, PDFs and Word files show comes from this."""
    entries = {key: public_entry(entry, allowed) for key, entry in library.entries.items()}
    csl = {key: public_csl(item, allowed) for key, item in library.csl.items()}
    strings = tuple(s for s in library.strings if not looks_like_local_path(s))
    return Library(entries, csl, strings)


def public_csl(item: dict, allowed: PublicFields) -> dict:
    if item.keys() <= allowed.csl and not might_hold_local_path(json.dumps(item, ensure_ascii=False)):
        return item  # the common case, checked in one pass (thousands of works per build)
    return {
        name: value
        for name, value in item.items()
        if name in allowed.csl and not looks_like_local_path("\n".join(_strings(value)))
    }


def _strings(value: object) -> list[str]:
    """Every string inside a CSL value (names and dates are nested)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for v in value.values() for text in _strings(v)]
    if isinstance(value, list):
        return [text for v in value for text in _strings(v)]
    return []


def public_entry(entry: BibEntry, allowed: PublicFields) -> BibEntry:
    private = set(private_field_names(entry, allowed))
    if not private:
        return entry  # the common case: the entry exactly as written
    fields = {name: value for name, value in entry.fields.items() if name not in private}
    lines = {name: line for name, line in entry.field_lines.items() if name not in private}
    for_pandoc = _without_fields(dataclasses.replace(entry, raw=entry.for_pandoc), private) if entry.for_pandoc else ""
    return dataclasses.replace(
        entry, fields=fields, field_lines=lines, raw=_without_fields(entry, private), for_pandoc=for_pandoc
    )


def _without_fields(entry: BibEntry, private: set[str]) -> str:
    """The entry's BibTeX text without the private fields; the rest exactly as written. If the text
    cannot be split into fields, the entry is written afresh from its public fields."""
    parts = _split_entry(entry.raw)
    if parts is None:
        body = "".join(f"  {name} = {{{value}}},\n" for name, value in entry.fields.items() if name not in private)
        return f"@{entry.entry_type}{{{entry.key},\n{body}}}"
    head, fields, tail = parts
    kept = [text for name, text in fields if name.lower() not in private]
    return head + "".join(kept).rstrip().rstrip(",") + tail


_FIELD_NAME = re.compile(r"\s*([^\s=,{}\"#%()]+)\s*=\s*")
_BARE = re.compile(r"[^\s,#{}\"]+")
_COMMA, _JOIN = re.compile(r"\s*,"), re.compile(r"\s*#\s*")


def _split_entry(raw: str) -> tuple[str, list[tuple[str, str]], str] | None:
    """`@type{key,` + [(name, 'name = value,' with its leading whitespace)] + the closing brace."""
    opening = re.match(r"\s*@\w+\s*([{(])\s*[^,\s]+\s*,", raw)
    if opening is None:
        return None
    closing = "}" if opening.group(1) == "{" else ")"
    position, fields = opening.end(), []
    while True:
        name = _FIELD_NAME.match(raw, position)
        if name is None:
            break
        end = _value_end(raw, name.end())
        if end is None:
            return None
        comma = _COMMA.match(raw, end)
        end = comma.end() if comma else end
        fields.append((name.group(1), raw[position:end]))
        position = end
    tail = raw[position:]
    return (raw[: opening.end()], fields, tail) if tail.strip() == closing else None


def _value_end(raw: str, position: int) -> int | None:
    """Where a value (pieces joined by #: {braced}, "quoted" or a bare word) ends."""
    while True:
        position = _piece_end(raw, position)
        if position is None:
            return None
        joined = _JOIN.match(raw, position)
        if joined is None:
            return position
        position = joined.end()


def _piece_end(raw: str, position: int) -> int | None:
    if position >= len(raw):
        return None
    if raw[position] == "{":
        return braced_end(raw, position)
    if raw[position] == '"':
        return quoted_end(raw, position)
    bare = _BARE.match(raw, position)
    return bare.end() if bare else None


# --- `council bib check`: say what stays private (information, not a problem: exporting it is normal)
@dataclass(frozen=True)
class PrivateFieldsInFile:
    path: Path
    entries: int  # how many entries carry at least one private field
    fields: tuple[str, ...]  # which, most common first
    paths: tuple[tuple[int, str, str, str], ...]  # (line, key, field, value) of every local file path


def private_fields_by_file(entries: Iterable[BibEntry], allowed: PublicFields) -> list[PrivateFieldsInFile]:
    """For each file with entries carrying private fields: how many, which fields, and the local paths."""
    by_file: dict[Path, list[BibEntry]] = {}
    for entry in entries:
        by_file.setdefault(entry.path, []).append(entry)
    found = []
    for path, file_entries in sorted(by_file.items()):
        counts: Counter[str] = Counter()
        carrying, paths = 0, []
        for entry in sorted(file_entries, key=lambda e: e.line):
            private = private_field_names(entry, allowed)
            carrying += bool(private)
            # a field that is public by name but holds a local path is named as such
            counts.update(f"{name} (local path)" if name in allowed.bibtex else name for name in private)
            paths.extend(
                (entry.field_lines.get(name, entry.line), entry.key, name, value) for name, value in local_paths(entry)
            )
        if carrying:
            names = tuple(sorted(counts, key=lambda name: (-counts[name], name)))
            found.append(PrivateFieldsInFile(path, carrying, names, tuple(paths)))
    return found


def private_fields_report(entries: Iterable[BibEntry], allowed: PublicFields, *, verbose: bool = False) -> list[str]:
    """One line per file; with `verbose`, each local file path under it, at its line."""
    lines = []
    for found in private_fields_by_file(entries, allowed):
        noun = "entry carries" if found.entries == 1 else "entries carry"
        lines.append(
            f"{display_path(found.path)}: {found.entries} {noun} private fields ({', '.join(found.fields)}); "
            "council keeps them off the site"
        )
        if verbose:
            lines.extend(
                f"    {Location(found.path, line)}: {key}: {name} = {value}" for line, key, name, value in found.paths
            )
    return lines
