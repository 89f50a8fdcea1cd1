"""Messy real libraries (issue 14): what Mendeley, JabRef and Zotero really export is understood, every
problem is reported at its exact line, and a problem blocks publishing only in an entry that a briefing
or report cites. The fixtures and what each is based on: tests/fixtures/bib/messy/README.md."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO, SAMPLE_NOW, TinyProject

from council.base.cache import ContentCache
from council.sources.bibliography import load_bib_file

MESSY = REPO / "tests" / "fixtures" / "bib" / "messy"


def lines_of(path: Path, text: str) -> list[int]:
    """Every line of the file holding `text`, found independently of council."""
    return [n for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if text in line]


def line_of(path: Path, text: str, occurrence: int = 0) -> int:
    return lines_of(path, text)[occurrence]


def citing_place(note: Path, key: str) -> str:
    """briefings/x.md:LINE:COLUMN of the first citation of `key`."""
    for number, line in enumerate(note.read_text(encoding="utf-8").split("\n"), 1):
        if f"@{key}" in line:
            return f"briefings/{note.name}:{number}:{line.index('@' + key) + 1}"
    raise AssertionError(f"{key} not cited in {note}")


def use(project: TinyProject, *names: str) -> None:
    for name in names:
        shutil.copy(MESSY / name, project.root / "bibliography" / name)


def finding(stderr: str, file: str, line: int, kind: str, words: str) -> list[str]:
    """The lines council printed for one finding: file, line and severity exactly, words in the message."""
    return [
        m for m in re.findall(rf"^bibliography/{re.escape(file)}:{line}: {kind}: (.*)$", stderr, re.M) if words in m
    ]


# (files to install, key, file holding the finding, its line, words of the message): one row per pattern
def _cases() -> list[tuple[tuple[str, ...], str, str, int, str]]:
    repeated, dup_a, dup_b, unreadable, mixed = (
        MESSY / n
        for n in ("repeated-fields.bib", "duplicate-keys-a.bib", "duplicate-keys-b.bib", "unreadable.bib", "mixed.bib")
    )
    authors = [
        line_of(repeated, "author = {Okafor"),
        line_of(repeated, "author = {Pritchard"),
        line_of(repeated, "author = {MacLeod"),
    ]
    titles = lines_of(repeated, "title = {Protection by")
    haddad = lines_of(dup_a, "@book{Haddad2010")
    return [
        (
            ("repeated-fields.bib",),
            "Okafor2014",
            "repeated-fields.bib",
            authors[1],
            f"field 'author' appears 3 times (lines {authors[0]}, {authors[1]}, {authors[2]})",
        ),
        (
            ("repeated-fields.bib",),
            "Lindqvist2012",
            "repeated-fields.bib",
            titles[1],
            f"field 'title' appears 2 times (lines {titles[0]}, {titles[1]})",
        ),
        (
            ("duplicate-keys-a.bib",),
            "Haddad2010",
            "duplicate-keys-a.bib",
            haddad[1],
            f"key 'Haddad2010' is used by 2 entries (bibliography/duplicate-keys-a.bib:{haddad[0]}, "
            f"bibliography/duplicate-keys-a.bib:{haddad[1]})",
        ),
        (
            ("duplicate-keys-a.bib", "duplicate-keys-b.bib"),
            "Pritchard2013",
            "duplicate-keys-b.bib",
            line_of(dup_b, "@article{Pritchard2013"),
            f"key 'Pritchard2013' is used by 2 entries (bibliography/duplicate-keys-a.bib:"
            f"{line_of(dup_a, '@book{Pritchard2013')}, bibliography/duplicate-keys-b.bib:{line_of(dup_b, '@article{Pritch')})",
        ),
        (
            ("unreadable.bib",),
            "Raghunathan2009",
            "unreadable.bib",
            line_of(unreadable, "@book{Raghunathan2009"),
            "entry 'Raghunathan2009' cannot be read: expected `,` or `}` after the value of field 'author' in entry "
            f"'Raghunathan2009', found `publisher`: is a comma missing? (reading stopped at line "
            f"{line_of(unreadable, 'publisher')})",
        ),
        (
            ("mixed.bib",),
            "Castellanos1994",
            "mixed.bib",
            line_of(mixed, "author = {Castellanos, Rosa and"),
            "field 'author' appears 3 times",
        ),
        (
            ("mixed.bib",),
            "Dimitrov2012",
            "mixed.bib",
            line_of(mixed, "@article {Dimitrov2012"),
            "lacks required field(s) 'journaltitle' or 'journal'",
        ),
        (
            ("mixed.bib",),
            "Eriksen2001",
            "mixed.bib",
            line_of(mixed, "@book{Eriksen2001"),
            "found `publisher`: is a comma missing?",
        ),
        (
            ("mixed.bib",),
            "Adeyemi2015",
            "mixed.bib",
            line_of(mixed, "@article{Adeyemi2015", 1),
            f"key 'Adeyemi2015' is used by 2 entries (bibliography/mixed.bib:{line_of(mixed, '@article{Adeyemi2015')}, "
            f"bibliography/mixed.bib:{line_of(mixed, '@article{Adeyemi2015', 1)})",
        ),
    ]


CASES = _cases()


@pytest.mark.parametrize(("files", "key", "file", "line", "words"), CASES, ids=[f"{c[1]}" for c in CASES])
def test_a_problem_is_a_warning_when_uncited_and_an_error_when_cited(
    project: TinyProject, files: tuple[str, ...], key: str, file: str, line: int, words: str
) -> None:
    use(project, *files)
    # nothing cites it: listed by bib check as a warning at its line; check passes with a one-line count
    listed = project.council("bib", "check")
    assert listed.returncode == 0, listed.stderr
    assert len(finding(listed.stderr, file, line, "warning", words)) == 1, listed.stderr
    checked = project.council("check")
    assert checked.returncode == 0, checked.stderr
    assert f"{file}:{line}:" not in checked.stderr
    assert "that no briefing or report cites (not blocking); `council bib check` lists them" in checked.stderr
    # a briefing cites it: an error at the entry's line and at the citing line, in bib check and check
    note = project.note("cites-it.md", body=f"Intro.\n\nAs shown [@{key}, p 4].\n")
    for command in (("bib", "check"), ("check",)):
        result = project.council(*command)
        assert result.returncode == 1, result.stderr
        assert len(finding(result.stderr, file, line, "error", words)) == 1, result.stderr
        assert re.search(
            rf"^{re.escape(citing_place(note, key))}: error: this citation uses '{key}', which has a problem: "
            rf".*\(see bibliography/{re.escape(file)}:{line}\)$",
            result.stderr,
            re.M,
        ), result.stderr


@pytest.mark.parametrize(
    ("name", "key", "anchor", "words"),
    [
        (
            "doi-as-url.bib",
            "Wielgosz2018",
            "doi = {https://doi.org/",
            "DOI written as a web address ('https://doi.org/10.5555/prevention.2018.004'); council reads it as "
            "'10.5555/prevention.2018.004'",
        ),
        (
            "doi-as-url.bib",
            "Raghunathan2020",
            "doi = {http://dx.doi.org/",
            "council reads it as '10.5555/prevention.2020.117'",
        ),
        (
            "several-urls.bib",
            "Lindqvist2017",
            "url = {https://example.org/lindqvist-2017.pdf https",
            "field 'url' holds 2 web addresses separated by a space; council keeps the first, "
            "https://example.org/lindqvist-2017.pdf",
        ),
    ],
)
def test_a_mended_export_format_is_a_warning_that_says_so_and_strict_makes_it_an_error(
    project: TinyProject, name: str, key: str, anchor: str, words: str
) -> None:
    use(project, name)
    line = line_of(MESSY / name, anchor)
    project.note("cites-it.md", body=f"Intro.\n\nAs shown [@{key}].\n")
    # council knows what was meant, so even a cited entry publishes; the warning says what it read
    result = project.council("bib", "check")
    assert result.returncode == 0, result.stderr
    assert len(finding(result.stderr, name, line, "warning", words)) == 1, result.stderr
    assert project.council("check").returncode == 0
    strict = project.council("bib", "check", "--strict")
    assert strict.returncode == 1
    assert len(finding(strict.stderr, name, line, "error", words)) == 1, strict.stderr


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> ContentCache:
    return ContentCache(tmp_path_factory.mktemp("messycache"))


def test_latex_escaped_urls_from_mendeley_and_jabref_are_the_real_addresses(cache: ContentCache) -> None:
    mendeley = load_bib_file(MESSY / "mendeley-escaped-urls.bib", cache)
    jabref = load_bib_file(MESSY / "jabref-escaped-urls.bib", cache)
    assert mendeley.problems == [] and jabref.problems == []
    assert mendeley.csl["Okafor2016"]["URL"] == "https://www.ocf.berkeley.edu/%7B~okafor/papers/warning.pdf"
    assert mendeley.csl["Pritchard2011"]["URL"] == "https://books.google.co.uk/books?hl=en&lr=&id=AbCdEfGh_1&oi=fnd"
    assert jabref.csl["MacLeod2019"]["URL"] == "https://books.google.com/books?hl=en&lr=&id=Xy12_ab"
    assert jabref.csl["Haddad2021"]["URL"] == "https://example.org/%7Ehaddad/report#summary"
    # Mendeley's double-braced titles and escaped ampersands elsewhere are pandoc's to read, as before
    assert mendeley.csl["Okafor2016"]["title"].startswith("Warning without response")


def test_reprint_year_space_before_brace_and_mended_values_reach_citeproc(cache: ContentCache) -> None:
    reprint = load_bib_file(MESSY / "reprint-year.bib", cache)
    assert reprint.problems == []
    item = reprint.csl["Arendt1989"]
    assert item["issued"] == {"date-parts": [[1989]]}
    assert item["original-date"] == {"date-parts": [[1987]]}
    spaced = load_bib_file(MESSY / "space-before-brace.bib", cache)
    assert spaced.problems == [] and spaced.csl["Haddad2015"]["container-title"] == "Journal of Prevention Studies"
    assert spaced.entries[0].line == line_of(MESSY / "space-before-brace.bib", "@article {Haddad2015")
    doi = load_bib_file(MESSY / "doi-as-url.bib", cache)
    assert doi.csl["Wielgosz2018"]["DOI"] == "10.5555/prevention.2018.004"
    several = load_bib_file(MESSY / "several-urls.bib", cache)
    assert several.csl["Lindqvist2017"]["URL"] == "https://example.org/lindqvist-2017.pdf"
    repeated = load_bib_file(MESSY / "repeated-fields.bib", cache)
    # the first copy of a repeated field is kept, as biber does
    assert [a["family"] for a in repeated.csl["Okafor2014"]["author"]] == ["Okafor"]
    assert repeated.csl["Lindqvist2012"]["title"] == "Protection by presence"
    # the entry exported again carries each field once
    raw = next(e.raw for e in repeated.entries if e.key == "Okafor2014")
    assert raw.count("author = ") == 1 and "Pritchard" not in raw


def test_a_library_full_of_uncited_problems_publishes_with_one_line_and_a_cited_one_stops_the_build(
    project: TinyProject,
) -> None:
    for name in sorted(p.name for p in MESSY.glob("*.bib")):
        use(project, name)
    project.note("clean.md")  # cites alphaReport2020 from the tidy library.bib
    listed = project.council("bib", "check")
    assert re.match(r"\d+ works in 12 files: 0 errors, \d+ warnings\n", listed.stderr), listed.stderr
    built = project.council("build", "--quiet", "--now", SAMPLE_NOW)
    assert built.returncode == 0, built.stderr
    assert (project.root / "site" / "index.html").exists()
    # the build lists none of them: one line with the count, and where to see them
    warnings = [line for line in built.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1, built.stderr
    count = re.fullmatch(
        r"bibliography: warning: (\d+) findings in (\d+) entries that no briefing or report cites "
        r"\(not blocking\); `council bib check` lists them",
        warnings[0],
    )
    # what loading finds in the fixtures: 3 repeated fields, 3 duplicate keys, 2 unreadable entries, 3 DOIs
    # written as web addresses and 2 fields with two URLs, in 12 entries (Brandt2003 has two of them)
    assert count and (int(count[1]), int(count[2])) == (13, 12), warnings[0]
    before = (project.root / "site").resolve()
    # a briefing cites an entry with a repeated field: the build stops, naming the entry and the citing line
    note = project.note("cites-messy.md", body="Intro.\n\nSee [@Castellanos1994, p 3].\n")
    failed = project.council("build", "--quiet", "--now", SAMPLE_NOW)
    assert failed.returncode == 1
    line = line_of(MESSY / "mixed.bib", "author = {Castellanos, Rosa and")
    assert f"bibliography/mixed.bib:{line}: error: field 'author' appears 3 times" in failed.stderr
    assert f"{citing_place(note, 'Castellanos1994')}: error: this citation uses 'Castellanos1994'" in failed.stderr
    assert (project.root / "site").resolve() == before, "a failed build leaves the previous site in place"


def test_a_problem_in_a_crossref_parent_counts_as_cited_through_its_child(project: TinyProject) -> None:
    bib = project.bib(
        "volumes.bib",
        (
            "@collection{parentVolume,\n  title = {Prevention in Practice},\n  editor = {Okafor, Adaeze},\n"
            "  editor = {Haddad, Leila},\n  date = {2020},\n}\n\n"
            "@incollection{childChapter,\n  title = {A Chapter},\n  author = {MacLeod, Iain},\n"
            "  crossref = {parentVolume},\n}\n"
        ),
    )
    uncited = project.council("bib", "check")
    assert (
        len(
            finding(
                uncited.stderr,
                "volumes.bib",
                line_of(bib, "editor = {Haddad"),
                "warning",
                "field 'editor' appears 2 times",
            )
        )
        == 1
    ), uncited.stderr
    note = project.note("cites-child.md", body="Intro.\n\nSee [@childChapter].\n")
    cited = project.council("check")
    assert cited.returncode == 1
    assert (
        len(
            finding(
                cited.stderr, "volumes.bib", line_of(bib, "editor = {Haddad"), "error", "field 'editor' appears 2 times"
            )
        )
        == 1
    ), cited.stderr
    assert (
        f"{citing_place(note, 'childChapter')}: error: this citation uses 'parentVolume', which has a problem: field 'editor' appears 2 times"
        in cited.stderr
    )
