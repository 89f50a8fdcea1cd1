"""The reference document pandoc styles the report's OpenDocument text (ODT) from: pandoc's own, set on
A4 with 2.54 cm margins (pandoc's is US Letter), "Page X of Y" in the footer (pandoc's prints the page
number alone), a "Page Break" paragraph style the front matter ends its title page and verso with, and
the fonts every office document names (office_fonts.py)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from council.base.cache import ContentCache, content_key
from council.base.errors import ToolError
from council.base.tools import run_pandoc_bytes, tool_versions
from council.render.office_fonts import odt_styles_with_fonts, office_fonts_code

PAGE = {"fo:page-width": "21cm", "fo:page-height": "29.7cm"}
MARGIN = "2.54cm"
PAGE_BREAK_STYLE = "Page_20_Break"  # "Page Break" as ODF writes a style name with a space
_PAGE_BREAK = (
    f'<style:style style:name="{PAGE_BREAK_STYLE}" style:display-name="Page Break" style:family="paragraph" '
    'style:parent-style-name="Standard"><style:paragraph-properties fo:break-after="page"/></style:style>'
)
_FOLIO = (
    'Page <text:page-number text:select-page="current">1</text:page-number> of <text:page-count>1</text:page-count>'
)


def reference_odt(cache: ContentCache) -> Path:
    """Built once, then cached."""
    key = content_key("reference-odt", tool_versions(), Path(__file__).read_bytes(), office_fonts_code())
    name = "reference.odt"
    if cache.get(key, name) is None:
        cache.put(key, name, _restyled(run_pandoc_bytes(["--print-default-data-file", "reference.odt"])))
    return cache.path(key, name)


def _restyled(reference: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(reference))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for item in sorted(source.infolist(), key=lambda i: i.filename != "mimetype"):  # ODF: mimetype first
            data = source.read(item.filename)
            if item.filename == "styles.xml":
                data = _styles(data.decode()).encode()
            info = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED if item.filename == "mimetype" else zipfile.ZIP_DEFLATED
            target.writestr(info, data)
    return output.getvalue()


def _styles(styles: str) -> str:
    layout = re.search(r"<style:page-layout-properties [^>]*>", styles)
    folio = re.search(r'<text:page-number text:select-page="current">\s*1</text:page-number>', styles)
    if layout is None or folio is None or "</office:styles>" not in styles:
        raise ToolError("pandoc's reference.odt has changed shape: its page could not be set")
    properties = layout.group(0)
    for name, value in PAGE.items():
        properties = re.sub(rf'{name}="[^"]*"', f'{name}="{value}"', properties)
    properties = re.sub(r'(fo:margin-(?:top|bottom|left|right))="[^"]*"', rf'\1="{MARGIN}"', properties)
    styles = styles[: layout.start()] + properties + styles[layout.end() :]
    styles = re.sub(r'<text:page-number text:select-page="current">\s*1</text:page-number>', _FOLIO, styles, count=1)
    return odt_styles_with_fonts(styles.replace("</office:styles>", _PAGE_BREAK + "</office:styles>", 1))
