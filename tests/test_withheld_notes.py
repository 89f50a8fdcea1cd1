"""Issue 21 - the author's own draft: `council build` names each note the publication gate withheld,
and why, one line each; `council serve` says how many drafts it hides and how to see them."""
from __future__ import annotations

import os
import subprocess
import sys
import time

from conftest import TinyProject


def gated(project: TinyProject) -> None:
    project.note("public.md", title="Public")
    project.note("drafty.md", title="Drafty", status="draft")
    project.note("reviewed.md", title="Reviewed", status="review")
    project.note("later.md", title="Later", embargo_until="2027-01-05T09:30:00Z")
    project.note("secret.md", title="Secret", classification="OFFICIAL-SENSITIVE")


def test_build_names_each_withheld_note_and_why(project: TinyProject) -> None:
    gated(project)
    result = project.build()
    assert result.returncode == 0, result.stderr
    withheld = sorted(line for line in result.stdout.splitlines() if line.startswith("withheld "))
    assert withheld == [
        "withheld briefings/drafty.md: status: draft (only published notes reach the site; "
        "`council serve --drafts` previews it)",
        "withheld briefings/later.md: embargoed until 2027-01-05 09:30 UTC",
        "withheld briefings/reviewed.md: status: review (only published notes reach the site; "
        "`council serve --drafts` previews it)",
        "withheld briefings/secret.md: marked OFFICIAL-SENSITIVE: never published; its PDF and Word files are "
        "in build/restricted/",
    ], result.stdout
    assert "withheld by the publication gate 4," in result.stdout
    # the lines come from the gate's decision: once the embargo has passed, the note is no longer named
    later = project.build("--now", "2027-01-05T09:30:00Z")  # the last --now wins
    assert later.returncode == 0, later.stderr
    assert "later.md" not in later.stdout and "withheld by the publication gate 3," in later.stdout
    # and an unchanged site (the early return) still names them
    again = project.build("--now", "2027-01-05T09:30:00Z")
    assert "(site unchanged)" in again.stdout and again.stdout.count("withheld briefings/") == 3


def test_a_build_with_nothing_withheld_names_nothing(project: TinyProject) -> None:
    project.note("public.md", title="Public")
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert "withheld briefings" not in result.stdout and "withheld by the publication gate 0," in result.stdout
