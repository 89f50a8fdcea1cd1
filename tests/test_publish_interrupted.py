"""A `council publish` stopped between writing the note and writing the ledger (issue 26, item 8):
`council check` reports the note and the ledger that disagree, at the note's line, and running the
command again finishes the record. The stop is a real SIGKILL at the pause point between the writes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import TinyProject


def ledger(project: TinyProject) -> list[dict]:
    path = project.root / "briefings" / "published.yml"
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or []) if path.exists() else []


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1])


def line_of(path: Path, start: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if line.startswith(start))


def publish_killed_between_writes(project: TinyProject, slug: str, day: str) -> None:
    marker = project.root.parent / "paused"
    process = subprocess.Popen(
        [sys.executable, "-m", "council", "publish", slug, "--date", day],
        cwd=project.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, "COUNCIL_TEST_PAUSE_AT": "publish-note-written", "COUNCIL_TEST_PAUSE_MARKER": str(marker)},
    )
    deadline = time.monotonic() + 120
    while not marker.exists():
        if process.poll() is not None:
            raise AssertionError(f"council publish ended without pausing:\n{process.communicate()}")
        assert time.monotonic() < deadline
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)
    process.communicate()
    marker.unlink()


@pytest.mark.parametrize("first", [True, False], ids=["first-publish", "later-publish"])
def test_a_publish_stopped_between_note_and_ledger_is_reported_and_finished_by_running_it_again(
    project: TinyProject, first: bool
) -> None:
    project.note("earlier.md", status="draft", title="An earlier note")
    if not first:
        assert project.council("publish", "earlier", "--date", "2026-02-02").returncode == 0
    note = project.note("one.md", status="draft")
    publish_killed_between_writes(project, "one", "2026-02-03")
    assert front(note)["status"] == "published" and "one" not in [e["slug"] for e in ledger(project)]

    result = project.council("check")
    where = f"briefings/one.md:{line_of(note, 'status:')}: warning:"
    assert where in result.stderr and "`council publish one`" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr

    again = project.council("publish", "one")
    assert again.returncode == 0, again.stderr
    recorded = {e["slug"]: e for e in ledger(project)}
    assert recorded["one"]["number"] == front(note)["number"] and str(recorded["one"]["published"]) == "2026-02-03"
    assert "does not list it" not in project.council("check").stderr
    assert "already" in project.council("publish", "one").stderr  # finished: nothing more to do


def test_a_published_note_missing_from_the_ledger_is_reported_by_check(project: TinyProject) -> None:
    """The state an older council left when stopped between its writes, made by hand."""
    project.note("kept.md", status="draft", title="A kept note")
    assert project.council("publish", "kept", "--date", "2026-02-02").returncode == 0
    note = project.note("lost.md", number="APRC-2026-002", date="2026-02-03")
    result = project.council("check")
    where = f"briefings/lost.md:{line_of(note, 'status:')}: warning: field 'status': this briefing is published, but"
    assert where in result.stderr, result.stderr
    assert "briefings/published.yml does not list it" in result.stderr and "`council publish lost`" in result.stderr


def test_a_number_that_disagrees_with_the_ledger_is_an_error_at_its_line(project: TinyProject) -> None:
    note = project.note("one.md", status="draft")
    assert project.council("publish", "one", "--date", "2026-02-03").returncode == 0
    note.write_text(note.read_text(encoding="utf-8").replace("APRC-2026-001", "APRC-2026-007"), encoding="utf-8")
    result = project.council("check")
    assert result.returncode == 1
    assert f"briefings/one.md:{line_of(note, 'number:')}: error:" in result.stderr
    assert "APRC-2026-007 is not the APRC-2026-001" in result.stderr
