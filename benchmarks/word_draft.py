"""A long Word draft as Zotero and Mendeley leave it, for `nox -s bench`: sections of prose, each
paragraph carrying a citation field, a third of the works not yet in the library."""

from __future__ import annotations

import json
import random
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

SCHEMA = "https://github.com/citation-style-language/schema/raw/master/csl-citation.json"
WORDS = (
    "atrocity prevention early warning government strategy analysis risk civilians protection "
    "accountability justice sanctions diplomacy evidence department policy assessment response"
).split()


def _field(paragraph, code: str, shown: str) -> None:
    def run(tag: str, **attributes: str):
        element = OxmlElement(tag)
        for name, value in attributes.items():
            element.set(qn(name), value)
        wrapper = OxmlElement("w:r")
        wrapper.append(element)
        paragraph._p.append(wrapper)
        return element

    run("w:fldChar", **{"w:fldCharType": "begin"})
    for start in range(0, len(code), 250):  # Word splits long codes over several runs
        text = run("w:instrText")
        text.text = code[start : start + 250]
        text.set(qn("xml:space"), "preserve")
    run("w:fldChar", **{"w:fldCharType": "separate"})
    paragraph.add_run(shown)
    run("w:fldChar", **{"w:fldCharType": "end"})


def make_word_draft(
    path: Path, library_items: list[dict], citations: int = 150, words: int = 15000, seed: int = 18
) -> Path:
    """About `words` words (30 pages at 500 a page) and `citations` citation fields."""
    rng = random.Random(seed)
    new_works = [
        {
            "id": 5000 + n,
            "type": "article-journal",
            "title": f"Synthetic study {n} of {rng.choice(WORDS)}",
            "author": [{"family": rng.choice(["Okafor", "Brandt", "Silva"]), "given": "A"}],
            "issued": {"date-parts": [[2020 + n % 6]]},
            "DOI": f"10.5555/bench.{n}",
        }
        for n in range(citations // 3)
    ]
    document = docx.Document()
    document.core_properties.title = "A long synthetic draft"
    document.core_properties.author = "Dr Bench Mark"
    per_paragraph = words // citations
    for n in range(citations):
        if n % 15 == 0:
            document.add_heading(f"Section {n // 15 + 1}", 1)
        paragraph = document.add_paragraph(" ".join(rng.choice(WORDS) for _ in range(per_paragraph)) + " ")
        work = new_works[n % len(new_works)] if n % 3 == 0 else rng.choice(library_items)
        item = {"id": work["id"], "itemData": work}
        if n % 4 == 0:
            item |= {"locator": str(n % 40 + 1), "label": "page"}
        if n % 2:
            data = {
                "citationID": f"c{n}",
                "properties": {"formattedCitation": "(x)", "plainCitation": "(x)", "noteIndex": 0},
                "citationItems": [item],
                "schema": SCHEMA,
            }
            _field(paragraph, " ADDIN ZOTERO_ITEM CSL_CITATION " + json.dumps(data), "(x)")
        else:
            data = {
                "citationItems": [item | {"id": "ITEM-1"}],
                "mendeley": {"formattedCitation": "(x)"},
                "properties": {"noteIndex": 0},
                "schema": SCHEMA,
            }
            _field(paragraph, "ADDIN CSL_CITATION " + json.dumps(data), "(x)")
        paragraph.add_run(".")
    document.save(path)
    return path
