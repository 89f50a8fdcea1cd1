"""House-style results kept between runs (issue 15's cost), as ruff and mypy keep theirs: an unchanged note
costs a file read, a hash and a cache lookup instead of the checks.

An entry's key covers everything the checks read: the note's bytes (with its path relative to the project),
the effective `house_style` settings, glossary.yml's bytes and the whole council package (`package_digest`),
so a changed input is a different key, never a stale entry. The entry holds the findings without their
severity: `--strict` is applied as each finding is made from the entry, so one entry serves both. A damaged or
unreadable entry is ignored and worked out again. Entries live in build/cache/house-style/, which may be
deleted at any time; they quote the notes' prose, so the folder is private, like the build's cache.
"""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from council.cache import ContentCache, content_key
from council.config import ProjectConfig
from council.errors import Location, SourceError
from council.model import Briefing
from council.render.keys import _relative, package_digest, portable
from council.sources.glossary import GlossaryEntry
from council.sources.house_style import StyleReport, check_briefing

ENTRY = "house-style.json"
# the code this process runs: hashed once, not once for each note `council check NOTE ...` names
_package_digest = cache(package_digest)
FORMAT = "1"  # the entry's layout: a new layout is a new key


class StyleCache:
    """`package` is `package_digest()` unless given (a test's stand-in for changed code)."""

    def __init__(self, config: ProjectConfig, *, package: str | None = None) -> None:
        self.config = config
        self.root = config.root
        self.store = ContentCache(config.cache_dir / "house-style")
        glossary = config.glossary_file
        glossary_part = ["glossary.yml", glossary.read_bytes()] if glossary.is_file() else ["no glossary"]
        self.shared = content_key("house-style", FORMAT, package if package is not None else _package_digest(),
                                  portable(config.house_style, config.root), *glossary_part)

    def key(self, path: Path, data: bytes) -> str:
        return content_key(self.shared, _relative(path, self.root), data)

    def report(self, briefing: Briefing, glossary: dict[str, GlossaryEntry], *, strict: bool = False) -> StyleReport:
        """check_briefing()'s report; `glossary` must be the one read from config.glossary_file."""
        try:
            data = briefing.path.read_bytes()
        except OSError:  # gone since it was read: nothing to key on, so nothing kept
            return check_briefing(briefing, self.config.house_style, glossary, strict=strict)
        key = self.key(briefing.path, data)
        stored = self.store.get(key, ENTRY)
        if stored is not None:
            report = _decoded(stored, briefing, strict)
            if report is not None:
                return report
        report = check_briefing(briefing, self.config.house_style, glossary, strict=strict)
        try:
            self.store.put(key, ENTRY, _encoded(report))
        except OSError:  # a read-only or full disk costs the cache, not the check
            pass
        return report


def _encoded(report: StyleReport) -> bytes:
    findings = [[f.location.line, f.location.column, f.message, f.field, f.hint] for f in report.findings]
    return json.dumps({"words": report.words, "longest_sentence": report.longest_sentence,
                       "summary_ease": report.summary_ease, "body_ease": report.body_ease,
                       "findings": findings}, ensure_ascii=False).encode()


def _decoded(data: bytes, briefing: Briefing, strict: bool) -> StyleReport | None:
    """The report an entry holds, or None if the entry is not one this version wrote."""
    try:
        value = json.loads(data)
        words, longest = value["words"], value["longest_sentence"]
        summary_ease, body_ease = value["summary_ease"], value["body_ease"]
        if not (_is_int(words) and _is_int(longest) and _is_score(summary_ease) and _is_score(body_ease)):
            return None
        findings = []
        for line, column, message, field, hint in value["findings"]:
            if not (_is_int(line) and (column is None or _is_int(column)) and isinstance(message, str)
                    and (field is None or isinstance(field, str)) and (hint is None or isinstance(hint, str))):
                return None
            findings.append(SourceError(Location(briefing.path, line, column), message, field=field, hint=hint,
                                        warning=not strict))
    except (ValueError, TypeError, KeyError):  # not JSON, not UTF-8, or not this shape
        return None
    return StyleReport(briefing, words, longest, summary_ease, body_ease, findings)


def _is_int(value: object) -> bool:
    return type(value) is int


def _is_score(value: object) -> bool:
    return value is None or type(value) is float

