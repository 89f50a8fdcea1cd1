"""Render many briefings on all cores: first every page and Word file (the site engine needs only the
pages), then every PDF in worker processes while the site engine builds the pages."""
from __future__ import annotations

import multiprocessing
import os
import sys
import time
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from tqdm import tqdm

from council.cache import ContentCache
from council.errors import ToolError
from council.model import Briefing, RenderedBriefing
from council.render.briefing import PendingPdf, RenderContext, compile_pending_pdf, render_briefing
from council.render.pandoc_worker import WorkerPool
from council.render.pdf import load_fonts


def _cores() -> int:
    return os.cpu_count() or 1


def _progress_bar(total: int, description: str, unit: str, shown: bool) -> tqdm:
    return tqdm(total=total, desc=description, unit=unit, delay=1.0, disable=not (shown and sys.stderr.isatty()),
                file=sys.stderr)


def render_pages(briefings: list[Briefing], context: RenderContext, *,
                 progress: bool) -> tuple[list[RenderedBriefing], list[PendingPdf]]:
    """Every briefing's page parts and Word file, in the order given, and the PDFs still to compile.
    Threads suffice: each waits on its own pandoc process."""
    results: dict[str, tuple[RenderedBriefing, PendingPdf | None]] = {}
    with (WorkerPool() as pool, ThreadPoolExecutor(max_workers=max(1, min(len(briefings), _cores()))) as executor,
          _progress_bar(len(briefings), "Rendering briefings", "note", progress) as bar):
        futures = [executor.submit(render_briefing, b, context, pool) for b in briefings]
        for future in as_completed(futures):
            rendered, pending = future.result()
            results[rendered.briefing.slug] = (rendered, pending)
            bar.update()
    ordered = [results[b.slug] for b in briefings]
    return [rendered for rendered, _ in ordered], [pending for _, pending in ordered if pending is not None]


def render_complete(briefings: list[Briefing], context: RenderContext) -> list[RenderedBriefing]:
    """Pages, Word files and PDFs, all finished on return (for the few restricted briefings)."""
    rendered, pending = render_pages(briefings, context, progress=False)
    for job in pending:
        compile_pending_pdf(job, context.config.root, context.cache)
    return rendered


class PdfCompilation:
    """PDFs compiled in worker processes: typst holds Python's interpreter lock while it lays out a
    page, so threads would queue behind each other and behind the rest of the build. The workers start
    (and load their fonts) on entry, while pandoc renders; `compile` hands them the PDFs, `wait`
    returns when all are in the render cache and raises the first failure. Leaving early cancels
    what has not started."""

    def __init__(self, project_root: Path, cache: ContentCache, *, progress: bool) -> None:
        self._root, self._cache_root, self._progress = project_root, cache.root, progress
        self._futures: list[Future] = []
        self.finished = time.perf_counter()  # when the last PDF was done (the bench's "own outputs")

    def __enter__(self) -> PdfCompilation:
        self._executor = ProcessPoolExecutor(max_workers=_cores(), mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_start_worker, initargs=(self._root,))
        for _ in range(_cores()):  # start every worker now, not when the first PDF arrives
            self._executor.submit(int)
        self._bar = _progress_bar(0, "Compiling PDFs", "pdf", self._progress)
        return self

    def compile(self, pending: list[PendingPdf]) -> None:
        self._bar.reset(total=len(pending))
        for job in pending:
            try:
                future = self._executor.submit(_compile, job, self._root, self._cache_root)
            except BrokenProcessPool:
                raise _worker_lost() from None
            future.add_done_callback(self._done)
            self._futures.append(future)

    def _done(self, _: Future) -> None:
        self._bar.update()
        self.finished = time.perf_counter()

    def wait(self) -> None:
        try:
            for future in self._futures:
                future.result()
        except BrokenProcessPool:
            raise _worker_lost() from None

    def __exit__(self, *exc: object) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
        self._bar.close()


def _start_worker(project_root: Path) -> None:
    # Lower priority: the site engine, on the critical path, runs meanwhile; PDFs take the spare CPU.
    os.nice(10)
    load_fonts(project_root)


def _compile(job: PendingPdf, project_root: Path, cache_root: Path) -> None:
    compile_pending_pdf(job, project_root, ContentCache(cache_root))


def _worker_lost() -> ToolError:
    return ToolError("a PDF worker process stopped unexpectedly (out of memory?); the previous site is "
                     "unchanged: run the build again")
