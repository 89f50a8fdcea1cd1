"""Footnote citations: the fixture note (tests/fixtures/footnotes/) renders to the same footnotes, with
the same numbers and the same ibid and "(n N)" decisions, on the site, in the PDF and in Word.

The expected notes below were written from the style rules for the fixture's works, not copied from
council's output:
- OSCOLA 4th edition: a first citation in full; pinpoints without "p"/"pp" (1.2.1, 3.1); "ibid" only
  when the note before cites that one work alone (1.2.3); otherwise a short form (surname) with
  "(n N)" pointing at the note holding the full citation (1.2.1-1.2.2); a chapter as "in Editor (ed),
  Book (Publisher Year)" (3.1.4); a citation inside an author's own footnote is plain text there.
  OSCOLA's own examples write "ibid" in lower case; pandoc, like most publishers, capitalises the first
  word of every footnote, so a note that starts with it reads "Ibid".
- Chicago notes and bibliography (18th edition, the CSL style of that name): a full first note, then
  shortened notes "Surname, Short Title, page" instead of "ibid" (CMOS 18 14.34), publisher and year
  without place (14.30). Briefings are written in en-GB, so quotation marks are British single ones
  with punctuation outside them (CMOS 6.9 on British style).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import docx
import pypdf
import pytest
from conftest import REPO, TinyProject

FIXTURE = REPO / "tests" / "fixtures" / "footnotes"

OSCOLA = [
    "Serena Sharma and Jennifer Welsh, The Responsibility to Prevent: Overcoming the Challenges of Atrocity "
    "Prevention (Oxford University Press 2015) 3.",
    "Ibid 45.",
    "Jane Doe, ‘Gamma and the Duty to Prevent’ (2022) 14 Journal of Human Rights Practice 1, para 12.",
    "For a critique, see Richard Roe, Due Diligence in Practice (Hart Publishing 2021) 3–5. Compare Doe (n 3).",
    "Sharma and Welsh (n 1); Roe (n 4) 7.",
    "Anna Smith, ‘Early Warning and Its Discontents’ in Kate Ferguson (ed), Architectures of Prevention "
    "(Hurst 2020) 50.",
    "Ibid 52.",  # the table caption: the note before cites only Smith
    "Doe (n 3) 3–5.",
    "Roe (n 4).",
]
OSCOLA_ITALIC = [
    "The Responsibility to Prevent: Overcoming the Challenges of Atrocity Prevention",
    "Due Diligence in Practice",
    "Architectures of Prevention",
]

CHICAGO = [
    "Serena Sharma and Jennifer Welsh, The Responsibility to Prevent: Overcoming the Challenges of Atrocity "
    "Prevention (Oxford University Press, 2015), 3.",
    "Sharma and Welsh, Responsibility to Prevent, 45.",
    "Jane Doe, ‘Gamma and the Duty to Prevent’, Journal of Human Rights Practice 14 (2022): para. 12.",
    "For a critique, see Richard Roe, Due Diligence in Practice (Hart Publishing, 2021), 3–5. "
    "Compare Doe, ‘Gamma and the Duty’.",
    "Sharma and Welsh, Responsibility to Prevent; Roe, Due Diligence, 7.",
    "Anna Smith, ‘Early Warning and Its Discontents’, in Architectures of Prevention, ed. Kate Ferguson "
    "(Hurst, 2020), 50.",
    "Smith, ‘Early Warning’, 52.",
    "Doe, ‘Gamma and the Duty’, 3–5.",
    "Roe, Due Diligence.",
]
CHICAGO_ITALIC = ["Journal of Human Rights Practice", "Responsibility to Prevent", "Architectures of Prevention"]
STYLES = {"oscola": (OSCOLA, OSCOLA_ITALIC), "chicago-notes-bibliography": (CHICAGO, CHICAGO_ITALIC)}


@pytest.fixture(scope="module", params=sorted(STYLES))
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    project = TinyProject(tmp_path_factory.mktemp(request.param))
    (project.root / "bibliography" / "library.bib").unlink()
    shutil.copy(FIXTURE / "footnotes.bib", project.root / "bibliography" / "footnotes.bib")
    (project.root / "council.yml").write_text(f"citation_style: {request.param}\n", encoding="utf-8")
    project.note("footnotes.md", body=(FIXTURE / "footnotes.md").read_text(encoding="utf-8"), title="Footnote fixture")
    result = project.build()
    assert result.returncode == 0, result.stderr
    return request.param, project.site / "briefings" / "footnotes"


def site_notes(folder: Path) -> list[tuple[str, str]]:
    """(number, html) of each footnote, as the page lists them."""
    page = (folder / "index.html").read_text(encoding="utf-8")
    return re.findall(r'<li id="fn(\d+)"><p>(.*?)<a href="#fnref\1"', page, re.S)


def plain(html_text: str) -> str:
    import html

    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", html_text)).split())


def word_notes(path: Path) -> list[tuple[int, str]]:
    document = docx.Document(str(path))
    part = next(p for p in document.part.package.parts if str(p.partname) == "/word/footnotes.xml")
    from docx.oxml import parse_xml

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    notes = [n for n in parse_xml(part.blob).iter(f"{w}footnote") if int(n.get(f"{w}id")) > 0]
    return [(int(n.get(f"{w}id")), " ".join("".join(t.text or "" for t in n.iter(f"{w}t")).split())) for n in notes]


def word_reference_order(path: Path) -> list[int]:
    """Footnote ids in the order their marks appear in the document body, table captions included."""
    document = docx.Document(str(path))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    return [int(r.get(f"{w}id")) for r in document.element.body.iter(f"{w}footnoteReference")]


def test_site_footnotes_are_exactly_the_expected_ones(built: tuple[str, Path]) -> None:
    style, folder = built
    expected, italic = STYLES[style]
    notes = site_notes(folder)
    assert [n for n, _ in notes] == [str(i) for i in range(1, len(expected) + 1)]
    assert [plain(text) for _, text in notes] == expected
    emphasised = {plain(e) for _, text in notes for e in re.findall(r"<em>(.*?)</em>", text)}
    assert set(italic) <= emphasised


def test_the_table_caption_carries_its_own_footnote(built: tuple[str, Path]) -> None:
    _, folder = built
    page = (folder / "index.html").read_text(encoding="utf-8")
    caption = re.search(r"<caption>(.*?)</caption>", page, re.S)
    assert caption and 'href="#fn7"' in caption.group(1)


def test_word_footnotes_match_the_site_one_for_one(built: tuple[str, Path]) -> None:
    style, folder = built
    expected, _ = STYLES[style]
    path = folder / "footnotes.docx"
    notes = dict(word_notes(path))
    order = word_reference_order(path)
    assert len(order) == len(expected) == len(notes)
    assert [notes[i] for i in order] == expected


def test_pdf_footnotes_carry_the_same_numbers_and_text(built: tuple[str, Path]) -> None:
    style, folder = built
    expected, _ = STYLES[style]
    reader = pypdf.PdfReader(folder / "footnotes.pdf")
    text = "".join("".join(page.extract_text().split()) for page in reader.pages)
    position = 0
    for number, note in enumerate(expected, start=1):
        found = text.find(f"{number}{''.join(note.split())}", position)
        assert found >= 0, f"note {number} ({note!r}) is not in the PDF after note {number - 1}"
        position = found
