"""Issue 26 item 6 and issue 28 item 8: `council request import` treats mail as hostile input.

Messages here are built as bytes (raw 8-bit headers, unknown charsets, thousands of nested parts) or
with the standard library's `email` package, and imported by the real `council` command; what it
wrote is read back with `load_request`, the same reader `council check` uses.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from conftest import TinyProject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from council.authoring import mail
from council.authoring.mail import MAX_CONTAINERS, import_messages
from council.sources.requests import Request, load_request

DATE = "Mon, 23 Nov 2026 10:00:00 +0000"
ASKED = dt.date(2026, 11, 23)


def requests_in(project: TinyProject) -> dict[str, Request]:
    folder = project.root / "requests"
    return {p.stem: load_request(p) for p in sorted(folder.glob("*.yml"))} if folder.exists() else {}


def headers(sender: bytes = b"Jo Bloggs <jo.bloggs@fcdo.gov.uk>", subject: bytes = b"A question", n: int = 1) -> bytes:
    return b"From: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <m%d@fcdo.gov.uk>\r\n" % (
        sender,
        subject,
        DATE.encode(),
        n,
    )


def plain(body: str, n: int = 1, **kwargs: bytes) -> bytes:
    return headers(n=n, **kwargs) + b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + body.encode() + b"\r\n"


def nested_messages(depth: int, n: int) -> bytes:
    """A message attaching a message attaching a message..., `depth` deep."""
    inner = plain("Could the Council look at this?", n=n)
    for _ in range(depth):
        inner = headers(n=n) + b"MIME-Version: 1.0\r\nContent-Type: message/rfc822\r\n\r\n" + inner
    return inner


def nested_multiparts(depth: int, n: int) -> bytes:
    body = b"Content-Type: text/plain\r\n\r\nCould the Council look at this?\r\n"
    for level in range(depth):
        boundary = b"b%d" % level
        body = b'Content-Type: multipart/mixed; boundary="%s"\r\n\r\n--%s\r\n%s\r\n--%s--\r\n' % (
            boundary,
            boundary,
            body,
            boundary,
        )
    return headers(n=n) + b"MIME-Version: 1.0\r\n" + body


def mbox(path: Path, messages: list[bytes]) -> Path:
    """An mbox as mail programs write it: a From_ line before each message, From in bodies escaped."""
    with path.open("wb") as out:
        for message in messages:
            escaped = b"\n".join(b">" + ln if ln.startswith(b"From ") else ln for ln in message.split(b"\n"))
            out.write(b"From sender@example.org Mon Nov 23 10:00:00 2026\n" + escaped.rstrip(b"\n") + b"\n\n")
    return path


# --- decoding ------------------------------------------------------------------------------------
def test_raw_8bit_headers_and_unknown_charsets_are_decoded_not_a_crash(project: TinyProject) -> None:
    latin1 = headers(sender=b"J\xe9r\xf4me Dupont <jerome@fcdo.gov.uk>", subject=b"Caf\xe9 question", n=1)
    cp1252 = headers(sender=b"Ann O\x92Neill <ann@fcdo.gov.uk>", subject=b"Ann\x92s question", n=2)
    utf8 = headers(sender="Zoë Llŷr <zoe@fcdo.gov.uk>".encode(), subject="Llŷr’s question".encode(), n=3)
    unknown = b"Content-Type: text/plain; charset=x-unknown-42\r\n\r\nCould the Council look at caf\xe9s?\r\n"
    box = mbox(project.root / "box.mbox", [latin1 + unknown, cp1252 + unknown, utf8 + unknown])
    result = project.council("request", "import", str(box))
    assert result.returncode == 0, result.stderr
    assert "internal error" not in result.stderr + result.stdout
    found = [(r.contact_name, r.question) for r in requests_in(project).values()]
    assert found == [
        ("Jérôme Dupont", "Could the Council look at cafés?"),
        ("Ann O’Neill", "Could the Council look at cafés?"),
        ("Zoë Llŷr", "Could the Council look at cafés?"),
    ]
    subjects = [p.read_text(encoding="utf-8") for p in sorted((project.root / "requests").glob("*.yml"))]
    assert 'subject: "Café question"' in subjects[0] and 'subject: "Ann’s question"' in subjects[1]
    assert 'subject: "Llŷr’s question"' in subjects[2]


# --- nesting and the batch -------------------------------------------------------------------------
def test_deep_nesting_is_refused_per_message_and_the_batch_goes_on(project: TinyProject) -> None:
    box = mbox(
        project.root / "box.mbox",
        [
            plain("Could the Council look at Mali?", n=1),
            nested_messages(2000, n=2),
            nested_multiparts(3000, n=3),
            plain("Could the Council look at Chad?", n=4),
        ],
    )
    result = project.council("request", "import", str(box))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    refused = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert refused == [
        "box.mbox: error: box.mbox (message 2): the message nests 2000 multipart or attached-message parts; "
        f"the Council reads at most {MAX_CONTAINERS}",
        "box.mbox: error: box.mbox (message 3): the message nests 3000 multipart or attached-message parts; "
        f"the Council reads at most {MAX_CONTAINERS}",
    ]
    assert [r.question for r in requests_in(project).values()] == [
        "Could the Council look at Mali?",
        "Could the Council look at Chad?",
    ]
    assert "2 request(s) created, 2 problem(s)" in result.stdout


@pytest.mark.parametrize("build", [nested_messages, nested_multiparts])
def test_nesting_exactly_at_the_limit_is_read_and_one_more_is_refused(project: TinyProject, build) -> None:  # type: ignore[no-untyped-def]
    at_limit = project.root / "at.eml"
    at_limit.write_bytes(build(MAX_CONTAINERS, n=1))
    over = project.root / "over.eml"
    over.write_bytes(build(MAX_CONTAINERS + 1, n=2))
    result = project.council("request", "import", str(at_limit), str(over))
    assert result.returncode == 1
    assert f"over.eml: error: the message nests {MAX_CONTAINERS + 1} " in result.stderr
    assert "at.eml: error: the message nests" not in result.stderr  # read (and judged on its content)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def test_an_oversized_message_is_refused_before_it_is_read(project: TinyProject, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    big = project.root / "big.eml"
    big.write_bytes(plain("Could the Council look at this?\n\n" + " padding" * 2000))
    monkeypatch.setattr(mail, "MAX_MESSAGE_BYTES", big.stat().st_size - 1)
    report = import_messages([big], project.root / "requests", ASKED)
    assert [p.message for p in report.refused] == ["the message is larger than the 0 MiB the Council reads"]
    box = mbox(project.root / "box.mbox", [big.read_bytes(), plain("Could the Council look at Chad?", n=2)])
    report = import_messages([box], project.root / "requests", ASKED)
    assert [p.message for p in report.refused] == [
        "box.mbox (message 1): the message is larger than the 0 MiB the Council reads"
    ]
    assert len(report.created) == 1
    monkeypatch.setattr(mail, "MAX_MESSAGE_BYTES", big.stat().st_size)
    assert len(import_messages([big], project.root / "requests", ASKED).created) == 1


# --- triage --------------------------------------------------------------------------------------
def form(department: str) -> str:
    return (
        f"Department: {department}\nQuestion: Does training reduce abuses?\nPriority: medium\n"
        "Contact name: Jo Bloggs\nContact email: jo.bloggs@mod.gov.uk\n"
    )


def message(name: str, folder: Path, body: str, sender: str, auth: str | None = None) -> Path:
    built = EmailMessage(policy=policy.default)
    built["From"] = sender
    built["Subject"] = "Research request: training"
    built["Date"] = DATE
    built["Message-ID"] = f"<{name}@example>"
    if auth:
        built["Authentication-Results"] = auth
    built.set_content(body)
    path = folder / f"{name}.eml"
    path.write_bytes(built.as_bytes())
    return path


def test_failed_authentication_and_a_label_the_domain_disagrees_with_go_to_triage_with_the_reason(
    project: TinyProject,
) -> None:
    folder = project.root
    paths = [
        message("trusted", folder, form("Ministry of Defence"), "jo@mod.gov.uk", "mx.example; spf=pass dmarc=pass"),
        message("short-name", folder, form("MOD"), "jo@mod.gov.uk"),
        message("dmarc", folder, form("Ministry of Defence"), "jo@mod.gov.uk", "mx.example; spf=pass; dmarc=fail"),
        message("spf-dkim", folder, form("Ministry of Defence"), "jo@mod.gov.uk", "mx; spf=softfail; dkim=fail"),
        message("mismatch", folder, form("Ministry of Defence"), "jo@fcdo.gov.uk"),
    ]
    result = project.council("request", "import", *map(str, paths))
    assert result.returncode == 0, result.stderr
    found = [(r.needs_triage, r.triage_reason) for r in requests_in(project).values()]
    assert found == [
        (False, None),
        (False, None),
        (True, "the message failed the mail server's authentication (dmarc=fail): it may not come from mod.gov.uk"),
        (
            True,
            "the message failed the mail server's authentication (dkim=fail, spf=softfail): "
            "it may not come from mod.gov.uk",
        ),
        (
            True,
            "the Department label says 'Ministry of Defence' but the sender's domain fcdo.gov.uk is "
            "Foreign, Commonwealth and Development Office's",
        ),
    ]
    check = project.council("check")
    assert "kept off the site until someone checks it: the message failed the mail server's authentication" in (
        check.stdout + check.stderr
    )


# --- linear time and progress ----------------------------------------------------------------------
def test_the_registry_is_listed_once_per_import_not_once_per_message(project: TinyProject, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    box = mbox(project.root / "box.mbox", [plain(f"Could the Council look at case {n}?", n=n) for n in range(60)])
    listings = []
    for name in ("glob", "iterdir"):
        original = getattr(Path, name)

        def counted(self, *args, _original=original, _name=name):  # type: ignore[no-untyped-def]
            if self.name == "requests":
                listings.append(_name)
            return _original(self, *args)

        monkeypatch.setattr(Path, name, counted)
    report = import_messages([box], project.root / "requests", ASKED)
    assert len(report.created) == 60 and not report.refused
    assert len(listings) <= 3, listings
    assert [p.stem for p in report.created][-1] == f"R-{ASKED.year}-060"


def test_an_mbox_import_shows_progress_on_a_terminal(project: TinyProject) -> None:
    box = mbox(project.root / "box.mbox", [plain(f"Could the Council look at case {n}?", n=n) for n in range(5)])
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a new pty is 0 wide
    process = subprocess.Popen(
        [sys.executable, "-m", "council", "request", "import", str(box)],
        cwd=project.root,
        stdout=subprocess.DEVNULL,
        stderr=terminal,
    )
    os.close(terminal)
    shown = b""
    with contextlib.suppress(OSError):  # EIO once the command has exited
        while chunk := os.read(controller, 65536):
            shown += chunk
    os.close(controller)
    assert process.wait(timeout=120) == 0
    assert b"reading box.mbox:   0%" in shown and b"0/5" in shown


# --- questions in free-form mail (issue 28 item 8) -------------------------------------------------
FORWARD = """Could the Council assess whether the early-warning cables from Juba reach ministers in time?

---------- Forwarded message ---------
From: Sam Reed <sam.reed@fcdo.gov.uk>
Date: Mon, 16 Nov 2026 at 09:00
Subject: Juba cables
To: Jo Bloggs <jo.bloggs@fcdo.gov.uk>

Jo,

The cables from Juba took three weeks to reach the desk. Could the Research Council look at this?

Sam
"""


def test_a_forward_takes_the_forwarders_own_question(project: TinyProject) -> None:
    path = message("forward", project.root, FORWARD, "Jo Bloggs <jo.bloggs@fcdo.gov.uk>")
    assert project.council("request", "import", str(path)).returncode == 0
    (request,) = requests_in(project).values()
    assert request.question == (
        "Could the Council assess whether the early-warning cables from Juba reach ministers in time?"
    )


@pytest.mark.parametrize(
    ("sentence", "due"),
    [
        ("We need an assessment of atrocity risk in Chad before 14 February 2027.", dt.date(2027, 2, 14)),
        ("The minister needs evidence on sanctions timing by Friday 5th March 2027, please.", dt.date(2027, 3, 5)),
        ("An answer no later than 2027-01-31 would let us brief the Committee.", dt.date(2027, 1, 31)),
        ("We need it by 23 November 2026 at the latest.", ASKED),  # the day asked: still a deadline
        ("We asked before 22 November 2026 and heard nothing; we need a view on Chad.", None),  # history
    ],
)
def test_a_request_written_as_a_statement_keeps_its_deadline(
    project: TinyProject, sentence: str, due: dt.date | None
) -> None:
    path = message("statement", project.root, f"Dear Council,\n\n{sentence}\n\nJo\n", "jo.bloggs@fcdo.gov.uk")
    result = project.council("request", "import", str(path))
    assert result.returncode == 0, result.stderr
    (request,) = requests_in(project).values()
    assert request.due == due


# --- any bytes: a request or a located refusal, never a crash ---------------------------------------
FIXTURES = sorted((Path(__file__).parent / "fixtures" / "mail").glob("*.eml"))
_MESSAGE_NUMBER = re.compile(r"\(message (\d+)\)")


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    """A real message from tests/fixtures/mail with a few runs of arbitrary bytes written into it
    (headers and body alike: raw 8-bit, NULs, stray MIME syntax), kept on their lines."""
    raw = bytearray(draw(st.sampled_from(FIXTURES)).read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(raw)))
        noise = draw(st.binary(min_size=1, max_size=24)).replace(b"\n", b" ").replace(b"\r", b" ")
        raw[at:at] = noise
    return bytes(raw)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(messages=st.lists(damaged(), min_size=3, max_size=3))
def test_damaged_messages_each_become_a_request_or_a_located_refusal(tmp_path: Path, messages: list[bytes]) -> None:
    folder = tmp_path / f"run-{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    box = mbox(folder / "box.mbox", messages)
    report = import_messages([box], folder / "requests", ASKED)  # raises nothing
    accounted = {int(n) for line in report.lines for n in _MESSAGE_NUMBER.findall(line)}
    accounted |= {int(n) for problem in report.refused for n in _MESSAGE_NUMBER.findall(problem.message)}
    assert accounted == {1, 2, 3}, (report.lines, [p.message for p in report.refused])
    for created in report.created:  # what was written loads as `council check` loads it
        load_request(created)
