"""The research agenda: what policymakers have asked the Council, what is still open (by priority and
age) and what has been answered, by which published briefings and how quickly."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from council.model import Briefing
from council.sources.requests import PRIORITIES, Request, answering


@dataclass(frozen=True)
class OpenRequest:
    request: Request
    age_days: int          # days since it was asked, on the build's date
    overdue: bool


@dataclass(frozen=True)
class AnsweredRequest:
    request: Request
    briefings: tuple[Briefing, ...]   # published answers, earliest first (may be empty while in draft)
    days_taken: int | None             # asked -> first published answer


@dataclass(frozen=True)
class Agenda:
    open_by_priority: tuple[tuple[str, tuple[OpenRequest, ...]], ...]
    answered: tuple[AnsweredRequest, ...]
    declined: tuple[Request, ...]

    @property
    def open_count(self) -> int:
        return sum(len(items) for _, items in self.open_by_priority)


def build_agenda(requests: list[Request], public: list[Briefing], today: dt.date) -> Agenda:
    """`public` must already have passed the publication gate: drafts never answer anything here."""
    open_items = [OpenRequest(r, (today - r.asked).days, r.due is not None and r.due < today)
                  for r in requests if r.is_open]
    by_priority = tuple(
        (priority, tuple(sorted((i for i in open_items if i.request.priority == priority),
                                key=lambda i: (-i.age_days, i.request.id))))
        for priority in PRIORITIES)
    answered = []
    for request in (r for r in requests if r.status == "answered"):
        answers = tuple(answering(request, public))
        days = (answers[0].date - request.asked).days if answers else None
        answered.append(AnsweredRequest(request, answers, days))
    answered.sort(key=lambda a: (a.briefings[0].date if a.briefings else dt.date.max, a.request.id), reverse=True)
    declined = tuple(sorted((r for r in requests if r.status == "declined"), key=lambda r: r.asked, reverse=True))
    return Agenda(tuple((p, items) for p, items in by_priority if items), tuple(answered), declined)
