"""pandoc's tree of the Word file brought to a note: front matter lifted out, the reference list left
out, citations collected, images and footnotes as authors write them by hand, nothing raw kept."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from council.authoring.names import natural_order
from council.authoring.word_import.docx_file import core_properties
from council.authoring.word_import.fields import Fields
from council.sources.safety import is_safe_url, unsafe_content

_REFERENCE_HEADINGS = {"references", "bibliography", "works cited", "reference list", "sources"}
# OSCOLA's tables within a reference list (council prints them when a note cites cases or legislation)
_REFERENCE_TABLE_HEADINGS = {"cases", "legislation", "secondary sources", "table of cases", "table of legislation"}
_APOSTROPHE = re.compile(r"(?<=\w)\u2019(?=\w)")
# council's own preview copies begin the title property with their marking (publish/draft_marking.py)
_DRAFT_TITLE = re.compile(r"^(?:DRAFT \u2013 not for publication|EMBARGOED until \d{2} \w+ \d{4} \d{2}:\d{2} \w+): ")


@dataclass
class ImportResult:
    note: Path
    matched: dict[str, str] = field(default_factory=dict)  # key -> title, works found in the library
    added: dict[str, str] = field(default_factory=dict)  # key -> title, appended to imported.bib
    images: list[Path] = field(default_factory=list)
    images_without_alt: list[str] = field(default_factory=list)
    comments_dropped: int = 0
    changes_accepted: int = 0
    raw_removed: int = 0
    unreadable_fields: int = 0
    unkeyed: list[str] = field(default_factory=list)  # citations from fields council does not read
    references_dropped: bool = False
    linked_pictures: int = 0  # pictures linked to a file outside the document: pandoc cannot read them
    alt_chunks: int = 0  # whole documents (HTML, RTF, another .docx) embedded as altChunk: not imported
    placeholders: list[str] = field(default_factory=list)  # front matter fields left as the template's


def stringify(nodes: object) -> str:
    parts: list[str] = []

    def visit(node: object) -> None:
        if isinstance(node, list):
            for child in node:
                visit(child)
        elif isinstance(node, dict):
            kind, content = node.get("t"), node.get("c")
            if kind == "Str":
                parts.append(content)
            elif kind in ("Space", "SoftBreak", "LineBreak"):
                parts.append(" ")
            elif kind in ("Code", "Math"):
                parts.append(content[1])
            elif kind == "Quoted":
                quote = "\u2018\u2019" if content[0]["t"] == "SingleQuote" else "\u201c\u201d"
                parts.append(quote[0])
                visit(content[1])
                parts.append(quote[1])
            elif kind in ("Note", "RawInline", "RawBlock"):
                return
            elif kind in ("Para", "Plain"):
                visit(content)
                parts.append(" ")
            elif kind == "Cite":
                visit(content[1])
            elif kind in ("Link", "Image", "Span", "Div"):
                visit(content[1])
            elif kind == "Header":
                visit(content[2])
            elif isinstance(content, list):
                visit(content)

    visit(nodes)
    return " ".join("".join(parts).split())


def _attr_style(attr: list) -> str:
    return dict(attr[2]).get("custom-style", "")


class Converter:
    """Brings pandoc's tree of the Word file to a note's body."""

    def __init__(self, result: ImportResult, slug: str, fields: Fields) -> None:
        self.result = result
        self.slug = slug
        self.fields = fields
        self.images: list[tuple[Path, str]] = []  # (extracted file, name in briefings/media/<slug>/)
        self.cited: list[str] = []  # work ids, first use first
        self._cites: list[dict] = []

    def blocks(self, blocks: list) -> list:
        out: list = []
        for block in blocks:
            for converted in self._block(block):
                previous = out[-1] if out else {"t": None}
                # one list that Word (or LibreOffice) numbered as several, with nothing between them
                if converted["t"] == previous["t"] == "BulletList":
                    previous["c"].extend(converted["c"])
                elif converted["t"] == previous["t"] == "OrderedList":
                    previous["c"][1].extend(converted["c"][1])
                else:
                    out.append(converted)
        return out

    def _block(self, block: dict) -> list:
        kind, content = block["t"], block.get("c")
        if kind == "Div":
            if _attr_style(content[0]) in ("Marking", "Byline"):  # council's own page furniture
                return []
            if _attr_style(content[0]) == "Key Points":
                return [{"t": "Div", "c": [["", ["key-points"], []], self.blocks(content[1])]}]
            return self.blocks(content[1])
        if kind == "RawBlock":
            return self._raw(block, inline=False)
        if kind in ("Para", "Plain"):
            inlines = self.inlines(content)
            return [{"t": kind, "c": inlines}] if inlines else []
        if kind == "Header":
            return [{"t": "Header", "c": [content[0], ["", [], []], self.inlines(content[2])]}]
        if kind in ("BulletList",):
            return [{"t": kind, "c": [self.blocks(item) for item in content]}]
        if kind == "OrderedList":
            return [{"t": kind, "c": [content[0], [self.blocks(item) for item in content[1]]]}]
        if kind == "BlockQuote":
            return [{"t": kind, "c": self.blocks(content)}]
        if kind == "DefinitionList":
            return [{"t": kind, "c": [[self.inlines(term), [self.blocks(d) for d in defs]] for term, defs in content]}]
        if kind == "Table":
            return [self._table(content)]
        if kind == "Figure":
            caption = content[1]
            return [
                {
                    "t": "Figure",
                    "c": [["", [], []], [caption[0], _unnumbered(self.blocks(caption[1]))], self.blocks(content[2])],
                }
            ]
        if kind == "LineBlock":
            return [{"t": kind, "c": [self.inlines(line) for line in content]}]
        return [block]

    def _table(self, content: list) -> dict:
        attr, caption, colspecs, head, bodies, foot = content
        caption = [caption[0], _unnumbered(self.blocks(caption[1]))]

        def rows(rows_: list) -> list:
            return [[r[0], [[c[0], {"t": "AlignDefault"}, c[2], c[3], self.blocks(c[4])] for c in r[1]]] for r in rows_]

        head = [head[0], rows(head[1])]
        bodies = [[b[0], b[1], rows(b[2]), rows(b[3])] for b in bodies]
        foot = [foot[0], rows(foot[1])]
        colspecs = [[{"t": "AlignDefault"}, {"t": "ColWidthDefault"}] for _ in colspecs]  # a plain pipe table
        return {"t": "Table", "c": [["", [], []], caption, colspecs, head, bodies, foot]}

    def inlines(self, inlines: list) -> list:
        out: list = []
        for inline in inlines:
            for node in self._inline(inline):
                out.append(node)
        return self._collapse_citation_notes(out)

    def _inline(self, inline: dict) -> list:
        kind, content = inline["t"], inline.get("c")
        if kind == "Str" and "\u2019" in content:  # an apostrophe as authors type it ('smart' curls it again)
            return [{"t": "Str", "c": _APOSTROPHE.sub("'", content)}]
        if kind == "Span":
            return self.inlines(content[1])
        if kind == "RawInline":
            return self._raw(inline, inline=True)
        if kind in ("Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps"):
            inner = self.inlines(content)
            return [{"t": kind, "c": inner}] if inner else []
        if kind == "Quoted":
            return [{"t": kind, "c": [content[0], self.inlines(content[1])]}]
        if kind == "Link":
            text, (target, title) = self.inlines(content[1]), content[2]
            if target.startswith("#") or not is_safe_url(target):  # Word's bookmarks, or unsafe schemes
                if not target.startswith("#"):
                    self.result.raw_removed += 1
                return text
            if stringify(text) in (target, target.removeprefix("mailto:")) and ":" in text[0].get("c", ""):
                # pandoc would write <https://...>, which the safety rules read as an HTML tag: keep [url](url)
                scheme, rest = text[0]["c"].split(":", 1)
                text = [{"t": "Str", "c": scheme + ":"}, {"t": "Str", "c": rest}, *text[1:]]
            return [{"t": "Link", "c": [["", [], []], text, [target, title]]}]
        if kind == "Image":
            return self._image(content)
        if kind == "Note":
            return [{"t": "Note", "c": self.blocks(content)}]
        if kind == "Cite":
            cite = {"t": "Cite", "c": [content[0], []]}
            for citation in content[0]:
                if citation["citationId"] not in self.fields.works:  # e.g. EndNote's fields: not keyed here
                    self.result.unkeyed.append(citation["citationId"])
                elif citation["citationId"] not in self.cited:
                    self.cited.append(citation["citationId"])
            self._cites.append(cite)
            return [cite]
        return [inline]

    def _raw(self, node: dict, *, inline: bool) -> list:
        """Raw HTML is kept only where a note could hold it; anything else (OOXML, scripts) goes."""
        fmt, text = node["c"]
        if fmt == "html" and not unsafe_content(Path("draft.md"), text, 1, Path(tempfile.gettempdir())):
            return [node]
        self.result.raw_removed += 1
        return []

    def _image(self, content: list) -> list:
        attr, alt, (src, title) = content
        alt_text = stringify(alt) or title.strip()
        source = Path(src)
        if not source.is_file():  # a linked picture outside the file: nothing to save
            self.result.raw_removed += 1
            return [{"t": "Str", "c": alt_text}] if alt_text else []
        name = f"image{len(self.images) + 1}{source.suffix.lower()}"
        self.images.append((source, name))
        if not alt_text:
            self.result.images_without_alt.append(f"media/{self.slug}/{name}")
        return [
            {
                "t": "Image",
                "c": [
                    ["", [], []],
                    [{"t": "Str", "c": alt_text}] if alt_text else [],
                    [f"media/{self.slug}/{name}", ""],
                ],
            }
        ]

    @staticmethod
    def _collapse_citation_notes(inlines: list) -> list:
        """A footnote holding only a citation is how note styles (and Zotero in them) show a citation:
        it becomes the citation, written before the punctuation the footnote mark followed."""
        out: list = []
        for inline in inlines:
            if inline["t"] == "Note":
                cite = _only_citation(inline["c"])
                if cite is not None:
                    previous = out[-1] if out else None
                    if previous and previous["t"] == "Str" and previous["c"][-1:] in (".", ",", ";", ":"):
                        mark = previous["c"][-1]
                        previous["c"] = previous["c"][:-1]
                        if not previous["c"]:
                            out.pop()
                        out.extend([{"t": "Space"}, cite, {"t": "Str", "c": mark}])
                    else:
                        if previous and previous["t"] not in ("Space", "SoftBreak"):
                            out.append({"t": "Space"})
                        out.append(cite)
                    continue
            out.append(inline)
        return out

    def set_keys(self, keys: dict[str, str]) -> None:
        for cite in self._cites:
            for citation in cite["c"][0]:
                citation["citationId"] = keys.get(citation["citationId"], citation["citationId"])
                citation["citationNoteNum"] = 0
                citation["citationHash"] = 0


def _unnumbered(blocks: list) -> list:
    """A caption without the "Table 2: " or "Figure 1: " council writes (render/common.lua): the note
    gets its numbers again when it is built."""
    first = blocks[0] if blocks else None
    if first and first["t"] in ("Plain", "Para") and len(first["c"]) > 4:
        kind, gap, number, space = first["c"][:4]
        if (
            kind["t"] == "Str"
            and kind["c"] in ("Table", "Figure")
            and gap["t"] == "Space"
            and number["t"] == "Str"
            and re.fullmatch(r"\d+:", number["c"])
            and space["t"] == "Space"
        ):
            first["c"] = first["c"][4:]
    return blocks


def _only_citation(blocks: list) -> dict | None:
    if len(blocks) != 1 or blocks[0]["t"] not in ("Para", "Plain"):
        return None
    inlines = [i for i in blocks[0]["c"] if i["t"] not in ("Space", "SoftBreak")]
    if len(inlines) == 1 and inlines[0]["t"] == "Cite":
        return inlines[0]
    if len(inlines) == 2 and inlines[0]["t"] == "Cite" and inlines[1] == {"t": "Str", "c": "."}:
        return inlines[0]
    return None


def _meta_text(meta: dict, name: str) -> str:
    value = meta.get(name)
    if not value:
        return ""
    if value["t"] in ("MetaInlines", "MetaBlocks"):
        return stringify(value["c"])
    if value["t"] == "MetaString":
        return value["c"]
    if value["t"] == "MetaList":
        return "; ".join(stringify(v["c"]) if v["t"] != "MetaString" else v["c"] for v in value["c"])
    return ""


def front_matter(
    meta: dict, blocks: list, parts: dict[str, bytes], authors: tuple[str, ...], result: ImportResult
) -> dict:
    core = core_properties(parts)
    # the document's Title paragraph (pandoc gives it as meta title), else its title property; never a
    # reference list's heading, which a plugin may have put there
    candidates = (_meta_text(meta, "title"), _DRAFT_TITLE.sub("", core.get("title", "")))
    title = next((t for t in candidates if t and not _is_reference_heading(t)), "")
    heading = next((b for b in blocks if b["t"] == "Header" and not _is_reference_heading(stringify(b["c"][2]))), None)
    if heading is not None and (not title or stringify(heading["c"][2]) == title):
        title = stringify(heading["c"][2])  # the first heading is the title: not a section of the note
        blocks.remove(heading)
    if not title:
        title = "Untitled draft"
        result.placeholders.append("title")
    written = core.get("creator", "") or _meta_text(meta, "author")
    names = list(authors) or [natural_order(n) for n in re.split(r"[;\n]", written) if n.strip()]
    if not names:
        names = ["Your Name"]
        result.placeholders.append("authors")
    summary = _take_section(blocks, "summary") or _meta_text(meta, "abstract")
    points = _take_key_points(blocks)
    if not summary:
        result.placeholders.append("summary")
    if not points:
        result.placeholders.append("key_points")
    result.references_dropped = _drop_reference_list(blocks)
    return {"title": title, "authors": names, "summary": summary, "key_points": points}


def _is_reference_heading(text: str) -> bool:
    return text.strip().rstrip(":").casefold() in _REFERENCE_HEADINGS | _REFERENCE_TABLE_HEADINGS


def _heading_is(block: dict, *names: str) -> bool:
    return block["t"] == "Header" and stringify(block["c"][2]).strip().rstrip(":").casefold() in names


def _take_section(blocks: list, name: str) -> str:
    for index, block in enumerate(blocks):
        if _heading_is(block, name):
            end = index + 1
            while end < len(blocks) and blocks[end]["t"] in ("Para", "Plain"):
                end += 1
            text = " ".join(stringify([b]) for b in blocks[index + 1 : end])
            del blocks[index:end]
            return text
    return ""


def _take_key_points(blocks: list) -> list[str]:
    for index, block in enumerate(blocks):  # council's own Word file keeps them in a styled box
        if block["t"] == "Div" and "key-points" in block["c"][0][1]:
            blocks[index : index + 1] = block["c"][1]
            break
    for index, block in enumerate(blocks):
        is_label = _heading_is(block, "key points") or (
            block["t"] in ("Para", "Plain") and stringify([block]).strip().rstrip(":").casefold() == "key points"
        )
        if is_label and index + 1 < len(blocks) and blocks[index + 1]["t"] in ("BulletList", "OrderedList"):
            items = blocks[index + 1]["c"] if blocks[index + 1]["t"] == "BulletList" else blocks[index + 1]["c"][1]
            del blocks[index : index + 2]
            return [stringify(item) for item in items if stringify(item)]
    return []


def _drop_reference_list(blocks: list) -> bool:
    """The reference list a plugin (or council) printed is rebuilt from the citations: it goes."""
    for index in range(len(blocks) - 1, -1, -1):
        if _heading_is(blocks[index], *_REFERENCE_HEADINGS):
            level = blocks[index]["c"][0]
            end = next(
                (i for i in range(index + 1, len(blocks)) if blocks[i]["t"] == "Header" and blocks[i]["c"][0] <= level),
                len(blocks),
            )
            if all(
                b["t"] in ("Para", "Plain", "Div") or _heading_is(b, *_REFERENCE_TABLE_HEADINGS)
                for b in blocks[index + 1 : end]
            ):
                del blocks[index:end]
                return True
    return False


def shift_headings(blocks: list) -> list:
    """Sections are level 2 in a note (the title is level 1)."""
    levels = [b["c"][0] for b in blocks if b["t"] == "Header"]
    shift = 2 - min(levels) if levels else 0
    for block in blocks:
        if block["t"] == "Header":
            block["c"][0] = min(6, block["c"][0] + shift)
    return blocks
