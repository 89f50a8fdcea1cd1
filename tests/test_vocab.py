"""Issue 21 - `council vocab`: the values front matter accepts, listed from where the validator reads
them, with a search."""

from __future__ import annotations

from pathlib import Path

import pycountry
import yaml
from conftest import REPO, TinyProject, run_council

VOCABULARIES = REPO / "generator" / "council" / "vocabularies.yml"


def listed(output: str) -> dict[str, list[str]]:
    """Section -> the values printed under it."""
    sections: dict[str, list[str]] = {}
    current = None
    for line in output.splitlines():
        if not line.startswith(" "):
            current = line.rstrip(":")
            sections[current] = []
        else:
            sections[current].append(line.split()[0])  # type: ignore[index]
    return sections


def test_vocab_lists_every_allowed_value_of_each_field(tmp_path: Path) -> None:
    result = run_council("vocab", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    sections = listed(result.stdout)
    raw = yaml.safe_load(VOCABULARIES.read_text(encoding="utf-8"))
    assert list(sections) == ["workstreams", "tools", "recommendations", "countries"]
    for field in ("workstreams", "tools", "recommendations"):
        assert sections[field] == [str(v) for v in raw[field]], field
    assert sorted(sections["countries"]) == sorted(c.alpha_3 for c in pycountry.countries)
    assert "  MMR  Myanmar" in result.stdout  # each value with what it means
    assert "  V    Atrocity Impact Assessments" in result.stdout


def test_vocab_search_finds_countries_by_region_and_values_by_their_meaning(tmp_path: Path) -> None:
    sahel = run_council("vocab", "sahel", cwd=tmp_path)
    assert sahel.returncode == 0, sahel.stderr
    assert listed(sahel.stdout) == {"countries": ["BFA", "MLI", "MRT", "NER", "TCD"]}
    justice = listed(run_council("vocab", "JUSTICE", cwd=tmp_path).stdout)  # case does not matter
    assert justice == {"workstreams": ["international-justice"], "tools": ["peacebuilding-transitional-justice"]}
    # several words: entries holding all of them
    assert listed(run_council("vocab", "rule", "law", cwd=tmp_path).stdout) == {
        "workstreams": ["democracy-rule-of-law"],
        "tools": ["good-governance"],
    }
    assert listed(run_council("vocab", "mmr", cwd=tmp_path).stdout) == {"countries": ["MMR"]}


def test_vocab_search_with_no_match_says_so_and_fails(tmp_path: Path) -> None:
    result = run_council("vocab", "atlantis", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "nothing in the vocabularies mentions 'atlantis'; run `council vocab` for the whole list" in result.stderr


def test_values_vocab_lists_pass_council_check(project: TinyProject) -> None:
    """What the listing offers is what the validator accepts: a note using a found value of each field checks."""

    def first(words: str, field: str) -> str:
        return listed(run_council("vocab", words, cwd=project.root).stdout)[field][0]

    found = {
        "workstreams": first("prevention", "workstreams"),
        "tools": first("accountability", "tools"),
        "recommendations": first("impact", "recommendations"),
        "countries": first("sahel", "countries"),
    }
    project.note(
        "a.md",
        workstreams=[found["workstreams"]],
        tools=[found["tools"]],
        recommendations=[found["recommendations"]],
        countries=[found["countries"]],
    )
    result = project.council("check")
    assert result.returncode == 0, result.stderr
