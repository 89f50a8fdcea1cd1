"""The PDF's pages as a typesetter would check them, read with pdfplumber from reports built from copies of
the fixtures: no folio on the title page and verso, the contents on a page of its own, no page that
starts with a table's Total row, and every chart with its caption inside the text area."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pdfplumber
import pytest
from conftest import REPO, TinyProject

PERIODS = ("2024-25", "2025-26")
FOLIO = re.compile(r"Page \d+ of \d+")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    project = TinyProject(tmp_path_factory.mktemp("pdf-pages"))
    for period in PERIODS:
        shutil.copytree(REPO / "tests" / "fixtures" / "reports" / period, project.root / "reports" / period)
    for period in PERIODS:
        result = project.council("report", period)
        assert result.returncode == 0, result.stderr
    return {p: project.root / "build" / "reports" / p / f"report-{p}.pdf" for p in PERIODS}


def page_lines(page: pdfplumber.page.Page) -> list[str]:
    return [line for line in (page.extract_text() or "").splitlines() if line.strip()]


@pytest.mark.parametrize("period", PERIODS)
def test_no_folio_on_the_title_page_and_verso_and_one_on_every_other_page(pdfs: dict[str, Path], period: str) -> None:
    with pdfplumber.open(pdfs[period]) as pdf:
        folios = [bool(FOLIO.search(page.extract_text() or "")) for page in pdf.pages]
        assert folios[:2] == [False, False]
        assert all(folios[2:]), folios
        assert FOLIO.search(pdf.pages[2].extract_text() or "").group(0) == f"Page 3 of {len(pdf.pages)}"  # type: ignore[union-attr]


@pytest.mark.parametrize("period", PERIODS)
def test_the_contents_stand_on_a_page_of_their_own(pdfs: dict[str, Path], period: str) -> None:
    with pdfplumber.open(pdfs[period]) as pdf:
        contents, following = page_lines(pdf.pages[2]), page_lines(pdf.pages[3])
    assert contents[0] == "Contents"
    assert all(re.search(r"\d$", line) for line in contents[1:-1]), "every line an entry with its page"
    assert following[0] == "Summary"


@pytest.mark.parametrize("period", PERIODS)
def test_no_page_starts_with_a_total_row(pdfs: dict[str, Path], period: str) -> None:
    with pdfplumber.open(pdfs[period]) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            lines = page_lines(page)
            assert not (lines and lines[0].startswith("Total")), f"page {number} starts with a Total row"


@pytest.mark.parametrize("period", PERIODS)
def test_every_chart_and_its_caption_sit_inside_the_text_area(pdfs: dict[str, Path], period: str) -> None:
    with pdfplumber.open(pdfs[period]) as pdf:
        charts = 0
        for page in pdf.pages:
            text = page.extract_text() or ""
            for figure in re.findall(r"Figure \d+:", text):
                charts += 1
                assert figure
            for image in page.images:
                assert image["top"] >= 2.6 * 72 / 2.54 - 1 and image["bottom"] <= page.height - 2.6 * 72 / 2.54 + 1
        assert charts >= 1
