"""A fast, forgiving BibTeX/BibLaTeX scanner: every entry with its key, type, fields and the line of
each, the @string macros, and for a block it cannot read the exact reason and the line where reading
stopped.

Why not a general parser: a researcher's library runs to tens of thousands of entries, and council
reads it on every build. This reads only the structure (braces, quotes, `#`, commas); pandoc still
converts the entries a briefing cites (TeX accents, macros, crossref) into CSL JSON. The grammar is
BibTeX's: a block starts with `@` at the start of a line (whitespace before the brace is allowed, as
in `@article {Key,`), values are `{...}`, `"..."`, numbers or macro names joined by `#`, and text
outside blocks is a comment. Braces escaped with a backslash do not count, as in bibtexparser.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

BLOCK_START = re.compile(r"^[ \t]*@[ \t]*([A-Za-z][\w-]*)[ \t\r\n]*([{(])", re.M)
KEY = re.compile(r"[ \t\r\n]*([^,\s{}()=\"#%]*)[ \t\r\n]*")
FIELD_NAME = re.compile(r"[ \t\r\n]*([A-Za-z0-9_:.+/\-]+)[ \t\r\n]*")
BARE_VALUE = re.compile(r"[A-Za-z0-9_:.+/\-']+")
SPACE = re.compile(r"[ \t\r\n]*")
BRACE = re.compile(r"(?<!\\)[{}]")
QUOTE_OR_BRACE = re.compile(r"(?<!\\)[{}\"]")
RUN_ON = re.compile(r"\n[ \t]*[A-Za-z][\w-]*[ \t]*=")  # a value holding `name =` at a line start
NEXT_BLOCK = re.compile(r"\n[ \t]*@[ \t]*[A-Za-z][\w-]*[ \t\r\n]*[{(]")


@dataclass(frozen=True)
class RawField:
    name: str  # lower case
    value: str  # as written, without the outer delimiters of a single piece: Doe, Jane; 2019; jomch # {, 12}
    line: int
    bare: bool = False  # a number or macro name, not braced or quoted


@dataclass(frozen=True)
class RawEntry:
    entry_type: str  # lower case
    key: str
    line: int
    raw: str
    fields: list[RawField] = field(default_factory=list)


@dataclass(frozen=True)
class RawString:
    name: str
    value: str
    raw: str
    line: int


@dataclass(frozen=True)
class Unreadable:
    line: int  # where the block starts
    stopped: int  # the line where reading stopped
    reason: str
    key: str | None  # when the opening `@type{key,` could be read
    raw: str


@dataclass
class Scanned:
    entries: list[RawEntry] = field(default_factory=list)
    strings: list[RawString] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)


class _Stop(Exception):
    def __init__(self, reason: str, at: int) -> None:
        self.reason, self.at = reason, at


TOKEN = re.compile(r"[\w-]{1,30}|\S")


def _found(text: str, at: int) -> str:
    """What stands at `at`, for a message: a word, or one character, or the end of the file."""
    token = TOKEN.match(text, at)
    return f"`{token.group(0)}`" if token else "the end of the file"


class _Lines:
    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)


def scan(text: str) -> Scanned:
    lines = _Lines(text)
    out = Scanned()
    position = 0
    while True:
        match = BLOCK_START.search(text, position)
        if match is None:
            return _macros_resolved(out)
        kind, opener = match.group(1).lower(), match.group(2)
        closer = "}" if opener == "{" else ")"
        start = match.start() + (len(match.group(0)) - len(match.group(0).lstrip(" \t")))
        body = match.end()
        try:
            if kind in ("comment", "preamble"):
                position = _skip_balanced(text, body, closer)
                continue
            if kind == "string":
                name, value, end = _string(text, body, closer)
                out.strings.append(RawString(name, value, text[start:end], lines.of(start)))
            else:
                entry, end = _entry(text, body, closer, kind, start, lines)
                out.entries.append(entry)
            position = end
        except _Stop as stop:
            key_match = KEY.match(text, body)
            key = key_match.group(1) if key_match and key_match.group(1) and kind not in ("string",) else None
            after = NEXT_BLOCK.search(text, body)
            end = after.start() + 1 if after else len(text)
            out.unreadable.append(
                Unreadable(
                    lines.of(start),
                    lines.of(min(stop.at, len(text) - 1)) if text else 1,
                    stop.reason,
                    key,
                    text[start:end],
                )
            )
            position = end


def _macros_resolved(out: Scanned) -> Scanned:
    """A value that is one @string macro name reads as the macro's text (as bibtexparser gives it)."""
    macros = {s.name.lower(): s.value for s in out.strings}
    if not macros:
        return out
    for index, entry in enumerate(out.entries):
        if any(f.bare and f.value.lower() in macros for f in entry.fields):
            fields = [
                RawField(f.name, macros[f.value.lower()], f.line) if f.bare and f.value.lower() in macros else f
                for f in entry.fields
            ]
            out.entries[index] = RawEntry(entry.entry_type, entry.key, entry.line, entry.raw, fields)
    return out


def _skip_balanced(text: str, position: int, closer: str) -> int:
    if closer == ")":
        end = text.find(")", position)
        if end < 0:
            raise _Stop("the block is never closed with `)`", len(text))
        return end + 1
    return _braced_end(text, position - 1, "block")


def _braced_end(text: str, opening: int, what: str) -> int:
    """Offset just past the brace closing the one at `opening`."""
    depth = 0
    for brace in BRACE.finditer(text, opening):
        depth += 1 if brace.group(0) == "{" else -1
        if depth == 0:
            end = brace.end()
            _no_block_inside(text, opening, end, what)
            return end
    _no_block_inside(text, opening, len(text), what)
    raise _Stop(f"{what} opened with `{{` is never closed: the file ends first", len(text))


def _no_block_inside(text: str, start: int, end: int, what: str) -> None:
    """An entry starting on a line of its own inside a value means the value was never closed
    (a missing `}`): stop there, as BibTeX users expect, rather than swallow the next entries."""
    if text.find("@", start, end) < 0:  # the usual case, found without a regular expression
        return
    inside = NEXT_BLOCK.search(text, start, end)
    if inside is not None:
        raise _Stop(
            f"{what} is still open when the next entry starts "
            f'(`{inside.group(0).strip()}`): a closing `}}` or `"` is missing',
            inside.start() + 1,
        )


def _quoted_end(text: str, opening: int, what: str) -> int:
    depth = 0
    for mark in QUOTE_OR_BRACE.finditer(text, opening + 1):
        char = mark.group(0)
        if char == '"' and depth == 0:
            _no_block_inside(text, opening, mark.end(), what)
            return mark.end()
        depth += 1 if char == "{" else -1 if char == "}" else 0
    _no_block_inside(text, opening, len(text), what)
    raise _Stop(f'{what} opened with `"` is never closed: the file ends first', len(text))


def _value(text: str, position: int, name: str) -> tuple[str, int, bool]:
    """A field value (pieces joined by `#`), as written, and the offset after it."""
    start = SPACE.match(text, position).end()  # type: ignore[union-attr]
    at = start
    while True:
        at_piece = at
        char = text[at : at + 1]
        what = f"the value of field '{name}'"
        if char == "{":
            at = _braced_end(text, at, what)
        elif char == '"':
            at = _quoted_end(text, at, what)
        else:
            bare = BARE_VALUE.match(text, at)
            if bare is None:
                raise _Stop(
                    f"field '{name}' has no value: expected `{{`, `\"`, a number or a macro name "
                    f"after `=`, found {_found(text, at)}",
                    at,
                )
            at = bare.end()
        after = SPACE.match(text, at).end()  # type: ignore[union-attr]
        if text[after : after + 1] != "#":
            single = at_piece == start
            return _without_delimiters(text[start:at], single=single), after, single and char not in '{"'
        at = SPACE.match(text, after + 1).end()  # type: ignore[union-attr]


def _without_delimiters(value: str, *, single: bool) -> str:
    """A value of one braced or quoted piece without its outer delimiters, as bibtexparser gives it;
    a concatenation (`jomch # {, 12}`) stays as written."""
    if single and value[:1] in '{"' and len(value) > 1:
        return value[1:-1]
    return value


def _string(text: str, position: int, closer: str) -> tuple[str, str, int]:
    name = FIELD_NAME.match(text, position)
    if name is None or text[name.end() : name.end() + 1] != "=":
        raise _Stop("a @string needs `name = value`", position)
    value, at, _ = _value(text, name.end() + 1, name.group(1))
    if text[at : at + 1] != closer:
        raise _Stop(f"expected `{closer}` to close the @string, found `{text[at : at + 1]}`", at)
    return name.group(1), value, at + 1


def _entry(text: str, position: int, closer: str, kind: str, start: int, lines: _Lines) -> tuple[RawEntry, int]:
    key_match = KEY.match(text, position)
    at = key_match.end()  # type: ignore[union-attr]
    key = key_match.group(1)  # type: ignore[union-attr]
    if text[at : at + 1] == closer and key:
        return RawEntry(kind, key, lines.of(start), text[start : at + 1]), at + 1
    if not key or text[at : at + 1] != ",":
        found = _found(text, at)
        raise _Stop(
            f"expected `@{kind}{{key,` but found {found} after `@{kind}{{{key}`"
            + ("; a key may not contain spaces" if key and text[at : at + 1].strip() else ""),
            at,
        )
    at += 1
    fields = []
    while True:
        at = SPACE.match(text, at).end()  # type: ignore[union-attr]
        if text[at : at + 1] == closer:
            return RawEntry(kind, key, lines.of(start), text[start : at + 1], fields), at + 1
        if text[at : at + 1] == ",":  # a doubled comma: harmless, BibTeX skips it
            at += 1
            continue
        name = FIELD_NAME.match(text, at)
        if name is None:
            raise _Stop(f"expected a field name or `{closer}` in entry '{key}', found {_found(text, at)}", at)
        field_at = name.start(1)
        equals = name.end()
        if text[equals : equals + 1] != "=":
            raise _Stop(
                f"expected `=` after field name '{name.group(1)}' in entry '{key}', found "
                f"{_found(text, equals)}"
                + (
                    "; is a comma missing after the previous field?"
                    if text[equals : equals + 1] not in (",", closer)
                    else ""
                ),
                equals,
            )
        value, at, bare = _value(text, equals + 1, name.group(1).lower())
        fields.append(RawField(name.group(1).lower(), value, lines.of(field_at), bare))
        if text[at : at + 1] == ",":
            at += 1
        elif text[at : at + 1] != closer:
            if RUN_ON.search(value):
                raise _Stop(
                    f"the value of field '{name.group(1).lower()}' (line {lines.of(field_at)}) runs on into "
                    f'the fields after it: its closing `}}` or `"` is probably missing',
                    at,
                )
            raise _Stop(
                f"expected `,` or `{closer}` after the value of field '{name.group(1).lower()}' in entry "
                f"'{key}', found {_found(text, at)}: is a comma missing?",
                at,
            )
