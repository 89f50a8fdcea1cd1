"""`council import`: Word drafts with real Zotero and Mendeley citation fields, through the real pandoc.

The Word files are made here with python-docx, with the field codes as the plugins write them: Zotero
`ADDIN ZOTERO_ITEM CSL_CITATION {json}` (citationID, properties with formattedCitation, plainCitation and
noteIndex, citationItems with id, uris, itemData and the CSL locator, label, prefix and suffix, schema)
and Mendeley `ADDIN CSL_CITATION {json}` (citationItems with ITEM-n ids, a `mendeley` object with the
formatted citation, properties.noteIndex, schema): the csl-citation.json schema of the Citation Style
Language project, which both plugins follow.
"""

from __future__ import annotations

import io
import json
import re
import struct
import subprocess
import zlib
from pathlib import Path

import docx
import pytest
from conftest import copy_sample_project, front_matter, run_council
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn

from council.base.tools import pandoc_path

SCHEMA = "https://github.com/citation-style-language/schema/raw/master/csl-citation.json"
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

# A work the shipped library holds (same DOI as dalessandraOperationalizingObligationsPrevent2022), as
# Zotero would embed it (its own item id, its own capitalisation), and one the library does not hold.
IN_LIBRARY = {
    "id": 4711,
    "type": "article-journal",
    "DOI": "https://doi.org/10.1093/JHUMAN/HUAC041",
    "title": "Operationalizing Obligations to Prevent Mass Atrocities",
    "author": [{"family": "D'Alessandra", "given": "Federica"}],
    "issued": {"date-parts": [[2022, 7]]},
}
IN_LIBRARY_BY_TITLE = {
    "id": "ITEM-1",
    "type": "report",
    "title": "Being the difference: a primer for states "
    "wishing to prevent atrocity crimes in the mid-twenty-first century",
    "author": [{"family": "Carver", "given": "Fred"}, {"family": "Ferguson", "given": "Kate"}],
    "issued": {"date-parts": [["2021", "11"]]},
}
NOT_IN_LIBRARY = {
    "id": 9001,
    "type": "article-journal",
    "title": "The early warning of mass atrocities in the Sahel",
    "author": [{"family": "Okafor", "given": "Adaeze"}, {"family": "Brandt", "given": "Lena"}],
    "container-title": "Journal of Genocide Research",
    "volume": "27",
    "page": "101-125",
    "issued": {"date-parts": [[2025, 3]]},
    "DOI": "10.5555/jgr.2025.0042",
}


# --- building Word files as the plugins leave them ---
def _run(paragraph, tag: str, **attributes: str):
    run = OxmlElement("w:r")
    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(name), value)
    run.append(element)
    paragraph._p.append(run)
    return element


def add_field(paragraph, code: str, shown: str) -> None:
    """A complex field; the code is split over several runs as Word does with long codes."""
    _run(paragraph, "w:fldChar", **{"w:fldCharType": "begin"})
    for start in range(0, len(code), 250):
        text = _run(paragraph, "w:instrText")
        text.text = code[start : start + 250]
        text.set(qn("xml:space"), "preserve")
    _run(paragraph, "w:fldChar", **{"w:fldCharType": "separate"})
    paragraph.add_run(shown)
    _run(paragraph, "w:fldChar", **{"w:fldCharType": "end"})


def zotero(paragraph, items: list[dict], shown: str) -> None:
    data = {
        "citationID": "x7Yq2",
        "properties": {"formattedCitation": shown, "plainCitation": shown, "noteIndex": 0},
        "citationItems": [
            {"id": item["itemData"]["id"], "uris": [f"http://zotero.org/users/1/items/{n}ABC"], **item}
            for n, item in enumerate(items)
        ],
        "schema": SCHEMA,
    }
    add_field(paragraph, " ADDIN ZOTERO_ITEM CSL_CITATION " + json.dumps(data), shown)


def mendeley(paragraph, items: list[dict], shown: str) -> None:
    data = {
        "citationItems": [
            {"id": f"ITEM-{n + 1}", "uris": ["http://www.mendeley.com/documents/?uuid=0c1"], **item}
            for n, item in enumerate(items)
        ],
        "mendeley": {
            "formattedCitation": shown,
            "plainTextFormattedCitation": shown,
            "previouslyFormattedCitation": shown,
        },
        "properties": {"noteIndex": 0},
        "schema": SCHEMA,
    }
    add_field(paragraph, "ADDIN CSL_CITATION " + json.dumps(data), shown)


def add_footnote(document, paragraph, text: str) -> None:
    """python-docx has no footnotes API: the part and the reference are written as Word writes them."""
    part = getattr(document, "_footnotes_part", None)
    if part is None:
        xml = (
            f'<w:footnotes {W_NS}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
            '</w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
            "</w:r></w:p></w:footnote></w:footnotes>"
        )
        part = Part(
            PackURI("/word/footnotes.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
            xml.encode(),
            document.part.package,
        )
        document.part.relate_to(part, RT.FOOTNOTES)
        document._footnotes_part, document._footnotes = part, []
    number = len(document._footnotes) + 1
    document._footnotes.append(
        f'<w:footnote w:id="{number}"><w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:footnote>'
    )
    _run(paragraph, "w:footnoteReference", **{"w:id": str(number)})
    part._blob = (
        part.blob.split(b'<w:footnote w:id="1"')[0].replace(b"</w:footnotes>", b"")
        + "".join(document._footnotes).encode()
        + b"</w:footnotes>"
    )


def add_hyperlink(document, paragraph, target: str, text: str) -> None:
    rel = document.part.relate_to(target, RT.HYPERLINK, is_external=True)
    paragraph._p.append(
        parse_xml(
            f'<w:hyperlink {W_NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/relationships" r:id="{rel}"><w:r><w:t>{text}</w:t></w:r></w:hyperlink>'
        )
    )


def png(width: int = 4, height: int = 3) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80\x20\x20" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def add_image(document, alt: str | None) -> None:
    document.add_picture(io.BytesIO(png()))
    if alt is not None:
        document.inline_shapes[-1]._inline.docPr.set("descr", alt)


def draft(
    path: Path,
    *,
    title: str | None = "Early warning in the Sahel",
    summary: bool = True,
    tracked: bool = False,
    comment: bool = False,
    images: bool = True,
) -> Path:
    document = docx.Document()
    if title:
        document.core_properties.title = title
    document.core_properties.author = "Dr Amina Diallo; Dr Tom Reyes"
    if summary:
        document.add_heading("Summary", 1)
        document.add_paragraph("Warnings of atrocities in the Sahel reach ministers late, and rarely with options.")
        document.add_heading("Key points", 1)
        document.add_paragraph("Early warning works only when someone owns the response.", style="List Bullet")
        document.add_paragraph("Posts need a named focal point.", style="List Bullet")
    document.add_heading("Why it matters", 1)
    paragraph = document.add_paragraph("One Zotero citation with a pin cite ")
    zotero(paragraph, [{"itemData": IN_LIBRARY, "locator": "12", "label": "page"}], "(D'Alessandra 2022, 12)")
    paragraph.add_run(", and two works in one field ")
    zotero(
        paragraph,
        [
            {
                "itemData": NOT_IN_LIBRARY,
                "locator": "4-6",
                "label": "paragraph",
                "prefix": "see",
                "suffix": "and the cases cited there",
            },
            {"itemData": IN_LIBRARY},
        ],
        "(see Okafor and Brandt 2025, paras 4-6 and the cases cited there; D'Alessandra 2022)",
    )
    paragraph.add_run(".")
    if comment:
        document.add_comment(paragraph.runs[0], text="Check this figure", author="Reviewer")
    paragraph = document.add_paragraph("A Mendeley citation of a work the library holds under another id ")
    mendeley(paragraph, [{"itemData": IN_LIBRARY_BY_TITLE}], "(Carver and Ferguson 2021)")
    paragraph.add_run(" and the new work again ")
    mendeley(paragraph, [{"itemData": NOT_IN_LIBRARY}], "(Okafor and Brandt 2025)")
    paragraph.add_run(". A plain note follows.")
    add_footnote(document, paragraph, "An aside of the author's own, not a citation.")
    paragraph = document.add_paragraph("The data are at <")
    add_hyperlink(document, paragraph, "https://example.org/sahel-data", "https://example.org/sahel-data")
    paragraph.add_run(">.")
    if tracked:
        paragraph = document.add_paragraph("Text with ")
        paragraph._p.append(
            parse_xml(
                f'<w:ins {W_NS} w:id="91" w:author="Ed" w:date="2026-11-01T10:00:00Z">'
                '<w:r><w:t xml:space="preserve">inserted words </w:t></w:r></w:ins>'
            )
        )
        paragraph._p.append(
            parse_xml(
                f'<w:del {W_NS} w:id="92" w:author="Ed" w:date="2026-11-01T10:00:00Z">'
                '<w:r><w:delText xml:space="preserve">deleted words </w:delText></w:r></w:del>'
            )
        )
        paragraph.add_run("in it.")
    document.add_heading("The evidence", 1)
    table = document.add_table(rows=3, cols=2)
    for row, (region, count) in enumerate([("Region", "Warnings"), ("Liptako-Gourma", "14"), ("Lake Chad", "9")]):
        table.cell(row, 0).text, table.cell(row, 1).text = region, count
    if images:
        add_image(document, "Map of warnings issued in 2025 by region")
        add_image(document, None)
    document.add_heading("References", 1)
    document.add_paragraph("D'Alessandra F, Operationalizing Obligations (2022).")
    document.save(path)
    return path


# --- helpers ---
@pytest.fixture()
def project(tmp_path: Path) -> Path:
    return copy_sample_project(tmp_path / "project")


def import_draft(project: Path, source: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_council("import", str(source), *args, cwd=project)


def body_of(note: Path) -> str:
    return note.read_text(encoding="utf-8").split("\n---\n", 1)[1]


def bib_keys(path: Path) -> list[str]:
    return re.findall(r"^@(?!comment)\w+\{([^,]+),", path.read_text(encoding="utf-8"), re.M) if path.exists() else []


# --- the fixtures through the real pandoc ---
def test_zotero_and_mendeley_citations_are_keyed_to_the_library_or_added_once(project: Path, tmp_path: Path) -> None:
    source = draft(tmp_path / "Sahel draft v3.docx")
    result = import_draft(project, source)
    assert result.returncode == 0, result.stderr
    note = project / "briefings" / "sahel-draft-v3.md"
    body = body_of(note)
    # one citation with its pin cite in the house syntax; two in one field, with prefix, range and suffix
    assert "[@dalessandraOperationalizingObligationsPrevent2022, p 12]" in body
    assert (
        "[see @okaforEarlyWarningMass2025, paras 4-6 and the cases cited there; "
        "@dalessandraOperationalizingObligationsPrevent2022]"
    ) in body
    # Mendeley (ITEM-1 in each field, two different works): matched by title, year and author; the new
    # work again under the same new key
    assert "[@carverBeingDifferencePrimer2021]" in body
    assert body.count("@okaforEarlyWarningMass2025") == 2
    added = bib_keys(project / "bibliography" / "imported.bib")
    assert added == ["okaforEarlyWarningMass2025"]
    assert "10.5555/jgr.2025.0042" in (project / "bibliography" / "imported.bib").read_text()
    assert "added @okaforEarlyWarningMass2025" in result.stdout
    # a second import of the same draft finds the work it added: still one entry
    again = import_draft(project, source, "--slug", "sahel-second")
    assert again.returncode == 0, again.stderr
    assert bib_keys(project / "bibliography" / "imported.bib") == ["okaforEarlyWarningMass2025"]
    assert "[see @okaforEarlyWarningMass2025" in body_of(project / "briefings" / "sahel-second.md")


def test_front_matter_footnote_table_images_and_reference_list(project: Path, tmp_path: Path) -> None:
    result = import_draft(project, draft(tmp_path / "Sahel draft v3.docx"), "--author", "Dr Jane Doe")
    assert result.returncode == 0, result.stderr
    note = project / "briefings" / "sahel-draft-v3.md"
    meta = front_matter(note)
    assert meta["title"] == "Early warning in the Sahel"
    assert meta["authors"] == ["Dr Jane Doe"]
    assert meta["status"] == "draft"
    assert meta["summary"].startswith("Warnings of atrocities in the Sahel")
    assert meta["key_points"] == [
        "Early warning works only when someone owns the response.",
        "Posts need a named focal point.",
    ]
    body = body_of(note)
    assert "## Why it matters" in body and "## The evidence" in body and "## Summary" not in body
    assert re.search(r"\[\^1\]: An aside of the author's own, not a citation\.", body)
    assert re.search(r"\| Liptako-Gourma +\| 14 +\|", body)
    assert "References" not in body and "Operationalizing Obligations (2022)" not in body
    # a web address shown as itself stays a link, in a form the safety rules accept (not <https://...>)
    assert "The data are at &lt;[https://example.org/sahel-data](https://example.org/sahel-data)&gt;." in body
    media = project / "briefings" / "media" / "sahel-draft-v3"
    assert sorted(p.name for p in media.iterdir()) == ["image1.png", "image2.png"]
    assert "![Map of warnings issued in 2025 by region](media/sahel-draft-v3/image1.png)" in body
    assert "![](media/sahel-draft-v3/image2.png)" in body
    assert "media/sahel-draft-v3/image2.png has no alt text" in result.stdout
    # council check: the image without alt text is the one finding (the "council check refuses it")
    check = run_council("check", cwd=project)
    assert check.returncode == 1
    findings = [line for line in check.stderr.splitlines() if ": error:" in line]
    assert len(findings) == 1 and "sahel-draft-v3.md" in findings[0] and "no text alternative" in findings[0]


def test_imported_note_passes_council_check(project: Path, tmp_path: Path) -> None:
    result = import_draft(project, draft(tmp_path / "clean.docx", images=False))
    assert result.returncode == 0, result.stderr
    check = run_council("check", cwd=project)
    assert check.returncode == 0, check.stderr


def test_placeholders_when_the_document_has_no_summary_or_title(project: Path, tmp_path: Path) -> None:
    result = import_draft(project, draft(tmp_path / "bare.docx", title=None, summary=False, images=False))
    assert result.returncode == 0, result.stderr
    meta = front_matter(project / "briefings" / "bare.md")
    assert meta["title"] == "Why it matters"  # the first heading
    assert meta["summary"].startswith("One paragraph of plain text")  # the template's placeholder
    assert meta["key_points"] == ["The first thing a minister's office should take away.", "The second."]
    assert "summary, key_points still hold the template's placeholder text" in result.stdout
    assert "## Why it matters" not in body_of(project / "briefings" / "bare.md")


def test_tracked_changes_refused_unless_accepted_and_comments_dropped(project: Path, tmp_path: Path) -> None:
    source = draft(tmp_path / "tracked.docx", tracked=True, comment=True, images=False)
    refused = import_draft(project, source)
    assert refused.returncode == 1
    assert "tracked.docx: error: the document has 2 tracked change(s)" in refused.stderr
    assert "--accept-changes" in refused.stderr
    assert not (project / "briefings" / "tracked.md").exists()
    assert not (project / "bibliography" / "imported.bib").exists()
    accepted = import_draft(project, source, "--accept-changes")
    assert accepted.returncode == 0, accepted.stderr
    body = body_of(project / "briefings" / "tracked.md")
    assert "Text with inserted words in it." in body and "deleted words" not in body
    assert "comments: 1 Word comment(s) dropped" in accepted.stdout
    assert "Check this figure" not in body


def test_raw_markup_and_unsafe_links_are_removed(project: Path, tmp_path: Path) -> None:
    source = draft(tmp_path / "unsafe.docx", images=False)
    document = docx.Document(source)
    document.add_heading("Further reading", 1)
    paragraph = document.add_paragraph("Click ")
    # a hyperlink with a javascript: target, as a malicious or careless file could carry
    add_hyperlink(document, paragraph, "javascript:alert(1)", "here")
    add_field(paragraph, " MACROBUTTON Run <script>alert(1)</script> ", "press")
    document.save(source)
    result = import_draft(project, source)
    assert result.returncode == 0, result.stderr
    body = body_of(project / "briefings" / "unsafe.md")
    assert "javascript" not in body and "<script" not in body
    assert "Click here" in body


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("notes.docx", b"plain text, not a Word file", "this is not a Word .docx file"),
        ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "this is an old Word 97-2003 .doc file"),
        ("empty.docx", b"", "the file is empty"),
    ],
)
def test_bad_files_give_a_clean_error_naming_the_file(
    project: Path, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    result = import_draft(project, source)
    assert result.returncode == 1
    assert f"{name}: error: {message}" in result.stderr and "Traceback" not in result.stderr
    assert not list((project / "briefings").glob(f"{Path(name).stem}*"))


def test_damaged_word_file(project: Path, tmp_path: Path) -> None:
    import zipfile

    damaged = tmp_path / "damaged.docx"
    with zipfile.ZipFile(draft(tmp_path / "good.docx", images=False)) as good, zipfile.ZipFile(damaged, "w") as out:
        for info in good.infolist():
            data = good.read(info.filename)
            out.writestr(info, data[: len(data) // 2] if info.filename == "word/document.xml" else data)
    result = import_draft(project, damaged)
    assert result.returncode == 1 and "damaged.docx: error: the Word file is damaged" in result.stderr
    assert not (project / "briefings" / "damaged.md").exists()


def test_encrypted_and_empty_documents(project: Path, tmp_path: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = draft(tmp_path / "plain.docx", images=False)
    encrypted = tmp_path / "secret.docx"
    with plain.open("rb") as source, encrypted.open("wb") as out:
        office = OOXMLFile(source)
        office.encrypt("a password", out)
    result = import_draft(project, encrypted)
    assert result.returncode == 1 and "secret.docx: error: the Word file is password-protected" in result.stderr
    blank = tmp_path / "blank.docx"
    docx.Document().save(blank)
    result = import_draft(project, blank)
    assert result.returncode == 1 and "blank.docx: error: the document is empty" in result.stderr
    assert not (project / "briefings" / "blank.md").exists()


def test_existing_slug_refused_unless_force_and_published_never_replaced(project: Path, tmp_path: Path) -> None:
    source = draft(tmp_path / "x.docx", images=False)
    published = "atrocity-impact-assessments-as-due-diligence"
    before = (project / "briefings" / f"{published}.md").read_bytes()
    refused = import_draft(project, source, "--slug", published)
    assert refused.returncode == 1 and "already exists" in refused.stderr and "--force" in refused.stderr
    forced = import_draft(project, source, "--slug", published, "--force")
    assert forced.returncode == 1 and "never replaces a published note" in forced.stderr
    assert (project / "briefings" / f"{published}.md").read_bytes() == before
    draft_note = "lessons-from-the-us-approach-to-atrocity-prevention"  # status: draft in the sample
    assert import_draft(project, source, "--slug", draft_note).returncode == 1
    replaced = import_draft(project, source, "--slug", draft_note, "--force")
    assert replaced.returncode == 0, replaced.stderr
    assert front_matter(project / "briefings" / f"{draft_note}.md")["title"] == "Early warning in the Sahel"


# --- the round trip: council's own Word file back to the note ---
def _citations_and_text(markdown: str) -> tuple[list[tuple[str, str, str]], str]:
    """The citations (key, prefix, suffix) in order, and the text, as pandoc reads the body."""
    tree = json.loads(
        subprocess.run(
            [pandoc_path(), "-f", "markdown", "-t", "json"], input=markdown, capture_output=True, text=True, check=True
        ).stdout
    )
    citations: list[tuple[str, str, str]] = []
    words: list[str] = []

    def visit(node: object) -> None:
        if isinstance(node, list):
            for child in node:
                visit(child)
        elif isinstance(node, dict):
            if node.get("t") == "Cite":
                for c in node["c"][0]:
                    citations.append((c["citationId"], _plain(c["citationPrefix"]), _plain(c["citationSuffix"])))
                return
            if node.get("t") == "Str":
                words.append(node["c"])
            visit(node.get("c"))

    visit(tree["blocks"])
    text = " ".join(words).replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return citations, " ".join(text.split())


def _plain(inlines: list) -> str:
    return " ".join(i["c"] for i in inlines if i.get("t") == "Str")


def _render_every_sample_docx(root: Path) -> dict[str, bytes]:
    from council.base.cache import ContentCache
    from council.base.config import load_config
    from council.base.keys import package_digest, shared_inputs
    from council.citations.styles import compact_style
    from council.pipeline.site import load_sources
    from council.render.briefing import RenderContext, render_briefing, render_inputs
    from council.render.pandoc_worker import WorkerPool

    config = load_config(root)
    cache = ContentCache(config.cache_dir)
    sources = load_sources(config, cache)
    context = RenderContext(
        config, sources.library, cache, shared_inputs(config, package_digest()), compact_style(config.style_file, cache)
    )
    outputs = {}
    with WorkerPool() as workers:
        for briefing in sources.briefings:
            rendered, _ = render_briefing(render_inputs(briefing, context), context, workers)
            outputs[briefing.slug] = rendered.read("docx")
    return outputs


def test_round_trip_of_every_shipped_briefing(project: Path, tmp_path: Path) -> None:
    rendered = _render_every_sample_docx(project)
    shipped = sorted(p.stem for p in (project / "briefings").glob("*.md"))
    assert sorted(rendered) == shipped and len(shipped) == 7
    for slug, data in rendered.items():
        source = tmp_path / f"{slug}.docx"
        source.write_bytes(data)
        result = import_draft(project, source, "--slug", f"rt-{slug}")
        assert result.returncode == 0, result.stderr
        assert "0 added" in result.stdout  # every work found in the library, none added
        original, imported = project / "briefings" / f"{slug}.md", project / "briefings" / f"rt-{slug}.md"
        before, after = front_matter(original), front_matter(imported)
        for name in ("title", "summary", "key_points", "authors"):
            assert " ".join(str(after[name]).split()) == " ".join(str(before[name]).split()), (slug, name)
        cited_before, text_before = _citations_and_text(body_of(original))
        cited_after, text_after = _citations_and_text(body_of(imported))
        assert cited_after == cited_before, slug
        assert text_after == text_before, slug
    assert not (project / "bibliography" / "imported.bib").exists()


def test_a_failed_write_leaves_nothing_behind(project: Path, tmp_path: Path) -> None:
    """The bibliography cannot be written (a folder stands where imported.bib goes): the images staged
    before it are removed again, and no note appears."""
    (project / "bibliography" / "imported.bib").mkdir()
    before = sorted(p.relative_to(project) for p in (project / "briefings").rglob("*"))
    result = import_draft(project, draft(tmp_path / "Sahel draft v3.docx"))
    assert result.returncode == 1, result.stdout
    assert "imported.bib: error: could not write the import" in result.stderr and "nothing was written" in result.stderr
    assert sorted(p.relative_to(project) for p in (project / "briefings").rglob("*")) == before


def test_a_slug_that_is_not_a_file_name_is_refused(project: Path, tmp_path: Path) -> None:
    result = import_draft(project, draft(tmp_path / "x.docx", images=False), "--slug", "../elsewhere")
    assert result.returncode == 1 and "cannot use '../elsewhere' as a note's name" in result.stderr
    assert not (project / "elsewhere.md").exists()


def test_round_trip_survives_a_save_in_libreoffice(project: Path, tmp_path: Path) -> None:
    """Reviewers open the Word file in an office suite and save it: the fields, and so the citations, survive."""
    slug = "atrocity-impact-assessments-as-due-diligence"
    source = tmp_path / "briefing.docx"
    source.write_bytes(_render_every_sample_docx(project)[slug])
    saved = tmp_path / "saved"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(saved),
            str(source),
        ],
        capture_output=True,
        check=True,
        timeout=180,
    )
    result = import_draft(project, saved / "briefing.docx", "--slug", "resaved")
    assert result.returncode == 0, result.stderr
    original, imported = body_of(project / "briefings" / f"{slug}.md"), body_of(project / "briefings" / "resaved.md")
    assert _citations_and_text(imported) == _citations_and_text(original)
    assert "<!-- -->" not in imported  # the lists LibreOffice numbers apart are one list again
