"""One text in every format: each work of the fixture corpora, cited in a note, gives the same footnote and
the same reference-list entry on the site (HTML), in the PDF's text layer and in the Word file, character
for character: quotes, apostrophes, dashes and no-break spaces included.

The only difference allowed is where a line ends: the PDF breaks lines, and a line that ends at a space
drops that space. Nothing else is normalised. The PDF's characters are read one by one from its text
layer (pdfplumber), so a no-break space is told apart from a space; typst's ligatures (fi, ffi) are
written with the letters they stand for, so no ligature needs normalising.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import docx
import pdfplumber
import pytest
from conftest import REPO, TinyProject
from docx.oxml import parse_xml

from council.base.cache import ContentCache
from council.sources.bibliography import load_bib_file

CORPORA = sorted((REPO / "tests" / "fixtures" / "corpora").glob("*.bib")) + [
    REPO / "tests" / "fixtures" / "bib" / "zotero-legal.bib",
    REPO / "tests" / "fixtures" / "footnotes" / "footnotes.bib",
]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
STYLES = ("oscola", "chicago-notes-bibliography")


@pytest.fixture(scope="module", params=STYLES)
def every_entry(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], Path]:
    """One note citing every work of the corpora once, in a footnote of its own. Returns the keys in
    citation order and the built briefing's folder."""
    root = tmp_path_factory.mktemp(request.param)
    project = TinyProject(root)
    (project.root / "bibliography" / "library.bib").unlink()
    cache = ContentCache(tmp_path_factory.mktemp("bibcache"))
    keys: list[str] = []
    for path in CORPORA:
        shutil.copy(path, project.root / "bibliography" / path.name)
        keys += [entry.key for entry in load_bib_file(path, cache).entries]
    assert len(keys) == len(set(keys)) > 100
    (project.root / "council.yml").write_text(f"citation_style: {request.param}\n", encoding="utf-8")
    body = "\n\n".join(f"Work {number} [@{{{key}}}]." for number, key in enumerate(keys, start=1))
    project.note("every-entry.md", body=body + "\n", title="Every entry")
    result = project.build()
    assert result.returncode == 0, result.stderr
    return keys, project.site / "briefings" / "every-entry"


# --- the text of each format, untouched but for line ends ---------------------------------------


def html_text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).replace("\n", " ")


def site_footnotes(folder: Path) -> list[str]:
    page = (folder / "index.html").read_text(encoding="utf-8")
    notes = re.findall(r'<li id="fn(\d+)"><p>(.*?)<a href="#fnref\1"', page, re.S)
    assert [int(n) for n, _ in notes] == list(range(1, len(notes) + 1))
    return [html_text(text) for _, text in notes]


def site_references(folder: Path) -> list[str]:
    """Each entry's text, without the site's own "In the library" link. Entries that citeproc leaves
    empty (a @set names its members but has no text of its own) have no text to compare: Word drops
    the empty paragraph."""
    page = (folder / "index.html").read_text(encoding="utf-8")
    entries = re.findall(r'<div id="ref-[^"]+" class="csl-entry"[^>]*>(.*?)</div>', page, re.S)
    texts = [html_text(re.sub(r'<a class="council-library-link".*?</a>', "", e)).strip() for e in entries]
    return [text for text in texts if text]


def _word_text(element) -> str:  # type: ignore[no-untyped-def]
    parts = []
    for node in element.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}noBreakHyphen"):
        tag = node.tag.removeprefix(W)
        parts.append(node.text or "" if tag == "t" else {"tab": "\t", "br": " ", "noBreakHyphen": "\u2011"}[tag])
    return "".join(parts)


def word_footnotes(path: Path) -> list[str]:
    document = docx.Document(str(path))
    part = next(p for p in document.part.package.parts if str(p.partname) == "/word/footnotes.xml")
    by_id = {int(n.get(f"{W}id")): n for n in parse_xml(part.blob).iter(f"{W}footnote")}
    order = [int(r.get(f"{W}id")) for r in document.element.body.iter(f"{W}footnoteReference")]
    # each note starts with its number (a footnoteRef mark, not text) and one space after it
    return [_word_text(by_id[i]).removeprefix(" ") for i in order]


def word_references(path: Path) -> list[str]:
    document = docx.Document(str(path))
    return [_word_text(p._p) for p in document.paragraphs if p.style.name == "Bibliography"]


def pdf_streams(path: Path) -> tuple[str, str]:
    """(body, footnotes): the characters of the page bodies, header and footer left out, split by size
    (footnotes are set smaller), with a line break wherever the text moves down to a new line."""
    streams: dict[str, list[str]] = {"body": [], "notes": []}
    with pdfplumber.open(path) as pdf:
        sizes = [round(c["size"], 1) for p in pdf.pages for c in p.chars]
        body_size = max(set(sizes), key=sizes.count)  # the size most text is set in
        for page in pdf.pages:
            last: dict[str, dict | None] = {"body": None, "notes": None}
            for char in page.chars:
                if char["top"] < 60 or char["bottom"] > page.height - 60:
                    continue  # the marking and page number
                stream = "body" if round(char["size"], 1) >= body_size else "notes"
                before = last[stream]
                if (
                    before is not None
                    and abs(char["matrix"][5] - before["matrix"][5]) > 2
                    and char["x0"] < before["x0"]
                ):
                    streams[stream].append("\n")
                streams[stream].append(char["text"])
                last[stream] = char
            for stream in streams.values():
                stream.append("\n")
    return "".join(streams["body"]), "".join(streams["notes"])


def line_broken(text: str) -> re.Pattern[str]:
    """The text as the PDF may break it: a line may end after any character, and a line that ends at a
    space drops it. No other difference is allowed."""
    parts = []
    for char in text:
        parts.append("(?: \\n?|\\n)" if char == " " else re.escape(char) + "\\n?")
    return re.compile("".join(parts))


def missing_in_order(texts: list[str], stream: str) -> list[tuple[int, str, str]]:
    """(index, text, what the PDF has there) for each text not found after the one before it."""
    missing, position = [], 0
    for index, text in enumerate(texts):
        found = line_broken(text).search(stream, position)
        if found is None:
            missing.append((index, text, stream[position : position + len(text) + 40]))
        else:
            position = found.end()
    return missing


# --- the tests --------------------------------------------------------------------------------------


def test_every_footnote_is_the_same_text_in_html_docx_and_pdf(every_entry: tuple[list[str], Path]) -> None:
    keys, folder = every_entry
    site = site_footnotes(folder)
    word = word_footnotes(folder / "every-entry.docx")
    assert len(site) == len(word) == len(keys)
    differ = [
        f"{keys[i]}:\n  html {a!r}\n  docx {b!r}" for i, (a, b) in enumerate(zip(site, word, strict=True)) if a != b
    ]
    _, notes = pdf_streams(folder / "every-entry.pdf")
    absent = [f"{keys[i]}:\n  html {text!r}\n  pdf  {there!r}" for i, text, there in missing_in_order(site, notes)]
    assert not differ and not absent, "\n".join(differ + absent)


def test_every_reference_is_the_same_text_in_html_docx_and_pdf(every_entry: tuple[list[str], Path]) -> None:
    keys, folder = every_entry
    site = site_references(folder)
    word = word_references(folder / "every-entry.docx")
    assert len(site) == len(word) >= len(keys) - 5
    differ = [
        f"entry {i + 1}:\n  html {a!r}\n  docx {b!r}" for i, (a, b) in enumerate(zip(site, word, strict=True)) if a != b
    ]
    body, _ = pdf_streams(folder / "every-entry.pdf")
    references = body[body.index("\nReferences\n") if "\nReferences\n" in body else 0 :]
    absent = [
        f"entry {i + 1}:\n  html {text!r}\n  pdf  {there!r}" for i, text, there in missing_in_order(site, references)
    ]
    assert not differ and not absent, "\n".join(differ + absent)


def test_the_check_tells_a_prime_from_a_quote_and_a_space_from_a_no_break_space() -> None:
    """The comparison itself: a line end is allowed, a changed character is not."""
    assert missing_in_order(["‘Resolution 2334’ (2019)"], "x ‘Resolution\n2334’ (2019) y") == []
    assert missing_in_order(["‘Resolution 2334’"], "‘Resolution 2334′") != []
    assert missing_in_order(["p\u00a03"], "p 3") != []
    assert missing_in_order(["1990–2000"], "1990-2000") != []


# Text that typst would otherwise read as its own markup: quotes after digits and straight quotes
# (smart quotes), "..." (ellipsis), "-?" (soft hyphen), "-" before a digit (minus sign), "--" (dash).
TRICKY = (
    "Resolution 2334 was ‘Resolution 2334’, “Resolution 2334” and ’90s; straight \\'12\\' and \\\"34\\\"; "
    "a loss of -5 and -3.5, x\\.\\.\\. y, co-?op, 5\\-\\-6 and 7\\-\\-\\-8."
)


def test_text_typst_would_read_as_markup_prints_as_written(project: TinyProject) -> None:
    project.note("tricky.md", body=f"{TRICKY}\n\nA note.[^1]\n\n[^1]: {TRICKY}\n", title="Tricky text")
    result = project.build()
    assert result.returncode == 0, result.stderr
    folder = project.site / "briefings" / "tricky"
    page = (folder / "index.html").read_text(encoding="utf-8")
    paragraph = html_text(next(p for p in re.findall(r"<p>(.*?)</p>", page, re.S) if p.startswith("Resolution")))
    assert "‘Resolution 2334’" in paragraph and "'12'" in paragraph and "-5" in paragraph and "x..." in paragraph
    assert site_footnotes(folder) == word_footnotes(folder / "tricky.docx") == [paragraph]
    word_body = [_word_text(p._p) for p in docx.Document(str(folder / "tricky.docx")).paragraphs]
    assert paragraph in word_body
    body, notes = pdf_streams(folder / "tricky.pdf")
    assert missing_in_order([paragraph], body) == []
    assert missing_in_order([paragraph], notes) == []
