"""Issue 26 item 7 and issue 28 item 7: `council import` reads a hostile or plugin-shaped Word file safely.

A zip bomb is refused from the zip directory before anything is parsed; pictures linked to outside
files and altChunk parts are counted, not dropped in silence; text that reads like markup is kept as
text. The front matter comes from the document (its Title paragraph or first heading outside the
reference list, its authors in natural order), and Mendeley's LaTeX escapes never reach imported.bib.
The Word files are built with python-docx as Zotero and Mendeley leave them (tests/test_docx_import.py).
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import front_matter, run_council
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from test_docx_import import IN_LIBRARY, NOT_IN_LIBRARY, W_NS, add_image, body_of, draft, import_draft, mendeley, zotero

from council.authoring.word_import import MAX_RATIO, MAX_UNPACKED_BYTES, MAX_XML_BYTES, RATIO_FROM_BYTES, docx_file
from council.base.errors import SourceError
from council.base.tools import pandoc_path
from council.publish.cite import split_name

R_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    from conftest import copy_sample_project

    return copy_sample_project(tmp_path / "project")


# --- zip bombs ---------------------------------------------------------------------------------
def bomb(path: Path, unpacked: int) -> Path:
    """A real Word file whose document.xml is `unpacked` bytes of one repeated word: deflate packs it
    about a thousand to one, so 400 MB fits in a file of about 420 KB."""
    blank = io.BytesIO()
    docx.Document().save(blank)
    head = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W_NS}><w:body><w:p><w:r><w:t>'
    ).encode()
    chunk = b"war " * (1024 * 1024 // 4)
    with zipfile.ZipFile(blank) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                out.writestr(info.filename, source.read(info.filename))
        with out.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(head)
            for _ in range(unpacked // len(chunk)):
                part.write(chunk)
            part.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return path


# Linux carries a process's peak memory across fork and exec, so a command started straight from this test
# process (hundreds of MiB after a long session) would report at least that peak: a small wrapper process
# starts the command instead, and passes on the command's own rusage.
_MEASURE = """
import json, os, subprocess, sys, time
started = time.monotonic()
process = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(process.pid, 0)
with open(sys.argv[1], "w") as out:
    json.dump([os.waitstatus_to_exitcode(status), time.monotonic() - started,
               usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024], out)
"""


def measured(command: list[str], cwd: Path) -> tuple[int, float, float, float, str]:
    """Exit code, wall seconds, CPU seconds and peak memory (MiB) of one command, from its own rusage."""
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "usage.json"
        done = subprocess.run(
            [sys.executable, "-c", _MEASURE, str(report), *command], cwd=cwd, capture_output=True, text=True
        )
        code, wall, cpu, peak = json.loads(report.read_text(encoding="utf-8"))
    return code, wall, cpu, peak, done.stderr


def test_a_400_mb_zip_bomb_is_refused_from_its_directory_in_seconds(project: Path, tmp_path: Path) -> None:
    source = bomb(tmp_path / "bomb.docx", 400 * 1000 * 1000)
    assert source.stat().st_size < 600 * 1024  # the was 442 KB
    code, wall, cpu, peak_mib, stderr = measured([sys.executable, "-m", "council", "import", str(source)], cwd=project)
    assert code == 1, stderr
    with zipfile.ZipFile(source) as archive:  # the sizes as the zip directory gives them
        total = sum(i.file_size for i in archive.infolist()) / 2**20
        document = archive.getinfo("word/document.xml").file_size / 2**20
    assert (
        f"bomb.docx: error: the Word file unpacks to {total:.0f} MiB (word/document.xml alone is {document:.0f} MiB); "
        in stderr
    )
    assert f"council imports Word files up to {MAX_UNPACKED_BYTES // 1024 // 1024} MiB unpacked" in stderr
    assert "Traceback" not in stderr and not (project / "briefings" / "bomb.md").exists()
    # the bounds: under 5 s and 500 MiB (CPU time, so that other work on the machine does not count)
    assert cpu < 5 and peak_mib < 500, (wall, cpu, peak_mib)


def test_a_part_packed_beyond_the_ratio_is_refused_though_small_enough(project: Path, tmp_path: Path) -> None:
    source = bomb(tmp_path / "dense.docx", 40 * 1024 * 1024)
    result = import_draft(project, source)
    assert result.returncode == 1
    assert "dense.docx: error: word/document.xml in the Word file unpacks to " in result.stderr
    assert f"council refuses parts compressed more than {MAX_RATIO} to 1" in result.stderr


def info(name: str, unpacked: int, packed: int) -> zipfile.ZipInfo:
    part = zipfile.ZipInfo(name)
    part.file_size, part.compress_size = unpacked, packed
    return part


@pytest.mark.parametrize(
    ("parts", "refused"),
    [
        ([info("word/media/image1.png", MAX_UNPACKED_BYTES // 2, MAX_UNPACKED_BYTES // 2)] * 2, False),  # at the limit
        ([info("word/media/image1.png", MAX_UNPACKED_BYTES // 2 + 1, MAX_UNPACKED_BYTES // 2)] * 2, True),
        ([info("word/document.xml", MAX_XML_BYTES, MAX_XML_BYTES // 10)], False),
        ([info("word/document.xml", MAX_XML_BYTES + 1, MAX_XML_BYTES // 10)], True),
        ([info("word/document.xml", MAX_RATIO * 65536, 65536)], False),  # exactly the ratio
        ([info("word/document.xml", MAX_RATIO * 65536 + 1, 65536)], True),
        ([info("word/styles.xml", RATIO_FROM_BYTES, 1)], False),  # a small part may pack as it likes
        ([info("word/styles.xml", RATIO_FROM_BYTES + 1, 1)], True),
    ],
)
def test_the_limits_hold_exactly_at_their_values(parts: list[zipfile.ZipInfo], refused: bool) -> None:
    if refused:
        with pytest.raises(SourceError):
            docx_file._check_unpacked_sizes(Path("draft.docx"), parts)
    else:
        docx_file._check_unpacked_sizes(Path("draft.docx"), parts)


# --- what pandoc cannot read is counted --------------------------------------------------------
def test_linked_pictures_and_alt_chunks_are_counted_in_the_summary(project: Path, tmp_path: Path) -> None:
    source = draft(tmp_path / "linked.docx", images=False)
    document = docx.Document(source)
    add_image(document, "Map of the region")
    blip = document.element.body.xpath(".//a:blip")[-1]
    link = document.part.relate_to("file:///C:/Users/amina/Pictures/map.png", RT.IMAGE, is_external=True)
    blip.set(qn("r:link"), link)
    del blip.attrib[qn("r:embed")]
    for number in (1, 2):
        chunk = Part(
            PackURI(f"/word/afchunk{number}.htm"),
            "text/html",
            b"<html><body><p>A table pasted from the web</p></body></html>",
            document.part.package,
        )
        rel = document.part.relate_to(chunk, RT.A_F_CHUNK)
        body = document.element.body
        body.insert(len(body) - 1, parse_xml(f'<w:altChunk {W_NS} {R_NS} r:id="{rel}"/>'))
    document.save(source)
    result = import_draft(project, source)
    assert result.returncode == 0, result.stderr
    assert "warning: 1 picture(s) linked to files outside the document were not imported" in result.stdout
    assert "warning: 2 embedded document part(s) (altChunk" in result.stdout


# --- text that reads like markup -----------------------------------------------------------------
def pandoc_inlines(markdown: str) -> list[dict]:
    tree = json.loads(
        subprocess.run(
            [pandoc_path(), "--from", "markdown", "--to", "json"],
            input=markdown,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    found: list[dict] = []

    def visit(node: object) -> None:
        if isinstance(node, dict):
            if "t" in node and node["t"] in ("Str", "RawInline", "RawBlock"):
                found.append(node)
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(tree["blocks"])
    return found


def test_text_that_merely_reads_script_is_escaped_not_refused(project: Path, tmp_path: Path) -> None:
    source = draft(tmp_path / "literal.docx", images=False)
    document = docx.Document(source)
    document.add_heading("What the page showed", 1)
    document.add_paragraph("The page printed <script>alert(1)</script> and <b>x</b> as words, and 3 < 4.")
    document.save(source)
    result = import_draft(project, source)
    assert result.returncode == 0, result.stderr
    nodes = pandoc_inlines(body_of(project / "briefings" / "literal.md"))
    assert not [n for n in nodes if n["t"] != "Str"], "no raw HTML in the note"
    text = " ".join(n["c"] for n in nodes)
    assert "<script>alert(1)</script>" in text and "<b>x</b>" in text and "3 < 4." in text
    check = run_council("check", cwd=project)
    assert check.returncode == 0, check.stderr


# --- the document, not the plugin (issue 28 item 7) ---------------------------------------------------
def plugin_draft(path: Path, *, title_paragraph: str | None, creator: str, item: dict, plugin) -> Path:  # type: ignore[no-untyped-def]
    """A short draft as authors write one: no headings of their own, perhaps a Title paragraph, and the
    plugin's bibliography at the end under its own heading."""
    document = docx.Document()
    document.core_properties.author = creator
    if title_paragraph:
        document.add_heading(title_paragraph, 0)  # Word's Title style
    paragraph = document.add_paragraph("Warnings reach ministers late ")
    plugin(paragraph, [{"itemData": item}], "(Seo 2025)")
    paragraph.add_run(".")
    document.add_heading("Reference list" if plugin is zotero else "References", 1)
    document.add_paragraph("Seo J (2025) Who protects civilians.")
    document.save(path)
    return path


def test_the_title_is_the_documents_never_the_reference_lists(project: Path, tmp_path: Path) -> None:
    untitled = plugin_draft(
        tmp_path / "untitled.docx", title_paragraph=None, creator="Dr Amina Diallo", item=IN_LIBRARY, plugin=zotero
    )
    titled = plugin_draft(
        tmp_path / "titled.docx",
        title_paragraph="Protecting civilians in Upper Nile",
        creator="Dr Amina Diallo",
        item=dict(IN_LIBRARY_BY_MENDELEY),
        plugin=mendeley,
    )
    for source in (untitled, titled):
        result = import_draft(project, source)
        assert result.returncode == 0, result.stderr
        assert "the document's reference list was left out" in result.stdout
    assert front_matter(project / "briefings" / "untitled.md")["title"] == "Untitled draft"
    assert "title" in import_draft(project, untitled, "--slug", "again").stdout.split("to do:")[1]
    assert front_matter(project / "briefings" / "titled.md")["title"] == "Protecting civilians in Upper Nile"
    for name in ("untitled", "titled"):
        assert "Who protects civilians" not in body_of(project / "briefings" / f"{name}.md")


IN_LIBRARY_BY_MENDELEY = dict(IN_LIBRARY, id="ITEM-1")


def test_authors_written_family_comma_given_are_put_in_natural_order(project: Path, tmp_path: Path) -> None:
    source = plugin_draft(
        tmp_path / "authors.docx",
        title_paragraph="Protecting civilians",
        creator="Seo, JooYoung; Kim, Minji; Dr Amina Diallo",
        item=IN_LIBRARY_BY_MENDELEY,
        plugin=mendeley,
    )
    result = import_draft(project, source)
    assert result.returncode == 0, result.stderr
    authors = front_matter(project / "briefings" / "authors.md")["authors"]
    assert authors == ["JooYoung Seo", "Minji Kim", "Dr Amina Diallo"]
    # "Cite this briefing" splits them as the briefing's own CSL item does
    assert [split_name(a) for a in authors] == [
        {"given": "JooYoung", "family": "Seo"},
        {"given": "Minji", "family": "Kim"},
        {"given": "Amina", "family": "Diallo"},
    ]


def test_mendeleys_latex_escapes_are_undone_before_imported_bib(project: Path, tmp_path: Path) -> None:
    escaped = dict(
        NOT_IN_LIBRARY,
        id="ITEM-1",
        title="{\\{ANYONE\\}?:} Who protects civilians in {\\{Upper Nile\\}}",
        publisher="Smith \\textbackslash\\& Sons",
        note="100\\% of cases",
        author=[{"family": "Seo", "given": "JooYoung"}],
    )
    source = plugin_draft(
        tmp_path / "escapes.docx", title_paragraph="Escapes", creator="Seo, JooYoung", item=escaped, plugin=mendeley
    )
    result = import_draft(project, source)
    assert result.returncode == 0, result.stderr
    bib = project / "bibliography" / "imported.bib"
    assert "textbackslash" not in bib.read_text(encoding="utf-8")
    # pandoc reads the entry back as the plain text Mendeley's user typed
    items = json.loads(
        subprocess.run(
            [pandoc_path(), "--from", "biblatex", "--to", "csljson", str(bib)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    (item,) = [i for i in items if i["id"].startswith("seo")]
    assert item["publisher"] == "Smith & Sons"
    assert item["note"] == "100% of cases"
    plain_title = item["title"].replace('<span class="nocase">', "").replace("</span>", "")
    assert plain_title.casefold() == "anyone?: who protects civilians in upper nile"
    assert "{" not in item["title"] and "\\" not in item["title"]
    assert "added @seo" in result.stdout and "ANYONE?: Who protects civilians in Upper Nile" in result.stdout
    # Zotero writes no LaTeX: a backslash or a brace in its data is the title's own
    literal = dict(NOT_IN_LIBRARY, id=77, title="Paths like C:\\Reports {draft}", DOI="10.5555/other")
    source = plugin_draft(
        tmp_path / "zotero.docx", title_paragraph="Z", creator="A Diallo", item=literal, plugin=zotero
    )
    result = import_draft(project, source)
    assert result.returncode == 0, result.stderr
    assert "Paths like C:\\Reports {draft}" in result.stdout
