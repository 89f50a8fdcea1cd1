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


# --- requests ---
def next_request_id(directory: Path, today: dt.date) -> str:
    """R-<year>-<nnn>: one more than the highest number used this year."""
    numbers = [int(m.group(1)) for p in directory.glob(f"R-{today.year}-*.yml")
               if (m := re.fullmatch(rf"R-{today.year}-(\d+)", p.stem))]
    return f"R-{today.year}-{max(numbers, default=0) + 1:03d}"


def new_request(directory: Path, department: str, question: str, priority: str, today: dt.date,
                due: dt.date | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{next_request_id(directory, today)}.yml"
    path.write_text(render_template("new_request.yml.j2", department=department, question=question,
                                    priority=priority, asked=today.isoformat(),
                                    due=due.isoformat() if due else None), encoding="utf-8")
    return path
