"""Atomic publication: a build is assembled in a staging folder and becomes the site in one rename
of a symbolic link, so readers (and `council serve`) never see a half-written site, and a killed
build leaves the previous one in place."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from council.base import checkpoints
from council.base.errors import CouncilError
from council.base.files import write_atomically

KEEP_RELEASES = 2
FINGERPRINT = "fingerprint"  # beside the releases: the inputs of the one the link points at


class BuildLocked(CouncilError):
    exit_code = 3


@contextlib.contextmanager
def build_lock(build_dir: Path) -> Iterator[None]:
    build_dir.mkdir(parents=True, exist_ok=True)
    with open(build_dir / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLocked("another council build is running in this project; wait for it to finish") from None
        yield


@contextlib.contextmanager
def staging_area(build_dir: Path) -> Iterator[Path]:
    """A fresh folder inside build/ (same file system, so renames are atomic), removed afterwards."""
    build_dir.mkdir(parents=True, exist_ok=True)
    for abandoned in build_dir.glob(".staging-*"):  # left by a build that was killed; we hold the lock
        shutil.rmtree(abandoned, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=build_dir))
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def current_release(link: Path) -> Path | None:
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def published_fingerprint(link: Path, releases: Path) -> str | None:
    """The fingerprint of the inputs the current release was built from, if it is still in place."""
    current = current_release(link)
    if current is None:
        return None
    try:
        recorded, release = (releases / FINGERPRINT).read_text().split()
    except (OSError, ValueError):
        return None
    return recorded if release == current.name else None


def record_fingerprint(link: Path, releases: Path, fingerprint: str) -> None:
    """Written after the swap: a build killed in between just leaves the next build to run in full."""
    current = current_release(link)
    assert current is not None
    write_atomically(releases / FINGERPRINT, f"{fingerprint} {current.name}\n")


def publish_release(built_site: Path, link: Path, releases: Path) -> Path:
    """Move a finished site into `releases` and point `link` at it in one atomic rename."""
    releases.mkdir(parents=True, exist_ok=True)
    release = Path(tempfile.mkdtemp(prefix="site-", dir=releases))
    release.rmdir()
    built_site.rename(release)
    checkpoints.reached("release-moved")
    new_link = link.parent / f".{link.name}.new"
    with contextlib.suppress(FileNotFoundError):
        new_link.unlink()
    new_link.symlink_to(os.path.relpath(release, link.parent))
    if link.exists() and not link.is_symlink():  # a plain folder from an older layout
        shutil.rmtree(link)
    checkpoints.reached("link-made")
    os.replace(new_link, link)
    checkpoints.reached("link-swapped")
    _prune(releases, keep={release})
    return release


@contextlib.contextmanager
def clearing_old_outputs(link: Path, releases: Path, build_dir: Path) -> Iterator[None]:
    """Delete, on a thread, while the site is built, what this build leaves behind: every release but
    the current one (after the swap it is the previous) and the previous docs tree. Deleting thousands
    of files takes about a second that nobody needs to wait for."""
    current = current_release(link)
    doomed = [p for p in releases.glob("site-*") if p.is_dir() and p != current] if releases.is_dir() else []
    docs = build_dir / "docs"
    if docs.is_dir():
        doomed.append(docs.rename(Path(tempfile.mkdtemp(prefix=".staging-old-docs-", dir=build_dir)) / "docs"))
    worker = threading.Thread(target=lambda: [shutil.rmtree(p, ignore_errors=True) for p in doomed])
    worker.start()
    try:
        yield
    finally:
        worker.join()
        for folder in {p.parent for p in doomed if p.parent.name.startswith(".staging-")}:
            shutil.rmtree(folder, ignore_errors=True)


def _prune(releases: Path, keep: set[Path]) -> None:
    older = sorted(
        (p for p in releases.iterdir() if p not in keep and p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True
    )
    for stale in older[KEEP_RELEASES - 1 :]:
        shutil.rmtree(stale, ignore_errors=True)
