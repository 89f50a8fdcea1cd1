"""The project's settings (council.yml), typed and validated. The site engine's settings stay in
mkdocs.yml; council only reads the site name from there."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from council.citations.styles import style_path, style_suggestions
from council.errors import Location, ProblemsFound, SourceError

CONFIG_FILE = "council.yml"


@dataclass(frozen=True)
class ProjectConfig:
    root: Path
    citation_style: str
    style_file: Path
    site_name: str
    organisation: str

    @property
    def briefings_dir(self) -> Path:
        return self.root / "briefings"

    @property
    def bibliography_dir(self) -> Path:
        return self.root / "bibliography"

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def cache_dir(self) -> Path:
        return self.build_dir / "cache"

    @property
    def site_dir(self) -> Path:
        """The published site: a link swapped atomically to the newest complete release."""
        return self.root / "site"

    @property
    def releases_dir(self) -> Path:
        return self.build_dir / "releases"

    @property
    def preview_dir(self) -> Path:
        """`council serve --drafts`: a local site with drafts, never the public site/."""
        return self.build_dir / "preview"

    @property
    def preview_releases_dir(self) -> Path:
        return self.build_dir / "preview-releases"

    @property
    def mkdocs_file(self) -> Path:
        return self.root / "mkdocs.yml"


KNOWN_KEYS = {"citation_style", "organisation"}


def load_config(root: Path) -> ProjectConfig:
    root = root.resolve()
    path = root / CONFIG_FILE
    raw: dict = {}
    if path.exists():
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise SourceError(Location(path, mark.line + 1 if mark else 1), f"not valid YAML: {exc}") from None
        if not isinstance(raw, dict):
            raise SourceError(Location(path, 1), "council.yml must hold 'key: value' settings")
    problems = [SourceError(Location(path, 1), f"unknown setting '{key}'", hint=f"known settings: {', '.join(sorted(KNOWN_KEYS))}")
                for key in raw if key not in KNOWN_KEYS]
    style = str(raw.get("citation_style", "oscola"))
    style_file = style_path(style, root)
    if style_file is None:
        guesses = style_suggestions(style)
        problems.append(SourceError(Location(path, 1), f"unknown citation style '{style}'", field="citation_style",
                                    hint=("did you mean " + ", ".join(guesses) + "?") if guesses else
                                    "use oscola, chicago-notes-bibliography, apa or a path to a .csl file"))
    if problems:
        raise ProblemsFound(problems)
    return ProjectConfig(root, style, style_file, _site_name(root / "mkdocs.yml"),
                         str(raw.get("organisation", "Atrocity Prevention Research Council")))


def _site_name(mkdocs_file: Path) -> str:
    try:
        data = yaml.safe_load(mkdocs_file.read_text(encoding="utf-8")) or {}
        return str(data.get("site_name", "Briefings"))
    except (OSError, yaml.YAMLError):
        return "Briefings"
