"""The publication gate's publishing-record rules, in this process (fast enough for `nox -s mutate`):
which withdrawn briefings keep a notice page, and which old URLs redirect. test_publishing_record.py
proves the same through real builds and Chromium."""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from council.model import Briefing
from council.publish.gate import is_previewable, keeps_withdrawn_notice, public_aliases

NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.timezone.utc)


def note(slug: str = "x", **fields: object) -> Briefing:
    base = Briefing(Path(f"briefings/{slug}.md"), slug, "T", "S", ("a", "b"), ("A",), dt.date(2026, 1, 1),
                    "withdrawn", "en-GB", "", 1, number="APRC-2026-001")
    return dataclasses.replace(base, **fields)


def test_a_withdrawn_briefing_that_was_published_keeps_its_notice_page() -> None:
    assert keeps_withdrawn_notice(note(), NOW)


@pytest.mark.parametrize("fields", [
    {"status": "published"},                 # not withdrawn: the ordinary gate decides
    {"status": "draft"},
    {"number": None},                        # never published, so there is no URL to keep
    {"classification": "OFFICIAL-SENSITIVE"},
    {"embargo_until": NOW + dt.timedelta(seconds=1)},
], ids=["published", "draft", "never-numbered", "above-official", "still-embargoed"])
def test_no_notice_page_for_a_briefing_the_public_never_saw(fields: dict) -> None:
    assert not keeps_withdrawn_notice(note(**fields), NOW)


def test_the_notice_page_appears_the_moment_an_embargo_lifts() -> None:
    assert keeps_withdrawn_notice(note(embargo_until=NOW), NOW)


def test_a_withdrawn_briefing_previews_as_its_notice_not_as_a_draft() -> None:
    assert not is_previewable(note())
    assert is_previewable(note(status="draft"))
    assert not is_previewable(note(status="draft", classification="OFFICIAL-SENSITIVE"))


def test_aliases_of_public_and_withdrawn_briefings_redirect_to_them() -> None:
    renamed, withdrawn = note("new", status="published", aliases=("old",)), note("gone", aliases=("older",))
    assert public_aliases([renamed], [withdrawn]) == {"old": renamed, "older": withdrawn}


def test_an_alias_never_replaces_a_live_page() -> None:
    live = note("live", status="published")
    greedy = note("greedy", status="published", aliases=("live", "old"))
    withdrawn = note("gone")
    thief = note("thief", status="published", aliases=("gone",))
    assert public_aliases([live, greedy, thief], [withdrawn]) == {"old": greedy}


def test_only_briefings_given_to_the_gate_lend_aliases() -> None:
    """A draft is in neither list, so its aliases never reach the site."""
    assert public_aliases([], []) == {}
    assert public_aliases([note("a", status="published")], []) == {}
