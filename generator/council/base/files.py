"""Writing a file whole or not at all: the one atomic write, used by the cache, the guarded output
writer, the report's own files and every source file council edits."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def write_atomically(path: Path, data: bytes | str, *, mode: int = 0o666) -> Path:
    """Write `data` to a temporary file beside `path`, then rename it over `path`, so a killed process
    never leaves a truncated file. A new file gets `mode` less the umask (the system applies it, so
    nothing has to read the umask); a file being replaced keeps its own permissions."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        try:
            os.chmod(temporary, path.stat().st_mode & 0o7777)
        except FileNotFoundError:
            pass
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path
