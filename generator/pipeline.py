"""The pipeline, start to finish: load and validate sources -> resolve citations -> render each
format -> publish. Data flows one way; each stage lives in the folder of the same name."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from council.cache import ContentCache
from council.citations.resolve import missing_keys
from council.config import ProjectConfig
from council.errors import SourceError, raise_if_any
from council.model import Briefing, Library, RenderedBriefing
from council.publish.docs_tree import write_docs_tree
from council.publish.gate import is_public
from council.publish.release import build_lock, publish_release, staging_area
from council.publish.site_engine import build_site
from council.publish.writer import OutputWriter
from council.render.briefing import RenderContext, presentation_hash, render_briefing
from council.render.pandoc_worker import WorkerPool
from council.sources.bibliography import load_library
from council.sources.briefings import BriefingProblems, load_briefing


@dataclass(frozen=True)
class Sources:
    library: Library
    briefings: list[Briefing]
    warnings: list[SourceError] = field(default_factory=list)


@dataclass(frozen=True)
class BuildSummary:
    built: int
    reused: int
    withheld: int  # valid briefings the publication gate kept off the site
    site: Path


def briefing_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.md") if p.is_file() and not p.name.startswith(("_", ".")))


def load_sources(config: ProjectConfig, cache: ContentCache) -> Sources:
    """Read and check everything; raise ProblemsFound listing every error at once."""
    library, problems = load_library(config.bibliography_dir, cache)
    briefings = []
    for path in briefing_files(config.briefings_dir):
        try:
            briefing = load_briefing(path)
        except SourceError as error:
            problems.append(error)
            continue
        except BriefingProblems as found:
            problems.extend(found.problems)
            continue
        problems.extend(missing_keys(briefing, library))
        briefings.append(briefing)
    raise_if_any(problems)
    return Sources(library, briefings, [p for p in problems if p.warning])


def check(config: ProjectConfig) -> Sources:
    return load_sources(config, ContentCache(config.cache_dir, writable=False))


def build(config: ProjectConfig, now: dt.datetime, *, progress: bool = True) -> BuildSummary:
    with build_lock(config.build_dir):
        cache = ContentCache(config.cache_dir)
        sources = load_sources(config, cache)
        public = [b for b in sources.briefings if is_public(b, now)]
        context = RenderContext(config, sources.library, cache, presentation_hash(config))
        rendered = render_all(public, context, progress=progress)
        with staging_area(config.build_dir) as staging:
            writer = OutputWriter(staging / "docs")
            nav = write_docs_tree(writer, config, rendered)
            build_site(config.mkdocs_file, staging / "docs", staging / "site", nav)
            publish_release(staging / "site", config.site_dir, config.releases_dir)
            _keep_docs_for_inspection(staging / "docs", config.build_dir / "docs")
    reused = sum(r.from_cache for r in rendered)
    return BuildSummary(len(rendered) - reused, reused, len(sources.briefings) - len(public), config.site_dir)


def render_all(briefings: list[Briefing], context: RenderContext, *, progress: bool) -> list[RenderedBriefing]:
    results: dict[str, RenderedBriefing] = {}
    workers = max(1, min(len(briefings), os.cpu_count() or 1))
    bar = tqdm(total=len(briefings), desc="Rendering briefings", unit="note", delay=1.0,
               disable=not (progress and sys.stderr.isatty()), file=sys.stderr)
    with WorkerPool() as pool, ThreadPoolExecutor(max_workers=workers) as executor, bar:
        futures = {executor.submit(render_briefing, b, context, pool): b for b in briefings}
        for future in as_completed(futures):
            rendered = future.result()
            results[rendered.briefing.slug] = rendered
            bar.update()
    return [results[b.slug] for b in briefings]


def _keep_docs_for_inspection(staged: Path, target: Path) -> None:
    shutil.rmtree(target, ignore_errors=True)
    staged.rename(target)
