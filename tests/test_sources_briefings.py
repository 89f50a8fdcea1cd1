"""Stage 1 - sources: front matter is validated against the schema, and every problem names the
file, the line, the field, what is wrong and what to do."""

from __future__ import annotations

from pathlib import Path

from conftest import TinyProject


def line_of(path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().split("\n"), 1) if text in line)


def errors_of(project: TinyProject) -> tuple[int, str]:
    result = project.council("check")
    return result.returncode, result.stderr


def test_a_valid_note_passes_check(project: TinyProject) -> None:
    project.note("good.md")
    result = project.council("check")
    assert result.returncode == 0, result.stderr
    assert "1 briefings" in result.stdout


def test_unknown_key_is_an_error_with_a_suggestion(project: TinyProject) -> None:
    path = project.note("typo.md", summery="Misspelt key.")
    code, stderr = errors_of(project)
    assert code == 1
    assert f"briefings/typo.md:{line_of(path, 'summery')}: error: field 'summery': unknown field 'summery'" in stderr
    assert "did you mean 'summary'?" in stderr


def test_unknown_vocabulary_value_names_the_line_of_the_item(project: TinyProject) -> None:
    project.raw_note(
        "vocab.md",
        "---\ntitle: T\nsummary: S\nkey_points:\n  - a\n  - b\nauthors: [A]\n"
        "date: 2026-01-01\nstatus: published\nworkstreams:\n  - international-justice\n"
        "  - internatonal-justice\ntools: [targeted-sanction]\n---\nBody.\n",
    )
    code, stderr = errors_of(project)
    assert code == 1
    assert (
        "vocab.md:12: error: field 'workstreams': unknown workstream 'internatonal-justice'; "
        "did you mean 'international-justice'?" in stderr
    )
    assert (
        "vocab.md:13: error: field 'tools': unknown toolkit tool 'targeted-sanction'; "
        "did you mean 'targeted-sanctions'?" in stderr
    )


def test_country_codes_are_checked_against_iso_3166(project: TinyProject) -> None:
    project.note("countries.md", countries=["UKR", "MM", "UKX"])
    code, stderr = errors_of(project)
    assert code == 1
    assert "unknown country code 'UKX'" in stderr
    assert "'MM'" not in stderr  # alpha-2 codes are accepted


def test_missing_fields_and_wrong_types_are_all_reported_at_once(project: TinyProject) -> None:
    project.note("one.md", title=None, date="14/03/2026")
    project.note("two.md", key_points=["only one"], status="final")
    code, stderr = errors_of(project)
    assert code == 1
    assert "one.md:1: error: field 'title': this required field is missing" in stderr
    assert "field 'date'" in stderr and "YYYY-MM-DD" in stderr
    assert "two.md" in stderr and "field 'key_points'" in stderr
    assert "field 'status'" in stderr and "draft, review or published" in stderr
    assert "4 errors found; nothing was written." in stderr


def test_summary_is_limited_to_120_words(project: TinyProject) -> None:
    project.note("long.md", summary=" ".join(["word"] * 121))
    code, stderr = errors_of(project)
    assert code == 1
    assert "the summary has 121 words; the limit is 120" in stderr


def test_yaml_syntax_errors_point_at_the_line(project: TinyProject) -> None:
    project.raw_note("broken.md", "---\ntitle: T\nsummary: [unclosed\n---\nBody\n")
    code, stderr = errors_of(project)
    assert code == 1
    assert "broken.md:3:10: error: the list opened with '[' here is never closed" in stderr


def test_missing_front_matter_and_empty_files_are_explained(project: TinyProject) -> None:
    project.raw_note("bare.md", "# Just a heading\n")
    project.raw_note("empty.md", "")
    code, stderr = errors_of(project)
    assert code == 1
    assert "bare.md:1: error: the file does not start with front matter" in stderr
    assert "empty.md:1: error: the file is empty" in stderr


def test_crlf_and_bom_are_read_as_an_author_expects(project: TinyProject) -> None:
    path = project.note("windows.md")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert project.council("check").returncode == 0


def test_check_writes_nothing_but_its_house_style_cache(project: TinyProject) -> None:
    """`council check` leaves the sources and every output alone; it keeps only the house-style results
    of unchanged notes (build/cache/house-style/, as a linter's cache)."""
    project.note("good.md")
    before = {p.relative_to(project.root): p.read_bytes() if p.is_file() else None for p in project.root.rglob("*")}
    assert project.council("check").returncode == 0
    after = {p.relative_to(project.root): p.read_bytes() if p.is_file() else None for p in project.root.rglob("*")}
    cache = Path("build", "cache", "house-style")
    added = [p for p in after if p not in before]
    assert added and all(
        p == cache or cache in p.parents or p in (Path("build"), Path("build", "cache")) for p in added
    ), added
    assert {p: data for p, data in after.items() if p in before} == before


def test_council_new_scaffolds_a_note_that_passes_check(project: TinyProject) -> None:
    result = project.council("new", "Early warning in the Sahel", "--author", "Dr A Reader")
    assert result.returncode == 0, result.stderr
    path = project.root / "briefings" / "early-warning-in-the-sahel.md"
    assert path.exists()
    assert project.council("check").returncode == 0
    again = project.council("new", "Early warning in the Sahel")
    assert again.returncode == 1 and "already exists" in again.stderr
