"""Atomic publication's parts, in this process on temporary folders (fast: these are also the tests
`nox -s mutate` runs against generator/council/publish/release.py): the build lock, the staging folder, the
link swap, the fingerprint of the release in place and the pruning of old releases."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from council.publish.release import (
    FINGERPRINT,
    KEEP_RELEASES,
    BuildLocked,
    build_lock,
    clearing_old_outputs,
    current_release,
    publish_release,
    published_fingerprint,
    record_fingerprint,
    staging_area,
)


def built_site(build: Path, marker: str) -> Path:
    site = build / f"built-{marker}"
    (site / "briefings").mkdir(parents=True)
    (site / "index.html").write_text(marker, encoding="utf-8")
    return site


@pytest.fixture
def layout(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(project root, the site link, the releases folder), as the pipeline lays them out."""
    return tmp_path, tmp_path / "site", tmp_path / "build" / "releases"


def test_a_second_build_in_the_same_project_is_refused_while_the_first_holds_the_lock(tmp_path: Path) -> None:
    build = tmp_path / "build"
    with build_lock(build):
        with pytest.raises(BuildLocked, match="another council build is running in this project") as refused:
            with build_lock(build):
                pass
        assert refused.value.exit_code == 3
    with build_lock(build):  # released when the first build ends
        pass
    assert (build / ".lock").is_file()


def test_the_staging_folder_is_inside_build_and_gone_afterwards_even_after_an_error(tmp_path: Path) -> None:
    build = tmp_path / "build"
    with pytest.raises(RuntimeError), staging_area(build) as staging:
        assert staging.parent == build and staging.name.startswith(".staging-") and staging.is_dir()
        (staging / "half-written").write_text("x")
        raise RuntimeError("the build failed")
    assert list(build.iterdir()) == []


def test_a_staging_folder_left_by_a_killed_build_is_removed_by_the_next(tmp_path: Path) -> None:
    build = tmp_path / "build"
    abandoned = build / ".staging-killed"
    (abandoned / "site").mkdir(parents=True)
    keep = build / "cache"
    keep.mkdir()
    with staging_area(build) as staging:
        assert not abandoned.exists() and keep.is_dir() and staging.is_dir()


def test_publishing_swaps_a_relative_link_to_the_new_release(
    layout: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, link, releases = layout
    (root / "elsewhere").mkdir()
    monkeypatch.chdir(root / "elsewhere")  # the link is relative to its own folder, not to where council runs
    first = publish_release(built_site(root / "build", "one"), link, releases)
    assert os.readlink(link) == f"build/releases/{first.name}"  # relative: a moved checkout keeps its site
    assert first.parent == releases and first.name.startswith("site-")
    assert (link / "index.html").read_text() == "one" and current_release(link) == first.resolve()
    second = publish_release(built_site(root / "build", "two"), link, releases)
    assert (link / "index.html").read_text() == "two" and current_release(link) == second.resolve()
    assert first.is_dir()  # the previous release stays, for readers still on it
    assert sorted(p.name for p in root.iterdir()) == ["build", "elsewhere", "site"]  # no temporary link left


def test_the_release_kept_besides_the_current_one_is_the_newest_not_the_last_by_name(
    layout: tuple[Path, Path, Path],
) -> None:
    root, link, releases = layout
    for name, mtime in (("site-zzz", 1_000_000), ("site-aaa", 2_000_000), ("site-mmm", 1_500_000)):
        (releases / name).mkdir(parents=True)
        os.utime(releases / name, (mtime, mtime))
    current = publish_release(built_site(root / "build", "new"), link, releases)
    assert sorted(p.name for p in releases.iterdir()) == sorted(["site-aaa", current.name])


def test_the_releases_folder_and_its_parents_are_made_when_missing(tmp_path: Path) -> None:
    site = built_site(tmp_path, "first")
    releases = tmp_path / "new" / "build" / "releases"
    release = publish_release(site, tmp_path / "site", releases)
    assert release.parent == releases and (tmp_path / "site" / "index.html").read_text() == "first"


def test_only_the_current_and_the_previous_release_are_kept(layout: tuple[Path, Path, Path]) -> None:
    root, link, releases = layout
    published = []
    for number in range(4):
        published.append(publish_release(built_site(root / "build", str(number)), link, releases))
        os.utime(published[-1], (1_000_000 + number, 1_000_000 + number))  # mtimes in publishing order
    assert KEEP_RELEASES == 2
    assert sorted(p for p in releases.iterdir()) == sorted(published[-2:])


def test_a_plain_site_folder_from_an_older_layout_is_replaced_by_the_link(layout: tuple[Path, Path, Path]) -> None:
    root, link, releases = layout
    (link / "old").mkdir(parents=True)
    assert current_release(link) is None  # a folder is not a release
    release = publish_release(built_site(root / "build", "new"), link, releases)
    assert link.is_symlink() and current_release(link) == release.resolve()


def test_a_link_to_nothing_is_no_release(layout: tuple[Path, Path, Path]) -> None:
    _, link, releases = layout
    assert current_release(link) is None
    link.symlink_to("build/releases/site-gone")
    assert current_release(link) is None
    assert published_fingerprint(link, releases) is None


def test_the_fingerprint_counts_only_for_the_release_it_was_recorded_with(layout: tuple[Path, Path, Path]) -> None:
    root, link, releases = layout
    first = publish_release(built_site(root / "build", "one"), link, releases)
    assert published_fingerprint(link, releases) is None  # none recorded yet
    record_fingerprint(link, releases, "abc123")
    assert (releases / FINGERPRINT).read_text() == f"abc123 {first.name}\n"
    assert published_fingerprint(link, releases) == "abc123"
    assert sorted(p.name for p in releases.iterdir()) == sorted([FINGERPRINT, first.name])  # no temporary file
    publish_release(built_site(root / "build", "two"), link, releases)  # killed before recording its own
    assert published_fingerprint(link, releases) is None
    (releases / FINGERPRINT).write_text("damaged\n")
    assert published_fingerprint(link, releases) is None


def test_old_releases_and_docs_are_cleared_while_the_current_release_stays(layout: tuple[Path, Path, Path]) -> None:
    root, link, releases = layout
    build = root / "build"
    old = publish_release(built_site(build, "old"), link, releases)
    current = publish_release(built_site(build, "current"), link, releases)
    (build / "docs" / "briefings").mkdir(parents=True)
    with clearing_old_outputs(link, releases, build):
        assert not (build / "docs").exists()  # moved aside at once: the new docs tree goes there
        (build / "docs").mkdir()
    assert not old.exists() and current.is_dir() and (link / "index.html").read_text() == "current"
    assert sorted(p.name for p in build.iterdir()) == ["docs", "releases"]  # no staging folder left


def test_clearing_with_nothing_published_yet_is_harmless(layout: tuple[Path, Path, Path]) -> None:
    root, link, releases = layout
    with clearing_old_outputs(link, releases, root / "build"):
        pass
    assert not releases.exists()


def test_pruning_is_best_effort_and_never_follows_a_link(layout: tuple[Path, Path, Path]) -> None:
    """An old release that cannot be deleted (here a link someone put among the releases) neither fails
    the build, whose new site is already in place, nor leads the deletion outside build/releases/."""
    root, link, releases = layout
    elsewhere = root / "precious"
    (elsewhere / "data").mkdir(parents=True)
    for number in range(2):
        publish_release(built_site(root / "build", str(number)), link, releases)
    (releases / "site-linked").symlink_to(elsewhere, target_is_directory=True)
    os.utime(releases / "site-linked", (1, 1), follow_symlinks=False)  # the oldest
    publish_release(built_site(root / "build", "last"), link, releases)
    assert (link / "index.html").read_text() == "last"
    assert (elsewhere / "data").is_dir()
