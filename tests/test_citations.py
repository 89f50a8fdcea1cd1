"""Stage 2 - citations: keys are found as pandoc finds them, and a key missing from the
bibliography is a build error naming file, line, key and the nearest keys; never a silent '???'."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import TinyProject

from council.base.tools import pandoc_path
from council.sources.citation_keys import find_citations


def keys(body: str) -> list[str]:
    return [c.key for c in find_citations(Path("x.md"), body, 1)[0]]


def pandoc_keys(body: str) -> list[str]:
    """The oracle: the keys of every Cite in pandoc's own reading of the body, in order."""
    document = json.loads(
        subprocess.run(
            [pandoc_path(), "-f", "markdown", "-t", "json"], input=body, capture_output=True, text=True, check=True
        ).stdout
    )
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("t") == "Cite":
                found.extend(citation["citationId"] for citation in node["c"][0])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)
    return found


PANDOC_FORMS = {  # body, and the keys written down by hand; pandoc must agree with both
    "bracketed, locators, suppressed author": (
        "See [@alpha, p 3; @beta:2020]. Also [-@delta].",
        ["alpha", "beta:2020", "delta"],
    ),
    "in-text": ("@gamma says so, as @beta:2020 did.", ["gamma", "beta:2020"]),
    "braced keys": (
        "Braced @{https://example.org/a?b=1} and @{odd key} (a space: no citation).",
        ["https://example.org/a?b=1"],
    ),
    "trailing punctuation": ("As @alpha. And @beta:2020, then @gamma: fine.", ["alpha", "beta:2020", "gamma"]),
    "email and code": ("Write to clerk@parliament.uk. Inline `@alsonot` code.", []),
}


def test_pandoc_citation_forms_are_found() -> None:
    body = "See [@alpha, p 3; @beta:2020]. @gamma says so. Also [-@delta] and @{odd key}."
    assert keys(body) == ["alpha", "beta:2020", "gamma", "delta"]  # pandoc reads no key in "@{odd key}"


@pytest.mark.parametrize("form", PANDOC_FORMS)
def test_keys_are_those_pandoc_reads(form: str) -> None:
    body, expected = PANDOC_FORMS[form]
    assert keys(body) == expected
    assert pandoc_keys(body) == expected


def test_email_addresses_and_code_are_not_citations() -> None:
    body = "Write to clerk@parliament.uk.\n\n```\n@notakey\n```\n\nInline `@alsonot` code."
    assert keys(body) == []


def test_trailing_punctuation_is_not_part_of_the_key() -> None:
    assert keys("As @alpha.") == ["alpha"]


def test_missing_key_fails_the_build_with_location_and_suggestions(project: TinyProject) -> None:
    path = project.note("cites.md", body="Intro.\n\nA claim [@alphaReprt2020, p 4].\n")
    line = path.read_text().split("\n").index("A claim [@alphaReprt2020, p 4].") + 1
    result = project.build()
    assert result.returncode == 1
    assert (
        f"briefings/cites.md:{line}:10: error: citation key '@alphaReprt2020' is not in the bibliography"
        in result.stderr
    )
    assert "did you mean '@alphaReport2020'?" in result.stderr
    assert not project.site.exists()


def test_citation_style_is_selectable_by_name(project: TinyProject) -> None:
    body = "One [@betaBook2015, p 3].\n\nTwo [@betaBook2015, p 4].\n"
    project.note("style.md", body=body)
    assert project.build().returncode == 0
    oscola = (project.site / "briefings/style/index.html").read_text()
    # OSCOLA pin cites carry no "p": the author's "p 3" is understood as a page locator.
    assert "Serena Sharma and Jennifer Welsh, <em>The Beta Book</em> (Oxford University Press 2015) 3." in oscola
    assert "Ibid 4." in oscola

    (project.root / "council.yml").write_text("citation_style: apa\n")
    assert project.build().returncode == 0
    apa = (project.site / "briefings/style/index.html").read_text()
    assert "(Sharma &amp; Welsh, 2015, p. 3)" in apa


def test_unknown_style_is_refused_with_suggestions(project: TinyProject) -> None:
    project.note("good.md")
    (project.root / "council.yml").write_text("citation_style: oscolla\n")
    result = project.council("check")
    assert result.returncode == 1
    assert "unknown citation style 'oscolla'" in result.stderr and "oscola" in result.stderr
