"""Render many briefings on all cores: first every page and Word file (the site engine needs only the
pages), then every PDF on background threads while the site engine builds the pages."""
from __future__ import annotations

import os
import sys
import time
from concurrent.futures import Future, ThreadPoolExecutor, as_completed

from tqdm import tqdm

from council.model import Briefing, RenderedBriefing
from council.render.briefing import PendingPdf, RenderContext, compile_pending_pdf, render_briefing
from council.render.pandoc_worker import WorkerPool


def _threads(jobs: int) -> int:
    return max(1, min(jobs, os.cpu_count() or 1))


def _progress_bar(total: int, description: str, unit: str, shown: bool) -> tqdm:
    return tqdm(total=total, desc=description, unit=unit, delay=1.0, disable=not (shown and sys.stderr.isatty()),
                file=sys.stderr)


def render_pages(briefings: list[Briefing], context: RenderContext, *,
                 progress: bool) -> tuple[list[RenderedBriefing], list[PendingPdf]]:
    """Every briefing's page parts and Word file, in the order given, and the PDFs still to compile."""
    results: dict[str, tuple[RenderedBriefing, PendingPdf | None]] = {}
    with (WorkerPool() as pool, ThreadPoolExecutor(max_workers=_threads(len(briefings))) as executor,
          _progress_bar(len(briefings), "Rendering briefings", "note", progress) as bar):
        futures = [executor.submit(render_briefing, b, context, pool) for b in briefings]
        for future in as_completed(futures):
            rendered, pending = future.result()
            results[rendered.briefing.slug] = (rendered, pending)
            bar.update()
    ordered = [results[b.slug] for b in briefings]
    return [rendered for rendered, _ in ordered], [pending for _, pending in ordered if pending is not None]


class PdfCompilation:
    """Compiles PDFs on background threads from the moment it is entered; `wait` returns when all are
    in the render cache and raises the first failure. Leaving early cancels what has not started."""

    def __init__(self, pending: list[PendingPdf], context: RenderContext, *, progress: bool) -> None:
        self._pending, self._context, self._progress = pending, context, progress
        self._futures: list[Future] = []
        self.finished = time.perf_counter()  # when the last PDF was done (the bench's "own outputs")

    def __enter__(self) -> PdfCompilation:
        self._executor = ThreadPoolExecutor(max_workers=_threads(len(self._pending)))
        self._bar = _progress_bar(len(self._pending), "Compiling PDFs", "pdf", self._progress)
        for job in self._pending:
            future = self._executor.submit(compile_pending_pdf, job, self._context)
            future.add_done_callback(self._done)
            self._futures.append(future)
        return self

    def _done(self, _: Future) -> None:
        self._bar.update()
        self.finished = time.perf_counter()

    def wait(self) -> None:
        for future in self._futures:
            future.result()

    def __exit__(self, *exc: object) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
        self._bar.close()


def render_complete(briefings: list[Briefing], context: RenderContext) -> list[RenderedBriefing]:
    """Pages, Word files and PDFs, all finished on return."""
    rendered, pending = render_pages(briefings, context, progress=False)
    with PdfCompilation(pending, context, progress=False) as pdfs:
        pdfs.wait()
    return rendered
