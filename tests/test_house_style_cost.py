"""The fast house-style checks (issue 15's cost target) find exactly what the straightforward version finds
(tests/house_style_reference.py, the checks as first written): on the shipped sample, on the bench's synthetic
notes and on generated bodies that mix every construct the checks treat specially; and the lazily parsed
hyphenation patterns count the syllables pyphen counts."""

from __future__ import annotations

import random
import sys
from dataclasses import replace
from pathlib import Path

import house_style_reference as reference
import pyphen
import pytest
from conftest import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from council.base.config import HouseStyleLimits
from council.base.model import Briefing
from council.sources import house_style
from council.sources.briefings import load_briefing
from council.sources.glossary import load_glossary

sys.path.insert(0, str(REPO / "benchmarks"))
from synthetic import WORDS
from synthetic import briefing as synthetic_briefing

GLOSSARY, _ = load_glossary(REPO / "glossary.yml")
SAMPLE = sorted((REPO / "briefings").glob("*.md"))


def outcome(module, briefing: Briefing, limits: HouseStyleLimits, *, strict: bool = False) -> tuple:  # type: ignore[no-untyped-def]
    report = module.check_briefing(briefing, limits, GLOSSARY, strict=strict)
    return (
        report.words,
        report.longest_sentence,
        report.summary_ease,
        report.body_ease,
        [finding.show() for finding in report.findings],
    )


DEFAULTS = HouseStyleLimits()


def assert_same(briefing: Briefing, limits: HouseStyleLimits = DEFAULTS, *, strict: bool = False) -> None:
    assert outcome(house_style, briefing, limits, strict=strict) == outcome(reference, briefing, limits, strict=strict)


@pytest.mark.parametrize("path", SAMPLE, ids=lambda p: p.stem)
def test_the_sample_notes_get_the_same_findings(path: Path) -> None:
    note = load_briefing(path)
    assert_same(note)
    # tighter limits, so that every kind of finding turns up in real prose
    tight = HouseStyleLimits(
        sentence_max_words=12, key_point_max_words=8, body_max_words=300, min_reading_ease=60, well_known=("UK",)
    )
    assert outcome(house_style, note, tight)[4], "the tight limits find nothing: the comparison proves little"
    assert_same(note, tight, strict=True)


def test_the_bench_synthetic_notes_get_the_same_findings(tmp_path: Path) -> None:
    rng = random.Random(15)
    for index in range(12):
        path = tmp_path / f"synthetic-{index:04d}.md"
        path.write_text(synthetic_briefing(index, 2000, rng), encoding="utf-8")
        note = load_briefing(path)
        assert outcome(house_style, note, HouseStyleLimits())[4]
        assert_same(note)


# Pieces of lines: every construct the checks treat specially, and the spacing the fast paths depend on
FRAGMENTS = [
    "",
    "   ",
    "\t",
    "## A heading on the UK and JACS",
    "# Second",
    "#NoSpace",
    "- an item with *emphasis*",
    "* a starred item",
    "+ plus item",
    "1. numbered",
    "2) numbered",
    "> a quotation",
    ">no space",
    ">* starred quote",
    "[^1]: A footnote. Its second sentence.",
    "[^2]:*x* tight",
    "[ref]: https://example.org",
    "| a | b |",
    ":::",
    "---",
    "***",
    "****",
    "<div>",
    "```",
    "```python",
    "~~~",
    "<!-- a comment",
    "-->",
    "`code. Span` text",
    "``double ` tick``",
    "Dr. Smith spoke.",
    "e.g. This one",
    "U.S. Army units.",
    "see p. 4. The next",
    "No. 5 is here.",
    "It ended! Then",
    "Really? Yes.",
    "(Quoted.) Next",
    '"Said." Then',
    "[@key, p 4]",
    "@key",
    "[@a; @b]",
    "[link text](https://x.org)",
    "![an image](x.png)",
    "[Київ]{lang=uk}",
    "<b>bold</b>",
    "word_with_underscores",
    "_under_",
    "a * b",
    "**Action:** do it.",
    "a\tb",
    "two  spaces",
    "a\u00a0b",
    "trailing ",
    " leading",
    "R2P (Responsibility to Protect)",
    "Responsibility to Protect (R2P)",
    "the CoI",
    "CoIs",
    "FCDOs",
    "ICJ and ICC",
    "XIV",
    "the AIA",
    "ABCs",
    "B52 bombers",
    "Write the body in Markdown.",
    "<!-- style: allow long-sentence: quoting the statute -->",
    "<!-- style: allow nothing -->",
    "<!-- style: allow acronym -->",
    "Ünïcödé ‘quotes’ “curly”",
    "İstanbul",
    "ﬀ ligature",
    "Paras. 3 and Arts. 4",
    "J. Smith",
    "A.",
    "end.",
    "The",
    "policy",
    "assessment",
    " ".join(["word"] * 36) + ".",
    " ".join(["longer"] * 20),
    "Short one. Another short one. And a third.",
]
# the fast paths need a body without code fences and text with one space between words: most bodies are so
FENCES_AND_SPACING = {
    "```",
    "```python",
    "~~~",
    "\t",
    "a\tb",
    "two  spaces",
    "a\u00a0b",
    "trailing ",
    " leading",
    "   ",
}
COMMON = [fragment for fragment in FRAGMENTS if fragment not in FENCES_AND_SPACING]


def bodies(fragments: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.lists(st.sampled_from(fragments), min_size=1, max_size=4).map(" ".join), max_size=25).map(
        "\n".join
    )


body = st.one_of(bodies(COMMON), bodies(FRAGMENTS))
plain_text = st.lists(
    st.sampled_from(["The UK", "JACS", "Dr. Who", "a point.", "CoI", "Short.", "Then X.", " ".join(["many"] * 30)]),
    min_size=1,
    max_size=3,
).map(" ".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=body, summary=plain_text, point=plain_text.filter(lambda p: len(p.split()) <= 40))  # the schema's limit
def test_generated_bodies_get_the_same_findings(tmp_path: Path, text: str, summary: str, point: str) -> None:
    base = load_briefing(SAMPLE[0])
    path = tmp_path / "generated.md"
    front = "---\ntitle: Generated\n---\n\n"
    path.write_text(front + text, encoding="utf-8")
    note = replace(
        base,
        path=path,
        body=text,
        body_start_line=front.count("\n") + 1,
        summary=summary,
        key_points=(point, "A second point."),
    )
    assert_same(note)


def test_the_fast_paths_are_taken_where_they_can_be() -> None:
    """The comparison above covers the fast paths only if they run: the sample has no fences, so its blocks
    are read from the cleaned text, and its sentences are counted in one joined text."""
    note = load_briefing(SAMPLE[0])
    assert house_style.prose_text(note.body, skip_comments=True) is not None
    units = [unit for unit in house_style.body_units(note) if not unit.heading]
    text = " ".join(unit.text for unit in units)
    assert " ".join(text.split()) == text


def test_syllables_are_pyphens() -> None:
    """The patterns parsed as words need them count what pyphen, which parses them all, counts."""
    hyphenator = pyphen.Pyphen(lang="en_GB")
    words = {
        word.strip(house_style._PUNCTUATION).lower()
        for path in SAMPLE
        for word in path.read_text(encoding="utf-8").split()
    }
    words |= set(WORDS) | {entry.expansion.lower() for entry in GLOSSARY.values()}
    words |= {
        "",
        "a",
        "an",
        "the",
        "ﬀ",
        "aﬀect",
        "responsibility",
        "internationalisation",
        "ü",
        "naïve",
        "x" * 40,
        "i̇stanbul",
        "co-operation",
        "2026",
        "r2p",
    }
    assert len(words) > 1500
    fast = house_style._hyphenation()
    assert isinstance(fast, house_style._Patterns)  # en_GB has none of the patterns pyphen reads another way
    assert {w: fast.syllables(w) for w in words} == {w: len(hyphenator.positions(w)) + 1 for w in words}


@settings(max_examples=500, deadline=None)
@given(text=st.text(alphabet="*_ a.\t\n", max_size=30))
def test_the_emphasis_pattern_removes_what_the_first_one_did(text: str) -> None:
    first = r"[*_]{1,3}(?=\S)|(?<=\S)[*_]{1,3}"
    assert house_style._EMPHASIS.sub("", text) == reference.re.sub(first, "", text)
