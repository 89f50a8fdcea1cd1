"""The report to Parliament as a clerk and a data user get it (issue 20): the title-page verso in every
format, the annexes' data as CSV and one ODS workbook (read back with pandas, against the tables on the
report page), the ODT and the Word file through the real LibreOffice (page numbers, the contents), and
the site's Reports index."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pandas as pd
import pytest

PERIODS = ("2024-25", "2025-26")
ANNEXES = ("annex-a", "annex-b", "annex-c", "annex-d", "annex-e")
VERSO = (
    "© Crown copyright",
    "Open Government Licence v3.0",
    "This publication is available at www.gov.uk/official-documents.",
    "enquiries@atrocity-prevention.example",
    "ISBN 978-1-5286-",
)
ANNEX_SENTENCE = "A classified annex accompanies this report."


def folder(root: Path, period: str) -> Path:
    return root / "site" / "reports" / period


def pdf_text(pdf: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def docx_text(docx: Path) -> str:
    with zipfile.ZipFile(docx) as archive:
        xml = archive.read("word/document.xml").decode()
    return re.sub(r"\s+", " ", " ".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))).replace("&amp;", "&")


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("period", PERIODS)
def test_the_verso_carries_every_form_item_in_pdf_docx_and_html(sample_site: Path, period: str) -> None:
    site = folder(sample_site, period)
    texts = {
        "pdf": squash(pdf_text(site / f"report-{period}.pdf", "-f", "2", "-l", "2")),
        "docx": docx_text(site / f"report-{period}.docx"),
        "html": squash((site / "index.html").read_text(encoding="utf-8")),
    }
    for name, text in texts.items():
        for item in VERSO:
            assert item in text, (name, item)
        # only the period with classified material says it has a classified annex
        assert (ANNEX_SENTENCE in text) == (period == "2025-26"), name
    assert "OFFICIAL" not in pdf_text(site / f"report-{period}.pdf", "-f", "3", "-l", "3").split("\n")[0]


@pytest.mark.parametrize("period", PERIODS)
def test_the_statutory_items_and_the_recommendations_source_are_in_the_report(sample_site: Path, period: str) -> None:
    text = squash(pdf_text(folder(sample_site, period) / f"report-{period}.pdf"))
    assert "Where this report answers each item of section 5(a)(1) of the Act" in text
    for item in "ABCDEF":
        assert f"({item}) " in text
    assert "published by the Oxford Institute for Ethics, Law and Armed Conflict in January 2023" in text
    assert "Developing a UK Atrocity Prevention Strategy" in text  # the citation resolved to the brief


def _html_annex_table(html: str, annex: str) -> pd.DataFrame:
    start = html.index(f'id="{annex}"')
    end = html.find("<h2", start + 1)
    return pd.read_html(io.StringIO(html[start : end if end > 0 else None]), thousands=None)[0].fillna("").astype(str)


@pytest.mark.parametrize("period", PERIODS)
def test_every_annex_is_a_csv_and_a_sheet_matching_the_table_on_the_page(sample_site: Path, period: str) -> None:
    site = folder(sample_site, period)
    html = (site / "index.html").read_text(encoding="utf-8")
    workbook = pd.read_excel(site / f"report-{period}-data.ods", sheet_name=None, engine="odf")
    assert list(workbook) == ["Notes", "Data dictionary"] + [f"Annex {a[-1].upper()}" for a in ANNEXES]
    assert workbook["Notes"].shape[0] >= len(ANNEXES)
    for annex in ANNEXES:
        data = pd.read_csv(site / f"report-{period}-{annex}.csv", dtype=str, keep_default_na=False)
        shown = _html_annex_table(html, annex)
        shown = shown[shown.iloc[:, 0] != "Total"].reset_index(drop=True)  # the total stays in the report
        assert [c.removesuffix(" (£)") for c in data.columns] == list(shown.columns), annex
        assert len(data) == len(shown) > 0, annex
        for column, shown_column in zip(data.columns, shown.columns, strict=True):
            plain = shown[shown_column].str.replace("£", "").str.replace(",", "")
            numeric = plain.str.fullmatch(r"\d+").all()
            expected = plain if numeric else shown[shown_column].replace("nan", "")
            assert list(data[column]) == list(expected), (annex, column)
        sheet = workbook[f"Annex {annex[-1].upper()}"].fillna("").astype(str)
        assert sheet.shape == data.shape
        assert (sheet.to_numpy() == data.to_numpy()).all(), annex


@pytest.mark.parametrize("period", PERIODS)
def test_the_report_page_links_every_format_and_the_pdf_lists_the_data_files(sample_site: Path, period: str) -> None:
    site = folder(sample_site, period)
    html = (site / "index.html").read_text(encoding="utf-8")
    names = [f"report-{period}.odt", f"report-{period}-data.ods", *(f"report-{period}-{a}.csv" for a in ANNEXES)]
    for name in names:
        assert f'href="{name}"' in html, name
        assert (site / name).is_file()
    introduction = squash(pdf_text(site / f"report-{period}.pdf")).split("Annex A: Actions taken")[-2]
    for name in names[1:]:
        assert name in introduction, name


def test_the_reports_index_lists_both_periods_and_the_home_page_links_it(sample_site: Path) -> None:
    index = (sample_site / "site" / "reports" / "index.html").read_text(encoding="utf-8")
    for period in PERIODS:
        assert f'href="{period}/"' in index
    assert index.index("2025-26/") < index.index("2024-25/")  # newest first
    home = (sample_site / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="reports/"' in home and 'href="library/"' in home


@pytest.fixture(scope="module")
def through_libreoffice(sample_site: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Both periods' DOCX and ODT converted to PDF by the real LibreOffice, as text."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail("LibreOffice is missing: install Debian's libreoffice-writer-nogui (nox -s tests does)")
    work = tmp_path_factory.mktemp("report-libreoffice")
    for period in PERIODS:
        for suffix in ("docx", "odt"):
            shutil.copy(folder(sample_site, period) / f"report-{period}.{suffix}", work / f"{period}-{suffix}.{suffix}")
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work / "pdf"),
            *sorted(str(p) for p in work.glob("*.*")),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    return {p.stem: pdf_text(p, "-layout") for p in sorted((work / "pdf").glob("*.pdf"))}


@pytest.mark.parametrize("period", PERIODS)
def test_the_word_file_has_page_x_of_y_and_a_contents_field_listing_each_section(
    sample_site: Path, through_libreoffice: dict[str, str], period: str
) -> None:
    text = through_libreoffice[f"{period}-docx"]
    pages = text.count("\f")
    numbers = re.findall(r"Page (\d+) of (\d+)", text)
    assert [int(n) for n, _ in numbers] == list(range(3, pages + 1))  # no folio on the title page and verso
    assert {int(total) for _, total in numbers} == {pages}
    contents = text[text.index("Contents") :]
    for title in (
        "Summary",
        "(A) Current efforts and capabilities",
        "Conclusions and recommendations",
        "Abbreviations",
        "Annex A: Actions taken",
    ):
        assert title in contents[:3000], title
    with zipfile.ZipFile(folder(sample_site, period) / f"report-{period}.docx") as archive:
        xml = archive.read("word/document.xml").decode()
    assert 'w:docPartGallery w:val="Table of Contents"' in xml and "TOC \\o" in xml
    assert len(re.findall(r'<w:pStyle w:val="Heading1" ?/>', xml)) >= 10  # each section a Heading 1
    assert squash(text).count("Actions by toolkit tool") == 1  # the table's caption; the chart has its own
    with zipfile.ZipFile(folder(sample_site, period) / f"report-{period}.docx") as archive:
        styles = archive.read("word/styles.xml").decode()
    for style in (
        "Title",
        "Subtitle",
        "Presentation Line",
        "Command Paper Number",
        "Copyright",
        "Contact",
        "ISBN",
        "E Number",
        "Laid Date",
    ):  # the title page's elements, each a named style a clerk can restyle
        assert f'<w:name w:val="{style}"' in styles, style
        assert re.search(rf'<w:pStyle w:val="{style.replace(" ", "")}" ?/>', xml), style


@pytest.mark.parametrize("period", PERIODS)
def test_the_odt_opens_in_libreoffice(through_libreoffice: dict[str, str], period: str) -> None:
    text = squash(through_libreoffice[f"{period}-odt"])
    assert "This publication is available at www.gov.uk/official-documents." in text
    assert "Annex A: Actions taken" in text


SYSTEM_PYTHON = Path("/usr/bin/python3")  # Debian's, with python3-uno (LibreOffice's Python bridge)


def test_the_contents_field_is_a_real_index_whose_page_numbers_point_at_the_sections(
    sample_site: Path, tmp_path: Path
) -> None:
    """Updated by LibreOffice as a clerk would (Word updates it on opening): each entry gets the page
    its section starts on, and that page really begins the section."""
    script = Path(__file__).parent / "libreoffice_update_toc.py"
    if subprocess.run([str(SYSTEM_PYTHON), "-c", "import uno"], capture_output=True).returncode != 0:
        pytest.fail(
            "LibreOffice's Python bridge is missing: install Debian's python3-uno (libreoffice-common recommends it)"
        )
    source = tmp_path / "report.docx"
    shutil.copy(folder(sample_site, "2025-26") / "report-2025-26.docx", source)
    result = subprocess.run(
        [str(SYSTEM_PYTHON), str(script), str(source), str(tmp_path / "report.pdf"), (tmp_path / "profile").as_uri()],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0 and "updated 1 index(es)" in result.stdout, result.stderr[-2000:]
    pages = pdf_text(tmp_path / "report.pdf", "-layout").split("\f")
    contents = next(page for page in pages if page.lstrip().startswith("Contents"))
    entries = re.findall(r"^(\S.*?)\.{3,}\s*(\d+)\s*$", contents, re.MULTILINE)
    titles = [title for title, _ in entries]
    assert titles[:3] == [
        "Summary",
        "(A) Current efforts and capabilities",
        "(B) Recommendations to strengthen capabilities",
    ], contents
    assert "Abbreviations" in titles and "References" in titles
    numbers = [int(number) for _, number in entries]
    assert numbers == sorted(numbers) and numbers[0] > pages.index(contents) + 1
    for title, number in entries:
        assert title in squash(pages[int(number) - 1]), (title, number)


def _svg_texts(svg: Path) -> list[tuple[str, float]]:
    """(text, font size in user units) of every text element in a chart."""
    found = re.findall(
        r'<text style="font-size: ([\d.]+)px; font-family: ([^;]+);[^"]*"[^>]*>([^<]*)</text>',
        svg.read_text(encoding="utf-8"),
    )
    assert all("Libertinus Serif" in family for _, family, _ in found)  # the PDF's own font
    return [(text, float(size)) for size, _, text in found]


@pytest.mark.parametrize("period", PERIODS)
def test_chart_axes_read_in_millions_and_text_is_legible_on_a_phone(sample_site: Path, period: str) -> None:
    site = folder(sample_site, period)
    texts = _svg_texts(site / "funding-by-fund.svg")
    ticks = [text for text, _ in texts if re.fullmatch(r"£[\d.,]+[mk]?", text) and "," not in text]
    assert ticks[0] == "£0" and all(re.fullmatch(r"£\d+(\.\d)?[mk]", t) for t in ticks[1:]) and len(ticks) >= 3
    assert not [text for text, _ in texts if re.fullmatch(r"£\d{1,3}(,\d{3}){2,}", text) and text in ticks]
    for chart in site.glob("*.svg"):
        width = float(re.search(r'<svg[^>]*width="([\d.]+)pt"', chart.read_text(encoding="utf-8")).group(1))
        smallest = min(size for _, size in _svg_texts(chart))
        # the chart fills a 390 px phone's text column (about 358 px): its smallest text stays above 9 px
        assert smallest * 358 / width >= 9, (chart.name, smallest, width)


@pytest.mark.parametrize("period", PERIODS)
def test_each_chart_and_its_caption_share_a_page_in_the_pdf(sample_site: Path, period: str) -> None:
    pages = pdf_text(folder(sample_site, period) / f"report-{period}.pdf").split("\f")
    for caption, inside in (
        ("Chart of funding spent by fund", "Pounds spent"),
        ("Chart of actions by toolkit tool", "Actions"),
        ("Chart of days from trigger to completion", "Days"),
    ):
        holding = [page for page in pages if caption in squash(page)]
        assert len(holding) == 1, caption
        assert inside in holding[0], caption  # the chart's own axis title, set as text in the PDF
