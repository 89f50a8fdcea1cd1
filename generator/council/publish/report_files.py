"""A report to Parliament's own files: one period's PDF and Word files into build/reports/<period>/, and
its ODT and annex data (CSV, ODS), and its classified annex, if it has one, into build/restricted/<period>/ (never the site). The report is
rendered before the first byte is written (pipeline.build_report), and each file is replaced
atomically, so a failed run leaves the previous outputs as they were."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from council.base.config import ProjectConfig
from council.publish.writer import OutputWriter
from council.sources.report_data import PUBLIC_MARKING

if TYPE_CHECKING:
    from council.report.render import RenderedReport  # pandas and matplotlib: only when a report renders

PRIVATE = 0o600  # a classified annex, or a report above OFFICIAL: readable by their owner alone
READABLE = 0o644  # a report to be laid is public: its files readable by whoever publishes or sends them


@dataclass(frozen=True)
class ReportOutputs:
    pdf: Path
    docx: Path
    restricted: Path | None
    paragraphs: int
    open_formats: tuple[Path, ...] = ()  # the ODT, and the annexes' data as CSV files and one ODS workbook


def write_report_outputs(config: ProjectConfig, rendered: RenderedReport) -> ReportOutputs:
    """The clerks' copies in build/reports/<period>/ and any classified annex in build/restricted/."""
    period = rendered.report.period
    outputs = OutputWriter(config.report_outputs_dir / period)
    mode = READABLE if rendered.report.meta.classification == PUBLIC_MARKING else PRIVATE
    pdf = outputs.write(f"{rendered.slug}.pdf", rendered.pdf, mode=mode)
    docx = outputs.write(f"{rendered.slug}.docx", rendered.docx, mode=mode)
    files = [(f"{rendered.slug}.odt", rendered.odt)]
    if rendered.data is not None:
        files += [*rendered.data.csv_files, (rendered.data.workbook_name, rendered.data.workbook)]
    open_formats = tuple(outputs.write(name, data, mode=mode) for name, data in files)
    restricted_writer = OutputWriter(config.restricted_dir / period)
    annex_name = f"{rendered.slug}-classified-annex.pdf"
    annex = restricted_writer.path_for(annex_name)
    restricted = None
    if rendered.restricted_pdf is not None:
        restricted = restricted_writer.write(annex_name, rendered.restricted_pdf, mode=PRIVATE)
    elif annex.exists():  # the classified material has gone from the sources: so goes the old annex
        annex.unlink()
    return ReportOutputs(pdf, docx, restricted, rendered.paragraphs, open_formats)
