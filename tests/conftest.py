"""Shared fixtures: real projects in temporary folders, the real `council` command, real Chromium."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
import yaml

from council.render.office_fonts import DEBIAN_FONT_PACKAGE as OFFICE_FONT_PACKAGE
from council.render.office_fonts import METRIC_TWINS
from council.render.pdf import shipped_fonts

REPO = Path(__file__).resolve().parents[1]
CORPORA_DIR = REPO / "tests" / "fixtures" / "corpora"  # public real-world exports, with licence notes
SAMPLE_NOW = "2026-11-27T12:00:00+00:00"  # after every shipped briefing's date
CHROMIUM = "/usr/bin/chromium"

# --- the machine the tests see (issue 32) ---------------------------------------------------------------
# LibreOffice and Chromium lay text out with the fonts fontconfig gives them, and dates and messages can
# follow the locale and time zone: all three are named here, for this process and every one it starts,
# so a layout test means the same on every machine. The fonts are the Debian packages `nox -s tests`
# and .ci/run install (the Word and ODT files' own, render/office_fonts.py) and the fonts council ships.
TEST_FONT_PACKAGES = {
    OFFICE_FONT_PACKAGE: Path("/usr/share/fonts/truetype/liberation2"),
    "fonts-opensymbol": Path("/usr/share/fonts/truetype/libreoffice"),  # LibreOffice's bullets and symbols
}
GENERIC_FAMILIES = {"sans-serif": "Liberation Sans", "serif": "Liberation Serif", "monospace": "Liberation Mono"}
# Names documents and the site's styles ask for, and the metric twin each gets.
FONT_ALIASES = {**METRIC_TWINS, "Helvetica": "Liberation Sans", "Times New Roman": "Liberation Serif"}
TEST_LOCALE = "C.UTF-8"  # the one locale every Debian machine has, with or without the locales package
TEST_TIME_ZONE = "UTC"


def fontconfig_file(folder: Path) -> Path:
    """A fontconfig configuration that knows only the named fonts (no system or user font folders)."""
    dirs = [*TEST_FONT_PACKAGES.values(), shipped_fonts()]
    aliases = [(name, twin, "same") for name, twin in FONT_ALIASES.items()]
    aliases += [(generic, family, "strong") for generic, family in GENERIC_FAMILIES.items()]
    # a family asked for that is none of these (Calibri, Aptos) ends in sans-serif, as fontconfig's own
    # 49-sansserif.conf does, rather than whichever font happens to score best
    unknown = "".join(
        f'<test qual="all" name="family" compare="not_eq"><string>{generic}</string></test>'
        for generic in GENERIC_FAMILIES
    )
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        + "".join(f"  <dir>{escape(str(font_dir))}</dir>\n" for font_dir in dirs)
        + f"  <cachedir>{escape(str(folder / 'cache'))}</cachedir>\n"
        + f'  <match target="pattern">{unknown}<edit name="family" mode="append_last"><string>sans-serif</string></edit></match>\n'
        + "".join(
            f'  <alias binding="{binding}"><family>{name}</family><prefer><family>{twin}</family></prefer></alias>\n'
            for name, twin, binding in aliases
        )
        + "</fontconfig>\n"
    )
    path = folder / "fonts.conf"
    path.write_text(text, encoding="utf-8")
    return path


def pytest_configure(config: pytest.Config) -> None:
    folder = Path(tempfile.mkdtemp(prefix="council-test-fonts-"))
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
    os.environ["FONTCONFIG_FILE"] = str(fontconfig_file(folder))
    os.environ.pop("FONTCONFIG_PATH", None)
    os.environ.pop("LANGUAGE", None)
    os.environ.update(LANG=TEST_LOCALE, LC_ALL=TEST_LOCALE, TZ=TEST_TIME_ZONE)
    time.tzset()


def require_test_fonts() -> None:
    """For tests that lay text out: fail, saying what to install, if a named font package is missing."""
    missing = [package for package, folder in TEST_FONT_PACKAGES.items() if not any(folder.glob("*.ttf"))]
    if missing:
        pytest.fail(
            f"Fonts the tests lay text out with are missing: apt-get install {' '.join(missing)} (nox -s tests does)"
        )


def run_council(*args: str, cwd: Path, check: bool = False) -> subprocess.CompletedProcess[str]:
    """The real command line, as an author runs it."""
    result = subprocess.run([sys.executable, "-m", "council", *args], cwd=cwd, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"council {' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
    return result


def copy_sample_project(target: Path) -> Path:
    for name in ("briefings", "bibliography", "reports", "requests"):
        if (REPO / name).exists():
            shutil.copytree(REPO / name, target / name)
    for name in ("council.yml", "mkdocs.yml", "glossary.yml"):
        shutil.copy(REPO / name, target / name)
    return target


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped sample content, built once for the whole session. Returns the project root."""
    root = copy_sample_project(tmp_path_factory.mktemp("sample"))
    run_council("build", "--quiet", "--now", SAMPLE_NOW, cwd=root, check=True)
    return root


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n", 2)[1])


TINY_BIB = textwrap.dedent("""\
    @report{alphaReport2020,
      title = {Alpha Report on Early Warning},
      author = {{Foreign, Commonwealth and Development Office}},
      institution = {{Foreign, Commonwealth and Development Office}},
      date = {2020-05-01},
      url = {https://example.org/alpha},
    }

    @book{betaBook2015,
      title = {The Beta Book},
      author = {Sharma, Serena and Welsh, Jennifer},
      publisher = {Oxford University Press},
      location = {Oxford},
      date = {2015},
    }

    @article{gammaArticle2022,
      title = {Gamma and the Duty to Prevent},
      author = {Doe, Jane},
      journaltitle = {Journal of Human Rights Practice},
      volume = {14},
      number = {2},
      pages = {1--20},
      date = {2022},
    }
    """)


class TinyProject:
    """A minimal council project in a temporary folder, for tests that need their own sources."""

    def __init__(self, root: Path) -> None:
        self.root = root
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
        shutil.copy(REPO / "council.yml", root / "council.yml")
        (root / "briefings").mkdir()
        (root / "bibliography").mkdir()
        self.bib("library.bib", TINY_BIB)

    def bib(self, name: str, text: str) -> Path:
        path = self.root / "bibliography" / name
        path.write_text(text, encoding="utf-8")
        return path

    def note(self, name: str, body: str = "Body text [@alphaReport2020].\n", **front: object) -> Path:
        meta: dict[str, object] = {
            "title": "A test briefing",
            "summary": "A short plain summary.",
            "key_points": ["First point.", "Second point."],
            "authors": ["Dr Test Author"],
            "date": "2026-02-01",
            "status": "published",
        }
        meta.update(front)
        meta = {k: v for k, v in meta.items() if v is not None}
        text = "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n\n" + body
        path = self.root / "briefings" / name
        path.write_text(text.replace("date: '2026-02-01'", "date: 2026-02-01"), encoding="utf-8")
        return path

    def notes_the_gate_withholds(self, embargo_until: str) -> None:
        """public.md, and one note the publication gate withholds for each of its reasons: draft.md,
        review.md, embargoed.md (until the moment given) and sensitive.md (OFFICIAL-SENSITIVE). Each
        withheld title carries a sentinel, so that a test can look for it in what was published."""
        self.note("public.md", title="Public note")
        self.note("draft.md", title="Draft SENTINEL-DRAFT-7731", status="draft")
        self.note("review.md", title="Review SENTINEL-REVIEW-1208", status="review")
        self.note("sensitive.md", title="Sensitive SENTINEL-SENSITIVE-5521", classification="OFFICIAL-SENSITIVE")
        self.note("embargoed.md", title="Embargoed SENTINEL-EMBARGO-9944", embargo_until=embargo_until)

    def raw_note(self, name: str, text: str) -> Path:
        path = self.root / "briefings" / name
        path.write_text(text, encoding="utf-8")
        return path

    def council(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run_council(*args, cwd=self.root)

    def build(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run_council("build", "--quiet", "--now", SAMPLE_NOW, *args, cwd=self.root)

    @property
    def site(self) -> Path:
        return self.root / "site"


@pytest.fixture
def project(tmp_path: Path) -> TinyProject:
    return TinyProject(tmp_path)


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve a built site on localhost; yields its base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """Debian's Chromium driven by Playwright; no browser is ever downloaded."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: install Debian's package (apt-get install chromium); nox -s tests does")
    require_test_fonts()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield instance
        instance.close()


KEPT_BRIEFINGS = ("atrocity-impact-assessments-as-due-diligence.md", "national-atrocity-prevention-strategy.md")
KEPT_PERIOD = "2024-25"  # the first period: it has no previous one to carry along


def png(colour: bytes, width: int = 12, height: int = 6) -> bytes:
    """A small solid-colour PNG, made here so that the test reads nothing from outside the repository."""
    raw = b"".join(b"\x00" + colour * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def small_sample(root: Path) -> Path:
    """Two shipped briefings (one embedding an image), one report period and a CSL style of the
    project's own: every kind of input a render reads, in a project that builds in seconds."""
    copy_sample_project(root)
    for note in (root / "briefings").glob("*.md"):
        if note.name not in KEPT_BRIEFINGS:
            note.unlink()
    # the ledger of published URLs would (rightly) refuse a project whose published notes are gone
    (root / "briefings" / "published.yml").unlink(missing_ok=True)
    for period in (root / "reports").iterdir():
        if period.is_dir() and period.name != KEPT_PERIOD:
            shutil.rmtree(period)
    (root / "briefings" / "images").mkdir()
    (root / "briefings" / "images" / "map.png").write_bytes(png(b"\x1d\x4e\x89"))
    note = root / "briefings" / KEPT_BRIEFINGS[0]
    note.write_text(note.read_text() + "\n![A map of the regions covered](images/map.png)\n")
    from council.base.style_catalogue import STYLES_DIR

    shutil.copy(STYLES_DIR / "oscola.csl", root / "house.csl")
    config = root / "council.yml"
    config.write_text(config.read_text().replace("citation_style: oscola", "citation_style: house.csl"))
    return root


def free_port() -> int:
    """A port on the loopback address that nothing listens on now (for a `council serve` under test)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
