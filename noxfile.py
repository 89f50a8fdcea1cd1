"""The sessions people run: `nox -s build`, `nox -s serve`, `nox -s tests`, `nox -s lint`, `nox -s bench`."""
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


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    session.install("ruff==0.17.5")
    session.run("ruff", "check", "generator", "tests", "noxfile.py")
