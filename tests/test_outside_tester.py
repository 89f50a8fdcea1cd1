"""Issue 28, as an outside tester found it: a draft's citation problems never stop the site, no fault
hides another, checking one note equals the full check filtered to it, and `council publish` looks only at
the note it publishes. Each test runs the real `council` on a tiny project built in a temporary folder."""

from __future__ import annotations

from pathlib import Path

from conftest import TinyProject

# an entry pandoc cannot read (parentheses instead of braces): a citation problem wherever it is cited
UNREADABLE_ENTRY = (
    "@article(parenKey2020,\n  title = {Written with parentheses},\n  author = {Doe, Jane},\n  year = {2020},\n)\n"
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
