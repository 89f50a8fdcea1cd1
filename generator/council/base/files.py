"""Writing a file whole or not at all: the one atomic write, used by the cache, the guarded output
writer, the report's own files and every source file council edits; and the one copy of a finished file."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


def write_atomically(path: Path, data: bytes | str, *, mode: int = 0o666) -> Path:
    """Write `data` to a temporary file beside `path`, then rename it over `path`, so a killed process
    never leaves a truncated file. A new file gets `mode` less the umask (the system applies it, so
    nothing has to read the umask); a file being replaced keeps its own permissions."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    with _replacing(path) as temporary:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        try:
            os.chmod(temporary, path.stat().st_mode & 0o7777)
        except FileNotFoundError:
            pass
    return path


_FICLONE = 0x40049409  # Linux ioctl: share the source's blocks copy-on-write (btrfs, XFS, bcachefs)


def copy_file(source: Path, target: Path) -> Path:
    """A copy of `source` at `target` that never shares storage with it: a later change to either file
    leaves the other as it was. A reflink where the file system offers one (instant, no extra space
    until either file changes), else a byte copy; whole or not at all, as `write_atomically`."""
    with _replacing(target) as temporary, open(source, "rb") as reading, open(temporary, "xb") as writing:
        if not _reflinked(reading, writing):
            shutil.copyfileobj(reading, writing, 1024 * 1024)
    return target


@contextlib.contextmanager
def _replacing(path: Path) -> Iterator[Path]:
    """A temporary name beside `path` to write; renamed over `path` when the block ends, removed if it
    fails. A failed write names `path` (a full disk raises without a file name, a refused one with the
    temporary name), so the author is told where."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        yield temporary
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        if error.filename in (None, str(temporary)):
            raise OSError(error.errno, error.strerror, str(path)) from error
        raise
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _reflinked(reading: BinaryIO, writing: BinaryIO) -> bool:
    try:
        import fcntl

        fcntl.ioctl(writing.fileno(), _FICLONE, reading.fileno())
    except (ImportError, OSError):  # not offered here (ext4, tmpfs, another device): copy the bytes
        return False
    return True
