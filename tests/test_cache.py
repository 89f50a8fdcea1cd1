"""The render cache (issue 7): keyed by the content of everything an output depends on, so a change
re-renders exactly what it affects, and a cached build equals a clean one byte for byte."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SAMPLE_NOW, TinyProject, copy_sample_project, png, small_sample

from council.base.cache import ContentCache

EXTRA_ENTRY = """
@online{deltaPage2021,
  title = {Delta Web Page},
  author = {{Delta Institute}},
  date = {2021-03-04},
  url = {https://example.org/delta},
  urldate = {2023-01-31},
}
"""


def rendered(result: subprocess.CompletedProcess[str]) -> int:
    assert result.returncode == 0, result.stderr
    return int(re.search(r"built (\d+)", result.stdout).group(1))


@pytest.fixture
def three_notes(project: TinyProject) -> TinyProject:
    project.note("one.md", title="One", body="Cites alpha [@alphaReport2020].\n")
    project.note("two.md", title="Two", body="Cites beta [@betaBook2015, p 4].\n")
    project.note("three.md", title="Three", body="Cites alpha and gamma [@alphaReport2020; @gammaArticle2022].\n")
    assert rendered(project.build()) == 3
    return project


def edit_bib(project: TinyProject, old: str, new: str) -> None:
    path = project.root / "bibliography" / "library.bib"
    path.write_text(path.read_text().replace(old, new))


def test_nothing_changed_renders_nothing(three_notes: TinyProject) -> None:
    result = three_notes.build()
    assert rendered(result) == 0 and "(site unchanged)" in result.stdout


def test_editing_a_note_renders_only_that_note(three_notes: TinyProject) -> None:
    three_notes.note("two.md", title="Two", body="Cites beta again [@betaBook2015, p 5].\n")
    assert rendered(three_notes.build()) == 1


def test_editing_a_cited_entry_renders_the_notes_that_cite_it(three_notes: TinyProject) -> None:
    edit_bib(three_notes, "Alpha Report on Early Warning", "Alpha Report on Early Warning, Revised")
    assert rendered(three_notes.build()) == 2  # one.md and three.md cite it; two.md does not


def test_adding_an_uncited_entry_renders_nothing(three_notes: TinyProject) -> None:
    path = three_notes.root / "bibliography" / "library.bib"
    path.write_text(path.read_text() + EXTRA_ENTRY)
    result = three_notes.build()
    assert rendered(result) == 0 and "(site unchanged)" not in result.stdout  # the library page is rebuilt


def test_changing_the_style_renders_everything(three_notes: TinyProject) -> None:
    (three_notes.root / "council.yml").write_text("citation_style: chicago-notes-bibliography\n")
    assert rendered(three_notes.build()) == 3


def council_copy(tmp_path: Path) -> Path:
    """council's own code, copied, so a test can edit a template without touching the repository."""
    code = tmp_path / "code"
    shutil.copytree(REPO / "generator" / "council", code / "council", ignore=shutil.ignore_patterns("__pycache__"))
    return code


def build_with(code: Path, project: TinyProject) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(code)}
    return subprocess.run(
        [sys.executable, "-m", "council", "build", "--quiet", "--now", SAMPLE_NOW],
        cwd=project.root,
        capture_output=True,
        text=True,
        env=env,
    )


def test_editing_any_file_of_council_renders_everything(three_notes: TinyProject, tmp_path: Path) -> None:
    """The whole package is in every key (issue 12): no list of the files that matter to forget. A
    copy of the same code elsewhere keeps the cache; an edit anywhere in it, even to a site template
    that only the uncached pages use, renders again."""
    code = council_copy(tmp_path)
    assert rendered(build_with(code, three_notes)) == 0  # the copy is the same code: the cache holds
    site_template = code / "council" / "templates" / "site_briefing.html.j2"
    site_template.write_text(site_template.read_text() + "\n{# edited #}\n")
    assert rendered(build_with(code, three_notes)) == 3
    assert rendered(build_with(code, three_notes)) == 0


def test_a_cached_build_equals_a_clean_build_byte_for_byte(three_notes: TinyProject, tmp_path: Path) -> None:
    three_notes.note("two.md", title="Two", body="Edited [@betaBook2015, p 6].\n")
    edit_bib(three_notes, "Gamma and the Duty to Prevent", "Gamma and the Duty to Protect")
    assert rendered(three_notes.build()) == 2
    clean = tmp_path / "clean"
    clean.mkdir()
    for name in ("briefings", "bibliography"):
        shutil.copytree(three_notes.root / name, clean / name)
    for name in ("council.yml", "mkdocs.yml"):
        shutil.copy(three_notes.root / name, clean / name)
    result = subprocess.run(
        [sys.executable, "-m", "council", "build", "--quiet", "--now", SAMPLE_NOW],
        cwd=clean,
        capture_output=True,
        text=True,
    )
    assert rendered(result) == 3
    cached = {p.relative_to(three_notes.site): p.read_bytes() for p in three_notes.site.rglob("*") if p.is_file()}
    fresh = {p.relative_to(clean / "site"): p.read_bytes() for p in (clean / "site").rglob("*") if p.is_file()}
    assert cached.keys() == fresh.keys()
    assert [str(p) for p in cached if cached[p] != fresh[p]] == []


# --- every kind of input reaches the cached outputs (issue 12) ---------------------------------


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer holds {old!r}: update the edit"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def build_project(root: Path, code: Path) -> subprocess.CompletedProcess[str]:
    """The real command, importing council from `code` (a copy of the package the test may edit)."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    result = subprocess.run(
        [sys.executable, "-m", "council", "build", "--quiet", "--now", SAMPLE_NOW],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    return result


def outputs(root: Path) -> dict[str, bytes]:
    """Every file a build hands to readers: the site (with each PDF, DOCX and report) and the clerks'
    and restricted copies under build/."""
    found = {}
    for name in ("site", "build/reports", "build/restricted"):
        folder = root / name
        if folder.is_dir():
            found.update({f"{name}/{p.relative_to(folder)}": p.read_bytes() for p in folder.rglob("*") if p.is_file()})
    return found


def clean_build(root: Path, code: Path, target: Path) -> dict[str, bytes]:
    """The same sources built with an empty cache, in another folder."""
    shutil.copytree(root, target, ignore=shutil.ignore_patterns("build", "site"))
    build_project(target, code)
    return outputs(target)


# One file of each kind of input, and an edit that shows in the outputs: (kind, file, old, new).
# Package files are relative to the package; the others to the project.
INPUT_EDITS = [
    ("python module", "council/render/templating.py", 'f"{value.day} {value:%B %Y}"', 'f"{value.day} {value:%b %Y}"'),
    ("template", "council/templates/briefing.typ.j2", '"Key points" | typst_string', '"Main points" | typst_string'),
    ("Lua filter", "council/render/common.lua", 'p = "p.",', 'p = "para.",'),
    (
        "vocabularies",
        "council/vocabularies.yml",
        "international-justice: International justice",
        "international-justice: International justice and accountability",
    ),
    (
        "report template",
        "council/templates/report.typ.j2",
        '"Contents" | typst_string',
        '"What this report holds" | typst_string',
    ),
    (
        "configuration",
        "council.yml",
        "organisation: Atrocity Prevention Research Council",
        "organisation: Atrocity Prevention Research Council (test edition)",
    ),
    ("CSL style", "house.csl", '<layout delimiter="; " suffix=".">', '<layout delimiter="; " suffix=" [edited].">'),
]


def test_every_kind_of_input_reaches_the_cached_outputs(tmp_path: Path) -> None:
    """For one file of each kind: edit it, rebuild with the cache, and compare with a build from an
    empty cache. A cache key that misses an input serves the old output, and the two differ."""
    code = council_copy(tmp_path)
    root = small_sample(tmp_path / "project")
    build_project(root, code)
    before = outputs(root)
    stale = {}
    edits = [*INPUT_EDITS, ("image", "briefings/images/map.png", None, None)]
    for number, (kind, name, old, new) in enumerate(edits):
        if kind == "image":
            (root / name).write_bytes(png(b"\xa3\x26\x1b"))
        else:
            replace_in((code if name.startswith("council/") else root) / name, old, new)
        build_project(root, code)
        fresh = clean_build(root, code, tmp_path / f"clean-{number}")
        changed = [name for name in fresh if fresh[name] != before.get(name)]
        # a cached output (PDF, Word file) must change, or the edit could not show a stale entry
        assert any(name.endswith((".pdf", ".docx")) for name in changed), f"the {kind} edit changes no PDF or DOCX"
        cached = outputs(root)
        assert cached.keys() == fresh.keys(), kind
        differing = sorted(name for name in cached if cached[name] != fresh[name])
        if differing:
            stale[kind] = differing
        before = fresh
    assert not stale, "cached outputs differ from a clean build after editing:\n" + "\n".join(
        f"- {kind}: {', '.join(names)}" for kind, names in stale.items()
    )


def test_a_moved_checkout_reuses_every_rendering(tmp_path: Path) -> None:
    """The same sources under another path, with the render cache carried along (as CI restores
    build/cache elsewhere): nothing is rendered again, and the outputs are the same bytes."""
    code = council_copy(tmp_path)
    root = small_sample(tmp_path / "project")
    build_project(root, code)
    moved = tmp_path / "elsewhere" / "checkout"
    shutil.copytree(root, moved, ignore=shutil.ignore_patterns("build", "site"))
    shutil.copytree(root / "build" / "cache", moved / "build" / "cache")
    entries = sorted(p.relative_to(root / "build" / "cache") for p in (root / "build" / "cache").glob("??/*"))
    assert rendered(build_project(moved, code)) == 0
    assert sorted(p.relative_to(moved / "build" / "cache") for p in (moved / "build" / "cache").glob("??/*")) == entries
    assert outputs(moved) == outputs(root)


def test_a_source_keys_the_same_wherever_the_project_lies(tmp_path: Path) -> None:
    """The text a key is made from holds paths relative to the project, and every field of the
    source, even one that repr() leaves out (a report's previous period)."""
    from council.base.config import load_config
    from council.base.keys import portable
    from council.pipeline.site import load_sources

    loaded = []
    for name in ("here", "there"):
        config = load_config(copy_sample_project(tmp_path / name))
        loaded.append((config.root, load_sources(config, ContentCache(config.cache_dir))))
    (here, ours), (there, theirs) = loaded
    assert [portable(b, here) for b in ours.briefings] == [portable(b, there) for b in theirs.briefings]
    assert [portable(r, here) for r in ours.reports] == [portable(r, there) for r in theirs.reports]
    assert str(here) not in "".join(portable(r, here) for r in ours.reports)
    later = next(r for r in ours.reports if r.previous is not None)
    earlier_edited = dataclasses.replace(later.previous, period="2023-24")
    assert portable(dataclasses.replace(later, previous=earlier_edited), here) != portable(later, here)
    moved_note = dataclasses.replace(ours.briefings[0], path=here / "briefings" / "elsewhere.md")
    assert portable(moved_note, here) != portable(ours.briefings[0], here)
