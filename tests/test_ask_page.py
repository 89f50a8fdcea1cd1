"""Issue 17 - the "Ask the Council" page in Debian's Chromium: the form passes axe at phone and desktop
widths (untouched, showing its errors, and showing the message), its error summary works from the
keyboard, what it writes imports back into the same request (a round trip through a mailto: URL), and
without JavaScript the page still offers the template to copy."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from conftest import TinyProject, serve_folder
from test_site_browser import DESKTOP, PHONE, describe, run_axe

from council.sources.requests import load_request

ADDRESS = "research-requests@aprc.example.org.uk"  # requests_email in the shipped council.yml


@pytest.fixture(scope="module")
def site_url(sample_site: Path) -> Iterator[str]:
    with serve_folder((sample_site / "site").resolve()) as base:
        yield base


def open_ask(browser, site_url: str, viewport: dict, **options):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=viewport, **options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{site_url}/ask/", wait_until="load")
    return context, page, errors


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_ask_page_passes_axe_untouched_with_errors_and_with_the_message(
    browser, site_url: str, viewport: dict
) -> None:
    context, page, errors = open_ask(browser, site_url, viewport)
    assert page.locator("#ask-form").is_visible()
    found = {"untouched": run_axe(page)}
    page.click("#ask-form button[type=submit]")
    assert page.locator("#ask-error-summary").is_visible()
    found["errors"] = run_axe(page)
    fill_in(page, FILLED)
    page.click("#ask-form button[type=submit]")
    assert page.locator("#ask-result").is_visible()
    found["message"] = run_axe(page)
    context.close()
    assert errors == []
    assert not any(found.values()), "\n\n".join(f"{state}:\n{describe(v)}" for state, v in found.items() if v)


def test_the_error_summary_names_each_missing_field_and_leads_to_it(browser, site_url: str) -> None:
    context, page, _ = open_ask(browser, site_url, DESKTOP)
    page.fill("#ask-contact-email", "not an address")
    page.click("#ask-form button[type=submit]")
    summary = page.locator("#ask-error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.id") == "ask-error-summary"
    links = summary.locator("a")
    texts = [links.nth(i).inner_text() for i in range(links.count())]
    assert texts == [
        "Enter your department",
        "Enter your question",
        "Enter your contact name",
        "Enter an email address in the correct format, like name@example.gov.uk",
    ]
    for i in range(links.count()):
        target = links.nth(i).get_attribute("href")[1:]
        assert page.locator(f"#{target}").get_attribute("aria-invalid") == "true"
        described = page.locator(f"#{target}").get_attribute("aria-describedby").split()
        assert f"{target}-error" in described and page.locator(f"#{target}-error").is_visible()
    assert page.locator("#ask-team").get_attribute("aria-invalid") is None, "optional fields are not errors"
    links.nth(1).click()
    assert page.evaluate("document.activeElement.id") == "ask-question"
    assert not page.locator("#ask-result").is_visible(), "no message is written while there are errors"
    context.close()


FILLED = {
    "#ask-department": "Ministry of Defence",
    "#ask-team": "Security Policy – Partner Forces",
    "#ask-question": "Does IHL training for partner forces reduce abuses?\nAnd which training & follow-up = best?",
    "#ask-why": "Ministers decide on equipment transfers in the spring; 40% of partners had training.",
    "#ask-due": "2027-03-31",
    "#ask-contact-name": "Siân Ó Briain",
    "#ask-contact-email": "sian.obriain@mod.gov.uk",
}


def fill_in(page, values: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    for selector, value in values.items():
        page.fill(selector, value)
    page.check("input[name=priority][value=high]")


def test_the_form_writes_a_mailto_whose_message_imports_back_into_the_same_request(
    browser, site_url: str, tmp_path: Path
) -> None:
    context, page, errors = open_ask(browser, site_url, PHONE)
    fill_in(page, FILLED)
    page.click("#ask-form button[type=submit]")
    url = page.locator("#ask-result-link").get_attribute("href")
    shown = page.locator("#ask-result-body").inner_text()
    assert page.evaluate("document.activeElement.id") == "ask-result-heading"
    context.close()
    assert errors == []
    parts = urlsplit(url)
    assert parts.scheme == "mailto" and unquote(parts.path) == ADDRESS
    query = parse_qs(parts.query, keep_blank_values=True)
    subject, body = query["subject"][0], query["body"][0]
    question = "Does IHL training for partner forces reduce abuses? And which training & follow-up = best?"
    assert subject == f"Research request: {question}"
    assert "\r\n" in body and body.replace("\r\n", "\n") == shown  # what is shown to copy is what is sent
    # the reader's mail program sends it: the same subject and body, from the reader
    message = EmailMessage(policy=policy.default)
    message["From"] = f"{FILLED['#ask-contact-name']} <{FILLED['#ask-contact-email']}>"
    message["To"] = ADDRESS
    message["Subject"] = subject
    message["Date"] = "Tue, 01 Dec 2026 10:15:00 +0000"
    message["Message-ID"] = "<round-trip-1@mod.gov.uk>"
    message.set_content(body.replace("\r\n", "\n"), cte="quoted-printable")
    project = TinyProject(tmp_path)
    (tmp_path / "sent.eml").write_bytes(message.as_bytes())
    result = project.council("request", "import", str(tmp_path / "sent.eml"))
    assert result.returncode == 0, result.stderr
    assert "(labelled)" in result.stdout
    [path] = (tmp_path / "requests").glob("*.yml")
    request = load_request(path)
    assert (request.department, request.question, request.priority, request.due, request.asked) == (
        "Ministry of Defence",
        question,
        "high",
        dt.date(2027, 3, 31),
        dt.date(2026, 12, 1),
    )
    assert (request.team, request.contact_name, request.contact_email) == (
        "Security Policy – Partner Forces",
        "Siân Ó Briain",
        "sian.obriain@mod.gov.uk",
    )
    assert not request.needs_triage
    assert (
        'why: "Ministers decide on equipment transfers in the spring; 40% of partners had training."'
        in path.read_text(encoding="utf-8")
    )


def test_without_javascript_the_page_offers_the_template_and_a_plain_mailto_link(browser, site_url: str) -> None:
    context, page, _ = open_ask(browser, site_url, PHONE, java_script_enabled=False)
    assert not page.locator("#ask-form").is_visible(), "a form that cannot work is not shown"
    template = page.locator("#ask-no-script pre").inner_text()
    assert template.split("\n") == [
        "Department:",
        "Team:",
        "Question:",
        "Why it matters:",
        "Deadline:",
        "Priority: medium",
        "Contact name:",
        "Contact email:",
    ]
    link = page.locator(f"#ask-no-script a[href^='mailto:{ADDRESS}']").get_attribute("href")
    query = parse_qs(urlsplit(link).query, keep_blank_values=True)
    assert query["subject"] == ["Research request: "] and query["body"][0].replace("\r\n", "\n") == template
    context.close()


def test_a_filled_template_imports_field_by_field(tmp_path: Path, sample_site: Path) -> None:
    """The copy-and-paste route: the template from the page, filled in by hand in a mail program."""
    html = (sample_site / "site" / "ask" / "index.html").read_text(encoding="utf-8")
    template = re.search(r'aria-label="Template for a research request">(.*?)</pre>', html, re.S).group(1)
    filled = (
        template.replace("Department:", "Department: Home Office")
        .replace("Question:", "Question:\nWhat do resettlement schemes\nlearn from each other?")
        .replace("Priority: medium", "Priority: low")
        .replace("Contact name:", "Contact name: Al Roe")
        .replace("Contact email:", "Contact email: al.roe@homeoffice.gov.uk")
    )
    message = EmailMessage(policy=policy.default)
    message["From"] = "Al Roe <al.roe@homeoffice.gov.uk>"
    message["Subject"] = "Research request: resettlement"
    message["Date"] = "Tue, 01 Dec 2026 10:15:00 +0000"
    message.set_content(filled)
    (tmp_path / "template.eml").write_bytes(message.as_bytes())
    project = TinyProject(tmp_path)
    assert project.council("request", "import", str(tmp_path / "template.eml")).returncode == 0
    [path] = (tmp_path / "requests").glob("*.yml")
    request = load_request(path)
    assert (request.department, request.question, request.priority, request.due, request.team) == (
        "Home Office",
        "What do resettlement schemes learn from each other?",
        "low",
        None,
        None,
    )


def test_the_page_is_linked_from_home_agenda_and_every_briefing(sample_site: Path) -> None:
    site = sample_site / "site"
    pages = [
        site / "index.html",
        site / "research-agenda" / "index.html",
        *sorted((site / "briefings").glob("*/index.html")),
    ]
    assert len(pages) > 3
    for page in pages:
        html = page.read_text(encoding="utf-8")
        folder = page.parent.relative_to(site).as_posix()
        targets = {
            posixpath.normpath(posixpath.join(folder, href)) for href in re.findall(r'<a href="([^"]*ask/)"', html)
        }
        assert "ask" in targets, f"{page.relative_to(site)} does not link to ask/"
    briefing = pages[-1].read_text(encoding="utf-8")
    assert briefing.index("Ask the Council</a>") > briefing.index('id="topics"'), "the link sits at the end"
