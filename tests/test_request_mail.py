"""Issue 17 - requests by email: `council request import` reads the .eml and mbox shapes Outlook, Gmail
and Apple Mail produce (tests/fixtures/mail/, see its README), refuses broken messages naming the file
and what is missing, never imports a message twice; `council request ack` and `answered` write replies
threaded under the original; the agenda shows clocks, overdue flags and medians; requests.xml."""

from __future__ import annotations

import datetime as dt
import email
import re
from email import policy
from email.message import EmailMessage
from pathlib import Path

import feedparser
import pytest
import yaml
from conftest import REPO, TinyProject

from council.publish.agenda import AnsweredRequest, build_agenda, median_days_to_answer
from council.sources.requests import Request, load_request

MAIL = REPO / "tests" / "fixtures" / "mail"
GOOD = sorted(p.name for p in MAIL.glob("*.eml") if not p.name.startswith("broken-"))
THIS_YEAR = dt.date.today().year
SITE = "https://council.example.org/"


def requests_in(project: TinyProject) -> dict[str, Request]:
    folder = project.root / "requests"
    return {p.stem: load_request(p) for p in sorted(folder.glob("*.yml"))} if folder.exists() else {}


def raw_fields(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def import_files(project: TinyProject, *names: str):  # type: ignore[no-untyped-def]
    return project.council("request", "import", *[str(MAIL / n) if "/" not in n else n for n in names])


# What each shape must become: department, words of the question, contact, needs_triage, attachments.
SHAPES = {
    "apple-mail-labelled-qp.eml": dict(
        department="Foreign, Commonwealth and Development Office",
        question="Which early-warning indicators should UK "
        "posts report to London, and how often, so that the Hub sees risk building before violence starts?",
        contact=("Zoë Adebayo-Llýr", "zoe.adebayo@fcdo.gov.uk"),
        triage=False,
        dropped=0,
        asked=dt.date(2026, 11, 16),
        priority="high",
        due=dt.date(2027, 1, 15),
        team="Atrocity Prevention Hub – Africa Directorate",
    ),
    "gmail-alternative.eml": dict(
        department="Home Office",
        question="How reliable are the tools that flag incitement against minorities in "
        "languages other than English, and what safeguards stop them being misused?",
        contact=("Priya Natarajan", "priya.natarajan@homeoffice.gov.uk"),
        triage=True,
        dropped=0,
        asked=dt.date(2026, 11, 4),
    ),
    "gmail-forwarded.eml": dict(  # the forwarded question; the forwarder is the contact
        department="Cabinet Office",
        question="Does international humanitarian law training for partner forces "
        "measurably reduce violations against civilians, and which kinds of training work best?",
        contact=("Tom Hale", "tom.hale@cabinetoffice.gov.uk"),
        triage=True,
        dropped=0,
        asked=dt.date(2026, 11, 5),
    ),
    "outlook-forward-as-attachment.eml": dict(
        department="Foreign, Commonwealth and Development Office",
        question="Which indicators would let the Committee "
        "judge, year on year, whether the government's atrocity prevention work is improving?",
        contact=("Mark Ellis", "mark.ellis@fcdo.gov.uk"),
        triage=True,
        dropped=0,
        asked=dt.date(2026, 11, 10),
    ),
    "outlook-attachments.eml": dict(
        department="Ministry of Justice",
        question="What has limited the number of universal jurisdiction prosecutions "
        "for atrocity crimes in the UK, compared with Germany and the Netherlands?",
        contact=("Dr Ruth Okafor", "ruth.okafor@justice.gov.uk"),
        triage=True,
        dropped=2,
        asked=dt.date(2026, 11, 6),
    ),
    "outlook-html-only.eml": dict(  # windows-1252, quoted-printable, HTML only with Word's styles and a script
        department="Foreign, Commonwealth and Development Office",
        question="We are reviewing how the sanctions team's "
        "work draws on early-warning assessments – the team’s own products. Could the Council tell us whether targeted "
        "sanctions imposed before violence peaks have reduced atrocity risk, and what the evidence says about timing "
        "& sequencing?",
        contact=("Gareth Pryce", "gareth.pryce@fcdo.gov.uk"),
        triage=True,
        dropped=0,
        asked=dt.date(2026, 11, 3),
    ),
    "outlook-reply-chain.eml": dict(  # only the new text, not the quoted history; 'Keane, Bridget' put in order
        department="Home Office",
        question="When an evacuation is under way, what criteria have other states used to "
        "decide which at-risk groups get priority places on resettlement routes?",
        contact=("Bridget Keane", "bridget.keane@homeoffice.gov.uk"),
        triage=True,
        dropped=0,
        asked=dt.date(2026, 11, 19),
    ),
    "non-ascii-name.eml": dict(
        department="Welsh Government",
        question="Has any devolved government taken part in national atrocity "
        "prevention planning, and what did it add?",
        contact=("Siân O'Connor", "sian.oconnor@gov.wales"),
        triage=True,
        dropped=0,
        asked=dt.date(2026, 11, 20),
    ),
}


def test_every_good_fixture_has_its_expectations() -> None:
    assert set(SHAPES) == set(GOOD)


@pytest.mark.parametrize("name", GOOD)
def test_each_shape_of_message_becomes_the_request_it_asks(project: TinyProject, name: str) -> None:
    expected = SHAPES[name]
    result = import_files(project, name)
    assert result.returncode == 0, result.stderr
    [request] = requests_in(project).values()
    assert request.id == f"R-{THIS_YEAR}-001"
    assert request.department == expected["department"]
    assert request.question == expected["question"]
    assert (request.contact_name, request.contact_email) == expected["contact"]
    assert request.needs_triage is expected["triage"]
    assert request.asked == expected["asked"]
    assert request.priority == expected.get("priority", "medium")
    assert request.due == expected.get("due")
    assert request.team == expected.get("team")
    assert request.status == "open"
    original = email.message_from_bytes((MAIL / name).read_bytes(), policy=policy.default)
    assert request.message_id == original["Message-ID"].strip()
    kind = "labelled" if not expected["triage"] else "free-form; needs triage"
    assert f"created requests/{request.id}.yml from {name} ({kind}" in result.stdout
    if expected["dropped"]:
        assert f"{expected['dropped']} attachments dropped, not saved" in result.stdout
        assert not [p for p in project.root.rglob("*") if p.suffix in (".pdf", ".png")], "an attachment was saved"
    else:
        assert "dropped" not in result.stdout
    # what was written passes the same validation as every request (and council check)
    assert project.council("check").returncode == 0


def test_html_is_reduced_to_text_without_scripts_or_styles(project: TinyProject) -> None:
    import_files(project, "outlook-html-only.eml")
    fields = raw_fields(project.root / "requests" / f"R-{THIS_YEAR}-001.yml")
    text = " ".join(str(v) for k, v in fields.items() if k != "message_id")
    for leftover in ("<", "never run", "MsoNormal", "Calibri", "&amp;", "&nbsp;"):
        assert leftover not in text


def test_html_to_text_drops_scripts_and_styles_wherever_they_are() -> None:
    from council.authoring.mail import html_to_text

    markup = (
        "<body><p>Keep <b>this</b>?</p><script>steal()</script><div><style>p{color:red}</style>"
        "<noscript>no</noscript>a &lt; b<br>c&nbsp;d</div><SCRIPT type=module>x()</SCRIPT></body>"
    )
    assert html_to_text(markup) == "Keep this?\n\na < b\nc d"


def test_an_mbox_gives_one_request_per_message_and_keeps_mbox_escaped_lines(project: TinyProject) -> None:
    result = import_files(project, "two-requests.mbox")
    assert result.returncode == 0, result.stderr
    assert "from two-requests.mbox (message 1)" in result.stdout and "(message 2)" in result.stdout
    found = requests_in(project)
    assert [r.department for r in found.values()] == [
        "Department for Science, Innovation and Technology",
        "HM Treasury",
    ]
    # the mbox stores 'From the evidence...' as '>From the evidence...': not a quotation to cut
    assert found[f"R-{THIS_YEAR}-002"].question == (
        "From the evidence, does money spent on prevention save money later on humanitarian response?"
    )


def test_import_then_reimport_adds_nothing_and_says_so(project: TinyProject) -> None:
    files = [*GOOD, "two-requests.mbox"]
    first = import_files(project, *files)
    assert first.returncode == 0, first.stderr
    folder = project.root / "requests"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert len(before) == len(files) + 1
    again = import_files(project, *files)
    assert again.returncode == 0
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert again.stdout.count("skipped") == len(files) + 1
    assert f"already imported as R-{THIS_YEAR}-001" in again.stdout
    assert "0 request(s) created" in again.stdout


def test_the_same_message_twice_in_one_batch_is_imported_once(project: TinyProject) -> None:
    twice = import_files(project, "gmail-alternative.eml", "gmail-alternative.eml")
    assert twice.returncode == 0
    assert (
        len(requests_in(project)) == 1
        and f"skipped gmail-alternative.eml: already imported as R-{THIS_YEAR}-001" in twice.stdout
    )


@pytest.mark.parametrize(
    ("name", "field", "what"),
    [
        ("broken-no-from.eml", "From", "no sender: the message has no From address"),
        ("broken-empty-body.eml", "body", "the message body is empty"),
        ("broken-bad-date.eml", "Date", "no date the Council can read (Date: next Tuesday, after lunch)"),
    ],
)
def test_a_broken_message_is_refused_with_its_file_and_what_is_missing(
    project: TinyProject, name: str, field: str, what: str
) -> None:
    result = import_files(project, name)
    assert result.returncode == 1
    assert re.search(rf"{re.escape(name)}: error: field '{field}': {re.escape(what)}", result.stderr), result.stderr
    assert "hint:" in result.stderr and "Traceback" not in result.stderr
    assert requests_in(project) == {}
    leftovers = list((project.root / "requests").iterdir()) if (project.root / "requests").exists() else []
    assert leftovers == [], "nothing half-written"


def test_one_bad_message_does_not_stop_the_batch_but_the_exit_code_says_so(project: TinyProject) -> None:
    result = import_files(
        project, "gmail-alternative.eml", "broken-no-from.eml", "broken-bad-date.eml", "non-ascii-name.eml"
    )
    assert result.returncode == 1
    assert [r.contact_email for r in requests_in(project).values()] == [
        "priya.natarajan@homeoffice.gov.uk",
        "sian.oconnor@gov.wales",
    ]
    assert "2 request(s) created, 2 problem(s)" in result.stdout


def write_message(
    folder: Path,
    name: str,
    body: str,
    *,
    sender: str = "Jo Bloggs <jo.bloggs@fcdo.gov.uk>",
    subject: str = "Research request: a test",
    date: str = "Mon, 23 Nov 2026 10:00:00 +0000",
    message_id: str | None = "<test-1@fcdo.gov.uk>",
) -> Path:
    message = EmailMessage(policy=policy.default)
    message["From"] = sender
    message["To"] = "research-requests@aprc.example.org.uk"
    message["Subject"] = subject
    message["Date"] = date
    if message_id:
        message["Message-ID"] = message_id
    message.set_content(body)
    path = folder / name
    path.write_bytes(message.as_bytes())
    return path


def labelled(**values: str) -> str:
    fields = {
        "Department": "Ministry of Defence",
        "Team": "",
        "Question": "Does training reduce abuses?",
        "Why it matters": "",
        "Deadline": "",
        "Priority": "medium",
        "Contact name": "Jo Bloggs",
        "Contact email": "jo.bloggs@mod.gov.uk",
    }
    fields.update(values)
    return "\n".join(f"{k}: {v}".rstrip() for k, v in fields.items()) + "\n"


@pytest.mark.parametrize(
    ("values", "field", "what"),
    [
        ({"Deadline": "end of January"}, "Deadline", "the deadline 'end of January' is not a date"),
        ({"Priority": "urgent"}, "Priority", "unknown priority 'urgent'"),
        ({"Deadline": "2026-11-01"}, "due", "the due date is before the date asked"),
    ],
)
def test_labelled_fields_are_validated_like_council_request_new(
    project: TinyProject, values: dict, field: str, what: str
) -> None:
    path = write_message(project.root, "labelled.eml", labelled(**values))
    result = project.council("request", "import", str(path))
    assert result.returncode == 1
    assert f"labelled.eml: error: field '{field}': {what}" in result.stderr
    assert requests_in(project) == {}
    assert not [p for p in (project.root / "requests").iterdir()] if (project.root / "requests").exists() else True


def test_department_comes_from_the_label_else_the_senders_domain_table(project: TinyProject) -> None:
    folder = project.root
    paths = [
        write_message(
            folder,
            "a.eml",
            labelled(Department="Home Office, Homeland Security Group"),
            sender="jo@digital.cabinetoffice.gov.uk",
            message_id="<a@x>",
        ),
        write_message(
            folder,
            "b.eml",
            "Could you look at this?\n",
            sender="Ann <ann@digital.cabinetoffice.gov.uk>",
            message_id="<b@x>",
        ),
        write_message(
            folder,
            "c.eml",
            "Could you look at this?\n",
            sender="Ann <ann@committees.parliament.uk>",
            message_id="<c@x>",
        ),
        write_message(folder, "d.eml", "Could you look at this?\n", sender="Bo <bo@example.com>", message_id="<d@x>"),
        write_message(
            folder, "e.eml", "Could you look at this?\n", sender="Bo <bo@notfcdo.gov.uk>", message_id="<e@x>"
        ),
        write_message(
            folder, "f.eml", labelled(Department="Cabinet Office"), sender="Cy <cy@gmail.com>", message_id="<f@x>"
        ),
    ]
    assert project.council("request", "import", *map(str, paths)).returncode == 0
    found = [(r.department, r.needs_triage) for r in requests_in(project).values()]
    assert found == [
        ("Home Office, Homeland Security Group", True),  # a label the sender's domain disagrees with
        ("Cabinet Office", True),
        ("Parliament", True),
        ("Unknown department (example.com)", True),
        ("Unknown department (notfcdo.gov.uk)", True),
        ("Cabinet Office", True),
    ]  # the form's labels from outside government: checked first


def test_a_free_form_message_takes_its_question_from_the_first_asking_paragraph_else_the_subject(
    project: TinyProject,
) -> None:
    asking = write_message(
        project.root,
        "a.eml",
        "Hello,\n\nWe are busy.\n\nWhat works\nin prevention?\n\nAnd why?\n",
        subject="RE: Fwd: Research request: prevention",
        message_id="<q1@x>",
    )
    telling = write_message(
        project.root,
        "b.eml",
        "Please research the Sahel.\n",
        subject="Fwd: RE: Research request: early warning in the Sahel",
        message_id="<q2@x>",
    )
    assert project.council("request", "import", str(asking), str(telling)).returncode == 0
    first, second = requests_in(project).values()
    assert first.question == "What works in prevention?"
    assert second.question == "early warning in the Sahel"
    assert raw_fields(second.path)["subject"] == "early warning in the Sahel"


def test_a_message_without_message_id_is_still_imported_only_once(project: TinyProject) -> None:
    path = write_message(project.root, "a.eml", "What works?\n", message_id=None)
    assert project.council("request", "import", str(path)).returncode == 0
    again = project.council("request", "import", str(path))
    assert "skipped a.eml" in again.stdout and len(requests_in(project)) == 1


# --- replies ---------------------------------------------------------------------------------
def test_the_acknowledgement_parses_as_a_reply_to_the_original(project: TinyProject) -> None:
    import_files(project, "apple-mail-labelled-qp.eml")
    request_id = f"R-{THIS_YEAR}-001"
    result = project.council("request", "ack", request_id, "--site-url", SITE, "--now", "2026-11-17T09:00:00Z")
    assert result.returncode == 0, result.stderr
    path = project.root / "build" / "replies" / f"{request_id}-ack.eml"
    assert f"wrote build/replies/{request_id}-ack.eml" in result.stdout
    reply = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    original = email.message_from_bytes((MAIL / "apple-mail-labelled-qp.eml").read_bytes(), policy=policy.default)
    assert reply["In-Reply-To"].strip() == original["Message-ID"]  # a long one is folded onto its own line
    assert original["Message-ID"] in reply["References"].split()
    assert reply["To"].addresses[0].addr_spec == original["From"].addresses[0].addr_spec
    assert reply["To"].addresses[0].display_name == "Zoë Adebayo-Llýr"
    assert reply["From"].addresses[0].addr_spec == "research-requests@aprc.example.org.uk"
    assert reply["Message-ID"] and reply["Message-ID"] != original["Message-ID"]
    assert reply["Date"].datetime == dt.datetime(2026, 11, 17, 9, tzinfo=dt.timezone.utc)
    body = reply.get_body(("plain",)).get_content()
    assert f"Reference: {request_id}" in body and "Priority: high" in body
    assert "Expected by: 15 January 2027 (the date you asked for)" in body
    assert f"{SITE}research-agenda/#{request_id}" in body


def test_acknowledging_a_request_without_a_due_date_gives_the_target_for_its_priority(project: TinyProject) -> None:
    import_files(project, "gmail-alternative.eml")  # medium, asked 4 November 2026: 8 weeks on
    result = project.council("request", "ack", f"R-{THIS_YEAR}-001", "--site-url", SITE)
    assert result.returncode == 0, result.stderr
    reply = email.message_from_bytes(
        (project.root / "build" / "replies" / f"R-{THIS_YEAR}-001-ack.eml").read_bytes(), policy=policy.default
    )
    assert "Expected by: 30 December 2026 (our target for this priority)" in reply.get_body().get_content()


def test_replies_are_refused_clearly_when_there_is_nothing_to_reply_to(project: TinyProject) -> None:
    assert project.council("request", "new", "--department", "MOD", "--question", "Q?").returncode == 0
    result = project.council("request", "ack", f"R-{THIS_YEAR}-001", "--site-url", SITE)
    assert result.returncode == 1 and "did not come by email" in result.stderr
    missing = project.council("request", "ack", "R-1999-404", "--site-url", SITE)
    assert missing.returncode == 1 and "no request 'R-1999-404' in requests/" in missing.stderr
    import_files(project, "gmail-alternative.eml")
    no_site = project.council("request", "ack", f"R-{THIS_YEAR}-002")  # mkdocs.yml has no site_url
    assert no_site.returncode == 1 and "--site-url" in no_site.stderr
    assert not (project.root / "build" / "replies").exists() or not list((project.root / "build" / "replies").iterdir())


def test_the_answered_reply_links_the_published_briefing_only(project: TinyProject) -> None:
    import_files(project, "gmail-alternative.eml")
    request_id = f"R-{THIS_YEAR}-001"
    not_yet = project.council("request", "answered", request_id, "--site-url", SITE)
    assert not_yet.returncode == 1 and "no published briefing answers" in not_yet.stderr
    project.note("draft.md", title="A draft answer", status="draft", answers=[request_id])
    assert project.council("request", "answered", request_id, "--site-url", SITE).returncode == 1
    project.note("answer.md", title="Tools that flag incitement", answers=[request_id], date="2026-11-20")
    result = project.council("request", "answered", request_id, "--site-url", SITE)
    assert result.returncode == 0, result.stderr
    assert "hint: set `status: answered`" in result.stdout
    reply = email.message_from_bytes(
        (project.root / "build" / "replies" / f"{request_id}-answered.eml").read_bytes(), policy=policy.default
    )
    original = email.message_from_bytes((MAIL / "gmail-alternative.eml").read_bytes(), policy=policy.default)
    assert reply["In-Reply-To"].strip() == original["Message-ID"]  # a long one is folded onto its own line
    body = reply.get_body().get_content()
    assert re.search(rf"{re.escape(SITE)}briefings/[a-z0-9-]+/", body), body
    assert "A draft answer" not in body and "Tools that flag incitement" in body


# --- the agenda ------------------------------------------------------------------------------
def a_request(
    request_id: str,
    priority: str,
    asked: dt.date,
    status: str = "open",
    due: dt.date | None = None,
    triage: bool = False,
) -> Request:
    return Request(
        request_id,
        Path(f"requests/{request_id}.yml"),
        "Cabinet Office",
        "Q?",
        priority,
        asked,
        status,
        due,
        needs_triage=triage,
    )


def test_the_agenda_counts_days_open_against_the_due_date_and_flags_overdue_ones() -> None:
    today = dt.date(2026, 11, 27)
    agenda = build_agenda(
        [
            a_request("A", "high", dt.date(2026, 11, 1), due=dt.date(2026, 11, 26)),
            a_request("B", "high", dt.date(2026, 11, 1), due=today),
            a_request("C", "low", dt.date(2026, 11, 20)),
            a_request("D", "low", dt.date(2026, 11, 20), triage=True),
        ],
        [],
        today,
    )
    items = {i.request.id: i for _, group in agenda.open_by_priority for i in group}
    assert set(items) == {"A", "B", "C"}, "unchecked emails stay off the site"
    assert agenda.awaiting_triage == 1
    assert (items["A"].age_days, items["A"].days_to_due, items["A"].overdue, items["A"].days_overdue) == (
        26,
        -1,
        True,
        1,
    )
    assert (items["B"].days_to_due, items["B"].overdue) == (0, False), "due today is not yet overdue"
    assert (items["C"].age_days, items["C"].days_to_due, items["C"].overdue) == (7, None, False)


def test_the_median_days_to_answer_per_priority() -> None:
    asked = dt.date(2026, 1, 1)
    days = {
        "H1": ("high", 10),
        "H2": ("high", 40),
        "H3": ("high", 20),
        "M1": ("medium", 5),
        "M2": ("medium", 6),
        "L1": ("low", None),
    }  # L1's answer is not published yet: not counted
    items = [
        AnsweredRequest(a_request(rid, priority, asked, "answered"), (), taken)
        for rid, (priority, taken) in days.items()
    ]
    assert median_days_to_answer(items) == (("high", 20.0, 3), ("medium", 5.5, 2))
    assert median_days_to_answer(items[:1]) == (("high", 10.0, 1),)
    assert median_days_to_answer([]) == ()


# --- the built site --------------------------------------------------------------------------
def test_imported_requests_reach_the_built_agenda_escaped_and_without_contacts(project: TinyProject) -> None:
    hostile = write_message(
        project.root,
        "hostile.eml",
        labelled(
            Question="Is <script>alert('x')</script> & <b>bold</b> text shown as text?",
            Team="Secret team name",
            Deadline="2026-11-25",
            **{
                "Why it matters": "Private reasons",
                "Contact name": "Jo Private",
                "Contact email": "jo.private@mod.gov.uk",
            },
        ),
        sender="Jo Private <jo.private@mod.gov.uk>",  # the label's own department: out of triage
        message_id="<hostile@x>",
    )
    assert project.council("request", "import", str(hostile), str(MAIL / "outlook-html-only.eml")).returncode == 0
    assert project.build().returncode == 0
    agenda = (project.site / "research-agenda" / "index.html").read_text(encoding="utf-8")
    assert (
        "Is &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt; text shown as text?" in agenda
    )
    assert "<script>alert" not in agenda
    for private in ("Secret team name", "Private reasons", "Jo Private", "jo.private@", "hostile@x"):
        assert private not in agenda
    assert "sanctions" not in agenda, "a free-form email waits for triage before it is published"
    assert "1 recent request is still being checked" in agenda
    assert f'id="R-{THIS_YEAR}-001" class="council-overdue"' in agenda and f'href="#R-{THIS_YEAR}-001"' in agenda
    assert "4 days open" in agenda and "Overdue by 2 days</strong>" in agenda  # built on 27 November 2026
    site_text = "".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in project.site.rglob("*")
        if p.is_file() and p.suffix in (".html", ".xml", ".json")
    )
    assert "jo.private@" not in site_text and "gareth.pryce" not in site_text.lower()


def test_requests_feed_lists_answered_requests_linking_the_agenda_and_briefings(sample_site: Path) -> None:
    site = sample_site / "site"
    feed = feedparser.parse((site / "requests.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    answered = {p.stem for p in (sample_site / "requests").glob("*.yml") if raw_fields(p)["status"] == "answered"}
    ids = [e.title.split(":")[0] for e in feed.entries]
    assert set(ids) == answered and len(ids) == len(answered)
    agenda = (site / "research-agenda" / "index.html").read_text(encoding="utf-8")
    for entry in feed.entries:
        request_id = entry.title.split(":")[0]
        assert entry.link.endswith(f"research-agenda/#{request_id}") and f'id="{request_id}"' in agenda
        related = [link.href for link in entry.links if link.rel == "related"]
        assert related and all((site / href).is_dir() for href in related)
    published = [e.published for e in feed.entries]
    assert published == sorted(published, reverse=True)
    assert "Median days from request to first published answer: high priority" in agenda
    assert 'href="../requests.xml"' in agenda


def test_requests_email_in_council_yml_is_validated(project: TinyProject) -> None:
    config = project.root / "council.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "requests_email: research-requests@aprc.example.org.uk", "requests_email: research requests at aprc"
        ),
        encoding="utf-8",
    )
    result = project.council("check")
    assert result.returncode == 1
    assert "field 'requests_email': requests_email 'research requests at aprc' is not an email address" in result.stderr
