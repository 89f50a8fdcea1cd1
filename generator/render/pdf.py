"""Typst source to a tagged PDF/UA-1 file, with the project's embedded fonts only (reproducible)."""
from __future__ import annotations

import logging
from pathlib import Path

import typst

from council.errors import ToolError

log = logging.getLogger(__name__)


def compile_pdf(source: str, origin: Path, root: Path) -> bytes:
    try:
        pdf, warnings = typst.compile_with_warnings(
            source.encode("utf-8"), root=str(root), format="pdf", pdf_standards=["ua-1"],
            ignore_system_fonts=True)
    except typst.TypstError as exc:
        raise ToolError(f"{origin}: typst could not make the PDF: {exc}") from None
    for warning in warnings:
        log.warning("%s: typst: %s", origin, getattr(warning, "message", warning))
    return pdf
