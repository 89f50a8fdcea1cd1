"""Assemble the plain docs tree the site engine builds: Markdown pages (holding HTML that council
rendered), downloads and assets. Nothing engine-specific beyond page front matter."""
from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import yaml

from council.config import ProjectConfig
from council.model import RenderedBriefing
from council.publish.writer import OutputWriter
from council.render.templating import render_template
from council.vocabularies import country, vocabularies

STYLESHEET = "assets/council.css"


@dataclass(frozen=True)
class Download:
    href: str
    label: str
    size: str


def briefing_dir(slug: str) -> str:
    return f"briefings/{slug}"


def page_source(meta: dict, html: str) -> str:
    """A page: YAML front matter for the site engine, then the HTML council rendered."""
    return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n\n" + html


NavEntry = dict[str, "str | list[NavEntry]"]


def write_docs_tree(writer: OutputWriter, config: ProjectConfig, rendered: list[RenderedBriefing]) -> list[NavEntry]:
    """Write every page and download; return the site navigation as plain data."""
    writer.write(STYLESHEET, resources.files("council").joinpath("templates/assets/council.css").read_bytes())
    newest_first = sorted(rendered, key=lambda r: (r.briefing.date, r.briefing.slug), reverse=True)
    for item in newest_first:
        write_briefing(writer, item)
    home = render_template("site_home.html.j2", site_name=config.site_name, organisation=config.organisation,
                           briefings=[{"briefing": r.briefing, "href": f"{briefing_dir(r.briefing.slug)}/"}
                                      for r in newest_first])
    writer.write("index.md", page_source({"title": "Home", "hide": ["navigation", "toc"]}, home))
    return [{"Home": "index.md"},
            {"Briefings": [{r.briefing.title: f"{briefing_dir(r.briefing.slug)}/index.md"} for r in newest_first]}]


def write_briefing(writer: OutputWriter, item: RenderedBriefing) -> None:
    briefing = item.briefing
    folder = briefing_dir(briefing.slug)
    writer.write(f"{folder}/{briefing.slug}.pdf", item.pdf)
    writer.write(f"{folder}/{briefing.slug}.docx", item.docx)
    downloads = [Download(f"{briefing.slug}.pdf", "PDF (A4, tagged for screen readers)", human_size(len(item.pdf))),
                 Download(f"{briefing.slug}.docx", "Word document", human_size(len(item.docx)))]
    html = render_template("site_briefing.html.j2", briefing=briefing, body=item.html_body,
                           references=item.references_html, headings=item.headings,
                           tags=topic_groups(item), downloads=downloads)
    meta = {"title": briefing.title, "description": briefing.summary, "hide": ["toc"]}
    writer.write(f"{folder}/index.md", page_source(meta, html))


def topic_groups(item: RenderedBriefing) -> list[tuple[str, list[str]]]:
    vocab = vocabularies()
    briefing = item.briefing
    groups = [
        ("Workstreams", [vocab["workstreams"].label(w) for w in briefing.workstreams]),
        ("Toolkit", [vocab["tools"].label(t) for t in briefing.tools]),
        ("Recommendations", [f"{r}: {vocab['recommendations'].label(r)}" for r in briefing.recommendations]),
        ("Countries", [c.name for c in map(country, briefing.countries) if c]),
    ]
    return [(name, labels) for name, labels in groups if labels]


def human_size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"
