"""A fast, forgiving BibTeX/BibLaTeX scanner: every entry with its key, type, fields and the line of
each, the @string macros, and for a block it cannot read the exact reason and the line where reading
stopped.

Why not a general parser: a researcher's library runs to tens of thousands of entries, and council
reads it on every build. This reads only the structure (braces, quotes, `#`, commas); pandoc still
converts the entries a briefing cites (TeX accents, crossref) into CSL JSON. The grammar is BibTeX's:
a block starts at any `@` outside a block that is followed by a type and `{` or `(` (several entries
may share a line), values are `{...}`, `"..."`, numbers or macro names joined by `#`, and text outside
blocks is a comment. Braces are counted as BibTeX counts them: `\\{` and `\\}` count too
(base/bibtex_braces.py). A `%` line between the fields of an entry is a comment, as pandoc reads it.
Macro names are case-insensitive; a macro is known from its definition on, through the files of a
library read in order (the caller passes the macros of the files before).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from council.base.bibtex_braces import braced_end, quoted_end

BLOCK_START = re.compile(r"@[ \t]*([A-Za-z][\w-]*)[ \t\r\n]*([{(])")
KEY = re.compile(r"[ \t\r\n]*([^,\s{}()=\"#%]*)[ \t\r\n]*")
FIELD_NAME = re.compile(r"[ \t\r\n]*([A-Za-z0-9_:.+/\-]+)[ \t\r\n]*")
BARE_VALUE = re.compile(r"[A-Za-z0-9_:.+/\-']+")
SPACE = re.compile(r"[ \t\r\n]*")
GAP = re.compile(r"(?:[ \t\r\n]+|%[^\n]*)*")  # between fields: space and `%` comment lines, as pandoc skips them
NUMBER = re.compile(r"\d+")
RUN_ON = re.compile(r"\n[ \t]*[A-Za-z][\w-]*[ \t]*=")  # a value holding `name =` at a line start
NEXT_BLOCK = re.compile(r"\n[ \t]*@[ \t]*[A-Za-z][\w-]*[ \t\r\n]*[{(]")
# The month macros every BibTeX style defines: left as written, for pandoc and biber to read as months.
MONTHS = frozenset(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))


@dataclass(frozen=True)
class RawField:
    name: str  # lower case
    value: str  # as BibTeX reads it: pieces joined by `#`, without their delimiters, macros expanded
    line: int
    bare: bool = False  # one number or undefined macro name (a month), not braced or quoted
    expanded: bool = False  # written with a known macro or with `#`: the text as written needs the macros
    undefined: tuple[str, ...] = ()  # macro names used here that no @string defined before


@dataclass(frozen=True)
class RawEntry:
    entry_type: str  # lower case
    key: str
    line: int
    raw: str  # as written
    fields: list[RawField] = field(default_factory=list)
    parenthesised: bool = False  # written `@type(...)`, which pandoc cannot read


@dataclass(frozen=True)
class RawString:
    name: str
    value: str  # expanded, as for a field
    raw: str  # as written
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
    macros: dict[str, str] = field(default_factory=dict)  # lower-case name -> value, after the last block


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


_NOT_ENTRIES = ("string", "comment", "preamble")  # blocks without a key


def scan(text: str, macros: Mapping[str, str] | None = None) -> Scanned:
    """Every block of `text`; `macros` (lower-case names) are those defined before it, in the files
    of the library read earlier."""
    lines = _Lines(text)
    out = Scanned(macros={name.lower(): value for name, value in (macros or {}).items()})
    position = 0
    while True:
        match = BLOCK_START.search(text, position)
        if match is None:
            return out
        kind, opener = match.group(1).lower(), match.group(2)
        closer = "}" if opener == "{" else ")"
        start, body = match.start(), match.end()
        try:
            if kind in ("comment", "preamble"):
                position = _skip_balanced(text, body, closer)
                continue
            if kind == "string":
                name, value, end = _string(text, body, closer, out.macros)
                out.strings.append(RawString(name, value.value, text[start:end], lines.of(start)))
                out.macros[name.lower()] = value.value
            else:
                entry, end = _entry(text, body, closer, kind, start, lines, out.macros)
                out.entries.append(entry)
            position = end
        except _Stop as stop:
            key_match = KEY.match(text, body)
            key = key_match.group(1) if key_match and key_match.group(1) and kind not in _NOT_ENTRIES else None
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


def _skip_balanced(text: str, position: int, closer: str) -> int:
    if closer == ")":
        return _paren_end(text, position)
    return _braced_end(text, position - 1, "block")


def _paren_end(text: str, position: int) -> int:
    """Offset just past the `)` closing a block opened with `(`: the first one outside braces."""
    depth = 0
    for mark in re.finditer(r"[{}()]", text[position:]):
        char = mark.group(0)
        depth += 1 if char == "{" else -1 if char == "}" else 0
        if char == ")" and depth == 0:
            return position + mark.end()
    raise _Stop("the block is never closed with `)`", len(text))


def _braced_end(text: str, opening: int, what: str) -> int:
    """Offset just past the brace closing the one at `opening`."""
    end = braced_end(text, opening)
    _no_block_inside(text, opening, len(text) if end is None else end, what)
    if end is None:
        raise _Stop(
            f"{what} opened with `{{` is never closed: the file ends first" + _escaped_brace_note(text[opening:]),
            len(text),
        )
    return end


def _escaped_brace_note(value: str) -> str:
    if "\\{" not in value and "\\}" not in value:
        return ""
    return "; BibTeX counts `\\{` and `\\}` as braces too: pair them, or write \\textbraceleft{} for a lone one"


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
    end = quoted_end(text, opening)
    _no_block_inside(text, opening, len(text) if end is None else end, what)
    if end is None:
        raise _Stop(f'{what} opened with `"` is never closed: the file ends first', len(text))
    return end


@dataclass(frozen=True)
class _Value:
    value: str
    bare: bool
    expanded: bool
    undefined: tuple[str, ...]


def _value(text: str, position: int, name: str, macros: Mapping[str, str]) -> tuple[_Value, int]:
    """A field value (pieces joined by `#`) as BibTeX reads it, and the offset after it."""
    at = SPACE.match(text, position).end()  # type: ignore[union-attr]
    pieces: list[str] = []
    bare_pieces = expanded = 0
    undefined: list[str] = []
    while True:
        char = text[at : at + 1]
        what = f"the value of field '{name}'"
        if char in ("{", '"'):
            end = _braced_end(text, at, what) if char == "{" else _quoted_end(text, at, what)
            pieces.append(text[at + 1 : end - 1])
        else:
            bare = BARE_VALUE.match(text, at)
            if bare is None:
                raise _Stop(
                    f"field '{name}' has no value: expected `{{`, `\"`, a number or a macro name "
                    f"after `=`, found {_found(text, at)}",
                    at,
                )
            word, end = bare.group(0), bare.end()
            if word.lower() in macros:
                pieces.append(macros[word.lower()])
                expanded += 1
            elif NUMBER.fullmatch(word) or word.lower() in MONTHS:
                pieces.append(word)
                bare_pieces += 1
            else:  # printed as its name in lower case, as pandoc prints it (BibTeX prints nothing)
                pieces.append(word.lower())
                bare_pieces += 1
                undefined.append(word)
        after = SPACE.match(text, end).end()  # type: ignore[union-attr]
        if text[after : after + 1] != "#":
            single_bare = len(pieces) == 1 and bare_pieces == 1
            return _Value("".join(pieces), single_bare, bool(expanded) or len(pieces) > 1, tuple(undefined)), after
        at = SPACE.match(text, after + 1).end()  # type: ignore[union-attr]


def _string(text: str, position: int, closer: str, macros: Mapping[str, str]) -> tuple[str, _Value, int]:
    name = FIELD_NAME.match(text, position)
    if name is None or text[name.end() : name.end() + 1] != "=":
        raise _Stop("a @string needs `name = value`", position)
    value, at = _value(text, name.end() + 1, name.group(1), macros)
    if text[at : at + 1] != closer:
        raise _Stop(f"expected `{closer}` to close the @string, found `{text[at : at + 1]}`", at)
    return name.group(1), value, at + 1


def _entry(
    text: str, position: int, closer: str, kind: str, start: int, lines: _Lines, macros: Mapping[str, str]
) -> tuple[RawEntry, int]:
    key_match = KEY.match(text, position)
    at = key_match.end()  # type: ignore[union-attr]
    key = key_match.group(1)  # type: ignore[union-attr]
    if text[at : at + 1] == closer and key:
        return RawEntry(kind, key, lines.of(start), text[start : at + 1], parenthesised=closer == ")"), at + 1
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
        at = GAP.match(text, at).end()  # type: ignore[union-attr]
        if text[at : at + 1] == closer:
            return RawEntry(kind, key, lines.of(start), text[start : at + 1], fields, closer == ")"), at + 1
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
        value, at = _value(text, equals + 1, name.group(1).lower(), macros)
        at = GAP.match(text, at).end()  # type: ignore[union-attr]
        fields.append(
            RawField(
                name.group(1).lower(), value.value, lines.of(field_at), value.bare, value.expanded, value.undefined
            )
        )
        if text[at : at + 1] == ",":
            at += 1
        elif text[at : at + 1] != closer:
            if RUN_ON.search(value.value):
                raise _Stop(
                    f"the value of field '{name.group(1).lower()}' (line {lines.of(field_at)}) runs on into "
                    f'the fields after it: its closing `}}` or `"` is probably missing'
                    + _escaped_brace_note(value.value),
                    at,
                )
            raise _Stop(
                f"expected `,` or `{closer}` after the value of field '{name.group(1).lower()}' in entry "
                f"'{key}', found {_found(text, at)}: is a comma missing?",
                at,
            )
