"""Download links show the size of the file they lead to. Pages leave the size empty (PDFs are still
being compiled while the site engine builds the pages); it is filled in here, in the built site,
from the very file the site serves, so a size can never disagree with its file."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

from council.base.errors import ToolError
from council.publish.writer import OutputWriter

# written by templates/_downloads.html.j2; the href is a file beside the page
_EMPTY_SIZE = re.compile(r'<span class="council-filesize" data-size-of="([^"/]+)"></span>')


def human_size(size: int) -> str:
    """'12 KB', '1.2 MB'; a file of a few bytes is '1 KB', never '0 KB', which reads as an empty file."""
    kilobytes = max(1, int(size / 1024 + 0.5)) if size > 0 else 0  # halves up
    if kilobytes < 1024:
        return f"{kilobytes} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def fill_download_sizes(site: OutputWriter) -> int:
    """Fill every empty size in the built site's pages; returns how many pages changed."""
    changed = 0
    for folder, _, names in os.walk(site.root):
        for name in names:
            if name.endswith(".html"):
                changed += _fill_page(site, Path(folder) / name)
    return changed


def _fill_page(site: OutputWriter, page: Path) -> bool:
    text = page.read_text(encoding="utf-8")
    if "data-size-of=" not in text:
        return False

    def size(match: re.Match) -> str:
        target = page.parent / html.unescape(match.group(1))
        try:
            label = human_size(target.stat().st_size)
        except OSError:
            raise ToolError(
                f"{page.relative_to(site.root)} offers '{target.name}' for download, "
                "but the built site has no such file"
            ) from None
        return f'<span class="council-filesize">({label})</span>'

    site.write(page.relative_to(site.root).as_posix(), _EMPTY_SIZE.sub(size, text))
    return True
