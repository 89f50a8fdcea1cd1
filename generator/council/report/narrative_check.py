"""Numbers written by hand in the narrative, read against the computed figures.

Two warnings, each with file, line and column:
- a number that a figure contradicts: the words after it name what a figure counts ("6 triggers",
  "three countries moved up") and no such figure has that value;
- in a numbered paragraph, a number in digits that matches no figure at all.

Figure references (`[]{.figure key=...}`), citations, paragraph labels and references, dates, years and
legal references are not hand-written measures and are left alone. Number words ("three", "none") count
only where a figure's noun follows, so "one of the reasons" is never read as a claim; "no" is not read at
all ("no assessment started" names no count).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from council.base.errors import Location, SourceError
from council.report.quotable import Quotable
from council.sources.report_data import PUBLIC_MARKING
from council.sources.report_sections import FIGURE, FIGURE_LIKE, LABEL, REFERENCE, SECTIONS
from council.sources.reports import Report

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# Text that holds digits but states no measure of the period; blanked out (same length) before reading.
_NOT_MEASURES = re.compile(
    "|".join(
        (
            FIGURE.pattern,
            FIGURE_LIKE.pattern,
            LABEL.pattern,
            REFERENCE.pattern,
            r"\[-?@[^\]]*\]",
            r"-?@[A-Za-z0-9_:.#$%&+?<>~/-]+",  # citations
            r"`[^`]*`",
            r"\]\([^)]*\)",
            r"https?://\S+",  # code, link targets, addresses
            rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})(?:\s+\d{{4}})?",
            rf"\b(?:{_MONTHS})\s+\d{{4}}",  # dates
            r"\b\d{4}-\d{2}(?:-\d{2})?\b",
            r"\b(?:1[89]|20)\d{2}\b",  # periods, ISO dates and years
            r"\b(?:paragraphs?|paras?|sections?|s|ss|art|articles?|rules?|pages?|p|pp|CP|No|Law|annex|resolutions?|"
            r"chapters?|clauses?|schedules?|regulations?|part|vol|volume|footnote|n)\.?\s+"
            r"\d[\w()-]*(?:\s*(?:,|and|to|-)\s*\d[\w()-]*)*",  # references to places in texts
            r"\b\d+(?:st|nd|rd|th)\b",
            r"\b[A-Z]+\d+\b",  # ordinals, codes such as C3
        )
    ),
    re.IGNORECASE,
)
_WORDS = {
    "none": 0,
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
}
_NUMBER = re.compile(
    r"(?<![\w.,£-])(£?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s?(million|m|bn|billion)\b)?(?![\w,]\d)"
    r"|\b(" + "|".join(_WORDS) + r")\b",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[.;:,()!?\[\]]")
_WINDOW_WORDS = 6
_SCALE = {"million": 10**6, "m": 10**6, "bn": 10**9, "billion": 10**9}
_NOT_PARAGRAPH = ("#", "|", "- ", "* ", "+ ", ">", ":::", "```", "~~~", "    ", ": ")


@dataclass(frozen=True)
class HandNumber:
    text: str  # as written, e.g. "£750,000" or "three"
    value: Decimal
    tolerance: Decimal
    in_words: bool
    following: str  # the words after it, up to the end of the clause, lower case
    line: int
    column: int
    numbered: bool  # in a numbered paragraph


def narrative_warnings(report: Report, figures: dict[str, Quotable]) -> list[SourceError]:
    """A warning for each hand-written number of the public narrative that the figures contradict, and for
    each one in a numbered paragraph that matches no figure."""
    warnings = []
    for number, path in _hand_numbers(report):
        candidates = _about(number, figures)
        valued = [q for q in candidates if q.value is not None]
        if valued:
            if not any(_equal(number, q) for q in valued):
                warnings.append(_contradiction(number, path, valued))
        elif candidates:
            continue  # it is about a figure with no value here (no previous period): nothing to compare
        elif (
            number.numbered
            and not number.in_words
            and not any(_equal(number, q) for q in figures.values() if q.value is not None)
        ):
            warnings.append(
                SourceError(
                    Location(path, number.line, number.column),
                    f"the number '{number.text}' matches no figure",
                    hint="quote the figure it stands for as []{.figure key=...} (`council report --check` lists "
                    "them), or check the number",
                    warning=True,
                )
            )
    return warnings


def _contradiction(number: HandNumber, path: object, figures: list[Quotable]) -> SourceError:
    joint = "" if number.following.startswith("-") else " "  # "90-day target"
    said = f"{number.text}{joint}{number.following}".strip()
    data = "; ".join(f"{q.key} is {q.text}" for q in figures)
    return SourceError(
        Location(path, number.line, number.column),  # type: ignore[arg-type]
        f"'{said}' contradicts the data: {data}",
        hint=f"quote the figure instead: []{{.figure key={figures[0].key}}}",
        warning=True,
    )


def _hand_numbers(report: Report) -> list[tuple[HandNumber, object]]:
    numbered_sections = {spec.key for spec in SECTIONS if spec.numbered}
    found = []
    for narrative in report.narratives.values():
        if narrative.classification != PUBLIC_MARKING:
            continue
        numbered = narrative.key in numbered_sections
        for number in _numbers(narrative.body, narrative.body_start_line, numbered):
            found.append((number, narrative.path))
    return found


def _numbers(body: str, first_line: int, numbered_section: bool) -> list[HandNumber]:
    numbers = []
    in_paragraph = False
    previous_blank = True
    for offset, line in enumerate(body.split("\n")):
        if not line.strip():
            previous_blank = True
            continue
        if previous_blank:  # the first line of a block decides whether it is a paragraph
            in_paragraph = not line.lstrip(" ").startswith(_NOT_PARAGRAPH) and not re.match(r"\s*\d+[.)]\s", line)
            previous_blank = False
        text = _NOT_MEASURES.sub(lambda m: " " * len(m.group(0)), line)
        for match in _NUMBER.finditer(text):
            numbers.append(_hand_number(match, text, first_line + offset, numbered_section and in_paragraph))
    return numbers


def _hand_number(match: re.Match[str], text: str, line: int, numbered: bool) -> HandNumber:
    rest = text[match.end() :]
    end = _CLAUSE_END.search(rest)
    following = rest[: end.start()] if end else rest
    next_number = _NUMBER.search(following)
    if next_number:
        following = following[: next_number.start()]
    following = " ".join(following.lower().split()[:_WINDOW_WORDS])
    if match.group(5):
        return HandNumber(
            match.group(0),
            Decimal(_WORDS[match.group(5).lower()]),
            Decimal(0),
            True,
            following,
            line,
            match.start() + 1,
            numbered,
        )
    digits = match.group(2).replace(",", "") + (match.group(3) or "")
    scale = _SCALE.get((match.group(4) or "").lower(), 1)
    places = len(match.group(3) or "") - 1 if match.group(3) else 0
    tolerance = Decimal(scale) / 2 / Decimal(10) ** places if scale > 1 else Decimal(0)
    return HandNumber(
        match.group(0), Decimal(digits) * scale, tolerance, False, following, line, match.start() + 1, numbered
    )


def _about(number: HandNumber, figures: dict[str, Quotable]) -> list[Quotable]:
    """The figures whose nouns follow the number; where several do, those matching the most words."""
    best: list[Quotable] = []
    best_words = 0
    for figure in figures.values():
        words = max((len(noun.split()) for noun in figure.nouns if _follows(noun, number.following)), default=0)
        if words > best_words:
            best, best_words = [figure], words
        elif words and words == best_words:
            best.append(figure)
    return best


def _follows(noun: str, following: str) -> bool:
    if noun.startswith("-"):  # "90-day target"
        return following.startswith(noun)
    return re.search(rf"(?:^|\s|-){re.escape(noun)}(?=\s|$)", following) is not None


def _equal(number: HandNumber, figure: Quotable) -> bool:
    return abs(Decimal(str(figure.value)) - number.value) <= number.tolerance
