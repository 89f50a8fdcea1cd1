"""Publication safety (issue 6): author content is data, never code; nothing unsafe reaches any
output; every refusal names the file, line and column."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from conftest import TinyProject

UNSAFE_BODIES = {
    "script tag": ("<script>alert('x')</script>\n", "the HTML tag <script> is not allowed"),
    "iframe": ('<iframe src="https://evil.example"></iframe>\n', "the HTML tag <iframe> is not allowed"),
    "event handler": ('<span onmouseover="alert(1)">hover</span>\n', "event-handler attributes"),
    "javascript link": ("[click me](javascript:alert(1))\n", "the link target 'javascript:alert(1' is not allowed"),
    "entity-obfuscated link": ("[x](jav&#x61;script:alert(1))\n", "is not allowed"),
    "html javascript href": ('<a href="JavaScript:alert(1)">x</a>\n', "the link target 'JavaScript:alert(1)'"),
    "raw html block": ("```{=html}\n<b onclick=x>x</b>\n```\n", "raw output blocks"),
    "raw typst inline": ('`#read("/etc/passwd")`{=typst}\n', "raw output blocks"),
    "image outside repository": ("![Secret](../../../../etc/hostname)\n", "is outside the repository"),
    "missing image": ("![A chart](images/nowhere.png)\n", "does not exist"),
    "image without alt text": ("![](../mkdocs.yml)\n", "no text alternative"),
    "reference-style link": ("[x]: javascript:alert(1)\n", "the link target 'javascript:alert(1)' is not allowed"),
    "style attribute": ('<p style="background:url(x)">x</p>\n', "style attributes are not allowed"),
    "processing instruction": ("Hidden <?php SECRET ?> text.\n", "processing instructions such as <?php"),
    "unterminated comment": ("Open <!-- a reviewer's note\n\nLast paragraph.\n", "this comment never closes"),
}


@pytest.mark.parametrize("case", sorted(UNSAFE_BODIES))
def test_unsafe_author_content_is_refused_with_its_location(project: TinyProject, case: str) -> None:
    body, message = UNSAFE_BODIES[case]
    path = project.note("unsafe.md", body="Opening paragraph.\n\n" + body)
    line = path.read_text().split("\n").index(body.split("\n")[0]) + 1
    result = project.build()
    assert result.returncode == 1
    assert re.search(rf"briefings/unsafe\.md:{line}(:\d+)?: error: .*{re.escape(message)}", result.stderr), (
        result.stderr
    )
    assert "Traceback" not in result.stderr
    assert not project.site.exists()


def test_template_syntax_in_notes_renders_literally(project: TinyProject) -> None:
    project.note(
        "literal.md",
        title="Sums like {{ 7*7 }} stay as written",
        summary="Jinja {% include 'x' %} and {{ config }} are text here.",
        body="The body says {{ 7*7 }} and {% raw %} and ${HOME} [@alphaReport2020].\n",
    )
    assert project.build().returncode == 0
    page = (project.site / "briefings/literal/index.html").read_text()
    assert "{{ 7*7 }}" in page and "{% raw %}" in page and "${HOME}" in page
    assert "49" not in re.sub(r"<[^>]+>", "", page).split("Sums like")[1][:40]
    assert "{% include 'x' %}" in html.unescape(page)  # as the reader sees it, however the quotes are encoded


def test_harmless_html_is_kept(project: TinyProject) -> None:
    project.note("abbr.md", body='The <abbr title="United Nations">UN</abbr> met, with H<sub>2</sub>O.\n')
    assert project.build().returncode == 0
    page = (project.site / "briefings/abbr/index.html").read_text()
    assert '<abbr title="United Nations">UN</abbr>' in page and "<sub>2</sub>" in page


def test_markup_in_plain_text_fields_is_refused(project: TinyProject) -> None:
    project.note("title.md", title="Breaking </title><script>alert(1)</script>")
    result = project.council("check")
    assert result.returncode == 1
    assert "field 'title': plain-text fields cannot contain '<' or '>'" in result.stderr


def test_images_inside_the_repository_reach_every_format(project: TinyProject) -> None:
    import struct
    import zlib

    def png(width: int, height: int) -> bytes:
        raw = b"".join(b"\x00" + b"\x00\x60\xa0" * width for _ in range(height))

        def chunk(kind: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

        header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
        return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")

    (project.root / "briefings" / "images").mkdir()
    (project.root / "briefings" / "images" / "chart.png").write_bytes(png(30, 10))
    project.note("chart.md", body="![Funding rose in 2026](images/chart.png)\n\nText [@alphaReport2020].\n")
    assert project.build().returncode == 0, project.build().stderr
    folder = project.site / "briefings" / "chart"
    img = re.search(
        r'<img src="(media/[0-9a-f]+\.png)" alt="Funding rose in 2026"', (folder / "index.html").read_text()
    )
    assert img and (folder / img.group(1)).read_bytes() == png(30, 10)
    import docx
    import pikepdf

    assert len(docx.Document(str(folder / "chart.docx")).inline_shapes) == 1
    with pikepdf.open(folder / "chart.pdf") as pdf:
        images = [image for page in pdf.pages for image in page.get_images()]
        assert images


def test_slugs_cannot_escape_the_output_folder(project: TinyProject) -> None:
    project.raw_note("..evil.md", "---\ntitle: x\n---\n")
    (project.root / "briefings" / "Bad Name!.md").write_text("---\ntitle: x\n---\n")
    result = project.council("check")
    assert result.returncode == 1
    assert "is not a valid slug" in result.stderr


def test_alias_bombs_and_huge_front_matter_are_refused(project: TinyProject) -> None:
    bomb = (
        "---\ntitle: &a [x, x, x, x, x, x, x, x, x]\nsummary: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "key_points: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n---\nBody\n"
    )
    project.raw_note("bomb.md", bomb)
    project.raw_note("huge.md", "---\ntitle: " + "x" * 70000 + "\n---\nBody\n")
    (project.root / "briefings" / "latin1.md").write_bytes("---\ntitle: caf\xe9\n---\n".encode("latin-1"))
    result = project.council("check")
    assert result.returncode == 1
    assert "bomb.md:2: error: YAML anchors and aliases (& and *) are not allowed" in result.stderr
    assert "huge.md:2: error: front matter is over 65536 characters" in result.stderr
    assert "latin1.md:2:11: error: the file is not valid UTF-8 (byte 0xe9)" in result.stderr
    assert "Traceback" not in result.stderr


def test_two_builds_at_once_are_serialised_with_a_clear_message(project: TinyProject) -> None:
    import fcntl

    project.note("good.md")
    (project.root / "build").mkdir()
    with open(project.root / "build" / ".lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = project.build()
    assert result.returncode == 3
    assert "another council build is running in this project" in result.stderr


def test_two_builds_of_the_same_sources_are_byte_identical(tmp_path: Path) -> None:
    from conftest import copy_sample_project, run_council

    sites = []
    for name in ("first", "second"):
        root = copy_sample_project(tmp_path / name)
        run_council("build", "--quiet", "--now", "2026-11-27T12:00:00Z", cwd=root, check=True)
        sites.append(root / "site")
    first = {p.relative_to(sites[0]): p.read_bytes() for p in sites[0].rglob("*") if p.is_file()}
    second = {p.relative_to(sites[1]): p.read_bytes() for p in sites[1].rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [path for path in first if first[path] != second[path]] == []
    assert any(str(p).endswith(".pdf") for p in first) and any(str(p).endswith(".docx") for p in first)
