"""Validate research notes into Briefing objects, reporting every problem with file, line and field."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import ValidationError

from council.base.errors import Location, Notice, ProblemsFound, SourceError
from council.base.model import (  # the schema of a note is the Briefing itself
    DEFAULT_LANG,
    FRONT_MATTER_FIELDS,
    KEY_POINT_MAX_WORDS,
    SLUG_PATTERN,
    SUMMARY_MAX_WORDS,
    Briefing,
    Citation,
    in_utc,
)
from council.base.vocabularies import country, country_complaint, nearest, region_hint, vocabularies
from council.sources.citation_keys import find_citations
from council.sources.floats import float_problems
from council.sources.frontmatter import (
    FrontMatter,
    body_without_fences,
    read_front_matter,
    schema_problems,
    split_fences,
    unknown_field,
)
from council.sources.images import oversized_images, unsafe_svgs
from council.sources.prose import prose_lines
from council.sources.safety import plain_text_problem, unsafe_content
from council.sources.text import read_source_text

__all__ = [
    "KEY_POINT_MAX_WORDS",
    "SLUG_PATTERN",
    "SUMMARY_MAX_WORDS",
    "BriefingProblems",
    "in_utc",
    "load_briefing",
    "read_briefing",
]


def load_briefing(path: Path, request_ids: Collection[str] | None = None, root: Path | None = None) -> Briefing:
    """Read one note (see `read_briefing`), leaving out its warnings."""
    return read_briefing(path, request_ids, root)[0]


def read_briefing(
    path: Path, request_ids: Collection[str] | None = None, root: Path | None = None
) -> tuple[Briefing, list[SourceError]]:
    """Read one note, with its warnings. Raises SourceError, or BriefingProblems listing every problem found.
    With `request_ids` (the registry in requests/), every `answers` id must name a known request.
    The body is checked even when the front matter is broken, so one run reports everything; the
    citations found travel with the problems (a broken note still cites what it cites)."""
    problems: list[SourceError] = []
    root = root or path.parent.parent
    text = read_source_text(path, root)
    front: FrontMatter | None = None
    yaml_text: str | None = None
    try:
        yaml_text, body, body_start_line = split_fences(path, text)
    except SourceError as error:  # no front matter, or never closed: the body is still checked
        if not text.strip():
            raise
        problems.append(error)
        body, body_start_line = body_without_fences(text)
    if yaml_text is not None:
        try:
            front, front_problems = read_front_matter(path, yaml_text, first_line=2, end_line=body_start_line - 1)
            problems.extend(front_problems)
        except SourceError as error:  # not front matter at all (too long, not 'key: value' lines)
            problems.append(error)
    slug = path.stem
    if not SLUG_PATTERN.match(slug):
        problems.append(
            SourceError(
                Location(path),
                f"the file name '{path.name}' is not a valid slug",
                hint="use lowercase letters, digits and hyphens, e.g. early-warning.md",
            )
        )
    too_deep = _too_deep(path, body, body_start_line)  # first: the checks below are slow on such a body
    problems.extend(too_deep)
    citations: list[Citation] = []
    if too_deep:
        body = ""  # nothing downstream (the house style reads the stand-in's body) spends time on it
    else:
        citations, citation_problems = find_citations(path, body, body_start_line)
        problems.extend(citation_problems)
        problems.extend(_body_problems(path, body, body_start_line, root))
    body, shifted = _sections_one_level_down(path, body, body_start_line)
    problems.extend(shifted)
    briefing, partial = None, None
    if front is not None:
        briefing, partial, front_problems = _validated(
            front, slug, body, body_start_line, tuple(citations), request_ids, root
        )
        problems.extend(front_problems)
    if any(not p.warning for p in problems) or briefing is None:
        status = front.values.get("status") if front is not None else None
        raise BriefingProblems(
            problems,
            path,
            tuple(citations),
            status if isinstance(status, str) else None,
            _stand_in(path, slug, body, body_start_line, tuple(citations)),
            partial.briefing if partial else briefing,
            front.unreadable | (partial.dropped if partial else frozenset()) if front is not None else frozenset(),
        )
    return briefing, problems


def _body_problems(path: Path, body: str, first_line: int, root: Path) -> list[SourceError]:
    # publication safety: author text is data; unsafe HTML, links and images are refused
    return [
        *unsafe_content(path, body, first_line, root),
        *_undefined_footnotes(path, body, first_line),
        *float_problems(path, body, first_line),  # @fig- cross-references, ids, alt text
        *oversized_images(path, body, first_line, root),
        *unsafe_svgs(path, body, first_line, root),
    ]


_ROMAN = ("I", "II", "III", "IV", "V", "VI")


def _numbered_recommendations(front: FrontMatter) -> list[SourceError]:
    """`recommendations: [3]`: the brief numbers its recommendations I to VI; say which one that is."""
    raw = front.values.get("recommendations")
    return [
        SourceError(
            front.location("recommendations", index),
            f"recommendation {index + 1} is written as the number {item}; the brief numbers its recommendations "
            f"in Roman numerals, so write {_ROMAN[item - 1]}",
            field="recommendations",
            hint="`council vocab recommendations` lists the six",
        )
        for index, item in enumerate(raw if isinstance(raw, list) else [])
        if isinstance(item, int) and not isinstance(item, bool) and 1 <= item <= len(_ROMAN)
    ]


def _stand_in(path: Path, slug: str, body: str, body_start_line: int, citations: tuple[Citation, ...]) -> Briefing:
    """The body of a note that cannot be used, under neutral front matter: so that the checks of prose
    (house style) still run on it. Only its findings in the body are its own."""
    return Briefing(
        path=path,
        slug=slug if SLUG_PATTERN.match(slug) else "note",
        title=slug,
        summary="-",
        key_points=("-", "-"),
        authors=("-",),
        date=dt.date(2000, 1, 1),
        status="draft",
        lang=DEFAULT_LANG,
        body=body,
        body_start_line=body_start_line,
        citations=citations,
    )


def _withdrawal_problems(front: FrontMatter) -> list[SourceError]:
    status = front.values.get("status")
    if (
        status == "withdrawn"
        and not front.values.get("withdrawn_reason")
        and "withdrawn_reason" not in front.unreadable
    ):
        return [
            SourceError(
                front.location("status"),
                "a withdrawn briefing needs withdrawn_reason: say why readers should not rely on it",
                field="status",
                hint="add `withdrawn_reason:` with a sentence readers will see on the notice page",
            )
        ]
    stray = [name for name in ("withdrawn_reason", "superseded_by") if front.values.get(name)]
    if status != "withdrawn" and "status" not in front.unreadable and stray:
        return [
            SourceError(
                front.location(stray[0]),
                "withdrawn_reason and superseded_by belong only to a briefing with status: withdrawn",
                field=stray[0],
                hint="remove it, or set status: withdrawn",
            )
        ]
    return []


def _embargo_zone_warning(front: FrontMatter) -> list[SourceError]:
    """A time without a zone is read as UTC, which is an hour early in a British summer: say so. Read from
    the value as written, so that faults in other fields do not hide it."""
    written = front.values.get("embargo_until")
    if isinstance(written, str):
        try:
            written = dt.datetime.fromisoformat(written)
        except ValueError:
            return []
    if not isinstance(written, dt.date) or (isinstance(written, dt.datetime) and written.tzinfo is not None):
        return []
    moment = in_utc(written)
    assert moment is not None  # a date or a time: always a moment
    zone = _london()
    london = moment.astimezone(zone) if zone else None
    local = f" ({london:%H:%M} in London)" if london and london.utcoffset() else ""
    if isinstance(written, dt.datetime):
        message = f"this time has no zone, so it is read as {moment:%H:%M} UTC{local}"
    else:
        message = f"this date has no time or zone, so the embargo ends at 00:00 UTC{local}"
    return [
        SourceError(
            front.location("embargo_until"),
            message,
            field="embargo_until",
            warning=True,
            hint=f"add the zone: {moment:%Y-%m-%dT%H:%M:%S}Z for UTC, or "
            f"{moment:%Y-%m-%dT%H:%M:%S}+01:00 for British Summer Time",
        )
    ]


@cache
def _london() -> dt.tzinfo | None:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Europe/London")
    except Exception:  # no time-zone database on this machine: the warning still names UTC
        return None


_ATX = re.compile(r"^(?P<indent> {0,3})(?P<marks>#{1,6})(?=[ \t]|$)")
_SETEXT = re.compile(r"^ {0,3}(?P<rule>=+|-+)[ \t]*$")
_NOT_A_HEADING_TEXT = re.compile(r"^\s*(?:$|#|[-*+>|]|\d+[.)]\s)")


_FOOTNOTE_DEFINITION = re.compile(r"^ {0,3}\[\^(?P<id>[^\]\s]+)\]:")
_FOOTNOTE_MARK = re.compile(r"\[\^(?P<id>[^\]\s]+)\](?!:)")


def _undefined_footnotes(path: Path, body: str, first_line: int) -> list[SourceError]:
    """`[^x]` with no `[^x]: ...` anywhere prints literally in every format: an error at the marker."""
    lines = list(prose_lines(body, skip_comments=True))
    defined = {found["id"] for line in lines if (found := _FOOTNOTE_DEFINITION.match(line.text))}
    return [
        SourceError(
            Location(path, first_line + line.offset, mark.start() + 1),
            f"footnote [^{mark['id']}] is never written: there is no line '[^{mark['id']}]: ...'",
            hint=f"add the footnote's text on a line of its own: '[^{mark['id']}]: The note.', or remove the marker",
        )
        for line in lines
        for mark in _FOOTNOTE_MARK.finditer(line.text)
        if mark["id"] not in defined
    ]


def _headings(body: str) -> list[tuple[int, int, str]]:
    """(offset, level, text) of every heading pandoc reads in the body: ATX (`## x`) and setext (a line
    underlined with === or ---); code and comments are not prose."""
    found = []
    previous = ""
    for line in prose_lines(body, skip_comments=True):
        atx = _ATX.match(line.text)
        setext = _SETEXT.match(line.text) if not _NOT_A_HEADING_TEXT.match(previous) else None
        if atx:
            text = line.text[atx.end() :].strip().rstrip("#").strip()
            found.append((line.offset, len(atx["marks"]), text))
        elif setext:
            found.append((line.offset - 1, 1 if setext["rule"][0] == "=" else 2, previous.strip()))
        previous = "" if setext else line.text
    return found


def _sections_one_level_down(path: Path, body: str, first_line: int) -> tuple[str, list[SourceError]]:
    """The title is the page's one top-level heading; a note whose sections start at `#` (as most authors
    and every Word import write them) has every heading moved one level down, in every format, and is
    told so. Line numbers stay true: an underline becomes an empty line."""
    headings = _headings(body)
    top = [(offset, text) for offset, level, text in headings if level == 1]
    if not top:
        return body, []
    lines = body.split("\n")
    for offset, level, text in headings:
        if _ATX.match(lines[offset]):
            lines[offset] = _ATX.sub(lambda m: m["indent"] + "#" * min(len(m["marks"]) + 1, 6), lines[offset], count=1)
        else:  # setext: the text line becomes an ATX heading, its underline an empty line
            lines[offset] = "#" * min(level + 1, 6) + " " + text
            lines[offset + 1] = ""
    offset, text = top[0]
    notice = Notice(
        Location(path, first_line + offset, 1),
        f"the sections start at '#' ('{text}'), and the title is the page's one top-level heading: every "
        "heading is moved one level down (# becomes ##) in the page, the PDF and the Word file",
        hint="nothing to do; write '## ' for sections to keep the file as it is published",
    )
    return "\n".join(lines), [notice]


MAX_NESTING = 20  # levels of lists and quotes: pandoc's time and memory grow steeply past a few hundred
# One level each: a quote marker, or a list marker followed by a space (or the line's end).
_NESTING_MARKER = re.compile(r"[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$))")


def nesting_depth(line: str) -> int:
    """How deep a line sits in lists and quotes, counted without parsing: each marker at its start is a
    level, and so is each two columns of whitespace among them beyond the one space a marker needs
    (where a nested item's content starts). Never less than pandoc's depth (tests/test_robustness.py
    holds it to pandoc), so a note within the limit here is within it in pandoc too."""
    if not line.strip():
        return 0
    markers, position = 0, 0
    while (marker := _NESTING_MARKER.match(line, position)) and marker.end() > position:
        markers, position = markers + 1, marker.end()
    prefix = line[: len(line) - len(line[position:].lstrip(" \t"))]  # the markers and the space among them
    columns = prefix.count(" ") + 4 * prefix.count("\t")
    return markers + max(0, columns - markers) // 2


def _too_deep(path: Path, body: str, first_line: int) -> list[SourceError]:
    """Found before anything is rendered, and quickly (one pass, no regex that backtracks): a list,
    bracket or div nested thousands deep takes pandoc minutes and gigabytes, or breaks typst. Said once
    for each kind, at the first line past the limit."""
    found: dict[str, SourceError] = {}
    brackets = divs = 0
    for line in prose_lines(body, skip_comments=True):
        where = Location(path, first_line + line.offset)
        depth = nesting_depth(line.text)
        if depth > MAX_NESTING and "lists" not in found:
            found["lists"] = SourceError(
                where,
                f"this line is nested {depth} levels deep in lists, quotes or indentation; "
                f"at most {MAX_NESTING} are allowed",
                hint="flatten the list: readers cannot follow more than a few levels",
            )
        divs = _div_depth(line.text, divs)
        if divs > MAX_NESTING and "divs" not in found:
            found["divs"] = SourceError(
                where,
                f"this ::: box is nested {divs} deep; at most {MAX_NESTING} are allowed",
                hint="close the boxes above it with a line of ::: or take the box out of them",
            )
        brackets, deepest = _bracket_depth(line.text, brackets)
        if deepest > MAX_NESTING and "brackets" not in found:
            found["brackets"] = SourceError(
                where,
                f"this line nests square brackets {deepest} deep; at most {MAX_NESTING} are allowed",
                hint="close the links, spans or citations before opening more: a [ needs its ]",
            )
        if len(found) == 3:
            break
    return list(found.values())


_DIV_FENCE = re.compile(r" {0,3}:{3,}[ \t]*(\S?)")


def _div_depth(line: str, depth: int) -> int:
    """A ::: line with something after it opens a box; a bare ::: closes the innermost one."""
    fence = _DIV_FENCE.match(line) if ":::" in line else None
    if fence is None:
        return depth
    return depth + 1 if fence.group(1) else max(0, depth - 1)


def _bracket_depth(line: str, depth: int) -> tuple[int, int]:
    """Open brackets after this line, and the most open on it. Brackets cannot span a blank line (a new
    paragraph), so the count starts again there; an escaped bracket is text."""
    if not line.strip():
        return 0, 0
    if "[" not in line and "]" not in line:
        return depth, depth
    deepest = depth
    escaped = False
    for character in line:
        if escaped:
            escaped = False
        elif character == "\\":
            escaped = True
        elif character == "[":
            depth += 1
            deepest = max(deepest, depth)
        elif character == "]" and depth:
            depth -= 1
    return depth, deepest


def _validated(
    front: FrontMatter,
    slug: str,
    body: str,
    body_start_line: int,
    citations: tuple[Citation, ...],
    request_ids: Collection[str] | None,
    root: Path,
) -> tuple[Briefing | None, Partial | None, list[SourceError]]:
    """The Briefing, validated by its own schema (model.py), and every problem in the front matter, each
    at its line. When the schema refuses some values, the note without them (`Partial`) still takes part
    in the checks across notes, so that its faults hide nothing there either."""
    problems = [
        unknown_field(front, name, FRONT_MATTER_FIELDS) for name in front.values if name not in FRONT_MATTER_FIELDS
    ]
    values = {"lang": DEFAULT_LANG, **{k: v for k, v in front.values.items() if k in FRONT_MATTER_FIELDS}}
    if isinstance(values.get("countries"), list):  # ISO alpha-2 or alpha-3 as written; alpha-3 from here on
        values["countries"] = [
            found.code if isinstance(c, str) and (found := country(c)) else c for c in values["countries"]
        ]
    lines = tuple(
        (name, _field_lines(front, name, len(raw) if isinstance(raw := front.values.get(name), list) else None))
        for name in ("summary", "key_points", "authors")
    )
    try:
        briefing: Briefing | None = Briefing(
            path=front.path,
            slug=slug,
            body=body,
            body_start_line=body_start_line,
            citations=citations,
            field_lines=lines,
            **values,
        )
    except ValidationError as exc:  # a field already reported as unreadable is not also "missing"
        partial = _without_refused(
            exc,
            values,
            lambda kept: Briefing(
                path=front.path,
                slug=slug,
                body=body,
                body_start_line=body_start_line,
                citations=citations,
                field_lines=lines,
                **kept,
            ),
        )
        numbered = _numbered_recommendations(front)  # said in the brief's own numbering instead
        problems.extend(
            p
            for p in schema_problems(front, exc, Briefing, _HINTS)
            if p.field not in front.unreadable
            and not (p.field == "recommendations" and p.location in [n.location for n in numbered])
        )
        problems.extend(numbered)
        briefing = None
    # each value is checked on its own, whether or not the others passed the schema
    problems.extend(_intersection_problems(front))
    problems.extend(_withdrawal_problems(front))
    problems.extend(_vocabulary_problems(front))
    if request_ids is not None:
        problems.extend(_unknown_requests(front, request_ids))
    problems.extend(_embargo_zone_warning(front))
    problems.extend(_plain_text_problems(front))
    problems.extend(_update_problems(front, front.path, root))
    return briefing, partial if briefing is None else None, problems


@dataclass(frozen=True)
class Partial:
    """A note whose schema refused some values, read without them: each refused list item left out, each
    other refused field back at its default. Never published; it only takes part in the checks across
    notes (titles, numbers, aliases, requests answered)."""

    briefing: Briefing
    dropped: frozenset[str]  # the fields it lost wholly: what is said of them across notes is not its own


def _without_refused(exc: ValidationError, values: dict, make: Callable[[dict], Briefing]) -> Partial | None:
    """The note without the values its schema refused; None when even that does not validate (a required
    field is missing or refused)."""
    items: dict[str, set[int]] = {}
    whole: set[str] = set()
    for error in exc.errors():
        loc = error["loc"]
        if not loc:
            return None
        name = str(loc[0])
        if len(loc) > 1 and isinstance(loc[1], int) and isinstance(values.get(name), list):
            items.setdefault(name, set()).add(loc[1])
        else:
            whole.add(name)
    kept = {name: value for name, value in values.items() if name not in whole}
    for name, refused in items.items():
        if name in kept:
            kept[name] = [item for index, item in enumerate(kept[name]) if index not in refused]
    try:
        return Partial(make(kept), frozenset(whole))  # items left out: the rest of their list is still checked
    except ValidationError:
        return None


def _field_lines(front: FrontMatter, name: str, count: int | None) -> tuple[int, ...]:
    """The line of a field's key, or of each of its items."""
    if count is None:
        return (front.line_of(name) or 1,)
    return tuple(front.line_of(name, index) or 1 for index in range(count))


def _update_problems(front: FrontMatter, path: Path, root: Path) -> list[SourceError]:
    """`updates` notes reach the page, PDF and DOCX: the same content safety as the body, at their line."""
    raw = front.values.get("updates")
    problems: list[SourceError] = []
    for index, item in enumerate(raw if isinstance(raw, list) else []):
        text = item.get("note") if isinstance(item, dict) else None
        if isinstance(text, str):
            line = front.line_of("updates", index) or 1
            problems.extend(unsafe_content(path, text, line, root))
            complaint = plain_text_problem(text)
            if complaint:
                problems.append(
                    SourceError(Location(path, line), complaint, field="updates", hint="write the update as plain text")
                )
    return problems


def _plain_text_problems(front: FrontMatter) -> list[SourceError]:
    problems = []
    for name in ("title", "summary", "key_points", "authors"):
        value = front.values.get(name)
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            complaint = plain_text_problem(str(item)) if isinstance(item, str) else None
            if complaint:
                where = front.location(name, index if isinstance(value, list) else None)
                problems.append(
                    SourceError(where, complaint, field=name, hint="write plain text; markup is added by council")
                )
    return problems


def _text_items(front: FrontMatter, name: str) -> list[tuple[int, str]]:
    """(index, text) of each text item of a list field as written; the schema reports anything else."""
    raw = front.values.get(name)
    return (
        [(index, item.strip()) for index, item in enumerate(raw) if isinstance(item, str)]
        if isinstance(raw, list)
        else []
    )


def _vocabulary_problems(front: FrontMatter) -> list[SourceError]:
    """Each unknown value is reported on its own line, with the nearest known value: read from what was
    written, so that a wrong type elsewhere does not hide it."""
    problems = []
    for name in ("workstreams", "tools", "recommendations"):
        vocabulary = vocabularies()[name]
        for index, value in _text_items(front, name):
            if value not in vocabulary:
                problems.append(SourceError(front.location(name, index), vocabulary.complaint(value), field=name))
    for index, code in _text_items(front, "countries"):
        if country(code) is None:
            problems.append(
                SourceError(
                    front.location("countries", index),
                    country_complaint(code),
                    field="countries",
                    hint=region_hint(code),
                )
            )
    return problems


def _intersection_problems(front: FrontMatter) -> list[SourceError]:
    """Checked on the raw mapping, so an unknown workstream is reported alongside other errors."""
    raw = front.values.get("intersections")
    workstreams = vocabularies()["workstreams"]
    return [
        SourceError(front.location("intersections", str(name)), workstreams.complaint(str(name)), field="intersections")
        for name in (raw if isinstance(raw, dict) else {})
        if str(name) not in workstreams
    ]


def _unknown_requests(front: FrontMatter, known: Collection[str]) -> list[SourceError]:
    problems = []
    for index, request_id in _text_items(front, "answers"):
        if request_id not in known:
            guess = nearest(request_id, known)
            message = f"no request '{request_id}' in requests/" + (f"; did you mean '{guess[0]}'?" if guess else "")
            problems.append(
                SourceError(
                    front.location("answers", index),
                    message,
                    field="answers",
                    hint="list ids of requests in requests/ (the file name without .yml); "
                    "`council request new` adds one",
                )
            )
    return problems


class BriefingProblems(ProblemsFound):
    """Every problem of one note, with the citations its body makes (checked against the library, and
    counted as cited, even though the note itself cannot be used)."""

    def __init__(
        self,
        problems: list[SourceError],
        path: Path | None = None,
        citations: tuple[Citation, ...] = (),
        status: str | None = None,
        stand_in: Briefing | None = None,
        partial: Briefing | None = None,
        dropped: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__(problems)
        self.path = path
        self.citations = citations
        self.status = status  # as written, when it could be read: a build holds back a broken draft
        self.stand_in = stand_in  # its body under neutral front matter, for the prose checks
        self.partial = partial  # the note without its refused values, for the checks across notes
        self.dropped = dropped  # the fields it lost: what the checks across notes say of them is not its own


_HINTS = {
    "title": "give the note's title on one line, at most 200 characters",
    "summary": f"the summary is plain text of at most {SUMMARY_MAX_WORDS} words: what a busy reader needs to know, "
    "shown under the title and in lists of briefings (write `summary: >-` and the text on the lines below)",
    "date": "write dates as YYYY-MM-DD, e.g. 2026-03-14",
    "embargo_until": "write a date (2026-03-14) or a date and time with its zone (2026-03-14T09:30:00Z)",
    "status": "use draft, review or published (or withdrawn, with a withdrawn_reason)",
    "updates": "give a list of {date: YYYY-MM-DD, note: what changed}",
    "number": "leave it to `council publish`, which gives the next number",
    "doi": "write the DOI itself, e.g. 10.1234/aprc.2026.007",
    "classification": "use OFFICIAL or OFFICIAL-SENSITIVE; nothing higher belongs in this repository",
    "key_points": f"give 2 to 6 short bullet points as a YAML list ('- ...' lines), each at most "
    f"{KEY_POINT_MAX_WORDS} words: one idea a reader takes in at a glance",
    "authors": "give a YAML list of names ('- Dr Jane Doe')",
    "intersections": "map workstreams to synergy or tension, e.g. {counter-terrorism-pve: tension}",
    "recommendations": "the brief's six recommendations are written I, II, III, IV, V and VI, e.g. "
    "`recommendations: [III, V]`; `council vocab recommendations` lists them",
    "workstreams": "ids such as conflict-prevention; `council vocab workstreams` lists them",
    "tools": "ids such as targeted-sanctions; `council vocab tools` lists them",
    "countries": "ISO 3166-1 codes such as UKR or MMR; `council vocab countries` lists them",
    "answers": "ids of requests in requests/, such as R-2026-005 (the file name without .yml)",
    "lang": "a language tag such as en-GB (the default) or fr",
    "aliases": "old file names of this note, without .md, e.g. [old-file-name]",
}
