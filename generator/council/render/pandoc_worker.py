"""council's one pandoc driver (render/worker.lua, with report.lua and common.lua) seen from Python:
long-lived `pandoc lua` processes, one per rendering thread, and the typed requests they answer.
Briefings and the report go through here alike: the same process settings (SOURCE_DATE_EPOCH), the
same scratch folders and the same citation settings."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from council.base.errors import ToolError
from council.base.tools import pandoc_path
from council.citations.style_facts import style_facts
from council.sources.attributes import lua_allowlist

# Fixed timestamps inside DOCX files, so that the same sources give the same bytes.
DEFAULT_SOURCE_DATE_EPOCH = "315532800"  # 1980-01-01, the earliest date a ZIP file can hold


@dataclass(frozen=True)
class CitationStyle:
    """How common.lua resolves citations, the same for a briefing and the report."""

    references: str  # the cited works, CSL JSON
    csl: str  # the style file pandoc reads (citations/styles.py compacts it)
    lang: str
    note_style: bool  # the style makes footnotes (OSCOLA, Chicago notes)
    own_labels: tuple[str, ...]  # locator labels the style defines itself (OSCOLA's "s")
    legal_tables: bool = False  # OSCOLA's tables: cases and legislation under their own headings


def citation_style(style_file: Path, compacted: Path, references: str, lang: str) -> CitationStyle:
    facts = style_facts(style_file)
    return CitationStyle(
        references, str(compacted), lang, facts.note_style, tuple(facts.own_labels), facts.legal_tables
    )


@dataclass(frozen=True)
class DocumentRequest:
    """A document the driver writes whole with pandoc's `writer` (render/formats.py PandocDocument)."""

    writer: str  # "docx", "odt"
    path: str  # where to write it
    reference_doc: str | None  # page size, markings and styles (None: the writer's default)
    front: str  # Markdown before the body (title page, key points...)
    meta: dict[str, str | list[str]]  # document properties: title, author, subject, keywords...
    table: dict[str, int]  # table geometry (render/docx_reference.py table_geometry)
    back: str | None = None  # Markdown after the body (publishing record)
    core: dict[str, str] | None = None  # core properties filled in after pandoc (pandoc would print them)
    epoch: int | None = None  # its created date (SOURCE_DATE_EPOCH for this write; None: the build's)
    at_foot: tuple[str, ...] = ()  # Word paragraph styles set in one frame at the foot of their page (the verso)


@dataclass(frozen=True)
class ImagePlaces:
    """How each output refers to one note image."""

    html: str  # the copy beside the site page
    file: str  # the file itself, read into documents under a name made from its content
    typst: str  # root-relative, as typst reads files


@dataclass(frozen=True)
class BriefingRequest:
    markdown: str
    style: CitationStyle
    references_title: str
    images: dict[str, ImagePlaces]  # target as written -> its places
    abbreviations: dict[str, str]  # HTML: the first use of each term carries <abbr title>
    documents: tuple[DocumentRequest, ...]
    kind: str = "briefing"


def as_json(request: Any) -> str:
    """A request as the driver reads it: dataclasses as objects, without the fields left unset."""

    def plain(value: Any) -> Any:
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            value = dataclasses.asdict(value)
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items() if v is not None}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        return value

    return json.dumps(plain(request), ensure_ascii=False)


def pandoc_environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("SOURCE_DATE_EPOCH", DEFAULT_SOURCE_DATE_EPOCH)
    return env


@contextmanager
def scratch_folder(cache_root: Path) -> Iterator[Path]:
    """A private folder for one render's files, removed after. Inside the project's cache, because
    typst reads only files under the project root."""
    root = cache_root / "scratch"
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root) as folder:
        yield Path(folder)


class PandocWorker:
    """`cwd`: where relative paths in requests point (the report's charts)."""

    def __init__(self, cwd: Path | None = None) -> None:
        script = resources.files("council").joinpath("render/worker.lua")
        self._script = str(script)
        self._stderr = tempfile.TemporaryFile()
        self._process = subprocess.Popen(
            [pandoc_path(), "lua", self._script],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            encoding="utf-8",
            # the attributes authors may write, from the one list (sources/attributes.py): common.lua strips the rest
            env={**pandoc_environment(), "COUNCIL_AUTHOR_ATTRIBUTES": lua_allowlist()},
            cwd=cwd,
        )

    def __enter__(self) -> PandocWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def render(self, request: Any, what: str = "this note") -> dict[str, Any]:
        """`request`: a BriefingRequest, or a report's or the library's request."""
        assert self._process.stdin and self._process.stdout
        try:
            self._process.stdin.write(as_json(request) + "\n")
            self._process.stdin.flush()
            line = self._process.stdout.readline()
        except BrokenPipeError:
            line = ""
        if not line:
            raise ToolError(f"pandoc stopped unexpectedly: {self._read_stderr()}")
        answer = json.loads(line)
        if not answer.get("ok"):
            raise ToolError(f"pandoc could not render {what}: {answer.get('error')}")
        return answer["result"]

    def _read_stderr(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace").strip()[-2000:]

    def close(self) -> None:
        if self._process.poll() is None:
            assert self._process.stdin
            self._process.stdin.close()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
        self._stderr.close()


class WorkerPool:
    """One pandoc worker per thread, started lazily and closed together."""

    def __init__(self) -> None:
        self._local = threading.local()
        self._all: list[PandocWorker] = []
        self._lock = threading.Lock()

    def worker(self) -> PandocWorker:
        worker = getattr(self._local, "worker", None)
        if worker is None:
            worker = PandocWorker()
            self._local.worker = worker
            with self._lock:
                self._all.append(worker)
        return worker

    def close(self) -> None:
        for worker in self._all:
            worker.close()
        self._all.clear()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
