"""Policymakers' requests for research: one YAML file per request in requests/, validated with the
file, line and field of every problem, like briefings' front matter."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from council.base.errors import Location, ProblemsFound, SourceError
from council.base.model import Briefing
from council.sources.frontmatter import parse_front_matter, schema_problems
from council.sources.text import folder_above, read_source_text

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,60}$")  # the same ids briefings' `answers` accept
PRIORITIES = ("high", "medium", "low")
OPEN_STATUSES = ("open", "in-progress")
# When the Council aims to answer a request that has no due date, in days from the day it was asked:
# the "expected date" of acknowledgements.
TARGET_DAYS = {"high": 28, "medium": 56, "low": 84}
# The "Ask the Council" form's fields, in the order the form and its template write them: label -> request
# field. `council request import` (authoring/mail.py) reads a message from the form by these labels.
LABELS = {
    "Department": "department",
    "Team": "team",
    "Question": "question",
    "Why it matters": "why",
    "Deadline": "due",
    "Priority": "priority",
    "Contact name": "contact_name",
    "Contact email": "contact_email",
}
SUBJECT_PREFIX = "Research request:"


@dataclass(frozen=True)
class Request:
    """One question a department has asked the Council to research."""

    id: str
    path: Path
    department: str
    question: str
    priority: str  # high | medium | low
    asked: dt.date
    status: str  # open | in-progress | answered | declined
    due: dt.date | None = None
    status_line: int = 1
    # from requests by email (council request import); never shown on the site
    team: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    message_id: str | None = None
    needs_triage: bool = False
    triage_reason: str | None = None  # why it needs triage, as the import found it

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def expected(self) -> dt.date:
        """The date the department can expect an answer: its due date, else the Council's target."""
        return self.due or self.asked + dt.timedelta(days=TARGET_DAYS[self.priority])


class RequestFields(BaseModel):
    """The schema of one request file. Unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str | None = None  # optional: the file name is the id; if given it must agree
    department: str = Field(min_length=1, max_length=200)
    question: str = Field(min_length=1, max_length=2000)
    priority: Literal["high", "medium", "low"]
    asked: dt.date
    status: Literal["open", "in-progress", "answered", "declined"]
    due: dt.date | None = None
    # written by `council request import`: who asked, and the message it came in (for replies)
    team: str | None = Field(default=None, max_length=200)
    why: str | None = Field(default=None, max_length=4000)
    subject: str | None = Field(default=None, max_length=500)
    contact_name: str | None = Field(default=None, max_length=200)
    contact_email: str | None = Field(default=None, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")
    message_id: str | None = Field(default=None, max_length=1000)
    needs_triage: bool = False
    triage_reason: str | None = Field(default=None, max_length=2000)

    @field_validator("question")
    @classmethod
    def _one_paragraph(cls, value: str) -> str:
        return " ".join(value.split())


_HINTS = {
    "priority": "use high, medium or low",
    "status": "use open, in-progress, answered or declined",
    "asked": "the date the department asked, as YYYY-MM-DD",
    "due": "an optional date the answer is needed by, as YYYY-MM-DD",
    "contact_email": "one email address, such as jane.doe@fcdo.gov.uk",
    "needs_triage": "true or false",
}


def request_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted(
        p
        for p in directory.iterdir()
        if p.suffix in (".yml", ".yaml") and p.is_file() and not p.name.startswith(("_", "."))
    )


def request_ids(directory: Path) -> set[str]:
    """Every id in the registry, valid file or not, so one broken request does not cascade into
    'unknown request' errors in every briefing that answers it."""
    return {p.stem for p in request_files(directory)}


def load_requests(directory: Path) -> tuple[list[Request], list[SourceError]]:
    requests: list[Request] = []
    problems: list[SourceError] = []
    for path in request_files(directory):
        try:
            requests.append(load_request(path))
        except SourceError as error:
            problems.append(error)
        except RequestProblems as found:
            problems.extend(found.problems)
    return requests, problems


class RequestProblems(ProblemsFound):
    """Every problem found in one request file that cannot be loaded."""


def load_request(path: Path) -> Request:
    text = read_source_text(path, folder_above(path, 2))  # requests/R-....yml: never a file linked from outside
    front = parse_front_matter(path, text, first_line=1, end_line=text.count("\n") + 1)
    problems = []
    if not ID_PATTERN.match(path.stem):
        problems.append(
            SourceError(
                Location(path),
                f"the file name '{path.name}' is not a request id",
                hint="name the file after the request, e.g. requests/R-2026-007.yml",
            )
        )
    try:
        fields = RequestFields.model_validate(front.values)
    except ValidationError as exc:
        raise RequestProblems(problems + schema_problems(front, exc, RequestFields, _HINTS)) from None
    if fields.id is not None and fields.id != path.stem:
        problems.append(
            SourceError(
                front.location("id"),
                f"the id '{fields.id}' differs from the file name '{path.stem}'",
                field="id",
                hint="the file name is the id: rename one of them",
            )
        )
    if fields.due is not None and fields.due < fields.asked:
        problems.append(SourceError(front.location("due"), "the due date is before the date asked", field="due"))
    if problems:
        raise RequestProblems(problems)
    return Request(
        id=path.stem,
        path=path,
        department=fields.department,
        question=fields.question,
        priority=fields.priority,
        asked=fields.asked,
        status=fields.status,
        due=fields.due,
        status_line=front.line_of("status") or 1,
        team=fields.team,
        contact_name=fields.contact_name,
        contact_email=fields.contact_email,
        message_id=fields.message_id,
        needs_triage=fields.needs_triage,
        triage_reason=fields.triage_reason,
    )


def answering(request: Request, briefings: Iterable[Briefing]) -> list[Briefing]:
    """The briefings that declare they answer `request`, earliest first."""
    return sorted((b for b in briefings if request.id in b.answers), key=lambda b: (b.date, b.slug))


def status_warnings(requests: list[Request], briefings: list[Briefing]) -> list[SourceError]:
    """Registry and briefings that disagree: worth a warning, not a failed build."""
    warnings = []
    for request in requests:
        if request.needs_triage:
            warnings.append(
                SourceError(
                    Location(request.path, 1),
                    f"request '{request.id}' is kept off the site until someone checks it: "
                    + (request.triage_reason or "it came in a free-form email"),
                    field="needs_triage",
                    warning=True,
                    hint="check its department, question and priority, then delete the needs_triage and triage_reason lines",
                )
            )
        answered_by = [b for b in answering(request, briefings) if b.status == "published"]
        where = Location(request.path, request.status_line)
        if request.status == "answered" and not answering(request, briefings):
            warnings.append(
                SourceError(
                    where,
                    f"request '{request.id}' is marked answered but no briefing lists it under `answers`",
                    field="status",
                    warning=True,
                    hint=f"add `answers: [{request.id}]` to the briefing that answers it",
                )
            )
        elif request.is_open and answered_by:
            warnings.append(
                SourceError(
                    where,
                    f"request '{request.id}' is still {request.status} but "
                    f"{answered_by[0].path.name} is published and answers it",
                    field="status",
                    warning=True,
                    hint="set `status: answered`",
                )
            )
    return warnings
