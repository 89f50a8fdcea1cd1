"""A seeded, reproducible synthetic corpus at Research Council scale: N briefings of about 850 words
with 10 citations each, against a bibliography of 2,000 entries (or, for the bib-scale scenario, a
researcher's whole library of 20,000 entries of which the briefings cite the same first 2,000, the
rest carrying the problems real exports have)."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

WORDS = (
    "atrocity prevention early warning government strategy analysis risk civilians protection "
    "accountability justice sanctions diplomacy evidence department policy assessment response "
    "indicators communities mechanism international court commission inquiry training posts "
    "resilience monitoring coordination partners funding capability research briefing"
).split()
TYPES = ("report", "article", "online", "book")


def bibliography(entries: int, rng: random.Random, *, messy_from: int | None = None) -> str:
    """`entries` works; from `messy_from` on, some carry what reference managers export: a repeated
    field, a DOI written as a web address, a LaTeX-escaped URL, a reprint year, a duplicate key."""
    out = []
    for i in range(entries):
        kind = TYPES[i % len(TYPES)]
        family = rng.choice(["Okafor", "Pritchard", "MacLeod", "Haddad", "Lindqvist", "Raghunathan", "Wielgosz"])
        title = " ".join(rng.choice(WORDS) for _ in range(6)).title()
        fields = [
            f"  title = {{{title}}}",
            f"  author = {{{family}, Alex and {{Research Unit {i % 50}}}}}",
            f"  date = {{{2000 + i % 26}-{1 + i % 12:02d}}}",
            f"  url = {{https://example.org/works/{i}}}",
        ]
        if kind == "article":
            fields += [
                f"  journaltitle = {{Journal of Prevention {i % 7}}}",
                f"  volume = {{{i % 40}}}",
                f"  pages = {{{i % 90 + 1}--{i % 90 + 20}}}",
            ]
        elif kind == "report":
            fields.append(f"  institution = {{{{Institute {i % 30}}}}}")
        elif kind == "online":
            fields.append("  urldate = {2026-01-31}")
        else:
            fields.append("  publisher = {Oxford University Press}")
        key = f"work{i:04d}"
        if messy_from is not None and i >= messy_from:
            key = _messy(i, key, fields)
        out.append(f"@{kind}{{{key},\n" + ",\n".join(fields) + "\n}\n")
    return "\n".join(out)


def _messy(i: int, key: str, fields: list[str]) -> str:
    """About one entry in twelve gets one of the patterns of issue 14."""
    if i % 61 == 0:
        fields.insert(1, "  author = {Second, Copy}")
    elif i % 67 == 0:
        fields.append(f"  doi = {{https://doi.org/10.5555/synthetic.{i}}}")
    elif i % 71 == 0:
        fields[3] = f"  url = {{https://example.org/{{\\%}}7E{{~}}works/{i}?a=1{{\\&}}b=2}}"
    elif i % 73 == 0:
        fields[2] = f"  year = {{{1950 + i % 50} [{1900 + i % 50}]}}"
    elif i % 79 == 0:
        return f"work{i - 1:04d}"  # the key of the entry before it
    return key


def briefing(index: int, entries: int, rng: random.Random) -> str:
    keys = [f"work{rng.randrange(entries):04d}" for _ in range(10)]
    paragraphs = []
    for p in range(12):
        sentence = " ".join(rng.choice(WORDS) for _ in range(70)).capitalize()
        if p < 10:
            sentence += f" [@{keys[p]}, p {rng.randrange(1, 200)}]"
        paragraphs.append(sentence + ".")
    body = "\n\n".join(
        f"## Section {p // 3 + 1}\n\n{text}" if p % 3 == 0 else text for p, text in enumerate(paragraphs)
    )
    return (
        f'---\ntitle: "Synthetic briefing {index:04d}"\nsummary: A synthetic summary for benchmarking.\n'
        f"key_points:\n  - First synthetic point.\n  - Second synthetic point.\nauthors: [Bench Author]\n"
        f"date: 2026-{1 + index % 12:02d}-{1 + index % 28:02d}\nstatus: published\n"
        f"workstreams: [conflict-prevention]\n---\n\n{body}\n"
    )


def make_corpus(
    root: Path,
    notes: int,
    entries: int = 2000,
    seed: int = 20261127,
    template: Path | None = None,
    *,
    with_report: bool = True,
    cite_from: int | None = None,
) -> Path:
    """Write a complete project (config, bibliography, briefings and, unless told not to, the shipped
    reports to Parliament) into root. With `cite_from`, the briefings cite only the first `cite_from`
    entries, the same ones whatever the library's size, and the entries after those are messy."""
    rng = random.Random(seed)
    if root.exists():
        shutil.rmtree(root)
    (root / "briefings").mkdir(parents=True)
    (root / "bibliography").mkdir()
    repo = template or Path(__file__).resolve().parents[1]
    for name in ("mkdocs.yml", "council.yml"):
        shutil.copy(repo / name, root / name)
    (root / "bibliography" / "synthetic.bib").write_text(
        bibliography(entries, rng, messy_from=cite_from), encoding="utf-8"
    )
    if cite_from is not None:  # the same briefings whatever the library's size
        entries, rng = cite_from, random.Random(seed + 1)
    for i in range(notes):
        (root / "briefings" / f"synthetic-{i:04d}.md").write_text(briefing(i, entries, rng), encoding="utf-8")
    if with_report:  # "plus the report": the shipped reports to Parliament, and the works and requests they cite
        for name in ("reports", "requests"):
            shutil.copytree(repo / name, root / name)
        for bib in (repo / "bibliography").glob("*.bib"):
            shutil.copy(bib, root / "bibliography" / bib.name)
    return root
