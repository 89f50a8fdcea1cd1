"""The controlled vocabularies (one project file) and the 'did you mean' helper."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Annotated

import pycountry
import yaml
from pydantic import AfterValidator


@dataclass(frozen=True)
class Vocabulary:
    name: str
    labels: dict[str, str]

    def __contains__(self, value: object) -> bool:
        return value in self.labels

    def label(self, value: str) -> str:
        return self.labels[value]

    def complaint(self, value: str) -> str:
        """Say what is wrong with an unknown value and suggest the nearest known one."""
        text = f"unknown {self.name} '{value}'"
        guess = nearest(value, self.labels)
        if guess:
            return f"{text}; did you mean '{guess[0]}'?"
        return f"{text}; known values: {', '.join(self.labels)}"


@cache
def vocabularies() -> dict[str, Vocabulary]:
    text = resources.files("council").joinpath("vocabularies.yml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    names = {
        "workstreams": "workstream",
        "tools": "toolkit tool",
        "recommendations": "recommendation",
        "classifications": "classification",
        "statuses": "status",
        # report to Parliament
        "departments": "department",
        "aia_triggers": "trigger type",
        "risk_levels": "risk level",
        "funding_purposes": "funding purpose",
        "recommendation_statuses": "recommendation status",
    }
    return {
        key: Vocabulary(names.get(key, key), {str(k): str(v) for k, v in values.items()}) for key, values in raw.items()
    }


def known_marking(value: str) -> str:
    """A security marking from the classifications vocabulary, or a ValueError that suggests one."""
    if value not in vocabularies()["classifications"]:
        raise ValueError(vocabularies()["classifications"].complaint(value))
    return value


# A schema field that holds a security marking (report.yml's classification and security_marking).
Marking = Annotated[str, AfterValidator(known_marking)]


def nearest(value: str, candidates: object, count: int = 1) -> list[str]:
    """Closest candidates by spelling, case-insensitively."""
    pool = {str(c).lower(): str(c) for c in candidates}  # type: ignore[attr-defined]
    matches = difflib.get_close_matches(value.lower(), list(pool), n=count, cutoff=0.6)
    return [pool[m] for m in matches]


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-3
    name: str


def country(code: str) -> Country | None:
    """Look up an ISO 3166-1 alpha-2 or alpha-3 code."""
    found = None
    if len(code) == 3:
        found = pycountry.countries.get(alpha_3=code.upper())
    elif len(code) == 2:
        found = pycountry.countries.get(alpha_2=code.upper())
    if found is None:
        return None
    return Country(found.alpha_3, getattr(found, "common_name", None) or found.name)


def country_complaint(code: str) -> str:
    text = f"unknown country code '{code}' (use ISO 3166-1 codes such as UKR or MMR)"
    if region_hint(code):  # not a misspelt country: no guess
        return text
    by_name = {c.name.lower(): c.alpha_3 for c in pycountry.countries}
    by_code = [c.alpha_3 for c in pycountry.countries]
    guess = nearest(code, by_name) if len(code) > 3 else nearest(code.upper(), by_code)
    if guess:
        suggestion = by_name.get(guess[0].lower(), guess[0])
        text += f"; did you mean '{suggestion}'?"
    return text


@cache
def regions() -> dict[str, tuple[str, ...]]:
    """regions.yml: each region an author may search by, with its countries' alpha-3 codes."""
    text = resources.files("council").joinpath("regions.yml").read_text(encoding="utf-8")
    return {name: tuple(codes) for name, codes in yaml.safe_load(text).items()}


def region_hint(written: str) -> str | None:
    """`countries: [Sahel]`: a region is not a country, but `council vocab sahel` lists its countries."""
    word = written.strip().casefold()
    named = [name for name in regions() if word and (name.casefold() == word or name.casefold().startswith(word + " "))]
    if not named:
        return None
    return f"'{written}' is a region: `council vocab {word}` lists its countries' codes; give each country on its own"
