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
from conftest import (
    KEPT_PERIOD,
    REPO,
    SAMPLE_NOW,
    TinyProject,
    front_matter,
    require_test_fonts,
    run_council,
    small_sample,
)

from council.render.office_fonts import CODE_FONT, METRIC_TWINS, TEXT_FONT
from council.render.pdf import shipped_fonts

SOFFICE = shutil.which("soffice")
A4 = (595.3, 841.9)  # points
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ODF_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
ODF_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
DRAWING = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
WORD_JOINER = "\u2060"
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


# A signed amount at every distance from a line's end, in a table cell and in a footnote: one of them
# ends each line, so a break after its sign, where Unicode's line breaking allows one, would be taken.
# Each as written in Markdown, and as a reader sees it (the last with its figure in a span of its own).
WRITTEN_AMOUNTS = {
    "+£3,140,000": "+£3,140,000",
    "(+£1,320,000)": "(+£1,320,000)",
    "\u2212£750,000": "\u2212£750,000",
    "-£62,500": "-£62,500",
    "+€10,000": "+€10,000",
    "(+[£9,000]{.figure})": "(+£9,000)",
}
SIGNED_AMOUNTS = tuple(WRITTEN_AMOUNTS.values())
AMOUNTS_NOTE = (
    "Body text [@alphaReport2020].\n\n| Change | Where the money went |\n|---|------------|\n"
    + "".join(
        f"| {written} | " + " ".join(f"{'w' * (1 + i % 9)} {written}" for i in range(40)) + " |\n"
        for written in WRITTEN_AMOUNTS
    )
    + "\nIn a footnote too.[^amounts]\n\n[^amounts]: "
    + " ".join(f"{'w' * (1 + i % 7)} {list(WRITTEN_AMOUNTS)[i % len(WRITTEN_AMOUNTS)]}" for i in range(60))
    + "\n"
)

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
    project.note("amounts.md", AMOUNTS_NOTE, title="A briefing with signed amounts")
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
def amounts_docx(tiny_project: TinyProject) -> Path:
    return tiny_project.site / "briefings" / "amounts" / "amounts.docx"


@pytest.fixture(scope="module")
def sample_odts(sample_site: Path) -> dict[str, Path]:
    """The report's open-format copies (ODT), by a short name."""
    odts = {f"report-{p.parent.name}-odt": p for p in sorted((sample_site / "site" / "reports").glob("*/*.odt"))}
    assert len(odts) == 2, "both report periods ship an ODT"
    return odts


@pytest.fixture(scope="module")
def amounts_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A report whose funding section ends with the amounts note's paragraph: its Word file and ODT."""
    root = small_sample(tmp_path_factory.mktemp("amounts-report"))
    section = root / "reports" / KEPT_PERIOD / "c-funding.md"
    paragraph = " ".join(f"{'w' * (1 + i % 9)} {list(WRITTEN_AMOUNTS)[i % len(WRITTEN_AMOUNTS)]}" for i in range(90))
    section.write_text(section.read_text(encoding="utf-8") + "\n" + paragraph + "\n", encoding="utf-8")
    run_council("build", "--quiet", "--now", SAMPLE_NOW, cwd=root, check=True)
    folder = root / "site" / "reports" / KEPT_PERIOD
    return {
        "amounts-report": folder / f"report-{KEPT_PERIOD}.docx",
        "amounts-report-odt": folder / f"report-{KEPT_PERIOD}.odt",
    }


@pytest.fixture(scope="module")
def laid_out(
    shipped: dict[str, Path],
    amounts_docx: Path,
    sample_odts: dict[str, Path],
    amounts_report: dict[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Converted]:
    """All the Word files (and the report's ODT) through LibreOffice in one call, with a profile of
    this module's own, on the tests' own fonts (conftest)."""
    if SOFFICE is None:
        pytest.fail("LibreOffice is missing: install Debian's libreoffice-writer-nogui (nox -s tests does)")
    require_test_fonts()
    folder = tmp_path_factory.mktemp("libreoffice")
    shipped = {**shipped, "amounts": amounts_docx}
    for name, path in shipped.items():
        shutil.copy(path, folder / f"{name}.docx")
    for name, path in {**sample_odts, **amounts_report}.items():
        shutil.copy(path, folder / f"{name}{path.suffix}")
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
            *sorted(str(p) for p in folder.glob("*.odt")),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    every = {**shipped, **sample_odts, **amounts_report}
    pdfs = {name: Converted(path, folder / "pdf" / f"{name}.pdf") for name, path in every.items()}
    missing = [name for name, c in pdfs.items() if not c.pdf.is_file()]
    assert not missing, f"LibreOffice converted none of {missing}: {result.stderr[-2000:]}"
    return pdfs


@pytest.fixture(scope="module")
def converted(laid_out: dict[str, Converted]) -> dict[str, Converted]:
    """The Word files as LibreOffice lays them out."""
    return {name: item for name, item in laid_out.items() if item.docx.suffix == ".docx"}


def core_properties(docx: Path) -> dict[str, str]:
    with zipfile.ZipFile(docx) as archive:
        root = ElementTree.fromstring(archive.read("docProps/core.xml"))
    return {name: (root.findtext(tag) or "") for name, tag in CORE.items()}


def visible(text: str) -> str:
    """Text as a reader sees it: without the invisible word joiners that hold a signed amount together
    (a PDF's text layer has none)."""
    return text.replace(WORD_JOINER, "")


def docx_text(docx: Path) -> str:
    """The words of the body and footnotes, a line per paragraph, cells of a row side by side (for an
    ODT, of every paragraph and heading)."""
    if docx.suffix == ".odt":
        with zipfile.ZipFile(docx) as archive:
            root = ElementTree.fromstring(archive.read("content.xml"))
        return visible(
            "\n".join("".join(p.itertext()) for p in root.iter() if p.tag in (f"{ODF_TEXT}p", f"{ODF_TEXT}h"))
        )
    lines = []
    with zipfile.ZipFile(docx) as archive:
        for part in ("word/document.xml", "word/footnotes.xml"):
            if part in archive.namelist():
                root = ElementTree.fromstring(archive.read(part))
                lines += ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p")]
    return visible("\n".join(lines))


def table_cells(docx: Path) -> list[str]:
    with zipfile.ZipFile(docx) as archive:
        root = ElementTree.fromstring(archive.read("word/document.xml"))
    return [
        visible(" ".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in cell.iter(f"{W}p")))
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


# --- signed amounts (issue 32) --------------------------------------------------------------------------

SIGNED_AMOUNT = re.compile(r"[+\-\u2212\u00b1]\u2060?[£€$][\d,.]*\d")


def test_signed_amounts_never_break_in_libreoffice(converted: dict[str, Converted]) -> None:
    """At every distance from a line's end, in a table and in a footnote, sign and figure stay on one line."""
    item = converted["amounts"]
    word = docx_text(item.docx)
    assert all(occurrences(amount, word) >= 40 for amount in SIGNED_AMOUNTS), "the note has its amounts"
    assert_whole(set(SIGNED_AMOUNTS), item)


def test_signed_amounts_never_break_in_the_reports_word_file_and_odt(laid_out: dict[str, Converted]) -> None:
    """The same amounts at every distance from a line's end, in a section of the report to Parliament."""
    for name in ("amounts-report", "amounts-report-odt"):
        item = laid_out[name]
        text = docx_text(item.docx)
        assert all(occurrences(amount, text) >= 15 for amount in SIGNED_AMOUNTS), f"{name} has the amounts"
        assert_whole(set(SIGNED_AMOUNTS), item)


def test_signed_amounts_in_the_reports_never_break_in_libreoffice(laid_out: dict[str, Converted]) -> None:
    """The report's Word file and its ODT, as LibreOffice lays them out."""
    checked = 0
    for name, item in laid_out.items():
        if name.startswith("report-"):
            amounts = {visible(found) for found in SIGNED_AMOUNT.findall(docx_text(item.docx))}
            assert_whole(amounts, item)
            checked += len(amounts)
    assert checked >= 4, "the sample reports have signed amounts in both formats"


def test_every_signed_amount_is_joined_in_every_word_and_odt_file(
    shipped: dict[str, Path], amounts_docx: Path, sample_odts: dict[str, Path]
) -> None:
    """In the file itself, whatever the client: a word joiner between every sign and its currency."""
    joined = 0
    for name, path in {**shipped, "amounts": amounts_docx, **sample_odts}.items():
        with zipfile.ZipFile(path) as archive:
            xml = "".join(archive.read(part).decode() for part in archive.namelist() if part.endswith(".xml"))
        apart = re.findall(r"[+\-\u2212\u00b1][£€$]\d", xml)
        assert not apart, f"{name}: signs without a word joiner before their amount: {apart[:5]}"
        joined += len(re.findall(r"[+\-\u2212\u00b1]\u2060[£€$]\d", xml))
    assert joined >= 200


# --- fonts (issue 32) ------------------------------------------------------------------------------------


# The fonts of list bullets: Word's own symbol fonts (pandoc's numbering.xml) and LibreOffice's (ODT)
BULLET_FONTS = {"Symbol", "Wingdings", "StarSymbol"}


def named_fonts(path: Path) -> set[str]:
    """Every font a Word or ODT file asks for by name for its text (Word's per-script theme fonts, used
    only for other scripts, and the bullets' symbol fonts aside)."""
    with zipfile.ZipFile(path) as archive:
        parts = {
            name: ElementTree.fromstring(archive.read(name)) for name in archive.namelist() if name.endswith(".xml")
        }
    names = set()
    for root in parts.values():
        for element in root.iter():
            for attribute in (f"{W}ascii", f"{W}hAnsi", f"{ODF_STYLE}font-name"):
                if element.get(attribute):
                    names.add(element.get(attribute))
            if element.tag == f"{W}font":
                names.add(element.get(f"{W}name"))
            if element.tag == f"{DRAWING}latin":
                names.add(element.get("typeface"))
    return names - BULLET_FONTS


def test_every_word_and_odt_file_names_the_chosen_fonts_only(
    shipped: dict[str, Path], sample_odts: dict[str, Path]
) -> None:
    for name, path in {**shipped, **sample_odts}.items():
        named = named_fonts(path)
        assert TEXT_FONT in named, name
        assert named <= {TEXT_FONT, CODE_FONT}, f"{name} names {sorted(named)}"


def embedded_fonts(pdf: Path) -> set[str]:
    """The families a PDF's pages use, without the subset prefix (ABCDEF+LiberationSans-Bold)."""
    found = set()
    for page in pypdf.PdfReader(pdf).pages:
        for font in (page.get("/Resources") or {}).get("/Font", {}).values():
            found.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1].split("-")[0])
    return found


def test_libreoffice_sets_every_file_in_the_chosen_fonts_metric_twins(laid_out: dict[str, Converted]) -> None:
    """Not a fallback that depends on the machine: the metric twins of the fonts the files name."""
    twins = {twin.replace(" ", "") for twin in METRIC_TWINS.values()}
    for name, item in laid_out.items():
        used = embedded_fonts(item.pdf)
        assert "LiberationSans" in used, f"{name}: {sorted(used)}"
        assert used <= twins | {"OpenSymbol"} | {f.stem.split("-")[0] for f in shipped_fonts().glob("*")}, name


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
