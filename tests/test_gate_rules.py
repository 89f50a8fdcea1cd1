"""The publication gate's publishing-record rules, in this process (fast enough for `nox -s mutate`):
which withdrawn briefings keep a notice page, and which old URLs redirect. test_publishing_record.py
proves the same through real builds and Chromium."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from council.base.model import Briefing
from council.publish.gate import (
    Withheld,
    is_previewable,
    keeps_withdrawn_notice,
    public_aliases,
    readable_text,
    withheld,
    withheld_reason,
)

NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.timezone.utc)


def note(slug: str = "x", **fields: object) -> Briefing:
    base = Briefing(
        Path(f"briefings/{slug}.md"),
        slug,
        "T",
        "S",
        ("a", "b"),
        ("A",),
        dt.date(2026, 1, 1),
        "withdrawn",
        "en-GB",
        "",
        1,
        number="APRC-2026-001",
    )
    return dataclasses.replace(base, **fields)


def test_a_withdrawn_briefing_that_was_published_keeps_its_notice_page() -> None:
    assert keeps_withdrawn_notice(note(), NOW)


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "published"},  # not withdrawn: the ordinary gate decides
        {"status": "draft"},
        {"number": None},  # never published, so there is no URL to keep
        {"classification": "OFFICIAL-SENSITIVE"},
        {"embargo_until": NOW + dt.timedelta(seconds=1)},
    ],
    ids=["published", "draft", "never-numbered", "above-official", "still-embargoed"],
)
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


# --- why a note is withheld (`council build` prints one line each; `council serve` counts them) ---


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        (
            {"status": "draft"},
            "status: draft (only published notes reach the site; `council serve --drafts` previews it)",
        ),
        (
            {"status": "review"},
            "status: review (only published notes reach the site; `council serve --drafts` previews it)",
        ),
        ({"status": "published", "embargo_until": NOW + dt.timedelta(days=1)}, "embargoed until 2026-06-02 09:00 UTC"),
        (
            {"status": "published", "classification": "OFFICIAL-SENSITIVE"},
            "marked OFFICIAL-SENSITIVE: never published; its PDF and Word files are in build/restricted/",
        ),
        ({"status": "draft", "classification": "OFFICIAL-SENSITIVE"}, "marked OFFICIAL-SENSITIVE: never published"),
        ({}, "withdrawn; a notice stays at its address"),
        ({"number": None}, "withdrawn"),  # never published: no notice to keep
        ({"embargo_until": NOW + dt.timedelta(seconds=1)}, "withdrawn"),  # withdrawn before the public saw it
    ],
    ids=[
        "draft",
        "review",
        "embargoed",
        "restricted-published",
        "restricted-draft",
        "withdrawn",
        "withdrawn-unseen",
        "withdrawn-under-embargo",
    ],
)
def test_each_withheld_note_says_why_in_an_authors_words(fields: dict, reason: str) -> None:
    assert withheld_reason(note(**fields), NOW) == reason
    assert withheld([note("a", status="published"), note("b", **fields)], NOW) == [
        Withheld(Path("briefings/b.md"), reason, is_previewable(note(**fields)))
    ]


def test_a_public_note_is_not_withheld_and_an_embargo_lifts_on_the_second() -> None:
    assert withheld_reason(note(status="published"), NOW) is None
    assert withheld_reason(note(status="published", embargo_until=NOW), NOW) is None
    assert withheld([note(status="published")], NOW) == []


def test_the_drafts_preview_withholds_only_what_it_cannot_show() -> None:
    draft, secret = note(status="draft"), note(status="draft", classification="OFFICIAL-SENSITIVE")
    assert withheld_reason(draft, NOW, preview=True) is None
    assert withheld_reason(secret, NOW, preview=True) == "marked OFFICIAL-SENSITIVE: never published"
    assert withheld([draft, secret], NOW, preview=True) == [Withheld(secret.path, withheld_reason(secret, NOW), False)]
    assert [w.previewable for w in withheld([draft, secret], NOW)] == [True, False]


# --- what a visitor could read in a public file: each format through its own extractor ---


def test_a_page_is_read_as_its_text_and_its_markup(tmp_path: Path) -> None:
    page = tmp_path / "index.HTML"
    page.write_text('<p title="a hidden title">Tom &amp; Jerry</p>', encoding="utf-8")
    text = readable_text(page)
    assert "Tom & Jerry\n" in text and 'title="a hidden title"' in text


def test_an_office_file_is_read_part_by_part_and_other_files_as_text(tmp_path: Path) -> None:
    import zipfile

    document = tmp_path / "note.docx"
    with zipfile.ZipFile(document, "w") as archive:
        archive.writestr("word/document.xml", "<w:p><w:r><w:t>In the body</w:t></w:r></w:p>")
        archive.writestr("word/footer1.xml", '<w:p><w:t>OFFICIAL</w:t></w:p><pic descr="alt words"/>')
    text = readable_text(document)
    assert "In the body" in text and "OFFICIAL" in text and "alt words" in text and "<w:t>" not in text
    data = tmp_path / "feed.xml"
    data.write_bytes(b"<entry>caf\xc3\xa9 \xff</entry>")
    assert readable_text(data) == "<entry>café \ufffd</entry>"
