"""Issue 28, an author's second week: habits of real authors that used to stop or mislead the Council.
Drafts never block the site, `#` sections are accepted in every format, `council publish` refuses what
the strict check finds, nothing is ignored silently, and the messages speak plainly. Each test runs the
real `council` on a tiny project built in a temporary folder."""

from __future__ import annotations

import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pypdf
from conftest import TinyProject

from council.base.tools import pandoc_path

GOOD = {"title": "A test briefing"}


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if text in line)


# --- drafts never block (item 2) ------------------------------------------------------------------------


def test_a_broken_draft_is_held_back_by_name_and_the_site_is_still_built(project: TinyProject) -> None:
    project.note("public.md", title="Public note")
    draft = project.raw_note(
        "half-written.md",
        "---\ntitle: Half written\nsummary: Not yet.\nkey_points: [One., Two.]\nauthors: [Dr A]\n"
        "date: 2026-02-01\nstatus: draft\nworkstreams: [conflict-preventin]\n---\n\nA claim.[^todo]\n",
    )
    built = project.build()
    assert built.returncode == 0, built.stderr
    assert (project.site / "briefings" / "public" / "index.html").is_file()
    withheld = [line for line in built.stdout.splitlines() if line.startswith("withheld briefings/half-written.md")]
    assert len(withheld) == 1, built.stdout
    assert f"line {line_of(draft, 'workstreams')}: unknown workstream 'conflict-preventin'" in withheld[0]
    assert f"line {line_of(draft, '[^todo]')}: footnote [^todo] is never written" in withheld[0]
    assert "withheld by the publication gate 1," in built.stdout
    # the same problems are errors in `council check`
    checked = project.council("check")
    assert checked.returncode == 1
    assert re.search(rf"half-written\.md:{line_of(draft, 'workstreams')}: error: ", checked.stderr), checked.stderr
    assert "2 errors found" in checked.stderr


def test_a_broken_published_note_still_stops_the_build(project: TinyProject) -> None:
    project.note("public.md", workstreams=["conflict-preventin"])
    built = project.build()
    assert built.returncode == 1 and "unknown workstream" in built.stderr
    assert not project.site.exists()


# --- `#` sections in every format (item 3) ------------------------------------------------------------


class Headings(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.levels: list[int] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))


def test_sections_written_with_one_hash_are_one_level_down_in_the_page_pdf_and_word_file(
    project: TinyProject,
) -> None:
    project.note(
        "sections.md",
        body="Intro [@alphaReport2020].\n\n# Why this matters\n\nText.\n\n## A detail\n\nMore.\n\n# Options\n\nEnd.\n",
    )
    result = project.council("build", "briefings/sections.md")
    assert result.returncode == 0, result.stderr
    assert re.search(r"sections\.md:\d+:1: note: the sections start at '#'", result.stderr), result.stderr
    folder = project.root / "build" / "single" / "sections" / "briefings" / "sections"
    page = Headings((folder / "index.html").read_text(encoding="utf-8"))
    assert page.levels.count(1) == 1, page.levels  # the title alone
    docx = json.loads(
        subprocess.run(
            [pandoc_path(), "-f", "docx", "-t", "json", str(folder / "sections.docx")],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    levels = {
        "".join(i.get("c", " ") if isinstance(i.get("c", " "), str) else " " for i in b["c"][2]): b["c"][0]
        for b in docx["blocks"]
        if b["t"] == "Header"
    }
    assert levels["Why this matters"] == levels["Options"] == 2 and levels["A detail"] == 3, levels
    outline = pypdf.PdfReader(folder / "sections.pdf").outline
    top = [item.title for item in outline if not isinstance(item, list)]
    assert "Why this matters" not in top and "Options" not in top, outline  # below the title, not beside it


# --- council publish runs the strict check (item 4) -----------------------------------------------------


def test_publish_refuses_the_new_note_template_and_writes_nothing(project: TinyProject) -> None:
    made = project.council("new", "Reference list", "--author", "Dr Jane Doe")
    assert made.returncode == 0, made.stderr
    note = project.root / "briefings" / "reference-list.md"
    before = note.read_bytes()
    assert project.council("check").returncode == 0  # placeholders are house-style warnings to `council check`
    result = project.council("publish", "reference-list", "--date", "2026-02-03")
    assert result.returncode == 1
    assert re.search(
        rf"reference-list\.md:{line_of(note, 'summary')}: error: .*the summary is still the template's placeholder",
        result.stderr,
    ), result.stderr
    assert "key point 'The first thing a minister's office should take away.' is the template's placeholder" in (
        result.stderr
    )
    assert "nothing was written" in result.stderr
    assert note.read_bytes() == before
    assert not (project.root / "briefings" / "published.yml").exists()


# --- nothing silent (item 5) ----------------------------------------------------------------------------


def test_a_note_in_a_subfolder_is_refused_with_the_reason(project: TinyProject) -> None:
    project.note("public.md")
    (project.root / "briefings" / "sahel").mkdir()
    (project.root / "briefings" / "sahel" / "mali.md").write_text(
        (project.root / "briefings" / "public.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (project.root / "briefings" / "_notes").mkdir()  # the author's own folder: left alone
    (project.root / "briefings" / "_notes" / "ideas.md").write_text("scratch\n", encoding="utf-8")
    checked = project.council("check")
    assert checked.returncode == 1
    assert "briefings/sahel/mali.md: error: this note is in a subfolder (sahel/)" in checked.stderr
    assert "move it to briefings/mali.md" in checked.stderr and "ideas.md" not in checked.stderr
    built = project.build()
    assert built.returncode == 0, built.stderr
    assert "withheld briefings/sahel/mali.md: this note is in a subfolder (sahel/)" in built.stdout


def test_two_notes_with_one_title_warn_at_the_second(project: TinyProject) -> None:
    project.note("first.md", title="Early warning in the Sahel")
    second = project.note("second.md", title="Early  warning in the sahel")
    checked = project.council("check")
    assert checked.returncode == 0, checked.stderr
    assert (
        f"briefings/second.md:{line_of(second, 'title')}: warning: field 'title': the title is the same as that "
        "of briefings/first.md"
    ) in checked.stderr
    assert "first.md:2: warning" not in checked.stderr


# --- the per-note check is the full check filtered (item 1) ----------------------------------------------


def test_the_check_of_one_note_includes_the_publishing_record(project: TinyProject) -> None:
    project.note("one.md", number="APRC-2026-001")
    two = project.note("two.md", number="APRC-2026-001", title="Another title")
    whole = project.council("check")
    alone = project.council("check", "briefings/two.md")
    assert whole.returncode == alone.returncode == 1
    message = f"briefings/two.md:{line_of(two, 'number')}: error: field 'number': number APRC-2026-001 is already used"
    assert message in whole.stderr and message in alone.stderr, alone.stderr


def test_the_check_of_a_broken_note_still_checks_its_citations(project: TinyProject) -> None:
    path = project.note("one.md", body="See [@alphaReprot2020].\n", workstreams="conflict-prevention")
    alone = project.council("check", "briefings/one.md")
    assert alone.returncode == 1
    assert f"one.md:{line_of(path, 'See')}:6: error: citation key '@alphaReprot2020'" in alone.stderr, alone.stderr
    assert "Traceback" not in alone.stderr


# --- wording (item 11) ----------------------------------------------------------------------------------


def test_an_impossible_date_is_said_plainly_and_hides_nothing(project: TinyProject) -> None:
    path = project.note("one.md", date="2026-13-45", countries=["Sahel"], recommendations=[3])
    text = path.read_text(encoding="utf-8").replace("'2026-13-45'", "2026-13-45")
    path.write_text(text, encoding="utf-8")
    checked = project.council("check")
    assert checked.returncode == 1
    assert f"one.md:{line_of(path, 'date')}: error: field 'date': '2026-13-45' is not a date: there is no month 13" in (
        checked.stderr
    )
    assert "1..12" not in checked.stderr and "missing" not in checked.stderr
    assert "council vocab sahel" in checked.stderr and "ISR" not in checked.stderr
    assert "written as the number 3" in checked.stderr and "III" in checked.stderr
    assert "3 errors found" in checked.stderr


def test_a_day_past_the_end_of_the_month_names_the_month(project: TinyProject) -> None:
    path = project.note("one.md")
    path.write_text(path.read_text(encoding="utf-8").replace("2026-02-01", "2026-02-30"), encoding="utf-8")
    checked = project.council("check")
    assert "'2026-02-30' is not a date: February 2026 has 28 days" in checked.stderr, checked.stderr


def test_the_new_note_template_names_only_things_that_exist(project: TinyProject) -> None:
    assert project.council("new", "Sanctions in the Sahel").returncode == 0
    text = (project.root / "briefings" / "sanctions-in-the-sahel.md").read_text(encoding="utf-8")
    comments = "\n".join(line for line in text.split("\n---\n")[0].split("\n") if line.lstrip().startswith("#"))
    commands = re.findall(r"`(council [a-z ]+?)`", comments)
    assert commands, comments
    for command in commands:  # each command it points at runs
        assert project.council(*command.split()[1:]).returncode == 0, command
    assert not re.search(r"[\w/]+\.yml", comments), comments  # no file an author cannot see in their project


# --- oversized images (item 5) ---------------------------------------------------------------------------


def test_an_oversized_photo_warns_at_check_and_is_resized_for_every_format(project: TinyProject) -> None:
    import random
    import zipfile

    from PIL import Image

    folder = project.root / "briefings" / "images"
    folder.mkdir()
    photo = folder / "photo.jpg"
    noise = random.Random(28).randbytes(2600 * 1800 * 3)  # noise does not compress: a camera-sized file
    Image.frombytes("RGB", (2600, 1800), noise).save(photo, "JPEG", quality=95)
    original = photo.stat().st_size
    assert original > 2 * 1024 * 1024
    note = project.note(
        "photo.md", body='Text [@alphaReport2020].\n\n![A street](images/photo.jpg){fig-alt="A street"}\n'
    )
    checked = project.council("check")
    assert checked.returncode == 0, checked.stderr
    assert re.search(
        rf"photo\.md:{line_of(note, 'photo.jpg')}: warning: the image 'images/photo.jpg' is \d+\.\d MB, 2600x1800 "
        r"pixels: the build resizes it to 1600 pixels wide for the page and 1961 \(300 dpi\)",
        checked.stderr,
    ), checked.stderr
    built = project.build()
    assert built.returncode == 0, built.stderr
    assert re.search(
        r"^resized briefings/images/photo\.jpg: \d+\.\d MB, 2600x1800 -> page \d+\.\d MB, 1600x1108; "
        r"PDF and Word file \d+\.\d MB, 1961x1358$",
        built.stdout,
        re.M,
    ), built.stdout
    page = project.site / "briefings" / "photo"
    media = [Image.open(p).size for p in (page / "media").iterdir()]
    assert media == [(1600, 1108)]
    with zipfile.ZipFile(page / "photo.docx") as docx:
        embedded = [n for n in docx.namelist() if n.startswith("word/media/")]
        assert len(embedded) == 1
        with docx.open(embedded[0]) as image:
            assert Image.open(image).size == (1961, 1358)
    assert (page / "photo.pdf").stat().st_size < original  # the PDF embeds the smaller copy
    assert photo.stat().st_size == original  # the author's file is never touched


def test_a_build_with_nothing_to_do_claims_nothing_from_a_deleted_cache(project: TinyProject) -> None:
    import shutil

    project.note("one.md")
    assert project.build().returncode == 0
    shutil.rmtree(project.root / "build" / "cache")
    again = project.build()
    assert again.returncode == 0, again.stderr
    assert "built 0, reused from cache 0," in again.stdout, again.stdout
    assert "(site unchanged): its 1 briefing is current" in again.stdout


def test_two_footnote_markers_side_by_side_are_kept_apart_in_every_format(project: TinyProject) -> None:
    project.note(
        "notes.md",
        body="The claim is made elsewhere.[^a][^b] And once more.[^c]\n\n[^a]: One.\n[^b]: Two.\n[^c]: Three.\n",
    )
    result = project.council("build", "briefings/notes.md")
    assert result.returncode == 0, result.stderr
    folder = project.root / "build" / "single" / "notes" / "briefings" / "notes"

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.text = ""

        def handle_data(self, data: str) -> None:
            self.text += data

    page = Text()
    page.feed((folder / "index.html").read_text(encoding="utf-8"))
    assert "elsewhere.1,2 And once more.3" in page.text
    pdf = subprocess.run(["pdftotext", str(folder / "notes.pdf"), "-"], capture_output=True, text=True, check=True)
    assert "elsewhere.1,2 And once more.3" in " ".join(pdf.stdout.split())
    docx = subprocess.run(
        [pandoc_path(), "-f", "docx", "-t", "markdown", str(folder / "notes.docx")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "elsewhere.[^1]^,^[^2] And once more.[^3]" in docx, docx


# --- old addresses keep every format (item 6) -------------------------------------------------------------


def test_a_renamed_note_keeps_its_old_pdf_and_word_addresses_and_the_error_names_its_new_file(
    project: TinyProject,
) -> None:
    project.note("early-warning.md", title="Early warning in the Sahel", status="draft")
    assert project.council("publish", "early-warning", "--date", "2026-02-03").returncode == 0
    new = project.root / "briefings" / "early-warning-in-the-sahel.md"
    (project.root / "briefings" / "early-warning.md").rename(new)
    refused = project.council("check")
    assert refused.returncode == 1
    assert (
        "hint: briefings/early-warning-in-the-sahel.md carries its number APRC-2026-001: add  aliases: "
        "[early-warning]  to it" in refused.stderr
    ), refused.stderr
    new.write_text(
        new.read_text(encoding="utf-8").replace("status: published", "status: published\naliases: [early-warning]"),
        encoding="utf-8",
    )
    built = project.build()
    assert built.returncode == 0, built.stderr
    for kind in ("pdf", "docx"):
        old_file = project.site / "briefings" / "early-warning" / f"early-warning.{kind}"
        new_file = project.site / "briefings" / "early-warning-in-the-sahel" / f"early-warning-in-the-sahel.{kind}"
        assert old_file.is_file() and old_file.read_bytes() == new_file.read_bytes(), kind


# --- preview speed (item 9) --------------------------------------------------------------------------------


def test_the_preview_parses_the_library_once_and_again_only_after_a_bib_file_changes(project: TinyProject) -> None:
    from council.pipeline.quick_page import kept_library

    folder = project.root / "bibliography"
    first, _ = kept_library(folder)
    assert kept_library(folder)[0] is first  # kept in memory: not parsed again
    library = folder / "library.bib"
    library.write_text(
        library.read_text(encoding="utf-8") + "\n@book{deltaBook2024,\n  title = {Delta},\n  date = {2024},\n}\n",
        encoding="utf-8",
    )
    changed, _ = kept_library(folder)
    assert changed is not first and "deltaBook2024" in changed.entries
    assert kept_library(folder)[0] is changed
