"""Nothing lost, never a traceback (issue 6): random input gives outputs or a clean error. (A build
killed at any stage: tests/test_publish.py.)"""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
import yaml
from conftest import TinyProject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from council.base.config import load_config
from council.base.errors import CouncilError
from council.base.tools import run_pandoc
from council.pipeline.site import check
from council.sources.briefings import MAX_NESTING, nesting_depth
from council.sources.prose import prose_lines

KEYS = [
    "title",
    "summary",
    "key_points",
    "authors",
    "date",
    "status",
    "lang",
    "workstreams",
    "tools",
    "recommendations",
    "countries",
    "classification",
    "embargo_until",
    "answers",
    "intersections",
    "extra",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.text(max_size=40),
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
pieces = st.sampled_from(
    list("ab @[]{}<>`*_#-:;,.!\n\t|=~/\\\"'éإ中")
    + ["[@", "](", "{{", "{%", "```", "[@alphaReport2020]", "<abbr>", "\n\n## ", "^[", "![x]("]
)
markdown = st.lists(pieces, max_size=120).map("".join)


def write_note(project: TinyProject, front: dict, body: str) -> None:
    try:
        text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + body
    except yaml.YAMLError:
        text = "---\ntitle: x\n---\n" + body
    (project.root / "briefings" / "random.md").write_text(text, encoding="utf-8")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(front=st.dictionaries(st.sampled_from(KEYS), values, max_size=10), body=markdown)
def test_check_gives_sources_or_a_clean_error(project: TinyProject, front: dict, body: str) -> None:
    write_note(project, front, body)
    config = load_config(project.root)
    try:
        check(config)
    except CouncilError as error:
        assert error.show()  # every problem can be presented to the author


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=markdown)
def test_build_gives_outputs_or_a_clean_error(project: TinyProject, body: str) -> None:
    project.note("random.md", body=body)
    result = project.build()
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    if result.returncode == 0:
        assert (project.site / "briefings" / "random" / "random.pdf").exists()


@pytest.mark.parametrize("text", ["", "\ufeff", "---\n", "---\n---\n", "\r\n\r\n", "---\r\ntitle: x\r\n---\r\n"])
def test_degenerate_files_give_clean_errors(project: TinyProject, text: str) -> None:
    project.raw_note("odd.md", text)
    result = project.council("check")
    assert result.returncode == 1
    assert "briefings/odd.md:" in result.stderr and "Traceback" not in result.stderr


# --- issue 26, item 8: edges found by `council check` at their line, before anything is rendered ---


@pytest.mark.parametrize("character", ["\x00", "\x01", "\x08", "\x0b", "\x1b", "\x7f"])
def test_a_control_character_is_found_by_check_at_its_line(project: TinyProject, character: str) -> None:
    project.note("pasted.md", body=f"First paragraph [@alphaReport2020].\n\nPasted{character}text.\n")
    line = (project.root / "briefings" / "pasted.md").read_text().split("\n").index(f"Pasted{character}text.") + 1
    for command in (["check"], ["build", "--quiet"]):
        result = project.council(*command)
        assert result.returncode == 1, (command, result.stderr)
        assert f"briefings/pasted.md:{line}:7: error:" in result.stderr, result.stderr
        assert f"U+{ord(character):04X}" in result.stderr and "Traceback" not in result.stderr


def nested_list(depth: int) -> str:
    return "".join("  " * level + f"- level {level + 1}\n" for level in range(depth))


def test_nesting_exactly_at_the_limit_passes_check_and_one_more_is_refused(project: TinyProject) -> None:
    project.note("limit.md", body="Intro [@alphaReport2020].\n\n" + nested_list(MAX_NESTING))
    assert project.council("check").returncode == 0
    project.note("over.md", body="Intro [@alphaReport2020].\n\n" + nested_list(MAX_NESTING + 1))
    result = project.council("check")
    assert result.returncode == 1
    last_line = len((project.root / "briefings" / "over.md").read_text().rstrip("\n").split("\n"))
    assert f"briefings/over.md:{last_line}: error: this line is nested {MAX_NESTING + 1} levels" in result.stderr
    errors = [line for line in result.stderr.splitlines() if ": error:" in line]
    assert not [line for line in errors if "limit.md" in line]  # house style may warn of its long lines


@pytest.mark.parametrize("shape", ["- " * 10_000 + "bottom\n", "> " * 10_000 + "bottom\n", "1. " * 10_000 + "x\n"])
def test_a_list_ten_thousand_deep_is_found_by_check_and_build_quickly(project: TinyProject, shape: str) -> None:
    project.note("deep.md", body="Intro [@alphaReport2020].\n\n" + shape)
    for command in (["check"], ["build", "--quiet"]):
        started = time.monotonic()
        result = project.council(*command)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert "briefings/deep.md:" in result.stderr and "10000 levels deep" in result.stderr, result.stderr
        assert time.monotonic() - started < 30
    assert not project.site.exists()


def pandoc_depth(blocks: list[dict]) -> int:
    """The deepest nesting of lists and quotes in pandoc's own reading of the text."""
    deepest = 0
    for block in blocks:
        kind, content = block["t"], block.get("c")
        if kind == "BulletList":
            deepest = max(deepest, 1 + max((pandoc_depth(item) for item in content), default=0))
        elif kind == "OrderedList":
            deepest = max(deepest, 1 + max((pandoc_depth(item) for item in content[1]), default=0))
        elif kind == "BlockQuote":
            deepest = max(deepest, 1 + pandoc_depth(content))
        elif kind == "Div":
            deepest = max(deepest, pandoc_depth(content[1]))
    return deepest


spaces = st.sampled_from(["", " ", "  ", "   ", "    ", "\t"])
list_lines = st.lists(
    st.tuples(
        st.integers(0, 12),  # indentation in columns
        st.lists(st.tuples(st.sampled_from(["-", "*", "+", "1.", "2)", ">"]), spaces), max_size=4),
        st.sampled_from(["item", "", "text *em*", "```", "    code"]),
    ),
    min_size=1,
    max_size=12,
).map(
    lambda lines: (
        "\n".join(" " * indent + "".join(m + gap for m, gap in marks) + text for indent, marks, text in lines) + "\n"
    )
)


@settings(max_examples=300, deadline=None)
@given(text=list_lines)
def test_the_quick_nesting_count_is_never_below_pandocs(text: str) -> None:
    """The oracle is pandoc itself: what the quick count lets through, pandoc nests no deeper."""
    blocks = json.loads(run_pandoc(["-f", "markdown", "-t", "json"], input_text=text))["blocks"]
    counted = max((nesting_depth(line.text) for line in prose_lines(text, skip_comments=True)), default=0)
    assert counted >= pandoc_depth(blocks), text


@pytest.mark.parametrize("body", [">#\n", "- ##\n", "> - #\n"])
def test_a_heading_with_no_text_builds(project: TinyProject, body: str) -> None:
    """Found by the property test above: typst refuses an empty heading, so an empty `#` in a quote or a
    list (where `council check`, which refuses one at the top level, does not look) is left out."""
    project.note("empty-heading.md", body=body)
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert (project.site / "briefings" / "empty-heading" / "empty-heading.pdf").exists()
