"""Defence in depth: the pandoc worker (render/worker.lua, with render/common.lua's SANITISE filter)
strips scripts, event handlers, unsafe link schemes and raw output for other formats even when the
Markdown reaches it without passing sources/safety.py's checks. Drives the real `pandoc lua` worker."""

from __future__ import annotations

import json
import zipfile

import pytest
from conftest import REPO

from council.base.cache import ContentCache
from council.base.style_catalogue import style_path
from council.citations.styles import compact_style
from council.render.docx_reference import reference_docx, table_geometry
from council.render.pandoc_worker import BriefingRequest, DocumentRequest, PandocWorker, citation_style

UNSAFE = """\
Opening paragraph with <abbr title="United Nations">UN</abbr> and [a safe link](https://example.org/safe).

<script>alert("SCRIPT-7f2a")</script>

Inline <img src="x.png" onerror="alert('HANDLER-93b1')"> handler.

A [bad link](javascript:alert('LINK-5d0c')) and ![a bad image](javascript:alert('IMAGE-c48e')).

```{=typst}
#read("/etc/passwd") RAWTYPST-e611
```

Raw inline `#panic("INLINE-0b7d")`{=typst} and `<b>RAWHTML-ok</b>`{=html}.

See [the guidance](https://www.gov.uk){onfocus="alert('FOCUS-1a2b')" autofocus=""} and
[a layer]{style="position:fixed;inset:0" onmouseover="alert('HOVER-3c4d')"} over the page.

::: {#__config .md-dialog onclick="alert('DIV-5e6f')"}
Text in a div.
:::

## A heading {data-x=1 style="color:red" onclick="alert('HEAD-7a70')"}

Code `x = 1`{.python onclick="alert('CODE-8b81')"} and a span over
<span
  onmouseover="alert('MULTI-9c92')">two lines</span>.

A reviewer said <!-- reviewer: COMMENT-INLINE-0da3 --> nothing.

<!-- reviewer: the source is a named official COMMENT-BLOCK-1eb4 -->

<!-- style: allow LONG-SENTENCE: COMMENT-STYLE-2fc5 -->

Hidden <?php echo "PI-INLINE-6d09"; ?> text.

<?xml-stylesheet href="PI-BLOCK-7e1a"?>

<abbr title="Kept" tabindex="1" autofocus>FOCUSABLE-3ad6</abbr> and
<img src="https://tracker.example/TRACKER-4be7.png" alt="pixel"> and ![a web image](https://tracker.example/MDIMG-5cf8.png).

Allowed: [Київ]{lang=uk}, [the figure]{.figure key=aia.triggers} and []{#para-kept}.
"""
FORBIDDEN = (
    "SCRIPT-7f2a",
    "HANDLER-93b1",
    "javascript:",
    "RAWTYPST-e611",
    "INLINE-0b7d",
    "/etc/passwd",
    "onerror",
    "FOCUS-1a2b",
    "HOVER-3c4d",
    "DIV-5e6f",
    "HEAD-7a70",
    "CODE-8b81",
    "MULTI-9c92",
    "COMMENT-",
    "PI-",  # processing instructions: raw HTML to pandoc, hidden text in the page's source
    "TRACKER-4be7",
    "MDIMG-5cf8",
    "tracker.example",
    "position:fixed",
    "tabindex",
    "__config",
    "md-dialog",
)
# every attribute the HTML of a sanitised note may carry: the allowlist, and what pandoc's writer adds
WRITER_ATTRIBUTES = {"id", "class", "lang", "dir", "href", "src", "alt", "title", "data-key", "aria-hidden"}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    scratch = tmp_path_factory.mktemp("sanitiser")
    cache = ContentCache(scratch / "cache")
    oscola = style_path("oscola", REPO)
    assert oscola is not None
    docx_path = scratch / "note.docx"
    document = DocumentRequest(
        writer="docx",
        path=str(docx_path),
        reference_doc=str(reference_docx("OFFICIAL", cache)),
        front="",
        meta={"title": "Sanitiser test"},
        table=table_geometry(),
    )
    request = BriefingRequest(
        markdown=UNSAFE,
        style=citation_style(oscola, compact_style(oscola, cache), json.dumps([]), "en-GB"),
        references_title="References",
        images={},
        abbreviations={},
        documents=(document,),
    )
    worker = PandocWorker()
    try:
        answer = worker.render(request)
    finally:
        worker.close()
    with zipfile.ZipFile(docx_path) as docx:
        word = docx.read("word/document.xml").decode("utf-8")
    return {"html": answer["html"], "typst": answer["typst"], "docx": word}


@pytest.mark.parametrize("output", ["html", "typst", "docx"])
def test_nothing_unsafe_reaches_any_output(rendered: dict[str, str], output: str) -> None:
    text = rendered[output]
    for word in FORBIDDEN:
        assert word not in text, (output, word)
    assert "bad link" in text  # an unsafe link keeps its words, without the target


def test_harmless_html_and_safe_links_are_kept(rendered: dict[str, str]) -> None:
    html = rendered["html"]
    assert '<abbr title="United Nations">UN</abbr>' in html
    assert 'href="https://example.org/safe"' in html
    assert "<b>RAWHTML-ok</b>" in html
    assert '#link("https://example.org/safe")' in rendered["typst"]


def test_only_allowed_attributes_and_no_comment_reach_the_page(rendered: dict[str, str]) -> None:
    """Read by a real HTML parser: every element of the page, whatever wrote it."""
    from html.parser import HTMLParser

    class Collect(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.attributes: set[str] = set()
            self.comments: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.attributes |= {name for name, _ in attrs}

        def handle_comment(self, data: str) -> None:
            self.comments.append(data)

    page = Collect()
    page.feed(rendered["html"])
    assert page.attributes <= WRITER_ATTRIBUTES, page.attributes - WRITER_ATTRIBUTES
    assert page.comments == []


def test_allowed_attributes_are_kept(rendered: dict[str, str]) -> None:
    html = rendered["html"]
    assert '<span lang="uk">Київ</span>' in html
    assert 'class="figure"' in html and 'data-key="aia.triggers"' in html
    assert 'id="para-kept"' in html
    assert "two lines" in html and "Text in a div." in html and "A heading" in html


def test_the_script_and_image_elements_are_gone_not_escaped(rendered: dict[str, str]) -> None:
    html = rendered["html"]
    assert "<script" not in html and "&lt;script" not in html
    assert "<img" not in html  # the image with a handler and the javascript: image
    assert "a bad image" in html  # the image's description stays as text
