"""A damaged render cache never reaches readers (issue 26, item 4): the site shares no storage with the
cache, each entry is checked against its digest when read, and a damaged entry is rebuilt."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE_NOW, TinyProject, run_council

from council.base.cache import ContentCache


def inodes(folder: Path) -> dict[tuple[int, int], Path]:
    return {(s.st_dev, s.st_ino): p for p in folder.rglob("*") if p.is_file() and (s := p.stat())}


def outputs(root: Path) -> dict[str, bytes]:
    """Every file a build hands to readers: the site and the restricted copies."""
    found = {}
    for name in ("site", "build/restricted"):
        folder = root / name
        found.update({f"{name}/{p.relative_to(folder)}": p.read_bytes() for p in folder.rglob("*") if p.is_file()})
    return found


def damage(cache: Path) -> int:
    """Truncate every other file of the cache to half its size, and put a byte that is never valid UTF-8
    in the middle of the rest (their size unchanged): a full disk, a crash, a stray edit."""
    files = sorted(p for p in cache.rglob("*") if p.is_file())
    for index, path in enumerate(files):
        data = path.read_bytes()
        if index % 2:
            path.write_bytes(data[: len(data) // 2])
        elif data:
            middle = len(data) // 2
            path.write_bytes(data[:middle] + (b"\xff" if data[middle] != 0xFF else b"\x00") + data[middle + 1 :])
    return len(files)


@pytest.fixture
def built(project: TinyProject) -> TinyProject:
    project.note("one.md", title="One", body="Cites alpha [@alphaReport2020].\n")
    project.note("two.md", title="Two", body="Cites beta [@betaBook2015, p 4].\n")
    project.note("secret.md", title="Sensitive", classification="OFFICIAL-SENSITIVE")
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project


def test_no_file_of_the_site_shares_storage_with_the_cache(built: TinyProject) -> None:
    cache = inodes(built.root / "build" / "cache")
    for folder in (built.site.resolve(), built.root / "build" / "restricted"):
        shared = [str(path) for key, path in inodes(folder).items() if key in cache]
        assert shared == [], f"files of {folder.name} are the cache's own: {shared[:5]}"


def test_a_damaged_cache_is_rebuilt_never_published(built: TinyProject, tmp_path: Path) -> None:
    before = outputs(built.root)
    assert any(name.endswith(".docx") for name in before) and any(name.endswith(".pdf") for name in before)
    assert damage(built.root / "build" / "cache") > 10
    assert outputs(built.root) == before, "damaging the cache changed what readers are served"

    built.note("two.md", title="Two", body="Cites beta again [@betaBook2015, p 6].\n")  # a source edit
    result = built.build()
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr

    clean = tmp_path / "clean"
    shutil.copytree(built.root, clean, ignore=shutil.ignore_patterns("build", "site"))
    run_council("build", "--quiet", "--now", SAMPLE_NOW, cwd=clean, check=True)
    damaged, fresh = outputs(built.root), outputs(clean)
    assert damaged.keys() == fresh.keys()
    assert [name for name in damaged if damaged[name] != fresh[name]] == []


def test_an_entry_that_does_not_match_its_digest_is_a_miss(tmp_path: Path) -> None:
    cache = ContentCache(tmp_path / "cache")
    cache.put("ab" * 32, "page.json", b'{"body": "text"}')
    assert cache.get("ab" * 32, "page.json") == b'{"body": "text"}'
    entry = cache.path("ab" * 32, "page.json")
    for damaged in (b'{"body": "tex', b'{"body": "tExt"}', b"", b'{"body": "text"}\n'):
        entry.write_bytes(damaged)
        assert cache.get("ab" * 32, "page.json") is None
        assert not cache.holds("ab" * 32, "page.json")
    cache.put("ab" * 32, "page.json", b'{"body": "text"}')  # rebuilt: a hit again
    assert cache.holds("ab" * 32, "page.json")
    os.remove(entry.with_name("page.json.sha256"))  # killed between the entry and its digest
    assert cache.get("ab" * 32, "page.json") is None
