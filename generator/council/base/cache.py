"""A content-addressed cache: entries are keyed by hashes of everything they depend on, never mtimes.

Safe to delete at any time; a missing or damaged entry is simply rebuilt.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from council.base.files import write_atomically


def content_key(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part  # UTF-8
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


class ContentCache:
    def __init__(self, root: Path, *, writable: bool = True) -> None:
        self.root = root
        self.writable = writable  # `council check` reads the render cache but writes nothing to it
        self._private = False

    def _path(self, key: str, name: str) -> Path:
        return self.root / key[:2] / key / name

    def path(self, key: str, name: str) -> Path:
        """Where an entry lives, for tools that read files rather than bytes."""
        return self._path(key, name)

    def get(self, key: str, name: str) -> bytes | None:
        try:
            return self._path(key, name).read_bytes()
        except OSError:
            return None

    def put(self, key: str, name: str, data: bytes) -> None:
        if not self.writable:
            return
        path = self._path(key, name)
        if not self._private:  # entries for restricted briefings live here too
            self.root.mkdir(parents=True, exist_ok=True)
            self.root.chmod(0o700)
            self._private = True
        path.parent.mkdir(parents=True, exist_ok=True)
        # Whole or not at all, so a killed build never leaves a truncated entry behind; readable as any
        # file the user writes: site downloads are hard links to these entries.
        write_atomically(path, data)
