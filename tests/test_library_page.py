"""The Council's library page: every work the published briefings cite, listed once in the house style,
grouped by type, with working "cited in" links; drafts never contribute; exports load back."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from conftest import TinyProject, serve_folder

from council.base.cache import ContentCache
from council.sources.bibliography import load_bib_file

EXTRA_BIB = """\
@book{draftOnlyBook2019,
  title = {A Book Only a Draft Cites},
  author = {Roe, Richard},
  publisher = {Hart Publishing},
  date = {2019},
}

@book{nobodyCitesBook2018,
  title = {A Book Nobody Cites},
  author = {Roe, Richard},
  publisher = {Hart Publishing},
  date = {2018},
}
"""
TITLE_A, TITLE_B, TITLE_DRAFT = "Early warning in practice", "Prevention and due diligence", "Unfinished thoughts"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = TinyProject(tmp_path_factory.mktemp("library"))
    project.bib("extra.bib", EXTRA_BIB)
    project.note(
        "a.md",
        title=TITLE_A,
        date="2026-02-01",
        body="Warnings matter [@alphaReport2020, p 4]. So does prevention [@betaBook2015].\n",
    )
    project.note(
        "b.md",
        title=TITLE_B,
        date="2026-03-01",
        body="Prevention again [@betaBook2015, p 9]. A duty [@gammaArticle2022]. Again [@gammaArticle2022, 3].\n",
    )
    project.note("c.md", title=TITLE_DRAFT, status="draft", body="Not yet [@draftOnlyBook2019].\n")
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project.site


def library_items(page: str) -> dict[str, str]:
    return dict(re.findall(r'<li id="ref-([^"]+)" class="council-library-work">(.*?)</li>', page, re.S))


def library_pages(site: Path) -> str:
    """Every page of the library (one per letter of the first author), as one text."""
    return "".join(p.read_text(encoding="utf-8") for p in sorted((site / "library").glob("*/index.html")))


def test_every_work_published_briefings_cite_is_listed_once(site: Path) -> None:
    page = library_pages(site)
    ids = re.findall(r'<li id="ref-([^"]+)" class="council-library-work">', page)
    assert sorted(ids) == ["alphaReport2020", "betaBook2015", "gammaArticle2022"]
    assert "draftOnlyBook2019" not in page and TITLE_DRAFT not in page  # drafts never reach the site
    assert "nobodyCitesBook2018" not in page


def test_works_are_grouped_by_type_in_the_house_style(site: Path) -> None:
    page = library_pages(site)
    sections = dict(re.findall(r'<h2 id="type-[a-z-]+">([^<]+)</h2>(.*?)</section>', page, re.S))
    assert sorted(sections) == ["Books", "Journal articles", "Reports and papers"]
    assert 'id="ref-betaBook2015"' in sections["Books"]
    assert 'id="ref-gammaArticle2022"' in sections["Journal articles"]
    assert 'id="ref-alphaReport2020"' in sections["Reports and papers"]
    # OSCOLA bibliography form (4th edn, 1.7): surname and initials, title in italics, (publisher year)
    beta = re.sub(r"<[^>]+>", "", library_items(page)["betaBook2015"])
    assert "Sharma S and Welsh J, The Beta Book (Oxford University Press 2015)" in " ".join(beta.split())
    assert "<em>The Beta Book</em>" in library_items(page)["betaBook2015"]
    # a link to the work itself
    assert 'href="https://example.org/alpha"' in library_items(page)["alphaReport2020"]


def test_cited_in_links_lead_to_the_citing_briefings(site: Path, browser) -> None:  # type: ignore[no-untyped-def]
    expected = {"alphaReport2020": {TITLE_A}, "betaBook2015": {TITLE_A, TITLE_B}, "gammaArticle2022": {TITLE_B}}
    with serve_folder(site) as base:
        page = browser.new_page()
        targets: dict[str, list[str]] = {}
        for key in expected:  # each work's own page, found from the library's overview
            page.goto(f"{base}/library/")
            letters = page.locator(".council-letter-list a")
            for href in [letters.nth(i).evaluate("a => a.href") for i in range(letters.count())]:
                page.goto(href)
                if page.locator(f'li[id="ref-{key}"]').count():
                    break
            links = page.locator(f'li[id="ref-{key}"] .council-cited-in a')
            targets[key] = [links.nth(i).evaluate("a => a.href") for i in range(links.count())]
        for key, hrefs in targets.items():
            titles = set()
            for href in hrefs:
                response = page.goto(href)
                assert response is not None and response.ok, href
                titles.add(page.locator("article h1").first.inner_text().strip())
            assert titles == expected[key], key
            assert len(hrefs) == len(expected[key]), "each citing briefing is linked once"
        page.close()


def test_briefing_references_link_to_their_library_entry(site: Path, browser) -> None:  # type: ignore[no-untyped-def]
    with serve_folder(site) as base:
        page = browser.new_page()
        page.goto(f"{base}/briefings/b/")
        links = page.locator(".council-references a.council-library-link")
        hrefs = [links.nth(i).evaluate("a => a.href") for i in range(links.count())]
        assert sorted(h.rsplit("#ref-", 1)[1] for h in hrefs) == ["betaBook2015", "gammaArticle2022"]
        for href in hrefs:
            page.goto(href)
            key = href.rsplit("#ref-", 1)[1]
            assert (
                page.evaluate("() => document.querySelector(':target') && document.querySelector(':target').id")
                == f"ref-{key}"
            )
        page.close()


def test_exports_hold_exactly_the_cited_works_and_load_back(site: Path, tmp_path: Path) -> None:
    cache = ContentCache(tmp_path / "cache")
    cited = {"alphaReport2020", "betaBook2015", "gammaArticle2022"}
    bib = load_bib_file(site / "library" / "council-library.bib", cache)
    assert bib.problems == [] and {e.key for e in bib.entries} == cited
    assert {item["id"] for item in json.loads((site / "library" / "council-library.json").read_text())} == cited
    ris = (site / "library" / "council-library.ris").read_text(encoding="utf-8")
    records = [r for r in ris.split("ER  - ") if r.strip()]
    assert len(records) == 3
    assert re.findall(r"^ID  - (\S+)", ris, re.M) == sorted(cited)
    assert "TY  - BOOK" in ris and "TY  - JOUR" in ris and "TY  - RPRT" in ris
    assert "AU  - Sharma, Serena" in ris and "AU  - Foreign, Commonwealth and Development Office" in ris


def test_each_briefing_offers_its_own_references_for_download(site: Path, tmp_path: Path) -> None:
    folder = site / "briefings" / "b"
    page = (folder / "index.html").read_text(encoding="utf-8")
    downloads = page[page.index('id="reference-downloads"') :]
    for suffix in ("bib", "json", "ris"):
        name = f"b-references.{suffix}"
        assert f'href="{name}"' in downloads and (folder / name).is_file()
    keys = {e.key for e in load_bib_file(folder / "b-references.bib", ContentCache(tmp_path)).entries}
    assert keys == {"betaBook2015", "gammaArticle2022"}
    with serve_folder(site) as base:  # the links resolve on the served site too
        from urllib.request import urlopen

        for suffix in ("bib", "json", "ris"):
            with urlopen(urljoin(f"{base}/briefings/b/", f"b-references.{suffix}")) as response:
                assert response.status == 200


def test_the_library_is_in_the_site_navigation(site: Path) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    nav_links = re.findall(r'<a href="library/" class="md-nav__link">(.*?)</a>', home, re.S)
    assert any(re.sub(r"<[^>]+>", "", text).strip() == "Library" for text in nav_links)
