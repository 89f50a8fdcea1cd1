"""The library as readers take it away: BibTeX (the entries as their authors wrote them), CSL JSON
(what citeproc reads) and RIS (what EndNote, Mendeley and reference managers import)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from council.base.model import BibEntry

# CSL item types -> RIS reference types (RIS specification, as Zotero and EndNote read it)
RIS_TYPES = {
    "article-journal": "JOUR",
    "article-magazine": "MGZN",
    "article-newspaper": "NEWS",
    "book": "BOOK",
    "chapter": "CHAP",
    "report": "RPRT",
    "webpage": "ELEC",
    "post-weblog": "BLOG",
    "legal_case": "CASE",
    "legislation": "STAT",
    "bill": "BILL",
    "thesis": "THES",
    "paper-conference": "CPAPER",
    "patent": "PAT",
    "manuscript": "UNPB",
    "dataset": "DATA",
    "software": "COMP",
    "entry-encyclopedia": "ENCYC",
    "motion_picture": "VIDEO",
    "map": "MAP",
    "hearing": "HEAR",
}


def to_bibtex(entries: Sequence[BibEntry], strings: Sequence[str] = (), parents: Sequence[BibEntry] = ()) -> str:
    """The entries exactly as written, with the @string macros they use and the crossref/xdata parents
    they inherit from, so the file loads on its own in BibTeX, biber or Zotero."""
    bodies = [e.raw.strip() for e in [*entries, *parents]]
    text = "\n".join(bodies)
    used = [
        s.strip()
        for s in strings
        if _macro_name(s) and re.search(rf"(?<![\w{{]){re.escape(_macro_name(s))}(?![\w}}])", text)
    ]
    header = "% Exported from the Atrocity Prevention Research Council's library.\n"
    return header + "\n\n".join([*used, *bodies]) + "\n"


def _macro_name(string_block: str) -> str:
    match = re.match(r"\s*@string\s*[{(]\s*([^\s=]+)", string_block, re.I)
    return match.group(1) if match else ""


def to_csl_json(items: list[dict]) -> str:
    """One work per line: still readable, and written by json's fast C encoder (indent= is not)."""
    if not items:
        return "[]\n"
    return "[\n" + ",\n".join(json.dumps(item, ensure_ascii=False, sort_keys=True) for item in items) + "\n]\n"


def to_ris(items: list[dict]) -> str:
    records = [_ris_record(item) for item in items]
    return "".join(records)


def _ris_record(item: dict) -> str:
    lines = [("TY", RIS_TYPES.get(str(item.get("type")), "GEN")), ("ID", str(item.get("id", "")))]
    lines += [("AU", _name(n)) for n in item.get("author", [])]
    lines += [("A2", _name(n)) for n in item.get("editor", [])]
    lines += [("TI", item.get("title")), ("T2", item.get("container-title"))]
    date = _date_parts(item.get("issued"))
    if date:
        lines += [("PY", f"{date[0]:04d}"), ("DA", "/".join(f"{p:02d}" for p in date) + "/")]
    lines += [("VL", item.get("volume")), ("IS", item.get("issue"))]
    first, _, last = str(item.get("page", "")).replace("–", "-").partition("-")
    lines += [("SP", first or None), ("EP", last or None)]
    lines += [
        ("PB", item.get("publisher") or item.get("authority")),
        ("CY", item.get("publisher-place")),
        ("M1", item.get("number")),
        ("DO", item.get("DOI")),
        ("UR", item.get("URL")),
        ("SN", item.get("ISBN") or item.get("ISSN")),
        ("LA", item.get("language")),
        ("N1", item.get("note")),
    ]
    accessed = _date_parts(item.get("accessed"))
    if accessed:
        lines.append(("Y2", "/".join(f"{p:02d}" for p in accessed)))
    lines.append(("ER", ""))
    return "".join(
        f"{tag}  - {_one_line(value)}\r\n" for tag, value in lines if value is not None and (value != "" or tag == "ER")
    )


def _name(name: dict) -> str:
    if "literal" in name:
        return str(name["literal"])
    family = " ".join(p for p in (name.get("non-dropping-particle"), name.get("family")) if p)
    return ", ".join(p for p in (family, name.get("given")) if p)


def _date_parts(date: dict | None) -> list[int]:
    parts = (date or {}).get("date-parts") or []
    return [int(p) for p in parts[0]] if parts and parts[0] else []


def _one_line(value: object) -> str:
    return " ".join(str(value).split())
