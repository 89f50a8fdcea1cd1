"""PDFs as their readers see them: no text printed over text or into the margin, and long tables that
break across pages.

The overlap check reads the character boxes pdfplumber finds in every PDF the sample site ships (every
briefing and both periods' reports). On one line (one baseline, one size), each glyph must start where
the glyph before it ends: a date that runs into the next column, or a header wider than its column,
starts inside the glyph before it; a header wider than the last column runs into the margin. Kerning moves a glyph back by a small fraction of an em ("AV",
"Te"), never by most of a glyph, so a quarter of an em is the tolerance.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections import defaultdict
from pathlib import Path

import pdfplumber
import pytest
from conftest import TinyProject, run_council

from council.render.pdf import compile_pdf

TOLERANCE_EM = 0.25
MARGIN = 56.7  # 2 cm: the templates' side margins are 2.2 and 2.3 cm; text past this has left its column


def overlaps(path: Path) -> list[str]:
    """Every place in the PDF where a glyph starts inside the glyph before it on the same line, or is
    printed in the side margins."""
    found = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            lines: dict[tuple[float, float], list[dict]] = defaultdict(list)
            for char in page.chars:
                # marks (accents, vowel signs, harakat) sit on their base letter by design; spaces
                # and format characters are not drawn
                first = char["text"][:1] or " "
                if first.isspace() or unicodedata.category(first)[0] in "MC":
                    continue
                baseline = round(char["matrix"][5], 1)
                lines[(baseline, round(char["size"], 1))].append(char)
                if char["x0"] < MARGIN or char["x1"] > page.width - MARGIN:
                    found.append(f"{path.name} page {number}: {char['text']!r} is printed in the page margin")
            for (_, size), chars in sorted(lines.items()):
                chars.sort(key=lambda c: (c["x0"], c["x1"]))
                for before, char in itertools.pairwise(chars):
                    if char["x0"] < before["x1"] - TOLERANCE_EM * size:
                        line = "".join(c["text"] for c in chars)
                        found.append(
                            f"{path.name} page {number}: {char['text']!r} starts "
                            f"{before['x1'] - char['x0']:.1f}pt inside {before['text']!r} in {line!r}"
                        )
    return found


def test_no_shipped_pdf_prints_text_over_text(sample_site: Path) -> None:
    pdfs = sorted((sample_site / "site").rglob("*.pdf"))
    reports = [p for p in pdfs if p.name.startswith("report-")]
    assert {p.name for p in reports} == {"report-2024-25.pdf", "report-2025-26.pdf"}
    briefings = [d for d in (sample_site / "site" / "briefings").iterdir() if (d / f"{d.name}.pdf").exists()]
    assert len(briefings) >= 5 and len(pdfs) == len(briefings) + len(reports)
    problems = [problem for pdf in pdfs for problem in overlaps(pdf)]
    assert not problems, "\n".join(problems[:20]) + f"\n({len(problems)} in all)"


def test_the_classified_annex_prints_no_text_over_text(sample_site: Path) -> None:
    """Not published, but read by cleared staff: its tables have more columns than any other."""
    run_council("report", "2025-26", cwd=sample_site, check=True)
    annex = sample_site / "build" / "restricted" / "2025-26" / "report-2025-26-classified-annex.pdf"
    assert overlaps(annex) == []


TYPST_PAGE = '#set document(title: "Overlap check")\n#set page(paper: "a4")\n#set text(size: 10pt)\n'


def test_the_check_finds_a_date_run_into_the_next_column(tmp_path: Path) -> None:
    """The check itself: a column too narrow for its date (what Annex A printed) is caught, and
    kerned capitals and ordinary prose are not."""
    narrow = tmp_path / "narrow.pdf"
    narrow.write_bytes(
        compile_pdf(TYPST_PAGE + "#table(columns: (2em, 1fr), [2025-08-21], [FCDO])", tmp_path / "narrow.typ", tmp_path)
    )
    assert overlaps(narrow), "a date in a column half its width was not found"
    kerned = tmp_path / "kerned.pdf"
    kerned.write_bytes(
        compile_pdf(
            TYPST_PAGE + "AVATAR TAVERN, Tea, WAVY LAVA. ‘Resolution 2334’ (2019) 1–2.\n\n"
            "#table(columns: (auto, 1fr), [2025-08-21], [FCDO])",
            tmp_path / "kerned.typ",
            tmp_path,
        )
    )
    assert overlaps(kerned) == []


@pytest.fixture(scope="module")
def long_table_briefing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A note whose long table starts two thirds of the way down its first page."""
    project = TinyProject(tmp_path_factory.mktemp("long-table"))
    prose = " ".join(["Departments recorded their actions in the period and the Council reviewed them."] * 9)
    rows = "\n".join(
        f"| 2025-{month:02d}-{day:02d} | FCDO | Row {n} describes one action in a few words |"
        for n, (month, day) in enumerate(((m, d) for m in range(1, 13) for d in (3, 17)), start=1)
    )
    body = (
        f"{prose}\n\n{prose}\n\n| Date | Department | Description |\n|---|---|---|\n{rows}\n\n"
        ": Every action in the period\n"
    )
    project.note("long-table.md", body=body, title="A long table")
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project.site / "briefings" / "long-table" / "long-table.pdf"


def test_a_long_table_starts_where_the_text_ends_and_repeats_its_header(long_table_briefing: Path) -> None:
    with pdfplumber.open(long_table_briefing) as pdf:
        pages = [page.extract_text() or "" for page in pdf.pages]
        first = pdf.pages[0]
        body = [c for c in first.chars if 80 < c["top"] < first.height - 80]  # below the header, above the footer
        lowest = max(c["bottom"] for c in body)
    assert "Every action in the period" in pages[0], "the table jumped whole to the next page"
    assert "Row 1 describes" in pages[0], "the caption is left alone at the foot of the page"
    assert lowest > first.height * 0.8, "a fifth of the first page or more is left empty"
    last = next(i for i, text in enumerate(pages) if "Row 24 describes" in text)
    assert last > 0, "the table was not long enough to break"
    for text in pages[1 : last + 1]:
        assert "Date Department Description" in text, "the header row is not repeated"


def test_sample_tables_fit_their_dates_on_one_line(sample_site: Path) -> None:
    """Every date in Annex A is printed whole on one line: the column is as wide as a date."""
    import csv
    import re

    pdf_path = next((sample_site / "site").rglob("report-2025-26.pdf"))
    with pdfplumber.open(pdf_path) as pdf:
        words = {w["text"] for page in pdf.pages for w in page.extract_words()}
    with (sample_site / "reports" / "2025-26" / "actions.csv").open(encoding="utf-8") as handle:
        dates = {row["date"] for row in csv.DictReader(handle) if not row.get("classification")}
    assert dates and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in dates)
    assert dates <= words, f"dates broken or missing: {sorted(dates - words)[:5]}"
