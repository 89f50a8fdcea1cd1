"""Render one briefing into its three outputs, reusing cached results keyed by every input."""
from __future__ import annotations

import dataclasses
import hashlib
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from council import checkpoints
from council.cache import ContentCache
from council.citations.style_facts import style_facts
from council.config import ProjectConfig
from council.model import Briefing, DraftMarking, Library, RenderedBriefing
from council.render.cite import CiteThis
from council.render.docx_reference import reference_docx, table_geometry
from council.render.keys import SharedInputs, render_key
from council.render.pandoc_worker import WorkerPool
from council.render.pdf import compile_pdf
from council.render.templating import long_date, render_template
from council.sources.glossary import GlossaryEntry, terms_used
from council.sources.safety import local_images
from council.vocabularies import country, vocabularies

REFERENCES_TITLE = "References"


@dataclass(frozen=True)
class RenderContext:
    """What every briefing render shares: settings, library and the inputs every key covers."""

    config: ProjectConfig
    library: Library
    cache: ContentCache
    shared: SharedInputs  # the package, configuration, style and tool versions (render/keys.py)
    style_for_pandoc: Path  # the CSL style, compacted (citations/styles.py)
    # preview builds: slug -> how its copies are marked (publish/draft_marking.py); empty when publishing
    markings: dict[str, DraftMarking] = field(default_factory=dict)
    glossary: dict[str, GlossaryEntry] = field(default_factory=dict)  # glossary.yml, for abbreviations
    # slug -> its "Cite this briefing" reference (render/cite.py), for the PDF colophon and Word file
    citations: dict[str, CiteThis] = field(default_factory=dict)


def byline(briefing: Briefing) -> str:
    return f"{', '.join(briefing.authors)} · {long_date(briefing.date)} · {briefing.reading_minutes} min read"


def keywords(briefing: Briefing) -> list[str]:
    """The PDF's and the Word file's keywords: the briefing's topics, by name."""
    vocab = vocabularies()
    return ([vocab["workstreams"].label(w) for w in briefing.workstreams]
            + [found.name if (found := country(c)) else c for c in briefing.countries]
            + [vocab["tools"].label(t) for t in briefing.tools]
            + [f"Recommendation {r}" for r in briefing.recommendations])


@dataclass(frozen=True)
class PendingPdf:
    """A briefing whose page and Word file are ready and whose PDF is still to be compiled. PDFs are
    compiled last, while the site engine builds the pages, which need only the HTML."""

    key: str
    typst_source: str
    origin: Path
    page: bytes  # page.json: cached only once the PDF is, because its presence marks a complete entry


@dataclass(frozen=True)
class RenderInputs:
    """A briefing with everything its rendering depends on besides the presentation, and the cache key
    of them all: worked out once per build, then used to look in the cache and to render."""

    briefing: Briefing
    key: str
    references_json: str
    images: list[tuple[str, Path, str]]  # (target as written, file, name of its copy beside the page)
    marking: DraftMarking | None = None  # a preview copy's DRAFT or EMBARGOED marking
    abbreviations: tuple[tuple[str, str], ...] = ()  # (term, expansion) of the glossary terms it uses

    @property
    def media(self) -> tuple[tuple[str, Path], ...]:
        return tuple((name, source) for _, source, name in self.images)


def render_inputs(briefing: Briefing, context: RenderContext) -> RenderInputs:
    references_json = json.dumps(context.library.subset(briefing.cited_keys), ensure_ascii=False, sort_keys=True)
    images = _images(briefing, context.config.root)
    marking = context.markings.get(briefing.slug)
    abbreviations = tuple((e.term, e.expansion) for e in terms_used(briefing, context.glossary))
    # the marking is part of the key: a published build never reuses a draft-marked file, nor the reverse
    citation = context.citations.get(briefing.slug)
    key = render_key("briefing", context.shared, briefing, entries=references_json,
                     images=[source for _, source, _ in images],
                     derived=[repr(marking), repr(abbreviations), citation.html if citation else ""])
    return RenderInputs(briefing, key, references_json, images, marking, abbreviations)


def in_cache(inputs: RenderInputs, context: RenderContext) -> bool:
    """Whether the render cache holds the briefing's finished outputs for exactly these inputs."""
    return all(context.cache.path(inputs.key, name).is_file() for name in (_PAGE, _PDF, _DOCX))


def cached_rendering(inputs: RenderInputs, context: RenderContext) -> RenderedBriefing | None:
    """The briefing's finished outputs, if the render cache holds them for exactly these inputs."""
    cached = _from_cache(inputs.briefing, context.cache, inputs.key)
    return None if cached is None else dataclasses.replace(cached, media=inputs.media, marking=inputs.marking)


def render_briefing(inputs: RenderInputs, context: RenderContext,
                    workers: WorkerPool) -> tuple[RenderedBriefing, PendingPdf]:
    """The briefing's page parts and Word file, from pandoc; its PDF is compiled later from the
    PendingPdf returned here (`compile_pending_pdf`), into `pdf_file`."""
    briefing, key, references_json, images = inputs.briefing, inputs.key, inputs.references_json, inputs.images
    with tempfile.TemporaryDirectory(dir=_scratch(context.cache)) as scratch:
        docx_path = Path(scratch) / "briefing.docx"
        request = _request(briefing, context, references_json, docx_path, inputs.marking, inputs.abbreviations)
        request["images"] = {target: {"html": f"media/{name}", "docx": str(source),
                                      "typst": "/" + source.relative_to(context.config.root).as_posix()}
                             for target, source, name in images}
        answer = workers.worker().render(request)
        context.cache.put(key, _DOCX, docx_path.read_bytes())
    headings = tuple((h["id"], h["text"]) for h in answer["headings"])
    page = json.dumps({"body": answer["html"], "references": answer["references_html"], "headings": headings})
    typst_source = render_template("briefing.typ.j2",
                                   **_typst_context(briefing, context, answer["typst"], inputs.marking),
                                   abbreviations=inputs.abbreviations)
    rendered = RenderedBriefing(briefing, answer["html"], answer["references_html"], headings,
                                context.cache.path(key, _PDF), context.cache.path(key, _DOCX), media=inputs.media,
                                marking=inputs.marking)
    return rendered, PendingPdf(key, typst_source, briefing.path, page.encode())


def compile_pending_pdf(pending: PendingPdf, project_root: Path, cache: ContentCache) -> None:
    """Plain arguments: this runs in PDF worker processes (render/batch.py)."""
    cache.put(pending.key, _PDF, compile_pdf(pending.typst_source, pending.origin, project_root))
    checkpoints.reached("pdf-cached")  # in a PDF worker: the entry has its PDF but not yet its page
    cache.put(pending.key, _PAGE, pending.page)  # last: the entry is complete


def _images(briefing: Briefing, root: Path) -> list[tuple[str, Path, str]]:
    """(target as written, file, name of its copy beside the site page) for each image in the note."""
    found = []
    for target, source in local_images(briefing.path, briefing.body):
        if source.is_relative_to(root.resolve()):
            digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
            found.append((target, source, f"{digest}{source.suffix.lower()}"))
    return found


def page_marking(briefing: Briefing, marking: DraftMarking | None) -> str:
    """What the top and bottom of every page say: the classification, and beside it any draft marking."""
    return briefing.classification + (f" \u00b7 {marking.label}" if marking else "")


def document_title(briefing: Briefing, marking: DraftMarking | None) -> str:
    """The title property of the PDF and Word file: a draft's says so first, where a file list shows it."""
    return f"{marking.label}: {briefing.title}" if marking else briefing.title


def _request(briefing: Briefing, context: RenderContext, references_json: str, docx_path: Path,
             draft: DraftMarking | None = None, abbreviations: tuple[tuple[str, str], ...] = ()) -> dict:
    marking = page_marking(briefing, draft)
    return {
        "markdown": briefing.body,
        "abbreviations": dict(abbreviations),  # HTML: the first use of each carries <abbr title>
        "references": references_json,
        "csl": str(context.style_for_pandoc),
        "lang": briefing.lang,
        "references_title": REFERENCES_TITLE,
        **_style_request(context),  # bibliography: note style? labels the style defines?
        "docx_front": render_template("briefing_docx.pandoc.j2", briefing=briefing, marking=marking,
                                      reading=f"Research briefing · {briefing.reading_minutes} min read",
                                      abbreviations=abbreviations),
        "docx_meta": {"title": document_title(briefing, draft), "author": list(briefing.authors), "lang": briefing.lang,
                      "date": long_date(briefing.date), "subject": "Research briefing",
                      "description": briefing.summary, "keywords": keywords(briefing)},
        # publishing record: updates and "Cite this briefing" after the references
        "docx_back": render_template("briefing_docx_back.pandoc.j2", briefing=briefing,
                                     updates=sorted(briefing.updates, reverse=True),
                                     citation=context.citations.get(briefing.slug)),
        "docx_path": str(docx_path),
        "docx_table": table_geometry(),
        "reference_doc": str(reference_docx(marking, context.cache)),
    }


def _typst_context(briefing: Briefing, context: RenderContext, body: str, draft: DraftMarking | None = None) -> dict:
    language, _, region = briefing.lang.partition("-")
    return {"briefing": briefing, "body": body, "language": language, "region": region,
            "marking": page_marking(briefing, draft), "title": document_title(briefing, draft),
            "organisation": context.config.organisation,
            "byline": byline(briefing), "keywords": keywords(briefing),
            "updates": sorted(briefing.updates, reverse=True), "citation": context.citations.get(briefing.slug)}


# The page's text parts in one small file; the PDF and DOCX stay files that the site links to.
_PAGE, _PDF, _DOCX = "page.json", "briefing.pdf", "briefing.docx"


def _from_cache(briefing: Briefing, cache: ContentCache, key: str) -> RenderedBriefing | None:
    page = cache.get(key, _PAGE)
    pdf, docx = cache.path(key, _PDF), cache.path(key, _DOCX)
    if page is None or not pdf.is_file() or not docx.is_file():
        return None
    parts = json.loads(page)
    return RenderedBriefing(briefing, parts["body"], parts["references"],
                            tuple(tuple(h) for h in parts["headings"]), pdf, docx, from_cache=True)


def _scratch(cache: ContentCache) -> Path:
    path = cache.root / "scratch"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _style_request(context: RenderContext) -> dict:
    facts = style_facts(context.config.style_file)
    return {"note_style": facts.note_style, "own_labels": list(facts.own_labels)}
