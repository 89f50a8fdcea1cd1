"""Load every .bib file in bibliography/ into a Library: keys with their file and line, and CSL JSON
for the works that are cited.

sources/bibtex.py scans the files (fast enough for a library of tens of thousands of entries) as
one library, the way BibTeX reads `\\bibliography{a,b}`: the files in name order, one after another,
so a @string macro defined in `abbreviations.bib` serves `works.bib`, and a crossref parent may stand
in any file. pandoc's own BibLaTeX reader converts the cited entries to CSL JSON (it knows LaTeX
accents, crossref and BibLaTeX types best), so citeproc later reads only the small per-briefing
subsets it needs; an entry written with macros reaches pandoc with them expanded. What reference managers really export is understood here, in one place: URLs with
LaTeX escapes, DOIs written as web addresses, several URLs in one field, `year = {1989 [1987]}`,
fields written twice and keys used twice. Each finding is a BibProblem; whether it blocks publishing
depends on whether anything cites the entry (citations/lint.py decides).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from council.base.cache import ContentCache, content_key
from council.base.errors import BibProblem, Location, SourceError, ToolError
from council.base.model import BibEntry, Library
from council.base.tools import run_pandoc, tool_versions
from council.sources.bibtex import RawEntry, RawField, Unreadable, scan
from council.sources.text import OutsideProject, read_source_text

# Kinds of finding made while loading (the linter adds its own), as `council bib check --summary` names them.
UNREADABLE = "unreadable entry"
UNREADABLE_FILE = "unreadable file"
REPEATED_FIELD = "repeated field"
DUPLICATE_KEY = "duplicate key"
NOT_CONVERTED = "not convertible for citing"
DOI_AS_URL = "DOI written as a web address"
SEVERAL_URLS = "several URLs in one field"
UNDEFINED_MACRO = "undefined macro"
MACRO_REDEFINED = "macro defined twice"


def bib_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.bib") if p.is_file())


def load_library(directory: Path) -> tuple[Library, list[SourceError]]:
    """Every entry of every .bib file, without CSL JSON yet (see `with_csl`); findings come back unsettled."""
    return load_library_files(bib_files(directory), root=directory.parent)


def load_library_files(paths: list[Path], root: Path | None = None) -> tuple[Library, list[SourceError]]:
    """The files read as one library, in the order given (bib_files sorts them by name): each sees the
    @string macros of the files before it, as BibTeX does. With `root`, a file that resolves outside
    that project folder is an error, and is not read."""
    copies: dict[str, list[BibEntry]] = {}
    strings: list[str] = []
    file_strings: dict[Path, tuple[str, ...]] = {}
    problems: list[SourceError] = []
    macros: dict[str, str] = {}
    definitions: dict[str, list[tuple[Location, str]]] = {}  # lower-case name -> (where, value), in order
    loaded_files = []
    for path in paths:
        try:
            loaded = read_bib_file(path, macros, root)
        except OutsideProject as error:  # an error whether or not anything cites its works
            problems.append(error)
            continue
        except SourceError as error:  # not text at all (e.g. not UTF-8): its works are missing, and say so
            problems.append(BibProblem(error.location, error.message, kind=UNREADABLE_FILE, hint=error.hint))
            continue
        loaded_files.append(loaded)
        macros = loaded.macros
        problems.extend(loaded.problems)
        strings.extend(loaded.strings)
        file_strings[path] = tuple(loaded.strings)
        for name, place, value in loaded.definitions:
            definitions.setdefault(name.lower(), []).append((place, value))
        for entry in loaded.entries:
            copies.setdefault(entry.key, []).append(entry)
    entries = {key: found[0] for key, found in copies.items()}  # biber's rule: the first copy loads
    problems.extend(duplicate_key_problem(key, found) for key, found in copies.items() if len(found) > 1)
    problems.extend(redefined_macro_problems(definitions))
    for loaded in loaded_files:
        problems.extend(undefined_macro_problem(use, definitions) for use in loaded.undefined)
    return Library(entries, {}, tuple(strings), file_strings), problems


@dataclass(frozen=True)
class MacroUse:
    """A field written with a name no @string defined before it."""

    place: Location
    key: str
    field: str
    name: str


def redefined_macro_problems(definitions: dict[str, list[tuple[Location, str]]]) -> list[BibProblem]:
    """A macro defined again with another value: the entries after the second definition read the new
    value, those before it the old one, as in BibTeX; that is rarely meant."""
    problems = []
    for name, found in definitions.items():
        first_place, first_value = found[0]
        for place, value in found[1:]:
            if value != first_value:
                problems.append(
                    BibProblem(
                        place,
                        f"@string macro '{name}' is defined again with another value: "
                        f"'{first_value}' at {first_place}, '{value}' here; entries after this line read the new one",
                        kind=MACRO_REDEFINED,
                        hint="keep one definition (the files of bibliography/ are one library), "
                        "or give the second macro its own name",
                    )
                )
    return problems


def undefined_macro_problem(use: MacroUse, definitions: dict[str, list[tuple[Location, str]]]) -> BibProblem:
    later = definitions.get(use.name.lower())
    why = (
        f"it is defined only later, at {later[0][0]}: BibTeX and pandoc read the files of bibliography/ in "
        "name order, one after another, and a macro only from its definition on"
        if later
        else "no @string in bibliography/ defines it"
    )
    return BibProblem(
        use.place,
        f"field '{use.field}' of '{use.key}' uses the macro '{use.name}', which is printed as written: {why}",
        kind=UNDEFINED_MACRO,
        keys=(use.key,),
        hint="put the @string above the entry, or in a file whose name sorts first (e.g. 0-abbreviations.bib)"
        if later
        else f"add @string{{{use.name} = {{...}}}}, or write the value in braces: {{{use.name}}}",
    )


def duplicate_key_problem(key: str, copies: list[BibEntry]) -> BibProblem:
    """One finding per key, at its second copy, naming every place: never a silent choice of one."""
    places = ", ".join(str(Location(c.path, c.line)) for c in copies)
    return BibProblem(
        Location(copies[1].path, copies[1].line),
        f"key '{key}' is used by {len(copies)} entries ({places}); only the first would load",
        kind=DUPLICATE_KEY,
        keys=(key,),
        hint="give each work its own key (and cite that), or delete the copies",
    )


@dataclass(frozen=True)
class BibFile:
    """One .bib file as read: its entries (with lines), the raw @string blocks and the findings."""

    path: Path
    entries: list[BibEntry]
    strings: list[str]  # the raw @string blocks, for BibTeX exports
    problems: list[BibProblem]
    macros: dict[str, str] = field(default_factory=dict)  # every macro known after this file (lower-case names)
    definitions: list[tuple[str, Location, str]] = field(
        default_factory=list
    )  # this file's @string: name, place, value
    undefined: list[MacroUse] = field(default_factory=list)


def read_bib_file(path: Path, macros: dict[str, str] | None = None, root: Path | None = None) -> BibFile:
    """One file, with the macros of the files read before it (see load_library_files)."""
    text = read_bib_text(path, root)
    scanned = scan(text, macros)
    problems = [unreadable_problem(path, text, block) for block in scanned.unreadable]
    entries = []
    undefined = []
    for raw in scanned.entries:
        entry, found = bib_entry(path, raw)
        entries.append(entry)
        problems.extend(found)
        undefined.extend(
            MacroUse(Location(path, item.line), raw.key, item.name, name)
            for item in raw.fields
            for name in item.undefined
        )
    definitions = [(s.name, Location(path, s.line), s.value) for s in scanned.strings]
    return BibFile(path, entries, [s.raw for s in scanned.strings], problems, scanned.macros, definitions, undefined)


# JabRef's first line names the file's encoding when it is not UTF-8 (`% Encoding: ISO8859_1`, `Cp1252`).
_JABREF_ENCODING = re.compile(rb"\A(?:\xef\xbb\xbf)?%\s*Encoding:\s*([\w.:-]+)[ \t]*\r?\n")


def read_bib_text(path: Path, root: Path | None = None) -> str:
    """The file as text: UTF-8, or the encoding JabRef's `% Encoding:` header names. With `root`, a file
    that resolves outside that project folder is refused before a byte of it is read."""
    if root is not None and not path.resolve().is_relative_to(root.resolve()):
        raise OutsideProject(path, root)
    with path.open("rb") as stream:
        header = _JABREF_ENCODING.match(stream.read(200))
    encoding = header.group(1).decode("ascii") if header else "utf-8"
    try:
        "".encode(encoding)  # a text encoding (not base64 or zlib)
    except LookupError:
        raise SourceError(
            Location(path, 1),
            f"the file says `% Encoding: {encoding}`, an encoding council does not know",
            hint="save the file as UTF-8 (JabRef: File > Library properties > Encoding)",
        ) from None
    return read_source_text(path, root, encoding=encoding)


def unreadable_problem(path: Path, text: str, block: Unreadable) -> BibProblem:
    """The scanner's own reason and the line where it stopped, with the lines around it."""
    which = f"entry '{block.key}'" if block.key else "this block"
    where = f" (reading stopped at line {block.stopped})" if block.stopped != block.line else ""
    return BibProblem(
        Location(path, block.line),
        f"{which} cannot be read: {block.reason}{where}\n" + text_around(text, block.line, block.stopped),
        kind=UNREADABLE,
        keys=(block.key,) if block.key else (),
        hint=f"fix the entry that starts at line {block.line}; the other entries of the file load",
    )


def text_around(text: str, first: int, last: int) -> str:
    """The lines from `first` to one past `last` (at most seven), numbered as an editor shows them."""
    lines = text.split("\n")
    end = min(len(lines), last + 1)
    return "\n".join(f"    {n:>5} | {lines[n - 1]}" for n in range(max(1, first, end - 6), end + 1))


def bib_entry(path: Path, raw: RawEntry) -> tuple[BibEntry, list[BibProblem]]:
    """The entry with one value per field (the first, as biber keeps it) and export formats mended,
    with what was found on the way."""
    problems: list[BibProblem] = []
    fields: dict[str, str] = {}
    field_lines: dict[str, int] = {}
    repeats: dict[str, list[int]] = {}
    for item in raw.fields:
        repeats.setdefault(item.name, []).append(item.line)
        if item.name not in fields:
            fields[item.name], field_lines[item.name] = item.value, item.line
    text = raw.raw
    for name, lines in repeats.items():
        if len(lines) > 1:
            problems.append(
                BibProblem(
                    Location(path, lines[1]),
                    f"field '{name}' appears {len(lines)} times "
                    f"(lines {', '.join(map(str, lines))}) in '{raw.key}'; council keeps the first, as biber does",
                    kind=REPEATED_FIELD,
                    keys=(raw.key,),
                    hint="delete the copies you do not mean"
                    + (f" (several names go in one '{name}' field, joined by 'and')" if name in _NAME_FIELDS else ""),
                )
            )
            text = rebuilt(raw, fields)
    rewrite = raw.parenthesised or any(item.expanded for item in raw.fields)
    for_pandoc = rebuilt(raw, fields) if rewrite else ""
    entry = BibEntry(raw.key, raw.entry_type, path, raw.line, fields, text, field_lines, for_pandoc)
    problems.extend(mend_export_formats(entry))
    return entry, problems


_NAME_FIELDS = {"author", "editor", "translator", "bookauthor", "editora", "editorb", "holder"}


def rebuilt(raw: RawEntry, fields: dict[str, str]) -> str:
    """The entry written again with one value per field, macros expanded and in braces, for pandoc and
    for BibTeX exports."""
    values = {f.name: f for f in reversed(raw.fields)}  # the first copy of each field
    body = ",\n".join(f"  {name} = {_delimited(values[name])}" for name in fields)
    return f"@{raw.entry_type}{{{raw.key},\n{body}\n}}"


def _delimited(item: RawField) -> str:
    return item.value if item.bare else "{" + item.value + "}"


# LaTeX escapes that Mendeley ("Escape LaTeX special characters") and JabRef write into URLs, and
# the characters they stand for: {\%}7E, {\&}, {\_}, \#, {~} ...
_URL_ESCAPE = re.compile(r"\{\\([%&_#$])\}|\\([%&_#$])|\{(~)\}|\\~\{\}|\{?\\textasciitilde(?:\{\})?\}?")
_DOI_PREFIX = re.compile(r"^\s*(?:https?://(?:dx\.)?doi\.org/|doi:\s*)(?=10\.)", re.I)
_ORIGINAL_YEAR = (
    re.compile(r"^\s*(?P<year>-?\d{1,4})\s*\[(?P<orig>-?\d{1,4})\]\s*$"),
    re.compile(r"^\s*\[(?P<orig>-?\d{1,4})\]\s*(?P<year>-?\d{1,4})\s*$"),
)


def unescape_latex(value: str) -> str:
    return _URL_ESCAPE.sub(lambda m: next((g for g in m.groups() if g), "~"), value)


def mend_export_formats(entry: BibEntry) -> list[BibProblem]:
    """Mend, in entry.fields, what reference managers export that means one clear thing; say so where
    the author should know (a DOI written as a web address, a second URL dropped)."""
    fields, notices = entry.fields, []
    if "url" in fields:
        addresses = unescape_latex(fields["url"]).split()
        if len(addresses) > 1 and all(a.startswith(("http://", "https://", "ftp://")) for a in addresses):
            notices.append(
                _notice(
                    entry,
                    "url",
                    SEVERAL_URLS,
                    f"field 'url' holds {len(addresses)} web addresses separated by a space; "
                    f"council keeps the first, {addresses[0]}",
                    "keep one address in 'url' and move the others to 'note'",
                )
            )
            fields["url"] = addresses[0]
        else:
            fields["url"] = " ".join(addresses) if addresses else fields["url"]
    if "doi" in fields:
        doi = unescape_latex(fields["doi"]).strip()
        bare = _DOI_PREFIX.sub("", doi)
        if bare != doi:
            notices.append(
                _notice(
                    entry,
                    "doi",
                    DOI_AS_URL,
                    f"DOI written as a web address ('{doi}'); council reads it as '{bare}'",
                    f"write doi = {{{bare}}}: the DOI alone, without the https://doi.org/ prefix",
                )
            )
        fields["doi"] = bare
    if "year" in fields:
        for pattern in _ORIGINAL_YEAR:  # "1989 [1987]": the reprint's year and, in brackets, the original's
            match = pattern.match(fields["year"])
            if match:
                fields["year"] = match["year"]
                fields.setdefault("origyear", match["orig"])
                entry.field_lines.setdefault("origyear", entry.field_lines.get("year", entry.line))
                break
    return notices


def _notice(entry: BibEntry, field: str, kind: str, message: str, hint: str) -> BibProblem:
    return BibProblem(
        Location(entry.path, entry.field_lines.get(field, entry.line)),
        message,
        kind=kind,
        keys=(entry.key,),
        hint=hint,
        notice=True,
    )


def needed_for(keys: Iterable[str], library: Library) -> list[str]:
    """The cited keys that exist, with the crossref/xdata parents they inherit from."""
    needed: dict[str, None] = {}
    stack = [k for k in keys if k in library.entries]
    while stack:
        key = stack.pop()
        if key in needed:
            continue
        needed[key] = None
        for link in ("crossref", "xdata"):
            stack.extend(
                p.strip() for p in library.entries[key].fields.get(link, "").split(",") if p.strip() in library.entries
            )
    return sorted(needed)


def with_csl(library: Library, cited: Iterable[str], cache: ContentCache) -> tuple[Library, list[BibProblem]]:
    """The library with CSL JSON for the cited works (and their parents): pandoc converts each file's
    share in one call (with the parents it inherits from, in whichever file), cached by content. An
    entry pandoc cannot convert is a finding about its key."""
    by_file: dict[Path, list[BibEntry]] = {}
    for key in needed_for(cited, library):
        entry = library.entries[key]
        by_file.setdefault(entry.path, []).append(entry)
    csl: dict[str, dict] = {}
    problems: list[BibProblem] = []
    lookup = raw_fields(library)
    for path, entries in sorted(by_file.items()):
        converted, refused = _convert(path, entries, library.entries, cache)
        problems.extend(refused)
        for entry in entries:
            if entry.entry_type == "xdata":
                continue  # a container of shared fields (already merged into its users), not a work to cite
            item = converted.get(entry.key)
            if item is None:
                if not any(entry.key in p.keys for p in problems):
                    problems.append(
                        BibProblem(
                            Location(path, entry.line),
                            f"entry '{entry.key}' could not be converted for citing",
                            kind=NOT_CONVERTED,
                            keys=(entry.key,),
                            hint="check its type and fields; pandoc's BibLaTeX reader skipped it",
                        )
                    )
                continue
            csl[entry.key] = complete_csl_item(item, lambda name, key=entry.key: lookup(key, name))
    return replace(library, csl=csl), problems


def _convert(
    path: Path, entries: list[BibEntry], by_key: dict[str, BibEntry], cache: ContentCache
) -> tuple[dict[str, dict], list[BibProblem]]:
    """One file's share of the cited works as CSL JSON, cached as a whole by its text (and its parents');
    when that is new (a work newly cited, an entry edited), each entry's own cached item is reused and
    pandoc converts only the rest, so citing one more work does not convert thousands again. Entries
    reach pandoc with their macros expanded (bib_entry), so no @string goes with them."""
    lineages = {e.key: _lineage(e, by_key) for e in entries}
    text = "\n".join(_pandoc_text(x) for e in entries for x in lineages[e.key])
    whole = content_key("csl-json", tool_versions(), text)
    cached = cache.get(whole, "items.json")
    if cached is not None:
        return {str(item.get("id")): item for item in json.loads(cached)}, []
    own = {
        e.key: content_key("csl-entry", tool_versions(), *(_pandoc_text(x) for x in lineages[e.key])) for e in entries
    }
    converted: dict[str, dict] = {}
    missing = []
    for entry in entries:
        item = cache.get(own[entry.key], "item.json")
        if item is None:
            missing.append(entry)
        else:
            converted[entry.key] = json.loads(item)
    problems: list[BibProblem] = []
    if missing:  # with the parents they inherit from, which pandoc needs in the same text
        need = {x.key: x for entry in missing for x in lineages[entry.key]}
        fresh, problems = _convert_fresh(path, list(need.values()), by_key)
        for entry in missing:
            if entry.key in fresh:
                converted[entry.key] = fresh[entry.key]
                cache.put(own[entry.key], "item.json", json.dumps(fresh[entry.key], ensure_ascii=False).encode())
    if not problems:  # a refused entry is tried (and reported) again next time
        cache.put(whole, "items.json", json.dumps(list(converted.values()), ensure_ascii=False).encode())
    return converted, problems


def _pandoc_text(entry: BibEntry) -> str:
    return entry.for_pandoc or entry.raw


def _lineage(entry: BibEntry, by_key: dict[str, BibEntry]) -> list[BibEntry]:
    """The entry and the crossref/xdata parents (among `by_key`) it inherits from."""
    found = [entry]
    for current in found:
        for link in ("crossref", "xdata"):
            for parent in (k.strip() for k in current.fields.get(link, "").split(",")):
                if parent in by_key and by_key[parent] not in found:
                    found.append(by_key[parent])
    return found


def _convert_fresh(
    path: Path, entries: list[BibEntry], by_key: dict[str, BibEntry]
) -> tuple[dict[str, dict], list[BibProblem]]:
    """Key -> CSL item for the entries pandoc converts, and a problem for each it refuses."""
    try:
        batch = to_csl_json(path, "\n".join(_pandoc_text(e) for e in entries))
        return {str(item.get("id")): item for item in batch}, []
    except SourceError:
        pass
    problems: list[BibProblem] = []
    converted: dict[str, dict] = {}  # pandoc refused the batch: find the entries it refuses, keep the rest
    for entry in entries:
        try:
            items = to_csl_json(path, "\n".join(_pandoc_text(x) for x in _lineage(entry, by_key)))
        except SourceError as error:
            problems.append(
                BibProblem(
                    Location(path, entry.line),
                    f"entry '{entry.key}': {error.message}",
                    kind=NOT_CONVERTED,
                    keys=(entry.key,),
                    hint="check this entry's braces and field syntax",
                )
            )
            continue
        converted.update({str(item.get("id")): item for item in items})
    return converted, problems


def load_bib_file(path: Path, cache: ContentCache) -> LoadedFile:
    """One file on its own, every entry converted (for tests and for reading exported files back)."""
    library, problems = load_library_files([path])
    library, conversion = with_csl(library, library.entries, cache)
    entries = [e for e in library.entries.values() if e.entry_type != "xdata"]
    return LoadedFile(path, entries, library.csl, list(library.strings), [*problems, *conversion])


@dataclass(frozen=True)
class LoadedFile:
    path: Path
    entries: list[BibEntry]
    csl: dict[str, dict]
    strings: list[str]
    problems: list[BibProblem]


# BibLaTeX literal lists: "and" separates items, and biblatex prints them joined by "and" again;
# pandoc joins them with "; ", which turns "Co-operation and Development" into "Co-operation; Development".
_LITERAL_LISTS = {"publisher": ("publisher", "institution", "organization"), "publisher-place": ("location", "address")}
_TOP_LEVEL_AND = re.compile(r"\s+and\s+")


def complete_csl_item(item: dict, raw_field: Callable[[str], str | None]) -> dict:
    """Mend what pandoc's conversion loses for citeproc: literal lists, TeX dashes, the court of a case.
    `raw_field` gives a field as written (macros expanded, inherited from crossref/xdata parents)."""
    item = dict(item)
    for variable, fields in _LITERAL_LISTS.items():
        raw = next((value for value in map(raw_field, fields) if value is not None), None)
        if variable in item and raw is not None and ";" not in raw and _has_top_level_and(raw):
            item[variable] = item[variable].replace("; ", " and ")
    for variable, value in item.items():
        if isinstance(value, str) and "--" in value and variable not in _VERBATIM:
            item[variable] = value.replace("---", "\u2014").replace("--", "\u2013")
    # pandoc turns titles into sentence case for styles that title-case them, but OSCOLA prints the
    # book holding a chapter, and the names of cases and statutes, as they stand: keep the author's capitals.
    _restore_capitals(item, "container-title", raw_field("booktitle"))
    if item.get("type") in _NAMED_TYPES:
        _restore_capitals(item, "title", raw_field("title"))
    if item.get("type") == "legal_case" and "authority" not in item and "publisher" in item:
        # Zotero's Better BibLaTeX and biblatex users put the court in institution/organization;
        # CSL styles (OSCOLA above all) print the court from 'authority'.
        item["authority"] = item.pop("publisher")
    _mended_identifiers_and_dates(item, raw_field)
    return item


def _mended_identifiers_and_dates(item: dict, raw_field: Callable[[str], str | None]) -> None:
    """pandoc passes URL and DOI through verbatim and cannot read `year = {1989 [1987]}`: use the values
    mended on loading (LaTeX escapes undone, one URL, a bare DOI, the reprint year and the original's)."""
    for variable, name in (("URL", "url"), ("DOI", "doi")):
        value = raw_field(name)
        if item.get(variable) and value:
            item[variable] = value
    year, original = raw_field("year"), raw_field("origyear")
    if original and re.fullmatch(r"-?\d{1,4}", original) and "original-date" not in item:
        item["original-date"] = {"date-parts": [[int(original)]]}
        if year and re.fullmatch(r"-?\d{1,4}", year) and not (item.get("issued") or {}).get("date-parts"):
            item["issued"] = {"date-parts": [[int(year)]]}


_VERBATIM = {"URL", "DOI", "id", "ISBN", "ISSN"}
_NAMED_TYPES = {"legal_case", "legislation", "treaty", "bill"}


def _restore_capitals(item: dict, variable: str, raw: str | None) -> None:
    """Use the title as written when it differs from pandoc's only in case (and holds no TeX commands)."""
    if raw is None or not isinstance(item.get(variable), str) or "\\" in raw:
        return
    written = " ".join(raw.replace("{", "").replace("}", "").split())
    if written != item[variable] and written.casefold() == item[variable].casefold():
        item[variable] = written


def raw_fields(library: Library) -> Callable[[str, str], str | None]:
    """Look up a field as read from the file (macros expanded by the scanner), following crossref/xdata."""

    def lookup(key: str, field: str, depth: int = 0) -> str | None:
        entry = library.entries.get(key)
        fields = entry.fields if entry is not None else {}
        if field in fields:
            return fields[field]
        for link in ("crossref", "xdata"):
            for parent in fields.get(link, "").split(","):
                if parent.strip() and depth < 4:
                    found = lookup(parent.strip(), field, depth + 1)
                    if found is not None:
                        return found
        return None

    return lookup


def _has_top_level_and(raw: str) -> bool:
    depth, flat = 0, []
    for char in raw:
        depth += char == "{"
        flat.append(char if depth == 0 else "_")
        depth -= char == "}"
    return bool(_TOP_LEVEL_AND.search("".join(flat)))


def to_csl_json(path: Path, text: str) -> list[dict]:
    """pandoc's BibLaTeX reader, BibLaTeX in, CSL JSON out (callers cache the results)."""
    try:
        output = run_pandoc(["--from", "biblatex", "--to", "csljson"], input_text=text)
    except ToolError as exc:
        raise SourceError(Location(path), f"pandoc could not read this bibliography: {exc}") from None
    return json.loads(output)
