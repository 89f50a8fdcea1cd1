"""The sessions people run: `nox -s build`, `nox -s serve`, `nox -s tests`, `nox -s lint`, `nox -s bench`,
`nox -s look`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import nox

nox.options.sessions = ["lint", "tests"]
nox.options.reuse_existing_virtualenvs = True
# A session that cannot find its interpreter fails loudly instead of being skipped with exit 0.
nox.options.error_on_missing_interpreters = True
# Sessions run on the Python that runs nox (3.11, 3.12 and 3.13 are tested), so a machine with
# any supported Python works without installing a particular minor version.
PYTHON: str | None = None
OLDEST_PYTHON = (3, 11)


def require_supported_python(session: nox.Session) -> None:
    """Refuse, with what to install, rather than fail later inside a dependency."""
    if sys.version_info < OLDEST_PYTHON:
        found = ".".join(map(str, sys.version_info[:3]))
        session.error(
            f"council needs Python 3.11 or newer; nox is running on Python {found}. "
            "Install Python 3.11, 3.12 or 3.13 and run nox with it, e.g. `python3.12 -m pip install "
            "nox==2026.10.20 && python3.12 -m nox -s build`."
        )


def install_council(session: nox.Session, extras: str = "") -> None:
    require_supported_python(session)
    session.install("-e", f".[{extras}]" if extras else ".")


@nox.session(python=PYTHON)
def build(session: nox.Session) -> None:
    """Build the whole site, PDFs, Word files and report from the shipped sources."""
    install_council(session)
    session.run("council", "build", *session.posargs)


@nox.session(python=PYTHON)
def serve(session: nox.Session) -> None:
    """Preview the site on http://127.0.0.1:8000/, rebuilding on every change."""
    install_council(session)
    session.run("council", "serve", *session.posargs)


# The real clients the tests drive, from Debian: a command each provides, and its package. Never a
# browser or office suite downloaded by a test tool.
CLIENTS = {
    "chromium": "chromium",  # the site, axe-core
    "soffice": "libreoffice-writer-nogui",  # opens DOCX as a clerk's Word would
    "pdftoppm": "poppler-utils",  # PDF pages as PNG, text layer
}


# Debian packages the tests rely on that no command stands for: the fonts LibreOffice and Chromium lay
# text out with (tests/conftest.py gives fontconfig exactly these and council's own fonts/), fontconfig's
# own commands (a test asks fc-match what a font name resolves to), and the time-zone database (an
# embargo's time in London).
PACKAGES = ("fonts-liberation2", "fonts-opensymbol", "fontconfig", "tzdata")


def _installed(package: str) -> bool:
    if not shutil.which("dpkg-query"):
        return False
    status = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True)
    return status.stdout == "install ok installed"


def _has_uno() -> bool:
    """LibreOffice's Python bridge (Debian's python3-uno), which updates a Word file's contents field in a test."""
    system = shutil.which("python3", path="/usr/bin")
    return system is not None and subprocess.run([system, "-c", "import uno"], capture_output=True).returncode == 0


def ensure_clients(session: nox.Session) -> None:
    missing = sorted(
        {package for command, package in CLIENTS.items() if not shutil.which(command)}
        | (set() if _has_uno() else {"python3-uno"})
        | {package for package in PACKAGES if not _installed(package)}
    )
    if not missing:
        return
    if os.geteuid() != 0:
        session.error(f"The tests need Debian packages: sudo apt-get install {' '.join(missing)}")
    env = {"DEBIAN_FRONTEND": "noninteractive"}
    session.run("apt-get", "update", "-qq", external=True, env=env)
    session.run("apt-get", "install", "-y", "-qq", *missing, external=True, env=env)


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Every test, with real pandoc, typst, mkdocs and Chromium."""
    ensure_clients(session)
    install_council(session, "test")
    session.run("pytest", *session.posargs)


@nox.session(python=PYTHON)
def look(session: nox.Session) -> None:
    """See what readers see: every PDF page, every DOCX as LibreOffice lays it out, and each kind of
    site page at 390 and 1280 px, as PNG files in build/look/ with a contact sheet (build/look/index.html)."""
    ensure_clients(session)
    install_council(session, "test")
    session.run("council", "build", "--quiet")
    session.run("python", "tests/look.py", ".", "build/look")


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    session.install("ruff==0.17.5")
    session.run("ruff", "check", "generator", "tests", "benchmarks", "noxfile.py")
    session.run("ruff", "format", "--check", "generator", "tests", "benchmarks", "noxfile.py")


@nox.session(python=PYTHON)
def mutate(session: nox.Session) -> None:
    """Mutation testing with mutmut (pinned in the `mutate` extra) of the modules where a bug leaks or
    corrupts: the publication gate, release, the cache key, report figures, report validation and the
    sanitisers, each against its fast tests; prints the score per module. Not a default session and not
    run in CI: an hour or more in all. Name targets to run only some, e.g. `nox -s mutate -- gate figures`;
    `nox -s mutate -- --list` lists them."""
    install_council(session, "test,mutate")
    session.run("python", "benchmarks/mutate.py", *session.posargs)


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Speed and memory of council against the naive approach, measured in the same run
    (`nox -s bench -- --only import` times the Word import alone, and a zip bomb's refusal; `-- --only mail`
    the import of 10,000 emailed requests; `-- --only scale --sizes 100,300` the
    issue 22 budgets: page weights, search index, serve edit-to-visible; `-- --only preview` a note's and a
    .bib entry's save-to-visible in `council serve` with a 1,500-work library, at 1,000 briefings)."""
    install_council(session, "test")  # python-docx makes the Word draft the import scenario reads
    session.run("python", "benchmarks/bench.py", *session.posargs)
