"""Render many briefings on all cores: first every page and Word file (the site engine needs only the
pages), then every PDF in worker processes while the site engine builds the pages."""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from tqdm import tqdm

from council.base.cache import ContentCache
from council.base.errors import ToolError
from council.base.model import Briefing, RenderedBriefing
from council.render.briefing import (
    PendingPdf,
    RenderContext,
    cached_rendering,
    compile_pending_pdf,
    in_cache,
    render_briefing,
    render_inputs,
)
from council.render.pandoc_worker import WorkerPool
from council.render.pdf import load_fonts


def _cores() -> int:
    return os.cpu_count() or 1


def _progress_bar(total: int, description: str, unit: str, shown: bool) -> tqdm:
    return tqdm(
        total=total,
        desc=description,
        unit=unit,
        delay=1.0,
        disable=not (shown and sys.stderr.isatty()),
        file=sys.stderr,
    )


def render_pages(
    briefings: list[Briefing], context: RenderContext, *, progress: bool
) -> tuple[list[RenderedBriefing], list[PendingPdf]]:
    """Every briefing's page parts and Word file, in the order given, and the PDFs still to compile.
    What the cache lacks goes to threads at once, each waiting on its own pandoc; meanwhile what the
    cache holds is read here."""
    results: dict[str, RenderedBriefing] = {}
    pending: list[PendingPdf] = []
    inputs = [render_inputs(b, context) for b in briefings]
    missing = [i for i in inputs if not in_cache(i, context)]
    with (
        WorkerPool() as pool,
        ThreadPoolExecutor(max_workers=max(1, min(len(missing), _cores()))) as executor,
        _progress_bar(len(briefings), "Rendering briefings", "note", progress) as bar,
    ):
        futures = [executor.submit(render_briefing, i, context, pool) for i in missing]
        rendering = {i.briefing.slug for i in missing}
        for item in inputs:
            if item.briefing.slug in rendering:
                continue
            cached = cached_rendering(item, context)
            if cached is None:  # removed from the cache since we looked
                futures.append(executor.submit(render_briefing, item, context, pool))
            else:
                results[item.briefing.slug] = cached
                bar.update()
        for future in as_completed(futures):
            rendered, pdf = future.result()
            results[rendered.briefing.slug] = rendered
            pending.append(pdf)
            bar.update()
    return [results[b.slug] for b in briefings], pending


def render_complete(briefings: list[Briefing], context: RenderContext) -> list[RenderedBriefing]:
    """Pages, Word files and PDFs, all finished on return (for the few restricted briefings)."""
    rendered, pending = render_pages(briefings, context, progress=False)
    for job in pending:
        compile_pending_pdf(job, context.config.root, context.cache)
    return rendered


class PdfCompilation:
    """Compiles PDFs in the background while the rest of the build goes on. Many PDFs go to worker
    processes, one per core: typst holds Python's interpreter lock while it lays out a page, so threads
    would queue behind each other and behind the rest of the build. A few go to a thread, because
    starting processes would take longer than compiling them. `wait` returns when all are in the
    render cache and raises the first failure; leaving early cancels what has not started."""

    IN_PROCESS_LIMIT = 8

    def __init__(self, project_root: Path, cache: ContentCache, *, progress: bool) -> None:
        self._root, self._cache_root, self._progress = project_root, cache.root, progress
        self._futures: list[Future] = []
        self._executor: Executor | None = None
        self.finished = time.perf_counter()  # when the last PDF was done (the bench's "own outputs")

    def __enter__(self) -> PdfCompilation:
        self._bar = _progress_bar(0, "Compiling PDFs", "pdf", self._progress)
        return self

    def compile(self, pending: list[PendingPdf]) -> None:
        if not pending:
            return
        self._bar.reset(total=len(pending))
        if len(pending) > self.IN_PROCESS_LIMIT:
            self._executor = ProcessPoolExecutor(
                max_workers=_cores(),
                initializer=_start_worker,
                initargs=(self._root,),
                mp_context=multiprocessing.get_context("spawn"),
            )
        else:
            self._executor = ThreadPoolExecutor(max_workers=1)
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
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
        self._bar.close()


def _start_worker(project_root: Path) -> None:
    # Lower priority: the site engine, on the critical path, runs meanwhile; PDFs take the spare CPU.
    os.nice(10)
    load_fonts(project_root)


def _compile(job: PendingPdf, project_root: Path, cache_root: Path) -> None:
    compile_pending_pdf(job, project_root, ContentCache(cache_root))


def _worker_lost() -> ToolError:
    return ToolError(
        "a PDF worker process stopped unexpectedly (out of memory?); the previous site is "
        "unchanged: run the build again"
    )
