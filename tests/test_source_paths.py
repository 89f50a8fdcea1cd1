"""Sources resolve inside the project (issue 26, item 5): a note, a library file or an image that leads
outside the project folder, through a symbolic link, is refused with its path by `council check` and
`council build` alike, and is never read."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLE_NOW, TinyProject, png

# Runs council with an audit hook that reports every open() of one file: proof that it was never read.
WATCHING = """
import os, runpy, sys
watched = os.path.realpath(sys.argv.pop(1))
def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        if os.path.realpath(os.fsdecode(args[0])) == watched:
            os.write(2, b"OPENED THE OUTSIDE FILE\\n")
sys.addaudithook(hook)
sys.argv[0] = "council"
runpy.run_module("council", run_name="__main__")
"""

NOTE = """---
title: From elsewhere SENTINEL-OUTSIDE-4471
summary: A note kept outside the project.
key_points: [First point., Second point.]
authors: [Dr Test Author]
date: 2026-02-01
status: published
---

Body text [@alphaReport2020].
"""


def council_watching(watched: Path, root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WATCHING, str(watched), *args], cwd=root, capture_output=True, text=True, timeout=600
    )


def refused_by_check_and_build(project: TinyProject, watched: Path, link: str) -> None:
    """Both commands stop with the link's path and 'outside the project', and neither opens the target."""
    for command in (["check"], ["build", "--quiet", "--now", SAMPLE_NOW]):
        result = council_watching(watched, project.root, *command)
        assert result.returncode != 0, (command, result.stdout)
        assert "OPENED THE OUTSIDE FILE" not in result.stderr, command
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr
        said = [line for line in result.stderr.splitlines() if re.search("outside the (project|repository)", line)]
        assert said and link in said[0], (command, result.stderr)
    published = [p for p in project.site.rglob("*") if p.is_file()] if project.site.exists() else []
    assert not any(b"SENTINEL-OUTSIDE" in p.read_bytes() for p in published)


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


@pytest.fixture
def inside(tmp_path: Path) -> TinyProject:
    (tmp_path / "project").mkdir()
    project = TinyProject(tmp_path / "project")
    project.note("kept.md", title="Kept")
    return project


def test_a_note_linked_from_outside_is_refused_unread(inside: TinyProject, outside: Path) -> None:
    (outside / "note.md").write_text(NOTE, encoding="utf-8")
    (inside.root / "briefings" / "linked.md").symlink_to(outside / "note.md")
    refused_by_check_and_build(inside, outside / "note.md", "briefings/linked.md")


def test_a_link_to_a_system_file_is_never_read(inside: TinyProject, outside: Path) -> None:
    secret = outside / "passwd"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (inside.root / "briefings" / "passwd.md").symlink_to(secret)
    refused_by_check_and_build(inside, secret, "briefings/passwd.md")


def test_a_library_file_linked_from_outside_is_refused_unread(inside: TinyProject, outside: Path) -> None:
    (outside / "extra.bib").write_text(
        "@report{deltaReport2021,\n  title = {Delta SENTINEL-OUTSIDE-4471},\n  author = {{Delta Institute}},\n"
        "  institution = {{Delta Institute}},\n  date = {2021},\n}\n",
        encoding="utf-8",
    )
    (inside.root / "bibliography" / "extra.bib").symlink_to(outside / "extra.bib")
    inside.note("cites.md", title="Cites", body="As Delta found [@deltaReport2021].\n")
    refused_by_check_and_build(inside, outside / "extra.bib", "bibliography/extra.bib")


def test_an_image_linked_from_outside_is_refused_unread(inside: TinyProject, outside: Path) -> None:
    (outside / "chart.png").write_bytes(png(b"\xff\x00\x00") + b"SENTINEL-OUTSIDE-4471")
    (inside.root / "briefings" / "images").mkdir()
    (inside.root / "briefings" / "images" / "chart.png").symlink_to(outside / "chart.png")
    inside.note("pictured.md", title="Pictured", body="![A red chart](images/chart.png)\n\nText [@alphaReport2020].\n")
    refused_by_check_and_build(inside, outside / "chart.png", "briefings/pictured.md")


def test_one_note_named_on_the_command_line_that_leads_outside_is_refused_unread(
    inside: TinyProject, outside: Path
) -> None:
    (outside / "note.md").write_text(NOTE, encoding="utf-8")
    (inside.root / "briefings" / "linked.md").symlink_to(outside / "note.md")
    for command in (["check", "briefings/linked.md"], ["build", "briefings/linked.md"]):
        result = council_watching(outside / "note.md", inside.root, *command)
        assert result.returncode == 1 and "OPENED THE OUTSIDE FILE" not in result.stderr, command
        assert "briefings/linked.md" in result.stderr and "outside the project" in result.stderr, result.stderr
