"""The fonts every Word and ODT file names, chosen once for briefings and the report.

pandoc's reference documents name Aptos, Calibri, Cambria and Consolas (Word) or Times New Roman and
Tahoma (ODT). Parliament's and departments' machines have Arial, the sans serif UK government
documents are set in, and Courier New; Linux and LibreOffice have their metric twins, Liberation Sans
and Liberation Mono (Debian's fonts-liberation2), which fontconfig and LibreOffice substitute by name.
A line therefore breaks at the same word on a clerk's Windows PC, a Mac and a Linux build machine,
and a test of layout in LibreOffice means the same wherever it runs. Other scripts keep Word's own
choices per script (the theme's script fonts); the PDF has its own fonts (`fonts/`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from council.base.errors import ToolError

TEXT_FONT = "Arial"  # body text, headings, tables, headers and footers
CODE_FONT = "Courier New"  # code and verbatim text
# The free fonts with the same metrics, and the Debian package that has them (the tests install it).
METRIC_TWINS = {TEXT_FONT: "Liberation Sans", CODE_FONT: "Liberation Mono"}
DEBIAN_FONT_PACKAGE = "fonts-liberation2"

# Word's font table entries (panose, family, pitch): how Word picks a substitute when a font is missing.
_FONT_TABLE = {
    TEXT_FONT: ("020B0604020202020204", "swiss", "variable"),
    CODE_FONT: ("02070309020205020404", "modern", "fixed"),
}
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


DOCX_FONT_PARTS = ("word/theme/theme1.xml", "word/fontTable.xml", "word/styles.xml")


def office_fonts_code() -> bytes:
    """This module's own source, for cache keys: a change of font must re-make the reference documents."""
    return Path(__file__).read_bytes()


def docx_part_with_fonts(name: str, data: str) -> str:
    """One part of pandoc's reference.docx (DOCX_FONT_PARTS) naming the chosen fonts."""
    if name == "word/theme/theme1.xml":
        return _theme(data)
    if name == "word/fontTable.xml":
        return _font_table()
    if name == "word/styles.xml":
        return _named(data, r'w:(ascii|hAnsi)="Consolas"', lambda m: f'w:{m.group(1)}="{CODE_FONT}"')
    return data


def _theme(theme: str) -> str:
    """Headings (major) and text (minor) in the text font, for Latin script."""
    panose = _FONT_TABLE[TEXT_FONT][0]
    return _named(
        theme,
        r'(<a:(?:major|minor)Font>\s*)<a:latin typeface="[^"]*"[^>]*/>',
        lambda m: f'{m.group(1)}<a:latin typeface="{TEXT_FONT}" panose="{panose}"/>',
        count=2,
    )


def _font_table() -> str:
    entries = "".join(
        f'<w:font w:name="{name}"><w:panose1 w:val="{panose}"/><w:charset w:val="00"/>'
        f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>'
        for name, (panose, family, pitch) in _FONT_TABLE.items()
    )
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts xmlns:w="{_W}">{entries}</w:fonts>'


def odt_styles_with_fonts(styles: str) -> str:
    """pandoc's ODT styles with the text in the chosen font (headings and code already name it)."""
    styles = _named(styles, r'style:font-name="Times New Roman"', lambda m: f'style:font-name="{TEXT_FONT}"')
    if f'style:font-name="{CODE_FONT}"' not in styles:
        raise ToolError("pandoc's reference.odt has changed shape: its code font could not be set")
    return styles


def _named(text: str, pattern: str, replacement: Callable[[re.Match[str]], str], count: int | None = None) -> str:
    """`text` with every match replaced; none (or not `count`) means pandoc's document changed shape."""
    result, found = re.subn(pattern, replacement, text)
    if found == 0 or (count is not None and found != count):
        raise ToolError("pandoc's reference document has changed shape: its fonts could not be set")
    return result
