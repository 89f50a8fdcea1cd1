"""Split a Markdown note into YAML front matter and body, keeping line numbers for every field."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from council.base.errors import Location, SourceError
from council.base.vocabularies import nearest

MAX_FRONT_MATTER_CHARS = 64 * 1024
FENCE = "---"
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: same result, faster


@dataclass(frozen=True)
class FrontMatter:
    path: Path
    values: dict[str, Any]
    key_lines: dict[str, int]  # field -> line of its key
    item_lines: dict[tuple[str, int | str], int] = field(default_factory=dict)  # (field, index or key) -> line
    end_line: int = 0  # line of the closing fence
    unreadable: frozenset[str] = frozenset()  # fields whose value could not be read (already reported)

    def line_of(self, name: str, index: int | str | None = None) -> int | None:
        if index is not None and (name, index) in self.item_lines:
            return self.item_lines[(name, index)]
        return self.key_lines.get(name, 1)

    def location(self, name: str | None = None, index: int | str | None = None) -> Location:
        return Location(self.path, self.line_of(name, index) if name else 1)


@dataclass(frozen=True)
class Note:
    front: FrontMatter
    body: str
    body_start_line: int  # 1-based line of the body's first line in the file


def split_note(path: Path, text: str) -> Note:
    yaml_text, body, body_start_line = split_fences(path, text)
    front = parse_front_matter(path, yaml_text, first_line=2, end_line=body_start_line - 1)
    return Note(front, body, body_start_line)


def split_fences(path: Path, text: str) -> tuple[str, str, int]:
    """The YAML between the fences, the body, and the body's first line. Apart from parsing, so that a
    note whose YAML is broken still has its body checked (every problem at once)."""
    lines = text.split("\n")
    if not text.strip():
        raise SourceError(
            Location(path, 1),
            "the file is empty",
            hint="start with front matter between '---' lines; `council new \"Title\"` makes one",
        )
    if lines[0].rstrip() != FENCE:
        raise SourceError(
            Location(path, 1),
            "the file does not start with front matter ('---' on the first line)",
            hint="add a YAML block between '---' lines at the top; `council new \"Title\"` shows one",
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (FENCE, "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    raise SourceError(
        Location(path, 1), "the front matter is never closed", hint="end the YAML block with a line holding only '---'"
    )


def body_without_fences(text: str) -> tuple[str, int]:
    """The body of a note whose front matter is missing or never closed, and its first line: the whole
    text, or what follows the first blank line after an opening fence (where an author ends the front
    matter), so that the body is still checked."""
    lines = text.split("\n")
    if lines[0].rstrip() != FENCE:
        return text, 1
    blank = next((index for index in range(1, len(lines)) if not lines[index].strip()), len(lines))
    return "\n".join(lines[blank + 1 :]), blank + 2


def parse_front_matter(path: Path, yaml_text: str, *, first_line: int, end_line: int) -> FrontMatter:
    """The front matter, or its first problem raised (for files that stop at one)."""
    front, problems = read_front_matter(path, yaml_text, first_line=first_line, end_line=end_line)
    if problems:
        raise problems[0]
    return front


def read_front_matter(
    path: Path, yaml_text: str, *, first_line: int, end_line: int
) -> tuple[FrontMatter, list[SourceError]]:
    """The front matter read value by value, with every problem found: a tab, an unreadable value or a
    block of broken YAML costs its own field and nothing else, so that no fault hides another."""
    if len(yaml_text) > MAX_FRONT_MATTER_CHARS:
        raise SourceError(
            Location(path, first_line),
            f"front matter is over {MAX_FRONT_MATTER_CHARS} characters",
            hint="front matter holds metadata only; move long text into the body",
        )
    yaml_text, problems = _without_indenting_tabs(path, yaml_text, first_line)
    pairs: list[tuple[yaml.Node, yaml.Node, int]] = []
    unreadable: set[str] = set()
    try:
        node = yaml.compose(yaml_text, Loader=_SAFE_LOADER)
        if node is not None and not isinstance(node, yaml.MappingNode):
            raise SourceError(Location(path, first_line), "front matter must be a set of 'key: value' lines")
        if node is not None:
            _refuse_aliases(path, node, first_line)
            pairs = [(key, value, first_line) for key, value in node.value]
    except yaml.MarkedYAMLError as whole:
        pairs, broken = _pairs_block_by_block(path, yaml_text, first_line)
        problems.extend(problem for _, problem in broken)
        unreadable.update(name for name, _ in broken if name)
        if not broken:  # broken only as a whole: say what the reader said
            problems.append(yaml_problem(path, yaml_text, whole, first_line))
    values: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    item_lines: dict[tuple[str, int | str], int] = {}
    constructor = yaml.SafeLoader("")
    for key_node, value_node, offset in pairs:
        key = str(key_node.value)
        line = offset + key_node.start_mark.line
        if key in key_lines or key in unreadable:
            first = f" (first on line {key_lines[key]})" if key in key_lines else ""
            problems.append(
                SourceError(Location(path, line), f"'{key}' is given twice{first}", field=key, hint="keep one of them")
            )
            continue
        key_lines[key] = line
        try:
            values[key] = constructor.construct_object(value_node, deep=True)
        except (ValueError, yaml.constructor.ConstructorError):  # e.g. date: 2026-13-01
            problems.append(_unreadable_value(path, key, value_node, offset))
            unreadable.add(key)
            continue
        if isinstance(value_node, yaml.SequenceNode):
            for index, item in enumerate(value_node.value):
                item_lines[(key, index)] = offset + item.start_mark.line
        elif isinstance(value_node, yaml.MappingNode):  # e.g. intersections: {workstream: synergy}
            for sub_key, _ in value_node.value:
                item_lines[(key, str(sub_key.value))] = offset + sub_key.start_mark.line
    front = FrontMatter(path, values, key_lines, item_lines, end_line, frozenset(unreadable))
    return front, problems


def _unreadable_value(path: Path, key: str, node: yaml.Node, offset: int) -> SourceError:
    """A value YAML recognises as a date but that is no date on the calendar, said as a person would."""
    written = str(getattr(node, "value", ""))
    where = Location(path, offset + node.start_mark.line)
    hint = "write dates as YYYY-MM-DD with a real month and day, e.g. 2026-03-14"
    found = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", written)
    if found:
        year, month, day = (int(part) for part in found.groups())
        if not 1 <= month <= 12:
            return SourceError(where, f"'{written}' is not a date: there is no month {month}", field=key, hint=hint)
        days = calendar.monthrange(year, month)[1]
        if not 1 <= day <= days:
            name = calendar.month_name[month]
            return SourceError(where, f"'{written}' is not a date: {name} {year} has {days} days", field=key, hint=hint)
    return SourceError(where, f"'{written}' cannot be read as a date or a time", field=key, hint=hint)


_INDENT_TAB = re.compile(r"^[ ]*\t[ \t]*")
_TOP_KEY = re.compile(r"""^(?P<key>[A-Za-z_][\w-]*|"[^"]*"|'[^']*')[ \t]*:(?:[ \t]|$)""")


def _without_indenting_tabs(path: Path, yaml_text: str, first_line: int) -> tuple[str, list[SourceError]]:
    """Each line indented with a tab is reported, then read as if indented with two spaces per tab, so
    that the rest of the front matter is still checked. Where that does not read, a `key:` line that
    cannot belong to the line above is read at the left margin instead: left indented, it would break
    the field above and hide that field's own faults."""
    lines = yaml_text.split("\n")
    problems = []
    spaced, at_margin = list(lines), list(lines)
    for index, text in enumerate(lines):
        indent = _INDENT_TAB.match(text)
        if indent:
            problems.append(
                SourceError(
                    Location(path, first_line + index, text.index("\t") + 1),
                    "tabs are not allowed; indent with spaces",
                    hint="replace the tab with spaces (two per level, as in the other lines)",
                )
            )
            content = text[indent.end() :]
            spaced[index] = indent[0].replace("\t", "  ") + content
            own_field = _TOP_KEY.match(content) and _cannot_hold_children(at_margin[:index])
            at_margin[index] = content if own_field else spaced[index]
    if not problems or _reads("\n".join(spaced)):
        return "\n".join(spaced), problems
    return "\n".join(at_margin), problems


def _reads(yaml_text: str) -> bool:
    try:
        yaml.compose(yaml_text, Loader=_SAFE_LOADER)
    except yaml.YAMLError:
        return False
    return True


def _cannot_hold_children(above: list[str]) -> bool:
    """Whether an indented `key:` line below these lines can only be a field of its own: the line above
    does not open a value (`intersections:`, `- date:`), and no block of text (`summary: >-`) is open."""
    written = [line for line in above if line.strip() and not line.lstrip().startswith("#")]
    if not written:
        return True
    if written[-1].split(" #", 1)[0].rstrip().endswith(":"):
        return False
    field = next((found for line in reversed(written) if (found := _TOP_KEY.match(line))), None)
    value = field.string[field.end() :].strip() if field else ""
    return not value.startswith(("|", ">"))


def _pairs_block_by_block(
    path: Path, yaml_text: str, first_line: int
) -> tuple[list[tuple[yaml.Node, yaml.Node, int]], list[tuple[str | None, SourceError]]]:
    """YAML that cannot be read as a whole, read field by field (a field runs from a key at the left
    margin to the next one): the (key, value, first line) of every field that reads, and the problem of
    every field that does not, with its name when the key itself could be read."""
    lines = yaml_text.split("\n")
    starts = [index for index, text in enumerate(lines) if _TOP_KEY.match(text)] or [0]
    starts[0] = 0  # comments and blank lines before the first key belong to it
    pairs: list[tuple[yaml.Node, yaml.Node, int]] = []
    broken: list[tuple[str | None, SourceError]] = []
    for start, end in zip(starts, [*starts[1:], len(lines)], strict=True):
        block = "\n".join(lines[start:end])
        offset = first_line + start
        key = _TOP_KEY.match(lines[start])
        try:
            node = yaml.compose(block, Loader=_SAFE_LOADER)
        except yaml.MarkedYAMLError as exc:
            broken.append((key["key"].strip("\"'") if key else None, yaml_problem(path, block, exc, offset)))
            continue
        if isinstance(node, yaml.MappingNode):
            try:
                _refuse_aliases(path, node, offset)
            except SourceError as error:
                broken.append((None, error))
                continue
            pairs.extend((key_node, value_node, offset) for key_node, value_node in node.value)
        elif node is not None:
            broken.append((None, SourceError(Location(path, offset), "this line is not a 'key: value' line")))
    return pairs, broken


# what the YAML reader was reading when it stopped -> (what an author opened there, how to close it)
_UNCLOSED = {
    "while scanning a quoted scalar": (
        "the quote opened here is never closed",
        "end the text with the same quote mark it starts with (\" or '), or leave the quotes out",
    ),
    "while parsing a flow sequence": (
        "the list opened with '[' here is never closed",
        "end the list with ']' on the same line, items separated by commas",
    ),
    "while parsing a flow mapping": (
        "the '{' opened here is never closed",
        "end it with '}', pairs separated by commas",
    ),
}


def yaml_problem(path: Path, yaml_text: str, exc: yaml.MarkedYAMLError, first_line: int) -> SourceError:
    """The YAML reader's complaint, where the author made the mistake and in their words: a quote or
    bracket left open is reported where it opens, not where the reader ran out of text."""
    opened = _UNCLOSED.get(str(exc.context or ""))
    mark = exc.context_mark if opened and exc.context_mark else exc.problem_mark or exc.context_mark
    line = first_line + mark.line if mark else first_line
    column = mark.column + 1 if mark else None
    where = Location(path, line, column)
    if opened:
        return SourceError(where, opened[0], hint=opened[1])
    lines = yaml_text.split("\n")
    here = lines[mark.line][mark.column : mark.column + 1] if mark and mark.line < len(lines) else ""
    if here == "\t" or "tab" in str(exc.problem):
        tab = lines[mark.line].find("\t") if mark and mark.line < len(lines) else -1
        return SourceError(
            Location(path, line, tab + 1 if tab >= 0 else column),
            "tabs are not allowed; indent with spaces",
            hint="replace the tab with spaces (two per level, as in the other lines)",
        )
    problem = str(exc.problem)
    if "mapping values are not allowed" in problem:
        return SourceError(
            where,
            "this ': ' cannot be read here: either the line is indented by mistake, or it is text that needs quotes",
            hint="start each field at the left margin, and put quotes around text that contains "
            "': ', e.g. title: \"Sudan: the next steps\"",
        )
    if "cannot start any token" in problem and here:
        return SourceError(
            where,
            f"a value cannot start with '{here}' unless it is in quotes",
            hint=f'put quotes around the whole value, e.g. title: "{here}..."',
        )
    if "did not find expected key" in problem or "expected <block end>" in problem:
        return SourceError(
            where,
            "this line is not indented like the lines above it",
            hint="line up the items of a list ('- ...') under each other, and start each field at the left margin",
        )
    return SourceError(
        where,
        f"front matter is not valid YAML: {exc.problem}",
        hint="check indentation, colons and quotes; quote text that contains ': '",
    )


def _refuse_aliases(path: Path, root: yaml.Node, first_line: int) -> None:
    """YAML anchors/aliases let a few lines expand into gigabytes; notes never need them."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise SourceError(
                Location(path, first_line + node.start_mark.line),
                "YAML anchors and aliases (& and *) are not allowed in front matter",
                hint="write the value out in full",
            )
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def schema_problems(
    front: FrontMatter, exc: ValidationError, schema: type[BaseModel] | type, hints: dict[str, str]
) -> list[SourceError]:
    """Pydantic's findings as SourceErrors at the line of the field (or list item / mapping key), each
    said in the author's terms (`plain_message`): never the schema's own words. One per place: a value
    that fails both arms of `date | datetime` is one mistake."""
    problems: list[SourceError] = []
    seen: set[tuple[str | None, object]] = set()
    for error in exc.errors():
        loc = error["loc"]
        raw = front.values.get(str(loc[0])) if loc else None
        if isinstance(raw, dict) and len(loc) > 1 and isinstance(loc[1], int) and loc[1] < len(raw):
            loc = error["loc"] = (loc[0], str(list(raw)[loc[1]]))  # a mapping read as pairs: name its key
        name = str(loc[0]) if loc else None
        index = loc[1] if len(loc) > 1 and isinstance(loc[1], int | str) else None
        if (name, index) in seen:
            continue
        seen.add((name, index))
        message, hint = plain_message(error, schema, hints)
        problems.append(
            SourceError(
                front.location(name, index) if name in front.key_lines else Location(front.path, 1),
                message,
                field=name,
                hint=hint,
            )
        )
    return problems


# how an author names one item of a list field ("key point 2", "author 1")
ITEM_NOUNS = {
    "key_points": "key point",
    "countries": "country",
    "aliases": "alias",
    "answers": "request id",
    "authors": "author",
    "updates": "update",
    "tools": "tool",
    "workstreams": "workstream",
    "recommendations": "recommendation",
}
_DATE_TYPES = {
    "date_type",
    "date_parsing",
    "date_from_datetime_parsing",
    "date_from_datetime_inexact",
    "datetime_type",
    "datetime_parsing",
    "datetime_from_date_parsing",
    "date_future",
    "date_past",
}
_WRONG_VALUE = {
    "string_type",
    "model_type",
    "model_attributes_type",
    "dict_type",
    "arguments_type",
    "bool_type",
    "bool_parsing",
    "literal_error",
    "string_pattern_mismatch",
    "enum",
}
_NUMBER_TYPES = {
    "int_type",
    "int_parsing",
    "int_from_float",
    "float_type",
    "float_parsing",
    "decimal_type",
    "decimal_parsing",
}


def plain_message(error: ErrorDetails, schema: type[BaseModel] | type, hints: dict[str, str]) -> tuple[str, str | None]:
    """(message, hint) for one pydantic error, in the words of someone writing front matter."""
    loc, kind, value, ctx = error["loc"], error["type"], error.get("input"), error.get("ctx") or {}
    name = str(loc[0]) if loc else ""
    hint = hints.get(name)
    noun = ITEM_NOUNS.get(name, name.replace("_", " ").removesuffix("s"))
    place = _place(loc, noun)
    if kind in {"extra_forbidden", "unexpected_keyword_argument"} and len(loc) == 1:
        return _unknown(name, list(_fields_of(schema)))
    if kind in {"extra_forbidden", "unexpected_keyword_argument"}:
        return f"{noun} {loc[1] + 1 if isinstance(loc[1], int) else loc[1]} has an unknown field '{loc[-1]}'", hint
    if kind in {"missing", "missing_argument"}:
        return ("this required field is missing" if len(loc) == 1 else f"{place} is missing"), hint
    if kind in {"list_type", "tuple_type"}:
        return (
            f"this must be a list, even of one item; here it is {_described(value)}",
            f"write `{name}: [{_scalar(value)}]`, or put the item on its own line under it as '  - {_scalar(value)}'",
        )
    if kind in {"too_short", "too_long"}:
        low, high = _length_limits(schema, name)
        count = ctx.get("actual_length", len(value) if isinstance(value, list | dict) else 0)
        need = f"{low} to {high}" if high is not None else f"at least {low}"
        return f"there {'is' if count == 1 else 'are'} {count} {_plural(noun, count)}; {need} are needed", hint
    if kind in _WRONG_VALUE or kind in _DATE_TYPES or kind in _NUMBER_TYPES:
        exact = _case_hint(value, ctx) if kind == "literal_error" else None
        return _wrong_value(kind, place, value, ctx), exact or hint or _value_hint(kind, ctx)
    if kind == "string_too_short":
        return f"{place} is empty", hint
    if kind == "string_too_long":
        return f"{place} has {len(str(value))} characters; the limit is {ctx.get('max_length')}", hint
    if kind in {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}:
        bound = {
            "greater_than": "more than",
            "greater_than_equal": "at least",
            "less_than": "less than",
            "less_than_equal": "at most",
        }[kind]
        limit = next(iter(ctx.values()), "")
        return f"{place} is {_described(value)}; it must be {bound} {limit}", hint
    if kind in {"value_error", "assertion_error"}:  # council's own validators already speak plainly
        message = error["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
        # an item's validator says "this key point ..."; here we know which one it is
        return message.replace(f"this {noun}", place, 1) if len(loc) > 1 else message, hint
    return f"{place} cannot be {_described(value)}", hint  # a type no note has reached yet: still no jargon


def _place(loc: tuple, noun: str) -> str:
    """What the author calls the spot: "key point 2", "'date' of update 1", "the value of 'counter-terrorism'"."""
    if len(loc) > 2 and isinstance(loc[1], int):  # inside one item of a list of mappings: updates[0].date
        return f"'{loc[2]}' of {noun} {loc[1] + 1}"
    if len(loc) > 1 and isinstance(loc[1], int):
        return f"{noun} {loc[1] + 1}"
    if len(loc) > 1 and loc[1] != "[key]":
        return f"the value of '{loc[1]}'"
    return "the value"


def _wrong_value(kind: str, place: str, value: object, ctx: dict) -> str:
    if kind == "literal_error":
        return f"{place} is {_described(value)}; it must be one of: {_choices(ctx).replace(chr(39), '')}"
    if kind in _DATE_TYPES:
        if kind == "date_from_datetime_inexact":
            return f"{place} is a date and time; it must be a date only"
        return f"{place} is {_described(value)}, not a date"
    if kind in _NUMBER_TYPES:
        return f"{place} is {_described(value)}, not a whole number"
    if kind in {"bool_type", "bool_parsing"}:
        return f"{place} is {_described(value)}; write true or false"
    if kind == "string_pattern_mismatch":
        return f"{place} '{value}' is not in the expected form"
    if kind in {"model_type", "model_attributes_type", "dict_type", "arguments_type"}:
        return f"{place} is {_described(value)}; it must be a set of 'name: value' pairs"
    return f"{place} is {_described(value)}, not text"


def _case_hint(value: object, ctx: dict) -> str | None:
    """`status: Published`: the right word in the wrong case."""
    choices = [c.strip("'") for c in _choices(ctx).split(", ")]
    same = [c for c in choices if isinstance(value, str) and c.casefold() == value.strip().casefold()]
    return f"write '{same[0]}' exactly as shown: the case matters" if same else None


def _value_hint(kind: str, ctx: dict) -> str | None:
    if kind == "literal_error":
        return f"use one of: {_choices(ctx)}"
    if kind in _DATE_TYPES:
        return "write dates as YYYY-MM-DD, e.g. 2026-03-14"
    if kind == "string_type":
        return "put quotes around it if it should be read as text"
    return None


def _choices(ctx: dict) -> str:
    return str(ctx.get("expected", "")).replace(" or ", ", ")


def _described(value: object) -> str:
    """A value as an author would name what they wrote."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"'{str(value).lower()}' (yes/no)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, dt.datetime):
        return f"the date and time {value.isoformat()}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of 'name: value' lines"
    return f"'{value}'"


def _scalar(value: object) -> str:
    return str(value) if isinstance(value, str | int | float) and not isinstance(value, bool) else "..."


def _plural(noun: str, count: int) -> str:
    if count == 1:
        return noun
    return noun[:-1] + "ies" if noun.endswith("y") else noun + ("es" if noun.endswith("s") else "s")


def unknown_field(front: FrontMatter, name: str, known: Iterable[str]) -> SourceError:
    """A key the schema does not have, at its line, with the nearest known one."""
    message, hint = _unknown(name, list(known))
    return SourceError(front.location(name), message, field=name, hint=hint)


def _unknown(name: str, known: list[str]) -> tuple[str, str]:
    guess = nearest(name, known)
    return f"unknown field '{name}'", f"did you mean '{guess[0]}'?" if guess else f"known fields: {', '.join(known)}"


def _fields_of(schema: type) -> dict[str, FieldInfo]:
    """A model's fields, or a pydantic dataclass's (the Briefing)."""
    found = getattr(schema, "model_fields", None)
    return found if isinstance(found, dict) else getattr(schema, "__pydantic_fields__", {})


def _length_limits(schema: type, name: str) -> tuple[int, int | None]:
    info = _fields_of(schema).get(name)
    low, high = 0, None
    for rule in info.metadata if info else ():
        low = getattr(rule, "min_length", None) or low
        high = getattr(rule, "max_length", None) or high
    return low, high
