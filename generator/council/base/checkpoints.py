"""Pause points for tests that kill a build at a chosen stage (tests/test_publish.py). Not a feature:
with COUNCIL_TEST_PAUSE_AT unset, `reached` is one look-up in the environment.

With COUNCIL_TEST_PAUSE_AT=<stage> and COUNCIL_TEST_PAUSE_MARKER=<file>, the process that reaches
that stage writes the marker file and waits until the file is deleted (or the process is killed), so
a test kills the build exactly there rather than after a guessed delay."""

from __future__ import annotations

import os
import time
from pathlib import Path


def reached(stage: str) -> None:
    if stage != os.environ.get("COUNCIL_TEST_PAUSE_AT"):  # read here, not at import: no import-time state
        return
    marker = Path(os.environ.get("COUNCIL_TEST_PAUSE_MARKER", ""))
    marker.write_text(f"{os.getpid()}\n")
    while marker.exists():
        time.sleep(0.02)
