"""`council vocab`: the values front matter may use, so an author can look them up instead of guessing.

The values come from where the validator reads them (vocabularies.yml through `vocabularies()`, and
pycountry for ISO 3166-1 countries), so the list cannot drift from what `council check` accepts.
regions.yml only helps find countries by region (`council vocab sahel`)."""

from __future__ import annotations

from dataclasses import dataclass

import pycountry

from council.base.vocabularies import regions, vocabularies

FIELDS = ("workstreams", "tools", "recommendations")  # front-matter fields checked against vocabularies.yml


@dataclass(frozen=True)
class Entry:
    value: str  # what to write in the front matter
    label: str  # what it means
    regions: tuple[str, ...] = ()  # for a country: the regions of regions.yml it belongs to


@dataclass(frozen=True)
class VocabSection:
    field: str  # the front-matter field the values go in
    entries: tuple[Entry, ...]


def vocab_sections() -> list[VocabSection]:
    known = vocabularies()
    sections = [
        VocabSection(name, tuple(Entry(v, label) for v, label in known[name].labels.items())) for name in FIELDS
    ]
    member_of: dict[str, list[str]] = {}
    for region, codes in regions().items():
        for code in codes:
            member_of.setdefault(code, []).append(region)
    countries = [
        Entry(c.alpha_3, getattr(c, "common_name", None) or c.name, tuple(member_of.get(c.alpha_3, ())))
        for c in sorted(pycountry.countries, key=lambda c: c.alpha_3)
    ]
    return [*sections, VocabSection("countries", tuple(countries))]


def search(sections: list[VocabSection], words: str) -> list[VocabSection]:
    """The entries whose value, meaning or region holds every word, case-insensitively; sections with
    no match are left out."""
    wanted = words.lower().split()

    def matches(entry: Entry) -> bool:
        text = " ".join([entry.value, entry.label, *entry.regions]).lower()
        return all(word in text for word in wanted)

    found = [VocabSection(s.field, tuple(e for e in s.entries if matches(e))) for s in sections]
    return [s for s in found if s.entries]


def vocab_lines(sections: list[VocabSection]) -> list[str]:
    lines: list[str] = []
    for section in sections:
        width = max(len(e.value) for e in section.entries)
        lines.append(f"{section.field}:")
        lines.extend(
            f"  {e.value.ljust(width)}  {e.label}" + (f"  ({'; '.join(e.regions)})" if e.regions else "")
            for e in section.entries
        )
    return lines
