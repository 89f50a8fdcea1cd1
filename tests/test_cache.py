"""The render cache (issue 7): keyed by the content of everything an output depends on, so a change
re-renders exactly what it affects, and a cached build equals a clean one byte for byte."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SAMPLE_NOW, TinyProject

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
    shutil.copytree(REPO / "generator", code / "council", ignore=shutil.ignore_patterns("__pycache__"))
    return code


def build_with(code: Path, project: TinyProject) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(code)}
    return subprocess.run([sys.executable, "-m", "council", "build", "--quiet", "--now", SAMPLE_NOW],
                          cwd=project.root, capture_output=True, text=True, env=env)


def test_editing_a_render_template_renders_everything_and_a_site_template_nothing(
        three_notes: TinyProject, tmp_path: Path) -> None:
    code = council_copy(tmp_path)
    assert rendered(build_with(code, three_notes)) == 0  # the copy is the same code: the cache holds
    site_template = code / "council" / "templates" / "site_briefing.html.j2"
    site_template.write_text(site_template.read_text() + "\n{# edited #}\n")
    assert rendered(build_with(code, three_notes)) == 0
    pdf_template = code / "council" / "templates" / "briefing.typ.j2"
    pdf_template.write_text(pdf_template.read_text() + "\n// edited\n")
    assert rendered(build_with(code, three_notes)) == 3


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
    result = subprocess.run([sys.executable, "-m", "council", "build", "--quiet", "--now", SAMPLE_NOW],
                            cwd=clean, capture_output=True, text=True)
    assert rendered(result) == 3
    cached = {p.relative_to(three_notes.site): p.read_bytes() for p in three_notes.site.rglob("*") if p.is_file()}
    fresh = {p.relative_to(clean / "site"): p.read_bytes() for p in (clean / "site").rglob("*") if p.is_file()}
    assert cached.keys() == fresh.keys()
    assert [str(p) for p in cached if cached[p] != fresh[p]] == []
