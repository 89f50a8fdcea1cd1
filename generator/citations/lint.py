"""`council bib check`: the bibliography linter. Each problem is a SourceError at the file and line
where an author fixes it. Unreadable blocks and duplicate keys are found while loading
(sources/bibliography.py); this module checks what loads: duplicate works, required fields,
identifiers, dates and works no briefing cites (a warning: a library may hold works for later)."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from council.config import ProjectConfig
from council.errors import Location, SourceError
from council.model import BibEntry, Library

# Required fields by BibLaTeX type, after the biblatex manual (section 2.1.1). A tuple means "one of".
# Relaxed where the Council's sources make the manual's rule unhelpful: @report without 'type' (styles
# print the institution instead) and @online without a date when 'urldate' is there (undated web pages
# are cited by their access date). Legal types have no rule in the manual; OSCOLA needs these.
DATE = ("date", "year")
REQUIRED: dict[str, tuple[str | tuple[str, ...], ...]] = {
    "article": ("author", "title", ("journaltitle", "journal"), DATE),
    "book": (("author", "editor"), "title", DATE),
    "mvbook": (("author", "editor"), "title", DATE),
    "inbook": ("author", "title", "booktitle", DATE),
    "bookinbook": ("author", "title", "booktitle", DATE),
    "suppbook": ("author", "title", "booktitle", DATE),
    "booklet": (("author", "editor"), "title", DATE),
    "collection": ("editor", "title", DATE),
    "mvcollection": ("editor", "title", DATE),
    "incollection": ("author", "title", "booktitle", DATE),
    "suppcollection": ("author", "title", "booktitle", DATE),
    "manual": (("author", "editor"), "title", DATE),
    "misc": (("author", "editor"), "title", DATE),
    "online": (("author", "editor"), "title", ("date", "year", "urldate"), ("url", "doi", "eprint")),
    "patent": ("author", "title", "number", DATE),
    "periodical": ("editor", "title", DATE),
    "proceedings": ("title", DATE),
    "mvproceedings": ("title", DATE),
    "inproceedings": ("author", "title", "booktitle", DATE),
    "reference": ("editor", "title", DATE),
    "inreference": ("author", "title", "booktitle", DATE),
    "report": ("author", "title", "institution", DATE),
    "techreport": ("author", "title", "institution", DATE),
    "thesis": ("author", "title", "type", "institution", DATE),
    "mastersthesis": ("author", "title", ("institution", "school"), DATE),
    "phdthesis": ("author", "title", ("institution", "school"), DATE),
    "unpublished": ("author", "title", DATE),
    "legislation": ("title", ("date", "year", "eventdate"), ("number", "journaltitle", "url")),
    "jurisdiction": ("title", ("institution", "organization"), DATE),
    "legal": ("title", DATE),
}
# A child of a crossref/xdata parent inherits its fields; the parent's title becomes the child's booktitle.
INHERITED_AS = {"title": "booktitle", "subtitle": "booksubtitle"}

DOI = re.compile(r"^10\.\d{4,9}/\S+$")
ISO_DATE = re.compile(r"^(?P<year>-?\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")
DATE_FIELDS = ("date", "urldate", "eventdate", "origdate")
MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}


def lint_library(library: Library, cited: Iterable[str]) -> list[SourceError]:
    """Every problem in the loaded library; uncited works come back as warnings."""
    problems: list[SourceError] = []
    entries = list(library.entries.values())
    for entry in entries:
        problems.extend(missing_fields(entry, library))
        problems.extend(malformed_values(entry))
    problems.extend(duplicate_works(entries, library))
    cited_keys = set(cited)
    for key in list(cited_keys):  # a parent is cited through its children
        entry = library.entries.get(key)
        if entry is not None:
            for link in ("crossref", "xdata"):
                cited_keys.update(k.strip() for k in entry.fields.get(link, "").split(",") if k.strip())
    problems.extend(uncited(entries, cited_keys))
    return problems


def _at(entry: BibEntry, field: str | None = None) -> Location:
    return Location(entry.path, entry.field_lines.get(field, entry.line) if field else entry.line)


def effective_fields(entry: BibEntry, library: Library) -> set[str]:
    names = set(entry.fields)
    for link in ("crossref", "xdata"):
        for parent_key in entry.fields.get(link, "").split(","):
            parent = library.entries.get(parent_key.strip())
            if parent is not None:
                names |= {INHERITED_AS.get(name, name) for name in parent.fields} | set(parent.fields)
    return {name for name in names if entry.fields.get(name, "x").strip()}


def missing_fields(entry: BibEntry, library: Library) -> list[SourceError]:
    rule = REQUIRED.get(entry.entry_type)
    if rule is None:
        return []
    present = effective_fields(entry, library)
    missing = []
    for need in rule:
        options = (need,) if isinstance(need, str) else need
        if not present.intersection(options):
            if options == DATE and {"urldate", "url"} <= present:
                continue  # an undated document on the web is cited with the date it was read
            missing.append(" or ".join(f"'{o}'" for o in options))
    if not missing:
        return []
    return [SourceError(_at(entry), f"@{entry.entry_type} '{entry.key}' lacks required field(s) {', '.join(missing)}",
                        hint="add the missing facts from the work itself (or from Zotero), then export again")]


def malformed_values(entry: BibEntry) -> list[SourceError]:
    problems = []
    fields = entry.fields

    def report(field: str, message: str, hint: str) -> None:
        problems.append(SourceError(_at(entry, field), message, field=field, hint=hint))

    if "doi" in fields and not DOI.match(_bare(fields["doi"])):
        report("doi", f"'{fields['doi']}' is not a DOI",
               "a DOI looks like 10.1093/jhuman/huac041: no https://doi.org/ prefix, no spaces")
    if "url" in fields and not is_url(_bare(fields["url"])):
        report("url", f"'{fields['url']}' is not a web address",
               "give the full address starting with https:// (or http://), without spaces")
    for name in DATE_FIELDS:
        if name in fields and not is_date(_bare(fields[name]), allow_range=name != "urldate"):
            report(name, f"'{fields[name]}' is not a date",
                   "write dates as YYYY, YYYY-MM or YYYY-MM-DD; a range as 2019-01/2019-03")
    if "year" in fields and not re.fullmatch(r"-?\d{1,4}", _bare(fields["year"])):
        report("year", f"'{fields['year']}' is not a year", "write the year as four digits, or use 'date'")
    if "month" in fields and not _is_month(_bare(fields["month"])):
        report("month", f"'{fields['month']}' is not a month", "write 1 to 12, or use 'date = {YYYY-MM}'")
    if entry.entry_type == "online" and "urldate" not in fields:
        problems.append(SourceError(_at(entry), f"@online '{entry.key}' has no 'urldate'",
                                    hint="add the date you last checked the page: urldate = {YYYY-MM-DD}"))
    return problems


def _bare(value: str) -> str:
    """A field value without the braces that protect it from case changes."""
    return value.replace("{", "").replace("}", "").strip()


def is_url(value: str) -> bool:
    if not value or any(c.isspace() for c in value):
        return False
    parts = urlsplit(value)
    return parts.scheme in {"http", "https", "ftp"} and bool(parts.netloc) and "." in parts.netloc.split(":")[0]


def is_date(value: str, *, allow_range: bool = True) -> bool:
    if allow_range and "/" in value:
        start, _, end = value.partition("/")
        ends = [part for part in (start, end) if part not in ("", "..")]
        return bool(ends) and all(_is_single_date(part) for part in ends)
    return _is_single_date(value)


def _is_single_date(value: str) -> bool:
    match = ISO_DATE.match(value)
    if not match:
        return False
    year, month, day = int(match["year"]), match["month"], match["day"]
    try:
        if day:
            dt.date(max(year, 1), int(month), int(day))
        elif month:
            return 1 <= int(month) <= 12
    except ValueError:
        return False
    return True


def _is_month(value: str) -> bool:
    return value.lower()[:3] in MONTHS or (value.isdigit() and 1 <= int(value) <= 12)


def normalised_title(title: str) -> str:
    decomposed = unicodedata.normalize("NFKD", title.casefold())
    return "".join(c for c in decomposed if c.isalnum())


def duplicate_works(entries: list[BibEntry], library: Library) -> list[SourceError]:
    """The same work under two keys: same DOI, or same title and year. Reported at the later copy."""
    seen: dict[tuple[str, str], BibEntry] = {}
    problems = []
    for entry in entries:
        item = library.csl.get(entry.key, {})
        signatures = []
        if item.get("DOI"):
            signatures.append(("DOI", str(item["DOI"]).lower()))
        title, year = normalised_title(str(item.get("title", ""))), _year(item)
        if title and year:  # volumes and editions of one title are different works
            signatures.append(("title and year", f"{title}|{year}|{item.get('volume', '')}|{item.get('edition', '')}"))
        for signature in signatures:
            first = seen.get(signature)
            if first is not None:
                problems.append(SourceError(
                    _at(entry), f"'{entry.key}' is the same work as '{first.key}' at {_at(first)} (same {signature[0]})",
                    hint="keep one entry and cite it by one key everywhere"))
                break
        for signature in signatures:
            seen.setdefault(signature, entry)
    return problems


def _year(item: dict) -> str:
    parts = (item.get("issued") or {}).get("date-parts") or [[]]
    return str(parts[0][0]) if parts and parts[0] else ""


def uncited(entries: list[BibEntry], cited: set[str]) -> list[SourceError]:
    return [SourceError(_at(entry), f"no briefing cites '{entry.key}'", warning=True,
                        hint="cite it, or leave it for later: this is only a warning")
            for entry in entries if entry.key not in cited and entry.entry_type not in {"xdata", "set"}]


def cited_keys_in(paths: Iterable[Path]) -> set[str]:
    """Citation keys in briefing files, read even when a note has other problems (bib check stands alone)."""
    from council.citations.keys import find_citations
    from council.sources.text import read_source_text

    keys: set[str] = set()
    for path in paths:
        try:
            text = read_source_text(path)
        except SourceError:
            continue
        citations, _ = find_citations(path, text, 1)
        keys.update(c.key for c in citations)
    return keys


def check_bibliography(config: ProjectConfig, files: list[Path] | None = None) -> tuple[Library, list[SourceError]]:
    """`council bib check`: load the given .bib files (default: bibliography/) and lint them, writing nothing."""
    from council.cache import ContentCache
    from council.pipeline import briefing_files
    from council.sources.bibliography import bib_files, load_library_files

    paths = [p.resolve() for p in files] if files else bib_files(config.bibliography_dir)
    library, problems = load_library_files(paths, ContentCache(config.cache_dir, writable=False))
    problems.extend(lint_library(library, cited_keys_in(briefing_files(config.briefings_dir))))
    return library, problems
