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
