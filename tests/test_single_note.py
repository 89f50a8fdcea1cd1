"""Issue 21 - per-note commands: `council check briefings/x.md` checks that note and the works it cites;
`council build briefings/x.md` renders its page, PDF and Word file into build/single/, drafts too,
never touching site/."""

from __future__ import annotations

import hashlib
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import TinyProject

SINGLE = Path("build") / "single"


def outputs(project: TinyProject, slug: str, stem: str | None = None) -> dict[str, Path]:
    folder = project.root / SINGLE / slug / "briefings" / slug
    stem = stem or slug
    return {"page": folder / "index.html", "pdf": folder / f"{stem}.pdf", "docx": folder / f"{stem}.docx"}


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def where(path: Path, key: str) -> str:
    """briefings/x.md:LINE:COLUMN of the citation of `key` (the column of its @), counted here."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if f"@{key}" in line:
            return f"briefings/{path.name}:{number}:{line.index('@' + key) + 1}"
    raise AssertionError(key)


# --- check ----------------------------------------------------------------------------------------------


def test_check_of_one_note_reports_its_problems_and_no_other_notes(project: TinyProject) -> None:
    project.note("good.md", title="Good")
    bad_note = project.note("bad.md", title="Bad", body="Text [@alphaReprot2020].\n")
    assert project.council("check").returncode == 1  # the project as a whole fails, because of bad.md
    good = project.council("check", "briefings/good.md")
    assert good.returncode == 0, good.stderr
    assert "bad.md" not in good.stderr + good.stdout
    assert "ok: 1 briefing checked (briefings/good.md)" in good.stdout
    bad = project.council("check", "briefings/bad.md")
    assert bad.returncode == 1
    assert (
        f"{where(bad_note, 'alphaReprot2020')}: error: citation key '@alphaReprot2020' is not in the bibliography"
        in bad.stderr
    )
    assert "did you mean '@alphaReport2020'?" in bad.stderr and "good.md" not in bad.stderr


def test_check_of_several_notes_reports_every_problem_in_one_run(project: TinyProject) -> None:
    project.note("one.md", body="Text [@missingOne2020].\n")
    project.note("two.md", body="Text [@missingTwo2020].\n", workstreams=["conflict-prevention"])
    result = project.council("check", "briefings/one.md", "briefings/two.md")
    assert result.returncode == 1
    assert "missingOne2020" in result.stderr and "missingTwo2020" in result.stderr
    assert "2 errors found; nothing was written." in result.stderr


def test_check_of_one_note_lints_the_works_it_cites_and_only_those(project: TinyProject) -> None:
    project.bib(
        "more.bib",
        "@article{faultyCited2021,\n  title = {Cited},\n  author = {Roe, Ann},\n"
        "  journaltitle = {J},\n  date = {2021},\n  doi = {not a doi},\n}\n\n"
        "@article{faultyUncited2021,\n  title = {Uncited},\n  author = {Roe, Ann},\n"
        "  journaltitle = {J},\n  date = {2021},\n  doi = {also not a doi},\n}\n",
    )
    citing_note = project.note("citing.md", body="Text [@faultyCited2021].\n")
    project.note("plain.md")
    citing = project.council("check", "briefings/citing.md")
    assert citing.returncode == 1
    assert (
        f"{where(citing_note, 'faultyCited2021')}: error: this citation uses 'faultyCited2021', which has a problem"
        in citing.stderr
    )
    assert "faultyUncited2021" not in citing.stderr and "also not a doi" not in citing.stderr
    plain = project.council("check", "briefings/plain.md")  # cites alphaReport2020 only: nothing to say
    assert plain.returncode == 0, plain.stderr
    assert "faulty" not in plain.stderr


def test_check_of_one_note_gives_its_house_style_findings(project: TinyProject) -> None:
    wordy = project.note("wordy.md", body="The JACS helps [@alphaReport2020].\n")
    result = project.council("check", "briefings/wordy.md")
    assert result.returncode == 0, result.stderr
    assert (
        f"{where(wordy, 'alphaReport2020').rsplit(':', 1)[0]}: warning: 'JACS' is used before it is spelt out [acronym]"
        in result.stderr
    )
    assert project.council("check", "--strict", "briefings/wordy.md").returncode == 1


@pytest.mark.parametrize(
    "given",
    [
        "council.yml",
        "bibliography/library.bib",
        "briefings/published.yml",
        "briefings",
        "briefings/images/map.md",
        "briefings/_template.md",
        "elsewhere.md",
    ],
)
def test_a_path_that_is_not_a_briefing_is_refused_plainly(project: TinyProject, given: str) -> None:
    (project.root / "briefings" / "published.yml").write_text("{}\n", encoding="utf-8")
    (project.root / "briefings" / "images").mkdir()
    (project.root / "briefings" / "images" / "map.md").write_text("not a note\n", encoding="utf-8")
    (project.root / "briefings" / "_template.md").write_text("not a note\n", encoding="utf-8")
    (project.root / "elsewhere.md").write_text("not a note\n", encoding="utf-8")
    for command in ("check", "build"):
        result = project.council(command, given)
        assert result.returncode == 1, (command, result.stdout)
        if given == "briefings/images/map.md":  # what the full check says of a note in a subfolder (issue 28)
            assert result.stderr.startswith(f"{given}: error: this note is in a subfolder (images/)"), result.stderr
        else:
            assert result.stderr.startswith(
                f"error: {given} is not a briefing: a briefing is a .md file directly in "
                "briefings/, such as briefings/early-warning.md"
            ), result.stderr
        assert "Traceback" not in result.stderr
    assert not (project.root / "build" / "single").exists()


def test_a_missing_note_is_named(project: TinyProject) -> None:
    result = project.council("check", "briefings/nowhere.md")
    assert result.returncode == 1
    assert result.stderr.startswith("error: briefings/nowhere.md: no such file;"), result.stderr


# --- build ----------------------------------------------------------------------------------------------


def test_build_of_a_draft_renders_its_page_pdf_and_word_file_into_build_single(project: TinyProject) -> None:
    project.note("public.md", title="Already public")
    assert project.build().returncode == 0
    site = project.site.resolve()
    before = snapshot(site)
    project.note("fresh.md", title="A fresh draft", status="draft", body="A sentence only in the draft.\n")
    result = project.council("build", "briefings/fresh.md")
    assert result.returncode == 0, result.stderr
    files = outputs(project, "fresh", "fresh-draft")  # a draft's copies say so in their names
    for path in files.values():
        assert f"wrote {path.relative_to(project.root).as_posix()}" in result.stdout
    page = files["page"].read_text(encoding="utf-8")
    assert "A fresh draft" in page and "A sentence only in the draft." in page
    assert "DRAFT: not for publication" in page
    assert 'href="fresh-draft.pdf"' in page and "__council__" not in page  # links the files beside it
    assert "A fresh draft" in pdf_text(files["pdf"]) and "A sentence only in the draft." in pdf_text(files["pdf"])
    assert "A sentence only in the draft." in docx_text(files["docx"])
    # the public site is untouched, and the draft is still off it
    assert project.site.resolve() == site and snapshot(site) == before
    assert not (site / "briefings" / "fresh").exists()
    # the other note was not rendered here
    assert not (project.root / SINGLE / "public").exists()
    assert "Already public" not in page


def test_a_failed_single_build_writes_nothing_and_keeps_the_last_one(project: TinyProject) -> None:
    note = project.note("note.md", title="First version", body="Saved once [@alphaReport2020].\n")
    assert project.council("build", "briefings/note.md").returncode == 0
    folder = project.root / SINGLE / "note"
    before = snapshot(folder)
    note.write_text(note.read_text(encoding="utf-8").replace("alphaReport2020", "noSuchWork2020"), encoding="utf-8")
    result = project.council("build", "briefings/note.md")
    assert result.returncode == 1
    assert (
        f"{where(note, 'noSuchWork2020')}: error: citation key '@noSuchWork2020' is not in the bibliography"
        in result.stderr
    )
    assert snapshot(folder) == before
    assert sorted(p.name for p in (project.root / SINGLE).iterdir()) == ["note"]  # no leftovers beside it
    # fixed: the new version replaces the old one whole
    note.write_text(
        note.read_text(encoding="utf-8").replace("noSuchWork2020", "betaBook2015").replace("Saved once", "Saved twice"),
        encoding="utf-8",
    )
    assert project.council("build", "briefings/note.md").returncode == 0
    page = outputs(project, "note")["page"].read_text(encoding="utf-8")
    assert "Saved twice" in page and "Saved once" not in page


def test_a_note_above_official_is_not_built_into_build_single(project: TinyProject) -> None:
    project.note("secret.md", classification="OFFICIAL-SENSITIVE")
    result = project.council("build", "briefings/secret.md")
    assert result.returncode == 1
    assert result.stderr.startswith("error: briefings/secret.md: marked OFFICIAL-SENSITIVE: never published;"), (
        result.stderr
    )
    assert "build/single/ holds only notes a preview may show" in result.stderr
    assert not (project.root / SINGLE).exists()
