"""People's names as directories and reference managers write them, in the order a note uses."""

from __future__ import annotations


def natural_order(name: str) -> str:
    """'Keane, Bridget' (Outlook's directory) or 'Seo, JooYoung' (Mendeley's author property) ->
    'Bridget Keane', 'JooYoung Seo': given names first, as front matter and letters write them.
    A name with more than one comma, or a long part before it, is not "Family, Given" and stays."""
    family, comma, given = name.strip().partition(",")
    if comma and given.strip() and "," not in given and len(family.split()) <= 3:
        return f"{given.strip()} {family.strip()}"
    return name.strip()
