"""`council serve`: build, serve site/ on localhost, and rebuild whenever a source changes.

A saved briefing shows at once: its page alone is re-rendered into an overlay served over the last
full build (pipeline/quick_page.py), while the whole site rebuilds in the background; the overlay is
cleared when that build is in place. A failed rebuild prints its problems and leaves the last good
site being served.

Open pages follow along: each HTML page is served with a small script (templates/serve_live.js) that
asks /__council__/state what the last build did, reloads the page when a build finishes and shows a
failed build's problems over the page. The script is added as pages are served, so no build output,
public or preview, ever carries it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import functools
import html
import json
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

import click

from council.base.config import ProjectConfig, load_config
from council.base.errors import CouncilError, ProblemsFound, SourceError, storage_error
from council.pipeline.site import build
from council.publish.fingerprint import watched_files
from council.publish.gate import Withheld
from council.publish.writer import OutputWriter
from council.sources.briefings import BriefingProblems

POLL_SECONDS = 0.25  # a stat of every source: cheap next to the 2 s an author may wait
LIVE_PREFIX = "/__council__/"  # the preview server's own addresses; no page of a site is under it
LIVE_SCRIPT = f'<script src="{LIVE_PREFIX}live.js"></script>'
# The names a browser on this machine uses for the server; with the bound address, the only Host headers
# answered, so that a page whose name is rebound to 127.0.0.1 (DNS rebinding) cannot read the preview.
LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
_CONTROL = frozenset(chr(code) for code in (*range(32), 127))  # never in a file name a site serves


def source_state(config: ProjectConfig) -> dict[Path, tuple[int, int]]:
    """Size and modification time of every file a build's fingerprint reads (publish/fingerprint.py
    says which): what changed, and where."""
    state = {}
    for path in watched_files(config):
        try:
            stat = path.stat()
        except OSError:  # removed while we looked
            continue
        state[path] = (stat.st_size, stat.st_mtime_ns)
    return state


@dataclass
class LiveState:
    """What open pages are told: a number that grows with each finished build, and the problems of the
    last one that failed (empty once a build succeeds)."""

    version: int = 0
    problems: list[dict[str, str]] = field(default_factory=list)
    hidden: list[Withheld] = field(default_factory=list)  # notes this server does not show
    lock: threading.Lock = field(default_factory=threading.Lock)

    def finished(self, problems: list[dict[str, str]] | None = None) -> None:
        with self.lock:
            self.version += 1
            self.problems = problems or []

    def as_json(self) -> bytes:
        with self.lock:
            return json.dumps({"version": self.version, "problems": self.problems}).encode()


def problem_list(error: CouncilError | BriefingProblems) -> list[dict[str, str]]:
    """The errors of a failed build as the overlay shows them: file:line, message and hint."""
    if isinstance(error, ProblemsFound | BriefingProblems):
        found = [p for p in error.problems if not p.warning]
    elif isinstance(error, SourceError):
        found = [error]
    else:
        return [{"where": "", "message": str(error), "hint": ""}]
    return [
        {
            "where": str(p.location),
            "message": f"field '{p.field}': {p.message}" if p.field else p.message,
            "hint": p.hint or "",
        }
        for p in found
    ]


def _rebuild(config: ProjectConfig, drafts: bool, live: LiveState) -> bool:
    try:
        # council.yml and mkdocs.yml are read afresh: an edit to either shows in the next build
        summary = build(load_config(config.root), dt.datetime.now(dt.timezone.utc), progress=False, preview=drafts)
    except OSError as failed:  # a full disk, an immutable folder: the author's to fix, as in `council build`
        exc = storage_error(failed)
        if exc is None:
            raise
        click.echo(exc.show(), err=True)
        click.echo("the previous site is still being served", err=True)
        live.finished(problem_list(exc))
        return False
    except CouncilError as exc:
        click.echo(exc.show(), err=True)
        click.echo("the previous site is still being served", err=True)
        live.finished(problem_list(exc))
        return False
    click.echo(f"rebuilt: {summary.built} rendered, {summary.reused} reused")
    live.hidden = summary.withheld_notes
    live.finished()
    return True


class _SiteHandler(SimpleHTTPRequestHandler):
    overlay: Path | None = None
    live: LiveState
    hosts: frozenset[str] = LOCAL_NAMES

    def parse_request(self) -> bool:
        """Before any method runs: a foreign Host is refused (403) and an address no file can have (a NUL
        or other control character) is a bad request (400)."""
        if not super().parse_request():
            return False
        if _host_name(self.headers.get("Host", "")) not in self.hosts:
            self.send_error(403, "Unknown host", "council serve answers only addresses of this machine")
            return False
        if _CONTROL.intersection(unquote(urlsplit(self.path).path)):
            self.send_error(400, "Bad address", "the address holds a control character")
            return False
        return True

    def translate_path(self, path: str) -> str:
        """A page the fast path re-rendered wins over the same page of the last full build."""
        served = super().translate_path(path)
        if self.overlay is not None:
            candidate = self.overlay / os.path.relpath(served, self.directory)
            with contextlib.suppress(OSError):  # e.g. a name too long for the file system: not in the overlay
                if candidate.is_file() or (candidate / "index.html").is_file():
                    return str(candidate)
        return served

    def do_GET(self) -> None:
        address = urlsplit(self.path).path
        if address == f"{LIVE_PREFIX}state":
            return self._send(200, "application/json", self.live.as_json())
        if address == f"{LIVE_PREFIX}live.js":
            script = resources.files("council").joinpath("templates/serve_live.js").read_bytes()
            return self._send(200, "text/javascript; charset=utf-8", script)
        page = self._html_file(address)
        if page is None:
            return super().do_GET()
        return self._send(200, "text/html; charset=utf-8", with_live_script(page.read_bytes()))

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """A hidden draft's address says why it is missing and how to see it."""
        hidden = self._hidden_note() if code == 404 else None
        if hidden is None:
            return super().send_error(code, message, explain)
        text = (
            f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not in this preview'
            f"</title></head><body><h1>Not in this preview</h1><p>{html.escape(hidden.path.name)}: "
            f"{html.escape(hidden.reason)}.</p>"
            + ("<p>Run <code>council serve --drafts</code> to see it.</p>" if hidden.previewable else "")
            + "</body></html>"
        )
        return self._send(404, "text/html; charset=utf-8", with_live_script(text.encode()))

    def _hidden_note(self) -> Withheld | None:
        parts = urlsplit(self.path).path.strip("/").split("/")
        if len(parts) < 2 or parts[0] != "briefings":
            return None
        return next((note for note in self.live.hidden if note.path.stem == parts[1]), None)

    def _html_file(self, address: str) -> Path | None:
        """The HTML file a GET of `address` would send, or None (anything else, or a folder asked for
        without its slash, which the standard handler redirects)."""
        path = Path(self.translate_path(self.path))
        try:
            if path.is_dir():
                if not address.endswith("/"):
                    return None
                path = path / "index.html"
            return path if path.suffix == ".html" and path.is_file() else None
        except OSError:  # no such page (e.g. a name too long): the standard handler answers 404
            return None

    def _send(self, code: int, kind: str, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")  # a reload must show the new build
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # quiet: the terminal is for build news
        pass


def _host_name(header: str) -> str | None:
    """The name in a Host header, without its port or brackets; None when it cannot be read."""
    try:
        return urlsplit("//" + header).hostname
    except ValueError:  # e.g. an unclosed bracket
        return None


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: tuple[str, int]) -> None:
        """A request that fails is reported in one line, and the server goes on."""
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError):  # a reader who closed the tab: nothing to say
            click.echo(f"a request from {client_address[0]} failed: {error!r}", err=True)


def bound_server(host: str, port: int, handler: Callable[..., _SiteHandler]) -> ThreadingHTTPServer:
    """The server, listening: done before the first build, so a port in use is said at once."""
    try:
        return _Server((host, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise CouncilError(
                f"port {port} on {host} is already in use (another `council serve`?): "
                f"stop it, or choose another port with --port"
            ) from None
        raise CouncilError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None


def with_live_script(page: bytes) -> bytes:
    """The page with the live-reload script, just before </body> (or at the end of a page without one)."""
    at = page.lower().rfind(b"</body>")
    script = LIVE_SCRIPT.encode()
    return page + script if at < 0 else page[:at] + script + page[at:]


class _Rebuilder:
    """Full builds in one background thread; edits arriving during a build ask for one more after it.
    When a build is in place, the overlay pages written before it started are dropped."""

    def __init__(self, config: ProjectConfig, drafts: bool, overlay: Path, live: LiveState) -> None:
        self._config, self._drafts, self._overlay, self._live = config, drafts, overlay, live
        self._wanted = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()

    def request(self) -> None:
        self._wanted.set()

    def _run(self) -> None:
        while True:
            self._wanted.wait()
            self._wanted.clear()
            started = time.time()
            if _rebuild(self._config, self._drafts, self._live):
                _clear_overlay(self._overlay, before=started)


def _clear_overlay(overlay: Path, before: float | None = None) -> None:
    if before is None:
        shutil.rmtree(overlay, ignore_errors=True)
        return
    for page in (p for p in overlay.rglob("*") if p.is_file()):
        if page.stat().st_mtime < before:
            page.unlink(missing_ok=True)


def _show_at_once(
    config: ProjectConfig, notes: list[Path], served: Path, overlay: Path, drafts: bool, live: LiveState
) -> None:
    """The fast path for saved briefings; anything it cannot show waits for the full build. A note that
    does not load shows its problems at once; the full build, which follows, reports every problem."""
    from council.pipeline.quick_page import quick_page  # loads the renderer only once someone edits

    for note in notes:
        try:
            found = quick_page(config, note, served.resolve(), dt.datetime.now(dt.timezone.utc), drafts)
        except (CouncilError, BriefingProblems) as exc:
            live.finished(problem_list(exc))
            continue
        if found is not None:
            page, page_html = found
            OutputWriter(overlay).write(page, page_html)
            click.echo(f"updated {page} (the whole site follows)")
            live.finished()


def _keep_library(config: ProjectConfig) -> None:
    """The library parsed once for the session, while the author reads: the first save is as quick as the next."""
    from council.pipeline.quick_page import kept_library

    kept_library(config.bibliography_dir)


def _citing_what_changed(config: ProjectConfig) -> list[Path]:
    """The notes citing the library's entries changed since the last look (only the .bib files that
    changed are parsed again): the pages a .bib edit shows at once."""
    from council.pipeline.quick_page import changed_entries, notes_citing

    return notes_citing(config.briefings_dir, changed_entries(config.bibliography_dir))


def drafts_notice(hidden: list[Withheld]) -> str | None:
    """What plain `council serve` says on start-up about the notes it does not show."""
    count = sum(note.previewable for note in hidden)
    if not count:
        return None
    notes = "note is" if count == 1 else "notes are"
    return (
        f"{count} {notes} hidden here (drafts, notes in review or under embargo): `council serve --drafts` shows them"
    )


def serve(config: ProjectConfig, host: str, port: int, drafts: bool = False) -> None:
    """With `drafts`, serve the local preview (drafts, notes in review and embargoed notes, each under a
    banner) from build/preview; the public site/ is never touched by a preview."""
    overlay = config.build_dir / ("preview-overlay" if drafts else "serve-overlay")
    live = LiveState()
    # The handler resolves site/ on every request, so each atomic swap is picked up at once.
    folder = config.preview_dir if drafts else config.site_dir
    hosts = LOCAL_NAMES | {host.lower()}
    handler = functools.partial(
        type("Handler", (_SiteHandler,), {"overlay": overlay, "live": live, "hosts": hosts}), directory=str(folder)
    )
    server = bound_server(host, port, handler)  # requests wait in its queue until the first build is done
    _clear_overlay(overlay)
    seen = source_state(config)  # before the first build: a save during it is not missed
    _rebuild(config, drafts, live)
    notice = None if drafts else drafts_notice(live.hidden)
    if notice:
        click.echo(notice)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    click.echo(f"serving http://{host}:{port}/ ; edit a note and the site rebuilds (Ctrl+C stops)")
    threading.Thread(target=_keep_library, args=(config,), daemon=True).start()
    rebuilder = _Rebuilder(config, drafts, overlay, live)
    try:
        while True:
            time.sleep(POLL_SECONDS)
            current = source_state(config)
            if current == seen:
                continue
            changed = [path for path in current if current[path] != seen.get(path)]
            seen = current
            notes = [p for p in changed if p.parent == config.briefings_dir and p.suffix == ".md"]
            if any(p.parent == config.bibliography_dir and p.suffix == ".bib" for p in changed):
                notes += [n for n in _citing_what_changed(config) if n not in notes]
            _show_at_once(config, notes, folder, overlay, drafts, live)
            rebuilder.request()
    finally:
        server.shutdown()
        server.server_close()
