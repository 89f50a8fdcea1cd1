"""Finding briefings: one index page per workstream, toolkit tool, recommendation and country, and the
related briefings shown on each briefing page. Plain pages in the docs tree: no engine plugin."""

from __future__ import annotations

import heapq
import posixpath
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from council.base.model import Briefing
from council.base.vocabularies import country, vocabularies
from council.publish.pages import briefing_folder

RELATED_LIMIT = 3


@dataclass(frozen=True)
class Facet:
    name: str  # the front matter field
    segment: str  # the folder under topics/
    title: str  # what readers see, e.g. "Workstreams"
    singular: str


FACETS = (
    Facet("workstreams", "workstreams", "Workstreams", "Workstream"),
    Facet("tools", "toolkit", "Toolkit", "Toolkit tool"),
    Facet("recommendations", "recommendations", "Recommendations", "Recommendation"),
    Facet("countries", "countries", "Countries", "Country"),
)


@dataclass(frozen=True)
class Topic:
    facet: Facet
    value: str  # the id in the front matter (a country's alpha-3 code)
    label: str

    @property
    def folder(self) -> str:
        return f"topics/{self.facet.segment}/{self.value.lower()}"


def _label(facet: Facet, value: str) -> str:
    if facet.name == "countries":
        found = country(value)
        return found.name if found else value
    label = vocabularies()[facet.name].label(value)
    return f"{value}: {label}" if facet.name == "recommendations" else label


def topics_of(briefing: Briefing) -> list[Topic]:
    """Every topic a briefing carries, facet by facet, in the order the author gave them."""
    return [Topic(facet, value, _label(facet, value)) for facet in FACETS for value in getattr(briefing, facet.name)]


def newest_first(briefings: Iterable[Briefing]) -> list[Briefing]:
    return sorted(briefings, key=lambda b: (b.date, b.slug), reverse=True)


def topic_index(briefings: Iterable[Briefing]) -> dict[Topic, list[Briefing]]:
    """Topic -> the briefings carrying it, newest first; topics in vocabulary order within each facet."""
    found: dict[Topic, list[Briefing]] = defaultdict(list)
    for briefing in briefings:
        for topic in topics_of(briefing):
            found[topic].append(briefing)
    return {topic: newest_first(found[topic]) for topic in sorted(found, key=_topic_order)}


def _topic_order(topic: Topic) -> tuple[int, int, str]:
    facet = FACETS.index(topic.facet)
    if topic.facet.name == "countries":
        return (facet, 0, topic.label)
    return (facet, list(vocabularies()[topic.facet.name].labels).index(topic.value), "")


class RelatedBriefings:
    """Briefings sharing workstreams or countries with a given one: most shared first, then newest.

    Briefings with the same workstreams and countries share one ranking, computed once, so a site of
    thousands of briefings does not compare every pair."""

    def __init__(self, briefings: Iterable[Briefing], limit: int = RELATED_LIMIT) -> None:
        self._briefings = list(briefings)
        self._limit = limit
        self._rankings: dict[tuple[frozenset[str], frozenset[str]], list[Briefing]] = {}

    def __call__(self, briefing: Briefing) -> list[Briefing]:
        signature = (frozenset(briefing.workstreams), frozenset(briefing.countries))
        if signature not in self._rankings:
            self._rankings[signature] = self._rank(*signature)
        return [other for other in self._rankings[signature] if other.slug != briefing.slug][: self._limit]

    def _rank(self, workstreams: frozenset[str], countries: frozenset[str]) -> list[Briefing]:
        scored = (
            (len(workstreams.intersection(o.workstreams)) + len(countries.intersection(o.countries)), o)
            for o in self._briefings
        )
        best = heapq.nsmallest(
            self._limit + 1,
            ((-score, -o.date.toordinal(), o.slug, o) for score, o in scored if score > 0),
            key=lambda item: item[:3],
        )
        return [item[3] for item in best]


def href(from_folder: str, to_folder: str) -> str:
    """A relative link between two directory-style pages ('' is the home page)."""
    relative = posixpath.relpath(to_folder or ".", from_folder or ".")
    return "./" if relative == "." else relative + "/"


@dataclass(frozen=True)
class Listed:
    """A briefing as index pages list it: title, date, summary and a link from the listing page."""

    briefing: Briefing
    href: str


def listing(briefings: Iterable[Briefing], from_folder: str) -> list[Listed]:
    return [Listed(b, href(from_folder, briefing_folder(b.slug))) for b in briefings]


def topic_links(briefing: Briefing) -> list[tuple[str, list[tuple[str, str]]]]:
    """The Topics box of a briefing page: (facet title, [(label, link to the topic's index page)])."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for topic in topics_of(briefing):
        groups.setdefault(topic.facet.title, []).append(
            (topic.label, href(briefing_folder(briefing.slug), topic.folder))
        )
    return list(groups.items())


def by_year(briefings: Iterable[Briefing]) -> list[tuple[int, list[Briefing]]]:
    """(year, its briefings newest first), newest year first."""
    years: dict[int, list[Briefing]] = defaultdict(list)
    for briefing in newest_first(briefings):
        years[briefing.date.year].append(briefing)
    return sorted(years.items(), reverse=True)


def paginate(items: list, size: int) -> list[list]:
    """`items` in pages of at most `size`; always at least one (empty) page."""
    return [items[start : start + size] for start in range(0, len(items), size)] or [[]]


def page_folder(folder: str, number: int) -> str:
    """Page 1 of a paginated listing is its folder; page n is folder/page/n."""
    return folder if number == 1 else f"{folder}/page/{number}"
