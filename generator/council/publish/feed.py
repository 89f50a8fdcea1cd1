"""An Atom feed (RFC 4287) of published briefings, so policymakers can subscribe in any feed reader
or email service. Built only from briefings that passed the publication gate."""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET

from council.base.model import Briefing
from council.base.vocabularies import vocabularies
from council.publish.agenda import AnsweredRequest
from council.publish.indexes import newest_first
from council.publish.pages import briefing_folder

ATOM = "http://www.w3.org/2005/Atom"
FEED_PATH = "feed.xml"
REQUESTS_FEED_PATH = "requests.xml"  # answered requests, for departments following their questions
# Stable ids: the same briefing keeps its id in every build, whatever the site's address.
_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:council:atrocity-prevention-research-council")


def entry_id(slug: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_ID_NAMESPACE, 'briefing/' + slug)}"


def _timestamp(day: dt.date) -> str:
    return dt.datetime.combine(day, dt.time(0, 0), dt.UTC).isoformat().replace("+00:00", "Z")


def atom_feed(public: list[Briefing], *, title: str, organisation: str, base_url: str = "") -> bytes:
    """`base_url` (the site's address, from site_url in mkdocs.yml) makes links absolute; without it
    links are relative to the feed, which feed readers resolve from where they fetched it."""
    base = base_url.rstrip("/") + "/" if base_url else ""
    entries = newest_first(public)
    feed = _feed(
        base,
        f"{title}: briefings",
        f"Research briefings published by the {organisation}",
        "feed",
        max(b.last_updated for b in entries) if entries else None,
        FEED_PATH,
        base or "./",
        organisation,
    )
    labels = vocabularies()["workstreams"]
    for briefing in entries:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "title", briefing.title)
        _text(entry, "id", entry_id(briefing.slug))
        _text(entry, "published", _timestamp(briefing.date))
        _text(entry, "updated", _timestamp(briefing.last_updated))  # a correction reaches feed readers
        ET.SubElement(
            entry, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=f"{base}{briefing_folder(briefing.slug)}/"
        )
        for name in briefing.authors:
            _text(ET.SubElement(entry, f"{{{ATOM}}}author"), "name", name)
        for workstream in briefing.workstreams:
            ET.SubElement(entry, f"{{{ATOM}}}category", term=workstream, label=labels.label(workstream))
        _text(entry, "summary", briefing.summary)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def requests_feed(
    answered: list[AnsweredRequest], *, title: str, organisation: str, agenda: str, base_url: str = ""
) -> bytes:
    """Answered requests whose answer is published, newest answer first: the question, who asked,
    and links to the request's line on the agenda (`agenda` is its folder) and to each briefing."""
    base = base_url.rstrip("/") + "/" if base_url else ""
    items = sorted(
        (a for a in answered if a.briefings), key=lambda a: (a.briefings[0].date, a.request.id), reverse=True
    )
    feed = _feed(
        base,
        f"{title}: answered requests",
        f"Questions from departments that the {organisation} has answered with a briefing",
        "requests-feed",
        items[0].briefings[0].date if items else None,
        REQUESTS_FEED_PATH,
        f"{base}{agenda}/",
        organisation,
    )
    for item in items:
        request, first = item.request, item.briefings[0]
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "title", f"{request.id}: {request.question}")
        _text(entry, "id", f"urn:uuid:{uuid.uuid5(_ID_NAMESPACE, 'request/' + request.id)}")
        _text(entry, "published", _timestamp(first.date))
        _text(entry, "updated", _timestamp(item.briefings[-1].date))
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=f"{base}{agenda}/#{request.id}")
        for briefing in item.briefings:
            ET.SubElement(
                entry,
                f"{{{ATOM}}}link",
                rel="related",
                type="text/html",
                title=briefing.title,
                href=f"{base}{briefing_folder(briefing.slug)}/",
            )
        _text(
            entry,
            "summary",
            f"Asked by {request.department} on {request.asked.isoformat()}; answered in "
            + "; ".join(b.title for b in item.briefings)
            + (f" after {item.days_taken} days." if item.days_taken is not None else "."),
        )
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _feed(
    base: str,
    title: str,
    subtitle: str,
    key: str,
    updated: dt.date | None,
    path: str,
    alternate: str,
    organisation: str,
) -> ET.Element:
    """A feed's own elements; `key` gives it an id that stays the same in every build."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    if base:
        feed.set("{http://www.w3.org/XML/1998/namespace}base", base)
    _text(feed, "title", title)
    _text(feed, "subtitle", subtitle)
    _text(feed, "id", f"urn:uuid:{uuid.uuid5(_ID_NAMESPACE, key)}")
    _text(feed, "updated", _timestamp(updated or dt.date(2000, 1, 1)))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", type="application/atom+xml", href=f"{base}{path}")
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=alternate)
    _text(ET.SubElement(feed, f"{{{ATOM}}}author"), "name", organisation)
    return feed


def _text(parent: ET.Element, name: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{name}")
    element.text = value
    return element
