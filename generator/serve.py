"""`council serve`: build, serve site/ on localhost, and rebuild whenever a source changes.

A failed rebuild prints its problems and leaves the last good site being served.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import click

from council.config import ProjectConfig
from council.errors import CouncilError
from council.pipeline import build

POLL_SECONDS = 1.0


def source_fingerprint(config: ProjectConfig) -> str:
    """Cheap change detector over every source; the build itself decides what to re-render by content."""
    digest = hashlib.sha256()
    folders = [config.briefings_dir, config.bibliography_dir, config.reports_dir, config.root / "requests"]
    files = [config.root / "council.yml", config.mkdocs_file, config.glossary_file]
    for folder in folders:
        if folder.exists():
            files.extend(sorted(p for p in folder.rglob("*") if p.is_file()))
    for path in files:
        if path.exists():
            stat = path.stat()
            digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _rebuild(config: ProjectConfig, drafts: bool) -> None:
    try:
        summary = build(config, dt.datetime.now(dt.timezone.utc), progress=False, preview=drafts)
        click.echo(f"rebuilt: {summary.built} rendered, {summary.reused} reused")
    except CouncilError as exc:
        click.echo(exc.show(), err=True)
        click.echo("the previous site is still being served", err=True)


class _SiteHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # quiet: the terminal is for build news
        pass


def serve(config: ProjectConfig, host: str, port: int, drafts: bool = False) -> None:
    """With `drafts`, serve the local preview (drafts, notes in review and embargoed notes, each under a
    banner) from build/preview; the public site/ is never touched by a preview."""
    _rebuild(config, drafts)
    # The handler resolves site/ on every request, so each atomic swap is picked up at once.
    folder = config.preview_dir if drafts else config.site_dir
    handler = functools.partial(_SiteHandler, directory=str(folder))
    server = ThreadingHTTPServer((host, port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    click.echo(f"serving http://{host}:{port}/ ; edit a note and the site rebuilds (Ctrl+C stops)")
    seen = source_fingerprint(config)
    try:
        while True:
            time.sleep(POLL_SECONDS)
            current = source_fingerprint(config)
            if current != seen:
                seen = current
                _rebuild(config, drafts)
    finally:
        server.shutdown()
