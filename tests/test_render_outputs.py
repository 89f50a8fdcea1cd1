"""Stage 3 - rendering: each published briefing becomes a site page, a tagged A4 PDF and a Word
file, checked as their readers would meet them."""

from __future__ import annotations

import html
import io
import re
import zipfile
from pathlib import Path

import docx
import pikepdf
import pypdf
import pytest
from conftest import REPO, TinyProject, front_matter

PUBLISHED = sorted(p.stem for p in (REPO / "briefings").glob("*.md") if front_matter(p)["status"] == "published")
A4 = (595.28, 841.89)


def outputs(sample_site: Path, slug: str) -> Path:
    return sample_site / "site" / "briefings" / slug


def html_footnotes(page: str) -> list[str]:
    notes = re.findall(r'<li id="fn\d+"><p>(.*?)<a href="#fnref', page, re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", n).split()) for n in notes]


@pytest.mark.parametrize("slug", PUBLISHED)
def test_pdf_is_tagged_pdf_ua_on_a4_with_title_and_language(sample_site: Path, slug: str) -> None:
    meta = front_matter(REPO / "briefings" / f"{slug}.md")
    with pikepdf.open(outputs(sample_site, slug) / f"{slug}.pdf") as pdf:
        assert str(pdf.docinfo["/Title"]) == meta["title"]
        assert str(pdf.Root.Lang) == meta.get("lang", "en-GB")
        assert bool(pdf.Root.MarkInfo.Marked) is True
        assert "/StructTreeRoot" in pdf.Root
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"
        for page in pdf.pages:
            box = [float(v) for v in page.MediaBox]
            assert (round(box[2], 1), round(box[3], 1)) == (round(A4[0], 1), round(A4[1], 1))


@pytest.mark.parametrize("slug", PUBLISHED)
def test_pdf_pages_carry_the_marking_top_and_bottom_and_key_points_on_page_one(sample_site: Path, slug: str) -> None:
    meta = front_matter(REPO / "briefings" / f"{slug}.md")
    marking = meta.get("classification", "OFFICIAL")
    reader = pypdf.PdfReader(outputs(sample_site, slug) / f"{slug}.pdf")
    for page in reader.pages:
        lines = [line.strip() for line in page.extract_text().split("\n") if line.strip()]
        assert lines[0] == marking
        assert marking in lines[-1].split()
    first = " ".join(reader.pages[0].extract_text().split())
    assert "Key points" in first
    for point in meta["key_points"]:
        assert " ".join(point.split())[:50] in first


@pytest.mark.parametrize("slug", PUBLISHED)
def test_footnotes_are_the_same_in_site_pdf_and_word(sample_site: Path, slug: str) -> None:
    folder = outputs(sample_site, slug)
    notes = html_footnotes((folder / "index.html").read_text(encoding="utf-8"))
    assert notes, "a published briefing cites its sources in footnotes"
    word = docx.Document(str(folder / f"{slug}.docx"))
    word_notes = [" ".join(n.text.split()) for n in _word_footnotes(word)]
    assert len(word_notes) == len(notes)
    pdf_text = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(folder / f"{slug}.pdf").pages)
    for html_note, word_note in zip(notes, word_notes, strict=True):
        assert _plain(html_note) == _plain(word_note)
        assert _plain(html_note)[:40].replace(" ", "") in pdf_text.replace(" ", "")


def test_oscola_uses_ibid_and_note_back_references(sample_site: Path) -> None:
    for slug in PUBLISHED:
        notes = html_footnotes((outputs(sample_site, slug) / "index.html").read_text(encoding="utf-8"))
        assert any(n.startswith("Ibid") for n in notes), slug
        assert any(re.search(r"\(n \d+\)", n) for n in notes), slug
        assert not any("???" in n for n in notes)


@pytest.mark.parametrize("slug", PUBLISHED)
def test_word_file_has_properties_headings_and_real_footnotes(sample_site: Path, slug: str) -> None:
    meta = front_matter(REPO / "briefings" / f"{slug}.md")
    word = docx.Document(str(outputs(sample_site, slug) / f"{slug}.docx"))
    props = word.core_properties
    assert props.title == meta["title"]
    assert props.author == "; ".join(meta["authors"])
    assert props.language == meta.get("lang", "en-GB")
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 2"]
    # after the references, only the publishing record: updates, if any, and "Cite this briefing"
    assert headings[0] == "Summary" and headings[-1] == "Cite this briefing"
    end = headings.index("References")
    assert set(headings[end + 1 : -1]) <= {"Updates to this briefing"}
    body_headings = re.findall(r"^## (.+)$", (REPO / "briefings" / f"{slug}.md").read_text(), re.M)
    assert headings[1:end] == [h.strip() for h in body_headings]


@pytest.mark.parametrize("slug", PUBLISHED)
def test_site_page_has_every_part_a_skimming_reader_needs(sample_site: Path, slug: str) -> None:
    meta = front_matter(REPO / "briefings" / f"{slug}.md")
    page = (outputs(sample_site, slug) / "index.html").read_text(encoding="utf-8")
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    assert f"<h1>{meta['title']}</h1>" in page
    assert " ".join(meta["summary"].split())[:60] in text
    assert re.search(r"\d+ min read", text)
    assert 'id="key-points"' in page and 'id="references"' in page
    cited = set(re.findall(r'data-cites="([^"]+)"', page))
    cited_keys = {k for group in cited for k in group.split()}
    listed = re.findall(r'<div id="ref-([^"]+)" class="csl-entry"', page)
    assert sorted(listed) == sorted(cited_keys)  # every cited work once in the reference list
    for suffix in ("pdf", "docx"):
        assert f'href="{slug}.{suffix}"' in page
        assert (outputs(sample_site, slug) / f"{slug}.{suffix}").stat().st_size > 5000


def _word_footnotes(document: docx.document.Document) -> list:  # type: ignore[name-defined]
    part = next(p for p in document.part.package.parts if str(p.partname) == "/word/footnotes.xml")
    from docx.oxml import parse_xml

    root = parse_xml(part.blob)
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    notes = [n for n in root.findall("w:footnote", ns) if int(n.get(f"{{{ns['w']}}}id")) > 0]

    class Note:
        def __init__(self, element) -> None:  # type: ignore[no-untyped-def]
            self.text = "".join(t.text or "" for t in element.iter(f"{{{ns['w']}}}t"))

    return [Note(n) for n in notes]


def _plain(text: str) -> str:
    """Compare note text without the footnote mark and link brackets that each format draws itself."""
    import html

    text = html.unescape(text)
    return " ".join(text.replace("<", "").replace(">", "").split()).strip()


def test_pdf_bytes_parse_with_a_second_reader(sample_site: Path) -> None:
    slug = PUBLISHED[0]
    data = (outputs(sample_site, slug) / f"{slug}.pdf").read_bytes()
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) >= 2


@pytest.mark.parametrize("slug", PUBLISHED)
def test_word_pages_carry_the_marking_in_header_and_footer(sample_site: Path, slug: str) -> None:
    marking = front_matter(REPO / "briefings" / f"{slug}.md").get("classification", "OFFICIAL")
    word = docx.Document(str(outputs(sample_site, slug) / f"{slug}.docx"))
    for section in word.sections:
        assert [p.text for p in section.header.paragraphs] == [marking]
        assert [p.text for p in section.footer.paragraphs] == [marking, "Page 1 of 1"]  # fields Word fills in


@pytest.mark.parametrize("slug", PUBLISHED)
def test_word_file_carries_no_build_settings_or_paths(sample_site: Path, slug: str) -> None:
    with zipfile.ZipFile(outputs(sample_site, slug) / f"{slug}.docx") as word:
        parts = b"".join(word.read(name) for name in word.namelist() if name.endswith((".xml", ".rels")))
        custom = word.read("docProps/custom.xml").decode() if "docProps/custom.xml" in word.namelist() else ""
    assert str(sample_site).encode() not in parts  # no path on the machine that built it
    properties = set(re.findall(r'<property [^>]*name="([^"]+)"', custom))
    assert not properties & {"csl", "references", "link-citations", "bibliography"}  # citeproc's settings


def test_a_character_no_pdf_font_can_show_is_a_clean_error_at_its_line(project: TinyProject) -> None:
    project.note("good.md")
    assert project.build().returncode == 0
    before = sorted(p.relative_to(project.site).as_posix() for p in project.site.rglob("*"))
    for number in range(9):  # enough new PDFs to be compiled in worker processes, not in a thread
        project.note(f"more-{number}.md", title=f"More {number}")
    # Chinese is shipped (tests/test_scripts.py); Linear B (U+10000) is in no shipped font
    note = project.note(
        "script.md", body="Opening paragraph [@alphaReport2020].\n\nThe office in 北京 reported \U00010000.\n"
    )
    line = note.read_text(encoding="utf-8").split("\n").index("The office in 北京 reported \U00010000.") + 1
    result = project.build()
    assert result.returncode == 1, result.stderr
    assert f"briefings/script.md:{line}: error: the PDF fonts cannot show '\U00010000' (U+10000)" in result.stderr
    assert "fonts/" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.relative_to(project.site).as_posix() for p in project.site.rglob("*")) == before
