"""Issue 21 - the author's own draft: `council build` names each note the publication gate withheld,
and why, one line each; `council serve` says how many drafts it hides and how to see them."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from conftest import TinyProject, free_port

EMBARGO_ENDS = "2027-01-05T09:30:00Z"


def test_build_names_each_withheld_note_and_why(project: TinyProject) -> None:
    project.notes_the_gate_withholds(embargo_until=EMBARGO_ENDS)
    result = project.build()
    assert result.returncode == 0, result.stderr
    withheld = sorted(line for line in result.stdout.splitlines() if line.startswith("withheld "))
    assert withheld == [
        "withheld briefings/draft.md: status: draft (only published notes reach the site; "
        "`council serve --drafts` previews it)",
        "withheld briefings/embargoed.md: embargoed until 2027-01-05 09:30 UTC",
        "withheld briefings/review.md: status: review (only published notes reach the site; "
        "`council serve --drafts` previews it)",
        "withheld briefings/sensitive.md: marked OFFICIAL-SENSITIVE: never published; its PDF and Word files are "
        "in build/restricted/",
    ], result.stdout
    assert "withheld by the publication gate 4," in result.stdout
    # the lines come from the gate's decision: once the embargo has passed, the note is no longer named
    later = project.build("--now", EMBARGO_ENDS)  # the last --now wins
    assert later.returncode == 0, later.stderr
    assert "embargoed.md" not in later.stdout and "withheld by the publication gate 3," in later.stdout
    # and an unchanged site (the early return) still names them
    again = project.build("--now", EMBARGO_ENDS)
    assert "(site unchanged)" in again.stdout and again.stdout.count("withheld briefings/") == 3


def test_a_build_with_nothing_withheld_names_nothing(project: TinyProject) -> None:
    project.note("public.md", title="Public")
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert "withheld briefings" not in result.stdout and "withheld by the publication gate 0," in result.stdout


def serve_output(project: TinyProject, *args: str) -> tuple[str, int, str]:
    """What `council serve` prints on start-up, and the status and text of a hidden draft's address."""
    import urllib.error
    import urllib.request

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "council", "serve", "--port", str(port), *args],
        cwd=project.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        status, page = 0, ""
        for _ in range(240):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/briefings/draft/") as response:
                    status, page = response.status, response.read().decode()
                break
            except urllib.error.HTTPError as error:
                status, page = error.code, error.read().decode()
                break
            except OSError:
                time.sleep(0.5)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    return output, status, page


def test_plain_serve_says_how_many_drafts_it_hides_and_how_to_see_them(project: TinyProject) -> None:
    project.notes_the_gate_withholds(embargo_until=EMBARGO_ENDS)
    output, status, page = serve_output(project)
    # the draft, the note in review and the embargoed one; the OFFICIAL-SENSITIVE note is not a draft
    assert (
        "3 notes are hidden here (drafts, notes in review or under embargo): `council serve --drafts` "
        "shows them" in output
    ), output
    assert output.index("hidden here") < output.index("serving http://")  # said on start-up
    assert status == 404
    assert "draft.md: status: draft" in page and "<code>council serve --drafts</code>" in page


def test_serve_drafts_shows_the_draft_and_says_nothing_about_hidden_notes(project: TinyProject) -> None:
    project.notes_the_gate_withholds(embargo_until=EMBARGO_ENDS)
    output, status, page = serve_output(project, "--drafts")
    assert "hidden here" not in output, output
    assert status == 200 and "SENTINEL-DRAFT-7731" in page


def test_the_drafts_notice_counts_only_what_drafts_would_show() -> None:
    from pathlib import Path

    from council.commands.serve import drafts_notice
    from council.publish.gate import Withheld

    draft = Withheld(Path("a.md"), "status: draft", True)
    secret = Withheld(Path("s.md"), "marked OFFICIAL-SENSITIVE", False)
    assert drafts_notice([]) is None
    assert drafts_notice([secret]) is None  # --drafts would not show it either: no advice to give
    assert drafts_notice([draft, secret]) == (
        "1 note is hidden here (drafts, notes in review or under embargo): `council serve --drafts` shows them"
    )
    assert drafts_notice([draft, draft, secret]).startswith("2 notes are hidden here")  # type: ignore[union-attr]
