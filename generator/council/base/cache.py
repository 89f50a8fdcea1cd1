"""A content-addressed cache: entries are keyed by hashes of everything they depend on, never mtimes.

Safe to delete at any time; a missing or damaged entry is simply rebuilt. Each entry is stored with
the SHA-256 of its bytes beside it, checked whenever the entry is read: a file truncated or altered
after it was written (a full disk, a crash of the machine, a hand edit) is a miss, never an output.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from council.base.files import write_atomically

_DIGEST = ".sha256"  # the suffix of an entry's digest file


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
        """Where an entry lives, for tools that read files rather than bytes; `holds` says whether the
        file there is intact."""
        return self._path(key, name)

    def get(self, key: str, name: str) -> bytes | None:
        """The entry's bytes, or None when it is missing or does not match its digest."""
        path = self._path(key, name)
        try:
            data = path.read_bytes()
            recorded = path.with_name(path.name + _DIGEST).read_bytes()
        except OSError:
            return None
        return data if hashlib.sha256(data).hexdigest().encode() == recorded else None

    def holds(self, key: str, name: str) -> bool:
        """Whether the entry is there and intact: the check before its file is handed to a tool or copied."""
        return self.get(key, name) is not None

    def put(self, key: str, name: str, data: bytes) -> None:
        if not self.writable:
            return
        path = self._path(key, name)
        if not self._private:  # entries for restricted briefings live here too
            self.root.mkdir(parents=True, exist_ok=True)
            self.root.chmod(0o700)
            self._private = True
        path.parent.mkdir(parents=True, exist_ok=True)
        # Whole or not at all, so a killed build never leaves a truncated entry behind; the digest is
        # written last, so an entry without one (killed in between) is a miss.
        write_atomically(path, data)
        write_atomically(path.with_name(path.name + _DIGEST), hashlib.sha256(data).hexdigest())
