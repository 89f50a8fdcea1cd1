"""Stage 4 - publishing: the gate keeps unpublished notes off the site, outputs stay inside their
folder, and a failed build leaves the previous site exactly as it was."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import KEPT_BRIEFINGS, SAMPLE_NOW, TinyProject, run_council, small_sample

from council.base.errors import CouncilError
from council.publish.writer import OutputWriter


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def all_site_text(site: Path) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in site.rglob("*")
        if p.suffix in {".html", ".json", ".xml", ".txt", ".md"}
    )


@pytest.mark.parametrize("relative", ["../escape.html", "/etc/passwd", "a/../../b", ""])
def test_writer_refuses_paths_outside_its_folder(tmp_path: Path, relative: str) -> None:
    writer = OutputWriter(tmp_path / "out")
    with pytest.raises(CouncilError):
        writer.write(relative, "x")
    assert not (tmp_path / "escape.html").exists()


def test_only_published_notes_reach_the_site(project: TinyProject) -> None:
    project.notes_the_gate_withholds(embargo_until="2030-01-01T09:00:00Z")
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert "withheld by the publication gate 4" in result.stdout
    text = all_site_text(project.site)
    assert "Public note" in text
    for sentinel in ("SENTINEL-DRAFT", "SENTINEL-REVIEW", "SENTINEL-SENSITIVE", "SENTINEL-EMBARGO"):
        assert sentinel not in text
    assert sorted(p.name for p in (project.site / "briefings").iterdir()) == ["public"]


def test_embargo_lifts_at_its_moment(project: TinyProject) -> None:
    project.note("embargoed.md", title="Timed release", embargo_until="2026-12-01T09:00:00Z")
    assert project.council("build", "--quiet", "--now", "2026-12-01T08:59:59Z").returncode == 0
    assert not (project.site / "briefings" / "embargoed").exists()
    assert project.council("build", "--quiet", "--now", "2026-12-01T09:00:00Z").returncode == 0
    assert (project.site / "briefings" / "embargoed" / "index.html").exists()


@pytest.mark.parametrize("breakage", ["unknown key", "bad date", "unknown workstream"])
def test_a_failed_build_leaves_the_previous_site_exactly_as_it_was(project: TinyProject, breakage: str) -> None:
    project.note("good.md")
    assert project.build().returncode == 0
    before = snapshot(project.site)
    if breakage == "unknown key":
        project.note("bad.md", body="Claim [@noSuchWork2020].\n")
    elif breakage == "bad date":
        project.note("bad.md", date="2026-13-45")
    else:
        project.note("bad.md", workstreams=["organized-crime"])
    result = project.build()
    assert result.returncode == 1
    assert "briefings/bad.md:" in result.stderr
    assert snapshot(project.site) == before


def test_builds_swap_in_atomically_and_keep_one_previous_release(project: TinyProject) -> None:
    for edition in range(3):
        project.note("good.md", title=f"Edition {edition}")
        assert project.build().returncode == 0
    assert project.site.is_symlink()
    releases = [p for p in (project.root / "build" / "releases").iterdir() if p.is_dir()]
    assert len(releases) == 2
    assert project.site.resolve() in releases
    assert not list((project.root / "build").glob(".staging-*"))


def test_sources_are_never_modified_by_a_build(project: TinyProject) -> None:
    project.note("good.md")
    sources = project.root / "briefings", project.root / "bibliography"
    before = {str(s): snapshot(s) for s in sources}
    assert project.build().returncode == 0
    assert {str(s): snapshot(s) for s in sources} == before


def test_second_build_reuses_every_rendering(project: TinyProject) -> None:
    project.note("one.md")
    project.note("two.md", title="Second")
    assert "built 2, reused from cache 0" in project.build().stdout
    unchanged = project.build().stdout  # nothing to do: nothing is rendered or read from the cache
    assert "built 0, reused from cache 0" in unchanged and "(site unchanged): its 2 briefings are current" in unchanged
    project.note("two.md", title="Second, edited")
    assert "built 1, reused from cache 1" in project.build().stdout


def test_an_unchanged_rebuild_leaves_the_site_engine_idle(project: TinyProject) -> None:
    project.note("good.md")
    assert project.build().returncode == 0
    release = project.site.resolve()
    again = project.build()
    assert "(site unchanged)" in again.stdout
    assert project.site.resolve() == release


def test_every_download_shows_the_size_of_the_file_the_site_serves(sample_site: Path) -> None:
    offered = 0
    for page in (sample_site / "site").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "data-size-of" not in text, f"{page}: a size was left empty"
        for href, shown in re.findall(
            r'<a href="([^"]+)" download>[^<]*</a> '
            r'<span class="council-filesize">\(([^)]+)\)</span>',
            text,
        ):
            size = (page.parent / href).stat().st_size
            kilobytes = max(1, (size + 512) // 1024)  # to the nearest KB, halves up; a small file is 1 KB, not 0
            assert shown == (f"{kilobytes} KB" if kilobytes < 1024 else f"{size / 1024 / 1024:.1f} MB")
            offered += 1
    assert offered >= 6 * 5  # each published briefing: PDF, Word and three reference files


def test_the_cache_is_private_and_published_files_are_readable(sample_site: Path) -> None:
    assert stat.S_IMODE((sample_site / "build" / "cache").stat().st_mode) == 0o700  # restricted renders live there
    for download in [
        *(sample_site / "site" / "briefings").rglob("*.pdf"),
        *(sample_site / "site" / "briefings").rglob("*.ris"),
    ]:
        assert download.stat().st_mode & 0o044 == 0o044, f"{download} cannot be read by a web server"


# --- atomicity, proved (issue 12) ---------------------------------------------------------------
# The build pauses where a test asks (council/base/checkpoints.py) and is killed exactly there; a reader
# polls site/ through many builds. Both compare with clean builds of the same sources.

BEFORE_SWAP = (
    "sources-loaded",
    "pages-rendered",
    "pdf-cached",
    "docs-tree-written",
    "site-engine-done",
    "pdfs-done",
    "downloads-written",
    "release-moved",
    "link-made",
)
AFTER_SWAP = ("link-swapped", "fingerprint-recorded", "restricted-written")


def council_process(root: Path, **env: str) -> subprocess.Popen[str]:
    """A real build in its own process group, so that a kill takes its PDF workers with it."""
    return subprocess.Popen(
        [sys.executable, "-m", "council", "build", "--quiet", "--now", SAMPLE_NOW],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, **env},
    )


def kill_at(root: Path, stage: str, marker: Path) -> None:
    """Start a build, wait until it pauses at `stage`, and kill it and every process it started."""
    process = council_process(root, COUNCIL_TEST_PAUSE_AT=stage, COUNCIL_TEST_PAUSE_MARKER=str(marker))
    deadline = time.monotonic() + 300
    while not marker.exists():
        if process.poll() is not None:
            raise AssertionError(f"the build ended without reaching '{stage}':\n{process.communicate()[1]}")
        assert time.monotonic() < deadline, f"the build never reached '{stage}'"
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)
    process.communicate()
    assert process.returncode == -signal.SIGKILL


def clean_site(root: Path, target: Path) -> dict[str, str]:
    """The site a build of the same sources makes from nothing, in another folder."""
    shutil.copytree(root, target, ignore=shutil.ignore_patterns("build", "site"))
    run_council("build", "--quiet", "--now", SAMPLE_NOW, cwd=target, check=True)
    return snapshot(target / "site")


def edition_writer(root: Path) -> Callable[[int], None]:
    """Writes edition n of one published briefing: a heading that shows on its page and in its PDF."""
    note = root / "briefings" / KEPT_BRIEFINGS[1]
    original = note.read_text(encoding="utf-8")
    assert "\n## " in original

    def write(number: int) -> None:
        note.write_text(original.replace("\n## ", f"\n## Edition {number}: ", 1), encoding="utf-8")

    return write


def test_a_build_killed_at_every_stage_leaves_a_complete_site(tmp_path: Path) -> None:
    root = small_sample(tmp_path / "project")
    edition = edition_writer(root)
    run_council("build", "--quiet", "--now", SAMPLE_NOW, cwd=root, check=True)
    for number, stage in enumerate(BEFORE_SWAP + AFTER_SWAP):
        previous = snapshot(root / "site")
        edition(number)  # new content, so that every stage (compiling a PDF among them) is reached
        kill_at(root, stage, tmp_path / f"{stage}.reached")
        if stage in BEFORE_SWAP:
            assert snapshot(root / "site") == previous, f"killed at '{stage}', the previous site changed"
        else:  # the new release is in place: it must be whole, exactly what a clean build makes
            assert snapshot(root / "site") == clean_site(root, tmp_path / f"clean-{stage}"), stage
    result = run_council("build", "--quiet", "--now", SAMPLE_NOW, cwd=root)
    assert result.returncode == 0, result.stderr  # the lock died with the killed builds
    assert not list((root / "build").glob(".staging-*"))
    assert snapshot(root / "site") == clean_site(root, tmp_path / "clean-final")


READER = r"""
import hashlib, json, os, sys

site, stop, trees_file = sys.argv[1:4]
trees = json.loads(open(trees_file).read())  # every complete release the site may show
polls, seen, problems = 0, set(), []


def read_release():
    # One resolution of the link per poll, as one reader's visit: every file through that folder.
    folder = os.open(site, os.O_RDONLY | os.O_DIRECTORY)
    found = {}
    try:
        for top, _, files, top_fd in os.fwalk(".", dir_fd=folder):
            for name in files:
                os.stat(site)  # and at every moment the link must lead to a release
                with open(os.open(name, os.O_RDONLY, dir_fd=top_fd), "rb") as stream:
                    found[os.path.normpath(os.path.join(top, name))] = hashlib.sha256(stream.read()).hexdigest()
    finally:
        os.close(folder)
    return found


while not os.path.exists(stop):
    try:
        found = read_release()
    except OSError as error:
        problems.append(f"poll {polls}: {error}")
        continue
    polls += 1
    matches = [number for number, tree in enumerate(trees) if tree == found]
    if matches:
        seen.add(matches[0])
        continue
    near = min(trees, key=lambda tree: len(set(tree.items()) ^ set(found.items())))
    missing = sorted(set(near) - set(found))
    other = sorted(name for name in found if near.get(name) != found[name])
    problems.append(f"poll {polls}: a tree that is no release: missing {missing[:5]}, differing {other[:5]}")
print(json.dumps({"polls": polls, "seen": sorted(seen), "problems": problems[:10], "count": len(problems)}))
"""


def test_a_reader_polling_through_twenty_builds_only_ever_sees_whole_releases(tmp_path: Path) -> None:
    """Two contents take turns, so that every build publishes a different release; a reader in another
    process reads the whole site again and again meanwhile and must find, every time, exactly one of
    the two complete releases: never a missing link, a partial tree or files of two releases."""
    root = small_sample(tmp_path / "project")
    edition = edition_writer(root)
    trees = []
    for number in (0, 1):
        edition(number)
        trees.append(clean_site(root, tmp_path / f"clean-{number}"))
    assert trees[0] != trees[1]
    edition(0)
    run_council("build", "--quiet", "--now", SAMPLE_NOW, cwd=root, check=True)
    (tmp_path / "trees.json").write_text(json.dumps(trees))
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(root / "site"), str(stop), str(tmp_path / "trees.json")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    releases = []
    try:
        for number in range(1, 21):
            edition(number % 2)
            build = council_process(root)
            _, errors = build.communicate()
            assert build.returncode == 0, errors
            releases.append(os.readlink(root / "site"))
    finally:
        stop.touch()
        output, errors = reader.communicate(timeout=120)
    assert reader.returncode == 0, errors
    report = json.loads(output)
    assert all(a != b for a, b in zip(releases, releases[1:], strict=False)), "every build published a release"
    assert report["problems"] == [], f"{report['count']} bad polls of {report['polls']}"
    assert report["seen"] == [0, 1] and report["polls"] >= 40, report
