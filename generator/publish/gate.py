"""The publication gate: the one place that decides what may reach the public site."""
from __future__ import annotations

import datetime as dt

from council.model import Briefing

PUBLIC_CLASSIFICATION = "OFFICIAL"  # nothing above plain OFFICIAL belongs on a public website


def is_public(briefing: Briefing, now: dt.datetime) -> bool:
    if briefing.status != "published":
        return False
    if briefing.classification != PUBLIC_CLASSIFICATION:
        return False
    return briefing.embargo_until is None or briefing.embargo_until <= now


# --- report to Parliament (issue 4) ---
def is_public_marking(classification: str) -> bool:
    """Reports, their sections and their data rows reach the site only when marked plain OFFICIAL."""
    return classification == PUBLIC_CLASSIFICATION
