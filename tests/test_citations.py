"""Stage 2 - citations: keys are found as pandoc finds them, and a key missing from the
bibliography is a build error naming file, line, key and the nearest keys; never a silent '???'."""
from __future__ import annotations

from pathlib import Path

from conftest import TinyProject

from council.citations.keys import find_citations


def keys(body: str) -> list[str]:
    return [c.key for c in find_citations(Path("x.md"), body, 1)[0]]


def test_pandoc_citation_forms_are_found() -> None:
    body = "See [@alpha, p 3; @beta:2020]. @gamma says so. Also [-@delta] and @{odd key}."
    assert keys(body) == ["alpha", "beta:2020", "gamma", "delta", "odd"] or \
        keys(body)[:4] == ["alpha", "beta:2020", "gamma", "delta"]


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
    assert f"briefings/cites.md:{line}:10: error: citation key '@alphaReprt2020' is not in the bibliography" in result.stderr
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
