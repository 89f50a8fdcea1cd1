"""Render one briefing into its outputs (render/formats.py), reusing cached results keyed by every input."""

from __future__ import annotations

import calendar
import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from council.base import checkpoints
from council.base.cache import ContentCache
from council.base.config import ProjectConfig
from council.base.keys import SharedInputs, render_key
from council.base.model import Briefing, DraftMarking, Library, RenderedBriefing
from council.base.vocabularies import country, vocabularies
from council.render.cite import CiteThis
from council.render.docx_reference import table_geometry
from council.render.formats import DOWNLOADS, OutputFormat, PandocDocument, TypstDocument
from council.render.images import fitted
from council.render.pandoc_worker import (
    DEFAULT_SOURCE_DATE_EPOCH,
    BriefingRequest,
    DocumentRequest,
    ImagePlaces,
    WorkerPool,
    citation_style,
    scratch_folder,
)
from council.render.pdf import compile_pdf
from council.render.templating import long_date, render_template
from council.sources.glossary import GlossaryEntry, terms_used
from council.sources.images import PRINT_WIDTH_PX, WEB_WIDTH_PX
from council.sources.safety import local_images

REFERENCES_TITLE = "References"


@dataclass(frozen=True)
class RenderContext:
    """What every briefing render shares: settings, library and the inputs every key covers."""

    config: ProjectConfig
    library: Library
    cache: ContentCache
    shared: SharedInputs  # the package, configuration, style and tool versions (keys.py)
    style_for_pandoc: Path  # the CSL style, compacted (citations/styles.py)
    # preview builds: slug -> how its copies are marked (publish/draft_marking.py); empty when publishing
    markings: dict[str, DraftMarking] = field(default_factory=dict)
    glossary: dict[str, GlossaryEntry] = field(default_factory=dict)  # glossary.yml, for abbreviations
    # slug -> its "Cite this briefing" reference (render/cite.py), for the PDF colophon and Word file
    citations: dict[str, CiteThis] = field(default_factory=dict)


def byline(briefing: Briefing) -> str:
    return f"{', '.join(briefing.authors)} · {long_date(briefing.date)} · {briefing.reading_minutes} min read"


def docx_epoch(briefing: Briefing) -> int:
    """The briefing's date as a SOURCE_DATE_EPOCH, for the Word file's created and modified dates: the
    date readers know it by, and the same bytes from the same sources. ZIP files hold no earlier date than
    1980-01-01."""
    return max(calendar.timegm(briefing.date.timetuple()), int(DEFAULT_SOURCE_DATE_EPOCH))


def keywords(briefing: Briefing) -> list[str]:
    """The PDF's and the Word file's keywords: the briefing's topics, by name."""
    vocab = vocabularies()
    return (
        [vocab["workstreams"].label(w) for w in briefing.workstreams]
        + [found.name if (found := country(c)) else c for c in briefing.countries]
        + [vocab["tools"].label(t) for t in briefing.tools]
        + [f"Recommendation {r}" for r in briefing.recommendations]
    )


@dataclass(frozen=True)
class PendingPdf:
    """A briefing whose page and Word file are ready and whose PDF is still to be compiled. PDFs are
    compiled last, while the site engine builds the pages, which need only the HTML."""

    key: str
    file: str  # its name in the cache entry (render/formats.py, a TypstDocument format)
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

    web_copies: tuple[tuple[Path, Path], ...] = ()  # (image, its copy for the page) of oversized images

    @property
    def media(self) -> tuple[tuple[str, Path], ...]:
        copies = dict(self.web_copies)
        return tuple((name, copies.get(source, source)) for _, source, name in self.images)


def render_inputs(briefing: Briefing, context: RenderContext) -> RenderInputs:
    references_json = json.dumps(context.library.subset(briefing.cited_keys), ensure_ascii=False, sort_keys=True)
    images = _images(briefing, context.config.root)
    marking = context.markings.get(briefing.slug)
    abbreviations = tuple((e.term, e.expansion) for e in terms_used(briefing, context.glossary))
    # the marking is part of the key: a published build never reuses a draft-marked file, nor the reverse
    citation = context.citations.get(briefing.slug)
    key = render_key(
        "briefing",
        context.shared,
        briefing,
        entries=references_json,
        images=[source for _, source, _ in images],
        derived=[repr(marking), repr(abbreviations), citation.html if citation else ""],
    )
    web = ((source, fitted(source, WEB_WIDTH_PX, context.cache)) for _, source, _ in images)
    copies = tuple((source, copy.copy) for source, copy in web if copy is not None)
    return RenderInputs(briefing, key, references_json, images, marking, abbreviations, copies)


def in_cache(inputs: RenderInputs, context: RenderContext) -> bool:
    """Whether the render cache holds the briefing's finished outputs for exactly these inputs."""
    return all(context.cache.holds(inputs.key, name) for name in _CACHED)


def cached_rendering(inputs: RenderInputs, context: RenderContext) -> RenderedBriefing | None:
    """The briefing's finished outputs, if the render cache holds them for exactly these inputs."""
    cached = _from_cache(inputs.briefing, context.cache, inputs.key)
    return None if cached is None else dataclasses.replace(cached, media=inputs.media, marking=inputs.marking)


def render_briefing(
    inputs: RenderInputs, context: RenderContext, workers: WorkerPool
) -> tuple[RenderedBriefing, PendingPdf]:
    """The briefing's page parts and the documents pandoc writes (Word); its PDF is compiled later
    from the PendingPdf returned here (`compile_pending_pdf`)."""
    briefing, key = inputs.briefing, inputs.key
    with scratch_folder(context.cache.root) as scratch:
        request = _request(inputs, context, scratch)
        answer = workers.worker().render(request)
        for fmt in _PANDOC_DOCUMENTS:
            context.cache.put(key, fmt.cache_name, (scratch / fmt.cache_name).read_bytes())
    headings = tuple((h["id"], h["text"]) for h in answer["headings"])
    page = json.dumps({"body": answer["html"], "references": answer["references_html"], "headings": headings})
    typst_source = render_template(
        _TYPST.renderer.template,  # type: ignore[union-attr]
        **_typst_context(briefing, context, answer["typst"], inputs.marking),
        abbreviations=inputs.abbreviations,
    )
    rendered = RenderedBriefing(
        briefing,
        answer["html"],
        answer["references_html"],
        headings,
        _outputs(context.cache, key),
        media=inputs.media,
        marking=inputs.marking,
    )
    return rendered, PendingPdf(key, _TYPST.cache_name, typst_source, briefing.path, page.encode())


def compile_pending_pdf(pending: PendingPdf, project_root: Path, cache: ContentCache) -> None:
    """Plain arguments: this runs in PDF worker processes (render/batch.py)."""
    cache.put(pending.key, pending.file, compile_pdf(pending.typst_source, pending.origin, project_root))
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


def _request(inputs: RenderInputs, context: RenderContext, scratch: Path) -> BriefingRequest:
    briefing, draft = inputs.briefing, inputs.marking
    marking = page_marking(briefing, draft)
    meta: dict[str, str | list[str]] = {
        "title": document_title(briefing, draft),
        "author": list(briefing.authors),
        "lang": briefing.lang,
        "date": long_date(briefing.date),
        "subject": "Research briefing",
        "description": briefing.summary,
        "keywords": keywords(briefing),
    }
    citation = context.citations.get(briefing.slug)
    documents = tuple(
        DocumentRequest(
            writer=fmt.renderer.writer,
            path=str(scratch / fmt.cache_name),  # type: ignore[union-attr]
            reference_doc=str(fmt.renderer.reference(marking, context.cache)),  # type: ignore[union-attr]
            front=render_template(
                fmt.renderer.front,
                briefing=briefing,
                marking=marking,  # type: ignore[union-attr]
                kicker="Research briefing",
                abbreviations=inputs.abbreviations,
            ),
            # publishing record: updates and "Cite this briefing" after the references
            back=render_template(
                fmt.renderer.back,
                briefing=briefing,  # type: ignore[union-attr]
                updates=sorted(briefing.updates, reverse=True),
                citation=citation,
            ),
            meta=meta,
            table=table_geometry(),
            epoch=docx_epoch(briefing),
        )
        for fmt in _PANDOC_DOCUMENTS
    )
    root = context.config.root
    return BriefingRequest(
        markdown=briefing.body,
        style=citation_style(
            context.config.style_file, context.style_for_pandoc, inputs.references_json, briefing.lang
        ),
        references_title=REFERENCES_TITLE,
        images={
            target: ImagePlaces(
                html=f"media/{name}",
                file=str(printed),
                typst="/" + printed.resolve().relative_to(root.resolve()).as_posix(),
            )
            for target, source, name in inputs.images
            for printed in [_printed(source, context)]
        },
        abbreviations=dict(inputs.abbreviations),
        documents=documents,
    )


def _printed(source: Path, context: RenderContext) -> Path:
    """The file the PDF and the Word file embed: a 300 dpi copy of an oversized image, inside the project
    (typst reads files only there), else the image itself."""
    copy = fitted(source, PRINT_WIDTH_PX, context.cache)
    root = context.config.root.resolve()
    return copy.copy if copy and copy.copy.resolve().is_relative_to(root) else source


def _typst_context(briefing: Briefing, context: RenderContext, body: str, draft: DraftMarking | None = None) -> dict:
    language, _, region = briefing.lang.partition("-")
    return {
        "briefing": briefing,
        "body": body,
        "language": language,
        "region": region,
        "marking": page_marking(briefing, draft),
        "title": document_title(briefing, draft),
        "organisation": context.config.organisation,
        "byline": byline(briefing),
        "keywords": keywords(briefing),
        "updates": sorted(briefing.updates, reverse=True),
        "citation": context.citations.get(briefing.slug),
    }


# The page's text parts in one small file; the other formats stay files that the site links to.
_PAGE = "page.json"
_PANDOC_DOCUMENTS: tuple[OutputFormat, ...] = tuple(f for f in DOWNLOADS if isinstance(f.renderer, PandocDocument))
_TYPST = next(f for f in DOWNLOADS if isinstance(f.renderer, TypstDocument))  # the PDF
_CACHED = (_PAGE, *(f.cache_name for f in DOWNLOADS))


def _outputs(cache: ContentCache, key: str) -> dict[str, Path]:
    return {f.name: cache.path(key, f.cache_name) for f in DOWNLOADS}


def _from_cache(briefing: Briefing, cache: ContentCache, key: str) -> RenderedBriefing | None:
    page = cache.get(key, _PAGE)
    outputs = _outputs(cache, key)
    if page is None or not all(cache.holds(key, f.cache_name) for f in DOWNLOADS):  # damaged: rebuilt
        return None
    parts = json.loads(page)
    return RenderedBriefing(
        briefing,
        parts["body"],
        parts["references"],
        tuple(tuple(h) for h in parts["headings"]),
        outputs,
        from_cache=True,
    )
