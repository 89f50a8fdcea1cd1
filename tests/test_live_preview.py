"""Issue 21 - a preview that keeps up: `council serve` reloads the open page when its build finishes and
shows a note's problems over the page, in Debian's Chromium; the script doing it is added as pages are
served, so no build output carries it. Issue 13: serve watches what the build's fingerprint reads."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import KEPT_BRIEFINGS, TinyProject, free_port, run_council, small_sample

NOTE = KEPT_BRIEFINGS[1]  # national-atrocity-prevention-strategy.md
PAGE = f"briefings/{Path(NOTE).stem}/"
LIVE_MARK = "__council__"
MARKUP = "<img src=x onerror=window.hacked=1>"  # a workstream no vocabulary has, written as markup


@dataclass
class Server:
    root: Path
    base: str
    process: subprocess.Popen[str]
    lines: queue.Queue[str]

    def wait_for(self, text: str, seconds: float) -> str:
        """The first line of output holding `text`."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            if text in line:
                return line
        raise AssertionError(f"council serve never printed {text!r}")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Server]:
    """Plain `council serve` (the public site) on a small copy of the sample."""
    root = small_sample(tmp_path)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "council", "serve", "--port", str(port)],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()  # type: ignore[union-attr]
    server = Server(root, f"http://127.0.0.1:{port}", process, lines)
    try:
        server.wait_for("serving http://", 240)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_saving_reloads_the_open_page_and_an_error_shows_over_it_until_fixed(served: Server, browser) -> None:  # type: ignore[no-untyped-def]
    note = served.root / "briefings" / NOTE
    page = browser.new_page()
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url) if frame == page.main_frame else None)
    page.goto(f"{served.base}/{PAGE}", wait_until="load")
    assert page.locator("#council-problems").count() == 0
    body = note.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    first_paragraph = next(p for p in body.split("\n\n") if p.strip() and not p.startswith("#"))

    # 1. an edit appears without anyone reloading the page
    edit(note, first_paragraph, first_paragraph + "\n\nA sentence saved just now.")
    page.wait_for_function("() => document.body.innerText.includes('A sentence saved just now.')", timeout=90_000)
    assert len(navigations) >= 2, "the page was reloaded by the preview, not by the test"

    # 2. an error: the problems cover the page, with file:line and the message; an author's words in a
    # message are shown as text, never run as markup
    edit(note, "workstreams: [", f"workstreams: [{MARKUP!r}, ")
    problems = page.locator("#council-problems")
    problems.wait_for(state="visible", timeout=90_000)
    text = problems.inner_text()
    assert f"briefings/{NOTE}:{line_of(note, 'workstreams:')}" in text and MARKUP in text, text
    assert problems.locator("img").count() == 0 and page.evaluate("() => window.hacked") is None
    # it covers the whole window, over the old page
    box, viewport = problems.bounding_box(), page.viewport_size
    assert box is not None and viewport is not None
    assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, viewport["width"], viewport["height"])

    # 3. another error in its place: the problems shown follow the saves
    edit(note, f"{MARKUP!r}, ", "")
    edit(note, "A sentence saved just now.", "A sentence citing [@noSuchWorkAnywhere2099].")
    line = line_of(note, "noSuchWorkAnywhere2099")
    page.wait_for_function(
        "() => document.querySelector('#council-problems')?.innerText.includes('noSuchWork')", timeout=90_000
    )
    text = problems.inner_text()
    assert f"briefings/{NOTE}:{line}" in text, text
    assert "noSuchWorkAnywhere2099" in text and "is not in the bibliography" in text, text
    assert MARKUP not in text
    # a page opened now shows the problems too
    other = browser.new_page()
    other.goto(f"{served.base}/", wait_until="load")
    other.locator("#council-problems").wait_for(state="visible", timeout=10_000)
    assert f"briefings/{NOTE}:{line}" in other.locator("#council-problems").inner_text()
    other.close()

    # 4. fixed and saved: the page comes back, with the fix
    edit(note, "A sentence citing [@noSuchWorkAnywhere2099].", "A sentence fixed since.")
    page.wait_for_function("() => document.body.innerText.includes('A sentence fixed since.')", timeout=90_000)
    problems.wait_for(state="detached", timeout=90_000)
    assert "noSuchWorkAnywhere2099" not in page.content()
    page.close()


def test_the_live_script_is_added_only_as_pages_are_served(served: Server) -> None:
    import urllib.request

    with urllib.request.urlopen(f"{served.base}/{PAGE}") as response:
        assert f'<script src="/{LIVE_MARK}/live.js"></script></body>' in response.read().decode()
    with urllib.request.urlopen(f"{served.base}/{LIVE_MARK}/state") as response:
        assert response.headers["Content-Type"] == "application/json"
    served.process.terminate()
    served.process.wait(timeout=30)
    # neither the site serve built nor a public build holds the script or any mention of it
    assert run_council("build", "--quiet", cwd=served.root).returncode == 0
    for folder in (served.root / "site", served.root / "build"):
        for path in folder.resolve().rglob("*"):
            if path.is_file() and path.suffix in {".html", ".js", ".json", ".md", ".xml"}:
                assert LIVE_MARK not in path.read_text(encoding="utf-8", errors="replace"), path


def test_serve_watches_every_file_the_build_fingerprint_reads(project: TinyProject) -> None:
    """An edit to a project font, the glossary or the project's own CSL changes the build (render keys
    hash them), so serve must see it; before, it missed fonts/."""
    from council.base.config import load_config
    from council.commands.serve import source_state

    project.note("a.md")
    (project.root / "fonts").mkdir()
    font = project.root / "fonts" / "Extra-Regular.ttf"
    font.write_bytes(b"not really a font")
    (project.root / "glossary.yml").write_text("{}\n", encoding="utf-8")
    (project.root / "requests").mkdir()
    request = project.root / "requests" / "R-2026-001.yml"
    request.write_text("id: R-2026-001\n", encoding="utf-8")
    watched = set(source_state(load_config(project.root)))
    expected = {
        font,
        project.root / "glossary.yml",
        project.root / "council.yml",
        project.root / "mkdocs.yml",
        request,
        project.root / "briefings" / "a.md",
        project.root / "bibliography" / "library.bib",
    }
    assert expected <= watched, expected - watched
    assert not any("build" in p.relative_to(project.root).parts for p in watched)


def test_the_script_goes_before_the_last_body_end_or_at_the_end() -> None:
    from council.commands.serve import LIVE_SCRIPT, with_live_script

    script = LIVE_SCRIPT.encode()
    page = b"<html><body><p>a </body> in text</p>\n</BODY></html>"
    assert with_live_script(page) == b"<html><body><p>a </body> in text</p>\n" + script + b"</BODY></html>"
    assert with_live_script(b"<p>no body end") == b"<p>no body end" + script
