"""`council bib check`: every kind of bibliography problem is reported once, at the line to fix."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import REPO, TinyProject, copy_sample_project, run_council

LINT = REPO / "tests" / "fixtures" / "bib" / "lint"
CITED_IN_FIXTURE = ["cleanBook2015", "doiFirst2022", "doiSecond2022", "titleFirst2019", "titleSecond2019",
                    "missingJournal2021", "badDoi2020", "badUrl2018", "badDate2017", "noUrldate2021"]


def line_of(path: Path, text: str) -> int:
    """The line of the fixture holding `text`, found independently of council."""
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if text in line)


def reports(stderr: str) -> list[tuple[str, int, str, str]]:
    """(file, line, kind, message) for every problem council printed."""
    return [(m[1], int(m[2]), m[3], m[4]) for m in re.finditer(r"^(\S+\.bib):(\d+): (error|warning): (.*)$", stderr, re.M)]


def lint_project(project: TinyProject) -> TinyProject:
    (project.root / "bibliography" / "library.bib").unlink()
    for path in LINT.glob("*.bib"):
        shutil.copy(path, project.root / "bibliography" / path.name)
    project.note("cites-all.md", body="Text [" + "; ".join(f"@{k}" for k in CITED_IN_FIXTURE) + "].\n")
    return project


def test_each_problem_is_reported_exactly_once_at_its_line(project: TinyProject) -> None:
    lint_project(project)
    result = project.council("bib", "check")
    assert result.returncode == 1
    main, second = LINT / "main.bib", LINT / "second.bib"
    expected = [
        ("bibliography/main.bib", line_of(main, "@article{doiSecond2022"), "error", "same DOI"),
        ("bibliography/main.bib", line_of(main, "@report{titleSecond2019"), "error", "same title and year"),
        ("bibliography/main.bib", line_of(main, "@article{missingJournal2021"), "error", "'journaltitle' or 'journal'"),
        ("bibliography/main.bib", line_of(main, "doi = {https://doi.org/"), "error", "is not a DOI"),
        ("bibliography/main.bib", line_of(main, "url = {protectionapproaches.org"), "error", "is not a web address"),
        ("bibliography/main.bib", line_of(main, "date = {2017-02-30}"), "error", "is not a date"),
        ("bibliography/main.bib", line_of(main, "@online{noUrldate2021"), "error", "has no 'urldate'"),
        ("bibliography/main.bib", line_of(main, "@book{uncitedBook2010"), "warning", "no briefing cites 'uncitedBook2010'"),
        ("bibliography/main.bib", line_of(main, "@book{brokenBlock2000"), "error", "cannot be read"),
        ("bibliography/second.bib", line_of(second, "@book{cleanBook2015"), "error", "duplicate key 'cleanBook2015'"),
    ]
    found = reports(result.stderr)
    assert len(found) == len(expected), result.stderr
    for path, line, kind, words in expected:
        matching = [f for f in found if f[0] == path and f[1] == line and f[2] == kind and words in f[3]]
        assert len(matching) == 1, f"{path}:{line} {kind} {words!r} not reported once in:\n{result.stderr}"
    # an unreadable block is shown with the text around it, so the author sees what went wrong
    assert "title = {An Entry Whose Braces Never Close," in result.stderr
    assert "9 errors found" in result.stderr


def test_council_check_reports_the_bib_errors_and_shows_uncited_works_as_warnings(project: TinyProject) -> None:
    project.bib("extra.bib", "@online{pageWithoutDate,\n  title = {A Page},\n  author = {Roe, Richard},\n"
                             "  date = {2021},\n  url = {https://example.org/page},\n}\n")
    result = project.council("check")
    assert result.returncode == 1
    assert "bibliography/extra.bib:1: error: @online 'pageWithoutDate' has no 'urldate'" in result.stderr
    project.bib("extra.bib", "@online{pageWithoutDate,\n  title = {A Page},\n  author = {Roe, Richard},\n"
                             "  date = {2021},\n  url = {https://example.org/page},\n  urldate = {2026-01-05},\n}\n")
    result = project.council("check")
    assert result.returncode == 0, result.stderr
    assert "bibliography/extra.bib:1: warning: no briefing cites 'pageWithoutDate'" in result.stderr
    assert "bibliography/library.bib:9: warning: no briefing cites 'betaBook2015'" in result.stderr


def test_the_shipped_bibliography_has_no_errors(tmp_path: Path) -> None:
    root = copy_sample_project(tmp_path)
    result = run_council("bib", "check", cwd=root)
    assert result.returncode == 0, result.stderr
    assert " error:" not in result.stderr
    shipped = (REPO / "bibliography" / "atrocity-prevention.bib").read_text(encoding="utf-8")
    works = len(re.findall(r"^@(?!comment|string|preamble)\w+\{", shipped, re.M | re.I))
    assert result.stdout.startswith(f"ok: {works} works checked")


def test_bib_check_accepts_files_outside_the_project(project: TinyProject) -> None:
    result = project.council("bib", "check", str(LINT / "second.bib"))
    assert result.returncode == 0, result.stderr
    assert "ok: 1 works checked" in result.stdout
