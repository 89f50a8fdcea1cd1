"""Issue 28: every fault in one run, shown by fault injection. A catalogue of independent faults an
author makes (each front-matter field's wrong types and unknown values, impossible dates, tabs, broken
YAML, unknown and repeated keys, undefined footnotes, unknown citations and cross-references, repeated
ids, unsafe content, house style...); hypothesis draws k of them into one otherwise valid note, in a
random order of its fields and blocks, and one `council check --strict` must report every one of them,
each at its own line. `council check briefings/note.md` must report exactly the same."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from click.testing import CliRunner
from conftest import TinyProject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from council.base.errors import CouncilError
from council.commands.cli import cli


@dataclass(frozen=True)
class Fault:
    name: str
    spot: str  # the front-matter field it replaces, or "+key" (a line of its own), or "body"
    text: str  # the field's lines as the author wrote them, or a body block
    marker: str  # a text found only on the line where the fault must be reported


# the valid note the faults go into: each field is its own block of lines, in an order hypothesis draws
FIELDS = {
    "title": "title: A test briefing",
    "summary": "summary: A short plain summary of the situation.",
    "key_points": "key_points:\n  - The first point a reader needs.\n  - The second point a reader needs.",
    "authors": "authors:\n  - Dr Test Author",
    "date": "date: 2026-02-01",
    "status": "status: published",
    "lang": "lang: en-GB",
    "workstreams": "workstreams: [conflict-prevention]",
    "tools": "tools: [targeted-sanctions]",
    "recommendations": "recommendations: [III]",
    "countries": "countries: [UKR]",
    "classification": "classification: OFFICIAL",
}
BODY = [
    "The situation has changed this month [@alphaReport2020].",
    "## What the evidence shows",
    "Officials describe a steady rise in reported incidents [@betaBook2015].",
    "## Options for government",
    "A review of the options is set out below [@gammaArticle2022].",
]

CATALOGUE = [
    # front matter: each field's wrong types and unknown values
    Fault("title as a list", "title", "title: [First zzTitle, Second]", "zzTitle"),
    Fault("summary as a list", "summary", "summary: [zzSummary]", "zzSummary"),
    Fault("key points as one text", "key_points", "key_points: zzOnePoint only", "zzOnePoint"),
    Fault(
        "a key point too long",
        "key_points",
        "key_points:\n  - The first point.\n  - zzLong " + "word " * 45,
        "zzLong",
    ),
    Fault("an author as a number", "authors", "authors:\n  - 4242", "4242"),
    Fault("a tab before an author", "authors", "authors:\n  - Dr Test Author\n\t- Dr zzTab Author", "zzTab"),
    Fault("an impossible date", "date", "date: 2026-13-45", "2026-13-45"),
    Fault("a date in British order", "date", "date: 14/03/2026", "14/03/2026"),
    Fault("a status in the wrong case", "status", "status: Published", "Published"),
    Fault("a language that is not a tag", "lang", "lang: zzEnglish", "zzEnglish"),
    Fault("a repeated key", "lang", "lang: en-GB\nlang: fr # zzRepeated", "zzRepeated"),
    Fault("an unknown workstream", "workstreams", "workstreams: [conflict-preventionzz]", "conflict-preventionzz"),
    Fault("a workstream not in a list", "workstreams", "workstreams: conflict-prevention # zzScalar", "zzScalar"),
    Fault("an unknown tool", "tools", "tools: [targeted-sanctionzz]", "targeted-sanctionzz"),
    Fault("a field indented with a tab", "tools", "\ttools: [targeted-sanctions] # zzTabField", "zzTabField"),
    Fault("a recommendation as a number", "recommendations", "recommendations:\n  - 3 # zzNumber", "zzNumber"),
    Fault("a region for a country", "countries", "countries: [Sahel] # zzRegion", "zzRegion"),
    Fault("a classification above OFFICIAL", "classification", "classification: SECRET # zzSecret", "zzSecret"),
    Fault("an embargo that is no moment", "+embargo_until", "embargo_until: zzNextWeek", "zzNextWeek"),
    Fault(
        "an embargo time without a zone", "+embargo_until", "embargo_until: 2026-09-03T09:30:00 # zzNoZone", "zzNoZone"
    ),
    Fault("an unknown request answered", "+answers", "answers: [R-2099-zz9]", "R-2099-zz9"),
    Fault("an unknown workstream meeting", "+intersections", "intersections:\n  zzUnknown-ws: synergy", "zzUnknown"),
    Fault("a series number with spaces", "+number", 'number: "zz no spaces"', "zz no spaces"),
    Fault("an alias that is no slug", "+aliases", "aliases:\n  - zz Not A Slug", "zz Not A Slug"),
    Fault("an update without a date", "+updates", "updates:\n  - {date: zzSoon, note: Corrected.}", "zzSoon"),
    Fault("a withdrawal reason on a live note", "+withdrawn_reason", "withdrawn_reason: zzReason", "zzReason"),
    Fault("a DOI that is no DOI", "+doi", "doi: zz-not-a-doi", "zz-not-a-doi"),
    Fault("a misspelt key", "+tittle", "tittle: zzMisspelt", "zzMisspelt"),
    Fault("an unclosed quote", "summary", 'summary: "zzUnclosed summary', "zzUnclosed"),
    # the body
    Fault("an undefined footnote", "body", "A claim that needs a source.[^zzmissing]", "[^zzmissing]"),
    Fault("an unknown citation key", "body", "As reported [@zzUnknownKey2020].", "zzUnknownKey2020"),
    Fault("an unknown cross-reference", "body", "As @fig-zzmissing shows.", "fig-zzmissing"),
    Fault("a repeated id", "body", ": One table {#tbl-zzdup}\n\n: zzAgain {#tbl-zzdup}", "zzAgain"),
    Fault("a script", "body", "Text <script>zzScript()</script> here.", "zzScript"),
    Fault("a javascript link", "body", "See [this](javascript:zzLink()).", "zzLink"),
    Fault("a style attribute", "body", 'A <span style="color:red">zzStyled</span> word.', "zzStyled"),
    Fault("a raw block", "body", "```{=html}\n<b>zzRaw</b>\n```", "```{=html}"),
    Fault("an image that does not exist", "body", "![A chart of incidents](zzmissing.png)", "zzmissing.png"),
    Fault("a heading without text", "body", "##\n\nzzAfterEmptyHeading text.", "##\n"),
    Fault("the template's placeholder text", "body", "Write the body in Markdown. zzPlaceholder", "zzPlaceholder"),
]


def test_the_catalogue_holds_at_least_25_independent_kinds() -> None:
    assert len(CATALOGUE) >= 25
    assert len({fault.name for fault in CATALOGUE}) == len(CATALOGUE)
    assert len({fault.marker for fault in CATALOGUE}) == len(CATALOGUE)


def compatible(faults: list[Fault]) -> bool:
    """At most one fault per field (two faults in one field are one value); body faults always combine."""
    spots = [fault.spot for fault in faults if fault.spot != "body"]
    return len(spots) == len(set(spots))


@st.composite
def faulty_notes(draw: st.DrawFn) -> tuple[str, list[Fault]]:
    chosen = draw(st.lists(st.sampled_from(CATALOGUE), min_size=1, max_size=12, unique=True).filter(compatible))
    fields = dict(FIELDS)
    for fault in chosen:
        if fault.spot.startswith("+"):
            fields[fault.spot] = fault.text
        elif fault.spot != "body":
            fields[fault.spot] = fault.text
    front = draw(st.permutations(list(fields.values())))
    body = list(BODY)
    for fault in (f for f in chosen if f.spot == "body"):
        body.insert(draw(st.integers(0, len(body))), fault.text)
    return "---\n" + "\n".join(front) + "\n---\n\n" + "\n\n".join(body) + "\n", chosen


def reported_lines(project: TinyProject, *args: str) -> tuple[set[int], str]:
    result = CliRunner().invoke(cli, ["check", "--strict", *args, "--project", str(project.root)])
    shown = result.stderr
    if isinstance(result.exception, CouncilError):
        shown += result.exception.show()
    elif result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    lines = {int(m[1]) for m in re.finditer(r"^briefings/note\.md:(\d+)(?::\d+)?: (?:error|warning): ", shown, re.M)}
    return lines, shown


def line_of(text: str, marker: str) -> int:
    return text[: text.index(marker)].count("\n") + 1 + (1 if marker.endswith("\n") and marker != "##\n" else 0)


def test_the_note_without_faults_passes_the_strict_check(project: TinyProject) -> None:
    project.raw_note("note.md", "---\n" + "\n".join(FIELDS.values()) + "\n---\n\n" + "\n\n".join(BODY) + "\n")
    lines, shown = reported_lines(project)
    assert lines == set(), shown


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=faulty_notes())
def test_one_check_reports_every_injected_fault_at_its_own_line(project: TinyProject, case: tuple) -> None:
    text, faults = case
    project.raw_note("note.md", text)
    expected = {fault.name: line_of(text, fault.marker) for fault in faults}
    assert len(set(expected.values())) == len(faults)  # each fault on a line of its own
    lines, shown = reported_lines(project)
    missed = {name: line for name, line in expected.items() if line not in lines}
    assert not missed, f"{len(faults) - len(missed)} of {len(faults)} faults reported; missed {missed}\n{text}\n{shown}"
    # the per-note check is the full check, filtered to the note
    alone, shown_alone = reported_lines(project, str(project.root / "briefings" / "note.md"))
    assert alone == lines, shown_alone


@pytest.mark.parametrize("fault", CATALOGUE, ids=[f.name for f in CATALOGUE])
def test_each_fault_alone_is_reported_at_its_line(project: TinyProject, fault: Fault) -> None:
    fields = dict(FIELDS)
    if fault.spot != "body":
        fields[fault.spot] = fault.text
    body = [*BODY, fault.text] if fault.spot == "body" else BODY
    text = "---\n" + "\n".join(fields.values()) + "\n---\n\n" + "\n\n".join(body) + "\n"
    project.raw_note("note.md", text)
    lines, shown = reported_lines(project)
    assert line_of(text, fault.marker) in lines, shown
