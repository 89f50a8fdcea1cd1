"""What a briefing page tells readers and their tools about the briefing as a publication: its number,
corrections and last update (shown on the page), and the same facts as machine-readable metadata in
the page head: Highwire Press `citation_*` tags (Google Scholar, Zotero), Dublin Core, Open Graph (link
previews) and schema.org `Report` as JSON-LD. Council puts them in the page's front matter; the theme
override `templates/theme/main.html` writes them, escaped, into the head."""

from __future__ import annotations

import json
from dataclasses import dataclass

from council.base.model import Briefing
from council.publish.pages import briefing_folder

JSONLD_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}  # inside <script> nothing may close it


@dataclass(frozen=True)
class Publisher:
    """Who publishes, and where: the organisation and the site's address ('' while it has none)."""

    organisation: str
    site_name: str = ""
    base_url: str = ""

    def url(self, briefing: Briefing, name: str = "") -> str:
        """The address of a briefing's page (or of a file beside it): absolute when the site has an
        address (site_url in mkdocs.yml), else relative to the page itself."""
        if not self.base_url:
            return name or "./"
        return f"{self.base_url.rstrip('/')}/{briefing_folder(briefing.slug)}/{name}"


def page_url(briefing: Briefing, publisher: Publisher) -> str:
    return publisher.url(briefing)


def pdf_url(briefing: Briefing, publisher: Publisher) -> str:
    return publisher.url(briefing, f"{briefing.slug}.pdf")


def record_context(briefing: Briefing, citation: dict | None = None) -> dict:
    """What the page's "publishing record" part shows: number, DOI, last update, the updates newest
    first, and the "Cite this briefing" reference with its downloads."""
    return {
        "number": briefing.number,
        "doi": briefing.doi,
        "last_updated": briefing.last_updated,
        "updated": bool(briefing.updates),
        "updates": sorted(briefing.updates, reverse=True),
        "citation": citation,
    }


def record_meta(briefing: Briefing, publisher: Publisher | None = None) -> dict:
    """Front matter for the page: `lastmod` for the sitemap, and the head's metadata."""
    publisher = publisher or Publisher("")
    return {
        "lastmod": briefing.last_updated.isoformat(),
        "council_meta": head_tags(briefing, publisher),
        "council_jsonld": json_ld(briefing, publisher),
    }


def head_tags(briefing: Briefing, publisher: Publisher) -> list[dict[str, str]]:
    """Each tag as {"name" or "property": ..., "content": ...}, in the order a reader's tool expects."""
    tags: list[tuple[str, str, str | None]] = [("name", "citation_title", briefing.title)]
    tags += [("name", "citation_author", author) for author in briefing.authors]
    tags += [
        ("name", "citation_publication_date", f"{briefing.date:%Y/%m/%d}"),
        ("name", "citation_pdf_url", pdf_url(briefing, publisher)),
        ("name", "citation_technical_report_institution", publisher.organisation or None),
        ("name", "citation_technical_report_number", briefing.number),
        ("name", "citation_doi", briefing.doi),
        ("name", "citation_language", briefing.lang),
        ("name", "DC.title", briefing.title),
    ]
    tags += [("name", "DC.creator", author) for author in briefing.authors]
    tags += [
        ("name", "DC.date", briefing.date.isoformat()),
        ("name", "DC.publisher", publisher.organisation or None),
        ("name", "DC.identifier", briefing.number),
        ("name", "DC.identifier", f"doi:{briefing.doi}" if briefing.doi else None),
        ("name", "DC.language", briefing.lang),
        ("name", "DC.type", "Text"),
        ("name", "DC.description", briefing.summary),
        ("property", "og:type", "article"),
        ("property", "og:title", briefing.title),
        ("property", "og:description", briefing.summary),
        ("property", "og:url", page_url(briefing, publisher)),
        ("property", "og:site_name", publisher.site_name or None),
        ("property", "og:locale", briefing.lang.replace("-", "_")),
        ("property", "article:published_time", briefing.date.isoformat()),
        ("property", "article:modified_time", briefing.last_updated.isoformat()),
    ]
    tags += [("property", "article:author", author) for author in briefing.authors]
    return [{kind: key, "content": value} for kind, key, value in tags if value]


def json_ld(briefing: Briefing, publisher: Publisher) -> str:
    """schema.org Report, as a string safe to place inside <script type="application/ld+json">."""
    item: dict = {
        "@context": "https://schema.org",
        "@type": "Report",
        "name": briefing.title,
        "headline": briefing.title,
        "abstract": briefing.summary,
        "author": [{"@type": "Person", "name": a} for a in briefing.authors],
        "datePublished": briefing.date.isoformat(),
        "dateModified": briefing.last_updated.isoformat(),
        "inLanguage": briefing.lang,
        "url": page_url(briefing, publisher),
        "encoding": {
            "@type": "MediaObject",
            "contentUrl": pdf_url(briefing, publisher),
            "encodingFormat": "application/pdf",
        },
    }
    if publisher.organisation:
        item["publisher"] = {"@type": "Organization", "name": publisher.organisation}
    if briefing.number:
        item["reportNumber"] = briefing.number
    if briefing.doi:
        item["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": briefing.doi}
        item["sameAs"] = f"https://doi.org/{briefing.doi}"
    if briefing.status == "withdrawn":
        item["creativeWorkStatus"] = "Withdrawn"
    text = json.dumps(item, ensure_ascii=False, sort_keys=True)
    for character, escape in JSONLD_ESCAPES.items():
        text = text.replace(character, escape)
    return text
