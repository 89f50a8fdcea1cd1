"""Issue 26, item 3 - every page carries a strict Content-Security-Policy, and the site still works
under it in Debian's Chromium: search, the theme's palette (switched and remembered), navigation and
the Ask form run with no violation reported, while a handler or script that slipped into a page is
blocked."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import TinyProject, serve_folder
from test_ask_page import FILLED, fill_in
from test_site_browser import DESKTOP, every_page

# Recorded from the first moment of each page (an init script runs through the driver, not the page).
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
  e => window.__violations.push(e.effectiveDirective + " " + (e.blockedURI || "inline")));
"""
# A palette the reader can switch (mkdocs-material's toggle), so that the theme's palette script runs.
PALETTE = [
    {
        "scheme": "default",
        "primary": "indigo",
        "accent": "indigo",
        "toggle": {"icon": "material/brightness-7", "name": "Dark"},
    },
    {
        "scheme": "slate",
        "primary": "indigo",
        "accent": "indigo",
        "toggle": {"icon": "material/brightness-4", "name": "Light"},
    },
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = TinyProject(tmp_path_factory.mktemp("csp"))
    settings = yaml.safe_load((project.root / "mkdocs.yml").read_text(encoding="utf-8"))
    settings["theme"]["palette"] = PALETTE
    (project.root / "mkdocs.yml").write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    project.note(
        "early-warning.md",
        title="Early warning in the Sahel",
        aliases=["sahel-warning"],  # a redirect page, which council writes itself
        body="## Indicators\n\nThe mission watched hate speech [@alphaReport2020].\n\n## Responses\n\nText.\n",
    )
    project.note("second.md", title="Atrocity impact assessments", body="Assessments [@betaBook2015].\n")
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project.site


@pytest.fixture(scope="module")
def site_url(built: Path) -> Iterator[str]:
    with serve_folder(built.resolve()) as base:
        yield base


def policy_of(page_html: str) -> dict[str, str]:
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"', page_html)
    assert meta, "no Content-Security-Policy"
    text = meta.group(1).replace("&#39;", "'").replace("&#x27;", "'")
    return {part.split()[0]: " ".join(part.split()[1:]) for part in text.split(";") if part.strip()}


class Scripts(HTMLParser):
    """Where the policy sits, and every script element that would run."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[str] = []
        self._inline = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "meta" and (found.get("http-equiv") or "").lower() == "content-security-policy":
            self.events.append("policy")
        if tag == "script" and found.get("type") not in ("application/json", "application/ld+json"):
            self.events.append("script" if found.get("src") else "inline")

    def handle_endtag(self, tag: str) -> None:
        pass


def test_every_page_has_the_policy_before_any_script_and_no_inline_script(built: Path) -> None:
    pages = sorted(built.rglob("*.html"))
    assert any("sahel-warning" in str(p) for p in pages)  # the redirect page is judged too
    for path in pages:
        text = path.read_text(encoding="utf-8")
        policy = policy_of(text)
        assert policy["script-src"] == "'self'", path
        assert policy["object-src"] == "'none'" and policy["base-uri"] == "'self'", path
        assert "unsafe-inline" not in policy.get("default-src", "") and "form-action" in policy, path
        scripts = Scripts()
        scripts.feed(text)
        assert scripts.events[:1] == ["policy"], (path, scripts.events)
        assert "inline" not in scripts.events, path


def open_page(browser, url: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=DESKTOP)
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"error: {error}"))
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(url, wait_until="load")
    return context, page, problems


def violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.evaluate("window.__violations")


def test_every_page_loads_with_no_violation_and_no_error(browser, built: Path, site_url: str) -> None:
    found = {}
    for path in every_page(built):
        context, page, problems = open_page(browser, f"{site_url}/{path}")
        page.wait_for_timeout(100)  # the theme's scripts set up search and the header after load
        if violations(page) or problems:
            found[path or "home"] = violations(page) + problems
        context.close()
    assert found == {}


def test_search_palette_and_navigation_work_under_the_policy(browser, site_url: str) -> None:
    context, page, problems = open_page(browser, f"{site_url}/")
    # search: the worker and its index load from the site, and a query finds a briefing
    page.click("input.md-search__input")
    page.keyboard.type("Sahel")
    result = page.locator(".md-search-result__item a").first
    result.wait_for(timeout=15000)
    assert "early-warning" in (result.get_attribute("href") or "")
    page.keyboard.press("Escape")
    # palette: the reader's switch takes effect, and the next page remembers it (base.js, palette.js)
    assert page.get_attribute("body", "data-md-color-scheme") == "default"
    page.click("form[data-md-component=palette] label:visible")
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    # navigation: a link of the site's navigation leads to the briefing, whose page keeps the palette
    page.click("article a[href='briefings/early-warning/']")
    page.wait_for_url("**/briefings/early-warning/")
    assert page.locator("h1").first.inner_text() == "Early warning in the Sahel"
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    page.click("nav.md-nav--primary a[href='../../archive/']")
    page.wait_for_url("**/archive/")
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    seen = violations(page)
    context.close()
    assert seen == [] and problems == []


def test_the_ask_form_works_under_the_policy(browser, site_url: str) -> None:
    context, page, problems = open_page(browser, f"{site_url}/ask/")
    assert page.locator("#ask-form").is_visible()  # its script ran: without it the form stays hidden
    page.click("#ask-form button[type=submit]")
    assert page.locator("#ask-error-summary").is_visible()
    fill_in(page, FILLED)
    page.click("#ask-form button[type=submit]")
    assert page.locator("#ask-result").is_visible()
    assert (page.locator("#ask-result-link").get_attribute("href") or "").startswith("mailto:")
    seen = violations(page)
    context.close()
    assert seen == [] and problems == []


INJECTED = (
    '<a id="injected-link" href="#" onfocus="window.__ran = (window.__ran || []).concat(\'focus\')" autofocus>x</a>'
    '<img src="data:," onerror="window.__ran = (window.__ran || []).concat(\'error\')">'
    "<script>window.__ran = (window.__ran || []).concat('script')</script>"
)


def test_a_handler_or_script_that_slipped_into_a_page_is_blocked(browser, built: Path, site_url: str) -> None:
    """As if a hole let author markup through: the same page, with and without its policy."""
    page_html = (built / "briefings/second/index.html").read_text(encoding="utf-8")
    (built / "injected.html").write_text(page_html.replace("<h1", INJECTED + "<h1", 1), encoding="utf-8")
    without_policy = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page_html)
    (built / "unprotected.html").write_text(without_policy.replace("<h1", INJECTED + "<h1", 1), encoding="utf-8")
    ran = {}
    blocked = {}
    for name in ("injected", "unprotected"):
        context, page, _ = open_page(browser, f"{site_url}/{name}.html")
        page.focus("#injected-link")
        page.wait_for_timeout(200)
        ran[name] = sorted(page.evaluate("window.__ran || []"))
        blocked[name] = violations(page)
        context.close()
    assert ran["unprotected"] == ["error", "focus", "script"]  # the injection is real: it runs without the policy
    assert ran["injected"] == []
    assert any(v.startswith("script-src") for v in blocked["injected"]), blocked
