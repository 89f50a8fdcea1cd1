"""Nothing lost, never a traceback (issue 6): random input gives outputs or a clean error. (A build
killed at any stage: tests/test_publish.py.)"""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from conftest import TinyProject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from council.base.config import load_config
from council.base.errors import CouncilError
from council.pipeline.site import check

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
