"""CSL styles as pandoc reads them. Which style a name means is style_catalogue.py's fact (council.yml
names the style, so the project config resolves it)."""

from __future__ import annotations

from pathlib import Path

from council.base.cache import ContentCache, content_key
from council.base.compact_xml import compact_xml, compact_xml_code


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
