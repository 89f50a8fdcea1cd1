"""Split a Markdown note into YAML front matter and body, keeping line numbers for every field."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from council.errors import Location, SourceError
from council.vocabularies import nearest

MAX_FRONT_MATTER_CHARS = 64 * 1024
FENCE = "---"
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: same result, faster


@dataclass(frozen=True)
class FrontMatter:
    path: Path
    values: dict[str, Any]
    key_lines: dict[str, int]                 # field -> line of its key
    item_lines: dict[tuple[str, int | str], int] = field(default_factory=dict)  # (field, index or key) -> line
    end_line: int = 0                         # line of the closing fence

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
        raise SourceError(Location(path, 1), "the file is empty",
                          hint="start with front matter between '---' lines; `council new \"Title\"` makes one")
    if lines[0].rstrip() != FENCE:
        raise SourceError(Location(path, 1), "the file does not start with front matter ('---' on the first line)",
                          hint="add a YAML block between '---' lines at the top; `council new \"Title\"` shows one")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (FENCE, "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2
    raise SourceError(Location(path, 1), "the front matter is never closed",
                      hint="end the YAML block with a line holding only '---'")


def parse_front_matter(path: Path, yaml_text: str, *, first_line: int, end_line: int) -> FrontMatter:
    if len(yaml_text) > MAX_FRONT_MATTER_CHARS:
        raise SourceError(Location(path, first_line), f"front matter is over {MAX_FRONT_MATTER_CHARS} characters",
                          hint="front matter holds metadata only; move long text into the body")
    try:
        node = yaml.compose(yaml_text, Loader=_SAFE_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark else first_line
        column = mark.column + 1 if mark else None
        raise SourceError(Location(path, line, column), f"front matter is not valid YAML: {exc.problem}",
                          hint="check indentation, colons and quotes; quote text that contains ': '") from None
    if node is None:
        return FrontMatter(path, {}, {}, end_line=end_line)
    if not isinstance(node, yaml.MappingNode):
        raise SourceError(Location(path, first_line), "front matter must be a set of 'key: value' lines")
    _refuse_aliases(path, node, first_line)
    values: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    item_lines: dict[tuple[str, int | str], int] = {}
    constructor = yaml.SafeLoader("")
    for key_node, value_node in node.value:
        key = str(key_node.value)
        line = first_line + key_node.start_mark.line
        if key in values:
            raise SourceError(Location(path, line), f"'{key}' is given twice (first on line {key_lines[key]})",
                              field=key, hint="keep one of them")
        try:
            values[key] = constructor.construct_object(value_node, deep=True)
        except (ValueError, yaml.constructor.ConstructorError) as exc:  # e.g. date: 2026-13-01
            raise SourceError(Location(path, first_line + value_node.start_mark.line),
                              f"'{key}' cannot be read: {exc}", field=key,
                              hint="write dates as YYYY-MM-DD with a real month and day") from None
        key_lines[key] = line
        if isinstance(value_node, yaml.SequenceNode):
            for index, item in enumerate(value_node.value):
                item_lines[(key, index)] = first_line + item.start_mark.line
        elif isinstance(value_node, yaml.MappingNode):  # e.g. intersections: {workstream: synergy}
            for sub_key, _ in value_node.value:
                item_lines[(key, str(sub_key.value))] = first_line + sub_key.start_mark.line
    return FrontMatter(path, values, key_lines, item_lines, end_line)


def _refuse_aliases(path: Path, root: yaml.Node, first_line: int) -> None:
    """YAML anchors/aliases let a few lines expand into gigabytes; notes never need them."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise SourceError(Location(path, first_line + node.start_mark.line),
                              "YAML anchors and aliases (& and *) are not allowed in front matter",
                              hint="write the value out in full")
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def schema_problems(front: FrontMatter, exc: ValidationError, schema: type[BaseModel],
                    hints: dict[str, str]) -> list[SourceError]:
    """Pydantic's findings as SourceErrors at the line of the field (or list item / mapping key)."""
    problems = []
    for error in exc.errors():
        loc = error["loc"]
        name = str(loc[0]) if loc else None
        index = loc[1] if len(loc) > 1 and isinstance(loc[1], int | str) else None
        message = error["msg"].removeprefix("Value error, ")
        hint = hints.get(name or "")
        if error["type"] == "extra_forbidden":
            known = list(schema.model_fields)
            guess = nearest(name or "", known)
            message = f"unknown field '{name}'"
            hint = f"did you mean '{guess[0]}'?" if guess else f"known fields: {', '.join(known)}"
        elif error["type"] == "missing":
            message = "this required field is missing"
        problems.append(SourceError(front.location(name, index) if name in front.key_lines else Location(front.path, 1),
                                    message, field=name, hint=hint))
    return problems
