"""What a build's output depends on, hashed by content: every source file, what every render key
shares (council's own files, the configuration, the style and the tool versions), and what the
publication gate decided for this moment. When nothing in it changed, the site in place is already
the answer and the build stops early."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from council.base.cache import content_key
from council.base.config import ProjectConfig
from council.base.keys import SharedInputs, project_files
from council.base.model import Briefing, DraftMarking


def inputs_fingerprint(
    config: ProjectConfig,
    shown: list[Briefing],
    now: dt.datetime,
    preview: bool,
    shared: SharedInputs,
    markings: dict[str, DraftMarking] | None = None,
) -> str:
    """`shared` covers council's own files, the configuration, the style and the tool versions
    (keys.py); the sources are added here."""
    parts: list[str | bytes] = [
        shared.digest,
        "preview" if preview else "public",
        now.date().isoformat(),  # request ages and review dates are by the day
        " ".join(sorted(b.slug for b in shown)),  # embargoes lift at any moment
        repr(sorted((markings or {}).items())),
    ]  # ... and so do a preview's markings
    for path in _source_files(config.source_dirs):  # fonts/: in SharedInputs
        parts.extend([path.relative_to(config.root).as_posix(), path.read_bytes()])
    return content_key(*parts)


def _source_files(folders: tuple[Path, ...]) -> list[Path]:
    files = []
    for folder in folders:
        if folder.is_dir():
            files.extend(sorted(p for p in folder.rglob("*") if p.is_file()))
    return files


def watched_files(config: ProjectConfig) -> list[Path]:
    """Every project file a build's fingerprint reads: the sources hashed here, plus the configuration,
    the project's fonts/ and the style that every render key shares (keys.py). `council serve`
    watches exactly these, so an edit that would change the build is never missed."""
    files = [*_source_files(config.source_dirs), *project_files(config.root)]
    if config.style_file.is_relative_to(config.root):  # a house .csl of the project's own
        files.append(config.style_file)
    return files
