"""References formatted in the house style by citeproc (the pandoc worker): the library's works, a
type at a time, and "Cite this briefing", each briefing's own CSL item (made by publish/cite.py) with
the same item as BibTeX and RIS. The page, the PDF's colophon and the Word file all show the one
reference made here."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from council.base.cache import ContentCache, content_key
from council.base.keys import SharedInputs, render_key
from council.base.model import BibEntry
from council.base.tools import tool_versions
from council.citations.styles import compact_style
from council.render.exports import to_bibtex, to_ris
from council.render.pandoc_worker import WorkerPool

LANG = "en-GB"
BATCH = 40  # references per citeproc request
_CITE = "cite.html"
_TYPST_SPECIAL = re.compile(r'(["\\])')
_PANDOC_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")


@dataclass(frozen=True)
class CiteThis:
    """One briefing's reference in the house style, in each output's own markup."""

    html: str  # for the page (made by citeproc: its own escaping)
    runs: tuple[tuple[str, bool], ...]  # (text, italic): the same reference as plain runs
    bibtex: str
    ris: str

    @property
    def typst(self) -> str:
        """typst markup that shows the runs literally."""
        return "".join(
            ("#emph(" if italic else "#(") + '"' + _TYPST_SPECIAL.sub(r"\\\1", text) + '")'
            for text, italic in self.runs
        )

    @property
    def markdown(self) -> str:
        """pandoc Markdown that reads back as the runs."""
        return "".join(_emphasis(text) if italic else _pandoc_literal(text) for text, italic in self.runs)


def _pandoc_literal(text: str) -> str:
    return _PANDOC_SPECIAL.sub(r"\\\1", text)


def _emphasis(text: str) -> str:
    """Spaces go outside the asterisks: pandoc does not read emphasis that starts or ends with one."""
    before, after = _edges(text)
    return before + "*" + _pandoc_literal(text.strip()) + "*" + after


def _edges(text: str) -> tuple[str, str]:
    """Spaces outside an emphasis span: pandoc does not allow them just inside the asterisks."""
    return text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]


def cite_briefings(items: dict[str, dict], style_file: Path, cache: ContentCache) -> dict[str, CiteThis]:
    """Slug -> its reference, for every briefing's CSL item given. Each reference is cached by its item
    and style, so a build formats only new or changed ones: those go to one pandoc worker in batches
    (citeproc's time grows faster than the number of items in one request)."""
    style = style_file.read_bytes()
    keys = {
        slug: content_key(
            "cite-this", tool_versions(), style, json.dumps(item, ensure_ascii=False, sort_keys=True), LANG
        )
        for slug, item in items.items()
    }
    formatted = {slug: cached.decode("utf-8") for slug in items if (cached := cache.get(keys[slug], _CITE)) is not None}
    missing = [items[slug] for slug in items if slug not in formatted]
    if missing:
        csl = str(compact_style(style_file, cache))
        with WorkerPool() as pool:
            worker = pool.worker()
            for batch in independent_batches(missing):
                answer = worker.render(
                    {
                        "kind": "bibliography",
                        "csl": csl,
                        "lang": LANG,
                        "references": json.dumps(batch, ensure_ascii=False, sort_keys=True),
                    }
                )
                for entry in answer["entries"]:
                    formatted[entry["key"]] = unwrap_paragraph(entry["html"])
                    cache.put(keys[entry["key"]], _CITE, formatted[entry["key"]].encode("utf-8"))
    return {
        slug: CiteThis(formatted.get(slug, ""), html_runs(formatted.get(slug, "")), bibtex(item), to_ris([item]))
        for slug, item in items.items()
    }


def format_references(items: list[dict], style_file: Path, cache: ContentCache, shared: SharedInputs) -> dict[str, str]:
    """Key -> the reference as HTML, in the style's own order; rendered by the pandoc worker, cached."""
    references = json.dumps(items, ensure_ascii=False, sort_keys=True)
    key = render_key("library-references", shared, LANG, entries=references)
    cached = cache.get(key, "entries.json")
    if cached is None:
        with WorkerPool() as pool:
            answer = pool.worker().render(
                {
                    "kind": "bibliography",
                    "references": references,
                    "csl": str(compact_style(style_file, cache)),
                    "lang": LANG,
                }
            )
        cached = json.dumps(answer["entries"], ensure_ascii=False).encode("utf-8")
        cache.put(key, "entries.json", cached)
    return {entry["key"]: unwrap_paragraph(entry["html"]) for entry in json.loads(cached)}


def unwrap_paragraph(html: str) -> str:
    match = re.fullmatch(r"\s*<p>(.*)</p>\s*", html, re.S)
    return match.group(1) if match else html


def independent_batches(items: list[dict], size: int = BATCH) -> list[list[dict]]:
    """Batches in which no two items share authors and year: each reference stands alone, so an
    author-date style must never add "2026a" and "2026b" to tell two briefings apart."""
    batches: list[tuple[set[str], list[dict]]] = []
    for item in items:
        clash = json.dumps([item.get("author"), item["issued"]["date-parts"][0][0]], sort_keys=True)
        home = next((b for b in batches if clash not in b[0] and len(b[1]) < size), None)
        if home is None:
            home = (set(), [])
            batches.append(home)
        home[0].add(clash)
        home[1].append(item)
    return [batch for _, batch in batches]


def bibtex(item: dict) -> str:
    """The item as a BibLaTeX @report, written through the library's own BibTeX export."""
    names = " and ".join(n["literal"] if "literal" in n else f"{n['family']}, {n['given']}" for n in item["author"])
    year, month, day = item["issued"]["date-parts"][0]
    fields = [
        ("title", item["title"]),
        ("author", names),
        ("institution", item.get("publisher")),
        ("type", item["genre"]),
        ("number", item.get("number")),
        ("date", f"{year:04d}-{month:02d}-{day:02d}"),
        ("langid", item["language"]),
        ("url", item.get("URL")),
        ("doi", item.get("DOI")),
    ]
    body = "".join(f"  {name} = {{{_bibtex_value(name, value)}}},\n" for name, value in fields if value)
    raw = f"@report{{{item['id']},\n{body}}}"
    return to_bibtex([BibEntry(item["id"], "report", Path(item["id"]), 1, raw=raw)])


def _bibtex_value(name: str, value: str) -> str:
    if name in ("url", "doi"):
        return value
    text = re.sub(r"([&%$#_{}])", r"\\\1", value).replace("~", r"\textasciitilde{}").replace("^", r"\^{}")
    return f"{{{text}}}" if name in ("title", "institution") else text  # keep capitals as written


class _Runs(HTMLParser):
    """citeproc's HTML (text, <i>/<em>, <a>, <span>) as (text, italic) runs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.runs: list[tuple[str, bool]] = []
        self._italic = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("i", "em"):
            self._italic += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("i", "em"):
            self._italic -= 1

    def handle_data(self, data: str) -> None:
        text = re.sub(r"\s+", " ", data)
        if self.runs and self.runs[-1][1] == (self._italic > 0):
            self.runs[-1] = (self.runs[-1][0] + text, self.runs[-1][1])
        elif text:
            self.runs.append((text, self._italic > 0))


def html_runs(html: str) -> tuple[tuple[str, bool], ...]:
    parser = _Runs()
    parser.feed(html)
    parser.close()
    return tuple(parser.runs)
