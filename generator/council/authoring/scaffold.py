"""`council new`: a new research note with valid front matter, ready to write in."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from council.base.errors import CouncilError
from council.render.templating import render_template
from council.sources.text import PLACEHOLDERS


def note_text(**context: object) -> str:
    """A note's text from the new-note template, with the placeholders for whatever is not given."""
    return render_template("new_briefing.md.j2", placeholders=PLACEHOLDERS, **context)


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
    path.write_text(note_text(title=title, author=author, date=today.isoformat()), encoding="utf-8")
    return path


# --- requests ---
def next_request_id(directory: Path, today: dt.date) -> str:
    """R-<year>-<nnn>: one more than the highest number used this year."""
    numbers = [
        int(m.group(1))
        for p in directory.glob(f"R-{today.year}-*.yml")
        if (m := re.fullmatch(rf"R-{today.year}-(\d+)", p.stem))
    ]
    return f"R-{today.year}-{max(numbers, default=0) + 1:03d}"


def new_request(
    directory: Path, department: str, question: str, priority: str, today: dt.date, due: dt.date | None = None
) -> Path:
    return write_request(directory, today, RequestDraft(department, question, priority, today, due))


@dataclass(frozen=True)
class RequestDraft:
    """A request about to be recorded: from `council request new` or an imported email."""

    department: str
    question: str
    priority: str
    asked: dt.date
    due: dt.date | None = None
    needs_triage: bool = False
    triage_reason: str | None = None  # why a person must check it before it reaches the site
    email_fields: tuple[tuple[str, str], ...] = ()  # team, contact, message_id...: kept off the site


def write_request(directory: Path, today: dt.date, draft: RequestDraft) -> Path:
    """Write the next request file (see RequestWriter)."""
    with RequestWriter(directory, today) as writer:
        return writer.write(draft)


class RequestWriter:
    """Writes the requests of one run, each validated as `council check` validates it before it appears
    under its name: a request that would not load is never left in requests/ (RequestProblems says
    why). The folder is listed once and one staging folder serves the run, so an import of thousands
    of messages takes time in proportion to their number, not to the size of requests/ each time."""

    def __init__(self, directory: Path, today: dt.date) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.directory = directory
        self.today = today
        self._next = int(next_request_id(directory, today).rpartition("-")[2])
        self._staging: Path | None = None

    def __enter__(self) -> RequestWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._staging is not None:
            shutil.rmtree(self._staging, ignore_errors=True)

    def write(self, draft: RequestDraft) -> Path:
        from council.sources.requests import load_request

        if self._staging is None:
            self._staging = Path(tempfile.mkdtemp(prefix=".new-", dir=self.directory))
        trial = self._staging / f"R-{self.today.year}-{self._next:03d}.yml"
        trial.write_text(_request_text(draft), encoding="utf-8")
        try:
            load_request(trial)
        except BaseException:
            trial.unlink(missing_ok=True)
            raise
        path = self.directory / trial.name
        os.replace(trial, path)
        self._next += 1
        return path


def _request_text(draft: RequestDraft) -> str:
    fields = dict(draft.email_fields)
    return render_template(
        "new_request.yml.j2",
        department=draft.department,
        question=draft.question,
        priority=draft.priority,
        asked=draft.asked.isoformat(),
        due=draft.due.isoformat() if draft.due else None,
        needs_triage=draft.needs_triage,
        triage_reason=draft.triage_reason,
        message_id=fields.get("message_id"),
        email_fields=draft.email_fields,
    )
