"""Issue 16: the publishing record. Numbered briefings and `council publish`, a ledger of published
URLs that never break (aliases redirect, in Chromium), corrections shown and dated in the feed and
sitemap, withdrawn briefings that keep their URL and leave every list, "Cite this briefing", and the
metadata reader tools take from every page, all through the real build."""

from __future__ import annotations

import json
import re
import textwrap
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import REPO, TinyProject, front_matter, serve_folder

ATOM = "{http://www.w3.org/2005/Atom}"
SITE_URL = "https://briefings.example.org/"
PUBLISHED = yaml.safe_load((REPO / "briefings" / "published.yml").read_text(encoding="utf-8"))


def ledger(project: TinyProject) -> list[dict]:
    path = project.root / "briefings" / "published.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else []


def with_site_url(project: TinyProject) -> None:
    mkdocs = project.root / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text(encoding="utf-8") + f"site_url: {SITE_URL}\n", encoding="utf-8")


def publish(project: TinyProject, slug: str, day: str) -> str:
    result = project.council("publish", slug, "--date", day)
    assert result.returncode == 0, result.stderr
    return result.stdout


class PageFacts(HTMLParser):
    """What a reader's tool takes from a page: meta tags (name or property -> values), JSON-LD, links."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.json_ld: list[dict] = []
        self.links: list[tuple[str, str]] = []
        self._script: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "meta" and (attributes.get("name") or attributes.get("property")):
            key = attributes.get("name") or attributes.get("property") or ""
            self.meta.setdefault(key, []).append(attributes.get("content") or "")
        elif tag == "script" and attributes.get("type") == "application/ld+json":
            self._script = []
        elif tag == "link":
            self.links.append((attributes.get("rel") or "", attributes.get("href") or ""))

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.json_ld.append(json.loads("".join(self._script)))
            self._script = None


def page(project: TinyProject, slug: str) -> str:
    return (project.site / "briefings" / slug / "index.html").read_text(encoding="utf-8")


def search_locations(site: Path) -> set[str]:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return {doc["location"].split("#")[0] for doc in index["docs"]}


# --- numbers and council publish ---
def test_council_publish_numbers_and_records_a_draft_keeping_the_authors_layout(project: TinyProject) -> None:
    note = project.raw_note(
        "early-warning.md",
        textwrap.dedent("""\
        ---
        title: "Early warning"
        summary: A short plain summary.
        key_points:
          - First point.
          - Second point.
        authors: [Dr Test Author]
        date: 2026-01-20   # the day the draft started
        status: draft      # draft | review | published
        ---

        Body text [@alphaReport2020].
        """),
    )
    project.note("second.md", status="draft")
    out = publish(project, "early-warning", "2026-02-03")
    assert "APRC-2026-001" in out
    text = note.read_text(encoding="utf-8")
    assert "date: 2026-02-03   # the day the draft started" in text
    assert "status: published      # draft | review | published" in text
    assert front_matter(note)["number"] == "APRC-2026-001"
    assert [(e["slug"], e["number"]) for e in ledger(project)] == [("early-warning", "APRC-2026-001")]
    publish(project, "second", "2026-02-04")
    assert front_matter(project.root / "briefings" / "second.md")["number"] == "APRC-2026-002"
    # the series restarts with the year; a number is never given twice, even once its note is withdrawn
    project.note("third.md", status="draft", title="Third note")  # a title of its own, or publish refuses it
    publish(project, "third", "2027-01-05")
    assert front_matter(project.root / "briefings" / "third.md")["number"] == "APRC-2027-001"
    withdrawn = project.root / "briefings" / "second.md"
    withdrawn.write_text(
        withdrawn.read_text().replace("status: published", "status: withdrawn\nwithdrawn_reason: Superseded."),
        encoding="utf-8",
    )
    project.note("fourth.md", status="draft", title="Fourth note")
    publish(project, "fourth", "2026-03-01")
    assert front_matter(project.root / "briefings" / "fourth.md")["number"] == "APRC-2026-003"
    assert [e["slug"] for e in ledger(project)] == ["early-warning", "second", "third", "fourth"]
    assert project.council("check").returncode == 0
    again = project.council("publish", "fourth")
    assert again.returncode != 0 and "published already as APRC-2026-003" in again.stderr


def test_council_publish_refuses_a_note_that_fails_check_and_writes_nothing(project: TinyProject) -> None:
    note = project.note("broken.md", body="Cites a work that is not there [@noSuchWork2020].\n", status="draft")
    before = note.read_bytes()
    result = project.council("publish", "broken", "--date", "2026-02-03")
    assert result.returncode != 0
    assert "noSuchWork2020" in result.stderr and "nothing was written" in result.stderr
    assert note.read_bytes() == before
    assert not (project.root / "briefings" / "published.yml").exists()


def test_check_refuses_duplicate_numbers_and_a_published_briefing_without_one(project: TinyProject) -> None:
    project.note("one.md", number="APRC-2026-001", title="One")
    project.note("two.md", number="APRC-2026-001", title="Two")
    project.note("three.md", title="Three")
    assert "three.md" not in project.council("check").stderr  # no ledger yet: the record is not kept
    (project.root / "briefings" / "published.yml").write_text("# the publishing record\n", encoding="utf-8")
    result = project.council("check")
    assert result.returncode == 1
    assert re.search(
        r"two\.md:\d+: error: field 'number': number APRC-2026-001 is already used by one\.md", result.stderr
    ), result.stderr
    assert re.search(r"three\.md:\d+: error: field 'number': a published briefing needs a series number", result.stderr)
    assert "council publish three" in result.stderr


def test_the_shipped_sample_is_numbered_and_its_ledger_holds_every_published_briefing() -> None:
    notes = {p.stem: front_matter(p) for p in (REPO / "briefings").glob("*.md")}
    published = {slug for slug, meta in notes.items() if meta["status"] == "published"}
    assert {e["slug"] for e in PUBLISHED} == published
    numbers = [notes[e["slug"]]["number"] for e in PUBLISHED]
    assert numbers == [e["number"] for e in PUBLISHED] and len(set(numbers)) == len(numbers)
    assert all(re.fullmatch(r"APRC-2026-\d{3}", n) for n in numbers)


# --- URLs never break ---
def test_a_renamed_published_note_is_refused_until_its_old_url_is_an_alias(project: TinyProject, browser) -> None:
    with_site_url(project)
    project.note("early-warning.md", title="Early warning in the Sahel", status="draft")
    publish(project, "early-warning", "2026-02-03")
    old = project.root / "briefings" / "early-warning.md"
    new = project.root / "briefings" / "early-warning-in-the-sahel.md"
    old.rename(new)
    for command in (("check",), ("build", "--quiet")):
        refused = project.council(*command)
        assert refused.returncode == 1, command
        assert "published.yml:" in refused.stderr
        assert "the published URL briefings/early-warning/ would break" in refused.stderr
        assert "aliases: [early-warning]" in refused.stderr  # the fix, in the message
    new.write_text(
        new.read_text().replace("status: published", "status: published\naliases: [early-warning]"), encoding="utf-8"
    )
    assert project.council("check").returncode == 0
    assert project.build().returncode == 0
    redirect = (project.site / "briefings" / "early-warning" / "index.html").read_text(encoding="utf-8")
    facts = PageFacts(redirect)
    assert ("canonical", f"{SITE_URL}briefings/early-warning-in-the-sahel/") in facts.links
    assert 'http-equiv="refresh"' in redirect and '<a href="../early-warning-in-the-sahel/">' in redirect
    # the old URL is in neither the search index nor the sitemap; the new one is in both
    assert not any("briefings/early-warning/" == loc for loc in search_locations(project.site))
    sitemap = (project.site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"{SITE_URL}briefings/early-warning-in-the-sahel/" in sitemap
    assert f"{SITE_URL}briefings/early-warning/<" not in sitemap
    with serve_folder(project.site.resolve()) as base:
        tab = browser.new_page()
        tab.goto(f"{base}/briefings/early-warning/")
        tab.wait_for_url(f"{base}/briefings/early-warning-in-the-sahel/")
        assert tab.locator("h1").first.inner_text() == "Early warning in the Sahel"
        tab.close()


def test_an_alias_can_never_replace_a_live_page(project: TinyProject) -> None:
    project.note("first.md", number="APRC-2026-001")
    project.note("second.md", number="APRC-2026-002", aliases=["first"])
    result = project.council("check")
    assert result.returncode == 1
    assert re.search(
        r"second\.md:\d+: error: field 'aliases': alias 'first' is the URL of the live briefing", result.stderr
    ), result.stderr
    assert project.build().returncode == 1
    assert not project.site.exists()


def test_a_drafts_number_and_aliases_never_reach_the_site(project: TinyProject) -> None:
    project.note("live.md", number="APRC-2026-001")
    project.note("pending.md", status="draft", number="APRC-2026-099", aliases=["ghost-of-pending"])
    assert project.build().returncode == 0
    assert not (project.site / "briefings" / "ghost-of-pending").exists()
    for path in project.site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".bib", ".ris"):
            assert "APRC-2026-099" not in path.read_text(encoding="utf-8", errors="replace"), path


# --- corrections ---
def test_an_update_shows_on_the_page_and_moves_the_feed_entry_and_sitemap(project: TinyProject) -> None:
    with_site_url(project)
    note = project.note("corrected.md", number="APRC-2026-001")
    assert project.build().returncode == 0
    assert "Updates to this briefing" not in page(project, "corrected")
    assert feed_entry(project, "Corrected")[1] == "2026-02-01T00:00:00Z"
    note.write_text(
        note.read_text().replace(
            "status: published",
            "status: published\nupdates:\n  - date: 2026-03-10\n"
            "    note: Corrected the number of posts in the third paragraph.\n"
            "  - date: 2026-02-20\n    note: Added a missing reference.",
        ),
        encoding="utf-8",
    )
    assert project.build().returncode == 0
    html = page(project, "corrected")
    section = html[html.index('id="updates"') :]
    assert "Corrected the number of posts in the third paragraph." in section
    assert section.index("10 March 2026") < section.index("20 February 2026")  # newest first
    assert 'Last updated <time datetime="2026-03-10">' in section
    published, updated = feed_entry(project, "Corrected")
    assert (published, updated) == ("2026-02-01T00:00:00Z", "2026-03-10T00:00:00Z")
    sitemap = ET.parse(project.site / "sitemap.xml").getroot()
    lastmods = {u.findtext("{*}loc"): u.findtext("{*}lastmod") for u in sitemap}
    assert lastmods[f"{SITE_URL}briefings/corrected/"] == "2026-03-10"
    meta = PageFacts(html)
    assert meta.meta["article:modified_time"] == ["2026-03-10"] and meta.json_ld[0]["dateModified"] == "2026-03-10"


def feed_entry(project: TinyProject, title_start: str) -> tuple[str, str]:
    feed = ET.parse(project.site / "feed.xml").getroot()
    entry = next(e for e in feed.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}title", "").startswith("A test"))
    return entry.findtext(f"{ATOM}published", ""), entry.findtext(f"{ATOM}updated", "")


def test_update_notes_get_the_same_content_safety_as_the_body(project: TinyProject) -> None:
    project.raw_note(
        "unsafe.md",
        textwrap.dedent("""\
        ---
        title: "Unsafe update"
        summary: A short plain summary.
        key_points: [First point., Second point.]
        authors: [Dr Test Author]
        date: 2026-02-01
        status: published
        number: APRC-2026-001
        updates:
          - date: 2026-02-05
            note: See [the page](javascript:alert(1)) for details.
        ---

        Body text [@alphaReport2020].
        """),
    )
    result = project.council("check")
    assert result.returncode == 1
    assert re.search(r"unsafe\.md:1[01]:\d+: error: the link target 'javascript:alert\(1", result.stderr), result.stderr


# --- withdrawal ---
def test_a_withdrawn_briefing_keeps_its_url_with_the_notice_and_leaves_every_list(
    project: TinyProject, browser
) -> None:
    from test_site_browser import describe, run_axe

    common = {"workstreams": ["international-justice"], "countries": ["UKR"]}
    project.note(
        "old-advice.md",
        title="Old advice on sanctions",
        number="APRC-2026-001",
        status="withdrawn",
        withdrawn_reason="The sanctions regime it describes was replaced in March 2026.",
        superseded_by="new-advice",
        updates=[{"date": "2026-03-20", "note": "Withdrawn."}],
        **common,
    )
    project.note(
        "new-advice.md",
        title="New advice on sanctions",
        number="APRC-2026-002",
        date="2026-03-20",
        body="Body text [@alphaReport2020] and [@betaBook2015].\n",
        **common,
    )
    assert project.build().returncode == 0
    html = page(project, "old-advice")
    assert "This briefing has been withdrawn" in html
    assert "The sanctions regime it describes was replaced in March 2026." in html
    assert '<time datetime="2026-03-20">20 March 2026</time>' in html
    assert '<a href="../new-advice/">New advice on sanctions</a>' in html
    assert 'href="old-advice.pdf"' in html and (project.site / "briefings" / "old-advice" / "old-advice.pdf").is_file()
    assert "WITHDRAWN" in pdf_text(project.site / "briefings" / "old-advice" / "old-advice.pdf")  # kept, marked
    # listed nowhere: home, topic indexes, feed, related briefings, search index, library
    listings = [
        project.site / "index.html",
        *project.site.glob("topics/**/index.html"),
        project.site / "feed.xml",
        project.site / "briefings" / "new-advice" / "index.html",
        project.site / "library" / "index.html",
    ]
    assert any("New advice on sanctions" in p.read_text(encoding="utf-8") for p in listings[1:-3])  # topics list it
    for path in listings:
        text = path.read_text(encoding="utf-8")
        assert "Old advice on sanctions" not in text and "old-advice/" not in text, path
    assert "New advice on sanctions" in (project.site / "index.html").read_text(encoding="utf-8")
    assert not any(loc.startswith("briefings/old-advice") for loc in search_locations(project.site))
    with serve_folder(project.site.resolve()) as base:
        tab = browser.new_page()
        response = tab.goto(f"{base}/briefings/old-advice/")
        assert response is not None and response.ok
        assert tab.get_by_role("heading", name="This briefing has been withdrawn").is_visible()
        violations = run_axe(tab)
        tab.close()
    assert not violations, describe(violations)


def test_a_withdrawal_needs_a_reason(project: TinyProject) -> None:
    project.note("gone.md", number="APRC-2026-001", status="withdrawn")
    result = project.council("check")
    assert result.returncode == 1 and "withdrawn briefing needs withdrawn_reason" in result.stderr


# --- metadata, on every published page of the shipped sample ---
def test_the_metadata_on_every_published_page_matches_its_front_matter(sample_site: Path) -> None:
    organisation = yaml.safe_load((REPO / "council.yml").read_text(encoding="utf-8"))["organisation"]
    checked = 0
    for note in sorted((sample_site / "briefings").glob("*.md")):
        meta = front_matter(note)
        if meta["status"] != "published":
            assert not (sample_site / "site" / "briefings" / note.stem).exists()
            continue
        folder = sample_site / "site" / "briefings" / note.stem
        facts = PageFacts((folder / "index.html").read_text(encoding="utf-8"))
        tags = facts.meta
        assert tags["citation_title"] == [meta["title"]] == tags["DC.title"] == tags["og:title"]
        assert tags["citation_author"] == meta["authors"] == tags["DC.creator"]
        assert tags["citation_publication_date"] == [meta["date"].strftime("%Y/%m/%d")]
        assert tags["DC.date"] == [meta["date"].isoformat()]
        assert tags["citation_technical_report_number"] == [meta["number"]]
        assert tags["citation_technical_report_institution"] == [organisation] == tags["DC.publisher"]
        assert (folder / tags["citation_pdf_url"][0]).is_file()
        assert tags.get("citation_doi") == ([meta["doi"]] if meta.get("doi") else None)
        assert tags["og:description"] == [" ".join(meta["summary"].split())]
        [report] = facts.json_ld
        assert report["@type"] == "Report" and report["name"] == meta["title"]
        assert [a["name"] for a in report["author"]] == meta["authors"]
        assert report["datePublished"] == meta["date"].isoformat()
        assert report["reportNumber"] == meta["number"]
        assert report["publisher"]["name"] == organisation
        checked += 1
    assert checked == len(PUBLISHED)


def test_metadata_values_are_escaped_in_the_head(project: TinyProject) -> None:
    title = "Sanctions \"and\" the 'quoted' problem &amp; more"
    project.note("tricky.md", title=title, number="APRC-2026-001", authors=['Dr O\'Brien "Quote"'])
    assert project.build().returncode == 0
    facts = PageFacts(page(project, "tricky"))
    assert facts.meta["citation_title"] == [title]
    assert facts.meta["citation_author"] == ['Dr O\'Brien "Quote"']
    assert facts.json_ld[0]["name"] == title


@pytest.mark.parametrize("value", ["not-a-doi", "10.12/x"])
def test_a_malformed_doi_is_refused(project: TinyProject, value: str) -> None:
    project.note("doi.md", number="APRC-2026-001", doi=value)
    result = project.council("check")
    assert result.returncode == 1 and "doi" in result.stderr


# --- cite this briefing ---
def pdf_text(path: Path) -> str:
    import subprocess

    return " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split()
    )


def docx_text(path: Path) -> list[str]:
    import docx

    return [p.text for p in docx.Document(str(path)).paragraphs]


def cite_line(html: str) -> str:
    match = re.search(r'<p class="council-cite__reference">(.*?)</p>', html, re.S)
    assert match, "no Cite this briefing on the page"
    return " ".join(
        re.sub(r"<[^>]+>", "", match.group(1)).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").split()
    )


def test_cite_this_briefing_is_made_by_citeproc_and_the_same_on_page_pdf_and_word(project: TinyProject) -> None:
    import bibtexparser

    with_site_url(project)
    project.note(
        "cited.md",
        title="Early warning and the duty to prevent",
        authors=["Dr Amara Okafor", "Rhys Pritchard"],
        number="APRC-2026-004",
        doi="10.5555/aprc.2026.004",
        updates=[{"date": "2026-02-09", "note": "Corrected a date in the second paragraph."}],
    )
    assert project.build().returncode == 0
    folder = project.site / "briefings" / "cited"
    reference = cite_line(page(project, "cited"))
    # OSCOLA, the house style: surname and initial, the title in quotes, publisher, series and number
    # and year in the parentheses (as "(Law Com No 313, 2008)"), DOI
    assert reference.startswith(
        "Okafor A and Pritchard R, ‘Early Warning and the Duty to Prevent’ "
        "(Atrocity Prevention Research Council, Research briefing APRC-2026-004, 2026)"
    ), reference
    assert "https://doi.org/10.5555/aprc.2026.004" in reference
    pdf = pdf_text(folder / "cited.pdf")
    assert "Cite this briefing" in pdf and reference in pdf.replace("- ", "-")
    assert "Updates to this briefing" in pdf and "Corrected a date in the second paragraph." in pdf
    word = docx_text(folder / "cited.docx")
    assert "Cite this briefing" in word and reference in word
    assert any("Corrected a date in the second paragraph." in p for p in word)
    library = bibtexparser.parse_string((folder / "cited-citation.bib").read_text(encoding="utf-8"))
    [entry] = library.entries
    assert entry.entry_type == "report" and entry["number"] == "APRC-2026-004"
    assert entry["doi"] == "10.5555/aprc.2026.004" and entry["author"] == "Okafor, Amara and Pritchard, Rhys"
    ris = (folder / "cited-citation.ris").read_text(encoding="utf-8")
    for line in (
        "TY  - RPRT",
        "AU  - Okafor, Amara",
        "M1  - APRC-2026-004",
        "DO  - 10.5555/aprc.2026.004",
        f"UR  - {SITE_URL}briefings/cited/",
        "PY  - 2026",
    ):
        assert line in ris
    # another style gives another reference: it comes from citeproc and the CSL style, not a format string
    config = project.root / "council.yml"
    config.write_text(config.read_text().replace("citation_style: oscola", "citation_style: apa"), encoding="utf-8")
    assert project.build().returncode == 0
    apa = cite_line(page(project, "cited"))
    assert apa != reference and apa.startswith("Okafor, A., & Pritchard, R. (2026)."), apa
    assert apa in docx_text(folder / "cited.docx")
