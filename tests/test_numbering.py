"""One numbering of tables and figures (issues 20 and 21): the same "Table 2" and "Figure 1" in the page,
the PDF and the Word file, for a briefing and for the report; `@fig-x` / `@tbl-y` cross-references become
those numbers everywhere, and an unknown one is the author's error with file and line. A figure's alt
text is its own (`fig-alt`), not its caption, in every format.

Each format is read as its readers get it: the site page as built, the PDF's text layer (pdftotext) and
structure tree (pikepdf), the Word file with python-docx."""

from __future__ import annotations

import html
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pikepdf
import pytest
from conftest import REPO, TinyProject, png

FIXTURE = REPO / "tests" / "fixtures" / "floats" / "numbered.md"
ALT = "A map with three shaded regions in the north-east"
CAPTIONS = [
    ("Table 1", "Triggers and the assessments they led to"),
    ("Figure 1", "Regions covered by the programme"),
    ("Table 2", "The budget by year"),
]
SENTENCES = [
    "As Table 1 shows, triggers come first; the regions are mapped in Figure 1, and the budget follows "
    "in see Table 2, row 2.",
    "Table 2 is the second numbered table; Figure 1 the only figure.",
]
CAPTION = re.compile(r"^\s*((?:Table|Figure) \d+): (.+?)\s*$", re.M)


def _project(root: Path, body: str | None = None) -> TinyProject:
    project = TinyProject(root)
    (project.root / "briefings" / "images").mkdir()
    (project.root / "briefings" / "images" / "regions.png").write_bytes(png(b"\x1d\x4e\x89", 40, 20))
    text = FIXTURE.read_text(encoding="utf-8")
    (project.root / "briefings" / "numbered.md").write_text(text if body is None else body, encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = _project(tmp_path_factory.mktemp("numbered"))
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project.site / "briefings" / "numbered"


def _flat(text: str) -> str:
    return " ".join(text.split())


def site_text(folder: Path) -> str:
    page = (folder / "index.html").read_text(encoding="utf-8")
    article = page.split('<div class="council-body', 1)[-1] if '<div class="council-body' in page else page
    text = re.sub(r"<[^>]+>", "", re.sub(r"</(?:p|caption|figcaption|li|h\d)>", "\n", article))
    return html.unescape(text)


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def word_text(path: Path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def _captions(text: str) -> list[tuple[str, str]]:
    return [(number, _flat(caption)) for number, caption in CAPTION.findall(text)]


def test_tables_and_figures_carry_the_same_numbers_in_page_pdf_and_word(built: Path) -> None:
    texts = {
        "page": site_text(built),
        "pdf": pdf_text(built / "numbered.pdf"),
        "word": word_text(built / "numbered.docx"),
    }
    for name, text in texts.items():
        assert _captions(text) == CAPTIONS, name  # the table without a caption has no number
        flat = _flat(text)
        for sentence in SENTENCES:
            assert sentence in flat, (name, sentence)
        # a cross-reference is never left as written nor taken for a citation
        assert "tbl-" not in flat and "fig-" not in flat and "??" not in flat, name


def test_cross_references_link_to_their_table_or_figure_on_the_site(built: Path) -> None:
    page = (built / "index.html").read_text(encoding="utf-8")
    assert '<a href="#tbl-triggers" class="council-xref">Table 1</a>' in page
    assert '<a href="#fig-regions" class="council-xref">Figure 1</a>' in page
    assert '<table id="tbl-triggers"' in page and '<figure id="fig-regions">' in page
    # the one real citation is the only footnote: no cross-reference became a note
    assert len(re.findall(r'<li id="fn\d+">', page)) == 1
    # regions that scroll are named by their caption, and the table without one by a name no other has
    labels = re.findall(r'aria-label="([^"]+)"', page.split("council-table-scroll", 1)[1].rsplit("</article>", 1)[0])
    assert [label for label in labels if label.startswith("Table")] == [
        "Table 1: Triggers and the assessments they led to",
        "Table without caption 1",
        "Table 2: The budget by year",
    ]


def test_a_figure_has_its_alt_text_not_its_caption_in_every_format(built: Path) -> None:
    page = (built / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<img src="media/[0-9a-f]+\.png" alt="([^"]*)"', page) == [ALT]
    with pikepdf.open(built / "numbered.pdf") as pdf:
        alts = [str(obj.Alt) for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary) and "/Alt" in obj]
    assert alts == [ALT]
    with zipfile.ZipFile(built / "numbered.docx") as archive:
        document = archive.read("word/document.xml").decode()
    assert re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', document) == [ALT]


def _check(project: TinyProject) -> subprocess.CompletedProcess[str]:
    return project.council("check")


def test_an_unknown_cross_reference_is_an_error_at_its_line_with_a_hint(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    body = text.replace("follows in [see @tbl-budget, row 2]", "follows in [see @tbl-budgets, row 2]")
    body = body.replace("@fig-regions the only figure", "@fig-chart the only figure")
    project = _project(tmp_path, body)
    result = _check(project)
    assert result.returncode != 0
    lines = body.split("\n")
    typo = next(i for i, line in enumerate(lines, start=1) if "@tbl-budgets" in line)
    unknown = next(i for i, line in enumerate(lines, start=1) if "@fig-chart" in line)
    column = lines[typo - 1].index("@tbl-budgets") + 1
    assert (
        f"numbered.md:{typo}:{column}: error: the cross-reference @tbl-budgets names no table in this note\n"
        "    hint: did you mean @tbl-budget?"
    ) in result.stderr
    assert f"numbered.md:{unknown}:" in result.stderr
    assert "the cross-reference @fig-chart names no figure in this note" in result.stderr
    assert "hint: give the figure an id where it is defined: ![Caption](image.png){#fig-name}" in result.stderr
    # not taken for citation keys of the library
    assert "tbl-budgets' is not in the bibliography" not in result.stderr and "unknown key" not in result.stderr
    assert not (project.root / "site").exists()


def test_a_repeated_id_is_an_error(tmp_path: Path) -> None:
    body = FIXTURE.read_text(encoding="utf-8").replace("{#tbl-budget}", "{#tbl-triggers}")
    body = body.replace("@tbl-budget", "@tbl-triggers")
    result = _check(_project(tmp_path, body))
    assert result.returncode != 0
    assert "error: the id 'tbl-triggers' is used twice (first on line" in result.stderr


def test_a_figure_without_alt_text_is_a_warning_and_its_caption_stays_its_alt(tmp_path: Path) -> None:
    body = FIXTURE.read_text(encoding="utf-8").replace(f' fig-alt="{ALT}"', "")
    project = _project(tmp_path, body)
    result = _check(project)
    assert result.returncode == 0, result.stderr
    line = next(i for i, text in enumerate(body.split("\n"), start=1) if text.startswith("![Regions"))
    assert (
        f"numbered.md:{line}:1: warning: the figure 'Regions covered by the programme' has no alt text: "
        "screen readers will read its caption"
    ) in result.stderr
    built = project.build()
    assert built.returncode == 0, built.stderr
    page = (project.site / "briefings" / "numbered" / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<img src="media/[0-9a-f]+\.png" alt="([^"]*)"', page) == ["Regions covered by the programme"]


def test_the_report_numbers_its_tables_and_figures_alike_in_page_pdf_and_word(sample_site: Path) -> None:
    for folder in sorted((sample_site / "site" / "reports").glob("*/")):
        slug = f"report-{folder.name}"
        page = [(n, _flat(c)) for n, c in CAPTION.findall(site_text(folder))]
        pdf = _captions(pdf_text(folder / f"{slug}.pdf"))
        word = _captions(word_text(folder / f"{slug}.docx"))
        assert len(page) > 10 and any(n.startswith("Figure") for n, _ in page)
        assert page == pdf == word, folder.name
        tables = [n for n, _ in page if n.startswith("Table")]
        assert tables == [f"Table {i}" for i in range(1, len(tables) + 1)]


def test_the_fixture_checks_clean(tmp_path: Path) -> None:
    """Ids, references and alt text as the README shows them: no error and no warning about them."""
    result = _check(_project(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "numbered.md" not in result.stderr, result.stderr
