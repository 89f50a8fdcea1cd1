"""Zotero's and Mendeley's citation fields, rewritten before pandoc reads them: every work an id of
its own, pin cites in the house syntax, Mendeley's LaTeX escapes undone."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field

from lxml import etree

from council.authoring.word_import.docx_file import TEXT_PARTS, W, xml

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


@dataclass
class Fields:
    """What the citation fields held: each work by the id council gave it."""

    works: dict[str, dict] = field(default_factory=dict)
    count: int = 0
    unreadable: int = 0


def rewrite_citation_fields(parts: dict[str, bytes], fields: Fields) -> dict[str, bytes]:
    rewritten = {}
    for name in TEXT_PARTS:
        if name not in parts:
            continue
        root = xml(parts[name])
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


def _rewrite_code(code: str, fields: Fields) -> str | None:
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
