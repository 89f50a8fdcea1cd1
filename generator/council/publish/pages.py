"""Small pieces every page of the docs tree is made with: where a briefing lives, a page's source,
and a download link. One place, so every page agrees."""

from __future__ import annotations

import json
from dataclasses import dataclass

from council.render.formats import DOCX, PDF, OutputFormat


@dataclass(frozen=True)
class NavEntry:
    """One line of the site's navigation: a page of the docs tree, or a section of entries."""

    title: str
    target: str | tuple[NavEntry, ...]  # a page's path in the docs tree, or the section's entries

    def mkdocs(self) -> dict:
        """The entry as mkdocs.yml writes it: {title: page} or {title: [entries]}."""
        if isinstance(self.target, str):
            return {self.title: self.target}
        return {self.title: [entry.mkdocs() for entry in self.target]}


@dataclass(frozen=True)
class Download:
    href: str
    label: str  # its size is added from the file itself, after the site is built (download_sizes.py)


def document_downloads(stem: str, formats: tuple[OutputFormat, ...] = (PDF, DOCX)) -> list[Download]:
    """A briefing's or report's own files, described as GOV.UK describes attachments: format first.
    A briefing has every download format of the registry (render/formats.py); the report, its own."""
    return [Download(f.file_name(stem), f.label) for f in formats]


def briefing_folder(slug: str) -> str:
    return f"briefings/{slug}"


def page_source(meta: dict, html: str) -> str:
    """A page: front matter for the site engine, then the HTML council rendered."""
    # JSON is valid YAML, and much faster to write than yaml.safe_dump for thousands of pages.
    return "---\n" + json.dumps(meta, ensure_ascii=False) + "\n---\n\n" + html
