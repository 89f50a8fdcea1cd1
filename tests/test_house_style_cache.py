"""The house-style cache (issue 15's cost): a warm run gives exactly what a fresh computation gives, on the
sample's real prose and on a note with every kind of finding; each input in the key invalidates an entry when
it changes; a damaged entry is worked out again; `council check` and `council style` read and write it, and
write nothing else (but style.csv) and never touch the sources."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import REPO, copy_sample_project, run_council

from council.base.config import load_config
from council.base.keys import package_digest
from council.pipeline.site import check as load_checked
from council.sources import style_cache
from council.sources.house_style import CODES, StyleReport, check_house_style
from council.sources.style_cache import NAME, StyleCache

FIXTURE = REPO / "tests" / "fixtures" / "house-style"
NOTE = "briefings/every-finding.md"
TIGHT = (
    "house_style:\n  sentence_max_words: 12\n  key_point_max_words: 8\n  body_max_words: 300\n"
    "  min_reading_ease: 60\n  well_known: [UK]\n"
)  # so that the sample's real prose draws findings


def fixture_project(root: Path) -> Path:
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns("README.md"))
    for name in ("mkdocs.yml", "glossary.yml"):
        shutil.copy(REPO / name, root / name)
    (root / "bibliography").mkdir()
    return root


def tight_sample(root: Path) -> Path:
    copy_sample_project(root)
    with (root / "council.yml").open("a", encoding="utf-8") as stream:
        stream.write(TIGHT)
    return root


def outcome(reports: list[StyleReport]) -> list[tuple]:
    """All a report says, finding by finding: what `council check` prints, its severity and its parts."""
    return [
        (
            r.briefing.slug,
            r.words,
            r.longest_sentence,
            r.summary_ease,
            r.body_ease,
            [(f.show(), f.warning, f.location, f.message, f.field, f.hint) for f in r.findings],
        )
        for r in reports
    ]


def run(root: Path, *, strict: bool = False, cache: StyleCache | None | bool = True) -> list[tuple]:
    """The reports of every note: through `cache` (a new StyleCache if True), or fresh if None."""
    config = load_config(root)
    sources = load_checked(config)
    if cache is True:
        cache = StyleCache(config)
    reports, _ = check_house_style(config, sources.briefings, sources.glossary, strict=strict, cache=cache or None)
    return outcome(reports)


def packs(root: Path) -> list[Path]:
    """The files holding the entries: one for each state of the settings, glossary and package."""
    return sorted((root / "build" / "cache" / "house-style").rglob(NAME))


def entries(root: Path) -> dict[str, list]:
    (pack,) = packs(root)
    return json.loads(pack.read_bytes())


def forbid_computing(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on a report can only come from the cache: working one out fails the test."""

    def computed(*args: object, **kwargs: object) -> None:
        pytest.fail("a report was worked out, not read from the cache")

    monkeypatch.setattr(style_cache, "check_briefing", computed)


def tamper(root: Path) -> None:
    """Change every entry in a way only a cache read would show: a hit is then visible."""
    for pack in packs(root):
        kept = json.loads(pack.read_bytes())
        for entry in kept.values():
            entry[0] = 4242  # words
            entry[4] = [[*finding[:2], "TAMPERED " + finding[2], *finding[3:]] for finding in entry[4]]
        pack.write_text(json.dumps(kept), encoding="utf-8")
        # with its digest, as the cache writes it: an entry that does not match its digest is a miss
        pack.with_name(pack.name + ".sha256").write_text(hashlib.sha256(pack.read_bytes()).hexdigest())


@pytest.mark.parametrize(
    "make", [copy_sample_project, tight_sample, fixture_project], ids=["sample", "sample-tight-limits", "every-finding"]
)
@pytest.mark.parametrize("strict", [False, True], ids=["warnings", "strict"])
def test_warm_reports_are_the_fresh_ones(
    make,
    strict: bool,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = make(tmp_path / "project")
    fresh = run(root, strict=strict, cache=None)
    assert not packs(root)
    cold = run(root)  # written without --strict: the entries serve both
    assert len(entries(root)) == len(fresh)
    if make is not copy_sample_project:
        assert any(findings for *_, findings in fresh), "no findings: the comparison proves little"
    assert cold == run(root, strict=False, cache=None)
    forbid_computing(monkeypatch)
    assert run(root, strict=strict) == fresh


def test_the_fixture_has_every_kind_of_finding(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "project")
    run(root)
    ((_, words, longest, summary_ease, body_ease, findings),) = run(root)
    codes = {f[3].rsplit("[", 1)[1].rstrip("]") for f in findings if f[3].endswith("]")}
    assert codes == set(CODES)
    assert any("gives no reason" in f[3] for f in findings) and any(
        "names no house-style check" in f[3] for f in findings
    )
    lines = [f[2].line for f in findings]
    assert 23 not in lines and 19 in lines  # the allowed long sentence is silenced, the other is not
    assert (words, longest) == (133, 39) and summary_ease < 30 and body_ease < 30


def test_check_and_style_read_the_cache_and_strict_applies_after_it(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "project")
    cold = run_council("check", cwd=root)
    warm = run_council("check", cwd=root)
    assert cold.returncode == warm.returncode == 0
    assert cold.stderr == warm.stderr and "[long-body]" in warm.stderr
    assert len(entries(root)) == 1
    strict = run_council("check", "--strict", cwd=root)
    fresh_strict = run_council("check", "--strict", cwd=fixture_project(tmp_path / "fresh"))
    assert strict.returncode == fresh_strict.returncode == 1
    assert strict.stderr == fresh_strict.stderr and ": error: " in strict.stderr

    tamper(root)
    for args in (("check",), ("check", NOTE), ("check", "--strict")):
        assert "TAMPERED " in run_council(*args, cwd=root).stderr, args
    style = run_council("style", cwd=root, check=True)
    assert "4242" in style.stdout
    assert "4242" in (root / "build" / "style.csv").read_text(encoding="utf-8")


def edit_note(root: Path) -> None:
    path = root / NOTE
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "ministers who decide on sanctions, aid and diplomatic\npressure in time.", "ministers."
        ),
        encoding="utf-8",
    )


def edit_limits(root: Path) -> None:
    with (root / "council.yml").open("a", encoding="utf-8") as stream:
        stream.write("  sentence_max_words: 20\n")


def edit_glossary(root: Path) -> None:
    path = root / "glossary.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "Joint Analysis of Conflict and Stabilisation", "Joint Assessment of Conflict and Stability"
        ),
        encoding="utf-8",
    )


@pytest.mark.parametrize("edit", [edit_note, edit_limits, edit_glossary])
def test_each_input_in_the_key_invalidates(edit, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Were the edited input left out of the key, the warm run would return the findings from before it."""
    root = fixture_project(tmp_path / "project")
    before = run(root)
    edit(root)
    fresh = run(root, cache=None)
    assert fresh != before, "the edit changes no finding: the test proves nothing"
    assert run(root) == fresh
    assert run(root) == fresh  # and the new entry is read back


def test_the_package_digest_is_in_the_key(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "project")
    config = load_config(root)
    fresh = run(root, cache=None)
    run(root, cache=StyleCache(config, package="code A"))
    tamper(root)
    assert "TAMPERED" in str(run(root, cache=StyleCache(config, package="code A")))  # a hit shows
    assert run(root, cache=StyleCache(config, package="code B")) == fresh  # other code: worked out afresh
    assert StyleCache(config).shared == StyleCache(config, package=package_digest()).shared
    assert StyleCache(config).shared != StyleCache(config, package="code A").shared


def test_a_moved_and_touched_project_keeps_its_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = fixture_project(tmp_path / "first")
    run(first)
    moved = tmp_path / "elsewhere" / "second"
    shutil.copytree(first, moved)
    for path in moved.rglob("*"):
        os.utime(path, (1_000_000_000, 1_000_000_000))
    fresh = run(moved, cache=None)
    forbid_computing(monkeypatch)
    assert run(moved) == fresh  # each finding at the moved note's path


ENTRY_DAMAGE = [
    None,
    "many",
    [],
    [1, 1, None, None],
    [1, 1, None, None, [["7", None, "m", None, None]]],
    [1, 1, None, None, [[7, None, "m"]]],
    [1, 1, "50", None, []],
    [1.0, 1, None, None, []],
    [1, 1, None, None, [[7, None, "m", None, 5]]],
]


@pytest.mark.parametrize(
    "damage", [b"", b"not json", b"\xff\xfe\x00", b"[]", b'{"a": [1]', "directory", *map(json.dumps, ENTRY_DAMAGE)]
)
def test_a_damaged_entry_is_worked_out_again(damage: bytes | str, tmp_path: Path) -> None:
    """The whole file damaged (bytes), unreadable (a directory in its place) or one entry damaged (JSON)."""
    root = fixture_project(tmp_path / "project")
    fresh = run(root)
    (pack,) = packs(root)
    if isinstance(damage, bytes):
        pack.write_bytes(damage)
    elif damage == "directory":  # unreadable, and cannot be replaced either: the check goes on without it
        pack.unlink()
        pack.mkdir()
    else:
        pack.write_text(json.dumps({key: json.loads(damage) for key in entries(root)}), encoding="utf-8")
    assert run(root) == fresh
    assert run_council("check", cwd=root).returncode == 0
    if damage != "directory":
        ((words, *_, findings),) = entries(root).values()
        assert words == 133 and findings, "the damaged entry was not written again"


def test_a_full_run_drops_entries_of_deleted_notes_and_a_run_on_one_note_keeps_the_others(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "project")
    shutil.copy(root / NOTE, root / "briefings" / "second.md")
    run_council("check", cwd=root, check=True)
    assert len(entries(root)) == 2
    edit_note(root)
    run_council("check", NOTE, cwd=root, check=True)
    assert len(entries(root)) == 3  # the edited note's new entry, the old one and the other note's
    run_council("check", cwd=root, check=True)
    assert len(entries(root)) == 2
    (root / "briefings" / "second.md").unlink()
    run_council("style", cwd=root, check=True)
    assert len(entries(root)) == 1


def snapshot(root: Path) -> dict[str, bytes | None]:
    return {p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None) for p in root.rglob("*")}


@pytest.mark.parametrize("make", [copy_sample_project, fixture_project], ids=["sample", "every-finding"])
def test_nothing_written_outside_the_cache_and_sources_untouched(make, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = make(tmp_path / "project")
    before = snapshot(root)
    for args in (
        ("check",),
        ("check",),
        ("check", "--strict"),
        ("check", "briefings/" + sorted(p.name for p in (root / "briefings").glob("*.md"))[0]),
        ("style",),
    ):
        run_council(*args, cwd=root)
    after = snapshot(root)
    assert {name: data for name, data in after.items() if name in before} == before  # the sources, byte for byte
    made = sorted(set(after) - set(before))
    cache = "build/cache/house-style"
    outside = [
        name
        for name in made
        if not name.startswith(cache + "/") and name not in ("build", "build/cache", cache, "build/style.csv")
    ]
    assert made and not outside, outside
    assert "build/style.csv" in made  # `council style`'s own output, as before
    assert (root / "build" / "cache" / "house-style").stat().st_mode & 0o077 == 0  # entries quote the notes


def test_config_is_what_the_key_reads(tmp_path: Path) -> None:
    """The settings part of the key is the effective limits, not the file's text: a comment changes nothing."""
    root = fixture_project(tmp_path / "project")
    before = StyleCache(load_config(root)).shared
    with (root / "council.yml").open("a", encoding="utf-8") as stream:
        stream.write("# a comment\n")
    assert StyleCache(load_config(root)).shared == before
