"""Find a cited work (CSL JSON, as a reference manager embeds it in a Word file) in the library, and
give works that are not there a key in the library's own style.

A work matches by DOI, then by ISBN, then by its normalised title with its year and the family name
of its first author, so a work already in the library is never added twice under a second key.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from council.base.model import Library

# Words Better BibTeX's `shorttitle` leaves out of a key (articles, conjunctions, prepositions).
_SKIP_WORDS = frozenset(
    "a ab aboard about above across after against al along amid among an and anti around as at before behind "
    "below beneath beside besides between beyond but by d da das de del dell della dello dei degli der des di die "
    "du down during ein eine einem einen einer eines el en et except for from gli i il in inside into is l la las "
    "le les like lo los near nor of off on onto or over past per plus round save since so some sur than the "
    "through to toward towards un una unas under underneath une unlike uno unos until up upon versus via von "
    "while with within without yet zu zum".split()
)


def normalise_doi(value: object) -> str:
    text = str(value or "").strip().lower()
    return re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", text)


def normalise_isbns(value: object) -> set[str]:
    """Every ISBN in a field, as ISBN-13 digits (ISBN-10s converted), so both forms match."""
    found = set()
    for raw in re.split(r"[\s,;]+", str(value or "")):
        digits = re.sub(r"[^0-9Xx]", "", raw).upper()
        if len(digits) == 10:
            core = "978" + digits[:9]
            check = (10 - sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(core)) % 10) % 10
            found.add(core + str(check))
        elif len(digits) == 13:
            found.add(digits)
    return found


def _ascii_words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.findall(r"[a-z0-9]+", folded.replace("'", "").replace("\u2019", ""))


def first_family(item: dict) -> str:
    for role in ("author", "editor"):
        names = item.get(role)
        if isinstance(names, list) and names and isinstance(names[0], dict):
            name = names[0]
            return str(name.get("family") or name.get("literal") or "")
    return ""


def year_of(item: dict) -> str:
    issued = item.get("issued")
    if isinstance(issued, dict):
        parts = issued.get("date-parts")
        if parts and parts[0] and parts[0][0] not in (None, ""):
            return str(parts[0][0])
        issued = issued.get("raw") or issued.get("literal") or ""
    match = re.search(r"\d{4}", str(issued or ""))
    return match.group(0) if match else ""


def title_identity(item: dict) -> tuple[str, str, str] | None:
    title = " ".join(_ascii_words(str(item.get("title") or "")))
    if not title:
        return None
    return title, year_of(item), "".join(_ascii_words(first_family(item)))


class LibraryIndex:
    """The library's works by DOI, ISBN and title identity; later additions are found too."""

    def __init__(self, library: Library) -> None:
        self.keys: set[str] = set(library.entries)
        self._doi: dict[str, str] = {}
        self._isbn: dict[str, str] = {}
        self._title: dict[tuple[str, str, str], str] = {}
        for key in sorted(library.csl):  # the same key wins every time when two entries look alike
            self.add(key, library.csl[key])

    def add(self, key: str, item: dict) -> None:
        self.keys.add(key)
        if doi := normalise_doi(item.get("DOI")):
            self._doi.setdefault(doi, key)
        for isbn in normalise_isbns(item.get("ISBN")):
            self._isbn.setdefault(isbn, key)
        if identity := title_identity(item):
            self._title.setdefault(identity, key)

    def find(self, item: dict) -> str | None:
        if (doi := normalise_doi(item.get("DOI"))) and doi in self._doi:
            return self._doi[doi]
        for isbn in sorted(normalise_isbns(item.get("ISBN"))):
            if isbn in self._isbn:
                return self._isbn[isbn]
        identity = title_identity(item)
        return self._title.get(identity) if identity else None


def new_key(item: dict, taken: Iterable[str]) -> str:
    """Better BibTeX's default key, authorTitleYear: the first author's family name in lower case,
    the title's first three significant words capitalised, the year; a letter added if taken."""
    family = "".join(_ascii_words(first_family(item)))
    words = [w for w in _ascii_words(str(item.get("title") or "")) if w not in _SKIP_WORDS][:3]
    base = family + "".join(w[:1].upper() + w[1:] for w in words) + year_of(item)
    base = base or "untitled"
    taken = set(taken)
    if base not in taken:
        return base
    for letter in "abcdefghijklmnopqrstuvwxyz":
        if base + letter not in taken:
            return base + letter
    number = 2
    while f"{base}{number}" in taken:
        number += 1
    return f"{base}{number}"
