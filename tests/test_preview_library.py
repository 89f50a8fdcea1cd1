"""Issue 28 item 9: the preview with a real library. `council serve` parses the library once and, when a
.bib file is saved, parses again only that file and re-renders at once the page of a note citing the
entry that changed. Real build, real pandoc, real serve, on a tiny project in a temporary folder."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import TinyProject, free_port
from test_archive_scale import poll

import council.sources.bibliography as bibliography
from council.base.config import load_config

OTHER_BIB = "@book{deltaBook2024,\n  title = {The Delta Book},\n  publisher = {Delta Press},\n  date = {2024},\n}\n"


def revised(bib: Path, old: str, new: str) -> None:
    text = bib.read_text(encoding="utf-8")
    assert old in text
    bib.write_text(text.replace(old, new), encoding="utf-8")


def test_a_bib_edit_shows_on_the_next_quick_page_and_only_that_file_is_parsed_again(
    project: TinyProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    from council.pipeline.quick_page import kept_library, quick_page

    project.bib("other.bib", OTHER_BIB)
    note = project.note("a.md", body="Text [@alphaReport2020] and [@deltaBook2024].\n")
    assert project.build().returncode == 0
    parsed: list[str] = []
    real_read = bibliography.read_bib_file

    def counting_read(path: Path, *args: object) -> bibliography.BibFile:
        parsed.append(path.name)
        return real_read(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(bibliography, "read_bib_file", counting_read)
    config, site, now = load_config(project.root), project.site.resolve(), dt.datetime.now(dt.timezone.utc)
    first = quick_page(config, note, site, now, False)
    assert first is not None and "Alpha Report on Early Warning" in first[1]
    assert sorted(parsed) == ["library.bib", "other.bib"]  # the session's first look parses every file
    library, _ = kept_library(project.root / "bibliography")
    assert {"alphaReport2020", "betaBook2015", "deltaBook2024"} <= library.entries.keys()

    parsed.clear()
    revised(project.root / "bibliography" / "library.bib", "Alpha Report on Early Warning", "Alpha Report Revised")
    page = quick_page(config, note, site, now, False)
    assert page is not None and "Alpha Report Revised" in page[1] and "The Delta Book" in page[1]
    assert parsed == ["library.bib"]  # the other file's entries were kept, not parsed again
    assert quick_page(config, note, site, now, False) is not None and parsed == ["library.bib"]


def test_the_entries_a_bib_save_changed_are_named_and_a_key_in_two_files_is_still_found(
    project: TinyProject,
) -> None:
    from council.pipeline.quick_page import changed_entries, kept_library

    folder = project.root / "bibliography"
    project.bib("other.bib", OTHER_BIB)
    kept_library(folder)
    assert changed_entries(folder) == set()
    revised(folder / "library.bib", "The Beta Book", "The Beta Book, Second Edition")
    revised(folder / "other.bib", "}\n", "}\n\n@book{alphaReport2020,\n  title = {Copy},\n  date = {2020},\n}\n")
    assert changed_entries(folder) == {"betaBook2015", "alphaReport2020"}
    library, problems = kept_library(folder)
    assert library.entries["alphaReport2020"].path.name == "library.bib"  # the first file's copy loads
    assert [p.keys for p in problems if "is used by 2 entries" in p.message] == [("alphaReport2020",)]
    (folder / "other.bib").unlink()
    assert changed_entries(folder) == {"deltaBook2024", "alphaReport2020"}
    assert "deltaBook2024" not in kept_library(folder)[0].entries


def test_serve_shows_an_edited_bib_entry_at_once_on_the_page_citing_it(project: TinyProject) -> None:
    project.bib("other.bib", OTHER_BIB)
    project.note("a.md", title="Alpha", body="Text [@alphaReport2020].\n")
    project.note("d.md", title="Delta", body="Text [@deltaBook2024].\n")
    assert project.build().returncode == 0
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "council", "serve", "--port", str(port)],
        cwd=project.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    url = f"http://127.0.0.1:{port}/briefings/a/"
    try:
        assert poll(url, "Alpha Report on Early Warning", 120) is not None, "the preview never came up"
        time.sleep(2)  # the library is parsed in the background once the site is served
        revised(project.root / "bibliography" / "library.bib", "Alpha Report on Early Warning", "Alpha Revised")
        assert poll(url, "Alpha Revised", 60) is not None
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    # shown by the fast path, for the note citing the entry, not only by the full rebuild
    assert "updated briefings/a/index.html" in output, output
    assert "updated briefings/d/index.html" not in output, output


def test_a_bib_edit_re_renders_at_once_the_latest_saved_notes_citing_it_up_to_the_limit(project: TinyProject) -> None:
    from council.pipeline.quick_page import NOTES_PER_BIB_EDIT, notes_citing

    briefings = project.root / "briefings"
    citing = [
        project.note(f"n{i}.md", body=f"Text [@alphaReport2020, p {i}].\n") for i in range(NOTES_PER_BIB_EDIT + 1)
    ]
    project.note("other.md", body="Text [@betaBook2015] and an address, someone@alphaReport2020.org.\n")
    (briefings / "unreadable.md").write_bytes(b"\xff\xfe [@alphaReport2020]")  # not UTF-8: the build says so
    for age, note in enumerate(reversed(citing)):  # n0 the oldest save, the last one the newest
        os.utime(note, ns=(time.time_ns() - age * 10**9, time.time_ns() - age * 10**9))
    found = notes_citing(briefings, {"alphaReport2020"})
    assert found == list(reversed(citing))[:NOTES_PER_BIB_EDIT]  # exactly at the limit, newest first
    assert notes_citing(briefings, {"betaBook2015"}) == [briefings / "other.md"]
    assert notes_citing(briefings, set()) == []


def test_the_kept_library_reads_a_macro_from_an_earlier_file_as_load_library_does(tmp_path: Path) -> None:
    """Issue 29 in the preview: a file sees the @string macros of the files before it, also when only a
    later file is read again, and a changed macro reaches the files after it."""
    from council.pipeline.quick_page import kept_library
    from council.sources.bibliography import load_library

    folder = tmp_path / "bibliography"
    folder.mkdir()
    (folder / "a-strings.bib").write_text("@string{jgs = {Journal of Genocide Studies}}\n", encoding="utf-8")
    uses = "@article{k2020,\n  title = {T},\n  author = {Doe, Jane},\n  journal = jgs,\n  year = {2020},\n}\n"
    (folder / "b-works.bib").write_text(uses, encoding="utf-8")

    def same_as_load_library() -> None:
        kept, kept_problems = kept_library(folder)
        whole, whole_problems = load_library(folder)
        assert {k: e.for_pandoc or e.raw for k, e in kept.entries.items()} == {
            k: e.for_pandoc or e.raw for k, e in whole.entries.items()
        }
        assert sorted(p.show() for p in kept_problems) == sorted(p.show() for p in whole_problems)

    same_as_load_library()
    assert "Journal of Genocide Studies" in kept_library(folder)[0].entries["k2020"].for_pandoc
    (folder / "b-works.bib").write_text(uses.replace("{T}", "{T2}"), encoding="utf-8")  # the later file alone
    same_as_load_library()
    (folder / "a-strings.bib").write_text("@string{jgs = {Genocide Studies Quarterly}}\n", encoding="utf-8")
    same_as_load_library()
    assert "Genocide Studies Quarterly" in kept_library(folder)[0].entries["k2020"].for_pandoc
