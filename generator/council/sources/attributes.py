"""The attributes an author may write, in one place. Pandoc reads `{#id .class key=value}` after spans,
links, images, code, headings, fenced divs and blocks, and `<span ...>`/`<div ...>` into the same
elements; a browser runs whatever it is given (`onfocus=... autofocus`, `style=...` over the page). So
only what the README documents is accepted: an id, a class from the list below, `lang`/`dir`,
`fig-alt`, and the report's `[]{.figure key=...}`. `sources/safety.py` refuses anything else with file
and line; the pandoc worker (render/common.lua) gets the same lists and strips anything else from every
element, in every format (defence in depth)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

# Classes with a meaning to pandoc or council: the report's quoted figures, headings left out of
# numbering or the contents, and pandoc's small capitals, underline and highlight.
ALLOWED_CLASSES = frozenset({"figure", "unnumbered", "unlisted", "smallcaps", "underline", "mark"})
# A code block or span may also name its language (```yaml): it only picks syntax colours.
CODE_LANGUAGES = frozenset(
    "bash bibtex c cpp css csv diff html ini java javascript json latex lua markdown python r ruby rust sh sql "
    "tex text toml typescript typst xml yaml".split()
)
ALLOWED_KEYS = frozenset({"lang", "dir", "fig-alt", "key"})
# An id starts with a letter: the theme's own ids (__config, __search...) start with "__", and an
# author's element with one of them would take its place in the page.
ID_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_:.-]*")
ID_LUA_PATTERN = "^%a[%w_:%.%-]*$"  # the same rule, for render/common.lua
# Plain HTML tags other than <span> and <div> (which pandoc turns into the elements above): the same
# attributes, plus what each tag needs to mean anything.
HTML_EVERY_TAG = frozenset({"id", "class", "lang", "dir", "title"})
HTML_TAG_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "td": frozenset({"colspan", "rowspan", "headers"}),
    "th": frozenset({"colspan", "rowspan", "headers", "scope", "abbr"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "q": frozenset({"cite"}),
    "blockquote": frozenset({"cite"}),
    "del": frozenset({"cite", "datetime"}),
    "ins": frozenset({"cite", "datetime"}),
    "details": frozenset({"open"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
}
PANDOC_TAGS = frozenset({"span", "div"})
HINT = (
    "notes may carry only an id, lang=, dir=, fig-alt= and the classes "
    + ", ".join(f".{name}" for name in sorted(ALLOWED_CLASSES))
    + "; remove the rest (notes cannot run scripts or restyle the page)"
)

_BRACES = re.compile(r"\{([^{}]*)\}")
_TOKEN = re.compile(
    r"\s*(?:#(?P<id>[^\s{}]+)|\.(?P<cls>[^\s{}]+)|(?P<key>[^\s{}=\"'#.][^\s{}=\"']*)="
    r"(?:\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|[^\s{}\"']+)|(?P<dash>-))\s*",
    re.S,
)


@dataclass(frozen=True)
class Refused:
    offset: int  # where the attribute list starts, in the text given
    what: str  # the attribute as written, for the message


def refused_attributes(text: str, *, code: bool = False) -> Iterator[Refused]:
    """Every attribute outside the allowlist in the `{...}` lists of `text` (which may span lines, as
    pandoc's lists do). Braces whose content is not an attribute list (`{year}`, `{=html}`) are text."""
    for braces in _BRACES.finditer(text):
        tokens = _attribute_tokens(braces.group(1))
        for token in tokens or ():
            problem = _token_problem(token, code)
            if problem:
                yield Refused(braces.start(), problem)


def html_attribute_problem(tag: str, name: str, value: str) -> str | None:
    """Why `name=value` may not sit on the plain HTML tag `tag` (None: it may)."""
    name = name.lower()
    if tag in PANDOC_TAGS or name in ("id", "class"):
        return _pair_problem(name, value)
    return None if name in HTML_EVERY_TAG or name in HTML_TAG_ATTRIBUTES.get(tag, frozenset()) else name


def lua_allowlist() -> str:
    """The same lists as JSON, as render/common.lua reads them."""
    html = {tag: sorted(names | HTML_EVERY_TAG) for tag, names in HTML_TAG_ATTRIBUTES.items()}
    html["*"] = sorted(HTML_EVERY_TAG)
    return json.dumps(
        {
            "classes": sorted(ALLOWED_CLASSES),
            "code_classes": sorted(ALLOWED_CLASSES | CODE_LANGUAGES),
            "keys": sorted(ALLOWED_KEYS),
            "id_pattern": ID_LUA_PATTERN,
            "html": html,
        },
        sort_keys=True,
    )


def _attribute_tokens(inside: str) -> list[re.Match[str]] | None:
    tokens, position = [], 0
    while position < len(inside):
        token = _TOKEN.match(inside, position)
        if not token or token.end() == position:
            return None
        tokens.append(token)
        position = token.end()
    return tokens or None


def _token_problem(token: re.Match[str], code: bool) -> str | None:
    if token.group("id") is not None:
        identifier = token.group("id")
        return None if ID_PATTERN.fullmatch(identifier) else f"#{identifier}"
    if token.group("cls") is not None:
        name = token.group("cls")
        allowed = ALLOWED_CLASSES | CODE_LANGUAGES if code else ALLOWED_CLASSES
        return None if name in allowed else f".{name}"
    if token.group("key") is not None:
        key = token.group("key")
        return None if key in ALLOWED_KEYS else token.group(0).strip()
    return None  # "-": pandoc's short form of .unnumbered


def _pair_problem(name: str, value: str) -> str | None:
    if name == "id":
        return None if ID_PATTERN.fullmatch(value) else f"id={value}"
    if name == "class":
        unknown = [c for c in value.split() if c not in ALLOWED_CLASSES]
        return f"class={' '.join(unknown)}" if unknown else None
    return None if name in ALLOWED_KEYS else name
