"""The source-side sanitiser (sources/safety.py) in this process, line by line: what it refuses, where
it says the problem is, and what it lets through. Fast, so these are also the tests `nox -s mutate`
runs against the sanitiser; test_safety.py checks the same rules end to end through `council build`."""

from __future__ import annotations

from pathlib import Path

import pytest

from council.sources.safety import is_safe_url, local_images, plain_text_problem, unsafe_content

FIRST_LINE = 7  # where the body starts in its file: every line number is counted from here


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "briefings" / "images").mkdir(parents=True)
    (tmp_path / "briefings" / "images" / "chart.png").write_bytes(b"\x89PNG fixture")
    (tmp_path / "outside.png").write_bytes(b"\x89PNG fixture")  # in the repository, not beside the note
    return tmp_path / "briefings"


def problems(root: Path, body: str) -> list[tuple[int | None, int | None, str, str | None]]:
    note = root / "note.md"
    found = unsafe_content(note, body, FIRST_LINE, root.parent)
    assert all(p.location.path == note and not p.warning for p in found)
    return [(p.location.line, p.location.column, p.message, p.hint) for p in found]


LINK_HINT = "links may use http, https or mailto, or point within the site"
TAG_HINT = "use Markdown; only simple formatting tags such as <abbr> or <sup> are accepted"
RAW_HINT = "write the content in Markdown; ask an engineer if you need a new kind of box"

REFUSED = {
    # body: (line offset in the body, column, message, hint)
    "<script>alert(1)</script>": (0, 1, "the HTML tag <script> is not allowed in notes", TAG_HINT),
    "Text then <IFRAME src=x>": (0, 11, "the HTML tag <iframe> is not allowed in notes", TAG_HINT),
    "< svg onload=x>": (0, 1, "the HTML tag <svg> is not allowed in notes", TAG_HINT),
    '<span onclick="go()">x</span>': (
        0,
        1,
        "event-handler attributes (on...=) are not allowed on <span>",
        "remove the attribute; notes cannot run scripts",
    ),
    "<b/onmouseover=x>b</b>": (
        0,
        1,
        "event-handler attributes (on...=) are not allowed on <b>",
        "remove the attribute; notes cannot run scripts",
    ),
    '<a href="javascript:go()">x</a>': (0, 1, "the link target 'javascript:go()' is not allowed", LINK_HINT),
    "<img src='data:image/png;base64,xx' alt=x>": (
        0,
        1,
        "the link target 'data:image/png;base64,xx' is not allowed",
        LINK_HINT,
    ),
    '<p style="color:red">x</p>': (
        0,
        1,
        "style attributes are not allowed on <p>",
        "the house style applies to every note; remove the attribute",
    ),
    "See [x](javascript:alert(1)).": (0, 5, "the link target 'javascript:alert(1' is not allowed", LINK_HINT),
    "[x](jav&#x61;script:go)": (0, 1, "the link target 'jav&#x61;script:go' is not allowed", LINK_HINT),
    "[x](VBScript:go)": (0, 1, "the link target 'VBScript:go' is not allowed", LINK_HINT),
    "Go <javascript:alert(1)> now": (0, 4, "the link target 'javascript:alert(1)' is not allowed", LINK_HINT),
    "[ref]: javascript:go": (0, 1, "the link target 'javascript:go' is not allowed", LINK_HINT),
    "[x](javascript:" + "a" * 80 + ")": (
        0,
        1,
        "the link target 'javascript:" + "a" * 46 + "...' is not allowed",
        LINK_HINT,
    ),
    "```{=html}\n<b>x</b>\n```": (
        0,
        None,
        "raw output blocks such as {=html} or {=typst} are not allowed in notes",
        RAW_HINT,
    ),
    "Inline `#x`{=typst} here": (
        0,
        None,
        "raw output blocks such as {=html} or {=typst} are not allowed in notes",
        RAW_HINT,
    ),
    "```\nx = 1\n```\n\n<script>after code</script>": (4, 1, "the HTML tag <script> is not allowed in notes", TAG_HINT),
    "</b><script>x</script>": (0, 5, "the HTML tag <script> is not allowed in notes", TAG_HINT),
    "Visit <https://example.org> then <script>x</script>": (
        0,
        34,
        "the HTML tag <script> is not allowed in notes",
        TAG_HINT,
    ),
    '<a href="XSS:alert(1)">x</a>': (0, 1, "the link target 'XSS:alert(1)' is not allowed", LINK_HINT),
    '<a href="Xmailto:a@b.c">x</a>': (0, 1, "the link target 'Xmailto:a@b.c' is not allowed", LINK_HINT),
    '<p STYLE="color:red">x</p>': (
        0,
        1,
        "style attributes are not allowed on <p>",
        "the house style applies to every note; remove the attribute",
    ),
    "[x](javascript:" + "a" * 48 + ")": (
        0,
        1,
        "the link target 'javascript:" + "a" * 48 + "' is not allowed",
        LINK_HINT,
    ),  # 59 characters: shown whole
    "[x](javascript:" + "a" * 49 + ")": (
        0,
        1,
        "the link target 'javascript:" + "a" * 46 + "...' is not allowed",
        LINK_HINT,
    ),  # 60 characters: cut to 57 and "..."
    "Intro.\n\n#": (2, None, "this heading has no text", "write the heading after the '#' marks, or remove the line"),
    "   ## ##  ": (0, None, "this heading has no text", "write the heading after the '#' marks, or remove the line"),
    "![](images/chart.png)": (
        0,
        1,
        "this image has no text alternative",
        "describe the image inside the brackets: ![What the chart shows](file.png)",
    ),
    "![A chart](https://example.org/c.png)": (
        0,
        1,
        "images must be files in the repository, not 'https://example.org/c.png'",
        "save the image next to the note (e.g. briefings/images/) and link it by path",
    ),
    "![A chart](../../secret.png)": (
        0,
        1,
        "the image '../../secret.png' is outside the repository",
        "keep images inside the repository, e.g. in briefings/images/",
    ),
    "One.\n\n![A chart](images/missing.png)": (
        2,
        1,
        "the image 'images/missing.png' does not exist",
        "check the file name and that the path is relative to the note",
    ),
}


@pytest.mark.parametrize("body", REFUSED)
def test_unsafe_content_is_refused_at_its_line_and_column(root: Path, body: str) -> None:
    offset, column, message, hint = REFUSED[body]
    assert problems(root, body) == [(FIRST_LINE + offset, column, message, hint)]


ALLOWED = [
    "Plain text with a [safe link](https://example.org/a) and [mail](MAILTO:clerk@example.org).",
    "A [relative link](../other-briefing/) and an [anchor](#findings) and [plain http](http://example.org).",
    '<abbr title="United Nations">UN</abbr>, H<sub>2</sub>O and <A HREF="https://example.org">x</A>.',
    "<var>n</var> and <ul><li>listed</li></ul> in <div><span>blocks</span></div>",
    "</script> closing tags are judged by their opening tag",
    "Autolinks such as <https://example.org/page> are fine.",
    "[ref]: https://example.org/reference",
    "A chart: ![Funding rose](images/chart.png)",
    "A chart one level up: ![Funding rose](../outside.png)",
    "#hashtag is a word, not a heading",
    "    # indented code, not a heading",
    "```\n<script>alert(1)</script>\n[x](javascript:go)\n```",
    "Inline `<script>` code is text",
    "Braces {=like this} without a format name",
    "A bracket < 3 and 5 > 4 are maths",
    "On one line: ontology=good, onward = fine",
]


@pytest.mark.parametrize("body", ALLOWED)
def test_harmless_content_passes(root: Path, body: str) -> None:
    assert problems(root, body) == []


def test_every_problem_on_every_line_is_reported(root: Path) -> None:
    body = "<script>x</script> and <style>y</style>\n\nA [bad](javascript:x) and ![](images/chart.png)\n"
    assert [(line, column, message) for line, column, message, _ in problems(root, body)] == [
        (FIRST_LINE, 1, "the HTML tag <script> is not allowed in notes"),
        (FIRST_LINE, 24, "the HTML tag <style> is not allowed in notes"),
        (FIRST_LINE + 2, 3, "the link target 'javascript:x' is not allowed"),
        (FIRST_LINE + 2, 27, "this image has no text alternative"),
    ]


@pytest.mark.parametrize(
    ("target", "safe"),
    [
        ("https://example.org", True),
        ("HTTP://example.org", True),
        (" https://example.org", True),
        ("mailto:a@b.c", True),
        ("page/", True),
        ("#anchor", True),
        ("", True),
        ("javascript:x", False),
        (" javascript:x", False),
        ("java\tscript:x", False),
        ("java\nscript:x", False),
        ("&#106;avascript:x", False),
        ("data:text/html,x", False),
        ("file:///etc/passwd", False),
        ("ftp://example.org", False),
    ],
)
def test_only_http_https_mailto_and_site_links_are_safe(target: str, safe: bool) -> None:
    assert is_safe_url(target) is safe


def test_local_images_lists_the_files_a_note_embeds(root: Path) -> None:
    note = root / "note.md"
    body = (
        "![One](images/chart.png) and ![Web](https://example.org/x.png) and [a link](images/chart.png)\n"
        "![Gone](images/missing.png) and ![Up](../outside.png)"
    )
    assert local_images(note, body) == [
        ("images/chart.png", (root / "images" / "chart.png").resolve()),
        ("../outside.png", (root.parent / "outside.png").resolve()),
    ]
    assert local_images(note, "No images, only [a link](images/chart.png).") == []


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("A plain title", None),
        ("Less < more", "plain-text fields cannot contain '<' or '>'"),
        ("Arrow ->", "plain-text fields cannot contain '<' or '>'"),
    ],
)
def test_plain_text_fields_refuse_angle_brackets(value: str, problem: str | None) -> None:
    assert plain_text_problem(value) == problem
