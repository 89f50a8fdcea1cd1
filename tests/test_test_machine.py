"""The machine the tests see (issue 32): what they rely on is installed by name, by `.ci/run` on a fresh
machine and by `nox -s tests`, and LibreOffice and Chromium see only the fonts conftest names, in a
fixed locale and time zone."""

from __future__ import annotations

import ast
import datetime as dt
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from conftest import REPO, TEST_FONT_PACKAGES, TEST_LOCALE, TEST_TIME_ZONE, require_test_fonts

from council.render.office_fonts import DEBIAN_FONT_PACKAGE, METRIC_TWINS
from council.render.pdf import shipped_fonts


def ci_packages() -> set[str]:
    """Every Debian package .ci/run installs (`need+=(...)`, and its loop over packages by name)."""
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    named = set(re.findall(r"need\+=\(([a-z0-9.+-]+)\)", script))
    for listed in re.findall(r"^for package in ([^;]+);", script, re.MULTILINE):
        named |= set(listed.split())
    return named


def nox_packages() -> set[str]:
    """Every Debian package the tests session installs: its CLIENTS, python3-uno and PACKAGES."""
    tree = ast.parse((REPO / "noxfile.py").read_text(encoding="utf-8"))
    values = {
        target.id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name) and target.id in ("CLIENTS", "PACKAGES")
    }
    return set(values["CLIENTS"].values()) | set(values["PACKAGES"]) | {"python3-uno"}


def test_ci_and_the_tests_session_install_the_same_packages_and_every_one_the_tests_rely_on() -> None:
    relied_on = {
        *TEST_FONT_PACKAGES,
        DEBIAN_FONT_PACKAGE,
        "fontconfig",
        "tzdata",
        "libreoffice-writer-nogui",
        "chromium",
    }
    assert ci_packages() == nox_packages()
    assert relied_on <= ci_packages()


def fontconfig(*args: str) -> str:
    return subprocess.run(["fc-match", *args], capture_output=True, text=True, check=True, env=os.environ).stdout


def test_the_documents_fonts_are_their_metric_twins_and_nothing_else_is_seen() -> None:
    """Under the tests' fontconfig file: the Word and ODT fonts resolve to the installed twins; a font
    no package installed (Calibri, DejaVu Sans, the machine's own) resolves to the default, never to
    itself; and the only font folders are the named packages' and council's own."""
    require_test_fonts()
    for name, twin in METRIC_TWINS.items():
        assert fontconfig("-f", "%{family}", name) == twin
    for absent in ("Calibri", "Aptos", "DejaVu Sans"):
        assert fontconfig("-f", "%{family}", absent) == "Liberation Sans", absent
    files = subprocess.run(["fc-list", "-f", "%{file}\n"], capture_output=True, text=True, check=True).stdout
    folders = {Path(line).parent for line in files.splitlines()}
    assert folders <= {*TEST_FONT_PACKAGES.values(), shipped_fonts()}, folders


def test_the_tests_and_every_command_they_start_share_one_locale_and_time_zone() -> None:
    assert (os.environ["LANG"], os.environ["LC_ALL"], os.environ["TZ"]) == (TEST_LOCALE, TEST_LOCALE, TEST_TIME_ZONE)
    assert time.localtime().tm_gmtoff == 0
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            "import datetime, locale; print(datetime.datetime.now().astimezone().utcoffset(), "
            "locale.setlocale(locale.LC_ALL, ''))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert child.stdout.split() == [str(dt.timedelta(0)), TEST_LOCALE]
