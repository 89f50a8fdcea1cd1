"""A report to Parliament's own files: one period's PDF and Word files into build/reports/<period>/, and
its classified annex, if it has one, into build/restricted/<period>/ (never the site). The report is
rendered before the first byte is written (pipeline.build_report), and each file is replaced
atomically, so a failed run leaves the previous outputs as they were."""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from council.config import ProjectConfig
from council.publish.writer import OutputWriter

if TYPE_CHECKING:
    from council.report.render import RenderedReport  # pandas and matplotlib: only when a report renders


@dataclass(frozen=True)
class ReportOutputs:
    pdf: Path
    docx: Path
    restricted: Path | None
    paragraphs: int


def write_report_outputs(config: ProjectConfig, rendered: RenderedReport) -> ReportOutputs:
    """The clerks' copies in build/reports/<period>/ and any classified annex in build/restricted/."""
    period = rendered.report.period
    outputs = OutputWriter(config.build_dir / "reports" / period)
    pdf = _replace(outputs.path_for(f"{rendered.slug}.pdf"), rendered.pdf)
    docx = _replace(outputs.path_for(f"{rendered.slug}.docx"), rendered.docx)
    restricted_writer = OutputWriter(config.build_dir / "restricted" / period)
    annex = restricted_writer.path_for(f"{rendered.slug}-classified-annex.pdf")
    restricted = None
    if rendered.restricted_pdf is not None:
        restricted = _replace(annex, rendered.restricted_pdf)
    elif annex.exists():  # the classified material has gone from the sources: so goes the old annex
        annex.unlink()
    return ReportOutputs(pdf, docx, restricted, rendered.paragraphs)


def _replace(target: Path, data: bytes) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
    os.replace(temporary, target)
    return target
