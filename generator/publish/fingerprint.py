"""What a build's output depends on, hashed by content: every source file, council's own code and
templates, the tool versions, and what the publication gate decided for this moment. When nothing in
it changed, the site in place is already the answer and the build stops early."""
from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

from council.cache import content_key
from council.config import CONFIG_FILE, ProjectConfig
from council.model import Briefing, DraftMarking
from council.tools import tool_versions

SOURCE_FOLDERS = ("briefings", "bibliography", "reports", "requests", "fonts")


def inputs_fingerprint(config: ProjectConfig, shown: list[Briefing], now: dt.datetime, preview: bool,
                       markings: dict[str, DraftMarking] | None = None) -> str:
    parts: list[str | bytes] = [tool_versions(), "preview" if preview else "public",
                                now.date().isoformat(),  # request ages and review dates are by the day
                                " ".join(sorted(b.slug for b in shown)),  # embargoes lift at any moment
                                repr(sorted((markings or {}).items()))]  # ... and so do a preview's markings
    for path in _source_files(config.root):
        parts.extend([path.relative_to(config.root).as_posix(), path.read_bytes()])
    package = Path(str(resources.files("council")))
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        parts.extend([path.relative_to(package).as_posix(), path.read_bytes()])
    return content_key(*parts)


def _source_files(root: Path) -> list[Path]:
    files = [root / CONFIG_FILE, root / "mkdocs.yml", root / "glossary.yml"]
    for folder in SOURCE_FOLDERS:
        if (root / folder).is_dir():
            files.extend(sorted(p for p in (root / folder).rglob("*") if p.is_file()))
    return [p for p in files if p.is_file()]
