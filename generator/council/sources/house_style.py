"""House style: the prose checks a briefing's readers would feel (GOV.UK content design, POSTnotes).

Findings are warnings unless `council check --strict`; each names the line, says what is wrong and what to
do. `<!-- style: allow CODE: reason -->` (in front matter `# style: allow CODE: reason`) on the line of a
finding, or on the line above it, silences that one finding; the reason is required.

Cost (issue 15: at most +10% on `council check`): the body is cleaned in whole-text passes rather than line by
line, sentences are counted without cutting them out, acronyms are found in one scan, the hyphenation patterns
are parsed only as words need them, and a file is re-read only for its allow directives. Every shortcut gives
what the straightforward version (tests/house_style_reference.py) gives, finding for finding.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import NamedTuple, Protocol

from council.base.config import HouseStyleLimits, ProjectConfig
from council.base.errors import Location, SourceError
from council.base.model import Briefing
from council.sources.glossary import GlossaryEntry
from council.sources.prose import prose_lines, prose_text
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
# emphasis marks: [*_]{1,3}(?=\S)|(?<=\S)[*_]{1,3}, written to start with the mark so that a search skips to it
# (the second branch is only tried for a lone mark before a space, so it takes that one mark)
_EMPHASIS = re.compile(r"[*_](?:[*_]{0,2}(?=\S)|(?<=\S[*_]))")
_MARKUP = [  # (a character the markup needs, pattern, replacement): most lines need few of them
    ("[", re.compile(r"\[-?@[^\]]*\]"), ""),  # citations [@key, p 4]
    ("@", re.compile(r"(?<![\w@\\])@[\w:.#$%&+?<>~/-]+"), ""),  # bare citations @key
    ("[", re.compile(r"\[\^[^\]]+\]"), ""),  # footnote marks
    ("[", re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links and images: their text
    ("[", re.compile(r"\[([^\]]*)\]\{[^}]*\}"), r"\1"),  # spans: [Київ]{lang=uk}
    ("<", re.compile(r"<[^>]*>"), ""),  # inline HTML
    ("*", _EMPHASIS, ""),  # emphasis marks
    ("_", _EMPHASIS, ""),
]
# the same patterns but emphasis, for many lines at once: none may run past a line's end, as none can within one
# line, and each starts with a character a search can skip to (the originals' leading !? and look-behind cannot be)
_MARKUP_LINES = [
    (
        needed,
        re.compile(
            pattern.pattern.replace(r"[^\]]", r"[^\]\n]")
            .replace(r"[^)]", r"[^)\n]")
            .replace(r"[^}]", r"[^}\n]")
            .replace(r"[^>]", r"[^>\n]")
            .replace(r"!?\[", r"(?:!\[|\[)")
            .replace(r"(?<![\w@\\])@", r"@(?<![\w@\\]@)")
        ),
        replacement,
    )
    for needed, pattern, replacement in _MARKUP
    if pattern is not _EMPHASIS
]
_BLOCK_START = re.compile(r"^\s{0,3}(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|\[\^[^\]]+\]:\s*|>\s?)")
_SKIP_LINE = re.compile(r"^\s*(?:\||:::|<|\[\^?[^\]]*\]:\s*\S+\s*$|[-=*_]{3,}\s*$)")
_MARKER_CHARACTERS = frozenset("|:<[-=*_#+>0123456789")  # a line starting otherwise is running text
# both at once, in their order, each kind of block start named (the indentation allows one choice only)
_LINE_KIND = re.compile(
    r"(?P<skip>\s*(?:\||:::|<|\[\^?[^\]]*\]:\s*\S+\s*$|[-=*_]{3,}\s*$))"
    r"|(?P<heading>\s{0,3}#{1,6}\s+)|(?P<item>\s{0,3}(?:[-*+]\s+|\d+[.)]\s+))"
    r"|(?P<note>\s{0,3}\[\^[^\]]+\]:\s*)|(?P<quote>\s{0,3}>\s?)"
)


class Unit(NamedTuple):
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


_new_unit = tuple.__new__  # Unit(...) without the Python-level __new__ a NamedTuple has: blocks are many


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


def _plain_lines(text: str) -> str:
    """plain() of every line at once, but for emphasis (body_units() takes it line by line, as plain() does)."""
    for needed, pattern, replacement in _MARKUP_LINES:
        if needed in text:
            text = pattern.sub(replacement, text)
    return text


def _emphasis(line: str) -> str:
    """plain()'s last step: emphasis marks, run once for each of * and _ that the line holds."""
    if "*" in line:
        line = _EMPHASIS.sub("", line)
    if "_" in line:
        line = _EMPHASIS.sub("", line)
    return line


def body_units(briefing: Briefing) -> list[Unit]:
    """The body's prose, block by block, without code, comments, tables or markup."""
    text = prose_text(briefing.body, skip_comments=True)
    if text is None:
        return _body_units_by_line(briefing)
    units: list[Unit] = []
    parts: list[tuple[str, int]] = []  # the pieces of the block being read, with their lines
    line_number = briefing.body_start_line - 1
    for line, piece in zip(text.split("\n"), _plain_lines(text).split("\n"), strict=True):
        line_number += 1
        lead = line.lstrip()
        if not lead:  # a blank line ends a block
            if parts:
                _close(parts, False, units)
                parts = []
            continue
        if lead[0] in _MARKER_CHARACTERS or (lead[0] > "\x7f" and lead[0].isdecimal()):  # markup may start it
            kind = _LINE_KIND.match(line)
            if kind is not None:
                if kind.lastgroup != "quote" and parts:  # a quotation's lines run on; all else starts afresh
                    _close(parts, False, units)
                    parts = []
                if kind.lastgroup == "skip":
                    continue
                # the cleaned line past the marker is plain() of the line past it, but for a footnote's label,
                # which the footnote-mark pattern takes with the marker
                piece = plain(line[kind.end() :]) if kind.lastgroup == "note" else _emphasis(piece[kind.end() :])
                if kind.lastgroup == "heading":
                    _close([(piece.strip(), line_number)], True, units)
                else:
                    parts.append((piece.strip(), line_number))
                continue
        if "*" in piece or "_" in piece:
            piece = _emphasis(piece)
        parts.append((piece.strip(), line_number))
    if parts:
        _close(parts, False, units)
    return units


def _close(parts: list[tuple[str, int]], heading: bool, units: list[Unit]) -> None:
    if len(parts) == 1:  # most blocks are one line
        piece, line = parts[0]
        if piece:
            units.append(_new_unit(Unit, (piece, ((0, line),), heading)))
        return
    text, starts = "", []
    for piece, line in parts:
        if piece:
            starts.append((len(text), line))
            text += piece + " "
    if text:
        units.append(Unit(text.rstrip(), tuple(starts), heading))


def _body_units_by_line(briefing: Briefing) -> list[Unit]:
    """body_units() one line at a time, for bodies with code fences."""
    units: list[Unit] = []
    parts: list[tuple[str, int]] = []
    heading = False

    def close() -> None:
        nonlocal parts, heading
        if not parts:
            heading = False
            return
        _close(parts, heading, units)
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
            if not marker.startswith(">"):
                close()
            heading = marker.startswith("#")
            text = text[start.end() :]
        parts.append((plain(text).strip(), line))
        if heading:
            close()
    close()
    return units


def _ends(text: str, meetings: frozenset[int] | set[int] = frozenset()) -> list[int]:
    """Where each sentence of a stretch of text but the last ends (after the space that follows it), leaving
    out those at `meetings`."""
    ends = []
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if end in meetings:
            continue
        start = match.start()
        if text[start] == ".":
            # after seven lower-case letters no abbreviation or initial can end (none starts inside a word)
            before = text[start - 7 : start]
            if not (start >= 7 and before.isalpha() and before.islower()) and _NOT_AN_END.search(
                text, max(0, start - 6), end
            ):
                continue
        ends.append(end)
    return ends


def sentences(unit: Unit) -> list[Sentence]:
    text = unit.text
    ends = _ends(text)
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


class Prose(NamedTuple):
    """A passage's counts for readability, and its long sentences, without cutting every sentence out."""

    words: int
    sentences: int
    syllables: int
    longest: int
    long: list[Sentence]  # the sentences over the limit


def measure(units: list[Unit], limit: int) -> Prose:
    """All the units at once, joined by spaces into one text: an end found where one unit meets the next is
    no end within either (their meeting is a sentence break anyway), and no other end or abbreviation test
    reaches across a meeting, since neither crosses a space without ending at it."""
    if not units:
        return Prose(0, 0, 0, 0, [])
    text = " ".join(unit.text for unit in units)
    tokens = text.split()
    if " ".join(tokens) != text:  # other whitespace than one space between words: unit by unit
        return _measure_units(units, limit)
    meetings, offset = [], 0
    for unit in units:
        meetings.append(offset)
        offset += len(unit.text) + 1
    ends = _ends(text, set(meetings))
    cuts = sorted([*ends, *meetings[1:]]) if len(meetings) > 1 else ends
    # one space after each word: a sentence's words are its spaces (the last sentence's, one more)
    sizes = [text.count(" ", a, b) for a, b in zip([0, *cuts], cuts, strict=False)]
    sizes.append(text.count(" ", cuts[-1] if cuts else 0) + 1)
    longest = max(sizes)
    long = []
    if longest > limit:
        first = 0  # the sentence's first word among all the words
        for a, b, size in zip([0, *cuts], [*cuts, len(text)], sizes, strict=True):
            if size > limit:
                index = bisect_right(meetings, a) - 1
                long.append(
                    Sentence(text[a:b].strip(), units[index].line_at(a - meetings[index]), tokens[first : first + size])
                )
            first += size
    return Prose(len(tokens), len(ends) + len(units), sum(map(SYLLABLES.__getitem__, tokens)), longest, long)


def _measure_units(units: list[Unit], limit: int) -> Prose:
    words = count = syllables = longest = 0
    long: list[Sentence] = []
    for unit in units:
        text = unit.text
        tokens = text.split()
        words += len(tokens)
        syllables += sum(map(SYLLABLES.__getitem__, tokens))
        ends = _ends(text)
        count += len(ends) + 1  # no stretch between ends is empty: an end falls before a capital or digit
        sizes = [len(text[a:b].split()) for a, b in zip([0, *ends], [*ends, len(text)], strict=True)]
        longest = max(longest, *sizes)
        for a, b, size in zip([0, *ends], [*ends, len(text)], sizes, strict=True):
            if size > limit:
                long.append(Sentence(text[a:b].strip(), unit.line_at(a), text[a:b].split()))
    return Prose(words, count, syllables, longest, long)


def word_count(text: str) -> int:
    return len(text.split())


class _Patterns:
    """pyphen's British English hyphenation patterns (the dictionary textstat uses), read as pyphen reads them
    but each parsed only when a word first needs it: parsing all 14,000 at once would cost more than the checks.
    `syllables` is pyphen's `len(Pyphen(lang="en_GB").positions(word)) + 1`, textstat's estimate."""

    _IGNORED = ("%", "#", "LEFTHYPHENMIN", "RIGHTHYPHENMIN", "COMPOUNDLEFTHYPHENMIN", "COMPOUNDRIGHTHYPHENMIN")

    def __init__(self, path: Path) -> None:
        with path.open("rb") as fd:
            encoding = fd.readline().decode()
        text = path.read_text(encoding)
        keys = re.sub(r"[0-9]", "", text)  # a pattern's key is its letters: the digits are weights
        if "^^" in text or "/" in text or re.search(r"\d", keys) or re.search(r"(?m)^[^\S\n]|[^\S\n]$", text):
            # not so in en_GB: escapes, alternatives, other digits, spaces at a line's ends (pyphen strips them
            # before taking the digits out); pyphen then reads it all
            raise ValueError("patterns pyphen parses in other ways")
        lines = text.split("\n")[1:]
        no_weight = {m.group(0) for m in re.finditer(r"(?m)^[^1-9\n]*$", text)}  # pyphen skips them
        self.patterns: dict[str, object] = {
            key: line
            for key, line in zip(keys.split("\n")[1:], lines, strict=True)
            if line and line not in no_weight and not line.startswith(self._IGNORED)
        }
        self.maxlen = max(map(len, self.patterns))

    @staticmethod
    def _parse(pattern: str) -> tuple[int, tuple[int, ...]]:
        values = tuple(int(digit or "0") for digit, _ in re.findall(r"(\d?)(\D?)", pattern))
        start, end = 0, len(values)
        while not values[start]:
            start += 1
        while not values[end - 1]:
            end -= 1
        return start, values[start:end]

    def syllables(self, word: str) -> int:
        pointed = f".{word.lower()}."
        size = len(pointed)
        references = [0] * (size + 1)
        patterns, maxlen = self.patterns, self.maxlen
        for i in range(size - 1):
            for j in range(i + 1, min(i + maxlen, size) + 1):
                pattern = patterns.get(pointed[i:j])
                if pattern is None:
                    continue
                if pattern.__class__ is str:
                    pattern = patterns[pointed[i:j]] = self._parse(pattern)  # type: ignore[arg-type]
                offset, values = pattern  # type: ignore[misc]
                for k, value in enumerate(values, i + offset):
                    if value > references[k]:
                        references[k] = value
        right = len(word) - 2  # pyphen's default margins: two letters either side
        return 1 + sum(1 for i, reference in enumerate(references) if reference % 2 and 2 <= i - 1 <= right)


@cache
def _hyphenation() -> _Patterns | object:
    import pyphen

    path = pyphen.LANGUAGES[pyphen.language_fallback("en_GB")]
    try:
        return _Patterns(path)
    except ValueError:
        return pyphen.Pyphen(lang="en_GB")


def _syllables(word: str) -> int:
    hyphenation = _hyphenation()
    if isinstance(hyphenation, _Patterns):
        return hyphenation.syllables(word)
    return len(hyphenation.positions(word)) + 1  # type: ignore[attr-defined]


class _Syllables(dict[str, int]):
    """textstat's estimate: one more syllable than the places a word can be hyphenated. Kept per word, since
    an archive reuses its vocabulary."""

    def __missing__(self, token: str) -> int:
        if len(self) > 1 << 17:  # a bound on memory for very large archives
            self.clear()
        count = self[token] = _syllables(token.strip(_PUNCTUATION).lower())
        return count


SYLLABLES = _Syllables()


def reading_ease(passage: Prose) -> float | None:
    """Flesch reading ease: 206.835 − 1.015 × words per sentence − 84.6 × syllables per word."""
    if not passage.words:
        return None
    return 206.835 - 1.015 * passage.words / passage.sentences - 84.6 * passage.syllables / passage.words


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
    body = measure([unit for unit in units if not unit.heading], limits.sentence_max_words)
    report.longest_sentence = body.longest
    for sentence in body.long:
        found.append(
            (
                "long-sentence",
                sentence.line,
                f"a sentence of {sentence.words} words (the limit is {limits.sentence_max_words}): "
                f"'{_clip(sentence.text)}'",
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
    report.words = body.words + sum(word_count(u.text) for u in units if u.heading)
    report.summary_ease = reading_ease(
        measure([Unit(briefing.summary, ((0, summary_line),))], limits.sentence_max_words)
    )
    report.body_ease = reading_ease(body)
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
    """The texts in reading order, joined by line ends (which no term crosses), scanned once."""
    mixed_terms = _mixed_terms(frozenset(glossary))
    pattern = _acronym_pattern(mixed_terms)
    text = "\n".join(piece for piece, _, _ in ordered)
    words = _words_to_try(text, mixed_terms)
    if not words:
        return []  # most prose has no run of capitals at all: one quick scan says so
    starts = []
    offset = 0
    for piece, _, _ in ordered:
        starts.append(offset)
        offset += len(piece) + 1
    known = set(limits.well_known)
    defined: set[str] = set()
    reported: set[str] = set()
    found = []
    for word in words:
        match = pattern.match(text, word)
        if match is None:
            continue
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
        index = bisect_right(starts, start) - 1
        _, unit, first_line = ordered[index]
        entry = glossary.get(term)
        hint = (
            f"write '{entry.expansion} ({term})' the first time"
            if entry
            else f"write it out in full the first time, followed by ({term})"
        )
        found.append(
            (
                "acronym",
                unit.line_at(start - starts[index]) if unit else first_line,
                f"'{term}' is used before it is spelt out",
                hint,
            )
        )
    return found


def _words_to_try(text: str, mixed_terms: tuple[str, ...]) -> list[int]:
    """Where each word that holds a run of capitals (or a glossary term) starts, in order. A term the acronym
    pattern finds is a whole word (it starts and ends at a word boundary), so trying the pattern at the start
    of these words finds what a scan with it would, without trying it at every character."""
    # one byte a character (latin-1, anything else '?'), capitals as A and digits as 0: a run of capitals is
    # an A followed by A or 0, which a search for the byte A finds quickly
    shape = text.encode("latin-1", "replace").translate(_SHAPES)
    hits = {match.start() for match in _CAPITAL_RUN.finditer(shape)}
    for term in mixed_terms:
        if term in text:
            hits.update(match.start() for match in re.finditer(re.escape(term), text))
    words: list[int] = []
    for hit in sorted(hits):
        while hit and (text[hit - 1].isalnum() or text[hit - 1] == "_"):  # back to the word's start (\w)
            hit -= 1
        if not words or words[-1] != hit:
            words.append(hit)
    return words


_SHAPES = bytes(65 if 65 <= byte <= 90 else 48 if 48 <= byte <= 57 else 32 for byte in range(256))
_CAPITAL_RUN = re.compile(rb"A[A0]")


@cache
def _mixed_terms(glossary_terms: frozenset[str] | None = None) -> tuple[str, ...]:
    return tuple(sorted(t for t in glossary_terms or () if not re.fullmatch(_ACRONYM, t)))


@cache
def _acronym_pattern(mixed_terms: tuple[str, ...]) -> re.Pattern[str]:
    """The acronyms, and the glossary's mixed-case terms such as CoI."""
    alternatives = "|".join([*map(re.escape, mixed_terms), _ACRONYM])
    return re.compile(rf"\b({alternatives})s?\b")


def _apply_allowances(path: Path, found: list[tuple[str, int, str, str]], strict: bool) -> list[SourceError]:
    """Drop findings an author has allowed with a reason; a directive without one is itself a finding."""
    findings: list[SourceError] = []
    allowed: set[tuple[str, int]] = set()
    if _has_directive(path):
        for number, line in enumerate(read_source_text(path).split("\n"), 1):
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


def _has_directive(path: Path) -> bool:
    """Whether the file says 'style:' anywhere (its bytes do if its text does), read without decoding."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        return b"style:" in os.read(descriptor, os.fstat(descriptor).st_size + 1)
    finally:
        os.close(descriptor)


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


class KeptReports(Protocol):
    """Reports kept from earlier runs (sources/style_cache.py StyleCache): an unchanged note's is reused."""

    def report(
        self, briefing: Briefing, glossary: dict[str, GlossaryEntry], *, strict: bool = False
    ) -> StyleReport: ...

    def save(self) -> None: ...


def check_house_style(
    config: ProjectConfig,
    briefings: list[Briefing],
    glossary: dict[str, GlossaryEntry],
    *,
    strict: bool = False,
    cache: KeptReports | None = None,
) -> tuple[list[StyleReport], list[SourceError]]:
    """Every briefing's report, and all their findings (the glossary was validated with the sources); with
    `cache` (sources/style_cache.py), an unchanged note's report is the one kept from an earlier run."""
    if cache is not None:
        reports = [cache.report(b, glossary, strict=strict) for b in briefings]
        cache.save()
    else:
        reports = [check_briefing(b, config.house_style, glossary, strict=strict) for b in briefings]
    return reports, [f for r in reports for f in r.findings]


STYLE_COLUMNS = (
    "briefing",
    "status",
    "words",
    "reading_minutes",
    "longest_sentence",
    "summary_ease",
    "body_ease",
    "findings",
)


def style_rows(reports: list[StyleReport]) -> list[tuple[str, ...]]:
    """`council style`: one row per briefing, for the terminal and for build/style.csv."""

    def score(value: float | None) -> str:
        return "" if value is None else f"{value:.1f}"

    return [
        (
            r.briefing.slug,
            r.briefing.status,
            str(r.words),
            str(r.briefing.reading_minutes),
            str(r.longest_sentence),
            score(r.summary_ease),
            score(r.body_ease),
            str(len(r.findings)),
        )
        for r in reports
    ]


def write_style_csv(path: Path, rows: list[tuple[str, ...]]) -> None:
    """Written whole or not at all: a spreadsheet never opens half a table."""
    import csv
    import io
    import os

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(STYLE_COLUMNS)
    writer.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(buffer.getvalue(), encoding="utf-8")
    os.replace(partial, path)
