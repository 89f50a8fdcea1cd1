"""The bibliography read as BibTeX reads it (issue 29), one case per rule, each checked against a reader
council does not contain: pandoc (`-f biblatex`, the reader council calls, on the files one after
another) or bibtexparser 2.1. The generated cases are in test_bib_differential.py."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import bibtexparser
import pypandoc
import pytest
from conftest import TinyProject

from council.base.cache import ContentCache
from council.base.public_fields import _split_entry
from council.sources.bibliography import load_library_files, with_csl
from council.sources.bibtex import scan

PANDOC = pypandoc.get_pandoc_path()
WORK = (
    "@article{{{key},\n  author = {{Doe, Ann}},\n  title = {{{title}}},\n  journal = {journal},\n  year = {year}\n}}\n"
)


def pandoc_csl(text: str) -> dict[str, dict]:
    output = subprocess.run(
        [PANDOC, "--from", "biblatex", "--to", "csljson"], input=text, capture_output=True, text=True, check=True
    ).stdout
    return {item["id"]: item for item in json.loads(output)}


def council_reads(folder: Path, files: dict[str, str]) -> tuple[dict, dict[str, dict], list]:
    """(entries, CSL of every work, findings) for the files, written in `folder`, as council loads them."""
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    library, problems = load_library_files(sorted(folder / name for name in files))
    library, conversion = with_csl(library, library.entries, ContentCache(folder / ".cache"))
    return library.entries, library.csl, [*problems, *conversion]


def test_a_macro_from_an_earlier_file_is_expanded_whatever_its_case(tmp_path: Path) -> None:
    abbreviations = '@STRING{JoMCh = "Journal of Mass Atrocity Studies"}\n@string(UNP = {United Nations Press})\n'
    works = WORK.format(key="k1", title="Early Warning", journal="jomch", year="2020") + WORK.format(
        key="k2", title="Risk", journal="JOMCH # { and } # unp", year="2021"
    )
    entries, csl, problems = council_reads(tmp_path, {"0-abbreviations.bib": abbreviations, "works.bib": works})
    assert problems == []
    expected = pandoc_csl(abbreviations.replace("(", "{").replace(")", "}") + works)
    assert csl == expected
    assert csl["k1"]["container-title"] == "Journal of Mass Atrocity Studies"
    assert entries["k2"].fields["journal"] == "Journal of Mass Atrocity Studies and United Nations Press"


def test_a_macro_defined_only_in_a_later_file_is_a_located_finding(tmp_path: Path) -> None:
    works = WORK.format(key="k1", title="Early Warning", journal="jomch", year="2020")
    abbreviations = "@string{jomch = {Journal of Mass Atrocity Studies}}\n"
    _, csl, problems = council_reads(tmp_path, {"a-works.bib": works, "z-abbreviations.bib": abbreviations})
    [problem] = problems
    assert (problem.location.path.name, problem.location.line, problem.kind) == ("a-works.bib", 4, "undefined macro")
    assert "z-abbreviations.bib:1" in problem.message and "name order" in problem.message
    assert problem.keys == ("k1",)
    assert csl == pandoc_csl(works + abbreviations)  # pandoc prints the name too: "jomch"


def test_two_files_defining_one_macro_differently_is_a_finding_at_the_second(tmp_path: Path) -> None:
    first, second = "@string{pub = {Oxford}}\n", "\n@string{PUB = {Cambridge}}\n"
    _, _, problems = council_reads(tmp_path, {"a.bib": first, "b.bib": second})
    [problem] = problems
    assert (problem.location.path.name, problem.location.line, problem.kind) == ("b.bib", 2, "macro defined twice")
    assert "a.bib:1" in problem.message and "Oxford" in problem.message and "Cambridge" in problem.message
    # the same value twice is no finding
    assert council_reads(tmp_path / "same", {"a.bib": first, "b.bib": first})[2] == []


def test_a_crossref_parent_in_another_file_gives_its_fields(tmp_path: Path) -> None:
    child = "@incollection{chapter,\n  author = {Doe, Ann},\n  title = {A Chapter},\n  crossref = {volume}\n}\n"
    parent = (
        "@collection{volume,\n  editor = {Ward, Ed},\n  title = {The Volume},\n  publisher = {Council Press},\n"
        "  year = {2019}\n}\n"
    )
    _, csl, problems = council_reads(tmp_path, {"a-chapters.bib": child, "b-books.bib": parent})
    assert problems == []
    assert csl == pandoc_csl(child + parent)
    assert csl["chapter"]["publisher"] == "Council Press" and csl["chapter"]["editor"] == [
        {"family": "Ward", "given": "Ed"}
    ]


def test_entries_sharing_a_line_or_after_text_are_all_read(tmp_path: Path) -> None:
    text = (
        "Exported by hand. @article{k1, title = {One}, author = {Doe, A}, journal = {J}, year = 2020}"
        " @article{k2, title = {Two}, author = {Roe, B}, journal = {J}, year = 2021}\n"
        "@book{k3, title = {Three}, author = {Coe, C}, publisher = {P}, year = 2022}"
        "@book{k4, title = {Four}, author = {Poe, D}, publisher = {P}, year = 2023}\n"
    )
    entries, csl, problems = council_reads(tmp_path, {"a.bib": text})
    assert problems == []
    assert set(entries) == {e.key for e in bibtexparser.parse_string(text).entries} == {"k1", "k2", "k3", "k4"}
    assert csl == pandoc_csl(text)
    assert [entries[k].line for k in ("k1", "k2", "k3", "k4")] == [1, 1, 2, 2]


def test_parenthesised_blocks_are_read_and_converted(tmp_path: Path) -> None:
    text = (
        "@string(pub = {Council Press})\n"
        "@book(k1,\n  title = {Parentheses (and more)},\n  author = {Doe, Ann},\n  publisher = pub,\n  year = 2020\n)\n"
        "@comment(a note (nested) for the reader)\n"
        "@article{k2, title = {After}, author = {Roe, B}, journal = {J}, year = 2021}\n"
    )
    entries, csl, problems = council_reads(tmp_path, {"a.bib": text})
    assert problems == []
    theirs = {e.key: {f.key: f.value for f in e.fields} for e in bibtexparser.parse_string(text).entries}
    assert {key: entry.fields for key, entry in entries.items()} == theirs
    braced = text.replace("@string(pub = {Council Press})", "@string{pub = {Council Press}}")
    braced = braced.replace("@book(k1,", "@book{k1,").replace("  year = 2020\n)", "  year = 2020\n}")
    assert csl == pandoc_csl(braced.replace("@comment(a note (nested) for the reader)", ""))


@pytest.mark.parametrize(
    "value",
    [
        "First line\\\\",  # an escaped backslash, then the closing brace
        "Braces \\{ written \\} as text",
        "Nested {Group {Deep}} \\{x\\}",
    ],
)
def test_every_brace_counts_as_bibtex_counts_it_in_the_reader_and_the_field_filter(tmp_path: Path, value: str) -> None:
    text = f"@misc{{k1,\n  title = {{{value}}},\n  note = {{after}},\n  year = {{2001}}\n}}\n"
    entries, csl, problems = council_reads(tmp_path, {"a.bib": text})
    assert problems == []
    assert entries["k1"].fields == {"title": value, "note": "after", "year": "2001"}
    assert csl == pandoc_csl(text)
    # the public-field filter splits the entry where the reader does
    head, fields, tail = _split_entry(text.strip())
    assert [name for name, _ in fields] == ["title", "note", "year"] and tail.strip() == "}"


def test_an_unbalanced_escaped_brace_is_a_located_finding(tmp_path: Path) -> None:
    text = "@misc{k1,\n  title = {A \\{ alone},\n  year = {2001}\n}\n\n@misc{k2, title = {Next}, year = 2002}\n"
    entries, _, problems = council_reads(tmp_path, {"a.bib": text})
    [problem] = problems
    assert (problem.location.line, problem.kind, problem.keys) == (1, "unreadable entry", ("k1",))
    assert "runs on into the fields after it" in problem.message
    assert "BibTeX counts `\\{` and `\\}` as braces too" in problem.message
    assert set(entries) == {"k2"}


def test_a_percent_line_inside_an_entry_is_a_comment_as_pandoc_reads_it(tmp_path: Path) -> None:
    text = (
        "@book{k1,\n  author = {Coe, C},\n  title = {Three},\n  % note = {a private remark},\n"
        "  publisher = {P}, % the publisher\n  year = 2001\n}\n"
    )
    entries, csl, problems = council_reads(tmp_path, {"a.bib": text})
    assert problems == []
    assert set(entries["k1"].fields) == {"author", "title", "publisher", "year"}
    assert csl == pandoc_csl(text)


def test_jabref_latin1_file_is_read_with_its_declared_encoding(tmp_path: Path) -> None:
    text = (
        "% Encoding: ISO8859_1\n\n@book{k1, author = {Müller, Jürgen}, title = {Größe}, publisher = {P}, year = 1999}\n"
    )
    (tmp_path / "jabref.bib").write_bytes(text.encode("latin-1"))
    library, problems = load_library_files([tmp_path / "jabref.bib"])
    assert problems == []
    assert library.entries["k1"].fields["author"] == "Müller, Jürgen"
    assert library.entries["k1"].line == 3


def test_an_unknown_declared_encoding_is_a_located_finding(tmp_path: Path) -> None:
    (tmp_path / "odd.bib").write_bytes(b"% Encoding: base64\n@book{k1, title = {T}}\n")
    _, [problem] = load_library_files([tmp_path / "odd.bib"])
    assert (problem.location.path.name, problem.location.line, problem.kind) == ("odd.bib", 1, "unreadable file")
    assert "base64" in problem.message


def test_a_concatenated_year_is_a_year_and_quotes_of_pieces_go(tmp_path: Path) -> None:
    text = '@misc{k1, title = "Early" # " Warning" # {, Late}, author = {Doe, A}, year = "20" # "20"}\n'
    entries, csl, problems = council_reads(tmp_path, {"a.bib": text})
    assert problems == []
    assert entries["k1"].fields["title"] == "Early Warning, Late"
    assert entries["k1"].fields["year"] == "2020"
    assert csl == pandoc_csl(text)


def test_reading_recovers_after_an_unclosed_brace_in_the_middle_of_a_file() -> None:
    text = (
        "@misc{first, title = {One}, year = 2001}\n"
        "@misc{broken,\n  title = {Never closed,\n  year = 2002\n}\n"
        "@misc{after, title = {Three}, year = 2003}\n"
        "@misc{last, title = {Four}, year = 2004}\n"
    )
    scanned = scan(text)
    assert [e.key for e in scanned.entries] == ["first", "after", "last"]
    [unreadable] = scanned.unreadable
    assert (unreadable.line, unreadable.key, unreadable.stopped) == (2, "broken", 6)


def test_bib_check_reports_what_it_cannot_read_with_file_and_line(project: TinyProject) -> None:
    project.bib(
        "broken.bib",
        "@string(pub = {Council Press}\n\n"  # never closed with `)`
        "@book(k9,\n  title = {T},\n  publisher = pub\n  year = 2001\n)\n",
    )
    result = project.council("bib", "check")
    assert result.returncode == 0  # nothing cites them: warnings
    assert "bibliography/broken.bib:1: warning: this block cannot be read" in result.stderr, result.stderr
    assert "bibliography/broken.bib:3: warning: entry 'k9' cannot be read" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_a_parenthesised_comment_ends_at_its_own_parenthesis_outside_braces() -> None:
    text = (
        "@comment(an old entry {) @misc{ghost, title = {G}, year = 1999}} kept out)\n"
        "@misc{k1, title = {T}, year = 2001}\n"
        "@preamble(never closed\n"
    )
    scanned = scan(text)
    assert [e.key for e in scanned.entries] == ["k1"]
    [unreadable] = scanned.unreadable
    assert (unreadable.line, unreadable.reason) == (3, "the block is never closed with `)`")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            "@misc{k1,\n  title = {T}\n  year = 2001\n}\n",
            "expected `,` or `}` after the value of field 'title' in entry 'k1', found `year`: is a comma missing?",
        ),
        (
            "@misc{k1,\n  title = ",
            "field 'title' has no value: expected `{`, `\"`, a number or a macro name after `=`, "
            "found the end of the file",
        ),
        (
            "@misc{k1,\n  title = {A \\{ lone one}\n",
            "the value of field 'title' opened with `{` is never closed: the file ends first; BibTeX counts `\\{` and "
            "`\\}` as braces too: pair them, or write \\textbraceleft{} for a lone one",
        ),
        (
            "@misc{k1,\n  title = {A {\\} b,\n  year = 2001\n}\n",
            "the value of field 'title' (line 2) runs on into the fields after it: its closing `}` or `\"` is probably "
            "missing; BibTeX counts `\\{` and `\\}` as braces too: pair them, or write \\textbraceleft{} for a lone one",
        ),
        (
            "@misc{k1,\n  title = {Closed}\n",
            "expected `,` or `}` after the value of field 'title' in entry 'k1', found the end of the file: is a comma missing?",
        ),
    ],
)
def test_an_unreadable_block_says_what_was_found_where(text: str, reason: str) -> None:
    [unreadable] = scan(text).unreadable
    assert (unreadable.line, unreadable.key, unreadable.reason) == (1, "k1", reason)


@pytest.mark.parametrize(
    ("text", "key", "reason"),
    [
        ("@string{name}\n", None, "a @string needs `name = value`"),
        ("@string{name = {v}, x}\n", None, "expected `}` to close the @string, found `,`"),
        ("@comment{never closed\n", None, "block opened with `{` is never closed: the file ends first"),
        (
            '@misc{k1,\n  title = "never closed\n',
            "k1",
            "the value of field 'title' opened with `\"` is never closed: the file ends first",
        ),
        (
            '@misc{k1,\n  title = "never closed,\n  year = 2001\n}\n@misc{k2, title = {T}}\n',
            "k1",
            "the value of field 'title' is still open when the next entry starts (`@misc{`): "
            'a closing `}` or `"` is missing',
        ),
    ],
)
def test_an_unreadable_string_comment_or_quoted_value_says_why(text: str, key: str | None, reason: str) -> None:
    [unreadable] = scan(text).unreadable
    assert (unreadable.line, unreadable.key, unreadable.reason) == (1, key, reason)


def test_entries_without_fields_doubled_commas_tight_equals_and_month_names_read(tmp_path: Path) -> None:
    text = (
        "@misc{bare}\n@misc(paren)\n"
        "@misc{k1,, title={Tight},, month = JAN, year=2001,}\n"
        "@misc{k2, title = {Plain}, year = 2002}\n"
    )
    scanned = scan(text)
    assert scanned.unreadable == []
    assert [(e.key, e.line, e.raw, e.parenthesised) for e in scanned.entries[:2]] == [
        ("bare", 1, "@misc{bare}", False),
        ("paren", 2, "@misc(paren)", True),
    ]
    k1 = scanned.entries[2]
    assert [(f.name, f.value, f.bare, f.undefined) for f in k1.fields] == [
        ("title", "Tight", False, ()),
        ("month", "JAN", True, ()),
        ("year", "2001", True, ()),
    ]
    (tmp_path / "a.bib").write_text(text, encoding="utf-8")
    library, problems = load_library_files([tmp_path / "a.bib"])
    assert problems == []
    assert library.entries["k2"].for_pandoc == ""  # written without macros: pandoc reads it as written
    assert library.entries["paren"].for_pandoc == "@misc{paren,\n\n}"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            "@misc{k1, title {T}}\n",
            "expected `=` after field name 'title' in entry 'k1', found `{`; is a comma missing after the previous field?",
        ),
        ("@misc{k1, title}\n", "expected `=` after field name 'title' in entry 'k1', found `}`"),
        (
            "@misc{k 1, title = {T}}\n",
            "expected `@misc{key,` but found `1` after `@misc{k`; a key may not contain spaces",
        ),
        (
            "@misc{k1 title = {T}}\n",
            "expected `@misc{key,` but found `title` after `@misc{k1`; a key may not contain spaces",
        ),
        ("@misc{k1, = {T}}\n", "expected a field name or `}` in entry 'k1', found `=`"),
        (
            "@misc{k1, title = , year = 1}\n",
            "field 'title' has no value: expected `{`, `\"`, a number or a macro name after `=`, found `,`",
        ),
    ],
)
def test_a_malformed_entry_says_what_it_found(text: str, reason: str) -> None:
    [unreadable] = scan(text).unreadable
    assert (unreadable.line, unreadable.reason) == (1, reason)


def test_a_quote_inside_braces_does_not_end_a_quoted_value(tmp_path: Path) -> None:
    text = '@misc{k1, title = "A {"} b {{"}}", author = {Doe, A}, year = 2001}\n'
    entries, csl, problems = council_reads(tmp_path, {"a.bib": text})
    assert problems == []
    assert entries["k1"].fields["title"] == 'A {"} b {{"}}'
    assert csl == pandoc_csl(text)


def test_macros_built_from_macros_and_blocks_touching_each_other() -> None:
    text = '@string{a = {Mass}}@string{b = a # " Atrocity"}@misc{k0}@misc{k1, title = b, year = 2001}\n'
    scanned = scan(text)
    assert scanned.unreadable == []
    assert [e.key for e in scanned.entries] == ["k0", "k1"]
    assert scanned.entries[1].fields[0].value == "Mass Atrocity"


def test_a_value_left_open_stops_reading_at_the_next_entry_line() -> None:
    text = "@misc{k1,\n  title = {Open,\n  year = 2001,\n@misc{k2, title = {T}}\n"
    [unreadable] = scan(text).unreadable
    assert (unreadable.line, unreadable.stopped, unreadable.key) == (1, 4, "k1")
    comma = scan("@misc{k1, title, year = 1}\n").unreadable[0].reason
    assert comma == "expected `=` after field name 'title' in entry 'k1', found `,`"
