"""`council new`: a new research note with valid front matter, ready to write in."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

from council.errors import CouncilError
from council.render.templating import render_template


def slugify(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    return "-".join(words)[:60].strip("-")


def new_briefing(directory: Path, title: str, author: str, today: dt.date) -> Path:
    slug = slugify(title)
    if not slug:
        raise CouncilError(f"cannot make a file name from the title {title!r}; use some letters or digits")
    path = directory / f"{slug}.md"
    if path.exists():
        raise CouncilError(f"{path} already exists; choose another title or edit that note")
    directory.mkdir(parents=True, exist_ok=True)
    path.write_text(render_template("new_briefing.md.j2", title=title, author=author, date=today.isoformat()),
                    encoding="utf-8")
    return path
