"""House-style results kept between runs (issue 15's cost), as ruff and mypy keep theirs: an unchanged note
costs a file read, a hash and a lookup instead of the checks.

Each note's entry is keyed by everything the checks read: the note's bytes (with its path relative to the
project), the effective `house_style` settings, glossary.yml's bytes and the whole council package
(`package_digest`), so a changed input is a different key, never a stale entry. An entry holds the findings
without their severity: `--strict` is applied as each finding is made from the entry, so one entry serves
both. The entries of one project state are kept together in one file of the build's content cache (under the
key of the settings, glossary and package): one read and at most one write a run, where a file per note would
cost a thousand writes on a cold run. A damaged or unreadable file or entry is ignored and worked out again.
Entries quote the notes' prose; the cache folder is private, and may be deleted at any time.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from council.base.cache import ContentCache, content_key
from council.base.config import ProjectConfig
from council.base.errors import Location, SourceError
from council.base.keys import _relative, package_digest, portable
from council.base.model import Briefing
from council.sources.glossary import GlossaryEntry
from council.sources.house_style import StyleReport, check_briefing

NAME = "house-style.json"
FORMAT = "1"  # the layout of an entry: a new layout is a new key
# the code this process runs: hashed once, not once for each note `council check NOTE ...` names
_package_digest = cache(package_digest)


class StyleCache:
    """One run's view of the kept results. `package` is `package_digest()` unless given (a test's stand-in for
    changed code). A run over every note (`partial=False`) keeps only the entries it used, so entries of
    edited or deleted notes go; a run over some notes keeps the others' too."""

    def __init__(self, config: ProjectConfig, *, package: str | None = None, partial: bool = False) -> None:
        self.config = config
        self.root = config.root
        self.store = ContentCache(config.cache_dir / "house-style")
        glossary = config.glossary_file
        glossary_part = ["glossary.yml", glossary.read_bytes()] if glossary.is_file() else ["no glossary"]
        self.shared = content_key(
            "house-style",
            FORMAT,
            package if package is not None else _package_digest(),
            portable(config.house_style, config.root),
            *glossary_part,
        )
        self.partial = partial
        self._kept: dict[str, object] | None = None  # as read, entry by key
        self._used: dict[str, object] = {}
        self._changed = False

    def key(self, path: Path, data: bytes) -> str:
        return content_key(self.shared, _relative(path, self.root), data)

    def report(self, briefing: Briefing, glossary: dict[str, GlossaryEntry], *, strict: bool = False) -> StyleReport:
        """check_briefing()'s report; `glossary` must be the one read from config.glossary_file."""
        try:
            data = briefing.path.read_bytes()
        except OSError:  # gone since it was read: nothing to key on, so nothing kept
            return check_briefing(briefing, self.config.house_style, glossary, strict=strict)
        key = self.key(briefing.path, data)
        entry = self._entries().get(key)
        if entry is not None:
            report = _decoded(entry, briefing, strict)
            if report is not None:
                self._used[key] = entry
                return report
        report = check_briefing(briefing, self.config.house_style, glossary, strict=strict)
        self._used[key] = _encoded(report)
        self._changed = True
        return report

    def save(self) -> None:
        """Write the entries back if this run changed them; a full disk costs the cache, not the check."""
        kept = self._entries()
        entries = {**kept, **self._used} if self.partial else self._used
        if not self._changed and entries.keys() == kept.keys():
            return
        try:
            self.store.put(self.shared, NAME, json.dumps(entries, ensure_ascii=False).encode())
        except OSError:
            pass

    def _entries(self) -> dict[str, object]:
        if self._kept is None:
            self._kept = {}
            data = self.store.get(self.shared, NAME)
            if data is not None:
                try:
                    value = json.loads(data)
                except ValueError:  # not JSON, or not UTF-8: damaged, so worked out afresh
                    value = None
                if isinstance(value, dict):
                    self._kept = value
        return self._kept


def _encoded(report: StyleReport) -> list[object]:
    findings = [[f.location.line, f.location.column, f.message, f.field, f.hint] for f in report.findings]
    return [report.words, report.longest_sentence, report.summary_ease, report.body_ease, findings]


def _decoded(entry: object, briefing: Briefing, strict: bool) -> StyleReport | None:
    """The report an entry holds, or None if the entry is not one this version wrote."""
    try:
        words, longest, summary_ease, body_ease, stored = entry  # type: ignore[misc]
        if not (_is_int(words) and _is_int(longest) and _is_score(summary_ease) and _is_score(body_ease)):
            return None
        findings = []
        for line, column, message, field, hint in stored:
            if not (
                _is_int(line)
                and (column is None or _is_int(column))
                and isinstance(message, str)
                and (field is None or isinstance(field, str))
                and (hint is None or isinstance(hint, str))
            ):
                return None
            findings.append(
                SourceError(Location(briefing.path, line, column), message, field=field, hint=hint, warning=not strict)
            )
    except (ValueError, TypeError):  # not this shape
        return None
    return StyleReport(briefing, words, longest, summary_ease, body_ease, findings)


def _is_int(value: object) -> bool:
    return type(value) is int


def _is_score(value: object) -> bool:
    return value is None or type(value) is float
