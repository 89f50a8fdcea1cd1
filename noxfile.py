"""The sessions people run: `nox -s build`, `nox -s serve`, `nox -s tests`, `nox -s lint`, `nox -s bench`,
`nox -s screenshots`."""
from __future__ import annotations

import os
import shutil

import nox

nox.options.sessions = ["lint", "tests"]
nox.options.reuse_existing_virtualenvs = True
PYTHON = "3.11"


@nox.session(python=PYTHON)
def build(session: nox.Session) -> None:
    """Build the whole site, PDFs, Word files and report from the shipped sources."""
    session.install("-e", ".")
    session.run("council", "build", *session.posargs)


@nox.session(python=PYTHON)
def serve(session: nox.Session) -> None:
    """Preview the site on http://127.0.0.1:8000/, rebuilding on every change."""
    session.install("-e", ".")
    session.run("council", "serve", *session.posargs)


def ensure_chromium(session: nox.Session) -> None:
    """The browser tests use Debian's Chromium; never a browser downloaded by a test tool."""
    if shutil.which("chromium"):
        return
    if os.geteuid() != 0:
        session.error("Chromium is needed for the browser tests: sudo apt-get install chromium")
    env = {"DEBIAN_FRONTEND": "noninteractive"}
    session.run("apt-get", "update", "-qq", external=True, env=env)
    session.run("apt-get", "install", "-y", "-qq", "chromium", external=True, env=env)


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Every test, with real pandoc, typst, mkdocs and Chromium."""
    ensure_chromium(session)
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs)


# --- screenshots (issue 5) ---
@nox.session(python=PYTHON)
def screenshots(session: nox.Session) -> None:
    """Chromium screenshots of the home page and a briefing at phone (390px) and desktop (1280px) widths,
    written to build/screenshots/. Extra arguments name other pages, e.g. `-- research-agenda/`."""
    ensure_chromium(session)
    session.install("-e", ".[test]")
    session.run("council", "build", "--quiet")
    session.run("python", "tests/screenshots.py", "site", "build/screenshots", *session.posargs)
# --- end screenshots ---


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    session.install("ruff==0.17.5")
    session.run("ruff", "check", "generator", "tests", "benchmarks", "noxfile.py")


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Speed and memory of council against the naive approach, measured in the same run."""
    session.install("-e", ".")
    session.run("python", "benchmarks/bench.py", *session.posargs)
