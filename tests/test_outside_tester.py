"""Issue 28, as an outside tester found it: a draft's citation problems never stop the site, no fault
hides another, checking one note equals the full check filtered to it, and `council publish` looks only at
the note it publishes. Each test runs the real `council` on a tiny project built in a temporary folder."""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

from conftest import TinyProject

from council.base.tools import pandoc_path

# an entry pandoc cannot read (parentheses instead of braces): a citation problem wherever it is cited
UNREADABLE_ENTRY = (  # a value whose brace never closes: the entry cannot be read
    "@article{parenKey2020,\n  title = {Never closed,\n  author = {Doe, Jane},\n  year = {2020},\n}\n"
)


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if text in line)


def test_a_drafts_citation_problem_is_a_warning_in_build_named_on_its_withheld_line(project: TinyProject) -> None:
    project.bib("odd.bib", UNREADABLE_ENTRY)
    project.note("public.md", title="Public note")
    draft = project.note("draft.md", title="Draft note", status="draft", body="A claim [@parenKey2020].\n")
    built = project.build()
    assert built.returncode == 0, built.stderr
    assert (project.site / "briefings" / "public" / "index.html").is_file()
    withheld = [line for line in built.stdout.splitlines() if line.startswith("withheld briefings/draft.md")]
    assert len(withheld) == 1, built.stdout
    assert f"line {line_of(draft, '[@parenKey2020]')}: " in withheld[0], withheld[0]
    assert "parenKey2020" in withheld[0]
    # the same problems are errors in `council check`
    checked = project.council("check")
    assert checked.returncode == 1, checked.stderr
    assert f"draft.md:{line_of(draft, '[@parenKey2020]')}" in checked.stderr


def test_a_citation_problem_a_published_note_shares_with_a_draft_still_stops_the_build(project: TinyProject) -> None:
    project.bib("odd.bib", UNREADABLE_ENTRY)
    project.note("public.md", title="Public note", body="Cited here too [@parenKey2020].\n")
    project.note("draft.md", title="Draft note", status="draft", body="A claim [@parenKey2020].\n")
    built = project.build()
    assert built.returncode == 1, built.stdout
    assert "public.md" in built.stderr
    assert not project.site.exists()


# --- no fault hides another (item 2) ---------------------------------------------------------------


def findings(output: str, name: str) -> dict[int, list[str]]:
    """Line -> the messages `council check` printed for briefings/<name>."""
    found: dict[int, list[str]] = {}
    for match in re.finditer(rf"^briefings/{re.escape(name)}:(\d+)(?::\d+)?: (error|warning): (.*)$", output, re.M):
        found.setdefault(int(match[1]), []).append(f"{match[2]}: {match[3]}")
    return found


FRONT = "title: {title}\nsummary: S.\nkey_points: [One., Two.]\nauthors: [Dr A]\ndate: 2026-02-01\nstatus: published\n"


def test_a_tab_indented_field_does_not_hide_the_field_above(project: TinyProject) -> None:
    note = project.raw_note(
        "note.md",
        "---\n" + FRONT.format(title="T") + "workstreams: [internatonal-justice]\n\ttools: [targeted-sanctions]\n"
        "---\n\nText [@alphaReport2020].\n",
    )
    checked = project.council("check", "briefings/note.md")
    found = findings(checked.stderr, "note.md")
    assert any("internatonal-justice" in m for m in found.get(line_of(note, "workstreams"), [])), checked.stderr
    assert any("tab" in m for m in found.get(line_of(note, "\ttools"), [])), checked.stderr
    assert set(found) == {line_of(note, "workstreams"), line_of(note, "\ttools")}, checked.stderr


def test_a_tab_under_a_field_written_to_hold_items_still_indents_it(project: TinyProject) -> None:
    note = project.raw_note(
        "note.md",
        "---\n" + FRONT.format(title="T") + "intersections:\n\tcounter-terrorism-pve: tension\n"
        "workstreams: [conflict-prevention]\n---\n\nText [@alphaReport2020].\n",
    )
    checked = project.council("check", "briefings/note.md")
    assert set(findings(checked.stderr, "note.md")) == {line_of(note, "\tcounter")}, checked.stderr


def test_a_duplicate_title_is_reported_though_the_note_has_other_errors(project: TinyProject) -> None:
    project.note("first.md", title="One title")
    second = project.note("second.md", title="One title", workstreams=["conflict-preventin"])
    checked = project.council("check")
    title = findings(checked.stderr, "second.md").get(line_of(second, "title:"), [])
    assert any("the title is the same as that of briefings/first.md" in m for m in title), checked.stderr


def test_a_field_that_is_not_a_list_hides_neither_the_embargo_warning_nor_the_number_check(
    project: TinyProject,
) -> None:
    project.note("first.md", title="First", number="APRC-2026-001")
    note = project.raw_note(
        "note.md",
        "---\n" + FRONT.format(title="Second") + "workstreams: conflict-prevention\n"
        "embargo_until: 2026-09-03T09:30:00\nnumber: APRC-2026-001\n---\n\nText [@alphaReport2020].\n",
    )
    checked = project.council("check")
    found = findings(checked.stderr, "note.md")
    assert any(m.startswith("error: ") for m in found.get(line_of(note, "workstreams"), [])), checked.stderr
    assert any("no zone" in m for m in found.get(line_of(note, "embargo_until"), [])), checked.stderr
    assert any("already used by first.md" in m for m in found.get(line_of(note, "number:"), [])), checked.stderr


def test_bad_aliases_are_dropped_and_reported_and_the_note_still_keeps_its_address(project: TinyProject) -> None:
    project.note("live.md", title="Live")
    (project.root / "requests").mkdir()
    (project.root / "requests" / "R-2026-002.yml").write_text(
        "department: Cabinet Office\nquestion: What should a strategy contain?\npriority: medium\n"
        "asked: 2026-01-08\nstatus: answered\n",
        encoding="utf-8",
    )
    note = project.note(
        "note.md", title="Renamed", answers=["R-2026-002"], aliases=["old", "live", "../../evil", "Old_Name"]
    )
    (project.root / "briefings" / "published.yml").write_text(
        "- slug: note\n  number: APRC-2026-001\n  published: 2026-02-01\n", encoding="utf-8"
    )
    checked = project.council("check")
    assert checked.returncode == 1
    at = line_of(note, "- ../../evil")
    found = findings(checked.stderr, "note.md")
    assert any("../../evil" in m for m in found.get(at, [])), checked.stderr
    assert any("Old_Name" in m for m in found.get(line_of(note, "- Old_Name"), [])), checked.stderr
    assert any("alias 'live' is the URL of the live briefing" in m for m in sum(found.values(), [])), checked.stderr
    assert "would break" not in checked.stderr, checked.stderr  # its own URL is still served
    assert "no briefing lists it" not in checked.stderr, checked.stderr  # and it still answers its request


# --- checking one note is the full check filtered to it (item 3) -------------------------------------


def problem_lines(output: str) -> set[str]:
    """The first line of each finding (its place and message), without the closing count."""
    return {line for line in output.splitlines() if re.match(r"^\S+: (error|warning): ", line)}


def test_the_ledger_problem_naming_a_renamed_note_is_in_that_notes_own_check(project: TinyProject) -> None:
    project.note("renamed.md", title="Renamed", number="APRC-2026-001")
    project.note("other.md", title="Other", number="APRC-2026-002")
    ledger = project.root / "briefings" / "published.yml"
    ledger.write_text(
        "- slug: other\n  number: APRC-2026-002\n  published: 2026-02-01\n"
        "- slug: old-name\n  number: APRC-2026-001\n  published: 2026-02-01\n",
        encoding="utf-8",
    )
    whole = project.council("check")
    alone = project.council("check", "briefings/renamed.md")
    other = project.council("check", "briefings/other.md")
    expected = f"briefings/published.yml:{line_of(ledger, 'slug: old-name')}: error: "
    assert expected in whole.stderr and "briefings/renamed.md carries its number" in whole.stderr, whole.stderr
    assert alone.returncode == 1 and expected in alone.stderr, alone.stderr
    assert problem_lines(alone.stderr) <= problem_lines(whole.stderr)
    assert other.returncode == 0 and expected not in other.stderr, other.stderr  # it does not name other.md


def test_checking_a_note_in_a_subfolder_says_what_the_full_check_says(project: TinyProject) -> None:
    (project.root / "briefings" / "sahel").mkdir()
    project.note("sahel/x.md", title="In a subfolder")
    project.note("public.md", title="Public")
    whole = project.council("check")
    alone = project.council("check", "briefings/sahel/x.md")
    assert whole.returncode == alone.returncode == 1
    said = [line for line in whole.stderr.splitlines() if line.startswith("briefings/sahel/x.md")]
    assert said and "move it to briefings/x.md" in whole.stderr, whole.stderr
    assert problem_lines(alone.stderr) == set(said), alone.stderr
    assert "move it to briefings/x.md" in alone.stderr and "Traceback" not in alone.stderr


# --- `council publish` looks at the note it publishes and at the record (item 4) ----------------------


def someone_elses_broken_draft(project: TinyProject) -> None:
    project.raw_note(
        "half-written.md",
        "---\ntitle: Half written\nsummary: Not yet.\nkey_points: [One., Two.]\nauthors: [Dr A]\n"
        "date: 2026-02-01\nstatus: draft\nworkstreams: [conflict-preventin]\n---\n\nA claim.[^todo] [@noSuchKey]\n",
    )


def test_other_peoples_broken_drafts_do_not_stop_a_publication(project: TinyProject) -> None:
    ready = project.note("ready.md", title="Ready", status="draft")
    someone_elses_broken_draft(project)
    done = project.council("publish", "ready", "--date", "2026-03-01")
    assert done.returncode == 0, done.stderr
    assert "status: published" in ready.read_text(encoding="utf-8")
    assert "slug: ready" in (project.root / "briefings" / "published.yml").read_text(encoding="utf-8")


def test_publishing_a_note_that_does_not_exist_names_the_file_and_writes_nothing(project: TinyProject) -> None:
    project.note("ready.md", title="Ready", status="draft")
    someone_elses_broken_draft(project)
    refused = project.council("publish", "nope")
    assert refused.returncode == 1
    assert "no note briefings/nope.md" in refused.stderr, refused.stderr
    assert "half-written" not in refused.stderr, refused.stderr
    assert "no note briefings/nope.md" in project.council("publish", "nope.md").stderr
    assert "Traceback" not in refused.stderr
    assert not (project.root / "briefings" / "published.yml").exists()


def test_publish_takes_the_path_other_commands_take(project: TinyProject) -> None:
    ready = project.note("ready.md", title="Ready", status="draft")
    someone_elses_broken_draft(project)
    done = project.council("publish", "briefings/ready.md", "--date", "2026-03-01")
    assert done.returncode == 0, done.stderr
    assert "published briefings/ready.md" in done.stdout
    assert "status: published" in ready.read_text(encoding="utf-8")
    ledger = (project.root / "briefings" / "published.yml").read_text(encoding="utf-8")
    assert "slug: ready\n" in ledger and "ready.md" not in ledger


def test_publish_still_refuses_what_would_break_a_live_address(project: TinyProject) -> None:
    project.note("ready.md", title="Ready", status="draft")
    ledger = project.root / "briefings" / "published.yml"
    ledger.write_text("- slug: gone\n  number: APRC-2026-001\n  published: 2026-01-01\n", encoding="utf-8")
    refused = project.council("publish", "ready", "--date", "2026-03-01")
    assert refused.returncode == 1
    assert f"published.yml:{line_of(ledger, 'slug: gone')}: error: " in refused.stderr, refused.stderr
    assert "status: draft" in (project.root / "briefings" / "ready.md").read_text(encoding="utf-8")


# --- a citation next to a footnote (item 5) ---------------------------------------------------------


class PageText(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.text = ""
        self.feed(html)

    def handle_data(self, data: str) -> None:
        self.text += data


def test_a_citation_next_to_a_footnote_keeps_the_two_markers_apart(project: TinyProject) -> None:
    project.note(
        "notes.md",
        body="First claim.[@alphaReport2020, p 4][^c] Second claim.[^d][@betaBook2015] End.\n\n"
        "[^c]: A note.\n[^d]: Another.\n",
    )
    result = project.council("build", "briefings/notes.md")
    assert result.returncode == 0, result.stderr
    folder = project.root / "build" / "single" / "notes" / "briefings" / "notes"
    page = PageText((folder / "index.html").read_text(encoding="utf-8")).text
    assert "First claim.1,2 Second claim.3,4 End." in page, page
    pdf = subprocess.run(["pdftotext", str(folder / "notes.pdf"), "-"], capture_output=True, text=True, check=True)
    assert "First claim.1,2 Second claim.3,4 End." in " ".join(pdf.stdout.split()), pdf.stdout
    docx = subprocess.run(
        [pandoc_path(), "-f", "docx", "-t", "markdown", str(folder / "notes.docx")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "First claim.[^1]^,^[^2] Second claim.[^3]^,^[^4] End." in docx, docx


# --- a note without (closed) front matter still has its body checked (item 5) -------------------------


def test_a_note_without_front_matter_still_has_its_body_checked(project: TinyProject) -> None:
    note = project.raw_note("bare.md", "An opening line.\n\nA claim.[^nope]\n\nCited [@noKey2000].\n")
    checked = project.council("check")
    found = findings(checked.stderr, "bare.md")
    assert any("front matter" in m for m in found.get(1, [])), checked.stderr
    assert any("[^nope]" in m for m in found.get(line_of(note, "[^nope]"), [])), checked.stderr
    assert any("noKey2000" in m for m in found.get(line_of(note, "[@noKey2000]"), [])), checked.stderr
    assert "Traceback" not in checked.stderr


def test_a_note_whose_front_matter_is_never_closed_still_has_its_body_checked(project: TinyProject) -> None:
    note = project.raw_note(
        "open.md", "---\ntitle: Never closed\nsummary: S.\n\nA claim.[^nope]\n\nCited [@noKey2000].\n"
    )
    alone = project.council("check", "briefings/open.md")
    found = findings(alone.stderr, "open.md")
    assert any("never closed" in m for m in found.get(1, [])), alone.stderr
    assert any("[^nope]" in m for m in found.get(line_of(note, "[^nope]"), [])), alone.stderr
    assert any("noKey2000" in m for m in found.get(line_of(note, "[@noKey2000]"), [])), alone.stderr


def test_findings_are_printed_in_line_and_column_order(project: TinyProject) -> None:
    project.raw_note(
        "note.md",
        "---\n" + FRONT.format(title="T") + "workstreams: [x-y]\n---\n\n"
        "A claim [@noKey] and [^zz] and [@noKey2] here.\n\n# Heading\n\nMore.[^yy]\n",
    )
    for args in (("check",), ("check", "briefings/note.md"), ("build", "--quiet")):
        shown = project.council(*args).stderr
        places = [
            (int(m[1]), int(m[2] or 0))
            for m in re.finditer(r"^briefings/note\.md:(\d+)(?::(\d+))?: \w+: ", shown, re.M)
        ]
        assert len(places) >= 5 and places == sorted(places), shown
