"""Writing a file whole or not at all: the one atomic write, used by the cache, the guarded output
writer, the report's own files and every source file council edits; and the one copy of a finished file."""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path
from typing import BinaryIO


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


_FICLONE = 0x40049409  # Linux ioctl: share the source's blocks copy-on-write (btrfs, XFS, bcachefs)


def copy_file(source: Path, target: Path) -> Path:
    """A copy of `source` at `target` that never shares storage with it: a later change to either file
    leaves the other as it was. A reflink where the file system offers one (instant, no extra space
    until either file changes), else a byte copy; whole or not at all, as `write_atomically`."""
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(source, "rb") as reading, open(temporary, "xb") as writing:
            if not _reflinked(reading, writing):
                shutil.copyfileobj(reading, writing, 1024 * 1024)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target


def _reflinked(reading: BinaryIO, writing: BinaryIO) -> bool:
    try:
        import fcntl

        fcntl.ioctl(writing.fileno(), _FICLONE, reading.fileno())
    except (ImportError, OSError):  # not offered here (ext4, tmpfs, another device): copy the bytes
        return False
    return True
