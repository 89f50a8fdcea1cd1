"""Reading author files as text the way authors expect: UTF-8, with or without BOM and CRLF."""

from __future__ import annotations

import re
from pathlib import Path

from council.base.errors import Location, SourceError

MAX_SOURCE_BYTES = 5 * 1024 * 1024
BOM = b"\xef\xbb\xbf"
# Control characters other than tab and line ends: no editor shows them, XML (DOCX, ODT) forbids them,
# and a NUL stops the renderers; they come from pasting out of other programs.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# What `council new` writes for the author to replace; `council check` flags any left (sources/house_style.py).
PLACEHOLDERS = {
    "summary": "One paragraph of plain text, at most 120 words, saying what a busy reader needs to know.",
    "key_points": ("The first thing a minister's office should take away.", "The second."),
    "body": "Write the body in Markdown.",
    "author": "Your Name",
}


class OutsideProject(SourceError):
    """A source that resolves outside the project folder (a symbolic link out of it, or a file in a
    folder linked from elsewhere): refused before a byte of it is read, since council publishes only
    what the project holds and a link to /etc/passwd must never reach a page."""

    def __init__(self, path: Path, root: Path) -> None:
        super().__init__(
            Location(path),
            f"this file leads to {path.resolve()}, outside the project folder {root}; it was not read",
            hint="copy the file into the project instead of linking to it",
        )


def folder_above(path: Path, levels: int) -> Path:
    """The folder `levels` up from a file, e.g. the project of requests/R-2026-001.yml is 2 up: the bound
    a source kept in a fixed place must resolve inside."""
    parents = path.absolute().parents
    return parents[min(levels, len(parents)) - 1]


def read_source_text(path: Path, root: Path | None = None, encoding: str = "utf-8") -> str:
    """The file's text; with `root`, only if it resolves inside that project folder (else OutsideProject)."""
    if root is not None and not path.resolve().is_relative_to(root.resolve()):
        raise OutsideProject(path, root)
    data = path.read_bytes()
    if len(data) > MAX_SOURCE_BYTES:
        raise SourceError(
            Location(path),
            f"file is {len(data)} bytes, over the {MAX_SOURCE_BYTES} byte limit",
            hint="split it into smaller files",
        )
    # the byte-order mark is removed before decoding, so that a bad byte's position counts from the
    # file's own first character, as an editor shows it
    data = data.removeprefix(BOM)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[start : exc.start].decode("utf-8", errors="replace")) + 1  # characters, not bytes
        raise SourceError(
            Location(path, line, column),
            f"the file is not valid {'UTF-8' if encoding == 'utf-8' else encoding} (byte 0x{data[exc.start]:02x})",
            hint="save the file as UTF-8 in your editor",
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    control = _CONTROL.search(text)
    if control:
        raise _control_character(path, text, control)
    return text


def _control_character(path: Path, text: str, found: re.Match[str]) -> SourceError:
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - text.rfind("\n", 0, found.start())
    code = ord(found.group())
    more = len(_CONTROL.findall(text)) - 1
    return SourceError(
        Location(path, line, column),
        f"an invisible control character (U+{code:04X}{' NUL' if code == 0 else ''}) is in the text"
        + (f", and {more} more in the file" if more else ""),
        hint="delete it (it usually comes from pasting out of another program), then save the file as UTF-8",
    )


def briefing_files(directory: Path) -> list[Path]:
    """The briefings in `directory`: its Markdown files, except those named _draft.md or .hidden.md."""
    return sorted(p for p in directory.glob("*.md") if p.is_file() and not p.name.startswith(("_", ".")))


def stray_notes(directory: Path) -> list[SourceError]:
    """Markdown files in subfolders of briefings/ are not published: said, not silently skipped. Folders
    named _x or .x are the author's own and left alone."""
    if not directory.is_dir():
        return []
    found = []
    for path in sorted(directory.rglob("*.md")):
        inside = path.relative_to(directory).parts
        if len(inside) < 2 or any(part.startswith(("_", ".")) for part in inside):
            continue
        found.append(
            SourceError(
                Location(path),
                f"this note is in a subfolder ({'/'.join(inside[:-1])}/), and only notes directly in "
                "briefings/ are published",
                hint=f"move it to briefings/{path.name}, or rename its folder to start with '_' to keep it unpublished",
            )
        )
    return found
