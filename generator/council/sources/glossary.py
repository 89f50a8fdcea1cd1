"""glossary.yml: the acronyms and terms briefings use, each with its expansion and a one-line definition.
Validated by `council check`; used for the hints of the house-style checks and for abbreviations in every
format (the site's <abbr> marks and Glossary page, the Abbreviations box of the PDF and Word file)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from council.base.errors import Location, SourceError
from council.base.model import Briefing
from council.sources.prose import prose_lines
from council.sources.safety import plain_text_problem
from council.sources.text import read_source_text

DEFINITION_MAX_WORDS = 40
TERM_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9]{1,15}$")
FIELDS = ("term", "expansion", "definition")


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    expansion: str
    definition: str
    line: int


def load_glossary(path: Path) -> tuple[dict[str, GlossaryEntry], list[SourceError]]:
    """Every entry keyed by term, and every problem found (a missing file is an empty glossary)."""
    if not path.exists():
        return {}, []
    try:
        node = yaml.compose(read_source_text(path, path.parent), Loader=yaml.SafeLoader)  # beside council.yml
    except SourceError as error:
        return {}, [error]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return {}, [
            SourceError(
                Location(path, mark.line + 1 if mark else 1),
                f"not valid YAML: {exc.problem}",
                hint="check indentation, colons and quotes",
            )
        ]
    if node is None:
        return {}, []
    if not isinstance(node, yaml.SequenceNode):
        return {}, [
            SourceError(
                Location(path, 1),
                "the glossary must be a list of entries",
                hint="write '- term: AIA' then 'expansion:' and 'definition:' lines under it",
            )
        ]
    entries: dict[str, GlossaryEntry] = {}
    problems: list[SourceError] = []
    for item in node.value:
        entry, found = _entry(path, item)
        problems.extend(found)
        if entry is None:
            continue
        if entry.term in entries:
            problems.append(
                SourceError(
                    Location(path, entry.line),
                    f"'{entry.term}' is in the glossary twice (first on line {entries[entry.term].line})",
                    field="term",
                    hint="keep one entry per term",
                )
            )
            continue
        entries[entry.term] = entry
    return entries, problems


def _entry(path: Path, node: yaml.Node) -> tuple[GlossaryEntry | None, list[SourceError]]:
    line = node.start_mark.line + 1
    where = Location(path, line)
    if not isinstance(node, yaml.MappingNode):
        return None, [
            SourceError(
                where,
                "a glossary entry must have term, expansion and definition",
                hint="write '- term: AIA', 'expansion: ...' and 'definition: ...'",
            )
        ]
    values: dict[str, str] = {}
    problems = []
    for key_node, value_node in node.value:
        key, at = str(key_node.value), Location(path, key_node.start_mark.line + 1)
        if key not in FIELDS:
            problems.append(
                SourceError(at, f"unknown field '{key}'", field=key, hint="use term, expansion and definition")
            )
        elif not isinstance(value_node, yaml.ScalarNode) or not str(value_node.value).strip():
            problems.append(SourceError(at, "must be a line of text", field=key))
        else:
            values[key] = " ".join(str(value_node.value).split())
            complaint = plain_text_problem(values[key])
            if complaint:
                problems.append(
                    SourceError(at, complaint, field=key, hint="write plain text; markup is added by council")
                )
    for name in FIELDS:
        if name not in values and not any(p.field == name for p in problems):
            problems.append(SourceError(where, "this required field is missing", field=name))
    term = values.get("term", "")
    if term and not TERM_PATTERN.match(term):
        problems.append(
            SourceError(
                where,
                f"'{term}' is not a term council can find in text",
                field="term",
                hint="a term is one word of 2 to 16 letters and digits, such as R2P or CoI",
            )
        )
    words = len(values.get("definition", "").split())
    if words > DEFINITION_MAX_WORDS:
        problems.append(
            SourceError(
                where,
                f"the definition has {words} words; the limit is {DEFINITION_MAX_WORDS}",
                field="definition",
                hint="one plain sentence is enough",
            )
        )
    if problems:
        return None, problems
    return GlossaryEntry(term, values["expansion"], values["definition"], line), []


def terms_used(
    briefing: Briefing, glossary: dict[str, GlossaryEntry], *, body_only: bool = False
) -> list[GlossaryEntry]:
    """The glossary's terms a briefing uses (a plural 's' counts), in order of first use: summary, key points,
    then the body's prose (code and comments are not prose)."""
    if not glossary:
        return []
    pattern = _terms_pattern(tuple(sorted(glossary, key=lambda t: (-len(t), t))))
    front: Iterable[str] = () if body_only else (briefing.summary, *briefing.key_points)
    texts = [*front, *(line.text for line in prose_lines(briefing.body, skip_comments=True))]
    seen: dict[str, GlossaryEntry] = {}
    for text in texts:
        for match in pattern.finditer(text):
            seen.setdefault(match.group(1), glossary[match.group(1)])
    return list(seen.values())


@lru_cache(maxsize=8)
def _terms_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, terms)) + r")s?(?![\w-])")
