"""The straightforward house-style checks, as first written (line by line, pyphen loaded whole): the reference
the fast checks in council/sources/house_style.py must agree with, finding for finding (test_house_style_cost.py).
Kept verbatim apart from this docstring; change it only when a check's meaning changes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from itertools import chain
from pathlib import Path
from typing import NamedTuple

from council.base.config import HouseStyleLimits, ProjectConfig
from council.base.errors import Location, SourceError
from council.base.model import Briefing
from council.sources.glossary import GlossaryEntry
from council.sources.prose import prose_lines
from council.sources.text import PLACEHOLDERS, read_source_text

CODES = ("placeholder", "long-sentence", "long-key-point", "acronym", "readability", "long-body")
_ALLOW = re.compile(r"(?:<!--|#)\s*style:\s*allow\b\s*([A-Za-z-]*)\s*(?::\s*(.*?))?\s*(?:-->|$)")
_ACRONYM = r"[A-Z][A-Z0-9]*[A-Z][A-Z0-9]*"  # two or more capitals, digits allowed: UPR, R2P
_ROMAN = re.compile(r"^[IVXLCDM]+$")
# a sentence ends at . ! or ? (after any closing quote or bracket) before a space and a capital or digit;
# not the full stop of an abbreviation (Dr., e.g., p. 4) or of an initial (J. Smith, U.S.)
_ABBREVIATIONS = (
    "e.g",
    "i.e",
    "Dr",
    "Mr",
    "Mrs",
    "Ms",
    "Prof",
    "St",
    "No",
    "no",
    "nos",
    "p",
    "pp",
    "para",
    "paras",
    "v",
    "vs",
    "cf",
    "Art",
    "art",
    "arts",
    "ch",
    "Vol",
    "Sec",
    "Rev",
    "Jr",
    "Sr",
    "Gen",
    "Col",
    "Lt",
    "Capt",
)
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_NOT_AN_END = re.compile(r"(?:\b(?:" + "|".join(map(re.escape, _ABBREVIATIONS)) + r")|\b[A-Z])\.\S*\s+$")
_PUNCTUATION = "\"'“”‘’()[]{}.,;:!?…–—-/*"
_MARKUP = [  # (a character the markup needs, pattern, replacement): most lines need few of them
    ("[", re.compile(r"\[-?@[^\]]*\]"), ""),  # citations [@key, p 4]
    ("@", re.compile(r"(?<![\w@\\])@[\w:.#$%&+?<>~/-]+"), ""),  # bare citations @key
    ("[", re.compile(r"\[\^[^\]]+\]"), ""),  # footnote marks
    ("[", re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links and images: their text
    ("[", re.compile(r"\[([^\]]*)\]\{[^}]*\}"), r"\1"),  # spans: [Київ]{lang=uk}
    ("<", re.compile(r"<[^>]*>"), ""),  # inline HTML
    ("*", re.compile(r"[*_]{1,3}(?=\S)|(?<=\S)[*_]{1,3}"), ""),  # emphasis marks
    ("_", re.compile(r"[*_]{1,3}(?=\S)|(?<=\S)[*_]{1,3}"), ""),
]
_BLOCK_START = re.compile(r"^\s{0,3}(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|\[\^[^\]]+\]:\s*|>\s?)")
_SKIP_LINE = re.compile(r"^\s*(?:\||:::|<|\[\^?[^\]]*\]:\s*\S+\s*$|[-=*_]{3,}\s*$)")


@dataclass(frozen=True)
class Unit:
    """A paragraph, heading or list item as plain text, with the file line each of its pieces starts on."""

    text: str
    starts: tuple[tuple[int, int], ...]  # (offset in text, file line)
    heading: bool = False

    def line_at(self, offset: int) -> int:
        line = self.starts[0][1]
        for start, number in self.starts:
            if start > offset:
                break
            line = number
        return line


class Sentence(NamedTuple):
    text: str
    line: int
    tokens: list[str]  # its words, as a word processor counts them (runs of text between spaces)

    @property
    def words(self) -> int:
        return len(self.tokens)


@dataclass
class StyleReport:
    """What the checks found in one briefing, for `council check` and `council style`."""

    briefing: Briefing
    words: int = 0
    longest_sentence: int = 0
    summary_ease: float | None = None
    body_ease: float | None = None
    findings: list[SourceError] = field(default_factory=list)


def plain(text: str) -> str:
    for needed, pattern, replacement in _MARKUP:
        if needed in text:
            text = pattern.sub(replacement, text)
    return text


def body_units(briefing: Briefing) -> list[Unit]:
    """The body's prose, block by block, without code, comments, tables or markup."""
    units: list[Unit] = []
    parts: list[tuple[str, int]] = []
    heading = False

    def close() -> None:
        nonlocal parts, heading
        if not parts:  # blank lines between blocks: nothing to close
            heading = False
            return
        text, starts = "", []
        for piece, line in parts:
            if piece:
                starts.append((len(text), line))
                text += piece + " "
        if text:
            units.append(Unit(text.rstrip(), tuple(starts), heading))
        parts, heading = [], False

    for prose in prose_lines(briefing.body, skip_comments=True):
        line = briefing.body_start_line + prose.offset
        text = prose.text
        if prose.fence_info is not None or not text.strip() or _SKIP_LINE.match(text):
            close()
            continue
        start = _BLOCK_START.match(text)
        if start:
            marker = start.group(0).strip()
            if not marker.startswith(">"):  # a quotation's lines run on; a heading or item starts afresh
                close()
            heading = marker.startswith("#")
            text = text[start.end() :]
        parts.append((plain(text).strip(), line))
        if heading:
            close()
    close()
    return units


def sentences(unit: Unit) -> list[Sentence]:
    text = unit.text
    ends = [
        end.end()
        for end in _SENTENCE_END.finditer(text)
        if text[end.start()] != "." or not _NOT_AN_END.search(text, max(0, end.start() - 6), end.end())
    ]
    if len(unit.starts) == 1:  # most blocks are one line: every sentence starts on it
        line = unit.starts[0][1]
        return [
            Sentence(text[a:b].strip(), line, text[a:b].split())
            for a, b in zip([0, *ends], [*ends, len(text)], strict=True)
            if a < b
        ]
    return [
        Sentence(text[a:b].strip(), unit.line_at(a), text[a:b].split())
        for a, b in zip([0, *ends], [*ends, len(text)], strict=True)
        if a < b
    ]


def word_count(text: str) -> int:
    return len(text.split())


@cache
def _hyphenator():  # type: ignore[no-untyped-def]
    """British English hyphenation patterns (pyphen, the dictionary textstat uses), loaded once."""
    import pyphen

    return pyphen.Pyphen(lang="en_GB")


class _Syllables(dict[str, int]):
    """textstat's estimate: one more syllable than the places a word can be hyphenated. Kept per word, since
    an archive reuses its vocabulary (hyphenating is most of the checks' cost)."""

    def __missing__(self, token: str) -> int:
        if len(self) > 1 << 17:  # a bound on memory for very large archives
            self.clear()
        count = self[token] = len(_hyphenator().positions(token.strip(_PUNCTUATION).lower())) + 1
        return count


SYLLABLES = _Syllables()


def reading_ease(passage: list[Sentence]) -> float | None:
    """Flesch reading ease: 206.835 − 1.015 × words per sentence − 84.6 × syllables per word."""
    words = sum(len(sentence.tokens) for sentence in passage)
    if not words:
        return None
    syllables = sum(map(SYLLABLES.__getitem__, chain.from_iterable(sentence.tokens for sentence in passage)))
    return 206.835 - 1.015 * words / len(passage) - 84.6 * syllables / words


def check_briefing(
    briefing: Briefing,
    limits: HouseStyleLimits,
    glossary: dict[str, GlossaryEntry],
    *,
    strict: bool = False,
    units: list[Unit] | None = None,
) -> StyleReport:
    units = body_units(briefing) if units is None else units
    report = StyleReport(briefing)
    found: list[tuple[str, int, str, str]] = []  # (code, line, message, hint)
    path = briefing.path
    (summary_line,) = briefing.lines_of("summary") or (briefing.body_start_line,)
    point_lines = briefing.lines_of("key_points") or (summary_line,) * len(briefing.key_points)
    author_lines = briefing.lines_of("authors") or (summary_line,) * len(briefing.authors)

    # placeholders left from `council new`
    replace = "replace the template's text with your own"
    if briefing.summary == PLACEHOLDERS["summary"]:
        found.append(("placeholder", summary_line, "the summary is still the template's placeholder", replace))
    for point, line in zip(briefing.key_points, point_lines, strict=False):
        if point in PLACEHOLDERS["key_points"]:
            found.append(("placeholder", line, f"key point '{point}' is the template's placeholder", replace))
    for author, line in zip(briefing.authors, author_lines, strict=False):
        if author == PLACEHOLDERS["author"]:
            found.append(
                (
                    "placeholder",
                    line,
                    f"the author '{author}' is the template's placeholder",
                    "give the author's name as it should appear",
                )
            )
    for unit in units:
        if PLACEHOLDERS["body"] in unit.text:
            found.append(
                (
                    "placeholder",
                    unit.line_at(unit.text.index(PLACEHOLDERS["body"])),
                    f"the body still says '{PLACEHOLDERS['body']}'",
                    replace,
                )
            )

    # sentences and key points
    body_sentences = [sentence for unit in units if not unit.heading for sentence in sentences(unit)]
    for sentence in body_sentences:
        words = sentence.words
        report.longest_sentence = max(report.longest_sentence, words)
        if words > limits.sentence_max_words:
            found.append(
                (
                    "long-sentence",
                    sentence.line,
                    f"a sentence of {words} words (the limit is {limits.sentence_max_words}): '{_clip(sentence.text)}'",
                    "split it in two, or cut words readers do not need",
                )
            )
    for point, line in zip(briefing.key_points, point_lines, strict=False):
        words = word_count(point)
        if words > limits.key_point_max_words:
            found.append(
                (
                    "long-key-point",
                    line,
                    f"a key point of {words} words (the limit is {limits.key_point_max_words}): '{_clip(point)}'",
                    "keep one idea per key point",
                )
            )

    # acronyms: spelt out before first use (the summary and key points are read first)
    ordered = [
        (briefing.summary, None, summary_line),
        *((point, None, line) for point, line in zip(briefing.key_points, point_lines, strict=False)),
        *((unit.text, unit, 0) for unit in units),
    ]
    found.extend(_acronym_findings(ordered, limits, glossary))

    # readability and length
    report.words = sum(s.words for s in body_sentences) + sum(word_count(u.text) for u in units if u.heading)
    report.summary_ease = reading_ease(list(sentences(Unit(briefing.summary, ((0, summary_line),)))))
    report.body_ease = reading_ease(body_sentences)
    first_body_line = units[0].line_at(0) if units else briefing.body_start_line
    for name, score, line in (
        ("summary", report.summary_ease, summary_line),
        ("body", report.body_ease, first_body_line),
    ):
        if score is not None and score < limits.min_reading_ease:
            found.append(
                (
                    "readability",
                    line,
                    f"the {name} scores {score:.1f} for Flesch reading ease (the "
                    f"minimum is {limits.min_reading_ease:g}; higher is easier)",
                    "use shorter sentences and everyday words",
                )
            )
    if report.words > limits.body_max_words:
        found.append(
            (
                "long-body",
                first_body_line,
                f"the body has {report.words} words (the limit is {limits.body_max_words:,}, a POSTnote's length)",
                "cut it, or split it into two briefings",
            )
        )

    report.findings = _apply_allowances(path, found, strict)
    return report


def _acronym_findings(
    ordered: list[tuple[str, Unit | None, int]], limits: HouseStyleLimits, glossary: dict[str, GlossaryEntry]
) -> list[tuple[str, int, str, str]]:
    pattern, candidate = _acronym_pattern(tuple(sorted(t for t in glossary if not re.fullmatch(_ACRONYM, t))))
    if not candidate.search("\n".join(text for text, _, _ in ordered)):
        return []  # most prose has no run of capitals at all: one quick scan says so
    known = set(limits.well_known)
    defined: set[str] = set()
    reported: set[str] = set()
    found = []
    for text, unit, first_line in ordered:
        if not candidate.search(text):
            continue
        for match in pattern.finditer(text):
            term = match.group(1)
            if term in known or term in reported or _ROMAN.match(term):
                continue
            start, end = match.start(), match.end()
            if text[start - 1 : start] == "(" and text[end : end + 1] == ")" or text[end : end + 2] == " (":
                defined.add(term)  # "Atrocity Impact Assessment (AIA)" or "AIA (Atrocity Impact Assessment)"
                continue
            if term in defined:
                continue
            reported.add(term)
            entry = glossary.get(term)
            hint = (
                f"write '{entry.expansion} ({term})' the first time"
                if entry
                else f"write it out in full the first time, followed by ({term})"
            )
            found.append(
                (
                    "acronym",
                    unit.line_at(match.start()) if unit else first_line,
                    f"'{term}' is used before it is spelt out",
                    hint,
                )
            )
    return found


@cache
def _acronym_pattern(mixed_terms: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The acronyms (and the glossary's mixed-case terms such as CoI), and a quicker test for any of them."""
    alternatives = "|".join([*map(re.escape, mixed_terms), _ACRONYM])
    return re.compile(rf"\b({alternatives})s?\b"), re.compile(alternatives)


def _apply_allowances(path: Path, found: list[tuple[str, int, str, str]], strict: bool) -> list[SourceError]:
    """Drop findings an author has allowed with a reason; a directive without one is itself a finding."""
    text = read_source_text(path)
    allowed: set[tuple[str, int]] = set()
    findings = []
    for number, line in enumerate(text.split("\n"), 1):
        if "style:" not in line:
            continue
        for match in _ALLOW.finditer(line):
            code, reason = match.group(1), (match.group(2) or "").strip()
            if code not in CODES:
                findings.append(
                    SourceError(
                        Location(path, number),
                        f"'style: allow {code}' names no house-style check",
                        hint=f"use one of: {', '.join(CODES)}",
                        warning=not strict,
                    )
                )
            elif not reason:
                findings.append(
                    SourceError(
                        Location(path, number),
                        f"'style: allow {code}' gives no reason",
                        hint=f"write <!-- style: allow {code}: why this one is right -->",
                        warning=not strict,
                    )
                )
            else:
                allowed.update({(code, number), (code, number + 1)})
    for code, line, message, hint in found:
        if (code, line) not in allowed:
            findings.append(SourceError(Location(path, line), f"{message} [{code}]", hint=hint, warning=not strict))
    return findings


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def check_house_style(
    config: ProjectConfig, briefings: list[Briefing], glossary: dict[str, GlossaryEntry], *, strict: bool = False
) -> tuple[list[StyleReport], list[SourceError]]:
    """Every briefing's report, and all their findings (the glossary was validated with the sources)."""
    reports = [check_briefing(b, config.house_style, glossary, strict=strict) for b in briefings]
    return reports, [f for r in reports for f in r.findings]
