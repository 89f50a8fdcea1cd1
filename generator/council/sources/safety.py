"""Author text is data, never code. Notes may use a small set of harmless HTML tags; anything that
could run in a reader's browser (scripts, frames, event handlers, javascript: links) or reach outside
the repository (image paths) is refused here, with the line where it was found. The pandoc worker
strips the same things again (defence in depth), so nothing unsafe reaches any output."""

from __future__ import annotations

import html
import re
from pathlib import Path

from council.base.errors import Location, SourceError
from council.sources.prose import prose_lines

ALLOWED_TAGS = frozenset(
    "a abbr b blockquote br caption cite code col colgroup dd del details dfn div dl dt em figcaption "
    "figure hr i img ins kbd li mark ol p q s samp small span strong sub summary sup table tbody td tfoot "
    "th thead tr u ul var".split()
)
SAFE_SCHEMES = ("http", "https", "mailto")
_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>?")
_EVENT_ATTRIBUTE = re.compile(r"(?:^|[\s/\"'])on[a-z]+\s*=", re.I)
_URL_ATTRIBUTE = re.compile(
    r"(?:href|src|action|formaction|xlink:href|srcset|poster|data)\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)", re.I
)
_MD_LINK = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'(][^)]*)?\)")
_LINK_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)")  # [label]: target
_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*)>")
_RAW_ATTRIBUTE = re.compile(r"\{=\s*[a-zA-Z0-9_-]+\s*\}")
_EMPTY_HEADING = re.compile(r"^\s{0,3}#{1,6}(\s+#*)?\s*$")  # accessible PDFs refuse empty headings
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def unsafe_content(path: Path, body: str, first_line: int, root: Path) -> list[SourceError]:
    problems: list[SourceError] = []
    for line in prose_lines(body):
        where = first_line + line.offset
        if line.fence_info is not None:
            if _RAW_ATTRIBUTE.search(line.fence_info):
                problems.append(_raw_block(path, where))
            continue
        text = line.text
        if "{=" in text and _RAW_ATTRIBUTE.search(text):
            problems.append(_raw_block(path, where))
        if text.lstrip().startswith("#") and _EMPTY_HEADING.match(text):
            problems.append(
                SourceError(
                    Location(path, where),
                    "this heading has no text",
                    hint="write the heading after the '#' marks, or remove the line",
                )
            )
        if "<" in text:
            problems.extend(_check_html(path, where, text))
        if "](" in text or "<" in text:
            problems.extend(_check_links(path, where, text, root))
        definition = _LINK_DEFINITION.match(text) if "]:" in text else None
        if definition and not is_safe_url(definition.group(1)):
            problems.append(_unsafe_link(path, where, 1, definition.group(1)))
    return problems


def local_images(path: Path, body: str) -> list[tuple[str, Path]]:
    """Image references in a note (already checked to be inside the repository), with their files."""
    found: list[tuple[str, Path]] = []
    if "![" not in body:  # most notes have no image: skip the scan, which every build repeats
        return found
    for match in _MD_LINK.finditer(body):
        target = match.group(3)
        if match.group(1) and target and not _SCHEME.match(target):
            resolved = (path.parent / target).resolve()
            if resolved.is_file():
                found.append((target, resolved))
    return found


def plain_text_problem(value: str) -> str | None:
    """Front matter fields are plain text; angle brackets there could only be markup."""
    if "<" in value or ">" in value:
        return "plain-text fields cannot contain '<' or '>'"
    return None


def is_safe_url(target: str) -> bool:
    cleaned = re.sub(r"[\x00-\x20]", "", html.unescape(target))
    scheme = _SCHEME.match(cleaned)
    return scheme is None or scheme.group(1).lower() in SAFE_SCHEMES


def _raw_block(path: Path, line: int) -> SourceError:
    return SourceError(
        Location(path, line),
        "raw output blocks such as {=html} or {=typst} are not allowed in notes",
        hint="write the content in Markdown; ask an engineer if you need a new kind of box",
    )


def _check_html(path: Path, line: int, text: str) -> list[SourceError]:
    problems = []
    for match in _TAG.finditer(text):
        name, attributes = match.group(2).lower(), match.group(3)
        column = match.start() + 1
        if match.group(1):  # a closing tag: its opening tag has been judged already
            continue
        if attributes.startswith(":"):  # an autolink such as <https://...>: its target is judged as a link
            continue
        if name not in ALLOWED_TAGS:
            problems.append(
                SourceError(
                    Location(path, line, column),
                    f"the HTML tag <{name}> is not allowed in notes",
                    hint="use Markdown; only simple formatting tags such as <abbr> or <sup> are accepted",
                )
            )
            continue
        if _EVENT_ATTRIBUTE.search(attributes):
            problems.append(
                SourceError(
                    Location(path, line, column),
                    f"event-handler attributes (on...=) are not allowed on <{name}>",
                    hint="remove the attribute; notes cannot run scripts",
                )
            )
        for url in _URL_ATTRIBUTE.findall(attributes):
            if not is_safe_url(url.strip("\"'")):
                problems.append(_unsafe_link(path, line, column, url.strip("\"'")))
        if re.search(r"\bstyle\s*=", attributes, re.I):
            problems.append(
                SourceError(
                    Location(path, line, column),
                    f"style attributes are not allowed on <{name}>",
                    hint="the house style applies to every note; remove the attribute",
                )
            )
    return problems


def _check_links(path: Path, line: int, text: str, root: Path) -> list[SourceError]:
    problems = []
    for match in _MD_LINK.finditer(text):
        image, alt, target = match.group(1), match.group(2), match.group(3)
        column = match.start() + 1
        if not is_safe_url(target):
            problems.append(_unsafe_link(path, line, column, target))
        elif image:
            problems.extend(_check_image(path, line, column, alt, target, root))
    for match in _AUTOLINK.finditer(text):
        if not is_safe_url(match.group(1)):
            problems.append(_unsafe_link(path, line, match.start() + 1, match.group(1)))
    return problems


def _check_image(path: Path, line: int, column: int, alt: str, target: str, root: Path) -> list[SourceError]:
    problems = []
    if not alt.strip():
        problems.append(
            SourceError(
                Location(path, line, column),
                "this image has no text alternative",
                hint="describe the image inside the brackets: ![What the chart shows](file.png)",
            )
        )
    if _SCHEME.match(target):
        problems.append(
            SourceError(
                Location(path, line, column),
                f"images must be files in the repository, not '{target}'",
                hint="save the image next to the note (e.g. briefings/images/) and link it by path",
            )
        )
        return problems
    resolved = (path.parent / target).resolve()
    if not resolved.is_relative_to(root.resolve()):
        problems.append(
            SourceError(
                Location(path, line, column),
                f"the image '{target}' is outside the repository",
                hint="keep images inside the repository, e.g. in briefings/images/",
            )
        )
    elif not resolved.is_file():
        problems.append(
            SourceError(
                Location(path, line, column),
                f"the image '{target}' does not exist",
                hint="check the file name and that the path is relative to the note",
            )
        )
    return problems


def _unsafe_link(path: Path, line: int, column: int, target: str) -> SourceError:
    shown = target if len(target) < 60 else target[:57] + "..."
    return SourceError(
        Location(path, line, column),
        f"the link target '{shown}' is not allowed",
        hint="links may use http, https or mailto, or point within the site",
    )
