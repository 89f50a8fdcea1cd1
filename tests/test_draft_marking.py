"""Issue 19: preview copies of drafts, notes in review and embargoed notes are marked as such on every
page of the PDF, in every header and footer of the Word file, in both title properties and in their
file names; published outputs never are, even when rendered from the same note (the render cache)."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pypdf
import pytest
from conftest import SAMPLE_NOW, TinyProject

DRAFT = "DRAFT \u2013 not for publication"
EMBARGOED = "EMBARGOED until 01 June 2027 09:00 UTC"
AFTER_EMBARGO = "2027-06-02T12:00:00+00:00"
# enough text for several PDF pages, so that "every page" means something
LONG_BODY = "\n\n".join(
    f"## Part {n}\n\n" + " ".join(["Early warning needs analysis that reaches decision makers in time to act."] * 40)
    for n in range(1, 5)
)
LONG_BODY += "\n\nSee the report [@alphaReport2020].\n"
NOTES = {  # slug -> (front matter, the marking its preview copies carry, the file name suffix)
    "a-draft": ({"status": "draft"}, DRAFT, "-draft"),
    "in-review": ({"status": "review"}, DRAFT, "-draft"),
    "embargoed": ({"embargo_until": "2027-06-01T09:00:00Z"}, EMBARGOED, "-embargoed"),
    "published": ({}, None, ""),
}


def build_preview(root: Path, now: str = SAMPLE_NOW) -> None:
    """What `council serve --drafts` runs before serving: the preview build, into build/preview."""
    script = (
        "import datetime as dt, sys; from pathlib import Path; from council.base.config import load_config; "
        "from council.pipeline.site import build; "
        "build(load_config(Path(sys.argv[1])), dt.datetime.fromisoformat(sys.argv[2]), progress=False, preview=True)"
    )
    subprocess.run([sys.executable, "-c", script, str(root), now], check=True, capture_output=True, text=True)


@pytest.fixture(scope="module")
def drafts(tmp_path_factory: pytest.TempPathFactory) -> TinyProject:
    project = TinyProject(tmp_path_factory.mktemp("drafts"))
    for slug, (front, _, _) in NOTES.items():
        project.note(f"{slug}.md", body=LONG_BODY, title=f"Note {slug}", **front)
    build_preview(project.root)
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project


def pdf_pages(path: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(path).pages]


def pdf_title(path: Path) -> str:
    return str(pypdf.PdfReader(path).metadata.title)


def docx_parts(path: Path, pattern: str) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist() if re.fullmatch(pattern, name)}


def docx_title(path: Path) -> str:
    core = docx_parts(path, r"docProps/core\.xml")["docProps/core.xml"]
    return re.search(r"<dc:title>(.*?)</dc:title>", core, re.S).group(1)


def xml_text(xml: str) -> str:
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


def marking_text(name: str, xml: str) -> str:
    """A header's or footer's marking; a footer also carries the folio, "Page X of Y", after it."""
    text = xml_text(xml)
    if "footer" in name:
        assert re.search(r"Page \d+ of \d+$", text), (name, text)
        text = re.sub(r"Page \d+ of \d+$", "", text)
    return text


@pytest.mark.parametrize("slug", [s for s, (_, marking, _) in NOTES.items() if marking])
def test_preview_copies_are_marked_on_every_page_in_titles_and_names(drafts: TinyProject, slug: str) -> None:
    _, marking, suffix = NOTES[slug]
    folder = drafts.root / "build" / "preview" / "briefings" / slug
    pdf, docx = folder / f"{slug}{suffix}.pdf", folder / f"{slug}{suffix}.docx"
    assert pdf.is_file() and docx.is_file(), sorted(p.name for p in folder.iterdir())
    assert not (folder / f"{slug}.pdf").exists() and not (folder / f"{slug}.docx").exists()

    pages = pdf_pages(pdf)
    assert len(pages) >= 3, "the note should run to several pages"
    for number, text in enumerate(pages, 1):  # beside the classification, top and bottom of every page
        assert text.count(f"OFFICIAL \u00b7 {marking}") == 2, (number, text[:200])
    assert pdf_title(pdf) == f"{marking}: Note {slug}"

    headers = docx_parts(docx, r"word/header\d*\.xml")
    footers = docx_parts(docx, r"word/footer\d*\.xml")
    assert headers and footers
    for name, xml in {**headers, **footers}.items():
        assert marking_text(name, xml) == f"OFFICIAL \u00b7 {marking}", name
    assert docx_title(docx) == f"{marking}: Note {slug}"

    page = (folder / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+\.(?:pdf|docx))"', page)
    assert sorted(links) == sorted([f"{slug}{suffix}.pdf", f"{slug}{suffix}.docx"])
    assert "data-size-of" not in page  # each size was filled in from the very file linked


def test_a_published_note_is_never_marked_in_the_preview_nor_on_the_site(drafts: TinyProject) -> None:
    for folder in (
        drafts.root / "build" / "preview" / "briefings" / "published",
        drafts.site / "briefings" / "published",
    ):
        pdf, docx = folder / "published.pdf", folder / "published.docx"
        assert sorted(p.name for p in [*folder.glob("*.pdf"), *folder.glob("*.docx")]) == [
            "published.docx",
            "published.pdf",
        ]
        for text in pdf_pages(pdf):
            assert "DRAFT" not in text and "EMBARGOED" not in text and "OFFICIAL" in text
        assert pdf_title(pdf) == "Note published" and docx_title(docx) == "Note published"
        for name, xml in docx_parts(docx, r"word/(header|footer)\d*\.xml").items():
            assert marking_text(name, xml) == "OFFICIAL"
    assert sorted(p.name for p in (drafts.site / "briefings").iterdir()) == ["published"]


def test_an_embargoed_note_published_later_does_not_reuse_its_marked_preview(drafts: TinyProject) -> None:
    """Same note, same sources: only the marking tells the preview copy from the published one, so the
    render cache must tell them apart too (and a preview after the embargo is unmarked as well)."""
    result = drafts.build("--now", AFTER_EMBARGO)
    assert result.returncode == 0, result.stderr
    folder = drafts.site / "briefings" / "embargoed"
    assert sorted(p.name for p in [*folder.glob("*.pdf"), *folder.glob("*.docx")]) == [
        "embargoed.docx",
        "embargoed.pdf",
    ]
    assert all("EMBARGOED" not in text for text in pdf_pages(folder / "embargoed.pdf"))
    assert pdf_title(folder / "embargoed.pdf") == "Note embargoed"
    assert docx_title(folder / "embargoed.docx") == "Note embargoed"
    build_preview(drafts.root, AFTER_EMBARGO)
    preview = drafts.root / "build" / "preview" / "briefings" / "embargoed"
    assert sorted(p.name for p in [*preview.glob("*.pdf"), *preview.glob("*.docx")]) == [
        "embargoed.docx",
        "embargoed.pdf",
    ]
    assert all("EMBARGOED" not in text for text in pdf_pages(preview / "embargoed.pdf"))
