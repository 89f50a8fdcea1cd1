"""The research agenda: what policymakers have asked the Council, what is still open (by priority and
age) and what has been answered, by which published briefings and how quickly."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from council.base.model import Briefing
from council.sources.requests import PRIORITIES, Request, answering


@dataclass(frozen=True)
class OpenRequest:
    request: Request
    age_days: int  # days since it was asked, on the build's date
    overdue: bool
    days_to_due: int | None = None  # negative once overdue; None without a due date

    @property
    def days_overdue(self) -> int:
        return -self.days_to_due if self.days_to_due is not None and self.days_to_due < 0 else 0


@dataclass(frozen=True)
class AnsweredRequest:
    request: Request
    briefings: tuple[Briefing, ...]  # published answers, earliest first (may be empty while in draft)
    days_taken: int | None  # asked -> first published answer


@dataclass(frozen=True)
class Agenda:
    open_by_priority: tuple[tuple[str, tuple[OpenRequest, ...]], ...]
    answered: tuple[AnsweredRequest, ...]
    declined: tuple[Request, ...]
    # (priority, median days from request to first published answer, how many answers it is from)
    median_days: tuple[tuple[str, float, int], ...] = ()
    awaiting_triage: int = 0  # imported from free-form emails and not yet checked: kept off the site

    @property
    def open_count(self) -> int:
        return sum(len(items) for _, items in self.open_by_priority)


def build_agenda(requests: list[Request], public: list[Briefing], today: dt.date) -> Agenda:
    """`public` must already have passed the publication gate: drafts never answer anything here.
    Requests still marked needs_triage (free-form emails nobody has checked) are left off."""
    untriaged = sum(r.needs_triage for r in requests)
    requests = [r for r in requests if not r.needs_triage]
    open_items = [
        OpenRequest(
            r,
            (today - r.asked).days,
            r.due is not None and r.due < today,
            (r.due - today).days if r.due is not None else None,
        )
        for r in requests
        if r.is_open
    ]
    by_priority = tuple(
        (
            priority,
            tuple(
                sorted(
                    (i for i in open_items if i.request.priority == priority), key=lambda i: (-i.age_days, i.request.id)
                )
            ),
        )
        for priority in PRIORITIES
    )
    answered = []
    for request in (r for r in requests if r.status == "answered"):
        answers = tuple(answering(request, public))
        days = (answers[0].date - request.asked).days if answers else None
        answered.append(AnsweredRequest(request, answers, days))
    answered.sort(key=lambda a: (a.briefings[0].date if a.briefings else dt.date.max, a.request.id), reverse=True)
    declined = tuple(sorted((r for r in requests if r.status == "declined"), key=lambda r: r.asked, reverse=True))
    return Agenda(
        tuple((p, items) for p, items in by_priority if items),
        tuple(answered),
        declined,
        median_days_to_answer(answered),
        untriaged,
    )


def median_days_to_answer(answered: list[AnsweredRequest]) -> tuple[tuple[str, float, int], ...]:
    """Per priority, in the registry's order, over requests with a published answer."""
    rows = [(a.request.priority, a.days_taken) for a in answered if a.days_taken is not None]
    if not rows:
        return ()
    import pandas as pd  # loaded here only: the agenda is the one page that needs it

    frame = pd.DataFrame(rows, columns=["priority", "days"])
    stats = frame.groupby("priority")["days"].agg(["median", "count"])
    return tuple((p, float(stats.at[p, "median"]), int(stats.at[p, "count"])) for p in PRIORITIES if p in stats.index)
