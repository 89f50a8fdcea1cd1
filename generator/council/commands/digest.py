"""`council digest --since DATE`: an email-ready digest of the briefings published since a date, as
HTML with inlined CSS (mail programs drop style sheets) and as plain text."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from council.base.config import ProjectConfig
from council.base.model import Briefing
from council.publish.gate import is_public
from council.publish.indexes import newest_first
from council.publish.pages import briefing_folder
from council.publish.writer import OutputWriter
from council.render.templating import render_template


@dataclass(frozen=True)
class DigestItem:
    briefing: Briefing
    url: str


def digest_briefings(briefings: list[Briefing], since: dt.date, now: dt.datetime) -> list[Briefing]:
    """Briefings that pass the publication gate now and are dated on or after `since`, newest first."""
    return newest_first(b for b in briefings if is_public(b, now) and b.date >= since)


def write_digest(
    config: ProjectConfig, briefings: list[Briefing], since: dt.date, now: dt.datetime, site_url: str = ""
) -> list[Path]:
    base = site_url.rstrip("/") + "/" if site_url else ""
    items = [DigestItem(b, f"{base}{briefing_folder(b.slug)}/") for b in digest_briefings(briefings, since, now)]
    context = {
        "items": items,
        "since": since,
        "today": now.date(),
        "site_name": config.site_name,
        "organisation": config.organisation,
        "site_url": base,
    }
    html = render_template("digest.html.j2", **context)
    text = render_template("digest.txt.j2", **context)
    writer = OutputWriter(config.build_dir / "digest")
    name = f"digest-since-{since.isoformat()}"
    return [writer.write(f"{name}.html", html), writer.write(f"{name}.txt", text)]
