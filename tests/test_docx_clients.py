"""Every Word file as its readers' software shows it: each shipped DOCX (the sample briefings, the report
for both periods and a restricted briefing) converted to PDF by the real LibreOffice, in one batch per
module because LibreOffice is slow to start. A4 pages, document properties from the sources, and
dates, IDs and short headers that stay whole in their table cells."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pycountry
import pypdf
import pytest
import yaml
from conftest import REPO, TinyProject, front_matter

SOFFICE = shutil.which("soffice")
A4 = (595.3, 841.9)  # points
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CORE = {
    "title": "{http://purl.org/dc/elements/1.1/}title",
    "creator": "{http://purl.org/dc/elements/1.1/}creator",
    "subject": "{http://purl.org/dc/elements/1.1/}subject",
    "language": "{http://purl.org/dc/elements/1.1/}language",
    "keywords": "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}keywords",
}
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
CODE = re.compile(r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*")  # FCDO, MOD, III, REQ-2026-004

# The author's dashes give the first columns almost nothing; pandoc would keep those widths.
RESTRICTED_NOTE = """\
Body text [@alphaReport2020].

| Date | Request | Rec. | What the Council was asked |
|-|-|-|------------------------------------------|
| 2026-03-14 | REQ-2026-004 | III | Whether the watch list's indicators match the early warning work of partners in the region and what would change if they did |
| 2026-05-02 | REQ-2026-011 | VI | How a standing investigative support mechanism would share evidence with national prosecutors |
"""


@dataclass(frozen=True)
class Converted:
    docx: Path
    pdf: Path

    @property
    def text(self) -> str:
        return subprocess.run(
            ["pdftotext", "-layout", str(self.pdf), "-"], capture_output=True, text=True, check=True
        ).stdout


# Boundaries: a table too wide for any layout, and one narrower than the page.
WIDE_AND_NARROW_NOTE = (
    "Body text [@alphaReport2020].\n\n"
    + "| "
    + " | ".join(f"Date {i}" for i in range(12))
    + " |\n"
    + "|"
    + "---|" * 12
    + "\n"
    + "| "
    + " | ".join(f"2026-01-{i + 10}" for i in range(12))
    + " |\n\n"
    + "| Rec. | Count |\n|---|--:|\n| III | 4 |\n"
)


@pytest.fixture(scope="module")
def tiny_project(tmp_path_factory: pytest.TempPathFactory) -> TinyProject:
    project = TinyProject(tmp_path_factory.mktemp("tables"))
    project.note("tables.md", WIDE_AND_NARROW_NOTE, title="A briefing with awkward tables")
    project.note(
        "sensitive.md",
        RESTRICTED_NOTE,
        title="A sensitive briefing",
        classification="OFFICIAL-SENSITIVE",
        authors=["Dr Test Author", "Dr Second Author"],
        workstreams=["international-justice"],
        countries=["SDN"],
        tools=["documentation-accountability"],
    )
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture(scope="module")
def restricted_docx(tiny_project: TinyProject) -> Path:
    """A published briefing marked above OFFICIAL: its Word file goes only to build/restricted/."""
    return tiny_project.root / "build" / "restricted" / "briefings" / "sensitive.docx"


@pytest.fixture(scope="module")
def shipped(sample_site: Path, restricted_docx: Path) -> dict[str, Path]:
    """Every Word file a reader can be given, by a short name."""
    files = {f"briefing-{p.stem}": p for p in sorted((sample_site / "site" / "briefings").glob("*/*.docx"))}
    files.update({f"report-{p.parent.name}": p for p in sorted((sample_site / "site" / "reports").glob("*/*.docx"))})
    files["restricted-sensitive"] = restricted_docx
    assert sum(name.startswith("report-") for name in files) == 2, "both report periods ship a Word file"
    assert sum(name.startswith("briefing-") for name in files) >= 6, "every published sample briefing has a Word file"
    return files


@pytest.fixture(scope="module")
def converted(shipped: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Converted]:
    """All the Word files through LibreOffice in one call, with a profile of this module's own."""
    if SOFFICE is None:
        pytest.fail("LibreOffice is missing: install Debian's libreoffice-writer-nogui (nox -s tests does)")
    folder = tmp_path_factory.mktemp("libreoffice")
    for name, path in shipped.items():
        shutil.copy(path, folder / f"{name}.docx")
    profile = (folder / "profile").as_uri()
    result = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder / "pdf"),
            *sorted(str(p) for p in folder.glob("*.docx")),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    pdfs = {name: Converted(path, folder / "pdf" / f"{name}.pdf") for name, path in shipped.items()}
    missing = [name for name, c in pdfs.items() if not c.pdf.is_file()]
    assert not missing, f"LibreOffice converted none of {missing}: {result.stderr[-2000:]}"
    return pdfs


def core_properties(docx: Path) -> dict[str, str]:
    with zipfile.ZipFile(docx) as archive:
        root = ElementTree.fromstring(archive.read("docProps/core.xml"))
    return {name: (root.findtext(tag) or "") for name, tag in CORE.items()}


def docx_text(docx: Path) -> str:
    """The words of the body and footnotes, a line per paragraph, cells of a row side by side."""
    lines = []
    with zipfile.ZipFile(docx) as archive:
        for part in ("word/document.xml", "word/footnotes.xml"):
            if part in archive.namelist():
                root = ElementTree.fromstring(archive.read(part))
                lines += ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p")]
    return "\n".join(lines)


def table_cells(docx: Path) -> list[str]:
    with zipfile.ZipFile(docx) as archive:
        root = ElementTree.fromstring(archive.read("word/document.xml"))
    return [
        " ".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in cell.iter(f"{W}p"))
        for cell in root.iter(f"{W}tc")
    ]


def occurrences(token: str, text: str) -> int:
    """How often `token` stands whole in `text`, between spaces or line ends: a token broken across
    lines, or run into its neighbour, does not count."""
    return len(re.findall(rf"(?<!\S){re.escape(token)}(?!\S)", text))


def assert_whole(tokens: set[str], item: Converted) -> None:
    word, pdf = docx_text(item.docx), item.text
    broken = sorted(t for t in tokens if occurrences(t, pdf) < occurrences(t, word))
    assert not broken, (
        f"{item.docx.name}: in LibreOffice these break across lines or run together "
        f"(fewer whole in the PDF text than in the document): {broken}"
    )


# --- page size -------------------------------------------------------------------------------------


def test_every_word_file_declares_a4_with_uk_margins(shipped: dict[str, Path]) -> None:
    for name, path in shipped.items():
        with zipfile.ZipFile(path) as archive:
            root = ElementTree.fromstring(archive.read("word/document.xml"))
        section = root.find(f"{W}body/{W}sectPr")
        assert section is not None, name
        size, margins = section.find(f"{W}pgSz"), section.find(f"{W}pgMar")
        assert size is not None and margins is not None, f"{name}: no page size or margins"
        assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("11906", "16838"), f"{name}: not A4"
        for side in ("top", "right", "bottom", "left"):
            assert int(margins.get(f"{W}{side}", "0")) == 1440, f"{name}: {side} margin is not 2.54 cm"


def test_libreoffice_lays_every_word_file_out_on_a4(converted: dict[str, Converted]) -> None:
    for name, item in converted.items():
        pages = pypdf.PdfReader(item.pdf).pages
        assert len(pages) >= 1
        for number, page in enumerate(pages, 1):
            size = (float(page.mediabox.width), float(page.mediabox.height))
            assert abs(size[0] - A4[0]) <= 1 and abs(size[1] - A4[1]) <= 1, f"{name} page {number}: {size} pt"


# --- document properties ---------------------------------------------------------------------------


def _topic_labels(meta: dict) -> list[str]:
    vocab = yaml.safe_load((REPO / "generator" / "council" / "vocabularies.yml").read_text(encoding="utf-8"))

    def label(facet: str, value: str) -> str:
        return str(vocab[facet][value])

    countries = [pycountry.countries.get(alpha_3=c) for c in meta.get("countries", [])]
    return (
        [label("workstreams", w) for w in meta.get("workstreams", [])]
        + [getattr(c, "common_name", None) or c.name for c in countries]
        + [label("tools", t) for t in meta.get("tools", [])]
    )


def test_briefing_word_files_carry_their_front_matter_as_properties(
    sample_site: Path, shipped: dict[str, Path], restricted_docx: Path
) -> None:
    sources = {f"briefing-{p.stem}": p for p in (sample_site / "briefings").glob("*.md")}
    sources["restricted-sensitive"] = restricted_docx.parents[3] / "briefings" / "sensitive.md"
    checked = 0
    for name, path in shipped.items():
        if name.startswith("report-"):
            continue
        meta, properties = front_matter(sources[name]), core_properties(path)
        assert properties["title"] == meta["title"], name
        assert properties["creator"] == "; ".join(meta["authors"]), name
        assert properties["subject"] == "Research briefing", name
        assert properties["language"] == meta.get("lang", "en-GB"), name
        labels = _topic_labels(meta)
        assert labels or not properties["keywords"], name
        for label in labels:
            assert label in properties["keywords"], f"{name}: keyword {label!r} missing from {properties['keywords']!r}"
        checked += 1
    assert checked >= 7


def test_report_word_files_carry_title_author_subject_keywords_and_language(
    sample_site: Path, shipped: dict[str, Path]
) -> None:
    for period in ("2024-25", "2025-26"):
        meta = yaml.safe_load((sample_site / "reports" / period / "report.yml").read_text(encoding="utf-8"))
        properties = core_properties(shipped[f"report-{period}"])
        assert properties["title"] == meta["title"]
        assert properties["creator"] == meta["department"]
        assert properties["subject"] == "Report to Parliament"
        assert period in properties["keywords"].split(", ")
        assert properties["language"] == "en-GB"


def test_title_and_author_stay_off_the_report_pages(shipped: dict[str, Path]) -> None:
    """In the properties, not printed by pandoc above the title page (which, laid before Parliament,
    carries no marking: it opens with the illustrative-data banner)."""
    first = docx_text(shipped["report-2025-26"]).strip().splitlines()[0]
    assert first.startswith("Illustrative data")


# --- tables ------------------------------------------------------------------------------------------


def _public_csv_values(folder: Path) -> tuple[set[str], set[str]]:
    """(dates, codes) in the report's data rows that the published report may show."""
    dates, codes = set(), set()
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row.get("classification") not in (None, "", "OFFICIAL"):
                    continue
                for value in row.values():
                    value = (value or "").strip()
                    if ISO_DATE.fullmatch(value):
                        dates.add(value)
                    elif CODE.fullmatch(value):
                        codes.add(value)
    return dates, codes


@pytest.mark.parametrize("period", ["2024-25", "2025-26"])
def test_every_date_and_id_from_the_report_data_stays_whole_in_libreoffice(
    period: str, sample_site: Path, converted: dict[str, Converted]
) -> None:
    item = converted[f"report-{period}"]
    dates, codes = _public_csv_values(sample_site / "reports" / period)
    word = docx_text(item.docx)
    assert dates and all(occurrences(d, word) for d in dates), "every public date of the data is in the report"
    shown_codes = {c for c in codes if occurrences(c, word)}  # countries show by name, tools by label
    assert {"FCDO", "III"} <= shown_codes
    assert_whole(dates | shown_codes, item)


def test_short_words_and_numbers_in_tables_never_break(converted: dict[str, Converted]) -> None:
    """Headers such as "Rec.", IDs, dates and amounts, in every table of every Word file."""
    tables = 0
    for item in converted.values():
        cells = table_cells(item.docx)
        tables += bool(cells)
        tokens = {t for cell in cells for t in cell.split() if re.search(r"\d", t) or len(t) <= 6}
        assert_whole(tokens, item)
    assert tables >= 4, "the sample's Word files have tables to check"


def test_restricted_word_file_keeps_its_request_ids_whole(converted: dict[str, Converted]) -> None:
    item = converted["restricted-sensitive"]
    assert_whole({"2026-03-14", "2026-05-02", "REQ-2026-004", "REQ-2026-011", "Rec."}, item)
    assert "OFFICIAL-SENSITIVE" in item.text


def _tables(docx: Path) -> list[tuple[str, int]]:
    """(preferred width as written, sum of the column grid in twips) for each table."""
    with zipfile.ZipFile(docx) as archive:
        root = ElementTree.fromstring(archive.read("word/document.xml"))
    found = []
    for table in root.iter(f"{W}tbl"):
        width = table.find(f"{W}tblPr/{W}tblW")
        assert width is not None
        found.append(
            (
                f"{width.get(f'{W}type')}:{width.get(f'{W}w')}",
                sum(int(col.get(f"{W}w", "0")) for col in table.iter(f"{W}gridCol")),
            )
        )
    return found


def test_tables_never_run_past_the_margins_and_small_ones_stay_small(tiny_project: TinyProject) -> None:
    text_width = 11906 - 2 * 1440
    wide, narrow = _tables(tiny_project.site / "briefings" / "tables" / "tables.docx")
    # Twelve dates cannot sit side by side on A4: the table still takes exactly the text width.
    assert wide[0] == "pct:5000" and abs(wide[1] - text_width) <= 12
    # Two short columns: their own width, not stretched across the page, grid and width agreeing.
    share = int(narrow[0].removeprefix("pct:")) / 5000
    assert narrow[0].startswith("pct:") and share < 0.5
    assert abs(narrow[1] - share * text_width) <= 0.01 * text_width
