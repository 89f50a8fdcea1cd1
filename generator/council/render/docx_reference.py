"""The reference document pandoc styles every Word file from: pandoc's own, plus the security
classification marking centred in the header and footer, so every page of every DOCX is marked, and
A4 paper with 2.54 cm margins (pandoc's own has no page size, so Word and LibreOffice fall back to
their locale's, US Letter in LibreOffice)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from council.base.cache import ContentCache, content_key
from council.base.compact_xml import compact_xml, compact_xml_code
from council.base.errors import ToolError
from council.base.tools import run_pandoc_bytes, tool_versions
from council.render.office_fonts import DOCX_FONT_PARTS, docx_part_with_fonts, office_fonts_code

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PARTS = {"header": "hdr", "footer": "ftr"}

# Page geometry in twips (1/1440 inch): A4, with the 2.54 cm (1 inch) margins UK government documents use.
PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838
MARGIN = 1440
HEADER_DISTANCE = 720  # 1.27 cm from the paper's edge to the header and footer
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
TEXT_HEIGHT = PAGE_HEIGHT - 2 * MARGIN
PICTURE_WIDTH_CM = 15.0  # a chart's width when its height allows
CAPTION_ROOM_CM = 3.0  # below a picture: its caption, on the same page
# Tables: text a size below the body's 12 pt, as UK government reports set them, so that a table of
# six columns keeps dates and words whole.
TABLE_FONT_HALF_POINTS = 20
PANDOC_GRID_WIDTH = 7920  # the text width (5.5 in) pandoc draws every table's column grid for

_PAGE = (
    f'<w:pgSz w:w="{PAGE_WIDTH}" w:h="{PAGE_HEIGHT}"/>'
    f'<w:pgMar w:top="{MARGIN}" w:right="{MARGIN}" w:bottom="{MARGIN}" w:left="{MARGIN}" '
    f'w:header="{HEADER_DISTANCE}" w:footer="{HEADER_DISTANCE}" w:gutter="0"/>'
)


def table_geometry() -> dict[str, int]:
    """What render/common.lua sizes table columns by, in twips: the text width, the table text's em,
    and pandoc's own grid width (rescaled to the text width after pandoc has written the file)."""
    return {"width": TEXT_WIDTH, "em": TABLE_FONT_HALF_POINTS * 10, "pandoc_grid": PANDOC_GRID_WIDTH}


def picture_width_cm(width_px: int, height_px: int) -> float:
    """The width to give a picture so that it and its caption fit the text area of one page."""
    twips_per_cm = 1440 / 2.54
    tallest = TEXT_HEIGHT / twips_per_cm - CAPTION_ROOM_CM
    widest = min(PICTURE_WIDTH_CM, TEXT_WIDTH / twips_per_cm)
    return round(min(widest, tallest * width_px / height_px), 2)


def reference_docx(
    marking: str | None, cache: ContentCache, *, page_numbers: bool = True, update_fields: bool = False
) -> Path:
    """A reference.docx carrying `marking` (None: no marking) top and bottom of every page, and with
    `page_numbers` "Page X of Y" in the footer (Word fields); with `update_fields`, Word updates every
    field (the contents' page numbers) when the file is opened. Built once, then cached."""
    key = content_key(
        "reference-docx",
        tool_versions(),
        marking or "",
        "pages" if page_numbers else "",
        "update" if update_fields else "",
        Path(__file__).read_bytes(),
        office_fonts_code(),
        compact_xml_code(),
    )
    name = "reference.docx"
    if cache.get(key, name) is None:
        cache.put(
            key,
            name,
            _with_marking(
                run_pandoc_bytes(["--print-default-data-file", "reference.docx"]), marking, page_numbers, update_fields
            ),
        )
    return cache.path(key, name)


def _with_marking(
    reference: bytes, marking: str | None, page_numbers: bool = False, update_fields: bool = False
) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(reference))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = _reference_section(data.decode()).encode()
            elif item.filename == "word/settings.xml" and update_fields:
                data = _update_fields(data.decode()).encode()
            elif item.filename == "word/styles.xml":
                data = _table_text(data.decode()).encode()
            elif item.filename == "word/_rels/document.xml.rels":
                data = _relationships(data.decode()).encode()
            elif item.filename == "[Content_Types].xml":
                data = _content_types(data.decode()).encode()
            if item.filename in DOCX_FONT_PARTS:
                data = docx_part_with_fonts(item.filename, data.decode()).encode()
            if item.filename.endswith((".xml", ".rels")):
                data = compact_xml(data)  # about 5 ms less per DOCX: pandoc parses these for every file
            target.writestr(_stable(item.filename), data, zipfile.ZIP_DEFLATED)
        for part, tag in _PARTS.items():
            target.writestr(
                _stable(f"word/{part}1.xml"),
                _marking_part(tag, marking, page_numbers and part == "footer"),
                zipfile.ZIP_DEFLATED,
            )
    return output.getvalue()


def _stable(name: str) -> zipfile.ZipInfo:
    """Entries dated 1980-01-01: pandoc copies some parts from here into every DOCX, and a date
    that changed from build to build would make equal sources give different files."""
    return zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))


def _marking_part(tag: str, marking: str | None, page_numbers: bool = False) -> str:
    paragraphs = (
        (
            '<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:b/></w:rPr>'
            f"<w:t>{escape(marking or '')}</w:t></w:r></w:p>"
        )
        if marking or not page_numbers
        else ""
    )
    if page_numbers:
        paragraphs += (
            '<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t xml:space="preserve">Page </w:t></w:r>'
            + _field("PAGE", "1")
            + '<w:r><w:t xml:space="preserve"> of </w:t></w:r>'
            + _field("NUMPAGES", "1")
            + "</w:p>"
        )
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:{tag} xmlns:w="{_W}">{paragraphs}</w:{tag}>'


def _field(code: str, shown: str) -> str:
    """A Word field (PAGE, NUMPAGES): Word and LibreOffice compute it; `shown` is its text until they do."""
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {code} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f'<w:r><w:t>{shown}</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def _update_fields(settings: str) -> str:
    """Word asks to update the fields (the contents' page numbers) on opening; the schema places the
    setting just before the footnote settings."""
    if "<w:footnotePr>" not in settings:
        raise ToolError("pandoc's reference.docx has changed shape: its settings could not be set")
    return settings.replace("<w:footnotePr>", '<w:updateFields w:val="true"/><w:footnotePr>', 1)


# Footnotes numbered 1..N through the whole document: pandoc's reference restarts them in each section,
# which LibreOffice reads as at each chapter (each Heading 1), so "(n 1)" would name several notes.
_CONTINUOUS_NOTES = '<w:footnotePr><w:numRestart w:val="continuous"/></w:footnotePr>'


def section_end() -> str:
    """A paragraph ending a section of its own (the title page, the verso): A4 like the rest, with no
    header or footer, so no folio, as Command Papers leave those two pages unnumbered."""
    return f'<w:p><w:pPr><w:sectPr>{_CONTINUOUS_NOTES}<w:type w:val="nextPage"/>{_PAGE}</w:sectPr></w:pPr></w:p>'


def _reference_section(document: str) -> str:
    """The section pandoc copies into every DOCX: header and footer first, then paper and margins
    after the footnote settings (the order the schema asks for; Word refuses others)."""
    section = re.search(r"<w:sectPr>(.*?)</w:sectPr>", document, re.DOTALL)
    if section is None or "<w:pgSz" in section.group(1):
        raise ToolError("pandoc's reference.docx has changed shape: its section properties could not be set")
    references = "".join(f'<w:{part}Reference w:type="default" r:id="rIdCouncil{part.title()}"/>' for part in _PARTS)
    inner = section.group(1)
    footnotes = re.search(r"<w:footnotePr>.*?</w:footnotePr>|<w:footnotePr\s*/>", inner, re.DOTALL)
    if footnotes:
        inner = inner[: footnotes.start()] + inner[footnotes.end() :]
    inner = _CONTINUOUS_NOTES + _PAGE + inner
    return document[: section.start()] + f"<w:sectPr>{references}{inner}</w:sectPr>" + document[section.end() :]


def _table_text(styles: str) -> str:
    """The default table style's text size; run properties come before table properties in a style."""
    size = f'<w:rPr><w:sz w:val="{TABLE_FONT_HALF_POINTS}"/><w:szCs w:val="{TABLE_FONT_HALF_POINTS}"/></w:rPr>'
    style = re.search(
        r'<w:style w:type="table" w:default="1" w:styleId="Table">(?:(?!</w:style>).)*?(?=<w:tblPr>)', styles, re.DOTALL
    )
    if style is None or "<w:rPr>" in style.group(0):
        raise ToolError("pandoc's reference.docx has changed shape: its table style could not be set")
    return styles[: style.end()] + size + styles[style.end() :]


def _relationships(rels: str) -> str:
    entries = "".join(
        f'<Relationship Id="rIdCouncil{part.title()}" Type="{_R}/{part}" Target="{part}1.xml"/>' for part in _PARTS
    )
    return rels.replace("</Relationships>", entries + "</Relationships>")


def _content_types(types: str) -> str:
    entries = "".join(
        f'<Override PartName="/word/{part}1.xml" ContentType="application/'
        f'vnd.openxmlformats-officedocument.wordprocessingml.{part}+xml"/>'
        for part in _PARTS
    )
    return types.replace("</Types>", entries + "</Types>")
