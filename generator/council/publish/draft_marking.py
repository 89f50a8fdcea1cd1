"""Preview copies of notes the public cannot see yet are marked as such wherever they go: authors send
these PDF and Word files to reviewers, and files circulate. Published outputs are never marked."""

from __future__ import annotations

import datetime as dt

from council.base.model import Briefing, DraftMarking
from council.publish.gate import is_public

DRAFT = DraftMarking("DRAFT \u2013 not for publication", "-draft")


def draft_marking(briefing: Briefing, now: dt.datetime) -> DraftMarking | None:
    """The marking for a preview copy (drafts, notes in review, embargoed notes); None when public."""
    if is_public(briefing, now):
        return None
    if briefing.status != "published":
        return DRAFT
    # the same moment and zone as the preview page's banner (gate.banner)
    return DraftMarking(f"EMBARGOED until {briefing.embargo_until:%d %B %Y %H:%M %Z}", "-embargoed")


def preview_markings(briefings: list[Briefing], now: dt.datetime) -> dict[str, DraftMarking]:
    """Slug -> marking, for the briefings of a preview build that need one."""
    return {b.slug: marking for b in briefings if (marking := draft_marking(b, now)) is not None}


# --- publishing record: a withdrawn briefing's PDF and Word file stay online, for the record, marked
WITHDRAWN = DraftMarking("WITHDRAWN \u2013 no longer the Council's advice", "")


def withdrawn_markings(briefings: list[Briefing]) -> dict[str, DraftMarking]:
    """Slug -> marking for withdrawn briefings; their files keep their names (and URLs)."""
    return {b.slug: WITHDRAWN for b in briefings if b.status == "withdrawn"}
