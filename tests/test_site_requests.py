"""Issue 5 - the request registry and the new front matter fields are validated like briefings: every
problem names the file, the line, the field, what is wrong and what to do; nothing is written."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import feedparser
import yaml
from conftest import TinyProject


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().split("\n"), 1) if text in line)


def add_request(project: TinyProject, request_id: str, text: str) -> Path:
    folder = project.root / "requests"
    folder.mkdir(exist_ok=True)
    path = folder / f"{request_id}.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


GOOD_REQUEST = """\
    department: Cabinet Office
    question: What would an early warning cell need?
    priority: high
    asked: 2026-01-10
    status: open
    """


def test_an_answers_id_that_does_not_exist_is_an_error_at_its_line_with_a_suggestion(project: TinyProject) -> None:
    add_request(project, "R-2026-001", GOOD_REQUEST)
    note = project.raw_note(
        "answers.md",
        "---\ntitle: T\nsummary: S\nkey_points: [a, b]\nauthors: [A]\n"
        "date: 2026-02-01\nstatus: published\nanswers:\n  - R-2026-001\n"
        "  - R-2026-01\n---\nBody.\n",
    )
    result = project.council("check")
    assert result.returncode == 1
    line = line_of(note, "  - R-2026-01")  # the second item, not the first ('R-2026-001')
    assert (
        f"briefings/answers.md:{line}: error: field 'answers': no request 'R-2026-01' in requests/; "
        "did you mean 'R-2026-001'?"
    ) in result.stderr
    assert "council request new" in result.stderr
    assert not (project.root / "site").exists()


def test_request_files_are_checked_with_file_line_and_field(project: TinyProject) -> None:
    path = add_request(
        project,
        "R-2026-002",
        """\
        department: Home Office
        question: Who decides which groups are at risk?
        priority: urgent
        asked: 2026-01-05
        status: open
        deadline: 2026-03-01
        """,
    )
    bad_date = add_request(project, "R-2026-012", GOOD_REQUEST.replace("2026-01-10", "2026-13-01"))
    result = project.council("check")
    assert result.returncode == 1
    stderr = result.stderr
    assert f"requests/R-2026-002.yml:{line_of(path, 'priority')}: error: field 'priority'" in stderr
    assert "use high, medium or low" in stderr
    assert f"requests/R-2026-012.yml:{line_of(bad_date, 'asked')}: error: field 'asked'" in stderr
    assert "YYYY-MM-DD" in stderr
    assert f"requests/R-2026-002.yml:{line_of(path, 'deadline')}: error: field 'deadline': unknown field" in stderr
    # 'deadline' is too far from any field to guess: the hint lists them all
    assert "hint: known fields: id, department, question, priority, asked, status, due" in stderr
    assert "Traceback" not in stderr


def test_a_request_whose_id_disagrees_with_its_file_name_is_an_error(project: TinyProject) -> None:
    path = add_request(project, "R-2026-003", "id: R-2026-030\n" + textwrap.dedent(GOOD_REQUEST))
    result = project.council("check")
    assert result.returncode == 1
    assert f"requests/R-2026-003.yml:{line_of(path, 'id:')}: error: field 'id'" in result.stderr


def test_intersections_are_checked_against_the_workstream_vocabulary(project: TinyProject) -> None:
    note = project.raw_note(
        "cross.md",
        "---\ntitle: T\nsummary: S\nkey_points: [a, b]\nauthors: [A]\n"
        "date: 2026-02-01\nstatus: published\nintersections:\n"
        "  counter-terrorism-pve: tension\n  organized-crime: synergy\n"
        "  global-fragility: conflict\n---\nBody.\n",
    )
    result = project.council("check")
    assert result.returncode == 1
    assert (
        f"cross.md:{line_of(note, 'organized-crime')}: error: field 'intersections': unknown workstream "
        "'organized-crime'; did you mean 'organised-crime'?"
    ) in result.stderr
    assert f"cross.md:{line_of(note, 'global-fragility')}: error: field 'intersections'" in result.stderr
    assert "the value of 'global-fragility' is 'conflict'; it must be one of: synergy, tension" in result.stderr


def test_registry_and_briefings_that_disagree_give_a_warning_not_an_error(project: TinyProject) -> None:
    path = add_request(project, "R-2026-004", GOOD_REQUEST.replace("status: open", "status: answered"))
    project.note("unrelated.md")
    result = project.council("check")
    assert result.returncode == 0, result.stderr
    assert (
        f"requests/R-2026-004.yml:{line_of(path, 'status')}: warning: field 'status': request 'R-2026-004' "
        "is marked answered but no briefing lists it"
    ) in result.stderr


def test_council_request_new_scaffolds_a_valid_open_request(project: TinyProject) -> None:
    first = project.council(
        "request",
        "new",
        "--department",
        "HM Treasury: Sanctions Unit",
        "--question",
        'Do asset freezes change behaviour? Evidence: "mixed"',
        "--priority",
        "high",
        "--due",
        "2030-01-31",
    )
    second = project.council("request", "new", "--department", "Home Office", "--question", "Another?")
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    made = sorted((project.root / "requests").glob("*.yml"))
    assert len(made) == 2 and made[0].stem != made[1].stem
    assert re.fullmatch(r"R-\d{4}-001", made[0].stem) and re.fullmatch(r"R-\d{4}-002", made[1].stem)
    data = yaml.safe_load(made[0].read_text())
    assert data["department"] == "HM Treasury: Sanctions Unit"
    assert data["question"] == 'Do asset freezes change behaviour? Evidence: "mixed"'
    assert (data["priority"], data["status"], str(data["due"])) == ("high", "open", "2030-01-31")
    project.note("answer.md", answers=[made[0].stem])
    result = project.council("check")
    assert result.returncode == 0, result.stderr


def test_drafts_embargoed_and_sensitive_briefings_stay_out_of_feed_and_agenda(project: TinyProject) -> None:
    add_request(project, "R-2026-005", GOOD_REQUEST.replace("status: open", "status: answered"))
    project.note("public.md", title="Public answer", date="2026-03-01", answers=["R-2026-005"])
    project.note("draft.md", title="Draft answer", status="draft", date="2026-02-01", answers=["R-2026-005"])
    project.note(
        "later.md", title="Embargoed answer", embargo_until="2099-01-01", date="2026-02-02", answers=["R-2026-005"]
    )
    project.note(
        "sensitive.md",
        title="Sensitive answer",
        classification="OFFICIAL-SENSITIVE",
        date="2026-02-03",
        answers=["R-2026-005"],
    )
    result = project.build()
    assert result.returncode == 0, result.stderr
    feed = feedparser.parse(str(project.site / "feed.xml"))
    assert not feed.bozo
    assert [e.title for e in feed.entries] == ["Public answer"]
    agenda = (project.site / "research-agenda" / "index.html").read_text(encoding="utf-8")
    row = re.search(r'<tr id="R-2026-005">(.*?)</tr>', agenda, re.DOTALL).group(1)
    assert "Public answer" in row and "Draft answer" not in agenda and "Embargoed answer" not in agenda
    assert '<td class="council-number">50</td>' in row  # 10 January to 1 March 2026
    assert not (project.site / "briefings" / "draft").exists()
