"""The pages that make the site a two-way channel: topic indexes, the research agenda, the
intersections matrix, the Atom feed and the accessibility statement. Plain pages in the docs tree."""

from __future__ import annotations

import datetime as dt
from importlib import resources

from council.base.config import ProjectConfig
from council.base.model import Briefing
from council.publish.agenda import build_agenda
from council.publish.ask import ask_form
from council.publish.feed import FEED_PATH, REQUESTS_FEED_PATH, atom_feed, requests_feed
from council.publish.indexes import FACETS, Topic, by_year, href, listing, page_folder, paginate, topic_index
from council.publish.intersections import build_matrix, chart_svg
from council.publish.pages import NavEntry, briefing_folder, page_source
from council.publish.writer import OutputWriter
from council.render.templating import render_template
from council.sources.glossary import GlossaryEntry, terms_used
from council.sources.requests import Request

TOPICS = "topics"
AGENDA = "research-agenda"
INTERSECTIONS = "intersections"
ACCESSIBILITY = "accessibility"
GLOSSARY = "glossary"
ASK = "ask"
ASK_SCRIPT = "assets/ask.js"


def site_url(config: ProjectConfig) -> str:
    """The site's public address (site_url in mkdocs.yml), or '' while it has none."""
    return config.site_url


def write_policy_pages(
    writer: OutputWriter,
    config: ProjectConfig,
    public: list[Briefing],
    requests: list[Request],
    now: dt.datetime,
    glossary: dict[str, GlossaryEntry] | None = None,
) -> list[NavEntry]:
    """`public` must already have passed publish/gate.py is_public. Returns the nav entries."""
    _write_topics(writer, public)
    glossary_nav = _write_glossary(writer, public, glossary or {})
    _write_agenda(writer, config, public, requests, now.date())
    _write_ask(writer, config)
    _write_intersections(writer, public)
    writer.write(
        FEED_PATH,
        atom_feed(public, title=config.site_name, organisation=config.organisation, base_url=site_url(config)),
    )
    html = render_template(
        "site_accessibility.html.j2", site_name=config.site_name, organisation=config.organisation, reviewed=now.date()
    )
    writer.write(f"{ACCESSIBILITY}/index.md", page_source({"title": "Accessibility statement", "hide": ["toc"]}, html))
    return [
        NavEntry("Topics", f"{TOPICS}/index.md"),
        NavEntry("Research agenda", f"{AGENDA}/index.md"),
        NavEntry("Ask the Council", f"{ASK}/index.md"),
        NavEntry("Intersections", f"{INTERSECTIONS}/index.md"),
        *glossary_nav,
        NavEntry("Accessibility", f"{ACCESSIBILITY}/index.md"),
    ]


def _write_glossary(writer: OutputWriter, public: list[Briefing], glossary: dict[str, GlossaryEntry]) -> list[NavEntry]:
    """The Glossary page (only when glossary.yml has terms): each term linked to the public briefings using it."""
    if not glossary:
        return []
    uses: dict[str, list[tuple[str, str]]] = {term: [] for term in glossary}
    for briefing in sorted(public, key=lambda b: b.title.casefold()):
        for entry in terms_used(briefing, glossary):
            uses[entry.term].append((briefing.title, href(GLOSSARY, briefing_folder(briefing.slug))))
    entries = [(entry, uses[entry.term]) for entry in sorted(glossary.values(), key=lambda e: e.term.casefold())]
    html = render_template("site_glossary.html.j2", entries=entries)
    meta = {
        "title": "Glossary",
        "hide": ["toc"],
        "description": "The abbreviations and terms used in the Council's briefings",
    }
    writer.write(f"{GLOSSARY}/index.md", page_source(meta, html))
    return [NavEntry("Glossary", f"{GLOSSARY}/index.md")]


TOPIC_PAGE_SIZE = 40  # briefings with summaries per topic page: about 15 KB of listing, whatever the topic


def _write_topics(writer: OutputWriter, public: list[Briefing]) -> None:
    index = topic_index(public)
    for topic, briefings in index.items():
        _write_topic_pages(writer, topic, briefings)
    groups = [
        (
            facet,
            [(topic, len(items), href(TOPICS, topic.folder)) for topic, items in index.items() if topic.facet == facet],
        )
        for facet in FACETS
    ]
    html = render_template("site_topics.html.j2", groups=[(f, topics) for f, topics in groups if topics])
    writer.write(f"{TOPICS}/index.md", page_source({"title": "Briefings by topic", "hide": ["toc"]}, html))


def _write_topic_pages(writer: OutputWriter, topic: Topic, briefings: list[Briefing]) -> None:
    """A topic's briefings, newest first, under a heading per year, in pages of TOPIC_PAGE_SIZE: a busy
    topic (or a busy year of it) never makes one heavy page. Page 1 counts every year and links to the
    page where each year starts."""
    pages = paginate(briefings, TOPIC_PAGE_SIZE)
    first_page = {}
    for number, page in enumerate(pages, 1):
        for briefing in page:
            first_page.setdefault(briefing.date.year, number)
    for number, page in enumerate(pages, 1):
        folder = page_folder(topic.folder, number)
        years = [
            (year, count, href(folder, page_folder(topic.folder, first_page[year])) + f"#year-{year}")
            for year, count in ((y, len(items)) for y, items in by_year(briefings))
        ]
        html = render_template(
            "site_index.html.j2",
            topic=topic,
            total=len(briefings),
            years=years,
            groups=[(year, listing(items, folder)) for year, items in by_year(page)],
            pager=pager(folder, topic.folder, number, len(pages)),
            all_topics=href(folder, TOPICS),
        )
        title = f"{topic.facet.singular}: {topic.label}" + (f" (page {number} of {len(pages)})" if number > 1 else "")
        # listings repeat each briefing's summary: the briefing's own page is what search finds
        meta = {
            "title": title,
            "description": f"Briefings on {topic.label}",
            "hide": ["toc"],
            "search": {"exclude": True},
        }
        writer.write(f"{folder}/index.md", page_source(meta, html))


def pager(folder: str, first: str, number: int, count: int) -> list[tuple[str, str | None]]:
    """(label, link or None for the current page) for each page of a paginated listing."""
    if count == 1:
        return []
    return [(str(n), None if n == number else href(folder, page_folder(first, n))) for n in range(1, count + 1)]


def _write_agenda(
    writer: OutputWriter, config: ProjectConfig, public: list[Briefing], requests: list[Request], today: dt.date
) -> None:
    agenda = build_agenda(requests, public, today)
    links = {b.slug: href(AGENDA, briefing_folder(b.slug)) for b in public}
    html = render_template(
        "site_agenda.html.j2",
        agenda=agenda,
        links=links,
        today=today,
        feed=href(AGENDA, "") + FEED_PATH,
        requests_feed=href(AGENDA, "") + REQUESTS_FEED_PATH,
        ask=href(AGENDA, ASK),
    )
    writer.write(
        REQUESTS_FEED_PATH,
        requests_feed(
            list(agenda.answered),
            title=config.site_name,
            organisation=config.organisation,
            agenda=AGENDA,
            base_url=site_url(config),
        ),
    )
    meta = {
        "title": "Research agenda",
        "description": "What policymakers have asked the Council to research",
        "hide": ["toc"],
    }
    writer.write(f"{AGENDA}/index.md", page_source(meta, html))


def _write_ask(writer: OutputWriter, config: ProjectConfig) -> None:
    """The "Ask the Council" page: a form that opens the reader's mail program with a labelled message
    (assets/ask.js, the site's own script), and the same message as a template to copy without it."""
    if not config.requests_email:
        html = render_template(
            "site_ask.html.j2", form=None, organisation=config.organisation, agenda=href(ASK, AGENDA)
        )
    else:
        html = render_template(
            "site_ask.html.j2",
            form=ask_form(config.requests_email),
            organisation=config.organisation,
            agenda=href(ASK, AGENDA),
            script=href(ASK, "assets").rstrip("/") + "/ask.js",
        )
    writer.write(ASK_SCRIPT, resources.files("council").joinpath("templates/assets/ask.js").read_bytes())
    meta = {
        "title": "Ask the Council",
        "hide": ["toc"],
        "description": "Put a research question to the Council by email",
    }
    writer.write(f"{ASK}/index.md", page_source(meta, html))


def _write_intersections(writer: OutputWriter, public: list[Briefing]) -> None:
    matrix = build_matrix(public)
    links = {b.slug: href(INTERSECTIONS, briefing_folder(b.slug)) for b in matrix.briefings}
    html = render_template(
        "site_intersections.html.j2",
        matrix=matrix,
        links=links,
        chart=chart_svg(matrix),
        numbers={b.slug: n for n, b in enumerate(matrix.briefings, 1)},
    )
    meta = {
        "title": "Intersections",
        "hide": ["toc"],
        "description": "Where other policy agendas converge with atrocity prevention and where they diverge",
    }
    writer.write(f"{INTERSECTIONS}/index.md", page_source(meta, html))
