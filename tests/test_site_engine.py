"""The built site, loaded in Chromium as a policymaker would on a phone: home page, briefing pages,
downloads and search all work."""

from __future__ import annotations

from pathlib import Path

from conftest import REPO, front_matter, serve_folder


def published() -> list[dict]:
    notes = [(p.stem, front_matter(p)) for p in sorted((REPO / "briefings").glob("*.md"))]
    return [dict(meta, slug=slug) for slug, meta in notes if meta["status"] == "published"]


def test_home_lists_published_briefings_newest_first(sample_site: Path, browser) -> None:  # type: ignore[no-untyped-def]
    expected = [b["title"] for b in sorted(published(), key=lambda b: str(b["date"]), reverse=True)]
    with serve_folder(sample_site / "site") as base:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(base + "/")
        titles = page.locator(".council-briefing-list h3").all_inner_texts()
        assert titles == expected
        page.locator(".council-briefing-list h3 a").first.click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == expected[0]
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.close()


def test_every_briefing_page_offers_working_downloads(sample_site: Path, browser) -> None:  # type: ignore[no-untyped-def]
    with serve_folder(sample_site / "site") as base:
        page = browser.new_page()
        for briefing in published():
            response = page.goto(f"{base}/briefings/{briefing['slug']}/")
            assert response and response.ok
            for href in page.locator(".council-downloads a").evaluate_all("els => els.map(e => e.href)"):
                download = page.request.get(href)
                assert download.ok and len(download.body()) > 5000
        page.close()


def search(page, base: str, query: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(title, link) of each result the site's own search lists for a query typed as a reader types it."""
    # The search worker fetches its index after the page loads; a query typed before that is lost.
    with page.expect_response(lambda response: response.url.endswith("search_index.json")):
        page.goto(base + "/")
    page.wait_for_timeout(500)
    page.keyboard.press("/")  # the theme's keyboard shortcut to the search box
    page.keyboard.type(query, delay=30)
    page.locator(".md-search-result__meta").wait_for(timeout=15000)
    page.wait_for_timeout(500)  # results are listed after the count line
    # a document's entry has an h1; its matching sections below it have h2
    return [
        tuple(found)
        for found in page.locator("a.md-search-result__link").evaluate_all(
            "links => links.filter(a => a.querySelector('h1'))"
            "               .map(a => [a.querySelector('h1').textContent.trim(), a.href])"
        )
    ]


def test_site_search_finds_a_briefing(sample_site: Path, browser) -> None:  # type: ignore[no-untyped-def]
    target = published()[0]
    with serve_folder(sample_site / "site") as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        results = search(page, base, " ".join(target["title"].split()[:3]))
        page.close()
    # the briefing itself is found, under its own title and address, not merely some page
    assert (target["title"], f"{base}/briefings/{target['slug']}/") in [
        (t, h.split("?")[0].split("#")[0]) for t, h in results
    ]


def test_site_search_finds_nothing_for_a_word_no_page_holds(sample_site: Path, browser) -> None:  # type: ignore[no-untyped-def]
    with serve_folder(sample_site / "site") as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        results = search(page, base, "zqxjvwk")
        meta = page.locator(".md-search-result__meta").inner_text()
        page.close()
    assert results == [] and "No matching documents" in meta
