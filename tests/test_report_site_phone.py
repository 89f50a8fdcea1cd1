"""The report pages on a 390 px phone and a 1280 px desktop (issue 20): axe-core clean on the report, the
Reports index and the Intersections page; Key figures shows its "Change" column without scrolling;
briefing titles on the Intersections page break only between words; chart labels are not cut."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import serve_folder
from test_site_browser import run_axe

PAGES = ("reports/2025-26/", "reports/", "intersections/")
WIDTHS = (390, 1280)


@pytest.fixture(scope="module")
def site_url(sample_site: Path) -> Iterator[str]:
    with serve_folder(sample_site / "site") as url:
        yield url


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_nothing_at_phone_and_desktop_width(browser, site_url: str, path: str, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{site_url}/{path}")
    violations = run_axe(page)
    page.close()
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]


def test_key_figures_fit_a_phone(browser, site_url: str) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto(f"{site_url}/reports/2025-26/")
    box = page.evaluate("""() => {
        const caption = [...document.querySelectorAll('caption')].find(c => c.textContent.includes('Key figures'));
        const table = caption.closest('table');
        const scroller = table.parentElement;
        const change = [...table.querySelectorAll('th')].find(th => th.textContent.trim() === 'Change');
        return {right: change.getBoundingClientRect().right, view: scroller.getBoundingClientRect().right,
                scroll: scroller.scrollWidth - scroller.clientWidth};
    }""")
    page.close()
    assert box["right"] <= box["view"] + 1 and box["scroll"] <= 1, box


def test_intersections_titles_break_between_words_and_chart_labels_are_whole(browser, site_url: str) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto(f"{site_url}/intersections/")
    found = page.evaluate("""() => {
        const broken = [];
        for (const link of document.querySelectorAll('.council-matrix th[scope=row] a')) {
            // each word's box: a word split over two lines has two client rects
            const range = document.createRange();
            const text = link.firstChild;
            let at = 0;
            for (const word of text.textContent.split(' ')) {
                range.setStart(text, at); range.setEnd(text, at + word.length);
                if (range.getClientRects().length > 1) broken.push(word);
                at += word.length + 1;
            }
        }
        const svg = document.querySelector('.council-chart');
        const frame = svg.getBoundingClientRect();
        const cut = [...svg.querySelectorAll('text')].filter(t => {
            const r = t.getBoundingClientRect();
            return r.left < frame.left - 0.5 || r.right > frame.right + 0.5;
        }).map(t => t.textContent);
        const shortened = [...svg.querySelectorAll('text')].filter(t => t.textContent.includes('…'))
            .map(t => t.textContent);
        // the size a reader sees: the text's own size times the scale the page draws the chart at
        const scale = frame.width / svg.viewBox.baseVal.width;
        const smallest = Math.min(...[...svg.querySelectorAll('g[font-size]')].map(
            g => parseFloat(g.getAttribute('font-size')) * scale));
        return {broken, cut, shortened, legible: smallest >= 12};
    }""")
    page.close()
    assert found == {"broken": [], "cut": [], "shortened": [], "legible": True}
