"""Replies to policymakers' emailed requests, as .eml files the Council sends from its own mail program:
`council request ack ID` (received: id, priority, expected date, the request's line on the agenda) and
`council request answered ID` (the briefing that answers it). Each is threaded under the original
message (In-Reply-To and References from the stored Message-ID), so it lands in the asker's thread."""

from __future__ import annotations

import datetime as dt
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from council.base.config import ProjectConfig
from council.base.errors import CouncilError
from council.base.files import write_atomically
from council.base.model import Briefing
from council.publish.site_pages import AGENDA  # the page each request has an anchor on
from council.render.templating import long_date
from council.sources.requests import Request, RequestProblems, answering, load_request


def replies_dir(config: ProjectConfig) -> Path:
    return config.build_dir / "replies"


def find_request(config: ProjectConfig, request_id: str) -> Request:
    path = config.requests_dir / f"{request_id}.yml"
    if not path.is_file():
        raise CouncilError(f"no request '{request_id}' in requests/ (looked for {path.name})")
    try:
        return load_request(path)
    except RequestProblems as found:
        raise CouncilError("\n".join(p.show() for p in found.problems)) from None


def acknowledgement(config: ProjectConfig, request: Request, site_url: str, now: dt.datetime) -> EmailMessage:
    agenda = f"{_base(site_url)}{AGENDA}/#{request.id}"
    expected = "the date you asked for" if request.due else "our target for this priority"
    body = "\n".join(
        [
            f"Dear {request.contact_name or 'colleague'},",
            "",
            f"Thank you for your question to the {config.organisation}. We have recorded it as request {request.id}:",
            "",
            f"  {request.question}",
            "",
            f"Reference: {request.id}",
            f"Priority: {request.priority}",
            f"Expected by: {long_date(request.expected)} ({expected})",
            f"Follow its progress: {agenda}",
            "",
            "We will write again when a briefing answers it. Please quote the reference if you write to us about it.",
            "",
            config.organisation,
        ]
    )
    return _reply(config, request, f"Received: {request.id}", body, now)


def answer_notice(
    config: ProjectConfig, request: Request, briefings: list[Briefing], site_url: str, now: dt.datetime
) -> EmailMessage:
    links = [f"  {b.title} ({long_date(b.date)})\n  {_base(site_url)}briefings/{b.slug}/" for b in briefings]
    body = "\n".join(
        [
            f"Dear {request.contact_name or 'colleague'},",
            "",
            f"Your request {request.id} to the {config.organisation} has been answered:",
            "",
            f"  {request.question}",
            "",
            "The briefing"
            + ("s" if len(briefings) > 1 else "")
            + " that answer"
            + ("" if len(briefings) > 1 else "s")
            + " it, each with a PDF and Word version:",
            "",
            *links,
            "",
            f"The research agenda lists it: {_base(site_url)}{AGENDA}/#{request.id}",
            "",
            config.organisation,
        ]
    )
    return _reply(config, request, f"Answered: {request.id}", body, now)


def published_answers(request: Request, public: list[Briefing]) -> list[Briefing]:
    found = answering(request, public)
    if not found:
        raise CouncilError(
            f"no published briefing answers request '{request.id}' yet: a briefing that answers it "
            f"says `answers: [{request.id}]` in its front matter and must be published"
        )
    return found


def write_ack(config: ProjectConfig, request_id: str, site_url: str | None, now: dt.datetime) -> str:
    """`council request ack ID`; returns what to tell the user."""
    request = find_request(config, request_id)
    message = acknowledgement(config, request, _site_url(config, site_url), now)
    return _written(config, message, write_reply(config, message, f"{request.id}-ack.eml"))


def write_answered(config: ProjectConfig, request_id: str, site_url: str | None, now: dt.datetime) -> str:
    """`council request answered ID`: only briefings the public can read are linked."""
    from council.pipeline.site import check as check_sources
    from council.publish.gate import is_public

    request = find_request(config, request_id)
    public = [b for b in check_sources(config).briefings if is_public(b, now)]
    message = answer_notice(config, request, published_answers(request, public), _site_url(config, site_url), now)
    notice = _written(config, message, write_reply(config, message, f"{request.id}-answered.eml"))
    if request.status != "answered":
        notice += f"\nhint: set `status: answered` in requests/{request.id}.yml"
    return notice


def _site_url(config: ProjectConfig, given: str | None) -> str:

    return config.site_url if given is None else given


def _written(config: ProjectConfig, message: EmailMessage, path: Path) -> str:
    return (
        f"wrote {path.relative_to(config.root)} (to {message['To']}, in reply to {message['In-Reply-To']}); "
        f"send it from {config.requests_email}"
    )


def write_reply(config: ProjectConfig, message: EmailMessage, name: str) -> Path:
    """Into build/replies/, whole or not at all."""
    folder = replies_dir(config)
    folder.mkdir(parents=True, exist_ok=True)
    return write_atomically(folder / name, message.as_bytes(policy=policy.SMTP))


def _reply(config: ProjectConfig, request: Request, subject: str, body: str, now: dt.datetime) -> EmailMessage:
    if not config.requests_email:
        raise CouncilError("no requests_email in council.yml: replies are sent from that address")
    if not request.contact_email or not request.message_id:
        raise CouncilError(
            f"request '{request.id}' did not come by email (it has no contact_email and message_id): "
            "there is nothing to reply to; write to the department yourself"
        )
    message = EmailMessage(policy=policy.default)
    message["From"] = Address(config.organisation, addr_spec=config.requests_email)
    message["To"] = Address(request.contact_name or "", addr_spec=request.contact_email)
    message["Subject"] = f"{subject}: {_short(request.question)}"
    message["Date"] = format_datetime(now.astimezone(dt.timezone.utc))
    message["Message-ID"] = make_msgid(idstring=request.id, domain=config.requests_email.rpartition("@")[2])
    message["In-Reply-To"] = request.message_id
    message["References"] = request.message_id
    message.set_content(body)
    return message


def _short(question: str, limit: int = 70) -> str:
    return question if len(question) <= limit else question[:limit].rsplit(" ", 1)[0] + "…"


def _base(site_url: str) -> str:
    if not site_url:
        raise CouncilError("no site address for the links in the reply: set site_url in mkdocs.yml or pass --site-url")
    return site_url.rstrip("/") + "/"
