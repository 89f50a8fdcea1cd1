"""Inputs for the authoring scenarios of `nox -s bench` (issue 26 items 6 and 7): an mbox of generated
requests by email, and a Word file that unpacks to hundreds of megabytes (a zip bomb)."""

from __future__ import annotations

import io
import random
import zipfile
from email import policy
from email.message import EmailMessage
from pathlib import Path

import docx

DOMAINS = ("fcdo.gov.uk", "homeoffice.gov.uk", "mod.gov.uk", "cabinetoffice.gov.uk", "example.org")
TOPICS = ("early warning in the Sahel", "sanctions timing", "IHL training", "atrocity risk in Chad", "evacuation")


def make_mbox(path: Path, count: int, seed: int = 26) -> Path:
    """`count` messages as mail programs leave them: a third from the Ask form, the rest free-form, some
    forwarded, some in HTML only, each with its own Message-ID."""
    rng = random.Random(seed)
    with path.open("wb") as out:
        for number in range(count):
            message = EmailMessage(policy=policy.default)
            domain = rng.choice(DOMAINS)
            topic = rng.choice(TOPICS)
            message["From"] = f"Sender {number} <sender{number}@{domain}>"
            message["To"] = "research-requests@aprc.example.org.uk"
            message["Subject"] = f"Research request: {topic} ({number})"
            message["Date"] = f"Mon, {rng.randint(1, 28)} Sep 2026 10:00:00 +0000"
            message["Message-ID"] = f"<bench-{number}@{domain}>"
            if number % 7 == 0:
                message["Authentication-Results"] = "mx.example; spf=pass; dkim=fail; dmarc=fail"
            if number % 3 == 0:
                body = (
                    "Department: Ministry of Defence\nQuestion: What does the evidence say about "
                    f"{topic}, case {number}?\nPriority: medium\nDeadline: 2027-03-01\n"
                )
            elif number % 3 == 1:
                body = (
                    f"Could you look at the note below on {topic}?\n\n---------- Forwarded message ---------\n"
                    f"From: Colleague <colleague@{domain}>\nSubject: {topic}\n\n"
                    f"We need an assessment of {topic} before 14 February 2027.\n"
                )
            else:
                body = f"Dear Council,\n\nHow reliable is the evidence on {topic} (case {number})?\n\nThanks\n"
            if number % 5 == 0:
                message.set_content(f"<html><body><p>{body.replace(chr(10), '<br>')}</p></body></html>", "html")
            else:
                message.set_content(body)
            raw = message.as_bytes(unixfrom=False)
            escaped = b"\n".join(b">" + ln if ln.startswith(b"From ") else ln for ln in raw.split(b"\n"))
            out.write(b"From sender@example.org Mon Sep  1 10:00:00 2026\n" + escaped.rstrip(b"\n") + b"\n\n")
    return path


def make_zip_bomb(path: Path, unpacked: int = 400 * 1000 * 1000) -> Path:
    """A real Word file whose document.xml is `unpacked` bytes of one repeated word (about 420 KB)."""
    blank = io.BytesIO()
    docx.Document().save(blank)
    namespace = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    chunk = b"war " * (1024 * 1024 // 4)
    with zipfile.ZipFile(blank) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                out.writestr(info.filename, source.read(info.filename))
        with out.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(f'<?xml version="1.0"?><w:document {namespace}><w:body><w:p><w:r><w:t>'.encode())
            for _ in range(unpacked // len(chunk)):
                part.write(chunk)
            part.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return path
