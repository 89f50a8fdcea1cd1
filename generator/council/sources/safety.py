"""Author text is data, never code. Notes may use a small set of harmless HTML tags; anything that
could run in a reader's browser (scripts, frames, event handlers, javascript: links) or reach outside
the repository (image paths) is refused here, with the line where it was found. The pandoc worker
strips the same things again (defence in depth), so nothing unsafe reaches any output."""

from __future__ import annotations

import bisect
import html
import itertools
import re
from pathlib import Path

from council.base.errors import Location, SourceError
from council.sources.attributes import CODE_LANGUAGES, html_attribute_problem, refused_attributes
from council.sources.attributes import HINT as ATTRIBUTE_HINT
from council.sources.prose import prose_lines

ALLOWED_TAGS = frozenset(
    "a abbr b blockquote br caption cite code col colgroup dd del details dfn div dl dt em figcaption "
    "figure hr i img ins kbd li mark ol p q s samp small span strong sub summary sup table tbody td tfoot "
    "th thead tr u ul var".split()
)
SAFE_SCHEMES = ("http", "https", "mailto")
_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>?")
_PROCESSING_INSTRUCTION = re.compile(r"<\?")  # pandoc passes <?...?> through as raw HTML
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
_HTML_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")
# A tag written over several lines, as pandoc reads one. Nothing in it may be "<", so that a tag left
# open is given up at the next one and the scan stays linear in the note's length.
_MULTILINE_TAG = re.compile(
    r"""<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"<]*"|'[^'<]*'|[^\s"'=<>`]+))?)*)\s*/?>"""
)
_FROM_THE_WEB = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|[/\\\\]{2})")  # a scheme, or //host/...
_DIV_CLASS = re.compile(r"^\s*:{3,}\s*([^\s{}:]+)")  # ::: name  is a div of class "name"
_FENCE_LANGUAGE = re.compile(r"^\s*([^\s{}]+)")


def unsafe_content(path: Path, body: str, first_line: int, root: Path) -> list[SourceError]:
    problems: list[SourceError] = []
    for line in prose_lines(body):
        where = first_line + line.offset
        if line.fence_info is not None:
            if _RAW_ATTRIBUTE.search(line.fence_info):
                problems.append(_raw_block(path, where))
            else:
                problems.extend(_fence_attributes(path, where, line.fence_info))
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
        if text.lstrip().startswith(":::") and (div_class := _DIV_CLASS.match(text)):
            problems.extend(
                _refused_attribute(Location(path, where), found.what)
                for found in refused_attributes("{." + div_class.group(1) + "}")
            )
        if "<" in text:
            problems.extend(_check_html(path, where, text))
        if "](" in text or "<" in text:
            problems.extend(_check_links(path, where, text, root))
        definition = _LINK_DEFINITION.match(text) if "]:" in text else None
        if definition and not is_safe_url(definition.group(1)):
            problems.append(_unsafe_link(path, where, 1, definition.group(1)))
    if "{" in body or "<" in body:
        problems.extend(_attributes_over_lines(path, body, first_line))
    if "<!--" in body:
        problems.extend(_unclosed_comments(path, body, first_line))
    return problems


def _unclosed_comments(path: Path, body: str, first_line: int) -> list[SourceError]:
    """A `<!--` with no `-->` after it is no comment to pandoc: the reviewer's note would be published
    as text. Code is left out; the scan is linear."""
    lines = [""] * (body.count("\n") + 1)  # code lines stay empty, so offsets stay true
    for line in prose_lines(body):
        lines[line.offset] = line.text
    text = "\n".join(lines)
    problems = []
    start = text.find("<!--")
    while start >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            line = text.count("\n", 0, start)
            column = start - text.rfind("\n", 0, start)
            problems.append(
                SourceError(
                    Location(path, first_line + line, column),
                    "this comment never closes: everything after '<!--' would be published as text",
                    hint="end the comment with '-->', or remove the '<!--'",
                )
            )
            break
        start = text.find("<!--", end + 3)
    return problems


def _attributes_over_lines(path: Path, body: str, first_line: int) -> list[SourceError]:
    """Attribute lists `{...}` and HTML tags may run over several lines, as pandoc reads them: judged on
    the prose as a whole (comments, which never reach a reader, and code left out)."""
    lines = [""] * (body.count("\n") + 1)
    for line in prose_lines(body, skip_comments=True):
        lines[line.offset] = line.text
    text = "\n".join(lines)
    line_starts = list(itertools.accumulate((len(line) + 1 for line in lines[:-1]), initial=0))

    def location(offset: int) -> Location:
        index = bisect.bisect_right(line_starts, offset) - 1
        return Location(path, first_line + index, offset - line_starts[index] + 1)

    problems = [_refused_attribute(location(found.offset), found.what) for found in refused_attributes(text)]
    for tag in _MULTILINE_TAG.finditer(text):
        if "\n" in tag.group(0) and tag.group(1).lower() in ALLOWED_TAGS:  # one-line tags: see _check_html
            for name, value in _HTML_ATTRIBUTE.findall(tag.group(2)):
                what = html_attribute_problem(tag.group(1).lower(), name, value.strip("\"'"))
                if what:
                    problems.append(_refused_attribute(location(tag.start()), what))
    return problems


def _fence_attributes(path: Path, line: int, info: str) -> list[SourceError]:
    """```yaml names the code's language; ``` {.yaml #id} is an attribute list like any other."""
    problems = [_refused_attribute(Location(path, line), found.what) for found in refused_attributes(info, code=True)]
    language = _FENCE_LANGUAGE.match(info)
    if language and language.group(1) not in CODE_LANGUAGES:
        problems.append(
            SourceError(
                Location(path, line),
                f"'{language.group(1)}' is not a code language council knows",
                hint="write ``` alone, or one of: " + ", ".join(sorted(CODE_LANGUAGES)),
            )
        )
    return problems


def _refused_attribute(where: Location, what: str) -> SourceError:
    shown = what if len(what) < 60 else what[:57] + "..."
    return SourceError(where, f"the attribute '{shown}' is not allowed in notes", hint=ATTRIBUTE_HINT)


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
    problems = [
        SourceError(
            Location(path, line, found.start() + 1),
            "processing instructions such as <?php ... ?> are not allowed in notes",
            hint="remove it: it would be hidden in the page's source, not shown to readers",
        )
        for found in _PROCESSING_INSTRUCTION.finditer(text)
    ]
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
        problems.extend(_other_attributes(Location(path, line, column), name, attributes))
    return problems


def _other_attributes(where: Location, tag: str, attributes: str) -> list[SourceError]:
    """Attributes outside the allowlist (handlers and style have their own messages above), and an image
    from the web, refused as a Markdown one is: it would tell a tracker who reads the page."""
    problems = []
    for name, value in _HTML_ATTRIBUTE.findall(attributes):
        value = value.strip("\"'")
        web = tag == "img" and name.lower() == "src" and _FROM_THE_WEB.match(html.unescape(value).strip())
        if web and is_safe_url(value):  # an unsafe scheme has its own message
            problems.append(_web_image(where, value))
        what = html_attribute_problem(tag, name, value)
        if what and not re.fullmatch(r"on.*|style", name, re.I):
            problems.append(_refused_attribute(where, what))
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
        problems.append(_web_image(Location(path, line, column), target))
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


def _web_image(where: Location, target: str) -> SourceError:
    """An image from the web, in Markdown or HTML: loading it would tell its host who reads the note."""
    return SourceError(
        where,
        f"images must be files in the repository, not '{target}'",
        hint="save the image next to the note (e.g. briefings/images/) and link it by path",
    )


def _unsafe_link(path: Path, line: int, column: int, target: str) -> SourceError:
    shown = target if len(target) < 60 else target[:57] + "..."
    return SourceError(
        Location(path, line, column),
        f"the link target '{shown}' is not allowed",
        hint="links may use http, https or mailto, or point within the site",
    )
