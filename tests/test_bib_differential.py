"""Differential tests of the BibTeX reader (issue 29): hypothesis writes libraries from a BibTeX grammar
(@string macros in any case, `#` concatenation, nested and backslashed braces, quotes, `%` lines
inside entries, `@type(...)` parentheses, several entries on one line, crossref parents, several
files) and council's reading is compared with two readers it does not contain:

- pandoc (pypandoc-binary's, `pandoc -f biblatex -t csljson`: the reader biber's users expect, which
  also gives a crossref child its parent's title as the book title; `-f bibtex` does not) reading the
  files one after another, as BibTeX reads `\\bibliography{a,b,c}`: the same keys, and the same CSL
  JSON for every work;
- bibtexparser 2.1 reading the same text: the same keys and field names, and the same value for every
  field written as one braced or quoted piece.

Where the readers differ by design, the test says why: pandoc cannot read `@type(...)`, so it reads the
same library written with braces; bibtexparser does not expand `#` or count backslashed braces, and
reads a `%` line inside an entry as part of the next field's name (pandoc, and council, skip it).
A macro used before any file defines it is printed as written by pandoc and by council, and council
says so in a located finding.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser
import pypandoc
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from council.base.cache import ContentCache
from council.sources.bibliography import load_library_files, with_csl

PANDOC = pypandoc.get_pandoc_path()
WORDS = ("Atrocity", "Prevention", "Early", "Warning", "Mass", "Violence", "Risk", "Study", "Courts", "Memory")
MACROS = ("jomch", "hrq", "ieeepress", "unpress", "genstud")  # never a month, a field or a type name


@dataclass
class Written:
    """One value as the generator wrote it, and what it means."""

    text: str  # as written in the file
    meaning: str  # BibTeX's reading: pieces joined, delimiters gone, macros expanded
    one_piece: bool  # a single braced or quoted piece (what bibtexparser reads as BibTeX does)
    macros: tuple[str, ...] = ()  # macro names used, lower case


@dataclass
class Library:
    files: list[list[str]] = field(default_factory=list)  # blocks of each file, as written
    braced: list[list[str]] = field(default_factory=list)  # the same blocks with `(...)` written `{...}`
    meaning: dict[str, dict[str, str]] = field(default_factory=dict)  # key -> field -> value
    uses_before_definition: set[tuple[str, str]] = field(default_factory=set)  # (key, macro)
    one_piece: set[tuple[str, str]] = field(default_factory=set)  # (key, field) written as one {...} or "..."
    written: dict[str, str] = field(default_factory=dict)  # key -> the entry as written
    separators: list[list[str]] = field(default_factory=list)


@st.composite
def inner_text(draw: st.DrawFn, depth: int = 0) -> str:
    """Text inside a braced or quoted piece: words, nested `{...}`, `\\{...\\}` pairs, a closing `\\\\`."""
    parts = [draw(st.sampled_from(WORDS))]
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["word", "word", "group", "escaped"] if depth < 2 else ["word"]))
        if kind == "word":
            parts.append(draw(st.sampled_from(WORDS)))
        elif kind == "group":
            parts.append("{" + draw(inner_text(depth + 1)) + "}")
        else:
            parts.append("\\{" + draw(st.sampled_from(WORDS)) + "\\}")
    text = " ".join(parts)
    return text + ("\\\\" if depth == 0 and draw(st.booleans()) and draw(st.booleans()) else "")


@st.composite
def value(draw: st.DrawFn, known: dict[str, str], later: dict[str, str], numeric: str | None = None) -> Written:
    """A field value of one to three pieces joined by `#`: braced, quoted, a number or a macro."""
    if numeric is not None:  # a year, split into pieces: "20" # "20" is a year
        cut = draw(st.integers(0, len(numeric) - 1))
        pieces = [numeric] if cut == 0 else [numeric[:cut], numeric[cut:]]
        forms = [draw(st.sampled_from(["{%s}", '"%s"', "%s"] if p == numeric else ["{%s}", '"%s"'])) for p in pieces]
        text = " # ".join(form % piece for form, piece in zip(forms, pieces, strict=True))
        return Written(text, numeric, len(pieces) == 1 and forms[0] != "%s")
    texts, meanings, used = [], [], []
    count = draw(st.integers(1, 3))
    for _ in range(count):
        kind = draw(st.sampled_from(["braced", "quoted", "macro"] if known or later else ["braced", "quoted"]))
        if kind == "macro":
            name = draw(st.sampled_from(sorted({*known, *later})))
            texts.append(draw(st.sampled_from([name, name.upper(), name.capitalize()])))
            meanings.append(known.get(name, name))  # an undefined macro reads as its name in lower case
            used.append(name)
            continue
        inner = draw(inner_text())
        texts.append("{" + inner + "}" if kind == "braced" else '"' + inner + '"')
        meanings.append(inner)
    joiner = draw(st.sampled_from([" # ", "#", " #\n    "]))
    text = joiner.join(texts)
    return Written(text, "".join(meanings), count == 1 and not used, tuple(used))


@st.composite
def libraries(draw: st.DrawFn) -> Library:
    library = Library()
    file_count = draw(st.integers(1, 3))
    definitions = {  # macro -> the file defining it (at its top), with its value
        name: (draw(st.integers(0, file_count - 1)), draw(inner_text()))
        for name in draw(st.lists(st.sampled_from(MACROS), max_size=3, unique=True))
    }
    # crossref parents stand after their children, as BibTeX asks (pandoc gives a child its parent's
    # title as the container only then): at the end of their file, children in that file or before it
    parents = [
        (f"parent{n}", where) for n, where in enumerate(draw(st.lists(st.integers(0, file_count - 1), max_size=2)))
    ]
    serial = 0
    for index in range(file_count):
        known = {name: text for name, (where, text) in definitions.items() if where <= index}
        later = {name: text for name, (where, text) in definitions.items() if where > index}
        blocks, braced = [], []
        for name, (where, text) in definitions.items():
            if where == index:
                written = draw(st.sampled_from([name, name.upper(), name.capitalize()]))
                block = f"@string{{{written} = {{{text}}}}}"
                blocks.append(block.replace("{", "(", 1)[:-1] + ")" if draw(st.booleans()) else block)
                braced.append(block)
        reachable = [key for key, where in parents if where >= index]
        for _ in range(draw(st.integers(1, 4))):
            serial += 1
            child_of = draw(st.sampled_from([None, *reachable]))
            kind = "incollection" if child_of else draw(st.sampled_from(["article", "book"]))
            written, block = draw(entry(library, f"work{serial}", kind, known, later, child_of))
            blocks.append(written)
            braced.append(block)
        for key, where in parents:
            if where == index:
                written, block = draw(entry(library, key, "collection", known, later, None))
                blocks.append(written)
                braced.append(block)
        library.files.append(blocks)
        library.braced.append(braced)
        library.separators.append(
            [draw(st.sampled_from(["\n", "\n\n", " ", "\nA line of commentary.\n"])) for _ in blocks]
        )
    return library


@st.composite
def entry(
    draw: st.DrawFn,
    library: Library,
    key: str,
    kind: str,
    known: dict[str, str],
    later: dict[str, str],
    child_of: str | None,
) -> tuple[str, str]:
    """One entry as written (braces or parentheses) and as pandoc reads it (braces); its meaning is
    recorded in `library`."""
    fields: list[tuple[str, Written]] = []
    if kind == "collection":
        fields.append(("editor", Written("{Ward, Ed}", "Ward, Ed", True)))
    else:
        fields.append(("author", Written("{Doe, Ann and Roe, Bob}", "Doe, Ann and Roe, Bob", True)))
    fields.append(("title", draw(value(known, later))))
    if kind == "article":
        fields.append(("journal", draw(value(known, later))))
    if kind in ("book", "collection"):
        fields.append(("publisher", draw(value(known, later))))
    if child_of:
        fields.append(("crossref", Written("{" + child_of + "}", child_of, True)))
    else:
        fields.append(("year", draw(value(known, later, numeric=str(draw(st.integers(1900, 2026)))))))
    draw(st.randoms()).shuffle(fields)
    body = ""
    for name, written in fields:
        comment = "  % a reading note, not a field\n" if draw(st.integers(0, 4)) == 0 else ""
        body += f"{comment}  {draw(st.sampled_from([name, name.upper()]))} = {written.text},\n"
        library.uses_before_definition |= {(key, macro) for macro in written.macros if macro not in known}
    body = body.rstrip(",\n") + draw(st.sampled_from(["", "\n"]))
    library.meaning[key] = {name: written.meaning for name, written in fields}
    library.one_piece |= {(key, name) for name, written in fields if written.one_piece}
    braced = f"@{kind}{{{key},\n{body}}}"
    library.written[key] = f"@{kind}({key},\n{body})" if draw(st.booleans()) else braced
    return library.written[key], braced


def joined(blocks: list[str], separators: list[str]) -> str:
    return "".join(block + separator for block, separator in zip(blocks, separators, strict=True))


def pandoc_csl(text: str) -> dict[str, dict]:
    output = subprocess.run(
        [PANDOC, "--from", "biblatex", "--to", "csljson"], input=text, capture_output=True, text=True, check=True
    ).stdout
    return {item["id"]: item for item in json.loads(output)}


# Under mutation testing (mutmut sets MUTANT_UNDER_TEST) a failure is enough: shrinking it to the
# smallest library would cost minutes per mutant.
PHASES = tuple(p for p in Phase if p != Phase.shrink or not os.environ.get("MUTANT_UNDER_TEST"))


@given(libraries())
@settings(
    max_examples=40,
    deadline=None,
    phases=PHASES,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
def test_council_reads_every_generated_library_as_pandoc_and_bibtexparser_do(library: Library) -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for index, (blocks, separators) in enumerate(zip(library.files, library.separators, strict=True)):
            path = Path(folder) / f"{index}-part.bib"
            path.write_text(joined(blocks, separators), encoding="utf-8")
            paths.append(path)
        loaded, problems = load_library_files(sorted(paths))
        loaded, conversion = with_csl(loaded, loaded.entries, ContentCache(Path(folder) / "cache"))
        texts = [path.read_text(encoding="utf-8") for path in sorted(paths)]

    # every block reads, and nothing is found but the macros used before their definition
    assert not conversion, [p.message for p in conversion]
    found = {(p.keys[0], p.message.split("'")[5].lower()) for p in problems if p.kind == "undefined macro"}
    assert found == library.uses_before_definition, [p.message for p in problems]
    assert all(p.kind == "undefined macro" for p in problems), [p.message for p in problems]

    # keys and meanings: the grammar's, in council's reading
    assert set(loaded.entries) == set(library.meaning)
    for key, fields in library.meaning.items():
        assert loaded.entries[key].fields == fields, key

    # pandoc, reading the files one after another (with braces for its sake): the same CSL for every work
    braced = "".join(joined(b, s) for b, s in zip(library.braced, library.separators, strict=True))
    expected = pandoc_csl(braced)
    assert set(expected) == set(loaded.csl)
    for key, item in expected.items():
        assert loaded.csl[key] == item, key

    # bibtexparser, reading the same text: keys, field names, and every one-piece value. It does not
    # count a brace or quote after a backslash, as BibTeX and pandoc do, and reads a `%` line inside an
    # entry as part of the next field's name: entries written with either are compared with pandoc only.
    read = bibtexparser.parse_string("\n".join(texts))
    by_key = {entry.key: entry for entry in read.entries}
    everything = "".join(texts)
    for key, fields in library.meaning.items():
        if "\\" in library.written[key] or "%" in library.written[key]:
            continue
        if key not in by_key:  # a block bibtexparser cannot read can take the next ones with it
            assert "\\" in everything or "%" in everything, key
            continue
        theirs = {f.key.split("\n")[-1].strip().lower(): f.value for f in by_key[key].fields}
        assert set(theirs) == set(fields), key
        for name, meaning in fields.items():
            if (key, name) in library.one_piece:
                assert theirs[name] == meaning, (key, name)
