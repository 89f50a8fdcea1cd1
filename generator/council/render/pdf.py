"""Typst source to a tagged PDF/UA-1 file. Fonts: typst's embedded ones (Libertinus Serif sets Latin,
Greek, Cyrillic and Hebrew), the Noto fonts shipped in council's own fonts/ folder (package data: the
other scripts the Council writes about, from Arabic to Chinese), and any a project adds in its own
fonts/ folder; never the machine's, so the same sources give the same PDF everywhere."""

from __future__ import annotations

import logging
import re
import threading
from importlib import resources
from pathlib import Path

import typst

from council.base.errors import Location, SourceError, ToolError

log = logging.getLogger(__name__)
_compilers = threading.local()
_MISSING_GLYPH = re.compile(r'the text `"(.+?)"` could not be displayed with font')


def shipped_fonts() -> Path:
    """council's own fonts (installed with the package), listed in the templates' font fallback."""
    return Path(str(resources.files("council").joinpath("fonts")))


def _compiler(root: Path) -> typst.Compiler:
    """One compiler per thread and project root: fonts are loaded once, not for every PDF (5x faster)."""
    compilers: dict[Path, typst.Compiler] = getattr(_compilers, "by_root", None) or {}
    _compilers.by_root = compilers
    if root not in compilers:
        fonts = [str(shipped_fonts())] + ([str(root / "fonts")] if (root / "fonts").is_dir() else [])
        compilers[root] = typst.Compiler(root=str(root), font_paths=fonts, ignore_system_fonts=True)
    return compilers[root]


def load_fonts(root: Path) -> None:
    """Make this thread's compiler and lay out one line, so the first real PDF does not wait for fonts."""
    _compiler(root).compile(input=b'#set text(lang: "en")\nCouncil', format="pdf")


def compile_pdf(source: str, origin: Path, root: Path) -> bytes:
    try:
        pdf, warnings = _compiler(root).compile_with_warnings(
            input=source.encode("utf-8"), format="pdf", pdf_standards=["ua-1"]
        )
    except typst.TypstError as exc:
        missing = _MISSING_GLYPH.search(str(exc))
        if missing:
            raise _missing_font(origin, missing.group(1)) from None
        raise ToolError(f"{origin}: typst could not make the PDF: {exc}") from None
    for warning in warnings:
        log.warning("%s: typst: %s", origin, getattr(warning, "message", warning))
    return pdf


def _missing_font(origin: Path, text: str) -> SourceError:
    """An accessible PDF must be able to show every character; say which one and where it is."""
    line = None
    try:
        for number, content in enumerate(origin.read_text(encoding="utf-8").split("\n"), 1):
            if text in content:
                line = number
                break
    except OSError:
        pass
    codes = ", ".join(f"U+{ord(c):04X}" for c in text[:3])
    return SourceError(
        Location(origin, line),
        f"the PDF fonts cannot show '{text}' ({codes})",
        hint="no font shipped with council covers it: add one that does (e.g. a Noto font, with its "
        "licence) to the project's fonts/ folder, or leave the character out",
    )
