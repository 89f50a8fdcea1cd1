"""A full disk or an immutable folder (issue 26, item 8): one line naming the file, never a traceback,
and the previous site left in place. Real file systems: a tiny tmpfs is a full disk, `chattr +i` an
immutable folder (chmod alone does not stop root)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import TinyProject


def one_line_error(result: subprocess.CompletedProcess[str], *said: str) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert all(text in lines[0] for text in said), lines[0]
    return lines[0]


@pytest.fixture
def immutable() -> Iterator[list[Path]]:
    frozen: list[Path] = []
    yield frozen
    for folder in frozen:
        subprocess.run(["chattr", "-i", str(folder)], check=False)


def freeze(folder: Path, frozen: list[Path]) -> None:
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("this file system has no immutable attribute")
    frozen.append(folder)


def test_an_immutable_releases_folder_is_one_line_and_the_site_stays(
    project: TinyProject, immutable: list[Path]
) -> None:
    project.note("one.md", title="First title")
    assert project.build().returncode == 0
    freeze(project.root / "build" / "releases", immutable)
    project.note("one.md", title="Second title")
    line = one_line_error(project.build(), "cannot write build/releases/", "immutable")
    assert line.startswith("error: ")
    page = (project.site / "briefings" / "one" / "index.html").read_text(encoding="utf-8")
    assert "First title" in page and "Second title" not in page


@pytest.fixture
def tiny_disk(project: TinyProject) -> Iterator[Callable[[str], None]]:
    """Mounts a tmpfs of the given size over build/ (unmounting the last one first)."""
    build = project.root / "build"
    build.mkdir()
    mounted = []

    def mount(size: str) -> None:
        if mounted:
            subprocess.run(["umount", str(build)], check=True)
            mounted.clear()
        if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(build)]).returncode != 0:
            pytest.skip("cannot mount a tmpfs here")
        mounted.append(size)

    yield mount
    if mounted:
        subprocess.run(["umount", str(build)], check=True)


# From a disk full before the first cache entry to one the whole build fits on: each stage in between
# (cache, render scratch, docs tree, site engine, release) meets the full disk at one of them.
SIZES = ["8k", "40k", "60k", "80k", "150k", "1m", "3m", "64m"]


def test_a_full_disk_at_any_stage_is_one_line_and_nothing_half_written(
    project: TinyProject, tiny_disk: Callable[[str], None]
) -> None:
    project.note("one.md", title="Full disk")
    outcomes = []
    for size in SIZES:
        tiny_disk(size)
        result = project.build()
        if result.returncode == 0:
            outcomes.append("built")
            assert (project.site / "briefings" / "one" / "one.pdf").stat().st_size > 1000
            continue
        line = one_line_error(result, "cannot write build/", "No space left on device")
        outcomes.append(line.split(": ")[1].split("/")[1])  # the folder of build/ it was writing
        assert not project.site.exists() or not project.site.resolve().exists(), "a half-written site"
        assert not list((project.root / "build").glob(".staging-*")), "a staging folder was left behind"
    assert outcomes[-1] == "built" and outcomes.count("built") < len(SIZES) - 3, outcomes
