"""`council report <period>`: one period's PDF and Word files into build/reports/<period>/, and its
classified annex, if it has one, into build/restricted/<period>/ (never the site). Every source is
checked and everything rendered before the first byte is written, and each file is replaced
atomically, so a failed run leaves the previous outputs as they were."""
from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from council.cache import ContentCache
from council.config import ProjectConfig
from council.errors import CouncilError, ProblemsFound, SourceError
from council.publish.gate import is_public
from council.publish.release import build_lock
from council.publish.writer import OutputWriter
from council.render.keys import package_digest, shared_inputs
from council.report.figures import compute
from council.report.narrative_check import narrative_warnings
from council.report.quotable import Quotable, quotable, reference_problems
from council.report.render import RenderedReport, render_report
from council.vocabularies import nearest


@dataclass(frozen=True)
class ReportOutputs:
    pdf: Path
    docx: Path
    restricted: Path | None
    paragraphs: int
    open_formats: tuple[Path, ...] = ()  # the ODT, and the annexes' data as CSV files and one ODS workbook


def build_report(config: ProjectConfig, period: str, now: dt.datetime) -> ReportOutputs:
    from council.pipeline import load_sources

    with build_lock(config.build_dir):
        cache = ContentCache(config.cache_dir)
        sources = load_sources(config, cache)
        found = {r.period: r for r in sources.reports}
        if period not in found:
            guess = nearest(period, found)
            raise CouncilError(f"there is no report for '{period}' in reports/"
                               + (f"; did you mean '{guess[0]}'?" if guess else
                                  f"; periods: {', '.join(found) or 'none yet'}"))
        public = [b for b in sources.briefings if is_public(b, now)]
        shared = shared_inputs(config, package_digest())
        rendered = render_report(found[period], config, sources.library, public, cache, shared)
        return write_report_outputs(config, rendered)


@dataclass(frozen=True)
class ReportCheck:
    period: str
    figures: dict[str, Quotable]
    warnings: list[SourceError]


def check_reports(config: ProjectConfig, period: str | None, now: dt.datetime) -> list[ReportCheck]:
    """`council report --check`: every figure the narrative can quote, with its value, and a warning for
    each hand-written number the figures contradict or, in a numbered paragraph, do not match. A
    reference to an unknown figure is an error. Renders and writes nothing."""
    from council.pipeline import load_sources

    sources = load_sources(config, ContentCache(config.cache_dir))
    found = {r.period: r for r in sources.reports}
    if period is not None and period not in found:
        guess = nearest(period, found)
        raise CouncilError(f"there is no report for '{period}' in reports/"
                           + (f"; did you mean '{guess[0]}'?" if guess else f"; periods: {', '.join(found) or 'none yet'}"))
    chosen = [found[period]] if period is not None else list(found.values())
    problems = [problem for report in chosen for problem in reference_problems(report)]
    if problems:
        raise ProblemsFound(problems)
    public = [b for b in sources.briefings if is_public(b, now)]
    checks = []
    for report in chosen:
        figures = quotable(compute(report, public))
        checks.append(ReportCheck(report.period, figures, narrative_warnings(report, figures)))
    return checks


def write_report_outputs(config: ProjectConfig, rendered: RenderedReport) -> ReportOutputs:
    """The clerks' copies in build/reports/<period>/ and any classified annex in build/restricted/."""
    period = rendered.report.period
    outputs = OutputWriter(config.build_dir / "reports" / period)
    pdf = _replace(outputs.path_for(f"{rendered.slug}.pdf"), rendered.pdf)
    docx = _replace(outputs.path_for(f"{rendered.slug}.docx"), rendered.docx)
    files = [(f"{rendered.slug}.odt", rendered.odt)]
    if rendered.data is not None:
        files += [*rendered.data.csv_files, (rendered.data.workbook_name, rendered.data.workbook)]
    open_formats = tuple(_replace(outputs.path_for(name), data) for name, data in files)
    restricted_writer = OutputWriter(config.build_dir / "restricted" / period)
    annex = restricted_writer.path_for(f"{rendered.slug}-classified-annex.pdf")
    restricted = None
    if rendered.restricted_pdf is not None:
        restricted = _replace(annex, rendered.restricted_pdf)
    elif annex.exists():  # the classified material has gone from the sources: so goes the old annex
        annex.unlink()
    return ReportOutputs(pdf, docx, restricted, rendered.paragraphs, open_formats)


def _replace(target: Path, data: bytes) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
    os.replace(temporary, target)
    return target
