"""Reading author files as text the way authors expect: UTF-8, with or without BOM and CRLF."""

from __future__ import annotations

from pathlib import Path

from council.base.errors import Location, SourceError

MAX_SOURCE_BYTES = 5 * 1024 * 1024
BOM = b"\xef\xbb\xbf"
# What `council new` writes for the author to replace; `council check` flags any left (sources/house_style.py).
PLACEHOLDERS = {
    "summary": "One paragraph of plain text, at most 120 words, saying what a busy reader needs to know.",
    "key_points": ("The first thing a minister's office should take away.", "The second."),
    "body": "Write the body in Markdown.",
    "author": "Your Name",
}


def read_source_text(path: Path, encoding: str = "utf-8") -> str:
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
    return text.replace("\r\n", "\n").replace("\r", "\n")


def briefing_files(directory: Path) -> list[Path]:
    """The briefings in `directory`: its Markdown files, except those named _draft.md or .hidden.md."""
    return sorted(p for p in directory.glob("*.md") if p.is_file() and not p.name.startswith(("_", ".")))
