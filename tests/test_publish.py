"""Stage 4 - publishing: the gate keeps unpublished notes off the site, outputs stay inside their
folder, and a failed build leaves the previous site exactly as it was."""
from __future__ import annotations

import hashlib
import re
import stat
from pathlib import Path

import pytest
from conftest import TinyProject

from council.errors import CouncilError
from council.publish.writer import OutputWriter


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def all_site_text(site: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*")
                     if p.suffix in {".html", ".json", ".xml", ".txt", ".md"})


@pytest.mark.parametrize("relative", ["../escape.html", "/etc/passwd", "a/../../b", ""])
def test_writer_refuses_paths_outside_its_folder(tmp_path: Path, relative: str) -> None:
    writer = OutputWriter(tmp_path / "out")
    with pytest.raises(CouncilError):
        writer.write(relative, "x")
    assert not (tmp_path / "escape.html").exists()


def test_only_published_notes_reach_the_site(project: TinyProject) -> None:
    project.note("public.md", title="Public note")
    project.note("draft.md", title="Draft SENTINEL-DRAFT-7731", status="draft")
    project.note("review.md", title="Review SENTINEL-REVIEW-1208", status="review")
    project.note("sensitive.md", title="Sensitive SENTINEL-SENSITIVE-5521", classification="OFFICIAL-SENSITIVE")
    project.note("embargoed.md", title="Embargoed SENTINEL-EMBARGO-9944", embargo_until="2030-01-01T09:00:00Z")
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
    assert "built 0, reused from cache 2" in project.build().stdout
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
        for href, shown in re.findall(r'<a href="([^"]+)" download>[^<]*</a> '
                                      r'<span class="council-filesize">\(([^)]+)\)</span>', text):
            size = (page.parent / href).stat().st_size
            assert shown == (f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB")
            offered += 1
    assert offered >= 6 * 5  # each published briefing: PDF, Word and three reference files


def test_the_cache_is_private_and_published_files_are_readable(sample_site: Path) -> None:
    assert stat.S_IMODE((sample_site / "build" / "cache").stat().st_mode) == 0o700  # restricted renders live there
    for download in [*(sample_site / "site" / "briefings").rglob("*.pdf"),
                     *(sample_site / "site" / "briefings").rglob("*.ris")]:
        assert download.stat().st_mode & 0o044 == 0o044, f"{download} cannot be read by a web server"
