"""The reference document pandoc styles every Word file from: pandoc's own, plus the security
classification marking centred in the header and footer, so every page of every DOCX is marked."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from council.cache import ContentCache, content_key
from council.compact_xml import compact_xml, compact_xml_code
from council.tools import run_pandoc_bytes, tool_versions

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PARTS = {"header": "hdr", "footer": "ftr"}


def reference_docx(marking: str, cache: ContentCache) -> Path:
    """A reference.docx carrying `marking` top and bottom of every page; built once, then cached."""
    key = content_key("reference-docx", tool_versions(), marking, Path(__file__).read_bytes(), compact_xml_code())
    name = "reference.docx"
    if cache.get(key, name) is None:
        cache.put(key, name, _with_marking(run_pandoc_bytes(["--print-default-data-file", "reference.docx"]), marking))
    return cache.path(key, name)


def _with_marking(reference: bytes, marking: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(reference))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = _reference_section(data.decode()).encode()
            elif item.filename == "word/_rels/document.xml.rels":
                data = _relationships(data.decode()).encode()
            elif item.filename == "[Content_Types].xml":
                data = _content_types(data.decode()).encode()
            if item.filename.endswith((".xml", ".rels")):
                data = compact_xml(data)  # about 5 ms less per DOCX: pandoc parses these for every file
            target.writestr(_stable(item.filename), data, zipfile.ZIP_DEFLATED)
        for part, tag in _PARTS.items():
            target.writestr(_stable(f"word/{part}1.xml"), _marking_part(tag, marking), zipfile.ZIP_DEFLATED)
    return output.getvalue()


def _stable(name: str) -> zipfile.ZipInfo:
    """Entries dated 1980-01-01: pandoc copies some parts from here into every DOCX, and a date
    that changed from build to build would make equal sources give different files."""
    return zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))


def _marking_part(tag: str, marking: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:{tag} xmlns:w="{_W}">'
            '<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:b/></w:rPr>'
            f'<w:t>{escape(marking)}</w:t></w:r></w:p></w:{tag}>')


def _reference_section(document: str) -> str:
    references = ''.join(f'<w:{part}Reference w:type="default" r:id="rIdCouncil{part.title()}"/>' for part in _PARTS)
    return re.sub(r"<w:sectPr>", "<w:sectPr>" + references, document, count=1)


def _relationships(rels: str) -> str:
    entries = ''.join(f'<Relationship Id="rIdCouncil{part.title()}" Type="{_R}/{part}" Target="{part}1.xml"/>'
                      for part in _PARTS)
    return rels.replace("</Relationships>", entries + "</Relationships>")


def _content_types(types: str) -> str:
    entries = ''.join(f'<Override PartName="/word/{part}1.xml" ContentType="application/'
                      f'vnd.openxmlformats-officedocument.wordprocessingml.{part}+xml"/>' for part in _PARTS)
    return types.replace("</Types>", entries + "</Types>")
