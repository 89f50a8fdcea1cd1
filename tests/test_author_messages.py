"""Issue 21, "errors an author understands": every problem of a note in one run, each in the author's
words, at the line to fix, with a hint; and the library's uncited works as one line after them.
Most tests run the real `council` command in-process (click's CliRunner) on a tiny project."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TinyProject
from pydantic import ValidationError

from council.base.errors import CouncilError
from council.base.model import FRONT_MATTER_FIELDS, Briefing, in_utc
from council.base.tools import pandoc_path
from council.commands.cli import cli
from council.sources.briefings import load_briefing
from council.sources.frontmatter import FrontMatter, schema_problems

FRONT = (
    "title: A test briefing\nsummary: A short plain summary.\nkey_points:\n  - First point.\n"
    "  - Second point.\nauthors: [Dr Test Author]\ndate: 2026-02-01\nstatus: published\n"
)


def council(project: TinyProject, *args: str) -> tuple[int, str]:
    """Exit status and what the author sees on stderr, as `council` prints it (cli.main's handling)."""
    result = CliRunner().invoke(cli, [*args, "--project", str(project.root)], standalone_mode=False)
    shown = result.stderr
    if isinstance(result.exception, CouncilError):
        return result.exception.exit_code, shown + result.exception.show() + "\n"
    if result.exception is not None:
        raise result.exception
    return 0, shown


def write(project: TinyProject, name: str, front: str, body: str = "Body text [@alphaReport2020].\n") -> Path:
    return project.raw_note(name, f"---\n{front}---\n\n{body}")


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if text in line)


def problems(stderr: str) -> list[tuple[str, str, str, str]]:
    """(place, kind, message, hint) of every problem printed."""
    found = re.finditer(r"^(\S+?:\d+(?::\d+)?): (error|warning|note): (.*)\n(?:    hint: (.*))?", stderr, re.M)
    return [(m[1], m[2], m[3], m[4] or "") for m in found]


def reported(stderr: str, place: str, message: str, hint: str | None = None) -> bool:
    return any(p == place and message in m and (hint is None or hint in h) for p, _, m, h in problems(stderr))


# --- every problem at once ----------------------------------------------------------------------------------


def test_a_bad_workstream_does_not_hide_a_misspelt_key_or_anything_else(project: TinyProject) -> None:
    path = write(
        project,
        "sahel.md",
        FRONT.replace("status: published", "status: Published") + "workstreams: conflict-prevention\ntittle: x\n",
        "Intro [@alphaReprot2020].\n\n# Why this matters\n\nText.\n",
    )
    code, stderr = council(project, "check")
    assert code == 1
    name = "briefings/sahel.md"
    assert reported(stderr, f"{name}:{line_of(path, 'workstreams')}", "field 'workstreams'")
    assert reported(stderr, f"{name}:{line_of(path, 'status')}", "field 'status'")
    assert reported(
        stderr,
        f"{name}:{line_of(path, 'Intro')}:8",
        "citation key '@alphaReprot2020' is not in the bibliography",
        "did you mean '@alphaReport2020'?",
    )
    assert reported(stderr, f"{name}:{line_of(path, 'tittle')}", "unknown field 'tittle'", "did you mean 'title'?")
    assert reported(stderr, f"{name}:{line_of(path, '# Why')}:1", "the sections start at '#' ('Why this matters')")
    assert "4 errors found; nothing was written." in stderr


def test_a_note_with_broken_yaml_still_has_its_body_checked_and_still_cites_its_works(project: TinyProject) -> None:
    code, clean = council(project, "check")
    assert code == 0 and "3 works in the library are not cited yet" in clean  # nothing cites the tiny library
    path = write(
        project,
        "broken.md",
        FRONT.replace("title: A test briefing", 'title: "A test briefing'),
        "See [@betaBook2015] and [@gamaArticle2022].\n",
    )
    code, stderr = council(project, "check")
    assert code == 1
    assert reported(stderr, f"briefings/broken.md:{line_of(path, 'title')}:8", "the quote opened here is never closed")
    assert reported(
        stderr,
        f"briefings/broken.md:{line_of(path, 'See')}:26",
        "'@gamaArticle2022' is not in the bibliography",
        "did you mean '@gammaArticle2022'?",
    )
    # betaBook2015 is cited by the broken note: only alphaReport2020 and gammaArticle2022 are uncited
    assert "2 works in the library are not cited yet" in stderr


def test_works_nothing_cites_are_one_line_after_the_authors_own_problems(project: TinyProject) -> None:
    write(project, "one.md", FRONT.replace("status: published\n", ""))
    code, stderr = council(project, "check")
    assert code == 1
    lines = stderr.rstrip("\n").split("\n")
    assert lines[-2] == (
        "bibliography: warning: 2 works in the library are not cited yet; `council bib check --unused` lists them"
    )
    assert lines[0].startswith("briefings/one.md:")
    assert "no briefing or report cites" not in stderr


def test_bib_check_unused_lists_the_works_nothing_cites(project: TinyProject) -> None:
    write(project, "one.md", FRONT)  # cites alphaReport2020
    result = CliRunner().invoke(cli, ["bib", "check", "--unused", "--project", str(project.root)])
    assert result.exit_code == 0, result.output
    library = project.root / "bibliography" / "library.bib"
    assert result.stdout.split("\n")[:3] == [
        f"bibliography/library.bib:{line_of(library, '@book{betaBook2015')}: betaBook2015",
        f"bibliography/library.bib:{line_of(library, '@article{gammaArticle2022')}: gammaArticle2022",
        "2 works in the library are not cited by any briefing or report",
    ]
    assert "alphaReport2020" not in result.stdout


# --- no schema jargon ---------------------------------------------------------------------------------------

MESSAGES = {
    "recommendation as a number": (
        "recommendations: [3]\n",
        "recommendations",
        "field 'recommendations': recommendation 1 is written as the number 3; the brief numbers its "
        "recommendations in Roman numerals, so write III",
        "`council vocab recommendations` lists the six",
    ),
    "one workstream without a list": (
        "workstreams: conflict-prevention\n",
        "workstreams",
        "field 'workstreams': this must be a list, even of one item; here it is 'conflict-prevention'",
        "write `workstreams: [conflict-prevention]`, or put the item on its own line under it as "
        "'  - conflict-prevention'",
    ),
    "status in the wrong case": (
        "status: Published\n",
        "status",
        "field 'status': the value is 'Published'; it must be one of: draft, review, published, withdrawn",
        "write 'published' exactly as shown: the case matters",
    ),
    "a classification not in the list": (
        "classification: SECRET\n",
        "classification",
        "field 'classification': the value is 'SECRET'; it must be one of: OFFICIAL, OFFICIAL-SENSITIVE",
        "use OFFICIAL or OFFICIAL-SENSITIVE",
    ),
    "a date that is not a date": (
        "date: 14/03/2026\n",
        "date",
        "field 'date': the value is '14/03/2026', not a date",
        "write dates as YYYY-MM-DD",
    ),
    "a list where text belongs": (
        "title: [One, Two]\n",
        "title",
        "field 'title': the value is a list, not text",
        "give the note's title on one line",
    ),
}


@pytest.mark.parametrize("case", MESSAGES.values(), ids=MESSAGES.keys())
def test_front_matter_mistakes_are_said_in_the_authors_terms(project: TinyProject, case: tuple) -> None:
    line, field, message, hint = case
    name = line.split(":")[0]
    front = "".join(row for row in FRONT.splitlines(keepends=True) if not row.startswith(f"{name}:")) + line
    path = write(project, "note.md", front)
    code, stderr = council(project, "check")
    assert code == 1
    assert reported(stderr, f"briefings/note.md:{line_of(path, field + ':')}", message, hint), stderr
    assert "Input should" not in stderr and "after validation" not in stderr


def test_one_key_point_needs_two_to_six(project: TinyProject) -> None:
    path = write(project, "note.md", FRONT.replace("  - Second point.\n", ""))
    code, stderr = council(project, "check")
    assert code == 1
    assert reported(
        stderr,
        f"briefings/note.md:{line_of(path, 'key_points')}",
        "field 'key_points': there is 1 key point; 2 to 6 are needed",
        "give 2 to 6 short bullet points",
    )
    write(project, "note.md", FRONT.replace("  - Second point.\n", "".join(f"  - Point {n}.\n" for n in range(7))))
    code, stderr = council(project, "check")
    assert "there are 8 key points; 2 to 6 are needed" in stderr


def test_a_missing_summary_says_what_a_summary_is_and_its_limit(project: TinyProject) -> None:
    write(project, "note.md", FRONT.replace("summary: A short plain summary.\n", ""))
    code, stderr = council(project, "check")
    assert code == 1
    assert reported(
        stderr,
        "briefings/note.md:1",
        "field 'summary': this required field is missing",
        "the summary is plain text of at most 120 words: what a busy reader needs to know",
    ), stderr


BASE = {
    "title": "T",
    "summary": "S",
    "key_points": ["a", "b"],
    "authors": ["A"],
    "date": dt.date(2026, 1, 1),
    "status": "draft",
    "lang": "en-GB",
}
ODD_VALUES = [
    None,
    True,
    3,
    3.5,
    "",
    "text",
    "Draft",
    [],
    [3],
    ["a"],
    [None],
    [[1]],
    {"a": 1},
    [{"a": 1}],
    dt.date(2026, 1, 1),
    dt.datetime(2026, 1, 1, 9),
    {"x": "synergy"},
    {3: "tension"},
    ["a"] * 7,
    "x" * 300,
    [""],
    ["word " * 50],
    [{"date": "soon", "note": "n"}],
    [{"date": dt.date(2026, 1, 1)}],
    [{"date": dt.date(2026, 1, 1), "note": ""}],
    [{"date": dt.date(2026, 1, 1), "note": "n", "x": 1}],
    ["Not A Slug"],
]
JARGON = re.compile(
    r"Input should|should have|should match|Field required|Extra inputs|after validation|"
    r"valid dictionary|instance of|pattern|Value error|String|List |argument|Arguments"
)


def test_every_schema_error_a_front_matter_can_reach_gets_a_plain_message() -> None:
    """Each field given each odd value (None, a number, a list, a mapping, a date, too long, ...): whatever
    pydantic finds, the author reads council's words, never pydantic's."""
    seen_types = set()
    for name in FRONT_MATTER_FIELDS:
        for value in ODD_VALUES:
            values = {**BASE, name: value}
            if value is None and name in BASE:
                del values[name]
            try:
                Briefing(path=Path("briefings/x.md"), slug="x", body="", body_start_line=3, **values)
            except ValidationError as exc:
                front = FrontMatter(Path("briefings/x.md"), values, {key: 2 for key in values})
                for error, problem in zip(exc.errors(), schema_problems(front, exc, Briefing, {}), strict=False):
                    seen_types.add(error["type"])
                    assert not JARGON.search(problem.message), (name, value, error["type"], problem.message)
                    assert error["msg"] not in problem.message or error["type"] == "value_error"
    # the kinds a note can really reach, so that a new one is noticed here
    assert {
        "missing",
        "string_type",
        "tuple_type",
        "too_short",
        "too_long",
        "literal_error",
        "datetime_from_date_parsing",
        "date_from_datetime_parsing",
        "arguments_type",
        "unexpected_keyword_argument",
        "string_pattern_mismatch",
        "string_too_long",
        "string_too_short",
        "value_error",
        "date_from_datetime_inexact",
    } <= seen_types, seen_types


# --- the right place ----------------------------------------------------------------------------------------


def test_a_long_key_point_is_reported_at_its_bullet_with_its_word_count(project: TinyProject) -> None:
    long_point = " ".join(["word"] * 45)
    path = write(project, "note.md", FRONT.replace("  - Second point.\n", f"  - Second point.\n  - {long_point}\n"))
    code, stderr = council(project, "check")
    assert code == 1
    assert reported(
        stderr,
        f"briefings/note.md:{line_of(path, long_point)}",
        "field 'key_points': key point 3 has 45 words; the limit is 40",
        "one idea",
    ), stderr


def test_a_tab_in_yaml_says_to_indent_with_spaces(project: TinyProject) -> None:
    path = write(project, "note.md", FRONT.replace("  - Second point.", "\t- Second point."))
    code, stderr = council(project, "check")
    assert code == 1
    assert reported(
        stderr,
        f"briefings/note.md:{line_of(path, 'Second point')}:1",
        "tabs are not allowed; indent with spaces",
        "replace the tab with spaces",
    ), stderr
    assert "cannot start any token" not in stderr


@pytest.mark.parametrize("quote", ['"', "'"])
def test_an_unclosed_quote_is_reported_on_the_line_that_opens_it(project: TinyProject, quote: str) -> None:
    path = write(project, "note.md", FRONT.replace("summary: A short", f"summary: {quote}A short"))
    code, stderr = council(project, "check")
    assert code == 1
    assert reported(
        stderr,
        f"briefings/note.md:{line_of(path, 'summary')}:10",
        "the quote opened here is never closed",
        "end the text with the same quote mark it starts with",
    ), stderr


def test_a_bad_byte_after_a_byte_order_mark_is_reported_as_it_is(project: TinyProject) -> None:
    path = project.root / "briefings" / "note.md"
    text = f"---\n{FRONT}---\n\nCaf\u00e9 text.\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8").replace(b"text", b"t\xe9xt"))
    code, stderr = council(project, "check")
    assert code == 1
    # the line "Café t?xt." : the bad byte is the 7th character, after the 4 of "Café" and the space and "t"
    assert reported(
        stderr,
        f"briefings/note.md:{FRONT.count(chr(10)) + 4}:7",
        "the file is not valid UTF-8 (byte 0xe9)",
        "save the file as UTF-8",
    ), stderr


# --- a literal @ and a second top-level heading -------------------------------------------------------------


def test_an_at_sign_in_prose_is_a_citation_and_the_hint_says_how_to_write_it(project: TinyProject) -> None:
    path = write(project, "note.md", FRONT, "Follow @council for news [@alphaReport2020].\n")
    code, stderr = council(project, "check")
    assert code == 1
    assert reported(
        stderr,
        f"briefings/note.md:{line_of(path, 'Follow')}:8",
        "citation key '@council' is not in the bibliography",
        "for a literal @, not a citation, write '\\@council'",
    ), stderr
    write(project, "note.md", FRONT, "Follow \\@council for news [@alphaReport2020]; mail a@b.org.\n")
    code, stderr = council(project, "check")
    assert code == 0, stderr


def test_sections_that_start_at_one_hash_are_moved_down_a_level_with_a_note(project: TinyProject) -> None:
    """Issue 28 item 3: `#` sections are not an error; every heading pandoc sees moves one level down (pandoc
    itself is the oracle for what is a heading), and the author is told once, at the first one."""
    body = (
        "Intro [@alphaReport2020].\n\n# Why this matters\n\nText.\n\n"
        "Underlined\n==========\n\n```\n# a comment in code\n```\n\n## A section\n\n#hashtag\n"
    )
    path = write(project, "note.md", FRONT, body)
    code, stderr = council(project, "check")
    assert code == 0, stderr
    assert reported(
        stderr,
        f"briefings/note.md:{line_of(path, '# Why')}:1",
        "the sections start at '#' ('Why this matters')",
        "nothing to do",
    ), stderr
    assert stderr.count(": note: ") == 1
    before = pandoc_headings(body)
    after = pandoc_headings(load_briefing(path).body)
    assert [level for level, _ in after] == [level + 1 for level, _ in before]
    assert (
        [text for _, text in after] == [text for _, text in before] == ["Why this matters", "Underlined", "A section"]
    )
    # line numbers stay true: every other line is as written
    assert load_briefing(path).body.count("\n") == ("\n" + body).count("\n")


def pandoc_headings(markdown: str) -> list[tuple[int, str]]:
    document = json.loads(
        subprocess.run(
            [pandoc_path(), "-f", "markdown", "-t", "json"], input=markdown, capture_output=True, text=True, check=True
        ).stdout
    )
    found = []
    for block in document["blocks"]:
        if block["t"] == "Header":
            words = [item["c"] if item["t"] == "Str" else " " for item in block["c"][2]]
            found.append((block["c"][0], "".join(words)))
    return found


# --- embargo time zones -------------------------------------------------------------------------------------


def test_an_embargo_time_without_a_zone_is_utc_and_check_warns(project: TinyProject) -> None:
    path = write(project, "note.md", FRONT + "embargo_until: 2026-06-01T09:00:00\n")
    code, stderr = council(project, "check")
    assert code == 0
    assert reported(
        stderr,
        f"briefings/note.md:{line_of(path, 'embargo_until')}",
        "field 'embargo_until': this time has no zone, so it is read as 09:00 UTC (10:00 in London)",
        "add the zone: 2026-06-01T09:00:00Z for UTC, or 2026-06-01T09:00:00+01:00",
    ), stderr
    write(project, "note.md", FRONT + "embargo_until: 2026-12-01\n")
    code, stderr = council(project, "check")
    assert "this date has no time or zone, so the embargo ends at 00:00 UTC" in stderr
    assert "in London" not in stderr  # London keeps UTC in December
    write(project, "note.md", FRONT + "embargo_until: 2026-06-01T09:00:00+01:00\n")
    code, stderr = council(project, "check")
    assert code == 0 and "embargo_until" not in stderr


def test_an_embargo_without_a_zone_is_read_as_utc() -> None:
    utc = dt.timezone.utc
    assert in_utc(dt.datetime(2026, 6, 1, 9)) == dt.datetime(2026, 6, 1, 9, tzinfo=utc)
    assert in_utc(dt.date(2026, 6, 1)) == dt.datetime(2026, 6, 1, tzinfo=utc)
    bst = dt.timezone(dt.timedelta(hours=1))
    assert in_utc(dt.datetime(2026, 6, 1, 9, tzinfo=bst)) == dt.datetime(2026, 6, 1, 8, tzinfo=utc)
    assert in_utc(None) is None


def test_a_literal_at_sign_prints_as_written_in_every_format(project: TinyProject) -> None:
    """The escape the hint gives really prints an `@`, on the page, in the Word file and in the PDF."""
    import subprocess
    import zipfile

    write(project, "note.md", FRONT, "Follow \\@council for news [@alphaReport2020].\n")
    result = project.build()
    assert result.returncode == 0, result.stderr
    folder = project.site / "briefings" / "note"
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert "Follow @council for news" in page and "\\@" not in page
    with zipfile.ZipFile(folder / "note.docx") as docx:
        assert "@council" in docx.read("word/document.xml").decode("utf-8")
    text = subprocess.run(["pdftotext", str(folder / "note.pdf"), "-"], capture_output=True, text=True).stdout
    assert "Follow @council for news" in " ".join(text.split())


def test_the_readmes_front_matter_example_passes_check(project: TinyProject) -> None:
    """An author copies the README's example: it must work as written (its request id once did not). It is
    checked in a tiny project with the one request it answers (tests/fixtures), never in the working project."""
    from conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(---\ntitle: .*?\n---\n)```", readme, re.S)
    assert example, "the README's front-matter example is gone"
    shutil.copytree(REPO / "tests" / "fixtures" / "readme-example" / "requests", project.root / "requests")
    write(project, "copied-example.md", example[1].removeprefix("---\n").removesuffix("---\n"))
    code, stderr = council(project, "check")
    assert code == 0, stderr
    assert " error:" not in stderr


@pytest.mark.parametrize(
    ("wrong", "right", "message", "hint"),
    [
        (
            "title: A test briefing",
            "title: @council at work",
            "a value cannot start with '@' unless it is in quotes",
            "put quotes around the whole value",
        ),
        (
            "  - Second point.",
            " - Second point.",
            "this line is not indented like the lines above it",
            "line up the items of a list",
        ),
        (
            "title: A test briefing",
            "title: Sudan: the next steps",
            "this ': ' cannot be read here",
            "put quotes around text that contains ': '",
        ),
    ],
    ids=["at sign", "list item out of line", "colon in text"],
)
def test_other_yaml_slips_are_said_plainly_at_their_line(
    project: TinyProject, wrong: str, right: str, message: str, hint: str
) -> None:
    path = write(project, "note.md", FRONT.replace(wrong, right))
    code, stderr = council(project, "check")
    assert code == 1
    found = [p for p in problems(stderr) if p[0].startswith(f"briefings/note.md:{line_of(path, right.strip())}:")]
    assert found and message in found[0][2] and hint in found[0][3], stderr
    assert "not valid YAML" not in stderr
