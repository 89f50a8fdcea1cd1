"""Word files a clerk opens without repair, read as LibreOffice lays them out: each DOCX (both reports and
a briefing, built from copies of the fixtures) is converted to PDF by the real LibreOffice and measured
with pdfplumber. Footnotes run 1..N through the whole report; every picture fits the text area of its
page, its caption beside it; the title page and verso carry no folio and the verso sits at the foot of
its page; Annex A gives its Description column the most room; a briefing's pages are numbered.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from conftest import TinyProject
from test_back_references import BIB, BRIEFING, PERIODS, with_cited_reports

from council.render.docx_reference import CAPTION_ROOM_CM, TEXT_HEIGHT, picture_width_cm
from council.report.document import RECOMMENDATIONS_SOURCE

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CM = 72 / 2.54  # PDF points per centimetre
MARGIN_CM = 2.54  # the reference document's margins (render/docx_reference.py)
FOLIO = re.compile(r"Page \d+ of \d+")


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """name -> the DOCX (or ODT) and the PDF LibreOffice makes of it, without suffix, for both reports (in
    Word and OpenDocument) and one briefing."""
    project = TinyProject(tmp_path_factory.mktemp("word-files"))
    project.bib("library.bib", BIB)
    with_cited_reports(project.root)
    project.note("cited.md", body=BRIEFING.format(source=RECOMMENDATIONS_SOURCE), title="Cited")
    result = project.build()
    assert result.returncode == 0, result.stderr
    work = tmp_path_factory.mktemp("word-files-pdf")
    sources = {f"report-{p}": project.site / "reports" / p / f"report-{p}.docx" for p in PERIODS}
    sources["briefing"] = next((project.site / "briefings" / "cited").glob("*.docx"))
    for name, path in sources.items():
        shutil.copy(path, work / f"{name}.docx")
    for period in PERIODS:
        sources[f"odt-{period}"] = project.site / "reports" / period / f"report-{period}.odt"
        shutil.copy(sources[f"odt-{period}"], work / f"odt-{period}.odt")
        annex = f"report-{period}-annex-a.csv"
        shutil.copy(project.site / "reports" / period / annex, work / annex)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            *sorted(str(p) for p in work.glob("*.docx")),
            *sorted(str(p) for p in work.glob("*.odt")),
        ],
        capture_output=True,
        timeout=600,
        check=True,
    )
    return {name: work / name for name in sources}


def footnote_references(docx: Path) -> int:
    with zipfile.ZipFile(docx) as archive:
        return archive.read("word/document.xml").decode().count("<w:footnoteReference ")


def footnote_numbers(pdf: Path) -> list[int]:
    """The numbers LibreOffice gives the footnotes: the small figures that start a line at the left
    margin in the lower part of a page (a note mark in the text stands after a word)."""
    found = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            body = [w["size"] for w in page.extract_words(extra_attrs=["size"])]
            size = max(set(body), key=body.count) if body else 0
            for word in page.extract_words(extra_attrs=["size"]):
                at_margin = word["x0"] < MARGIN_CM * CM + 10
                if word["text"].isdigit() and word["size"] < size * 0.8 and at_margin and word["top"] > page.height / 3:
                    found.append(int(word["text"]))
    return found


@pytest.mark.parametrize("period", PERIODS)
def test_footnotes_run_one_to_n_through_the_report_in_libreoffice(laid_out: dict[str, Path], period: str) -> None:
    name = f"report-{period}"
    notes = footnote_references(laid_out[name].with_suffix(".docx"))
    assert notes >= 5
    assert footnote_numbers(laid_out[name].with_suffix(".pdf")) == list(range(1, notes + 1))


@pytest.mark.parametrize("period", PERIODS)
def test_every_picture_fits_the_text_area_with_its_caption_on_its_page(laid_out: dict[str, Path], period: str) -> None:
    pictures = 0
    with pdfplumber.open(laid_out[f"report-{period}"].with_suffix(".pdf")) as document:
        for page in document.pages:
            for image in page.images:
                pictures += 1
                assert image["x0"] >= MARGIN_CM * CM - 1 and image["x1"] <= page.width - MARGIN_CM * CM + 1, image
                assert image["top"] >= MARGIN_CM * CM - 1 and image["bottom"] <= page.height - MARGIN_CM * CM + 1, (
                    f"{(image['bottom'] - image['top']) / CM:.1f} cm tall",
                )
                below = page.crop((0, image["bottom"], page.width, page.height)).extract_text() or ""
                assert re.search(r"Figure \d+:", below), "the caption shares the picture's page"
    assert pictures >= 2


@pytest.mark.parametrize("period", PERIODS)
def test_title_page_and_verso_have_no_folio_and_the_verso_stands_at_the_foot(
    laid_out: dict[str, Path], period: str
) -> None:
    with pdfplumber.open(laid_out[f"report-{period}"].with_suffix(".pdf")) as document:
        pages = document.pages
        assert not FOLIO.search(pages[0].extract_text() or "") and not FOLIO.search(pages[1].extract_text() or "")
        assert FOLIO.search(pages[2].extract_text() or "")
        verso = pages[1].extract_words()
        assert any(w["text"] == "©" for w in verso)
        assert min(w["top"] for w in verso) > pages[1].height / 2, "the verso's text sits in the page's lower half"
        last_line = max(w["bottom"] for w in verso)
        assert last_line > pages[1].height - MARGIN_CM * CM - 2 * CM, "and ends near the foot of the text area"


def column_widths(docx: Path, first_header: str) -> dict[str, int]:
    """The column widths (twips) of the table whose header row starts with `first_header`."""
    with zipfile.ZipFile(docx) as archive:
        xml = archive.read("word/document.xml").decode()
    for table in re.findall(r"<w:tbl>.*?</w:tbl>", xml, re.S):
        header = re.search(r"<w:tr>.*?</w:tr>", table, re.S).group(0)  # type: ignore[union-attr]
        cells = [
            "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", cell))
            for cell in re.findall(r"<w:tc>.*?</w:tc>", header, re.S)
        ]
        if cells and cells[0] == first_header:
            widths = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"', table)]
            return dict(zip(cells, widths, strict=True))
    raise AssertionError(f"no table starting {first_header!r}")


@pytest.mark.parametrize("period", PERIODS)
def test_annex_a_gives_the_column_with_the_most_text_the_most_room(laid_out: dict[str, Path], period: str) -> None:
    """The most text is the descriptions in the shipped reports, the toolkit tools' names in the fixtures':
    measured here from the annex's own CSV file, published beside the report."""
    widths = column_widths(laid_out[f"report-{period}"].with_suffix(".docx"), "Date")
    csv_file = laid_out[f"report-{period}"].parent / f"report-{period}-annex-a.csv"
    with open(csv_file, encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    text = {column: sum(len(row[column]) for row in rows) for column in widths}
    assert max(widths, key=widths.__getitem__) == max(text, key=text.__getitem__), (widths, text)
    assert "Rec." not in widths


def test_the_report_asks_word_to_update_its_contents_on_opening(laid_out: dict[str, Path]) -> None:
    for period in PERIODS:
        with zipfile.ZipFile(laid_out[f"report-{period}"].with_suffix(".docx")) as archive:
            assert re.search(r'<w:updateFields w:val="true" ?/>', archive.read("word/settings.xml").decode())


def test_a_briefings_word_file_numbers_its_pages(laid_out: dict[str, Path]) -> None:
    with pdfplumber.open(laid_out["briefing"].with_suffix(".pdf")) as document:
        texts = [page.extract_text() or "" for page in document.pages]
    total = len(texts)
    assert [FOLIO.search(text).group(0) if FOLIO.search(text) else None for text in texts] == [
        f"Page {n} of {total}" for n in range(1, total + 1)
    ]


@pytest.mark.parametrize(("width_px", "height_px"), [(480, 360), (480, 873), (480, 1000), (100, 2000)])
def test_a_picture_and_its_caption_fit_one_page_whatever_its_shape(width_px: int, height_px: int) -> None:
    """The sample's Figure 1 is 480 x 873 px: 15 cm wide it would be 27.3 cm tall on 24.6 cm of text height."""
    width = picture_width_cm(width_px, height_px)
    text_height_cm = TEXT_HEIGHT / 1440 * 2.54
    assert 0 < width <= 15.0
    assert width * height_px / width_px <= text_height_cm - CAPTION_ROOM_CM + 0.01
    if height_px / width_px <= (text_height_cm - CAPTION_ROOM_CM) / 15.0:  # short enough: full width
        assert width == 15.0


@pytest.mark.parametrize("period", PERIODS)
def test_the_odt_is_a4_with_title_page_verso_and_contents_on_pages_of_their_own(
    laid_out: dict[str, Path], period: str
) -> None:
    with pdfplumber.open(laid_out[f"odt-{period}"].with_suffix(".pdf")) as document:
        pages = document.pages
        assert {(round(p.width), round(p.height)) for p in pages} == {(595, 842)}, "A4"
        texts = [page.extract_text() or "" for page in pages]
    assert "Report to Parliament" not in texts[0] or "©" not in texts[0]
    assert "©" not in texts[0] and "©" in texts[1] and "Summary" not in texts[1]
    assert texts[2].lstrip().startswith("Contents") and "Annex A: Actions taken" in texts[2]
    assert texts[3].lstrip().startswith("Summary")
    folios = [FOLIO.search(text).group(0) if FOLIO.search(text) else None for text in texts]
    assert folios == [f"Page {n} of {len(texts)}" for n in range(1, len(texts) + 1)]


@pytest.mark.parametrize("period", PERIODS)
def test_the_odts_pictures_fit_the_text_area(laid_out: dict[str, Path], period: str) -> None:
    pictures = 0
    with pdfplumber.open(laid_out[f"odt-{period}"].with_suffix(".pdf")) as document:
        for page in document.pages:
            pictures += len(page.images)
            for image in page.images:
                assert (
                    image["bottom"] <= page.height - MARGIN_CM * CM + 1
                    and image["x1"] <= page.width - MARGIN_CM * CM + 1
                )
    assert pictures >= 2
