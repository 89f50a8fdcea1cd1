"""`council serve`: build, serve site/ on localhost, and rebuild whenever a source changes.

A saved briefing shows at once: its page alone is re-rendered into an overlay served over the last
full build (publish/quick_page.py), while the whole site rebuilds in the background; the overlay is
cleared when that build is in place. A failed rebuild prints its problems and leaves the last good
site being served.
"""
from __future__ import annotations

import datetime as dt
import functools
import os
import shutil
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import click

from council.config import ProjectConfig, load_config
from council.errors import CouncilError
from council.pipeline import build
from council.publish.writer import OutputWriter
from council.sources.briefings import BriefingProblems

POLL_SECONDS = 0.25  # a stat of every source: cheap next to the 2 s an author may wait


def source_state(config: ProjectConfig) -> dict[Path, tuple[int, int]]:
    """Every source file's size and modification time: what changed, and where."""
    folders = [config.briefings_dir, config.bibliography_dir, config.reports_dir, config.requests_dir]
    files = [config.config_file, config.mkdocs_file, config.glossary_file]
    for folder in folders:
        if folder.exists():
            files.extend(sorted(p for p in folder.rglob("*") if p.is_file()))
    state = {}
    for path in files:
        try:
            stat = path.stat()
        except OSError:  # removed while we looked
            continue
        state[path] = (stat.st_size, stat.st_mtime_ns)
    return state


def _rebuild(config: ProjectConfig, drafts: bool) -> bool:
    try:
        # council.yml and mkdocs.yml are read afresh: an edit to either shows in the next build
        summary = build(load_config(config.root), dt.datetime.now(dt.timezone.utc), progress=False, preview=drafts)
        click.echo(f"rebuilt: {summary.built} rendered, {summary.reused} reused")
        return True
    except CouncilError as exc:
        click.echo(exc.show(), err=True)
        click.echo("the previous site is still being served", err=True)
        return False


class _SiteHandler(SimpleHTTPRequestHandler):
    overlay: Path | None = None

    def translate_path(self, path: str) -> str:
        """A page the fast path re-rendered wins over the same page of the last full build."""
        served = super().translate_path(path)
        if self.overlay is not None:
            candidate = self.overlay / os.path.relpath(served, self.directory)
            if candidate.is_file() or (candidate / "index.html").is_file():
                return str(candidate)
        return served

    def log_message(self, format: str, *args: object) -> None:  # quiet: the terminal is for build news
        pass


class _Rebuilder:
    """Full builds in one background thread; edits arriving during a build ask for one more after it.
    When a build is in place, the overlay pages written before it started are dropped."""

    def __init__(self, config: ProjectConfig, drafts: bool, overlay: Path) -> None:
        self._config, self._drafts, self._overlay = config, drafts, overlay
        self._wanted = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()

    def request(self) -> None:
        self._wanted.set()

    def _run(self) -> None:
        while True:
            self._wanted.wait()
            self._wanted.clear()
            started = time.time()
            if _rebuild(self._config, self._drafts):
                _clear_overlay(self._overlay, before=started)


def _clear_overlay(overlay: Path, before: float | None = None) -> None:
    if before is None:
        shutil.rmtree(overlay, ignore_errors=True)
        return
    for page in (p for p in overlay.rglob("*") if p.is_file()):
        if page.stat().st_mtime < before:
            page.unlink(missing_ok=True)


def _show_at_once(config: ProjectConfig, notes: list[Path], served: Path, overlay: Path, drafts: bool) -> None:
    """The fast path for saved briefings; anything it cannot show waits for the full build."""
    from council.publish.quick_page import quick_page  # loads the renderer only once someone edits

    for note in notes:
        try:
            found = quick_page(config, note, served.resolve(), dt.datetime.now(dt.timezone.utc), drafts)
        except (CouncilError, BriefingProblems):
            continue  # the full build, which follows, reports every problem at once
        if found is not None:
            page, html = found
            OutputWriter(overlay).write(page, html)
            click.echo(f"updated {page} (the whole site follows)")


def serve(config: ProjectConfig, host: str, port: int, drafts: bool = False) -> None:
    """With `drafts`, serve the local preview (drafts, notes in review and embargoed notes, each under a
    banner) from build/preview; the public site/ is never touched by a preview."""
    overlay = config.build_dir / ("preview-overlay" if drafts else "serve-overlay")
    _clear_overlay(overlay)
    seen = source_state(config)  # before the first build: a save during it is not missed
    _rebuild(config, drafts)
    # The handler resolves site/ on every request, so each atomic swap is picked up at once.
    folder = config.preview_dir if drafts else config.site_dir
    handler = functools.partial(type("Handler", (_SiteHandler,), {"overlay": overlay}), directory=str(folder))
    server = ThreadingHTTPServer((host, port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    click.echo(f"serving http://{host}:{port}/ ; edit a note and the site rebuilds (Ctrl+C stops)")
    rebuilder = _Rebuilder(config, drafts, overlay)
    try:
        while True:
            time.sleep(POLL_SECONDS)
            current = source_state(config)
            if current == seen:
                continue
            changed = [path for path in current if current[path] != seen.get(path)]
            seen = current
            notes = [p for p in changed if p.parent == config.briefings_dir and p.suffix == ".md"]
            _show_at_once(config, notes, folder, overlay, drafts)
            rebuilder.request()
    finally:
        server.shutdown()
