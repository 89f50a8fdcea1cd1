"""The content-addressed cache (generator/council/base/cache.py) in this process: keys that tell inputs apart, and
entries written whole with their digest, private to the user and readable as the user's files. Fast, so these are
also the tests `nox -s mutate` runs against the cache."""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from pathlib import Path

import pytest

from council.base.cache import ContentCache, content_key


def independent_key(*parts: bytes) -> str:
    """The key written out again from its definition: each part's length (8 bytes, big-endian), then it."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def test_the_key_is_sha256_over_length_prefixed_parts() -> None:
    assert content_key("briefing", b"\x00\xff", "é") == independent_key(b"briefing", b"\x00\xff", "é".encode())
    assert content_key() == hashlib.sha256().hexdigest()


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (("ab", "c"), ("a", "bc")),  # where one part ends matters
        (("a", "b"), ("b", "a")),  # order matters
        (("a",), ("a", "")),  # an empty part is still a part
        (("x" * 256,), ("x" * 255, "x")),  # lengths beyond one byte
    ],
)
def test_different_inputs_give_different_keys(one: tuple[str, ...], other: tuple[str, ...]) -> None:
    assert content_key(*one) != content_key(*other)


def test_text_and_its_utf8_bytes_are_the_same_input() -> None:
    assert content_key("Türkiye") == content_key("Türkiye".encode())


@pytest.fixture
def cache(tmp_path: Path) -> ContentCache:
    return ContentCache(tmp_path / "cache")


def test_an_entry_is_read_back_from_its_content_addressed_place(cache: ContentCache) -> None:
    key = content_key("note")
    assert cache.get(key, "page.json") is None
    cache.put(key, "page.json", b"{}")
    assert cache.get(key, "page.json") == b"{}"
    assert cache.path(key, "page.json") == cache.root / key[:2] / key / "page.json"
    assert cache.path(key, "page.json").read_bytes() == b"{}"
    assert cache.get(key, "briefing.pdf") is None
    assert cache.get(content_key("other"), "page.json") is None


def test_a_new_entry_replaces_the_old_whole_and_leaves_no_temporary_file(cache: ContentCache) -> None:
    key = content_key("note")
    cache.put(key, "briefing.pdf", b"old" * 1000)
    cache.put(key, "briefing.pdf", b"new")
    assert cache.get(key, "briefing.pdf") == b"new"
    assert sorted(p.name for p in cache.path(key, "x").parent.iterdir()) == ["briefing.pdf", "briefing.pdf.sha256"]


def test_the_cache_is_private_and_its_entries_readable_as_the_users_files(cache: ContentCache) -> None:
    key = content_key("note")
    cache.put(key, "briefing.docx", b"docx")
    assert stat.S_IMODE(cache.root.stat().st_mode) == 0o700  # restricted briefings are cached here too
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(cache.path(key, "briefing.docx").stat().st_mode) == 0o666 & ~umask


def test_a_read_only_cache_writes_nothing(tmp_path: Path) -> None:
    reader = ContentCache(tmp_path / "cache", writable=False)
    reader.put(content_key("note"), "page.json", b"{}")
    assert not (tmp_path / "cache").exists()
    assert reader.get(content_key("note"), "page.json") is None


def test_an_existing_cache_folder_is_made_private_on_first_write(tmp_path: Path) -> None:
    (tmp_path / "cache").mkdir(mode=0o755)
    cache = ContentCache(tmp_path / "cache")
    cache.put(content_key("a"), "x", b"1")
    cache.put(content_key("b"), "x", b"2")
    assert stat.S_IMODE((tmp_path / "cache").stat().st_mode) == 0o700
    assert cache.get(content_key("a"), "x") == b"1" and cache.get(content_key("b"), "x") == b"2"


def test_a_cache_in_a_project_never_built_makes_its_folders(tmp_path: Path) -> None:
    cache = ContentCache(tmp_path / "project" / "build" / "cache")
    cache.put(content_key("note"), "page.json", b"{}")
    assert cache.get(content_key("note"), "page.json") == b"{}"


def test_entries_are_written_beside_their_final_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rename is atomic only within one file system: the temporary file must not go to the system's
    temporary folder, here one that does not exist."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-such-folder"))
    cache = ContentCache(tmp_path / "cache")
    cache.put(content_key("note"), "briefing.pdf", b"%PDF")
    assert cache.get(content_key("note"), "briefing.pdf") == b"%PDF"
