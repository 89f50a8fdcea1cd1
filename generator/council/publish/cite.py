""" "Cite this briefing", the data: a CSL item for the briefing itself (formatted in the house style by
render/cite.py) and the downloads beside it."""

from __future__ import annotations

from council.base.model import Briefing
from council.publish.citation_meta import Publisher
from council.publish.pages import Download

GENRE = "Research briefing"
# Titles and honorifics are not part of a name in a reference (OSCOLA and every author-date style).
HONORIFICS = frozenset("dr prof professor sir dame lord lady baroness baron mr mrs ms mx rev revd".split())


def csl_items(briefings: list[Briefing], publisher: Publisher) -> dict[str, dict]:
    """Slug -> the briefing's own CSL item, for each briefing given."""
    return {b.slug: csl_item(b, publisher) for b in briefings}


def split_name(name: str) -> dict[str, str]:
    """'Dr Amara Okafor' -> {'given': 'Amara', 'family': 'Okafor'}; a single word stays a literal name."""
    words = [w for w in name.split() if w.lower().rstrip(".") not in HONORIFICS] or name.split()
    if len(words) < 2:
        return {"literal": " ".join(words)}
    return {"given": " ".join(words[:-1]), "family": words[-1]}


def csl_item(briefing: Briefing, publisher: Publisher) -> dict:
    item: dict = {
        "id": briefing.slug,
        "type": "report",
        "title": briefing.title,
        "genre": GENRE,
        "author": [split_name(a) for a in briefing.authors],
        "issued": {"date-parts": [[briefing.date.year, briefing.date.month, briefing.date.day]]},
        "language": briefing.lang,
    }
    if publisher.organisation:
        item["publisher"] = publisher.organisation
    if briefing.number:
        item["number"] = briefing.number
    if publisher.base_url:
        item["URL"] = publisher.url(briefing)
    if briefing.doi:
        item["DOI"] = briefing.doi
    return item


def downloads(briefing: Briefing) -> list[Download]:
    return [
        Download(f"{briefing.slug}-citation.bib", "Cite this briefing (BibTeX)"),
        Download(f"{briefing.slug}-citation.ris", "Cite this briefing (RIS)"),
    ]
