"""Issue 5 - the briefing site as policymakers use it: topic indexes, related briefings, the research
agenda, the intersections matrix, the Atom feed and the email digest. Expected values are derived here,
independently, from the shipped sources (front matter and requests/), never from council's own output."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import pytest
import yaml
from conftest import REPO, SAMPLE_NOW, front_matter, run_council

NOW = dt.datetime.fromisoformat(SAMPLE_NOW)
FACET_FOLDERS = {
    "workstreams": "workstreams",
    "tools": "toolkit",
    "recommendations": "recommendations",
    "countries": "countries",
}


def _is_public(meta: dict) -> bool:
    embargo = meta.get("embargo_until")
    if isinstance(embargo, dt.date) and not isinstance(embargo, dt.datetime):
        embargo = dt.datetime.combine(embargo, dt.time(0, 0), dt.UTC)
    return (
        meta["status"] == "published"
        and meta.get("classification", "OFFICIAL") == "OFFICIAL"
        and (embargo is None or embargo <= NOW)
    )


ALL = {p.stem: front_matter(p) for p in sorted((REPO / "briefings").glob("*.md"))}
PUBLISHED = {slug: meta for slug, meta in ALL.items() if _is_public(meta)}
DRAFTS = set(ALL) - set(PUBLISHED)
REQUESTS = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((REPO / "requests").glob("*.yml"))}


def page(site_root: Path, folder: str) -> str:
    return (site_root / "site" / folder / "index.html").read_text(encoding="utf-8")


def linked_briefings(text: str, page_folder: str) -> list[str]:
    """Slugs of the briefings linked from `text`, a part of the page at /page_folder/."""
    targets = (urljoin(f"/{page_folder}/", href) for href in re.findall(r'href="([^"#]+)"', text))
    return [m.group(1) for m in map(re.compile(r"/briefings/([a-z0-9-]+)/").fullmatch, targets) if m]


def section(text: str, heading_id: str) -> str:
    """The HTML from the heading with this id to the next h2."""
    start = text.index(f'id="{heading_id}"')
    end = text.find("<h2", start)
    return text[start : end if end != -1 else len(text)]


def test_the_shipped_sample_has_drafts_requests_and_intersections_to_test_with() -> None:
    assert DRAFTS and len(PUBLISHED) >= 5
    assert any(meta.get("answers") for slug, meta in ALL.items() if slug in DRAFTS)
    assert {r["status"] for r in REQUESTS.values()} >= {"open", "in-progress", "answered", "declined"}
    assert all(meta.get("intersections") for meta in PUBLISHED.values())


def expected_topics() -> dict[tuple[str, str], set[str]]:
    topics: dict[tuple[str, str], set[str]] = {}
    for slug, meta in PUBLISHED.items():
        for field, folder in FACET_FOLDERS.items():
            for value in meta.get(field, []):
                topics.setdefault((folder, str(value).lower()), set()).add(slug)
    return topics


def test_every_topic_index_lists_exactly_the_published_briefings_carrying_that_value(sample_site: Path) -> None:
    expected = expected_topics()
    built = {(p.parent.parent.name, p.parent.name) for p in (sample_site / "site" / "topics").glob("*/*/index.html")}
    assert built == set(expected)
    for (folder, value), slugs in expected.items():
        text = page(sample_site, f"topics/{folder}/{value}")
        listing = re.search(r'<ol class="council-briefing-list">(.*?)</ol>', text, re.DOTALL).group(1)
        listed = linked_briefings(listing, f"topics/{folder}/{value}")
        assert sorted(listed) == sorted(slugs), (folder, value)
        dates = [dt.date.fromisoformat(d) for d in re.findall(r'<time datetime="([\d-]+)"', listing)]
        assert dates == sorted(dates, reverse=True), "newest first"
        shown = html.unescape(listing)
        for slug in slugs:
            assert PUBLISHED[slug]["title"] in shown
            assert " ".join(PUBLISHED[slug]["summary"].split()) in shown
            assert f'datetime="{PUBLISHED[slug]["date"].isoformat()}"' in text


def test_the_topics_page_links_every_index_page(sample_site: Path) -> None:
    text = page(sample_site, "topics")
    linked = set(re.findall(r'href="((?:workstreams|toolkit|recommendations|countries)/[^"/]+)/"', text))
    assert linked == {f"{folder}/{value}" for folder, value in expected_topics()}


@pytest.mark.parametrize("slug", sorted(PUBLISHED))
def test_topic_labels_on_a_briefing_page_link_to_index_pages_that_list_it(sample_site: Path, slug: str) -> None:
    topics = section(page(sample_site, f"briefings/{slug}"), "topics")
    links = re.findall(r'href="\.\./\.\./(topics/[^"]+)/"', topics)
    meta = PUBLISHED[slug]
    assert len(links) == sum(len(meta.get(field, [])) for field in FACET_FOLDERS)
    for link in links:
        listing = re.search(r'<ol class="council-briefing-list">(.*?)</ol>', page(sample_site, link), re.DOTALL).group(
            1
        )
        assert slug in linked_briefings(listing, link)


def expected_related(slug: str, limit: int = 3) -> list[str]:
    meta = PUBLISHED[slug]

    def shared(other: dict) -> int:
        return len(set(meta.get("workstreams", [])) & set(other.get("workstreams", []))) + len(
            set(meta.get("countries", [])) & set(other.get("countries", []))
        )

    scored = [(shared(m), m["date"], s) for s, m in PUBLISHED.items() if s != slug and shared(m)]
    scored.sort(key=lambda t: (-t[0], -t[1].toordinal(), t[2]))
    return [s for _, _, s in scored[:limit]]


@pytest.mark.parametrize("slug", sorted(PUBLISHED))
def test_related_briefings_share_workstreams_or_countries_ranked_by_overlap_then_date(
    sample_site: Path, slug: str
) -> None:
    text = page(sample_site, f"briefings/{slug}")
    expected = expected_related(slug)
    if not expected:
        assert 'id="related"' not in text
        return
    assert linked_briefings(section(text, "related"), f"briefings/{slug}") == expected


def test_agenda_splits_open_and_answered_requests_and_counts_days_taken(sample_site: Path) -> None:
    text = page(sample_site, "research-agenda")
    open_part, answered_part = section(text, "open"), section(text, "answered")
    expected_open = {rid for rid, r in REQUESTS.items() if r["status"] in ("open", "in-progress")}
    expected_answered = {rid for rid, r in REQUESTS.items() if r["status"] == "answered"}
    assert set(re.findall(r'<li id="([^"]+)"', open_part)) == expected_open
    assert set(re.findall(r'<tr id="([^"]+)"', answered_part)) == expected_answered
    for rid in expected_open:  # age in days on the build's date
        age = (NOW.date() - REQUESTS[rid]["asked"]).days
        item = open_part[open_part.index(f'<li id="{rid}"') :]
        item = item[: item.index("</li>")]
        assert f"<span>{age} days open</span>" in item
        due = REQUESTS[rid].get("due")  # issue 17: days open against the due date
        assert (
            f", in {(due - NOW.date()).days} days"
            if due and due >= NOW.date()
            else "Overdue by"
            if due
            else "no due date"
        ) in item
    rows = dict(re.findall(r'<tr id="([^"]+)">(.*?)</tr>', answered_part, re.DOTALL))
    for rid in expected_answered:
        answers = sorted((m["date"], s) for s, m in PUBLISHED.items() if rid in m.get("answers", []))
        assert answers, f"sample request {rid} is marked answered but no published briefing answers it"
        assert linked_briefings(rows[rid], "research-agenda") == [s for _, s in answers]
        days = (answers[0][0] - REQUESTS[rid]["asked"]).days
        assert re.search(rf'<td class="council-number">{days}</td>', rows[rid]), rid
    for draft in DRAFTS:
        assert f"briefings/{draft}/" not in text


def test_open_requests_are_grouped_by_priority_oldest_first(sample_site: Path) -> None:
    open_part = section(page(sample_site, "research-agenda"), "open")
    priorities = re.findall(r'<h3 id="priority-(\w+)"', open_part)
    assert priorities == [
        p
        for p in ("high", "medium", "low")
        if any(r["priority"] == p and r["status"] in ("open", "in-progress") for r in REQUESTS.values())
    ]
    for priority in priorities:
        block = open_part[open_part.index(f'id="priority-{priority}"') :]
        block = block[: block.find("</section>")]
        ids = re.findall(r'<li id="([^"]+)"', block)
        assert ids == sorted(ids, key=lambda rid: (REQUESTS[rid]["asked"], rid))
        assert all(REQUESTS[rid]["priority"] == priority for rid in ids)


def test_intersections_matrix_has_a_cell_for_every_declared_intersection(sample_site: Path) -> None:
    text = page(sample_site, "intersections")
    table = re.search(r'<table class="council-matrix">.*?</table>', text, re.DOTALL).group(0)
    rows = re.findall(r'<tr>\s*<th scope="row"><a href="\.\./briefings/([a-z0-9-]+)/">.*?</tr>', table, re.DOTALL)
    assert sorted(rows) == sorted(s for s, m in PUBLISHED.items() if m.get("intersections"))
    header = table[: table.index("</thead>")]
    columns = re.findall(r'<th scope="col">([^<]+)</th>', header)[1:]
    labels = yaml.safe_load((REPO / "generator" / "council" / "vocabularies.yml").read_text())["workstreams"]
    assert columns == [html.escape(v, quote=False) for v in labels.values()]
    for slug in rows:
        row = re.search(rf'briefings/{slug}/".*?</tr>', table, re.DOTALL).group(0)
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)
        declared = PUBLISHED[slug]["intersections"]
        for workstream, cell in zip(labels, cells, strict=True):
            expected = declared.get(workstream, "not assessed")
            assert f'<span class="council-sr">{expected}</span>' in cell, (slug, workstream)
    counts = section(text, "by-workstream")
    for workstream, label in labels.items():
        synergy = sum(1 for m in PUBLISHED.values() if m.get("intersections", {}).get(workstream) == "synergy")
        tension = sum(1 for m in PUBLISHED.values() if m.get("intersections", {}).get(workstream) == "tension")
        assert (
            f'<th scope="row">{html.escape(label, quote=False)}</th><td class="council-number">{synergy}</td>'
            f'<td class="council-number">{tension}</td>'
        ) in counts
        assert f"{html.escape(label, quote=False)}: {synergy} synergy, {tension} tension" in counts  # chart's desc


def test_the_atom_feed_holds_every_published_briefing_and_no_draft(sample_site: Path) -> None:
    feed = feedparser.parse(str(sample_site / "site" / "feed.xml"))
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    links = [e.link for e in feed.entries]
    slugs = [re.fullmatch(r"briefings/([a-z0-9-]+)/", link).group(1) for link in links]
    assert sorted(slugs) == sorted(PUBLISHED)
    assert len({e.id for e in feed.entries}) == len(feed.entries)
    for entry, slug in zip(feed.entries, slugs, strict=True):
        meta = PUBLISHED[slug]
        assert entry.title == meta["title"]
        assert entry.summary == " ".join(meta["summary"].split())
        assert dt.date(*entry.published_parsed[:3]) == meta["date"]
        assert [a.name for a in entry.authors] == meta["authors"]
        assert (sample_site / "site" / "briefings" / slug / "index.html").exists()
    assert [e.published_parsed for e in feed.entries] == sorted(
        (e.published_parsed for e in feed.entries), reverse=True
    )


@pytest.mark.parametrize("since", ["2026-05-07", "2026-11-21", "2020-01-01"])
def test_the_digest_holds_every_briefing_published_since_the_date_and_no_other(sample_site: Path, since: str) -> None:
    result = run_council(
        "digest",
        "--since",
        since,
        "--now",
        SAMPLE_NOW,
        "--site-url",
        "https://example.org/apr/",
        cwd=sample_site,
        check=True,
    )
    paths = [Path(line) for line in result.stdout.split()]
    assert [p.suffix for p in paths] == [".html", ".txt"]
    assert all(p.parent == sample_site / "build" / "digest" for p in paths)
    html_text, plain = (p.read_text(encoding="utf-8") for p in paths)
    expected = sorted(s for s, m in PUBLISHED.items() if m["date"] >= dt.date.fromisoformat(since))
    in_html = sorted(set(re.findall(r'href="https://example\.org/apr/briefings/([a-z0-9-]+)/"', html_text)))
    in_text = sorted(re.findall(r"Read it: https://example\.org/apr/briefings/([a-z0-9-]+)/", plain))
    assert in_html == expected and in_text == expected
    for slug in DRAFTS:
        assert ALL[slug]["title"] not in html_text and ALL[slug]["title"] not in plain
    # email-ready: styles inline (mail programs drop <style> and linked sheets), nothing fetched from elsewhere
    assert "<style" not in html_text and "<link" not in html_text and "<script" not in html_text
    assert 'style="' in html_text
    assert not re.search(r'src="https?://', html_text)


def test_digest_needs_a_valid_date(sample_site: Path) -> None:
    result = run_council("digest", "--since", "yesterday", cwd=sample_site)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and "since" in result.stderr.lower()
