"""Each house-style limit tested exactly at its value and one past it (issue 29), and the line a
sentence is reported at when it starts a source line. Fast: the checks run on notes loaded from
tmp_path, without the command line (tests/test_house_style.py runs `council check`)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from conftest import REPO

from council.base.config import HouseStyleLimits
from council.sources.briefings import load_briefing
from council.sources.glossary import load_glossary
from council.sources.house_style import check_briefing

GLOSSARY, _ = load_glossary(REPO / "glossary.yml")
FRONT = """---
title: "Early warning in the Sahel"
summary: >-
  {summary}
key_points:
  - Posts in the region see the first signs of risk, so their reporting matters most.
  - {point}
authors: [Dr Amina Diallo]
date: 2026-02-01
status: published
---

"""
SUMMARY = "Embassies see atrocity risk early. This note says how their reports could reach ministers faster."
POINT = "London should act on what posts report within days."
BODY_START = FRONT.count("\n") + 1
LIMITS = HouseStyleLimits()


def findings(tmp_path: Path, body: str, limits: HouseStyleLimits = LIMITS, **front: str) -> list[tuple[int, str]]:
    """(line, code) of every house-style finding for a note with this body."""
    path = tmp_path / "sahel.md"
    path.write_text(FRONT.format(**{"summary": SUMMARY, "point": POINT, **front}) + body, encoding="utf-8")
    report = check_briefing(load_briefing(path), limits, GLOSSARY)
    return [(f.location.line, re.search(r"\[([a-z-]+)\]$", f.message).group(1)) for f in report.findings]  # type: ignore[union-attr]


def words(count: int) -> str:
    """A sentence of `count` words (a capital starts it, so that it is a sentence of its own)."""
    return " ".join(["Word", *["word"] * (count - 2), "end."][-count:])


@pytest.mark.parametrize("extra", [0, 1])
def test_sentence_at_exactly_the_limit_passes_and_one_word_more_does_not(tmp_path: Path, extra: int) -> None:
    found = findings(tmp_path, words(LIMITS.sentence_max_words + extra) + "\n")
    assert found == ([(BODY_START, "long-sentence")] if extra else [])


@pytest.mark.parametrize("extra", [0, 1])
def test_key_point_at_exactly_the_limit_passes_and_one_word_more_does_not(tmp_path: Path, extra: int) -> None:
    point = words(LIMITS.key_point_max_words + extra)
    found = findings(tmp_path, "We met. It was good.\n", point=point)
    point_line = FRONT.split("\n").index("  - {point}") + 1
    assert found == ([(point_line, "long-key-point")] if extra else [])


@pytest.mark.parametrize("extra", [0, 1])
def test_body_at_exactly_the_word_limit_passes_and_one_word_more_does_not(tmp_path: Path, extra: int) -> None:
    sentence = "The post sent a short report to London on the risk of violence."  # 13 words
    total = LIMITS.body_max_words + extra
    body = "\n\n".join([sentence] * (total // 13)) + "\n\n" + words(total % 13) + "\n"
    assert findings(tmp_path, body) == ([(BODY_START, "long-body")] if extra else [])


def test_reading_ease_exactly_at_the_minimum_passes_and_just_above_it_does_not(tmp_path: Path) -> None:
    dense = "Institutionalisation necessitates comprehensive organisational restructuring of interdepartmental work."
    path = tmp_path / "score.md"
    path.write_text(FRONT.format(summary=dense, point=POINT) + "We met. It was good.\n", encoding="utf-8")
    score = check_briefing(load_briefing(path), LIMITS, GLOSSARY).summary_ease
    assert score is not None
    at = dataclasses.replace(LIMITS, min_reading_ease=score)
    assert findings(tmp_path, "We met. It was good.\n", at, summary=dense) == []
    above = dataclasses.replace(LIMITS, min_reading_ease=score + 0.01)
    assert findings(tmp_path, "We met. It was good.\n", above, summary=dense) == [(3, "readability")]


def test_a_long_sentence_starting_a_source_line_is_reported_at_that_line(tmp_path: Path) -> None:
    body = "A short opening sentence.\nIt runs on.\n" + words(LIMITS.sentence_max_words + 4) + "\n"
    assert findings(tmp_path, body) == [(BODY_START + 2, "long-sentence")]
