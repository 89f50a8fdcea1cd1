"""Requests for research that arrive by email: `council request import FILE...` reads .eml files and
mbox folders with the standard library's `email` package and turns each message into a request.

Two shapes of message arrive. *Labelled* ones come from the "Ask the Council" form (or its copyable
template): one `Label: value` line per field, in LABELS below; they map field by field. *Free-form*
ones are ordinary emails: the question comes from the first paragraph that asks something (else the
subject), the department from the sender's mail domain, and the request is marked `needs_triage`.

Nothing in a message is trusted: HTML is reduced to plain text (scripts and styles dropped), and
attachments are never saved, only counted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import mailbox
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import headerregistry, policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path

import yaml
from tqdm import tqdm

from council.authoring.names import natural_order
from council.authoring.scaffold import RequestDraft, RequestWriter
from council.base.errors import Location, ProblemsFound, SourceError
from council.base.vocabularies import vocabularies
from council.sources.requests import LABELS, PRIORITIES, SUBJECT_PREFIX, RequestProblems, request_files

_LABEL_LINE = re.compile(r"^\s*(" + "|".join(re.escape(k) for k in LABELS) + r")\s*:\s?(.*)$", re.IGNORECASE)
_REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|fwd?|aw|wg|tr)\s*(?:\[\d+\])?\s*:\s*)+", re.IGNORECASE)
_FORWARD_MARKERS = (
    re.compile(r"^-{2,}\s*Forwarded message\s*-{2,}\s*$", re.IGNORECASE),  # Gmail
    re.compile(r"^Begin forwarded message:\s*$", re.IGNORECASE),  # Apple Mail
    re.compile(r"^-{2,}\s*Original Message\s*-{2,}\s*$", re.IGNORECASE),  # Outlook, older
)
_QUOTE_STARTS = (
    re.compile(r"^On .{4,200} wrote:\s*$"),  # Gmail, Apple Mail
    re.compile(r"^-{2,}\s*Original Message\s*-{2,}\s*$", re.IGNORECASE),
    re.compile(r"^_{10,}\s*$"),  # Outlook's rule
    re.compile(r"^From:\s.+$"),  # Outlook: From/Sent/To block
)
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y")


@dataclass(frozen=True)
class ParsedRequest:
    """One message, understood: what becomes requests/<id>.yml, and what the import reports."""

    source: str  # file name (and message number in an mbox), for messages
    message_id: str
    draft: RequestDraft
    attachments_dropped: int
    labelled: bool


class MessageRefused(ProblemsFound):
    """A message that cannot become a request; `problems` says what is missing."""


# --- reading files -----------------------------------------------------------------------------
# Hostile mail is refused before the parser sees it: the standard library parses nested parts by
# recursion, so thousands of nested multiparts or attached messages end in RecursionError.
MAX_MESSAGE_BYTES = 50 * 1024 * 1024  # well above what mail servers deliver (25-35 MB)
MAX_CONTAINERS = 100  # multipart and message/* parts in one message, at any depth
_CONTAINER = re.compile(rb"^content-type:\s*(?:multipart/|message/)", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class Unreadable:
    """A message refused before parsing: why, and what to do."""

    reason: str
    hint: str


def read_messages(path: Path) -> Iterator[tuple[str, EmailMessage | Unreadable]]:
    """Each message of an .eml file or an mbox, with the name to report it by (the file, and the
    message's number in an mbox). A message too large or nested too deep comes back Unreadable."""
    with path.open("rb") as handle:
        is_mbox = handle.read(5) == b"From "
    if not is_mbox:
        with path.open("rb") as handle:
            yield path.name, _parsed(handle.read(MAX_MESSAGE_BYTES + 1))
        return
    box = mailbox.mbox(path, create=False)
    try:
        keys = box.keys()  # one pass over the file
        shown = tqdm(keys, desc=f"reading {path.name}", unit=" messages", leave=False, disable=None)
        for number, key in enumerate(shown, 1):
            message = box.get_file(key, from_=False)  # a window on the mbox: never more than the limit read
            try:
                raw = message.read(MAX_MESSAGE_BYTES + 1)
            finally:
                message.close()
            yield f"{path.name} (message {number})", _parsed(raw)
    finally:
        box.close()


class _HeaderClasses(headerregistry.HeaderRegistry):
    """The standard registry builds a new class each time a header is read (about a tenth of an
    import's time); one class per header name is enough. Names beyond the first few hundred, which
    only a hostile message has, are built as before rather than kept."""

    def __init__(self) -> None:
        super().__init__()
        self._built: dict[str, type] = {}

    def __getitem__(self, name: str) -> type:
        key = name.lower()
        found = self._built.get(key)
        if found is None:
            found = super().__getitem__(name)
            if len(self._built) < 500:
                self._built[key] = found
        return found


_POLICY = policy.default.clone(header_factory=_HeaderClasses())


def _parsed(raw: bytes) -> EmailMessage | Unreadable:
    if len(raw) > MAX_MESSAGE_BYTES:  # read no further than one byte past the limit
        return Unreadable(
            f"the message is larger than the {MAX_MESSAGE_BYTES / 1024 / 1024:.0f} MiB the Council reads",
            "ask the sender to send the question without the large attachments",
        )
    containers = len(_CONTAINER.findall(raw))
    if containers > MAX_CONTAINERS:
        return Unreadable(
            f"the message nests {containers} multipart or attached-message parts; the Council reads at "
            f"most {MAX_CONTAINERS}",
            "a message built this way is not an ordinary email: ask the sender to write the question afresh",
        )
    return BytesParser(policy=_POLICY).parsebytes(raw)  # type: ignore[return-value]


# --- one message -------------------------------------------------------------------------------
def parse_request(message: EmailMessage, source: str, path: Path) -> ParsedRequest:
    """Turn one message into a request draft, or raise MessageRefused naming what is missing."""
    where = Location(path)
    problems: list[SourceError] = []
    source = _named(source, path)
    sender = _sender(message)
    if sender is None:
        problems.append(
            SourceError(
                where,
                f"{source}no sender: the message has no From address",
                field="From",
                hint="import the message as the mail program saved it, with its headers",
            )
        )
    asked = _date(message)
    if asked is None:
        problems.append(
            SourceError(
                where,
                f"{source}no date the Council can read (Date: {_header(message, 'Date') or 'missing'})",
                field="Date",
                hint="the Date header must be an RFC 5322 date such as 'Tue, 1 Dec 2026 09:30:00 +0000'",
            )
        )
    outer_text = _body_text(message)
    forwarded = _forwarded(message, outer_text)
    subject = _clean_subject(
        _header(forwarded.message, "Subject") if forwarded and forwarded.message else ""
    ) or _clean_subject(_header(message, "Subject"))
    note = _without_quoted_reply(_before_forward(outer_text, _is_forward(message)))  # the forwarder's words
    text = forwarded.text if forwarded else note
    fields = _labelled_fields(text)
    labelled = "question" in fields
    if not (text.strip() or note.strip()):
        problems.append(
            SourceError(
                where,
                f"{source}the message body is empty: there is no question to record",
                field="body",
                hint="ask the sender to write the question in the message",
            )
        )
    # a forwarder who asks something asks the question; the forwarded text is the context
    question = fields.get("question") or _asking_paragraph(note) or _asking_paragraph(text) or subject
    if (text.strip() or note.strip()) and not question:
        problems.append(
            SourceError(
                where,
                f"{source}no question: neither the subject nor the text asks anything",
                field="question",
                hint="record it by hand with `council request new`",
            )
        )
    due, priority = None, "medium"
    if labelled:
        due, priority = _due_and_priority(fields, where, source, problems)
    elif asked is not None:
        due = stated_deadline(note, asked) or stated_deadline(text, asked)
    if problems:
        raise MessageRefused(problems)
    assert sender is not None and asked is not None
    contact_name = fields.get("contact_name") or sender[0]
    contact_email = fields.get("contact_email") or sender[1]
    department = (
        fields.get("department")
        or department_for(sender[1])
        or (department_for(forwarded.sender[1]) if forwarded and forwarded.sender else None)
    )
    # the form's fields map as they are, but only from a known department's mail: anyone can send the
    # form's labels, and a request reaches the public agenda once it is out of triage
    reasons = triage_reasons(message, sender[1], fields.get("department") if labelled else None)
    if department is None:
        department = f"Unknown department ({sender[1].rpartition('@')[2]})"
    message_id = _message_id(message)
    email_fields = [
        ("subject", subject),
        ("team", fields.get("team")),
        ("why", fields.get("why")),
        ("contact_name", contact_name),
        ("contact_email", contact_email),
        ("message_id", message_id),
    ]
    draft = RequestDraft(
        department=department,
        question=" ".join(question.split()),
        priority=priority,
        asked=asked,
        due=due,
        needs_triage=bool(reasons),
        triage_reason="; ".join(reasons) or None,
        email_fields=tuple((k, v) for k, v in email_fields if v),
    )
    return ParsedRequest(source, message_id, draft, count_attachments(message), labelled)


def _named(source: str, path: Path) -> str:
    """The prefix of a message's problems: an mbox names the message; an .eml file is its own name."""
    return "" if source == path.name else f"{source}: "


def _header(message: EmailMessage, name: str) -> str:
    raw = next((value for key, value in message.raw_items() if key.lower() == name.lower()), None)
    if raw is not None and _has_raw_bytes(raw):  # the policy would show each raw byte as U+FFFD
        return " ".join(repaired(raw).split())
    try:
        value = message.get(name)
    except (ValueError, TypeError, IndexError):  # a header the policy cannot parse
        return ""
    return " ".join(repaired(str(value)).split()) if value is not None else ""


def _has_raw_bytes(text: str) -> bool:
    return any("\udc80" <= c <= "\udcff" for c in text)


def repaired(text: str) -> str:
    """Text as a person would read it. Raw 8-bit bytes in a header or an undeclared charset reach us
    as surrogate escapes, which no file can hold: they are decoded as UTF-8 if they are UTF-8, else as
    Windows-1252 (what Outlook sends undeclared); control characters go."""
    if _has_raw_bytes(text):
        raw = text.encode("utf-8", "surrogateescape")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", "replace")
    text = text.encode("utf-8", "replace").decode("utf-8")  # any other lone surrogate
    return _CONTROL.sub("", text)


# characters YAML may not hold (C0 and C1 controls but tab, newline, return and NEL; U+FFFE, U+FFFF):
# a request file is YAML, and one that cannot be read back is never written
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


def _sender(message: EmailMessage) -> tuple[str, str] | None:
    """(display name, address) of the first From address; the policy decodes RFC 2047 names."""
    try:
        header = message.get("From")
        addresses = getattr(header, "addresses", ()) if header is not None else ()
    except (ValueError, TypeError, IndexError):
        addresses = ()
    for address in addresses:
        if address.addr_spec and "@" in address.addr_spec:
            return natural_order(repaired(address.display_name)), repaired(address.addr_spec).lower()
    raw = message.get_all("From") or []  # a header the policy gave up on: try the classic parser
    for name, addr in getaddresses([str(v) for v in raw]):
        if "@" in addr:
            return natural_order(repaired(name)), repaired(addr).lower()
    return None


def _date(message: EmailMessage) -> dt.date | None:
    try:
        header = message.get("Date")
    except (ValueError, TypeError, IndexError, OverflowError):
        header = None
    moment = getattr(header, "datetime", None) if header is not None else None
    if moment is None and header is not None:
        try:
            moment = parsedate_to_datetime(str(header))
        except (ValueError, TypeError, IndexError, OverflowError):
            return None
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc)
    return moment.date()


def _message_id(message: EmailMessage) -> str:
    value = "".join(_header(message, "Message-ID").split())
    if value:
        return value if value.startswith("<") else f"<{value.strip('<>')}>"
    # no Message-ID (some scripts send without one): a stable stand-in from the message's bytes,
    # so that importing the same file again still adds nothing
    return f"<{hashlib.sha256(message.as_bytes()).hexdigest()[:32]}@no-message-id.invalid>"


def _clean_subject(subject: str) -> str:
    subject = _REPLY_PREFIX.sub("", subject).strip()
    if subject.lower().startswith(SUBJECT_PREFIX.lower()):
        subject = _REPLY_PREFIX.sub("", subject[len(SUBJECT_PREFIX) :]).strip()
    return subject


def department_for(address: str) -> str | None:
    """The department whose mail domain (or a parent of it) the address belongs to."""
    domains = vocabularies()["department_domains"].labels
    domain = address.rpartition("@")[2].lower().rstrip(".")
    while domain:
        if domain in domains:
            return domains[domain]
        domain = domain.partition(".")[2]
    return None


_AUTH_FAILURE = re.compile(r"\b(spf|dkim|dmarc)\s*=\s*(fail|softfail|permerror)\b", re.IGNORECASE)


def triage_reasons(message: EmailMessage, address: str, label: str | None) -> list[str]:
    """Why a request must be checked by a person before it reaches the public agenda; none for a
    labelled message from a department's own, authenticated mail whose label names that department.
    Only failures in Authentication-Results count: a sender can add a header saying "pass", but a
    "fail" comes from a receiving server (or makes the message suspect anyway)."""
    reasons = []
    if label is None:
        reasons.append("free-form email: department, question and priority were inferred")
    domain = address.rpartition("@")[2]
    known = department_for(address)
    if known is None:
        reasons.append(f"the sender's domain {domain} is not a department's")
    elif label is not None and not _label_names(label, known, domain):
        reasons.append(f"the Department label says '{label}' but the sender's domain {domain} is {known}'s")
    failures = sorted(
        {
            f"{m.group(1).lower()}={m.group(2).lower()}"
            for v in _all_headers(message, "Authentication-Results")
            for m in _AUTH_FAILURE.finditer(v)
        }
    )
    if failures:
        reasons.append(
            f"the message failed the mail server's authentication ({', '.join(failures)}): "
            f"it may not come from {domain}"
        )
    return reasons


def _all_headers(message: EmailMessage, name: str) -> list[str]:
    try:
        return [repaired(str(v)) for v in message.get_all(name) or []]
    except (ValueError, TypeError, IndexError):
        return []


def _label_names(label: str, department: str, domain: str) -> bool:
    """Whether a form's Department label names the department of the sender's domain: its full name
    (possibly followed by a team, "Home Office, Homeland Security Group"), its abbreviation in the
    departments vocabulary (FCDO), or the domain's own name (fcdo)."""
    said = label.casefold().strip()
    short = {k.casefold() for k, v in vocabularies()["departments"].labels.items() if v == department}
    names = {department.casefold(), domain.partition(".")[0].casefold(), *short}
    return any(said == name or said.startswith((name + ",", name + " -", name + " (")) for name in names)


# --- the text ---------------------------------------------------------------------------------
def _body_text(message: EmailMessage) -> str:
    """The message's text: its plain part, else its HTML part reduced to plain text. The policy
    decodes quoted-printable, base64 and the declared charset."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, ValueError):  # an unknown charset: bytes as Latin-1 never fail
        content = (part.get_payload(decode=True) or b"").decode("latin-1")
    if not isinstance(content, str):
        return ""
    text = html_to_text(content) if part.get_content_type() == "text/html" else content
    return repaired(text).replace("\r\n", "\n").replace("\r", "\n")


class _TextOnly(HTMLParser):
    """Visible text of an HTML email, with paragraphs kept; scripts, styles and head dropped."""

    SKIP = {"script", "style", "head", "title", "template", "noscript", "svg", "object", "iframe"}
    BLOCKS = {
        "p",
        "div",
        "br",
        "li",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "table",
        "ul",
        "ol",
        "hr",
        "pre",
        "section",
        "article",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(re.sub(r"[ \t\r\n\f]+", " ", data))


def html_to_text(markup: str) -> str:
    parser = _TextOnly()
    parser.feed(markup)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).replace("\xa0", " ").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _without_quoted_reply(text: str) -> str:
    """The new text of a reply: stop at the first quoted line or quoted-message header."""
    kept = []
    for line in text.split("\n"):
        if re.match(r"^>+From ", line):  # a line mbox escaped, not a quotation
            line = line[1:]
        stripped = line.strip()
        if stripped.startswith(">") or any(p.match(stripped) for p in _QUOTE_STARTS):
            break
        kept.append(line)
    return "\n".join(kept).strip()


def _labelled_fields(text: str) -> dict[str, str]:
    """`Label: value` lines; a value continues on following lines until a blank line or the next label."""
    fields: dict[str, str] = {}
    current: str | None = None
    for line in text.split("\n"):
        match = _LABEL_LINE.match(line)
        if match:
            label = next(k for k in LABELS if k.lower() == match.group(1).lower())
            current = LABELS[label]
            fields[current] = match.group(2).strip()
        elif current and line.strip():
            fields[current] = (fields[current] + " " + line.strip()).strip()
        else:
            current = None
    return {k: " ".join(v.split()) for k, v in fields.items() if v.strip()}


def _asking_paragraph(text: str) -> str:
    for paragraph in re.split(r"\n\s*\n", text):
        joined = " ".join(paragraph.split())
        if "?" in joined:
            return joined
    return ""


def _due_and_priority(
    fields: dict[str, str], where: Location, source: str, problems: list[SourceError]
) -> tuple[dt.date | None, str]:
    due = None
    if fields.get("due"):
        due = _parse_day(fields["due"])
        if due is None:
            problems.append(
                SourceError(
                    where,
                    f"{source}the deadline '{fields['due']}' is not a date",
                    field="Deadline",
                    hint="write it as YYYY-MM-DD, e.g. 2027-01-31",
                )
            )
    priority = fields.get("priority", "medium").lower()
    if priority not in PRIORITIES:
        problems.append(
            SourceError(
                where,
                f"{source}unknown priority '{fields['priority']}'",
                field="Priority",
                hint="use high, medium or low",
            )
        )
    return due, priority


def _parse_day(value: str) -> dt.date | None:
    for pattern in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    return None


_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_STATED_DEADLINE = re.compile(
    r"\b(?:before|by|no later than|not later than|ahead of|in time for|deadline(?: is|:)?)\s+"
    r"(?:\w+day,?\s+)?(?:the\s+)?"
    rf"(?P<date>\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{4}})",
    re.IGNORECASE,
)


def stated_deadline(text: str, asked: dt.date) -> dt.date | None:
    """A deadline a free-form request states in words, "before 14 February 2027" or "by 2027-02-14":
    the first such date not before the day it was asked (a date in the past is history, not a deadline)."""
    for match in _STATED_DEADLINE.finditer(" ".join(text.split())):
        written = re.sub(r"(?<=\d)(?:st|nd|rd|th)\b", "", match.group("date"))
        day = _parse_day(written)
        if day is not None and day >= asked:
            return day
    return None


# --- forwarded messages and attachments ---------------------------------------------------------
@dataclass(frozen=True)
class _Forwarded:
    text: str
    sender: tuple[str, str] | None
    message: EmailMessage | None = None  # when forwarded as an attachment (message/rfc822)


def _is_forward(message: EmailMessage) -> bool:
    return bool(re.match(r"^\s*(?:fwd?|wg|tr)\s*:", _header(message, "Subject"), re.IGNORECASE))


def _forward_start(lines: list[str], is_forward: bool) -> tuple[int, int] | None:
    """Where a forwarded message starts, as (first line not the forwarder's, first line of the forwarded
    part): after a mail program's marker, or, for Outlook, whose forwards carry no marker, at the rule
    or the `From:` line of a message whose subject says FW."""
    for number, line in enumerate(lines):
        stripped = line.strip().lstrip("> ")
        if any(p.match(stripped) for p in _FORWARD_MARKERS) or (is_forward and re.match(r"^_{10,}$", stripped)):
            return number, number + 1
        if is_forward and re.match(r"^From:\s.+", stripped):
            return number, number
    return None


def _before_forward(text: str, is_forward: bool) -> str:
    lines = text.split("\n")
    found = _forward_start(lines, is_forward)
    return text if found is None else "\n".join(lines[: found[0]])


def _forwarded(message: EmailMessage, outer_text: str) -> _Forwarded | None:
    """The forwarded message inside, attached whole or quoted inline after the mail program's marker."""
    for part in message.walk():
        if part is not message and part.get_content_type() == "message/rfc822":
            inner = part.get_content()
            if isinstance(inner, EmailMessage):
                return _Forwarded(_without_quoted_reply(_body_text(inner)), _sender(inner), inner)
    lines = outer_text.split("\n")
    found = _forward_start(lines, _is_forward(message))
    if found is None:
        return None
    return _inline_forward([ln[1:].lstrip() if ln.startswith(">") else ln for ln in lines[found[1] :]])


def _inline_forward(lines: list[str]) -> _Forwarded:
    """After the marker: a block of `From:`, `Date:`/`Sent:`, `Subject:`, `To:` lines, then the text."""
    headers: dict[str, str] = {}
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    while index < len(lines):
        match = re.match(r"^\s*(From|Sent|Date|To|Cc|Subject)\s*:\s*(.*)$", lines[index], re.IGNORECASE)
        if not match:
            break
        headers[match.group(1).lower()] = match.group(2)
        index += 1
    sender = None
    if "from" in headers:
        found = [(n, a.lower()) for n, a in getaddresses([headers["from"].replace("mailto:", "")]) if "@" in a]
        sender = found[0] if found else None
    inner = EmailMessage(policy=policy.default)
    if headers.get("subject"):
        inner["Subject"] = headers["subject"]
    return _Forwarded(
        _without_quoted_reply("\n".join(lines[index:])), sender, inner if headers.get("subject") else None
    )


def count_attachments(message: EmailMessage) -> int:
    """Parts that are not the message's text: files, inline images, calendar invitations. A message
    forwarded as an attachment is read, not dropped, but what it carries is counted."""
    count = 0
    body = message.get_body(preferencelist=("plain", "html"))
    for part in message.walk():
        if part.is_multipart() or part is body or part.get_content_type() == "message/rfc822":
            continue
        if part.is_attachment() or part.get_content_maintype() != "text" or part.get_filename():
            count += 1
    return count


# --- the registry ------------------------------------------------------------------------------
def stored_message_ids(directory: Path) -> dict[str, str]:
    """Message-ID -> request id, for every request imported so far, read leniently (a broken file
    elsewhere in the registry must not make an import forget what it has seen)."""
    found = {}
    for path in request_files(directory):
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            values = yaml.safe_load(text)
        except yaml.YAMLError:
            match = re.search(r"^message_id:\s*\"?([^\"\n]+)", text, re.MULTILINE)
            values = {"message_id": match.group(1)} if match else {}
        if isinstance(values, dict) and values.get("message_id"):
            found[str(values["message_id"]).strip()] = path.stem
    return found


@dataclass
class ImportReport:
    lines: list[str] = field(default_factory=list)  # one per message, for the terminal
    refused: list[SourceError] = field(default_factory=list)
    created: list[Path] = field(default_factory=list)


def import_messages(paths: list[Path], directory: Path, today: dt.date) -> ImportReport:
    """Each message becomes a request, or is skipped (imported before) or refused (with why). One bad
    message never stops the others; a refused one leaves nothing behind. The registry is read once,
    so an import takes time in proportion to the number of messages."""
    report = ImportReport()
    seen = stored_message_ids(directory)
    with RequestWriter(directory, today) as writer:
        for path in paths:
            _import_file(path, writer, seen, report)
    return report


def _import_file(path: Path, writer: RequestWriter, seen: dict[str, str], report: ImportReport) -> None:
    messages = read_messages(path)
    while True:
        try:
            source, message = next(messages)
        except StopIteration:
            return
        except (OSError, mailbox.Error) as error:
            report.refused.append(
                SourceError(Location(path), f"cannot read {path.name}: {error}", hint="give an .eml file or an mbox")
            )
            return
        _import_one(message, source, path, writer, seen, report)


# What a hostile or damaged message can raise from the standard library's email package, beyond what
# parse_request catches itself: the message is refused, the batch goes on.
_MALFORMED = (UnicodeError, LookupError, ValueError, TypeError, IndexError, AttributeError, RecursionError)


def _import_one(
    message: EmailMessage | Unreadable,
    source: str,
    path: Path,
    writer: RequestWriter,
    seen: dict[str, str],
    report: ImportReport,
) -> None:
    if isinstance(message, Unreadable):
        report.refused.append(SourceError(Location(path), f"{_named(source, path)}{message.reason}", hint=message.hint))
        return
    try:
        parsed = parse_request(message, source, path)
    except MessageRefused as refused:
        report.refused.extend(refused.problems)
        return
    except _MALFORMED as error:
        report.refused.append(
            SourceError(
                Location(path),
                f"{_named(source, path)}the message is malformed and cannot be read ({type(error).__name__})",
                hint="ask the sender to send it again, or record it by hand with `council request new`",
            )
        )
        return
    if parsed.message_id in seen:
        report.lines.append(
            f"skipped {source}: already imported as {seen[parsed.message_id]} (Message-ID {parsed.message_id})"
        )
        return
    try:
        created = writer.write(parsed.draft)
    except RequestProblems as problems:  # e.g. a deadline before the date asked
        report.refused.extend(
            SourceError(Location(path), f"{_named(source, path)}{p.message}", field=p.field, hint=p.hint)
            for p in problems.problems
        )
        return
    except yaml.YAMLError as error:  # text the request file cannot hold: nothing was left behind
        report.refused.append(
            SourceError(
                Location(path),
                f"{_named(source, path)}the message holds text a request file cannot record ({type(error).__name__})",
                hint="record it by hand with `council request new`",
            )
        )
        return
    seen[parsed.message_id] = created.stem
    report.created.append(created)
    notes = ["labelled" if parsed.labelled else "free-form"]
    if parsed.draft.needs_triage:
        notes.append("needs triage")
    if parsed.attachments_dropped:
        notes.append(
            f"{parsed.attachments_dropped} attachment{'s' if parsed.attachments_dropped != 1 else ''} "
            "dropped, not saved"
        )
    report.lines.append(f"created {writer.directory.name}/{created.name} from {source} ({'; '.join(notes)})")
