"""Issue 26, outside tester: square brackets (spans, links) and ::: boxes nested thousands deep passed
`council check`, then made pandoc take gigabytes or typst fail with no line. Their depth is counted in
one pass before any other check of the body, against the same limit as lists (MAX_NESTING)."""

from __future__ import annotations

import json
import time

import pytest
from conftest import TinyProject
from hypothesis import given, settings
from hypothesis import strategies as st

from council.base.tools import run_pandoc
from council.sources.briefings import MAX_NESTING, _bracket_depth
from council.sources.prose import prose_lines

INTRO = "Intro [@alphaReport2020].\n\n"


def spans(depth: int) -> str:
    return "[" * depth + "x" + "]{lang=en}" * depth + "\n"


def boxes(depth: int) -> str:
    return "".join("::: {lang=en}\n" for _ in range(depth)) + "\nInside.\n\n" + ":::\n" * depth


def errors_of(stderr: str, name: str) -> list[str]:
    return [line for line in stderr.splitlines() if f"briefings/{name}:" in line and ": error:" in line]


@pytest.mark.parametrize(("shape", "what"), [(spans, "square brackets"), (boxes, "::: box")])
def test_nesting_exactly_at_the_limit_passes_and_one_more_is_refused_at_its_line(
    project: TinyProject, shape, what: str
) -> None:
    project.note("limit.md", body=INTRO + shape(MAX_NESTING))
    project.note("over.md", body=INTRO + shape(MAX_NESTING + 1))
    result = project.council("check")
    assert result.returncode == 1
    assert not errors_of(result.stderr, "limit.md"), result.stderr
    lines = (project.root / "briefings" / "over.md").read_text().split("\n")
    first = lines.index(shape(MAX_NESTING + 1).split("\n")[0]) + 1  # the first line of the nesting
    line = first if shape is spans else first + MAX_NESTING  # boxes: the opener past the limit
    (found,) = [e for e in errors_of(result.stderr, "over.md") if what in e]
    assert found.startswith(f"briefings/over.md:{line}: error:"), result.stderr
    assert f"{MAX_NESTING + 1} deep; at most {MAX_NESTING}" in found


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("[" * 5000 + "x" + "]{lang=en}" * 5000 + "\n", id="5000 spans"),
        pytest.param(boxes(3000), id="3000 boxes"),
        pytest.param("[" * 50_000 + "]" * 50_000 + "\n", id="50000 brackets"),
    ],
)
def test_hostile_nesting_is_refused_by_check_and_build_in_seconds(project: TinyProject, body: str) -> None:
    project.note("deep.md", body=INTRO + body)
    for command in (["check"], ["build", "--quiet"]):
        started = time.monotonic()
        result = project.council(*command)
        elapsed = time.monotonic() - started
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
        assert [e for e in errors_of(result.stderr, "deep.md") if " deep; at most " in e], result.stderr[-2000:]
        assert elapsed < 15, (command, elapsed)
    assert not project.site.exists()


def test_escaped_and_code_brackets_do_not_count(project: TinyProject) -> None:
    project.note("plain.md", body=INTRO + "\\[" * 40 + " and `" + "[" * 40 + "`\n")
    result = project.council("check")
    assert not errors_of(result.stderr, "plain.md"), result.stderr


def pandoc_bracket_depth(node: object) -> int:
    """The deepest nesting of spans, links and images in pandoc's own reading of the text."""
    if isinstance(node, list):
        return max((pandoc_bracket_depth(item) for item in node), default=0)
    if not isinstance(node, dict):
        return 0
    inside = pandoc_bracket_depth(node.get("c"))
    return inside + 1 if node.get("t") in ("Span", "Link", "Image") else inside


bracket_texts = st.lists(
    st.sampled_from(["[", "]", "]{lang=en}", "](https://example.org)", "![", "x", " ", "\\[", "`[`", "\n", "\n\n"]),
    max_size=30,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(text=bracket_texts)
def test_the_quick_bracket_count_is_never_below_pandocs(text: str) -> None:
    """The oracle is pandoc: what the one-pass count lets through, pandoc nests no deeper."""
    blocks = json.loads(run_pandoc(["-f", "markdown", "-t", "json"], input_text=text))["blocks"]
    depth = deepest = 0
    for line in prose_lines(text, skip_comments=True):
        depth, on_line = _bracket_depth(line.text, depth)
        deepest = max(deepest, on_line)
    assert deepest >= pandoc_bracket_depth(blocks), text


def test_a_fence_that_never_closes_hides_no_nesting(project: TinyProject) -> None:
    """Pandoc reads a ``` that never closes as text, so what follows it is prose and is counted."""
    project.note("open-fence.md", body=INTRO + "```\n\n" + "[" * 50_000 + "]" * 50_000 + "\n")
    result = project.council("check")
    assert result.returncode == 1
    assert [e for e in errors_of(result.stderr, "open-fence.md") if "square brackets 50000 deep" in e], result.stderr
