"""House style in `council check` (issue 15): each finding at its line, a warning by default, an error under
--strict, silenced by an allow comment that gives a reason; the placeholders `council new` leaves; the
glossary; `council style`."""

from __future__ import annotations

import csv
import re

from conftest import REPO, TinyProject, copy_sample_project, run_council

FRONT = """---
title: "Early warning in the Sahel"
summary: >-
  {summary}
key_points:
  - Posts in the region see the first signs of risk, so their reporting matters most.
  - {point}
authors: [Dr Amina Diallo]
date: 2026-02-01
status: published
---

"""
SUMMARY = "Embassies see atrocity risk early. This note says how their reports could reach ministers faster."
POINT = "London should act on what posts report within days, not weeks."
BODY_START = FRONT.count("\n") + 1  # the body's first line in the file


def note(project: TinyProject, body: str, *, summary: str = SUMMARY, point: str = POINT) -> str:
    project.raw_note("sahel.md", FRONT.format(summary=summary, point=point) + body)
    return "briefings/sahel.md"


def findings(output: str, kind: str = "warning") -> list[tuple[int, str]]:
    """(line, code) of every house-style finding printed."""
    return [
        (int(m.group(1)), m.group(2))
        for m in re.finditer(rf"^briefings/sahel\.md:(\d+): {kind}: .*\[([a-z-]+)\]$", output, re.MULTILINE)
    ]


LONG = (
    "The early warning cell that the department set up after the last review of its work in the region "
    "has struggled to pass what it learns to the ministers who decide on sanctions, aid and diplomatic "
    "pressure in time."
)  # 39 words


def test_long_sentence_is_a_warning_at_its_line_and_an_error_under_strict(project: TinyProject) -> None:
    body = "## Why this matters\n\nA short opening sentence sits here.\nIt runs on. " + LONG + "\n"
    note(project, body)
    line = BODY_START + 3  # the sentence starts on the paragraph's second line
    result = project.council("check")
    assert result.returncode == 0, result.stderr
    assert findings(result.stderr) == [(line, "long-sentence")]
    assert "a sentence of 39 words (the limit is 35)" in result.stderr
    strict = project.council("check", "--strict")
    assert strict.returncode == 1
    assert findings(strict.stderr, "error") == [(line, "long-sentence")]
    assert "1 error found" in strict.stderr


def test_sentence_at_the_limit_passes_and_abbreviations_do_not_end_sentences(project: TinyProject) -> None:
    at_limit = " ".join(["word"] * 34) + " end."  # 35 words
    note(project, f"{at_limit}\n\nDr. Smith cited art. 6, e.g. in the 2019 report, p. 4 and para. 12 of it.\n")
    result = project.council("check", "--strict")
    assert result.returncode == 0, result.stderr


def test_limits_come_from_council_yml(project: TinyProject) -> None:
    note(project, " ".join(["word"] * 20) + ".\n")
    (project.root / "council.yml").write_text("house_style:\n  sentence_max_words: 15\n", encoding="utf-8")
    result = project.council("check")
    assert findings(result.stderr) == [(BODY_START, "long-sentence")]
    assert "(the limit is 15)" in result.stderr
    (project.root / "council.yml").write_text("house_style:\n  sentence_max_words: many\n", encoding="utf-8")
    bad = project.council("check")
    assert bad.returncode == 1
    assert "council.yml:2: error: field 'house_style.sentence_max_words'" in bad.stderr


def test_long_key_point_at_its_bullet(project: TinyProject) -> None:
    point = (
        "Ministers should agree in advance which warnings from posts will trigger a review of aid, arms "
        "export licences and sanctions, so that nobody waits for a crisis to decide."
    )  # 29 words
    note(project, "A short body.\n", point=point)
    result = project.council("check")
    assert findings(result.stderr) == [(7, "long-key-point")]
    assert "a key point of 29 words (the limit is 25)" in result.stderr


def test_acronym_used_before_it_is_spelt_out_with_the_glossary_expansion(project: TinyProject) -> None:
    (project.root / "glossary.yml").write_text(
        "- term: JACS\n  expansion: Joint Analysis of Conflict and Stabilisation\n"
        "  definition: The UK government's method for analysing conflict.\n",
        encoding="utf-8",
    )
    body = (
        "Posts use JACS to analyse conflict.\n\n"
        "The Joint Analysis of Conflict and Stabilisation (JACS) dates from 2017.\n\n"
        "The ICC (International Criminal Court) sits in The Hague; the ICC and the UK work together.\n\n"
        "Recommendation IV of the brief is about research.\n"
    )
    note(project, body)
    result = project.council("check")
    assert findings(result.stderr) == [
        (BODY_START, "acronym")
    ]  # JACS only: ICC is spelt out, IV and UK are not acronyms to explain
    assert "'JACS' is used before it is spelt out" in result.stderr
    assert "hint: write 'Joint Analysis of Conflict and Stabilisation (JACS)' the first time" in result.stderr


def test_acronym_in_a_key_point_counts_as_its_first_use(project: TinyProject) -> None:
    note(
        project,
        "The Universal Periodic Review (UPR) is a peer review.\n",
        point="The UPR lets states question each other's records.",
    )
    result = project.council("check")
    assert findings(result.stderr) == [(7, "acronym")]


def test_readability_reports_score_and_threshold(project: TinyProject) -> None:
    dense = (
        "Institutionalisation of interdepartmental accountability necessitates comprehensive "
        "organisational restructuring. Operationalisation remains fundamentally unsatisfactory."
    )
    note(project, "We met. It was good. We left.\n", summary=dense)
    result = project.council("check")
    assert findings(result.stderr) == [(3, "readability")]
    assert re.search(
        r"the summary scores -?\d+\.\d for Flesch reading ease \(the minimum is 30; higher is easier\)", result.stderr
    )


def test_body_over_the_word_limit(project: TinyProject) -> None:
    paragraph = "The post sent a short report to London on the risk of violence. " * 6  # 78 words
    note(project, "\n\n".join([paragraph] * 33))  # 2,574 words
    result = project.council("check")
    assert findings(result.stderr) == [(BODY_START, "long-body")]
    assert "the body has 2574 words (the limit is 2,500" in result.stderr


def test_allow_comment_silences_one_finding_and_needs_a_reason(project: TinyProject) -> None:
    body = (
        f"<!-- style: allow long-sentence: quoting the statute -->\n{LONG}\n\n"
        f"{LONG}\n\n"
        f"<!-- style: allow long-sentence -->\n{LONG}\n"
    )
    note(project, body)
    result = project.council("check")
    assert findings(result.stderr) == [(BODY_START + 3, "long-sentence"), (BODY_START + 6, "long-sentence")]
    assert (
        f"briefings/sahel.md:{BODY_START + 5}: warning: 'style: allow long-sentence' gives no reason" in result.stderr
    )
    strict = project.council("check", "--strict")
    assert f"briefings/sahel.md:{BODY_START + 5}: error: 'style: allow long-sentence' gives no reason" in strict.stderr


def test_council_new_then_check_flags_every_placeholder(project: TinyProject) -> None:
    (project.root / "briefings" / "sahel.md").unlink(missing_ok=True)
    run_council("new", "Early warning in the Sahel", cwd=project.root, check=True)
    result = project.council("check")
    assert result.returncode == 0
    placeholders = [
        m
        for m in re.finditer(
            r"^briefings/early-warning-in-the-sahel\.md:(\d+): warning: (.*)\[placeholder\]$",
            result.stderr,
            re.MULTILINE,
        )
    ]
    text = (project.root / "briefings" / "early-warning-in-the-sahel.md").read_text(encoding="utf-8").split("\n")
    lines = {int(m.group(1)) for m in placeholders}
    expected = {
        n
        for n, line in enumerate(text, 1)
        if any(
            p in line
            for p in ("summary:", "minister's office", "The second.", "Your Name", "Write the body in Markdown.")
        )
    }
    assert lines == expected  # the summary is reported at its key, the rest at their own lines
    assert len(placeholders) == 5
    assert project.council("check", "--strict").returncode == 1


def test_glossary_problems_are_errors(project: TinyProject) -> None:
    note(project, "A short body.\n")
    (project.root / "glossary.yml").write_text(
        "- term: AIA\n  expansion: Atrocity Impact Assessment\n  definition: A review.\n"
        "- term: AIA\n  expansion: Again\n  definition: Twice.\n"
        "- term: FFM\n  expansion: Fact-Finding Mission\n",
        encoding="utf-8",
    )
    result = project.council("check")
    assert result.returncode == 1
    assert "glossary.yml:4: error: field 'term': 'AIA' is in the glossary twice (first on line 1)" in result.stderr
    assert "glossary.yml:7: error: field 'definition': this required field is missing" in result.stderr


def test_shipped_sample_passes_strict_and_style_table(tmp_path) -> None:  # type: ignore[no-untyped-def]
    root = copy_sample_project(tmp_path)
    result = run_council("check", "--strict", cwd=root)
    assert result.returncode == 0, result.stderr
    style = run_council("style", cwd=root, check=True)
    rows = list(csv.DictReader((root / "build" / "style.csv").open(encoding="utf-8")))
    assert {r["briefing"] for r in rows} == {p.stem for p in (REPO / "briefings").glob("*.md")}
    for row in rows:
        assert row["briefing"] in style.stdout
        assert 0 < int(row["longest_sentence"]) <= 35 and int(row["words"]) > 300
        assert float(row["body_ease"]) >= 30 and row["findings"] == "0"


GLOSSARY = """\
- term: FFM
  expansion: Fact-Finding Mission & "inquiry"
  definition: A short international investigation of alleged violations.
- term: UPR
  expansion: Universal Periodic Review
  definition: The UN Human Rights Council's review of every member state's record.
- term: ICJ
  expansion: International Court of Justice
  definition: The UN court that settles disputes between states.
"""
ABBR_BODY = """\
## Fact-finding

A Fact-Finding Mission (FFM) gathers evidence fast. Two FFMs reported last year [@alphaReport2020].

The [FFM report](https://example.org/ffm) was cited again; the FFM then closed.

The Universal Periodic Review (UPR) is a peer review. `ICJ` in code is not a use.
"""


def test_abbreviations_in_html_pdf_and_word(project: TinyProject) -> None:
    import subprocess
    from html.parser import HTMLParser

    import docx

    (project.root / "glossary.yml").write_text(GLOSSARY, encoding="utf-8")
    project.note("with-terms.md", ABBR_BODY)
    project.note("without-terms.md", "Nothing to abbreviate here [@betaBook2015].\n", title="Plain words")
    result = project.build()
    assert result.returncode == 0, result.stderr
    folder = project.site / "briefings" / "with-terms"

    class Abbrs(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.found: list[tuple[str, str]] = []
            self.title: str | None = None

        def handle_starttag(self, tag: str, attrs: list) -> None:  # type: ignore[type-arg]
            if tag == "abbr":
                self.title = dict(attrs)["title"]

        def handle_data(self, data: str) -> None:
            if self.title is not None:
                self.found.append((data, self.title))
                self.title = None

    page = Abbrs()
    html = (folder / "index.html").read_text(encoding="utf-8")
    page.feed(html[html.index("<article") :])
    # the first use of each term in the body, once, with the expansion escaped into the attribute;
    # not the link's text, not the plural, not code, and ICJ (only in code) not at all
    assert page.found == [("FFM", 'Fact-Finding Mission & "inquiry"'), ("UPR", "Universal Periodic Review")]
    assert ">FFM report</a>" in html
    plain = (project.site / "briefings" / "without-terms" / "index.html").read_text(encoding="utf-8")
    assert "<abbr" not in plain.split("<article", 1)[1]

    pdf = subprocess.run(
        ["pdftotext", "-layout", str(folder / "with-terms.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    box = pdf[pdf.index("Abbreviations") : pdf.index("Fact-finding")]  # the box ends where the body starts
    assert re.search(r"FFM: Fact-Finding Mission & .inquiry.", box) and "UPR: Universal Periodic Review" in box
    assert "ICJ" not in box
    other = subprocess.run(
        ["pdftotext", str(project.site / "briefings" / "without-terms" / "without-terms.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Abbreviations" not in other

    paragraphs = [p.text for p in docx.Document(str(folder / "with-terms.docx")).paragraphs]
    start = paragraphs.index("Abbreviations")
    assert paragraphs[start + 1 : start + 3] == [
        'FFM: Fact-Finding Mission & "inquiry"',
        "UPR: Universal Periodic Review",
    ]
    other_docx = docx.Document(str(project.site / "briefings" / "without-terms" / "without-terms.docx"))
    assert "Abbreviations" not in [p.text for p in other_docx.paragraphs]

    glossary = (project.site / "glossary" / "index.html").read_text(encoding="utf-8")
    ffm = glossary[glossary.index('id="term-ffm"') : glossary.index('id="term-icj"')]
    assert 'href="../briefings/with-terms/"' in ffm and "without-terms" not in ffm
    icj = glossary[glossary.index('id="term-icj"') : glossary.index('id="term-upr"')]
    assert "Not yet used in a published briefing." in icj
