"""Build the static site from the plain docs tree council writes. The engine (mkdocs-material today,
Zensical tomorrow: both read mkdocs.yml) is only ever called here."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from council.base.errors import StorageError, ToolError, storage_error
from council.publish.pages import NavEntry

# council's few overrides of the theme's templates (accessibility fixes); a project's own
# theme.custom_dir, if it sets one, wins.
THEME_OVERRIDES = Path(__file__).resolve().parent.parent / "templates" / "theme"
# The one mark the docs tree carries for the engine: an element site search leaves out (a plain data
# attribute, which the mkdocs-material search plugin honours and any other engine ignores).
UNINDEXED = " data-search-exclude"
SEARCH_INDEX = "search/search_index.json"
# Every page's Content-Security-Policy (a <meta>: the site is static). Scripts come only from the site's
# own files (the theme's inline scripts are files too: templates/theme/partials/javascripts), so a
# handler or script that slipped into a page does not run. Styles may be inline: pandoc writes table
# column widths as style attributes. The Ask form never submits (its script opens a mail program).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-src 'none'"
)


def build_site(
    site_settings: dict, project_root: Path, docs_dir: Path, site_dir: Path, nav: list[NavEntry], source_date_epoch: int
) -> None:
    """`site_settings` are mkdocs.yml's (ProjectConfig.site_settings), left as they are: the engine gets a
    copy with the docs tree, the site folder and council's navigation. `source_date_epoch` dates the
    sitemap and compressed files, so equal sources give equal bytes."""
    settings = copy.deepcopy(site_settings)
    settings.setdefault("nav", [entry.mkdocs() for entry in nav])
    theme = settings.setdefault("theme", {})
    if isinstance(theme, dict):
        theme.setdefault("custom_dir", str(THEME_OVERRIDES))
    extra = settings.setdefault("extra", {})
    if isinstance(extra, dict):
        extra["council_csp"] = CONTENT_SECURITY_POLICY
    settings["docs_dir"] = str(docs_dir)
    settings["site_dir"] = str(site_dir)
    staged = docs_dir.parent / "mkdocs.yml"
    staged.write_text(yaml.safe_dump(settings, sort_keys=False, allow_unicode=True), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(staged)],
        capture_output=True,
        text=True,
        cwd=project_root,
        env={**os.environ, "SOURCE_DATE_EPOCH": str(source_date_epoch)},
    )
    if result.returncode != 0:
        output = (result.stderr or result.stdout).strip()
        raise _storage_failure(output) or ToolError(f"the site engine failed:\n{output}")
    prune_search_index(site_dir / SEARCH_INDEX)


# The last line of the engine's traceback when the disk is full or a folder refuses it: the file it wrote.
_OS_ERROR = re.compile(r"^\w*Error: \[Errno (\d+)\] ([^:\n]+)(?:: '([^'\n]*)'(?: -> '([^'\n]*)')?)?$", re.M)


def _storage_failure(output: str) -> StorageError | None:
    """A full disk or an unwritable folder, said in one line with the file, not as the engine's traceback."""
    found = list(_OS_ERROR.finditer(output))
    if not found:
        return None
    code, reason, source, target = found[-1].groups()
    return storage_error(OSError(int(code), reason, target or source))


def prune_search_index(path: Path) -> None:
    """Drop the index's empty sections: a heading inside a left-out element still opens a section,
    with no text and the page's title, which only weighs on the reader's download."""
    if not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    titles = {entry["location"]: entry["title"] for entry in index["docs"] if "#" not in entry["location"]}
    index["docs"] = [
        entry
        for entry in index["docs"]
        if entry["text"]
        or "#" not in entry["location"]
        or entry["title"] != titles.get(entry["location"].split("#", 1)[0])
    ]
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
