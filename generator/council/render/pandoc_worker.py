"""Drive long-lived `pandoc lua` processes (render/worker.lua), one per rendering thread."""
from __future__ import annotations

import json
import os
import subprocess
import tempfile
import threading
from importlib import resources
from typing import Any

from council.errors import ToolError
from council.tools import pandoc_path

# Fixed timestamps inside DOCX files, so that the same sources give the same bytes.
DEFAULT_SOURCE_DATE_EPOCH = "315532800"  # 1980-01-01, the earliest date a ZIP file can hold


class PandocWorker:
    def __init__(self) -> None:
        script = resources.files("council").joinpath("render/worker.lua")
        self._script = str(script)
        env = dict(os.environ)
        env.setdefault("SOURCE_DATE_EPOCH", DEFAULT_SOURCE_DATE_EPOCH)
        self._stderr = tempfile.TemporaryFile()
        self._process = subprocess.Popen(
            [pandoc_path(), "lua", self._script], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self._stderr, text=True, encoding="utf-8", env=env)

    def render(self, request: dict[str, Any]) -> dict[str, Any]:
        assert self._process.stdin and self._process.stdout
        try:
            self._process.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
            self._process.stdin.flush()
            line = self._process.stdout.readline()
        except BrokenPipeError:
            line = ""
        if not line:
            raise ToolError(f"pandoc stopped unexpectedly: {self._read_stderr()}")
        answer = json.loads(line)
        if not answer.get("ok"):
            raise ToolError(f"pandoc could not render this note: {answer.get('error')}")
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
