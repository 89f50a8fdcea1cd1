"""Assemble the plain docs tree the site engine builds: Markdown pages (holding HTML that council
rendered), downloads and assets. Nothing engine-specific beyond page front matter."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources

from council.base.cache import ContentCache
from council.base.config import ProjectConfig
from council.base.errors import CouncilError
from council.base.keys import SharedInputs
from council.base.model import Briefing, Library, RenderedBriefing
from council.publish.citation_meta import Publisher, record_context, record_meta
from council.publish.cite import downloads as cite_downloads
from council.publish.indexes import RelatedBriefings, href, listing, topic_links
from council.publish.library import briefing_export_downloads, briefing_export_files, link_references_to_library
from council.publish.pages import NavEntry, briefing_folder, document_downloads, page_source
from council.publish.site_engine import CONTENT_SECURITY_POLICY, UNINDEXED
from council.publish.site_pages import ASK, site_url
from council.publish.writer import OutputWriter
from council.render.cite import CiteThis
from council.render.formats import DOWNLOADS, download_files
from council.render.templating import render_template

STYLESHEET = "assets/council.css"


def write_docs_tree(
    writer: OutputWriter,
    config: ProjectConfig,
    rendered: list[RenderedBriefing],
    library: Library | None = None,
    banner: Callable[[Briefing], str | None] = lambda briefing: None,
    citations: dict[str, CiteThis] | None = None,
) -> list[NavEntry]:
    """Write every page and download; return the site navigation as plain data. With the `library`,
    briefing pages link their references to the library page and offer them for download."""
    writer.write(STYLESHEET, resources.files("council").joinpath("templates/assets/council.css").read_bytes())
    newest_first = sorted(rendered, key=lambda r: (r.briefing.date, r.briefing.slug), reverse=True)
    related = RelatedBriefings(r.briefing for r in newest_first)
    publisher = publisher_of(config)
    for item in newest_first:
        write_briefing(
            writer,
            item,
            related,
            library,
            banner(item.briefing),
            publisher,
            (citations or {}).get(item.briefing.slug),
            config.search_full_text,
        )
    # the home page comes with the Archive (publish/archive.py): it lists only the latest briefings
    # Briefing pages are reached from the home and topic pages, not the navigation: a navigation
    # listing every briefing is repeated in every page, which grows the site quadratically.
    return [NavEntry("Home", "index.md")]


def write_briefing(
    writer: OutputWriter,
    item: RenderedBriefing,
    related: RelatedBriefings,
    library: Library | None = None,
    banner: str | None = None,
    publisher: Publisher | None = None,
    citation: CiteThis | None = None,
    full_text: bool = False,
) -> None:
    """`related` picks related briefings from every briefing on the site. Site search indexes the
    title, byline, summary, key points, contents (the headings) and topics; the body only with
    `full_text` (council.yml search_full_text)."""
    briefing = item.briefing
    folder = briefing_folder(briefing.slug)
    downloads = document_downloads(item.file_stem, DOWNLOADS)
    # publishing record: number, updates, and "Cite this briefing" with its BibTeX and RIS downloads
    record = record_context(briefing, citation and {"html": citation.html, "downloads": cite_downloads(briefing)})
    if citation is not None:
        writer.write(f"{folder}/{briefing.slug}-citation.bib", citation.bibtex)
        writer.write(f"{folder}/{briefing.slug}-citation.ris", citation.ris)
    references, reference_downloads = item.references_html, []
    # --- bibliography: references link to the library page and download as BibTeX, CSL JSON, RIS
    if library is not None and briefing.cited_keys:
        references = link_references_to_library(references, library)
        reference_downloads = briefing_export_downloads(briefing)
    html = render_template(
        "site_briefing.html.j2",
        briefing=briefing,
        body=item.html_body,
        references=references,
        reference_downloads=reference_downloads,
        headings=item.headings,
        tags=topic_links(briefing),
        downloads=downloads,
        related=listing(related(briefing), folder),
        banner=banner,
        ask_href=href(folder, ASK),
        record=record,
        unindexed=UNINDEXED,
        index_body=full_text,
    )
    meta = {
        "title": briefing.title,
        "description": briefing.summary,
        "hide": ["toc"],
        **record_meta(briefing, publisher),
    }
    writer.write(f"{folder}/index.md", page_source(meta, html))


def publisher_of(config: ProjectConfig) -> Publisher:
    return Publisher(config.organisation, config.site_name, site_url(config))


def write_withdrawn_pages(
    writer: OutputWriter, config: ProjectConfig, withdrawn: list[RenderedBriefing], public: list[Briefing]
) -> None:
    """A withdrawn briefing keeps its URL: a notice with the reason and date, its PDF, and the briefing
    that replaces it. Left out of the search index; listed nowhere (only `public` is listed)."""
    titles = {b.slug: b.title for b in public}
    for item in withdrawn:
        briefing = item.briefing
        folder = briefing_folder(briefing.slug)
        successor = briefing.superseded_by
        html = render_template(
            "site_withdrawn.html.j2",
            briefing=briefing,
            downloads=document_downloads(item.file_stem, DOWNLOADS),
            successor=(titles[successor], href(folder, briefing_folder(successor))) if successor in titles else None,
        )
        meta = {
            "title": f"Withdrawn: {briefing.title}",
            "description": briefing.withdrawn_reason,
            "hide": ["toc"],
            "search": {"exclude": True},
            **record_meta(briefing, publisher_of(config)),
        }
        writer.write(f"{folder}/index.md", page_source(meta, html))


def write_redirects(site: OutputWriter, aliases: dict[str, Briefing], base_url: str = "") -> None:
    """A page at each old URL of a renamed briefing, sending readers to the new one. Written into the
    built site, so it is in neither the search index nor the sitemap; never over a page that exists."""
    for alias, briefing in sorted(aliases.items()):
        target = f"{briefing_folder(alias)}/index.html"
        if site.path_for(target).exists():
            raise CouncilError(f"the alias '{alias}' of {briefing.slug}.md would replace a live page; remove it")
        relative = href(briefing_folder(alias), briefing_folder(briefing.slug))
        canonical = f"{base_url.rstrip('/')}/{briefing_folder(briefing.slug)}/" if base_url else relative
        site.write(
            target,
            render_template(
                "site_redirect.html.j2",
                briefing=briefing,
                href=relative,
                canonical=canonical,
                csp=CONTENT_SECURITY_POLICY,
            ),
        )


def write_alias_downloads(site: OutputWriter, aliases: dict[str, Briefing], rendered: list[RenderedBriefing]) -> None:
    """The PDF and Word file at each old address too (`old-slug/old-slug.pdf`): ministerial papers cite
    those, and a static host serves no redirect for a file. The same finished files, linked."""
    by_slug = {item.briefing.slug: item for item in rendered}
    for alias, briefing in sorted(aliases.items()):
        item = by_slug.get(briefing.slug)
        if item is None:
            continue
        for name, finished in download_files(alias, item.outputs):
            site.copy(f"{briefing_folder(alias)}/{name}", finished)


def write_downloads(
    site: OutputWriter, rendered: list[RenderedBriefing], library: Library, cache: ContentCache, shared: SharedInputs
) -> None:
    """Each format's file (render/formats.py) and the reference files go straight into the built site, copied from the render cache: the
    site engine has nothing to do with them, and copying thousands of files through it would only slow
    every build."""
    for item in rendered:
        folder = briefing_folder(item.briefing.slug)
        for name, finished in download_files(item.file_stem, item.outputs):
            site.copy(f"{folder}/{name}", finished)
        if item.briefing.cited_keys:
            for name, cached in briefing_export_files(item.briefing, library, cache, shared):
                site.copy(f"{folder}/{name}", cached)
        for name, source in item.media:
            site.write(f"{folder}/media/{name}", source.read_bytes())  # a copy: authors may edit images in place
