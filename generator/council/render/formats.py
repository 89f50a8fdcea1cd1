"""A briefing's output formats as data: each with the renderer that makes it, the name of its file and
how to read its text back (the publication gate's leak tests read every public file through these).

Adding a format is one module that defines an `OutputFormat` plus its entry in `FORMATS`: the render
cache, the site's downloads, the restricted folder and the leak tests all iterate the registry.
"""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from council.base.cache import ContentCache
from council.render.docx_reference import reference_docx


@dataclass(frozen=True)
class SitePage:
    """Rendered by the pandoc driver as HTML fragments that the site engine places in a page."""


@dataclass(frozen=True)
class PandocDocument:
    """Written whole by the pandoc driver (render/worker.lua) with pandoc's writer `writer`, styled by
    the reference document `reference` makes for a page marking; `front` and `back` are the Markdown
    templates before and after the body."""

    writer: str
    reference: Callable[[str, ContentCache], Path]
    front: str
    back: str


@dataclass(frozen=True)
class TypstDocument:
    """Laid out from the typst the pandoc driver writes, by `template`, then compiled (render/pdf.py)
    after the pages, in worker processes."""

    template: str


Renderer = SitePage | PandocDocument | TypstDocument


@dataclass(frozen=True)
class OutputFormat:
    name: str  # the key of its file in RenderedBriefing.outputs
    suffix: str  # the file's extension, with its dot
    label: str  # how the download is described, format first, as GOV.UK describes attachments
    renderer: Renderer | None  # None: published by the report to Parliament, not a format of briefings
    extract_text: Callable[[Path], str]  # everything a reader of the file could see, as plain text

    def file_name(self, stem: str) -> str:
        return stem + self.suffix

    @property
    def cache_name(self) -> str:
        """Its name in a briefing's render cache entry."""
        return self.file_name("briefing")

    @property
    def is_download(self) -> bool:
        """A file of its own beside the page (the page itself is the HTML format)."""
        return self.renderer is not None and not isinstance(self.renderer, SitePage)


def html_text(path: Path) -> str:
    """The text of a page as a reader sees it (tags removed), then the whole page, markup included:
    attributes (alt text, titles, links) and scripts' data reach readers and their tools too."""
    page = path.read_text(encoding="utf-8", errors="replace")
    return html.unescape(_TAG.sub("", page)) + "\n" + html.unescape(page)


def pdf_text(path: Path) -> str:
    """The text layer of every page and the document properties."""
    import pypdf  # only the leak tests read PDFs back

    reader = pypdf.PdfReader(path)
    properties = " ".join(str(value) for value in (reader.metadata or {}).values())
    return "\n".join([*(page.extract_text() for page in reader.pages), properties])


_BREAK = re.compile(r"</(?:w:p|text:p|text:h|a:p)>|<(?:w:tab|w:br|text:tab|text:line-break)\b[^>]*>|\?>")
_TAG = re.compile(r"<[^>]+>")
_DESCRIPTION = re.compile(r'\b(?:descr|title|svg:title|svg:desc)="([^"]*)"')


def zipped_xml_text(path: Path) -> str:
    """Every text node of every XML part of a zipped office file (DOCX, ODT): body, headers, footers,
    notes, comments and properties alike, so that nothing a reader could open is missed."""
    chunks = []
    with zipfile.ZipFile(path) as archive:
        for name in sorted(archive.namelist()):
            if name.endswith((".xml", ".rels")):
                # tags removed rather than parsed, so that a part an XML parser refuses is still read;
                # a paragraph (or tab, break) ends a line, and the runs of one paragraph join up as in Word
                xml = archive.read(name).decode("utf-8", "replace")
                xml = _BREAK.sub("\n", xml)
                described = " ".join(_DESCRIPTION.findall(xml))  # pictures' alt text is an attribute
                chunks.append(html.unescape(_TAG.sub("", xml) + " " + described))
    return "\n".join(chunks)


HTML = OutputFormat("html", ".html", "Web page", SitePage(), html_text)
PDF = OutputFormat(
    "pdf", ".pdf", "PDF, A4, accessible (tagged for screen readers)", TypstDocument("briefing.typ.j2"), pdf_text
)
DOCX = OutputFormat(
    "docx",
    ".docx",
    "Word document (DOCX)",
    PandocDocument("docx", reference_docx, "briefing_docx.pandoc.j2", "briefing_docx_back.pandoc.j2"),
    zipped_xml_text,
)

FORMATS: tuple[OutputFormat, ...] = (HTML, PDF, DOCX)
DOWNLOADS: tuple[OutputFormat, ...] = tuple(f for f in FORMATS if f.is_download)
# Files the report to Parliament publishes beside its PDF and Word file (report/render.py, annex_data.py):
# not briefing formats, but the publication gate's leak tests read them all the same.
ODT = OutputFormat("odt", ".odt", "OpenDocument text (ODT)", None, zipped_xml_text)
ODS = OutputFormat("ods", ".ods", "OpenDocument spreadsheet (ODS)", None, zipped_xml_text)
READABLE: tuple[OutputFormat, ...] = (*FORMATS, ODT, ODS)


def by_name(name: str) -> OutputFormat:
    return next(f for f in FORMATS if f.name == name)


def download_files(stem: str, outputs: dict[str, Path]) -> list[tuple[str, Path]]:
    """(name in the site or restricted folder, finished file) of each download of a rendered briefing."""
    return [(f.file_name(stem), outputs[f.name]) for f in DOWNLOADS]


def by_suffix(suffix: str) -> OutputFormat | None:
    return next((f for f in READABLE if f.suffix == suffix.lower()), None)
