"""`council bib check`: every kind of bibliography problem is reported once, at the line to fix."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import REPO, TinyProject

FIXTURES = REPO / "tests" / "fixtures"
LINT = FIXTURES / "bib" / "lint"
CITED_IN_FIXTURE = [
    "cleanBook2015",
    "doiFirst2022",
    "doiSecond2022",
    "titleFirst2019",
    "titleSecond2019",
    "missingJournal2021",
    "badDoi2020",
    "badUrl2018",
    "badDate2017",
    "noUrldate2021",
]


def line_of(path: Path, text: str) -> int:
    """The line of the fixture holding `text`, found independently of council."""
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if text in line)


def reports(stderr: str) -> list[tuple[str, int, str, str]]:
    """(file, line, kind, message) for every problem council printed."""
    return [
        (m[1], int(m[2]), m[3], m[4]) for m in re.finditer(r"^(\S+\.bib):(\d+): (error|warning): (.*)$", stderr, re.M)
    ]


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
        # a DOI written as a web address is mended: a warning that says so, even though it is cited
        ("bibliography/main.bib", line_of(main, "doi = {https://doi.org/"), "warning", "DOI written as a web address"),
        ("bibliography/main.bib", line_of(main, "url = {protectionapproaches.org"), "error", "is not a web address"),
        ("bibliography/main.bib", line_of(main, "date = {2017-02-30}"), "error", "is not a date"),
        ("bibliography/main.bib", line_of(main, "@online{noUrldate2021"), "error", "has no 'urldate'"),
        (
            "bibliography/main.bib",
            line_of(main, "@book{uncitedBook2010"),
            "warning",
            "no briefing or report cites 'uncitedBook2010'",
        ),
        # nothing cites the unreadable entry: a warning, with the reader's own reason
        (
            "bibliography/main.bib",
            line_of(main, "@book{brokenBlock2000"),
            "warning",
            "the value of field 'title' opened with `{` is never closed",
        ),
        (
            "bibliography/second.bib",
            line_of(second, "@book{cleanBook2015"),
            "error",
            "key 'cleanBook2015' is used by 2 entries (bibliography/main.bib:2, bibliography/second.bib:2)",
        ),
    ]
    found = reports(result.stderr)
    assert len(found) == len(expected), result.stderr
    for path, line, kind, words in expected:
        matching = [f for f in found if f[0] == path and f[1] == line and f[2] == kind and words in f[3]]
        assert len(matching) == 1, f"{path}:{line} {kind} {words!r} not reported once in:\n{result.stderr}"
    # an unreadable block is shown with the text around it, so the author sees what went wrong
    assert "title = {An Entry Whose Braces Never Close," in result.stderr
    # each error in a cited entry is also reported at the line citing it
    note = project.root / "briefings" / "cites-all.md"
    citing = line_of(note, "@cleanBook2015")
    faulty = [
        "cleanBook2015",
        "doiFirst2022",
        "doiSecond2022",
        "titleFirst2019",
        "titleSecond2019",
        "missingJournal2021",
        "badUrl2018",
        "badDate2017",
        "noUrldate2021",
    ]
    for key in faulty:
        assert re.search(
            rf"^briefings/cites-all.md:{citing}:\d+: error: this citation uses '{key}', which has a problem",
            result.stderr,
            re.M,
        ), key
    assert "uses 'badDoi2020'" not in result.stderr  # a mended DOI does not block
    errors = sum(1 for f in found if f[2] == "error")
    assert f"{errors + len(faulty)} errors found" in result.stderr
    # counts first, then the findings grouped by file
    assert result.stderr.startswith(f"11 works in 2 files: {errors + len(faulty)} errors, 3 warnings\n")
    assert "== bibliography/main.bib: 6 errors, 3 warnings" in result.stderr


def test_council_check_blocks_on_a_problem_in_a_cited_entry_only(project: TinyProject) -> None:
    page = (
        "@online{pageWithoutDate,\n  title = {A Page},\n  author = {Roe, Richard},\n"
        "  date = {2021},\n  url = {https://example.org/page},\n}\n"
    )
    project.bib("extra.bib", page)
    # nobody cites it: a warning, counted on one line that points to `council bib check`
    result = project.council("check")
    assert result.returncode == 0, result.stderr
    assert "extra.bib:1:" not in result.stderr
    assert re.search(
        r"^bibliography: warning: 4 works in the library are not cited yet; "
        r"`council bib check --unused` lists them$",
        result.stderr,
        re.M,
    ), result.stderr
    assert re.search(
        r"^bibliography: warning: 1 finding in 1 entry that no briefing or report cites "
        r"\(not blocking\); `council bib check` lists them$",
        result.stderr,
        re.M,
    ), result.stderr
    listed = project.council("bib", "check")
    assert "bibliography/extra.bib:1: warning: @online 'pageWithoutDate' has no 'urldate'" in listed.stderr
    assert "bibliography/library.bib:9: warning: no briefing or report cites 'betaBook2015'" in listed.stderr
    # cited: an error at the entry and at the citing line
    note = project.note("cites-page.md", body="Intro.\n\nSee [@pageWithoutDate].\n")
    result = project.council("check")
    assert result.returncode == 1
    assert "bibliography/extra.bib:1: error: @online 'pageWithoutDate' has no 'urldate'" in result.stderr
    assert (
        f"briefings/cites-page.md:{line_of(note, '@pageWithoutDate')}:6: error: this citation uses "
        "'pageWithoutDate', which has a problem: @online 'pageWithoutDate' has no 'urldate' (see bibliography/extra.bib:1)"
    ) in result.stderr
    project.bib("extra.bib", page.replace("/page},\n", "/page},\n  urldate = {2026-01-05},\n"))
    result = project.council("check")
    assert result.returncode == 0, result.stderr
    assert "extra.bib" not in result.stderr


def test_bib_check_strict_makes_every_finding_an_error(project: TinyProject) -> None:
    result = project.council("bib", "check", "--strict")
    assert result.returncode == 1
    assert "bibliography/library.bib:9: error: no briefing or report cites 'betaBook2015'" in result.stderr


def test_the_sample_library_has_no_errors(project: TinyProject) -> None:
    """A real, hand-kept library (a frozen copy of the sample's, in tests/fixtures): never the working
    project's own bibliography/, which an author's library may replace."""
    library = FIXTURES / "sample-library" / "atrocity-prevention.bib"
    (project.root / "bibliography" / "library.bib").unlink()
    project.bib("atrocity-prevention.bib", library.read_text(encoding="utf-8"))
    result = project.council("bib", "check")
    assert result.returncode == 0, result.stderr
    assert " error:" not in result.stderr
    works = len(re.findall(r"^@(?!comment|string|preamble)\w+\{", library.read_text(encoding="utf-8"), re.M | re.I))
    assert result.stdout.startswith(f"ok: {works} works checked")


def test_bib_check_accepts_files_outside_the_project(project: TinyProject) -> None:
    result = project.council("bib", "check", str(LINT / "second.bib"))
    assert result.returncode == 0, result.stderr
    assert "ok: 1 works checked" in result.stdout
