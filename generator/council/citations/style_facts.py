"""What the renderer needs to know about a CSL style beyond its file: whether it is a note style,
and which locator labels it defines itself (OSCOLA defines 's' for section, for example)."""

from __future__ import annotations

import xml.etree.ElementTree as etree
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CSL = "{http://purl.org/net/xbiblio/csl}"


@dataclass(frozen=True)
class StyleFacts:
    note_style: bool
    own_labels: tuple[str, ...]  # short forms the style's own locale gives to terms, e.g. ("s", "ss")
    legal_tables: bool = False  # OSCOLA: cases and legislation listed apart from the secondary sources


def style_facts(style_file: Path) -> StyleFacts:
    """Read afresh each time (an edited style shows in the next `council serve` build); parsed once per
    content."""
    return _facts(style_file.read_bytes())


@cache
def _facts(style: bytes) -> StyleFacts:
    root = etree.fromstring(style)
    labels = []
    for term in root.iterfind(f"{CSL}locale/{CSL}terms/{CSL}term[@form='short']"):
        texts = [term.text or ""] + [(child.text or "") for child in term]
        labels.extend(t.strip() for t in texts if t and t.strip())
    return StyleFacts(root.get("class") == "note", tuple(dict.fromkeys(labels)), _is_oscola(root))


def _is_oscola(root: etree.Element) -> bool:
    """OSCOLA itself, council's adaptation (csl/oscola.csl) or a project's copy of either: by the style's
    id, or the style it names as its template."""
    names = [root.findtext(f"{CSL}info/{CSL}id") or ""]
    names += [link.get("href", "") for link in root.iterfind(f"{CSL}info/{CSL}link[@rel='template']")]
    return any(name.rstrip("/").endswith("/oscola") for name in names)
