"""Issue 22 - the site at archive scale: a home page of the latest briefings only, an Archive by year,
topic pages by year in pages of bounded length, a Library split by author with one stable address per
work, a search index of what readers search for (found in Chromium), and a preview that shows a saved
edit at once while the whole site rebuilds."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
from conftest import TinyProject, free_port, front_matter, serve_folder
from test_site_browser import DESKTOP, PHONE, describe, run_axe

from council.publish.site_pages import TOPIC_PAGE_SIZE

HOME_LATEST = 3
# (year, month) of each note: more than a topic page holds, over three years, published out of order
DATES = [(2024, 5), (2026, 1), (2025, 3)] + [(2026 if i % 3 else 2025, 1 + i % 12) for i in range(TOPIC_PAGE_SIZE)]
BODY_PHRASE = "Quarzwerk deliberations"  # a body phrase in no summary, key point or heading


def slug(i: int) -> str:
    return f"note-{i:02d}"


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> TinyProject:
    project = TinyProject(tmp_path_factory.mktemp("archive"))
    config = project.root / "council.yml"
    config.write_text(config.read_text(encoding="utf-8") + f"home_latest: {HOME_LATEST}\n", encoding="utf-8")
    cites = ["alphaReport2020", "betaBook2015", "gammaArticle2022"]
    for i, (year, month) in enumerate(DATES):
        project.note(
            f"{slug(i)}.md",
            title=f"Archive note {i:02d}",
            date=f"{year}-{month:02d}-{1 + i % 27:02d}",
            workstreams=["conflict-prevention"] + (["international-justice"] if i % 5 == 0 else []),
            body=f"## Part one\n\n{BODY_PHRASE} in note {i} [@{cites[i % 3]}].\n",
        )
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project


def page(site: Path, folder: str) -> str:
    return (site / folder / "index.html").read_text(encoding="utf-8")


def listed_slugs(html: str, list_class: str) -> list[str]:
    """The briefings a page lists in its lists of the given class, in order."""
    lists = re.findall(rf'<ol class="{list_class}">(.*?)</ol>', html, re.S)
    return [m for block in lists for m in re.findall(r'href="[./]*briefings/([^/"]+)/"', block)]


def newest_first(site: Path, year: int | None = None) -> list[str]:
    dated = []
    for note in sorted((site.parent / "briefings").glob("*.md")):
        date = dt.date.fromisoformat(str(front_matter(note)["date"]))
        if year is None or date.year == year:
            dated.append((date, note.stem))
    return [s for _, s in sorted(dated, reverse=True)]


def test_home_lists_only_the_latest_briefings(archive: TinyProject) -> None:
    home = page(archive.site, "")
    assert listed_slugs(home, "council-briefing-list") == newest_first(archive.site)[:HOME_LATEST]
    for link in ("archive/", "topics/", "library/", "research-agenda/"):
        assert f'href="{link}"' in home, link
    assert f"All {len(DATES)} briefings in the Archive" in home


def test_archive_has_one_page_per_year_newest_first(archive: TinyProject) -> None:
    overview = page(archive.site, "archive")
    years = re.findall(r'<a href="(\d{4})/">(\d{4})</a> <span class="council-count">\((\d+) briefings?\)', overview)
    assert [int(y) for y, _, _ in years] == [2026, 2025, 2024]
    for year, _, count in years:
        listed = listed_slugs(page(archive.site, f"archive/{year}"), "council-archive-list")
        assert listed == newest_first(archive.site, int(year)), year
        assert int(count) == len(listed)
    assert sum(int(c) for _, _, c in years) == len(DATES)


def test_topic_pages_are_by_year_in_pages_of_bounded_length(archive: TinyProject) -> None:
    folder = "topics/workstreams/conflict-prevention"
    first, second = page(archive.site, folder), page(archive.site, f"{folder}/page/2")
    assert not (archive.site / folder / "page" / "3").exists()
    on_first, on_second = listed_slugs(first, "council-briefing-list"), listed_slugs(second, "council-briefing-list")
    assert len(on_first) == TOPIC_PAGE_SIZE
    assert on_first + on_second == newest_first(archive.site)  # every one once, newest first across pages
    # a heading per year on each page, in order, and the counts of every year on every page
    assert re.findall(r'<h2 id="year-(\d{4})">', first)[0] == "2026"
    assert re.findall(r'<h2 id="year-(\d{4})">', second)[-1] == "2024"
    counts = dict(re.findall(r'<a href="[^"]*#year-(\d{4})">\d{4}</a> \((\d+)\)', second))
    assert counts == {
        "2026": str(sum(y == 2026 for y, _ in DATES)),
        "2025": str(sum(y == 2025 for y, _ in DATES)),
        "2024": "1",
    }
    assert 'href="page/2/">Page 2</a>' in first and 'href="../../">Page 1</a>' in second
    # a topic with few briefings stays one page with no pager
    small = page(archive.site, "topics/workstreams/international-justice")
    assert "council-pager" not in small
    assert len(listed_slugs(small, "council-briefing-list")) == len(range(0, len(DATES), 5))


def resolve(site: Path, from_page: str, href: str) -> tuple[Path, str]:
    """The file and fragment a relative link on the page at `from_page` (a folder) leads to."""
    url = urlparse(urljoin(f"http://site/{from_page}", href))
    return site / unquote(url.path).lstrip("/") / "index.html", unquote(url.fragment)


def test_library_is_split_by_author_and_every_link_to_a_work_resolves(archive: TinyProject) -> None:
    site = archive.site
    pages = {p.parent.name: p.read_text(encoding="utf-8") for p in (site / "library").glob("*/index.html")}
    where = {
        key: letter
        for letter, html in pages.items()
        for key in re.findall(r'<li id="ref-([^"]+)" class="council-library-work">', html)
    }
    # one page per first letter of the first author; each work on exactly one
    assert where == {"alphaReport2020": "f", "betaBook2015": "s", "gammaArticle2022": "d"}
    assert sum(len(re.findall(r'class="council-library-work"', html)) for html in pages.values()) == 3
    overview = page(site, "library")
    assert re.findall(r'<a href="([a-z0])/">', overview) == sorted(pages)
    # every briefing's "In the library" link leads to the work's one anchor
    for i in range(len(DATES)):
        folder = f"briefings/{slug(i)}/"
        links = re.findall(r'class="council-library-link" href="([^"]+)"', page(site, folder))
        assert len(links) == 1
        target, fragment = resolve(site, folder, links[0])
        assert target.parent.name == where[fragment.removeprefix("ref-")]
        assert f'id="{fragment}"' in target.read_text(encoding="utf-8")
    # every "cited in" link leads to the citing briefing's page
    for letter, html in pages.items():
        for href in re.findall(r'<p class="council-cited-in"[^>]*>.*?</p>', html, re.S):
            for link in re.findall(r'href="([^"]+)"', href):
                assert resolve(site, f"library/{letter}/", link)[0].is_file(), link


def test_home_latest_is_validated(project: TinyProject) -> None:
    project.note("a.md")
    config = project.root / "council.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "home_latest: 0\nsearch_full_text: maybe\n", encoding="utf-8"
    )
    result = project.build()
    assert result.returncode != 0
    assert "council.yml" in result.stderr and "home_latest" in result.stderr and "search_full_text" in result.stderr
    assert not project.site.exists()


def index_texts(site: Path) -> str:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return " ".join(entry["title"] + " " + entry["text"] for entry in index["docs"])


def test_the_search_index_leaves_briefing_bodies_out_unless_asked(archive: TinyProject, tmp_path: Path) -> None:
    texts = index_texts(archive.site)
    assert BODY_PHRASE not in texts
    assert "Archive note 07" in texts and "First point." in texts and "Part one" in texts  # title, key point, heading
    assert "Dr Test Author" in texts and "Conflict prevention" in texts
    # no section left empty by a left-out heading
    index = json.loads((archive.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    titles = {e["location"]: e["title"] for e in index["docs"] if "#" not in e["location"]}
    assert not [
        e
        for e in index["docs"]
        if "#" in e["location"] and not e["text"] and e["title"] == titles[e["location"].split("#")[0]]
    ]
    full = TinyProject(tmp_path)
    full.note("a.md", body=f"## Part one\n\n{BODY_PHRASE} here [@alphaReport2020].\n")
    config = full.root / "council.yml"
    config.write_text(config.read_text(encoding="utf-8") + "search_full_text: true\n", encoding="utf-8")
    assert full.build().returncode == 0
    assert BODY_PHRASE in index_texts(full.site)


# --- search in Chromium, on the shipped sample --------------------------------------------------------


def distinctive_word(text: str, others: list[str]) -> str:
    """The longest word of `text` that none of the `others` holds."""
    words = sorted(set(re.findall(r"[A-Za-z]{6,}", text)), key=lambda w: (-len(w), w))
    rest = " ".join(others).lower()
    return next(w for w in words if w.lower() not in rest)


def search_hits(browser_page, base: str, term: str) -> list[str]:  # type: ignore[no-untyped-def]
    browser_page.goto(f"{base}/")
    box = browser_page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(term, delay=20)  # as a reader types: the theme searches on key presses
    browser_page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta'); "
        "return m && !/Type to start|Initializing/i.test(m.textContent); }",
        timeout=15000,
    )
    time.sleep(0.3)  # results render right after the count
    links = browser_page.locator(".md-search-result__item > a.md-search-result__link")
    return [links.nth(i).evaluate("a => a.href") for i in range(links.count())]


def test_search_finds_each_briefing_by_its_summary_key_point_and_author(sample_site: Path, browser) -> None:  # type: ignore[no-untyped-def]
    briefings = {}
    for note in sorted((sample_site / "briefings").glob("*.md")):
        meta = front_matter(note)
        if (sample_site / "site" / "briefings" / note.stem / "index.html").is_file():
            briefings[note.stem] = meta
    assert len(briefings) >= 5
    with serve_folder((sample_site / "site").resolve()) as base:
        browser_page = browser.new_page(viewport={"width": 1280, "height": 800})
        for stem, meta in briefings.items():
            others = [m for s, m in briefings.items() if s != stem]
            terms = {
                "summary": distinctive_word(meta["summary"], [o["summary"] for o in others]),
                "key point": distinctive_word(
                    " ".join(meta["key_points"]), [" ".join(o["key_points"]) for o in others]
                ),
                "author": meta["authors"][0].split()[-1],
            }
            for what, term in terms.items():
                hits = search_hits(browser_page, base, term)
                assert any(f"/briefings/{stem}/" in hit for hit in hits), (stem, what, term, hits)
        browser_page.close()


# --- the preview that keeps up --------------------------------------------------------------------------


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def poll(url: str, wanted: str, seconds: float) -> float | None:
    """Seconds until the page at `url` holds `wanted`, or None."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        text = fetch(url)
        if text is not None and wanted in text:
            return time.monotonic() - start
        time.sleep(0.1)
    return None


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_serve_shows_a_saved_edit_at_once_and_leaves_the_public_site_alone(project: TinyProject) -> None:
    project.note("a.md", title="Alpha", body="## First heading\n\nText [@alphaReport2020].\n")
    project.note("b.md", title="Beta", date="2026-03-01")
    assert project.build().returncode == 0
    public = (project.site.resolve(), snapshot(project.site.resolve()))
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "council", "serve", "--drafts", "--port", str(port)],
        cwd=project.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    url = f"http://127.0.0.1:{port}/briefings/a/"
    try:
        assert poll(url, "First heading", 120) is not None, "the preview never came up"
        note = project.root / "briefings" / "a.md"
        note.write_text(note.read_text(encoding="utf-8").replace("First heading", "Revised heading"), encoding="utf-8")
        assert poll(url, "Revised heading", 60) is not None
        # ... and it stays once the whole site is rebuilt behind it and the fast page is dropped
        time.sleep(1)
        assert poll(url, "Revised heading", 60) is not None
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "updated briefings/a/index.html" in output, output  # shown by the fast path, not only the rebuild
    assert (project.site.resolve(), snapshot(project.site.resolve())) == public


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_archive_topic_and_library_pages_pass_axe(archive: TinyProject, browser, viewport: dict) -> None:  # type: ignore[no-untyped-def]
    """The paginated pages the sample is too small to have, at 390 and 1280 px, with no finding at all."""
    paths = [
        "",
        "archive/",
        "archive/2025/",
        "topics/workstreams/conflict-prevention/",
        "topics/workstreams/conflict-prevention/page/2/",
        "library/",
        "library/s/",
    ]
    failures = {}
    with serve_folder(archive.site.resolve()) as base:
        browser_page = browser.new_page(viewport=viewport)
        for path in paths:
            response = browser_page.goto(f"{base}/{path}", wait_until="load")
            assert response is not None and response.ok, path
            assert browser_page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"], path
            violations = run_axe(browser_page)
            if violations:
                failures[path or "home"] = describe(violations)
        browser_page.close()
    assert not failures, "\n\n".join(f"{path}:\n{text}" for path, text in failures.items())
