"""Issue 26, items 1, 2 and the raw web image of 8: one allowlist of the attributes an author may write
(sources/attributes.py), refused with file and line by `council check` and `council build` alike;
reviewers' HTML comments never reach any output; `<img src="https://...">` is refused as a Markdown
image from the web is."""

from __future__ import annotations

import re

import pytest
from conftest import TinyProject

from council.publish.gate import readable_text
from council.sources.attributes import ALLOWED_CLASSES, ALLOWED_KEYS, refused_attributes

# (Markdown, what the finding names): each on a line of its own, so that its line number is known
REFUSED = [
    ('See [the guidance](https://www.gov.uk){onfocus="alert(3)" autofocus=""}.', "onfocus="),
    ('See [the guidance](https://www.gov.uk){autofocus=""}.', "autofocus="),
    ('[x]{style="position:fixed;inset:0" onmouseover="alert(1)"}', "style="),
    ('::: {onclick="alert(2)"}', "onclick="),
    ("## A heading {tabindex=1}", "tabindex=1"),
    ("`code`{srcdoc=x}", "srcdoc=x"),
    ("![A map](images/map.png){formaction=x}", "formaction=x"),
    ("[x]{.md-dialog}", ".md-dialog"),
    ("[x]{#__config}", "#__config"),
    ("::: warning", ".warning"),
    ('<span title="t">x</span>', "title"),
    ('<abbr title="UN" tabindex="0">UN</abbr>', "tabindex"),
    ('<img src="https://tracker.example/p.png" alt="pixel">', "images must be files in the repository"),
    ('<img src="//tracker.example/p.png" alt="pixel">', "images must be files in the repository"),
    ("```python {onclick=x}", "onclick=x"),
]


def error_lines(stderr: str, name: str) -> set[tuple[int, str]]:
    return {
        (int(m.group(1)), m.group(2)) for m in re.finditer(rf"briefings/{name}:(\d+)(?::\d+)?: error: (.*)", stderr)
    }


@pytest.fixture
def with_image(project: TinyProject) -> TinyProject:
    from conftest import png

    (project.root / "briefings" / "images").mkdir()
    (project.root / "briefings" / "images" / "map.png").write_bytes(png(b"\x10\x20\x30"))
    return project


def test_attributes_outside_the_allowlist_are_refused_by_check_and_build_alike(with_image: TinyProject) -> None:
    body = "Opening paragraph [@alphaReport2020].\n\n"
    for markdown, _ in REFUSED:
        body += markdown + (
            "\n```\n" if markdown.startswith("```") else "\n:::\n" if markdown.startswith(":::") else ""
        )
        body += "\n"
    path = with_image.note("attrs.md", body=body)
    lines = path.read_text(encoding="utf-8").split("\n")
    check = with_image.council("check")
    assert check.returncode == 1
    found = error_lines(check.stderr, "attrs.md")
    for markdown, named in REFUSED:
        line = lines.index(markdown) + 1
        assert any(where == line and named in message for where, message in found), (markdown, check.stderr)
    assert "Traceback" not in check.stderr
    build = with_image.build()
    assert build.returncode == 1
    assert error_lines(build.stderr, "attrs.md") == found  # the same findings: the build refuses too
    assert not with_image.site.exists()


def test_an_attribute_list_over_several_lines_is_refused_at_its_first_line(project: TinyProject) -> None:
    path = project.note(
        "multi.md", body="Text [@alphaReport2020].\n\n[y]{ #a\nonclick=z }\n\n<span\n  onmouseover=x>s</span>\n"
    )
    result = project.council("check")
    lines = path.read_text(encoding="utf-8").split("\n")
    found = error_lines(result.stderr, "multi.md")
    assert (lines.index("[y]{ #a") + 1, "the attribute 'onclick=z' is not allowed in notes") in found
    assert (lines.index("<span") + 1, "the attribute 'onmouseover' is not allowed in notes") in found


def test_documented_attributes_are_accepted_and_reach_the_page(with_image: TinyProject) -> None:
    with_image.note(
        "allowed.md",
        body=(
            "Names: [Київ]{lang=uk} and [الخرطوم]{lang=ar dir=rtl} [@alphaReport2020].\n\n"
            "::: {lang=fr}\nUn passage.\n:::\n\n"
            "## Background {#background .unnumbered}\n\n"
            '![Regions covered](images/map.png){#fig-regions fig-alt="A map with three shaded regions"}\n\n'
            'See @fig-regions and the <abbr title="United Nations">UN</abbr>.\n\n'
            "```yaml\nkey: value\n```\n\nThe {year} and {seq} in prose are text.\n"
        ),
    )
    result = with_image.build()
    assert result.returncode == 0, result.stderr
    page = (with_image.site / "briefings/allowed/index.html").read_text(encoding="utf-8")
    assert '<span lang="uk">Київ</span>' in page and 'dir="rtl"' in page and '<div lang="fr">' in page
    assert 'id="background"' in page and 'alt="A map with three shaded regions"' in page
    assert "The {year} and {seq} in prose are text." in page


def test_the_one_list_judges_braces_as_pandoc_reads_them() -> None:
    def refused(text: str) -> list[str]:
        return [found.what for found in refused_attributes(text)]

    for key in sorted(ALLOWED_KEYS):
        assert refused(f"[x]{{{key}=v}}") == []
    for name in sorted(ALLOWED_CLASSES):
        assert refused(f"[x]{{.{name}}}") == []
    assert refused("[x]{#fig-1 - .unnumbered}") == []
    assert refused("{year} {=html} {a b} {}") == []  # not attribute lists: pandoc leaves them as text
    assert refused("[x]{ONCLICK=1 lang=uk data-x=\"a b\" onfocus='y'}") == ["ONCLICK=1", 'data-x="a b"', "onfocus='y'"]
    assert refused("[x]{#1abc}") == ["#1abc"]  # ids start with a letter, as the theme's own never do


SENTINELS = ("REVIEWER-INLINE-5b1e", "REVIEWER-BLOCK-8c2f", "STYLE-REASON-3d9a", "REVIEWER-LIST-6e0b")


def test_html_comments_reach_no_output_and_style_allow_is_still_read(project: TinyProject) -> None:
    long_sentence = " ".join(["The mission reported that the regional authorities had"] * 9) + "."
    body = (
        f"Opening paragraph <!-- reviewer: {SENTINELS[0]} --> with a citation [@alphaReport2020].\n\n"
        f"<!-- reviewer: the source is a named official {SENTINELS[1]} -->\n\n"
        f"<!-- style: allow long-sentence: {SENTINELS[2]} -->\n{long_sentence}\n\n"
        f"- A point <!--\n  {SENTINELS[3]} over lines -->\n- Another point\n"
    )
    project.note("comments.md", body=body)
    check = project.council("check")
    assert check.returncode == 0, check.stderr
    assert "long-sentence" not in check.stderr  # house style read the allow comment before it was dropped
    result = project.build()
    assert result.returncode == 0, result.stderr
    published = [p for folder in ("site", "build/docs") for p in (project.root / folder).rglob("*") if p.is_file()]
    assert any(p.suffix == ".pdf" for p in published) and any(p.suffix == ".docx" for p in published)
    assert any(p.name == "search_index.json" for p in published)
    leaks = [
        (p.relative_to(project.root).as_posix(), word)
        for p in published
        for text in (readable_text(p), p.read_bytes().decode("utf-8", "replace"))
        for word in SENTINELS
        if word in text
    ]
    assert leaks == []
    page = (project.site / "briefings/comments/index.html").read_text(encoding="utf-8")
    assert "<!--" not in page.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>")[0]
