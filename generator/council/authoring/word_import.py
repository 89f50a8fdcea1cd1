"""`council import DRAFT.docx`: a Word draft, with Zotero or Mendeley citation fields, as a research note.

pandoc's docx reader (`docx+citations`) turns the citation fields into citations; before it reads the
file, council rewrites each field's items so that every work has an id of its own (Mendeley numbers
the items of each field ITEM-1, ITEM-2..., so ids repeat across fields) and its pin cite is in the
house syntax (`p 3`). The document's tree is then brought to what authors write by hand: the front
matter lifted out, citations keyed to the library, images saved beside the note, nothing raw kept.
Nothing is written until everything has been read, and then each file appears whole (a rename).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from council.authoring.names import natural_order
from council.authoring.scaffold import note_text, slugify
from council.base.cache import ContentCache
from council.base.config import ProjectConfig
from council.base.errors import CouncilError, Location, ProblemsFound, SourceError
from council.base.tools import run_pandoc
from council.citations.matching import LibraryIndex, new_key
from council.sources.bibliography import load_library, with_csl
from council.sources.safety import is_safe_url, unsafe_content

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TEXT_PARTS = ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml")
_CHANGE_TAGS = tuple(W + name for name in ("ins", "del", "moveFrom", "moveTo"))
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
IMPORTED_BIB = "imported.bib"
# A .docx is a zip: its directory says how large each part unpacks, and is checked before anything is
# read, so a small file that unpacks to gigabytes (a "zip bomb") is refused in milliseconds. A long
# draft with pictures is a few megabytes unpacked; Word's XML compresses about ten to one.
MAX_DOCX_BYTES = 100 * 1024 * 1024  # the file itself
MAX_UNPACKED_BYTES = 256 * 1024 * 1024  # all its parts, unpacked
MAX_RATIO = 200  # unpacked size / compressed size, for a part over RATIO_FROM_BYTES
RATIO_FROM_BYTES = 1024 * 1024
MAX_PARTS = 10_000
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
A_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_REFERENCE_HEADINGS = {"references", "bibliography", "works cited", "reference list", "sources"}
# OSCOLA's tables within a reference list (council prints them when a note cites cases or legislation)
_REFERENCE_TABLE_HEADINGS = {"cases", "legislation", "secondary sources", "table of cases", "table of legislation"}
# CSL locator labels -> the house syntax (singular, plural for a range or list)
_HOUSE_LABELS = {
    "page": ("p", "pp"),
    "paragraph": ("para", "paras"),
    "section": ("s", "ss"),
    "chapter": ("ch", "chs"),
    "note": ("n", "nn"),
    "volume": ("vol", "vols"),
    "column": ("col", "cols"),
    "line": ("l", "ll"),
}
# council's own preview copies begin the title property with their marking (publish/draft_marking.py)
_APOSTROPHE = re.compile(r"(?<=\w)\u2019(?=\w)")
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


@dataclass
class _Fields:
    """What the citation fields held: each work by the id council gave it."""

    works: dict[str, dict] = field(default_factory=dict)
    count: int = 0
    unreadable: int = 0


def import_docx(
    config: ProjectConfig,
    source: Path,
    *,
    slug: str | None = None,
    authors: tuple[str, ...] = (),
    accept_changes: bool = False,
    force: bool = False,
    today: dt.date | None = None,
) -> ImportResult:
    parts = _open_docx(source)
    slug = slug or slugify(source.stem)
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
        raise SourceError(
            Location(source),
            f"cannot use {slug!r} as a note's name",
            hint="give --slug in lower case letters, digits and hyphens, e.g. --slug sahel-early-warning",
        )
    target = config.briefings_dir / f"{slug}.md"
    _refuse_existing(target, force)
    try:
        changes = _count_changes(parts)
        fields = _Fields()
        rewritten = _rewrite_citation_fields(parts, fields)
        comments = _count_comments(parts)
        linked, chunks = _count_unimported(parts)
        _core_properties(parts)
    except etree.XMLSyntaxError as exc:
        raise SourceError(
            Location(source),
            f"the Word file is damaged: its XML cannot be read ({exc})",
            hint="open it in Word, save a new copy, and import that",
        ) from None
    if changes and not accept_changes:
        raise SourceError(
            Location(source),
            f"the document has {changes} tracked change(s)",
            hint="accept or reject them in Word (Review > Accept/Reject) and save, "
            "or run again with --accept-changes to take them as accepted",
        )
    with tempfile.TemporaryDirectory(prefix="council-import-") as scratch:
        docx_copy = Path(scratch) / "draft.docx"
        docx_copy.write_bytes(_zip_with(source, rewritten))
        media_dir = Path(scratch) / "extracted"
        try:
            tree = json.loads(
                run_pandoc(
                    [
                        "--from",
                        "docx+citations+styles",
                        "--to",
                        "json",
                        "--track-changes=accept",
                        f"--extract-media={media_dir}",
                        str(docx_copy),
                    ]
                )
            )
        except CouncilError as exc:
            raise SourceError(Location(source), f"pandoc could not read this Word file: {exc}") from None
        result = ImportResult(
            target,
            comments_dropped=comments,
            changes_accepted=changes,
            unreadable_fields=fields.unreadable,
            linked_pictures=linked,
            alt_chunks=chunks,
        )
        converter = _Converter(result, slug, fields)
        blocks = converter.blocks(tree["blocks"])
        if not blocks and not converter.images:
            raise SourceError(
                Location(source),
                "the document is empty: there is no text to import",
                hint="check that you chose the right file, and that it was saved",
            )
        front = _front_matter(tree.get("meta", {}), blocks, parts, authors, result)
        if not any(_stringify([b]).strip() for b in blocks) and not converter.images:
            raise SourceError(
                Location(source),
                "the document has a title but no body to import",
                hint="check that you chose the right file, and that it was saved",
            )
        keys, new_entries = _key_works(config, converter.cited, fields, result)
        converter.set_keys(keys)
        body = _markdown(_shift_headings(blocks))
        text = note_text(
            title=front["title"],
            author=front["authors"][0],
            authors=front["authors"],
            summary=front["summary"],
            key_points=front["key_points"],
            date=(today or dt.date.today()).isoformat(),
            body=body,
        )
        _check_safe(target, text, config.root, result)
        bib_text = _bib_addition(config, new_entries)
        _write_all(config, target, text, slug, converter.images, bib_text, result)
    return result


# --- reading the file ---
def _open_docx(source: Path) -> dict[str, bytes]:
    if not source.is_file():
        raise SourceError(Location(source), "no such file", hint="check the path to the Word file")
    size = source.stat().st_size
    if size > MAX_DOCX_BYTES:
        raise SourceError(
            Location(source),
            f"the Word file is {_mib(size)}; council imports Word files up to {_mib(MAX_DOCX_BYTES)}",
            hint="save the draft without its largest pictures (or compress them in Word) and import that",
        )
    data = source.read_bytes()
    if not data:
        raise SourceError(Location(source), "the file is empty (0 bytes)", hint="save the document again in Word")
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTION_STREAM in data:
            raise SourceError(
                Location(source),
                "the Word file is password-protected (encrypted)",
                hint="remove the password in Word (File > Info > Protect Document) and save a copy",
            )
        raise SourceError(
            Location(source),
            "this is an old Word 97-2003 .doc file, not a .docx",
            hint="open it in Word and save it as a Word Document (.docx)",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_unpacked_sizes(source, archive.infolist())
            names = set(archive.namelist())
            if "word/document.xml" not in names:
                raise SourceError(
                    Location(source),
                    "this is a ZIP file but not a Word document (no word/document.xml)",
                    hint="export the draft from Word as a .docx file",
                )
            return {
                name: archive.read(name)
                for name in (*_TEXT_PARTS, "word/comments.xml", "docProps/core.xml")
                if name in names
            }
    except zipfile.BadZipFile:
        raise SourceError(
            Location(source),
            "this is not a Word .docx file",
            hint="council imports .docx files saved by Word, LibreOffice or Google Docs",
        ) from None


def _check_unpacked_sizes(source: Path, parts: list[zipfile.ZipInfo]) -> None:
    """Refuse a file whose zip directory says it unpacks too large or too compressed. zipfile never
    reads a part beyond the size its directory gives, so the directory is a bound, not a promise."""
    hint = "a real draft is far smaller: open it in Word, save a copy as .docx, and import that"
    if len(parts) > MAX_PARTS:
        raise SourceError(
            Location(source), f"the Word file has {len(parts)} parts; council reads at most {MAX_PARTS}", hint=hint
        )
    unpacked = sum(part.file_size for part in parts)
    largest = max(parts, key=lambda part: part.file_size, default=None)
    if unpacked > MAX_UNPACKED_BYTES:
        raise SourceError(
            Location(source),
            f"the Word file unpacks to {_mib(unpacked)} ({largest.filename if largest else '?'} alone is "
            f"{_mib(largest.file_size if largest else 0)}); council imports Word files up to "
            f"{_mib(MAX_UNPACKED_BYTES)} unpacked",
            hint=hint,
        )
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > RATIO_FROM_BYTES and ratio > MAX_RATIO:
            raise SourceError(
                Location(source),
                f"{part.filename} in the Word file unpacks to {ratio:.0f} times its packed size; council "
                f"refuses parts compressed more than {MAX_RATIO} to 1, the mark of a zip bomb",
                hint=hint,
            )


def _mib(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MiB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KiB"


def _refuse_existing(target: Path, force: bool) -> None:
    if not target.exists():
        return
    if not force:
        raise SourceError(
            Location(target),
            "a note with this name already exists",
            hint="choose another name with --slug, or replace the note with --force",
        )
    if _is_published(target):
        raise SourceError(
            Location(target),
            "this note is published; --force never replaces a published note",
            hint="import under another name with --slug and copy across what you need",
        )


def _is_published(path: Path) -> bool:
    text = path.read_text(encoding="utf-8", errors="replace")
    head = text.split("\n---", 1)[0]
    return re.search(r"^status:\s*[\"']?published\b", head, re.M) is not None


def _xml(data: bytes) -> etree._Element:
    # libxml2's own limits stay on (no huge_tree): with the sizes checked above they never bind a real
    # document, and they stop a deep or huge tree that got through
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


def _count_changes(parts: dict[str, bytes]) -> int:
    return sum(1 for name in _TEXT_PARTS if name in parts for element in _xml(parts[name]).iter(*_CHANGE_TAGS))


def _count_unimported(parts: dict[str, bytes]) -> tuple[int, int]:
    """Pictures linked to outside files and altChunk parts: pandoc leaves both out, so the import
    counts them and says so rather than drop them without a word."""
    linked = chunks = 0
    for name in _TEXT_PARTS:
        if name in parts:
            root = _xml(parts[name])
            linked += sum(1 for blip in root.iter(A_BLIP) if blip.get(R + "link") and not blip.get(R + "embed"))
            chunks += sum(1 for _ in root.iter(W + "altChunk"))
    return linked, chunks


def _count_comments(parts: dict[str, bytes]) -> int:
    return len(_xml(parts["word/comments.xml"]).findall(W + "comment")) if "word/comments.xml" in parts else 0


def _zip_with(source: Path, replaced: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in archive.infolist():
            copy.writestr(info, replaced.get(info.filename, archive.read(info.filename)))
    return out.getvalue()


# --- citation fields ---
def _rewrite_citation_fields(parts: dict[str, bytes], fields: _Fields) -> dict[str, bytes]:
    rewritten = {}
    for name in _TEXT_PARTS:
        if name not in parts:
            continue
        root = _xml(parts[name])
        changed = False
        for instr_elements in _field_instructions(root):
            code = "".join(e.text or "" for e in instr_elements)
            if "CSL_CITATION" not in code:
                continue
            new_code = _rewrite_code(code, fields)
            if new_code is not None:
                instr_elements[0].text = new_code
                for element in instr_elements[1:]:
                    element.text = ""
                changed = True
        for simple in root.iter(W + "fldSimple"):
            code = simple.get(W + "instr") or ""
            if "CSL_CITATION" in code and (new_code := _rewrite_code(code, fields)) is not None:
                simple.set(W + "instr", new_code)
                changed = True
        if changed:
            rewritten[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return rewritten


def _field_instructions(root: etree._Element) -> list[list[etree._Element]]:
    """The instrText elements of each complex field, in order (Word splits long codes over many runs)."""
    found: list[list[etree._Element]] = []
    stack: list[list[etree._Element] | None] = []
    for element in root.iter(W + "fldChar", W + "instrText"):
        if element.tag == W + "instrText":
            if stack and stack[-1] is not None:
                stack[-1].append(element)
            continue
        kind = element.get(W + "fldCharType")
        if kind == "begin":
            stack.append([])
        elif kind == "separate" and stack:
            if stack[-1]:
                found.append(stack[-1])
            stack[-1] = None
        elif kind == "end" and stack:
            last = stack.pop()
            if last:
                found.append(last)
    return found


def _rewrite_code(code: str, fields: _Fields) -> str | None:
    start, end = code.find("{"), code.rfind("}")
    try:
        data = json.loads(code[start : end + 1])
        items = data["citationItems"]
    except (ValueError, KeyError, TypeError):
        fields.unreadable += 1
        return None
    fields.count += 1
    mendeley = "ZOTERO_ITEM" not in code
    for item in items:
        work = item.get("itemData") or {"id": item.get("id"), "title": str(item.get("id"))}
        if mendeley:
            work = item["itemData"] = _unescaped(work)
        identity = json.dumps({k: v for k, v in work.items() if k != "id"}, sort_keys=True, ensure_ascii=False)
        work_id = "w" + hashlib.sha256(identity.encode()).hexdigest()[:16]
        fields.works.setdefault(work_id, work)
        item["id"] = work_id
        locator = str(item.pop("locator", "") or "").strip()
        label = str(item.pop("label", "") or "page")
        suffix = str(item.get("suffix") or "").strip()
        if locator:
            singular, plural = _HOUSE_LABELS.get(label, (label, label))
            house = f"{plural if re.search(r'[-–—,&]', locator) else singular} {locator}"
            suffix = house + ("" if not suffix else (suffix if suffix[0] in ",;" else " " + suffix))
        if suffix:
            item["suffix"] = ", " + suffix
        else:
            item.pop("suffix", None)
    return code[:start] + json.dumps(data, ensure_ascii=False) + code[end + 1 :]


# Mendeley embeds the BibTeX it imported, escapes and all, in its CSL data, and escapes them again:
# `{\{ANYONE\}?:}` for "ANYONE?:" (braces protecting case), `\textbackslash\&` for "&".
_LATEX_BACKSLASH = re.compile(r"\\textbackslash(?:\{\}|\s)?")
_LATEX_ESCAPE = re.compile(r"\\([&%$#_{}])")


def _unescaped(value: object) -> object:
    """A Mendeley CSL item (or any value in it) as plain text: LaTeX escapes and braces undone."""
    if isinstance(value, dict):
        return {key: _unescaped(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_unescaped(item) for item in value]
    if not isinstance(value, str) or not any(c in value for c in "\\{}"):
        return value
    text = _LATEX_BACKSLASH.sub("", value)
    text = _LATEX_ESCAPE.sub(lambda m: "" if m.group(1) in "{}" else m.group(1), text)
    return " ".join(text.replace("{", "").replace("}", "").split())


# --- the document tree ---
def _stringify(nodes: object) -> str:
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


class _Converter:
    """Brings pandoc's tree of the Word file to a note's body."""

    def __init__(self, result: ImportResult, slug: str, fields: _Fields) -> None:
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
            if _stringify(text) in (target, target.removeprefix("mailto:")) and ":" in text[0].get("c", ""):
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
        alt_text = _stringify(alt) or title.strip()
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


# --- front matter ---
def _core_properties(parts: dict[str, bytes]) -> dict[str, str]:
    if "docProps/core.xml" not in parts:
        return {}
    root = _xml(parts["docProps/core.xml"])
    found = {}
    for element in root:
        name = etree.QName(element).localname
        if element.text and element.text.strip():
            found[name] = " ".join(element.text.split())
    return found


def _meta_text(meta: dict, name: str) -> str:
    value = meta.get(name)
    if not value:
        return ""
    if value["t"] in ("MetaInlines", "MetaBlocks"):
        return _stringify(value["c"])
    if value["t"] == "MetaString":
        return value["c"]
    if value["t"] == "MetaList":
        return "; ".join(_stringify(v["c"]) if v["t"] != "MetaString" else v["c"] for v in value["c"])
    return ""


def _front_matter(
    meta: dict, blocks: list, parts: dict[str, bytes], authors: tuple[str, ...], result: ImportResult
) -> dict:
    core = _core_properties(parts)
    # the document's Title paragraph (pandoc gives it as meta title), else its title property; never a
    # reference list's heading, which a plugin may have put there
    candidates = (_meta_text(meta, "title"), _DRAFT_TITLE.sub("", core.get("title", "")))
    title = next((t for t in candidates if t and not _is_reference_heading(t)), "")
    heading = next((b for b in blocks if b["t"] == "Header" and not _is_reference_heading(_stringify(b["c"][2]))), None)
    if heading is not None and (not title or _stringify(heading["c"][2]) == title):
        title = _stringify(heading["c"][2])  # the first heading is the title: not a section of the note
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
    return block["t"] == "Header" and _stringify(block["c"][2]).strip().rstrip(":").casefold() in names


def _take_section(blocks: list, name: str) -> str:
    for index, block in enumerate(blocks):
        if _heading_is(block, name):
            end = index + 1
            while end < len(blocks) and blocks[end]["t"] in ("Para", "Plain"):
                end += 1
            text = " ".join(_stringify([b]) for b in blocks[index + 1 : end])
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
            block["t"] in ("Para", "Plain") and _stringify([block]).strip().rstrip(":").casefold() == "key points"
        )
        if is_label and index + 1 < len(blocks) and blocks[index + 1]["t"] in ("BulletList", "OrderedList"):
            items = blocks[index + 1]["c"] if blocks[index + 1]["t"] == "BulletList" else blocks[index + 1]["c"][1]
            del blocks[index : index + 2]
            return [_stringify(item) for item in items if _stringify(item)]
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


def _shift_headings(blocks: list) -> list:
    """Sections are level 2 in a note (the title is level 1)."""
    levels = [b["c"][0] for b in blocks if b["t"] == "Header"]
    shift = 2 - min(levels) if levels else 0
    for block in blocks:
        if block["t"] == "Header":
            block["c"][0] = min(6, block["c"][0] + shift)
    return blocks


# --- the library ---
def _key_works(
    config: ProjectConfig, cited: list[str], fields: _Fields, result: ImportResult
) -> tuple[dict[str, str], list[dict]]:
    library, _ = load_library(config.bibliography_dir)
    # every work, not only the cited ones: a draft's citation may match any of them
    library, _ = with_csl(library, library.entries, ContentCache(config.cache_dir))
    index = LibraryIndex(library)
    keys: dict[str, str] = {}
    new_entries: list[dict] = []
    for work_id in cited:
        work = fields.works[work_id]
        title = str(work.get("title") or "")
        key = index.find(work)
        if key is not None:
            keys[work_id] = key
            if key not in result.added:
                result.matched[key] = title
            continue
        key = new_key(work, index.keys)
        entry = {k: v for k, v in work.items() if k != "id"} | {"id": key}
        index.add(key, entry)
        new_entries.append(entry)
        keys[work_id] = key
        result.added[key] = title
    return keys, new_entries


def _bib_addition(config: ProjectConfig, entries: list[dict]) -> str:
    if not entries:
        return ""
    return run_pandoc(["--from", "csljson", "--to", "biblatex"], input_text=json.dumps(entries, ensure_ascii=False))


# --- writing ---
_WRITER = (
    "markdown-simple_tables-multiline_tables-raw_attribute-fenced_divs-bracketed_spans-native_divs"
    "-native_spans-header_attributes-link_attributes-smart"
)


# pandoc writes a literal "<" of the text as `\<`; a note's safety rules read any "<" followed by a name
# as a tag, so the import writes the entities, which read back as the same characters and are never markup
_ESCAPED_ANGLE = re.compile(r"(?<!\\)((?:\\\\)*)\\([<>])")
_ENTITIES = {"<": "&lt;", ">": "&gt;"}


def _markdown(blocks: list) -> str:
    document = {"pandoc-api-version": [1, 23, 1], "meta": {}, "blocks": blocks}
    text = run_pandoc(["--from", "json", "--to", _WRITER, "--wrap=none"], input_text=json.dumps(document))
    return _ESCAPED_ANGLE.sub(lambda m: m.group(1) + _ENTITIES[m.group(2)], text).strip() + "\n"


def _check_safe(target: Path, text: str, root: Path, result: ImportResult) -> None:
    """The imported note must pass the same safety rules as one written by hand (images aside: they
    are written only at the end)."""
    body = text.split("\n---\n", 1)[1]
    first_line = text[: len(text) - len(body)].count("\n") + 1
    problems = [
        p
        for p in unsafe_content(target, body, first_line, root)
        if "does not exist" not in p.message and "no text alternative" not in p.message
    ]
    if problems:
        raise ProblemsFound(problems)


def _write_all(
    config: ProjectConfig,
    target: Path,
    text: str,
    slug: str,
    images: list[tuple[Path, str]],
    bib_text: str,
    result: ImportResult,
) -> None:
    """Everything is prepared beside its destination, then renamed into place; a failure removes what
    was prepared, so no half-written note, image folder or bibliography is ever left."""
    staged: list[tuple[Path, Path]] = []
    media = config.briefings_dir / "media" / slug
    new_media_folder = not media.parent.exists()
    try:
        config.briefings_dir.mkdir(parents=True, exist_ok=True)
        if images:
            media.parent.mkdir(parents=True, exist_ok=True)
            folder = Path(tempfile.mkdtemp(prefix=f".{slug}-", dir=media.parent))
            for source, name in images:
                shutil.copyfile(source, folder / name)
            staged.append((folder, media))
            result.images = [media / name for _, name in images]
        if bib_text:
            bib = config.bibliography_dir / IMPORTED_BIB
            existing = (
                bib.read_text(encoding="utf-8")
                if bib.exists()
                else (
                    "@comment{Works cited by drafts imported from Word (council import), converted from the CSL data "
                    "their reference manager embedded. Check each entry, and add it to your reference manager.}\n"
                )
            )
            staged.append((_stage_file(bib, existing.rstrip("\n") + "\n\n" + bib_text), bib))
        staged.append((_stage_file(target, text), target))
    except BaseException as exc:
        for temporary, _ in staged:
            shutil.rmtree(temporary, ignore_errors=True) if temporary.is_dir() else temporary.unlink(missing_ok=True)
        if new_media_folder and media.parent.is_dir() and not any(media.parent.iterdir()):
            media.parent.rmdir()
        if isinstance(exc, OSError):
            where = Path(exc.filename) if exc.filename else target
            raise SourceError(
                Location(where),
                f"could not write the import ({exc.strerror}); nothing was written",
                hint="check that the folder is writable and that this is a file, not a folder",
            ) from None
        raise
    for temporary, destination in staged:
        if temporary.is_dir():
            if destination.exists():
                shutil.rmtree(destination)
        os.replace(temporary, destination)


def _stage_file(destination: Path, text: str) -> Path:
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{destination.name}.", dir=destination.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    os.chmod(name, 0o644)
    return Path(name)


def import_report(result: ImportResult, root: Path) -> list[str]:
    """What the author needs to know, one line each; warnings say what to fix."""

    def shown(path: Path) -> str:
        return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)

    lines = [f"created {shown(result.note)} (status: draft)"]
    lines.append(
        f"citations: {len(result.matched)} work(s) found in the library, {len(result.added)} added to "
        f"bibliography/{IMPORTED_BIB}"
    )
    for key, title in result.added.items():
        lines.append(f"  added @{key}: {title} (add it to your reference manager too)")
    if result.images:
        lines.append(f"images: {len(result.images)} saved in {shown(result.images[0].parent)}")
    for image in result.images_without_alt:
        lines.append(
            f"warning: the image {image} has no alt text in Word; describe it in the note "
            "(council check refuses images without one)"
        )
    if result.linked_pictures:
        lines.append(
            f"warning: {result.linked_pictures} picture(s) linked to files outside the document were not "
            "imported; insert them in Word (Insert > Pictures, not 'Link to File') or add them to the note"
        )
    if result.alt_chunks:
        lines.append(
            f"warning: {result.alt_chunks} embedded document part(s) (altChunk: HTML, RTF or another Word "
            "file pasted in) were not imported; open the file in Word, save it, and import it again"
        )
    if result.comments_dropped:
        lines.append(f"comments: {result.comments_dropped} Word comment(s) dropped")
    if result.changes_accepted:
        lines.append(f"tracked changes: {result.changes_accepted} accepted (--accept-changes)")
    if result.raw_removed:
        lines.append(f"removed: {result.raw_removed} piece(s) of raw Word or HTML markup, or unsafe links")
    if result.unreadable_fields:
        lines.append(
            f"warning: {result.unreadable_fields} citation field(s) could not be read and came in as "
            "plain text; cite those works by key"
        )
    if result.unkeyed:
        lines.append(
            f"warning: {len(result.unkeyed)} citation(s) came from fields other than Zotero's or Mendeley's "
            "(EndNote?) and keep that program's ids; replace them with library keys"
        )
    if result.references_dropped:
        lines.append("the document's reference list was left out: council builds it from the citations")
    if result.placeholders:
        lines.append(f"to do: {', '.join(result.placeholders)} still hold the template's placeholder text")
    lines.append("next: read the note through, then run `council check`")
    return lines
