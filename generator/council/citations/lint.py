"""`council bib check`: the bibliography linter, and the rule that decides what a finding costs.

Each finding is a BibProblem at the file and line where an author fixes it, about the entries it
names. Unreadable blocks, repeated fields, duplicate keys and mended export formats are found while
loading (sources/bibliography.py); this module checks what loads: duplicate works, required fields,
identifiers, dates and works nothing cites. `settle` then applies severity by consequence: a finding
about an entry no briefing or report cites is a warning (a library may hold works for later, as
exported); about a cited entry it is an error, reported at the entry and at every citing line."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urlsplit

from council.base.config import ProjectConfig
from council.base.errors import BibProblem, Location, SourceError, display_path
from council.base.model import BibEntry, Library

# Kinds of finding, as `council bib check --summary` names them (loading adds its own: see sources/bibliography.py).
MISSING_FIELD = "missing required field"
BAD_DOI = "malformed DOI"
BAD_URL = "malformed URL"
BAD_DATE = "malformed date"
BAD_YEAR = "malformed year"
BAD_MONTH = "malformed month"
NO_URLDATE = "@online without urldate"
SAME_WORK = "same work under two keys"
UNCITED = "uncited work"
CITES_FAULTY = "citation of an entry with a problem"  # directly, or of a child of a crossref parent

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


def lint_library(library: Library, cited: Iterable[str]) -> list[BibProblem]:
    """Every finding in the loaded library, unsettled (see `settle`). `cited` holds the keys cited,
    with their crossref/xdata parents (`with_parents`)."""
    problems: list[BibProblem] = []
    entries = list(library.entries.values())
    for entry in entries:
        problems.extend(missing_fields(entry, library))
        problems.extend(malformed_values(entry))
    problems.extend(duplicate_works(entries, library))
    problems.extend(uncited(entries, set(cited)))  # callers count a parent as cited through its children
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


def missing_fields(entry: BibEntry, library: Library) -> list[BibProblem]:
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
    return [
        BibProblem(
            _at(entry),
            f"@{entry.entry_type} '{entry.key}' lacks required field(s) {', '.join(missing)}",
            kind=MISSING_FIELD,
            keys=(entry.key,),
            hint="add the missing facts from the work itself (or from Zotero), then export again",
        )
    ]


def malformed_values(entry: BibEntry) -> list[BibProblem]:
    problems = []
    fields = entry.fields

    def report(field: str, kind: str, message: str, hint: str) -> None:
        problems.append(BibProblem(_at(entry, field), message, kind=kind, keys=(entry.key,), field=field, hint=hint))

    if "doi" in fields and not DOI.match(_bare(fields["doi"])):
        report(
            "doi",
            BAD_DOI,
            f"'{fields['doi']}' is not a DOI",
            "a DOI looks like 10.1093/jhuman/huac041: no https://doi.org/ prefix, no spaces",
        )
    if "url" in fields and not is_url(_bare(fields["url"])):
        report(
            "url",
            BAD_URL,
            f"'{fields['url']}' is not a web address",
            "give the full address starting with https:// (or http://), without spaces",
        )
    for name in DATE_FIELDS:
        if name in fields and not is_date(_bare(fields[name]), allow_range=name != "urldate"):
            report(
                name,
                BAD_DATE,
                f"'{fields[name]}' is not a date",
                "write dates as YYYY, YYYY-MM or YYYY-MM-DD; a range as 2019-01/2019-03",
            )
    if "year" in fields and not re.fullmatch(r"-?\d{1,4}", _bare(fields["year"])):
        report(
            "year",
            BAD_YEAR,
            f"'{fields['year']}' is not a year",
            "write the year as four digits (a reprint as '1989 [1987]'), or use 'date'",
        )
    if "month" in fields and not _is_month(_bare(fields["month"])):
        report("month", BAD_MONTH, f"'{fields['month']}' is not a month", "write 1 to 12, or use 'date = {YYYY-MM}'")
    if entry.entry_type == "online" and "urldate" not in fields:
        problems.append(
            BibProblem(
                _at(entry),
                f"@online '{entry.key}' has no 'urldate'",
                kind=NO_URLDATE,
                keys=(entry.key,),
                hint="add the date you last checked the page: urldate = {YYYY-MM-DD}",
            )
        )
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


def duplicate_works(entries: list[BibEntry], library: Library) -> list[BibProblem]:
    """The same work under two keys: same DOI, or same title and year (read from the fields as written,
    so that checking needs no conversion). Reported at the later copy."""
    seen: dict[tuple[str, str], BibEntry] = {}
    problems = []
    for entry in entries:
        if entry.entry_type in {"xdata", "set"}:
            continue
        signatures = []
        doi = entry.fields.get("doi", "").strip().lower()
        if doi:
            signatures.append(("DOI", doi))
        title, year = normalised_title(_plain(entry.fields.get("title", ""))), _year(entry)
        if title and year:  # volumes and editions of one title are different works
            signatures.append(
                (
                    "title and year",
                    f"{title}|{year}|{_bare(entry.fields.get('volume', ''))}|{_bare(entry.fields.get('edition', ''))}",
                )
            )
        for signature in signatures:
            first = seen.get(signature)
            if first is not None:
                problems.append(
                    BibProblem(
                        _at(entry),
                        f"'{entry.key}' is the same work as '{first.key}' at {_at(first)} (same {signature[0]})",
                        kind=SAME_WORK,
                        keys=(entry.key, first.key),
                        hint="keep one entry and cite it by one key everywhere",
                    )
                )
                break
        for signature in signatures:
            seen.setdefault(signature, entry)
    return problems


_TEX_COMMAND = re.compile(r"\\[A-Za-z]+\s*|\\.")


def _plain(value: str) -> str:
    """A title without TeX commands and braces: {\\'e}t{\\'e} and été compare equal after normalising."""
    return _TEX_COMMAND.sub("", value.replace("{", "").replace("}", ""))


def _year(entry: BibEntry) -> str:
    date = _bare(entry.fields.get("date", ""))
    return date[:4] if re.match(r"\d{4}", date) else _bare(entry.fields.get("year", ""))


def uncited(entries: list[BibEntry], cited: set[str]) -> list[BibProblem]:
    return [
        BibProblem(
            _at(entry),
            f"no briefing or report cites '{entry.key}'",
            kind=UNCITED,
            keys=(entry.key,),
            hint="cite it, or leave it for later: this is only a warning",
        )
        for entry in entries
        if entry.key not in cited and entry.entry_type not in {"xdata", "set"}
    ]


def unused_works(problems: Iterable[SourceError]) -> list[str]:
    """`council bib check --unused`: one line per work nothing cites, at its entry, then the count."""
    found = sorted(
        (p for p in problems if isinstance(p, BibProblem) and p.kind == UNCITED),
        key=lambda p: (str(p.location.path), p.location.line or 0),
    )
    lines = [f"{p.location}: {p.keys[0]}" for p in found]
    works = len(found)
    return [
        *lines,
        f"{works} work{'s' if works != 1 else ''} in the library "
        f"{'are' if works != 1 else 'is'} not cited by any briefing or report",
    ]


def settle(
    problems: Iterable[SourceError], citations: dict[str, list[Location]], *, strict: bool = False
) -> list[SourceError]:
    """Severity by consequence. A finding about entries nothing cites is a warning; about a cited entry it
    is an error, repeated at every line that cites it. What council mended with certainty (a notice) stays
    a warning. `strict` (`council bib check --strict`) makes every finding an error."""
    settled: list[SourceError] = []
    for problem in problems:
        if not isinstance(problem, BibProblem):
            settled.append(problem)
            continue
        cited = [key for key in problem.keys if key in citations]
        if strict or (cited and not problem.notice):
            settled.append(problem.settled(warning=False))
        else:
            settled.append(problem.settled(warning=True))
            continue
        summary = problem.message.split("\n", 1)[0]
        for key in cited:
            for place in citations[key]:
                settled.append(
                    BibProblem(
                        place,
                        f"this citation uses '{key}', which has a problem: {summary} (see {problem.location})",
                        kind=CITES_FAULTY,
                        keys=(key,),
                        warning=False,
                        hint=problem.hint,
                    )
                )
    return settled


def citations_in(paths: Iterable[Path], root: Path | None = None) -> dict[str, list[Location]]:
    """Key -> every line citing it, in briefings and report sections, read even when a file has other
    problems (bib check stands alone); with `root`, none that resolves outside the project."""
    from council.sources.citation_keys import find_citations
    from council.sources.text import read_source_text

    places: dict[str, list[Location]] = {}
    for path in paths:
        try:
            text = read_source_text(path, root)
        except SourceError:
            continue
        citations, _ = find_citations(path, text, 1)
        for citation in citations:
            places.setdefault(citation.key, []).append(Location(path, citation.line, citation.column))
    return places


def with_parents(citations: dict[str, list[Location]], library: Library) -> dict[str, list[Location]]:
    """A crossref/xdata parent is cited wherever a child of it is."""
    places = {key: list(found) for key, found in citations.items()}
    for key, found in citations.items():
        stack, seen = [key], {key}
        while stack:
            entry = library.entries.get(stack.pop())
            if entry is None:
                continue
            for link in ("crossref", "xdata"):
                for parent in (k.strip() for k in entry.fields.get(link, "").split(",")):
                    if parent and parent not in seen:
                        seen.add(parent)
                        stack.append(parent)
                        places.setdefault(parent, []).extend(found)
    return places


def citing_files(config: ProjectConfig) -> list[Path]:
    """The Markdown that can cite: briefings and the sections of every report to Parliament."""
    from council.sources.text import briefing_files

    sections = sorted(
        p for p in config.reports_dir.glob("*/*.md") if p.name != "README.md" and not p.name.startswith(("_", "."))
    )
    return [*briefing_files(config.briefings_dir), *sections]


def check_bibliography(
    config: ProjectConfig, files: list[Path] | None = None, *, strict: bool = False
) -> tuple[Library, list[SourceError]]:
    """`council bib check`: read the given .bib files (default: bibliography/) and lint them, writing
    nothing. It reads the files as written (no conversion to CSL JSON), so it stays fast on a library of
    tens of thousands of works."""
    from council.sources.bibliography import bib_files, load_library_files

    paths = [p.resolve() for p in files] if files else bib_files(config.bibliography_dir)
    library, problems = load_library_files(paths, root=None if files else config.root)  # files named: as asked
    citations = with_parents(citations_in(citing_files(config), config.root), library)
    found: list[SourceError] = [*problems, *lint_library(library, citations)]
    return library, settle(found, citations, strict=strict)


# --- what `council bib check` prints: counts first, then the findings grouped by file ---
def _count(problems: list[SourceError]) -> tuple[int, int]:
    errors = sum(not p.warning for p in problems)
    return errors, len(problems) - errors


def _counted(errors: int, warnings: int) -> str:
    return f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"


def _kind(problem: SourceError) -> str:
    return problem.kind if isinstance(problem, BibProblem) else "other"


def headline(library: Library, files: int, problems: list[SourceError]) -> str:
    return f"{len(library.entries)} works in {files} file{'s' if files != 1 else ''}: {_counted(*_count(problems))}"


def by_file(problems: list[SourceError]) -> str:
    """Every finding, grouped by file (a heading with the file's counts), in line order within a file."""
    groups: dict[str, list[SourceError]] = {}
    for problem in sorted(problems, key=lambda p: (str(p.location.path), p.location.line or 0)):
        groups.setdefault(display_path(problem.location.path), []).append(problem)
    blocks, hinted = [], set()
    for name, found in groups.items():
        shown = []
        for problem in found:  # a hint said once is enough: thousands of "cite it, or leave it" are noise
            text = problem.show()
            if problem.hint in hinted:
                text = text.rsplit("\n    hint: ", 1)[0]
            hinted.add(problem.hint)
            shown.append(text)
        blocks.append("\n".join([f"== {name}: {_counted(*_count(found))}", *shown]))
    return "\n\n".join(blocks)


def summary_table(problems: list[SourceError]) -> str:
    """Findings by kind and by file, errors and warnings apart, largest first."""

    def table(title: str, label: Callable[[SourceError], str]) -> list[str]:
        rows: dict[str, list[int]] = {}
        for problem in problems:
            row = rows.setdefault(label(problem), [0, 0])
            row[1 if problem.warning else 0] += 1
        ordered = sorted(rows.items(), key=lambda item: (-sum(item[1]), item[0]))
        width = max([len(title), *(len(name) for name in rows)])
        lines = [f"{title.ljust(width)}  {'errors':>7}  {'warnings':>8}"]
        lines += [f"{name.ljust(width)}  {errors:>7}  {warnings:>8}" for name, (errors, warnings) in ordered]
        return lines

    if not problems:
        return "no findings"
    return "\n".join([*table("by kind", _kind), "", *table("by file", lambda p: display_path(p.location.path))])
