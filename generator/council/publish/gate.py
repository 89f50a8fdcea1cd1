"""The publication gate: the one place that decides what may reach the public site."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

from council.base.model import PUBLIC_MARKING, Briefing
from council.render.formats import by_suffix


def is_public(briefing: Briefing, now: dt.datetime) -> bool:
    """May this briefing appear on the public site, in its feed, search index, indexes and library?"""
    if briefing.status != "published":
        return False
    if briefing.classification != PUBLIC_MARKING:
        return False
    return briefing.embargo_until is None or briefing.embargo_until <= now


# --- publishing record: withdrawn briefings and old URLs ---
def keeps_withdrawn_notice(briefing: Briefing, now: dt.datetime) -> bool:
    """A withdrawn briefing that was public keeps its URL, as a page saying it is withdrawn, and its
    PDF; it is listed nowhere (home, topics, feed, related briefings, search, library)."""
    return (
        briefing.status == "withdrawn"
        and briefing.number is not None
        and briefing.classification == PUBLIC_MARKING
        and (briefing.embargo_until is None or briefing.embargo_until <= now)
    )


def public_aliases(public: list[Briefing], withdrawn: list[Briefing]) -> dict[str, Briefing]:
    """Old slug -> the slug its URL now redirects to. Only briefings that passed the gate lend their
    aliases (a draft's never reach the site), and an alias never replaces a page that is live."""
    live = {b.slug for b in [*public, *withdrawn]}
    return {alias: b for b in [*public, *withdrawn] for alias in b.aliases if alias not in live}


# --- report to Parliament ---
def is_public_marking(classification: str) -> bool:
    """Reports, their sections and their data rows reach the site only when marked plain OFFICIAL."""
    return classification == PUBLIC_MARKING


# --- previews and restricted outputs ---
def is_previewable(briefing: Briefing) -> bool:
    """`council serve --drafts` shows drafts, notes in review and embargoed notes on the author's own
    machine; material above OFFICIAL stays out even there. A withdrawn briefing shows as it does in
    public: as its withdrawn notice."""
    return briefing.classification == PUBLIC_MARKING and briefing.status != "withdrawn"


def is_restricted(briefing: Briefing) -> bool:
    """Published material above OFFICIAL: built only into build/restricted/, never into the site."""
    return briefing.status == "published" and briefing.classification != PUBLIC_MARKING


def banner(briefing: Briefing, now: dt.datetime) -> str | None:
    """What a preview page says about a briefing the public cannot see yet."""
    if is_public(briefing, now):
        return None
    if briefing.status != "published":
        return f"{briefing.status.upper()}: not for publication. This page exists only in your local preview."
    return f"EMBARGOED until {briefing.embargo_until:%d %B %Y %H:%M %Z}: this page exists only in your local preview."


class Withheld(NamedTuple):
    """A note the gate kept off what is being built."""

    path: Path
    reason: str
    previewable: bool  # `council serve --drafts` would show it


def withheld(briefings: list[Briefing], now: dt.datetime, preview: bool = False) -> list[Withheld]:
    found = ((b, withheld_reason(b, now, preview)) for b in briefings)
    return [Withheld(b.path, reason, is_previewable(b)) for b, reason in found if reason is not None]


def withheld_reason(briefing: Briefing, now: dt.datetime, preview: bool = False) -> str | None:
    """Why the gate keeps a briefing off the site (or off the preview), in an author's words; None
    when it is shown. `council build` prints one line per withheld note."""
    if is_previewable(briefing) if preview else is_public(briefing, now):
        return None
    if briefing.classification != PUBLIC_MARKING:
        return f"marked {briefing.classification}: never published" + (
            "; its PDF and Word files are in build/restricted/" if briefing.status == "published" else ""
        )
    if briefing.status == "withdrawn":
        return "withdrawn" + ("; a notice stays at its address" if keeps_withdrawn_notice(briefing, now) else "")
    if briefing.status != "published":
        return f"status: {briefing.status} (only published notes reach the site; `council serve --drafts` previews it)"
    return f"embargoed until {briefing.embargo_until:%Y-%m-%d %H:%M %Z}"


# --- what a visitor could read in a public file (the leak tests) ---
def readable_text(path: Path) -> str:
    """A public file as text, through its output format's own extractor (render/formats.py), so that
    no format's files are skipped; any other file (pages, feeds, data) as it is."""
    fmt = by_suffix(path.suffix)
    if fmt is not None:
        return fmt.extract_text(path)
    return path.read_bytes().decode("utf-8", "replace")
