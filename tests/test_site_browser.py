"""Issue 5 - the built site in Debian's Chromium: WCAG 2.2 AA by axe-core on every kind of page,
nothing loaded from other hosts, visible keyboard focus, and no sideways scrolling on a phone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import axe_playwright_python
import pytest
from conftest import serve_folder

# axe-core as bundled by axe-playwright-python; injected into the page, nothing fetched at run time.
AXE_SCRIPT = Path(axe_playwright_python.__file__).parent / "axe.min.js"
# WCAG 2.2 A and AA, plus axe's best practices: the target is no finding at all.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def every_page(site: Path) -> list[str]:
    """Every page of the built site, found from the files themselves, so that a page type added
    later (or a nested one, such as reports/2025-26/) is checked without anyone listing it."""
    pages = sorted(
        "" if p.parent == site else p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html")
    )
    return pages + ["404.html"]


@pytest.fixture(scope="module")
def site_url(sample_site: Path) -> Iterator[str]:
    with serve_folder((sample_site / "site").resolve()) as base:
        yield base


@pytest.fixture(scope="module")
def pages(sample_site: Path) -> list[str]:
    site = sample_site / "site"
    found = every_page(site)
    assert {"", "topics/", "research-agenda/", "intersections/", "accessibility/", "library/"} <= set(found)
    assert {f"reports/{p.name}/" for p in (sample_site / "reports").iterdir() if p.is_dir()} <= set(found)
    assert len(found) == sum(1 for _ in site.rglob("*.html")), "every HTML file of the site is a page we visit"
    return found


# Until no transition or animation has run for a moment (a scroll starts some a little later).
SETTLE_SCRIPT = """async () => {
  for (let quiet = 0, round = 0; quiet < 2 && round < 40; round++) {
    await new Promise(done => setTimeout(done, 50));
    const running = document.getAnimations();
    quiet = running.length ? 0 : quiet + 1;
    await Promise.all(running.map(a => a.finished.catch(() => null)));
  }
}"""


def run_axe(page) -> list[dict]:  # type: ignore[no-untyped-def]
    # a transition still running (the theme's back-to-top button fading in after a scroll) would be
    # judged on a half-faded colour: axe sees the page as it settles, as a reader does
    page.evaluate(SETTLE_SCRIPT)
    # the site's Content-Security-Policy refuses an added <script>; the driver's own evaluation is no page script
    page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8") + "\n;0")
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return result["violations"]


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}" for v in violations
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_axe_finds_no_wcag_22_aa_or_best_practice_violation_on_any_page(
    browser, site_url: str, pages: list[str], viewport: dict
) -> None:
    page = browser.new_page(viewport=viewport)
    failures = {}
    for path in pages:
        page.goto(f"{site_url}/{path}", wait_until="load")
        violations = run_axe(page)
        if violations:
            failures[path or "home"] = describe(violations)
    page.close()
    assert not failures, "\n\n".join(f"{path}:\n{text}" for path, text in failures.items())


def test_axe_really_runs_and_reports_a_violation(browser) -> None:
    """The check above could pass by running nothing; here axe must catch a known failure."""
    page = browser.new_page()
    page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main><img src="data:,">'
        '<p style="color:#bbb;background:#fff">faint</p></main></body></html>'
    )
    found = {v["id"] for v in run_axe(page)}
    page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main><h1>t</h1>'
        '<div role="dialog"><p>unnamed</p></div>'
        '<div style="overflow:auto;max-width:100px"><table><tr><td>' + "x" * 60 + "</td></tr></table></div>"
        "</main></body></html>"
    )
    found |= {v["id"] for v in run_axe(page)}
    page.close()
    # WCAG rules, and the two best-practice and keyboard rules this site once broke
    assert {"image-alt", "color-contrast", "aria-dialog-name", "scrollable-region-focusable"} <= found


def test_the_site_loads_nothing_from_other_hosts_and_works_offline(browser, site_url: str, pages: list[str]) -> None:
    context = browser.new_context()
    attempts: list[str] = []
    failed: list[str] = []

    def only_localhost(route) -> None:  # type: ignore[no-untyped-def]
        if urlparse(route.request.url).hostname in LOCAL_HOSTS or route.request.url.startswith("data:"):
            route.continue_()
        else:
            attempts.append(route.request.url)
            route.abort()

    context.route("**/*", only_localhost)
    page = context.new_page()
    page.on("requestfailed", lambda request: failed.append(request.url))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    for path in pages:
        response = page.goto(f"{site_url}/{path}", wait_until="networkidle")
        assert response is not None and response.ok, path
        # intact: a heading, the theme's layout and council's own style sheet all applied
        assert page.locator("h1").first.is_visible(), path
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") in ("sticky", "fixed")
        assert page.evaluate(
            "[...document.styleSheets].some(s => (s.href || '').endsWith('assets/council.css')"
            " && s.cssRules.length > 0)"
        ), path
    context.close()
    assert attempts == [], f"requests to other hosts: {attempts}"
    assert failed == [] and errors == []


def test_no_page_refers_to_scripts_styles_fonts_or_images_on_other_hosts(sample_site: Path) -> None:
    external = re.compile(
        r'<(?:script|link|img|iframe|source|video|audio)\b[^>]*\b(?:src|href)="(?:https?:)?//', re.IGNORECASE
    )
    offenders = [
        str(p.relative_to(sample_site))
        for p in (sample_site / "site").rglob("*.html")
        if external.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []
    css = "\n".join(p.read_text(encoding="utf-8") for p in (sample_site / "site").rglob("*.css"))
    assert not re.search(r"url\((['\"]?)(https?:)?//", css) and "@import url(http" not in css


OVERFLOW_SCRIPT = """() => {
  const width = window.innerWidth;
  // Wide data tables may scroll inside their own box (WCAG 1.4.10 exempts two-dimensional content);
  // the box itself must still fit, so it is measured like every other element.
  const inScrollBox = el => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const x = getComputedStyle(a).overflowX;
      if (x === 'auto' || x === 'scroll') return true;
    }
    return false;
  };
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (!box.width || !box.height || style.visibility === 'hidden' || style.display === 'none') continue;
    const tooWide = box.width > width + 0.5;
    const spills = el.closest('.md-content') && box.right > width + 0.5;
    if ((tooWide || spills) && !inScrollBox(el)) {
      wide.push(el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className : '')
                + ' ' + Math.round(box.width) + 'px');
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width, wide: wide.slice(0, 10)};
}"""


def test_nothing_overflows_sideways_on_a_phone(browser, site_url: str, pages: list[str]) -> None:
    page = browser.new_page(viewport=PHONE)
    problems = {}
    for path in pages:
        page.goto(f"{site_url}/{path}", wait_until="load")
        found = page.evaluate(OVERFLOW_SCRIPT)
        if found["scrollWidth"] > found["innerWidth"] or found["wide"]:
            problems[path or "home"] = found
    page.close()
    assert not problems, problems


def test_the_overflow_check_catches_a_wide_element(browser) -> None:
    page = browser.new_page(viewport=PHONE)
    page.set_content('<div class="md-content"><p style="width:600px">wide</p></div>')
    found = page.evaluate(OVERFLOW_SCRIPT)
    page.close()
    assert found["wide"] and found["scrollWidth"] > found["innerWidth"]


@pytest.mark.parametrize("path", ["", "research-agenda/", "intersections/"])
def test_keyboard_focus_is_always_visible(browser, site_url: str, path: str) -> None:
    page = browser.new_page(viewport=DESKTOP)
    page.goto(f"{site_url}/{path}", wait_until="load")
    seen = 0
    for _ in range(40):
        page.keyboard.press("Tab")
        focus = page.evaluate("""() => {
          const el = document.activeElement;
          if (!el || el === document.body) return null;
          const s = getComputedStyle(el);
          return {tag: el.tagName, text: (el.textContent || '').trim().slice(0, 40),
                  outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
                  shadow: s.boxShadow !== 'none', visible: el.getBoundingClientRect().width > 0};
        }""")
        if focus is None or not focus["visible"]:
            continue
        seen += 1
        assert focus["outline"] or focus["shadow"], f"focus not visible on {focus}"
    page.close()
    assert seen >= 10


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_briefings_pdf_and_word_links_come_right_after_its_summary_and_key_points(
    browser, site_url: str, pages: list[str], viewport: dict
) -> None:  # type: ignore[no-untyped-def]
    """As GOV.UK places attachments: a reader finds the files without scrolling through the briefing."""
    page = browser.new_page(viewport=viewport)
    briefings = [p for p in pages if p.startswith("briefings/")]
    assert briefings
    for path in briefings:
        page.goto(f"{site_url}/{path}", wait_until="load")
        tops = page.evaluate("""() => Object.fromEntries(
            ['.council-summary', '.council-key-points', '.council-downloads', '.council-body']
              .map(s => [s, document.querySelector(s).getBoundingClientRect().top]))""")
        assert (
            tops[".council-summary"] < tops[".council-key-points"] < tops[".council-downloads"] < tops[".council-body"]
        ), (path, tops)
        links = page.locator(".council-downloads a").evaluate_all(
            "els => els.map(e => [e.getAttribute('href'), e.parentElement.textContent])"
        )
        assert [href.rsplit(".", 1)[1] for href, _ in links] == ["pdf", "docx"], (path, links)
        pdf_text = links[0][1]
        assert "PDF" in pdf_text and "accessible" in pdf_text and re.search(r"\(\d+ KB\)", pdf_text), pdf_text
    page.close()
