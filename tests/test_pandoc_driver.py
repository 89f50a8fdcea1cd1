"""One pandoc driver (issue 13): a briefing and the report to Parliament go through the same Lua code for
citations, so each citation form renders the same in both. Real pandoc, through the worker both use."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from conftest import REPO

from council.base.cache import ContentCache
from council.base.style_catalogue import style_path
from council.render.docx_reference import reference_docx, table_geometry
from council.render.pandoc_worker import (
    BriefingRequest,
    CitationStyle,
    DocumentRequest,
    PandocWorker,
    citation_style,
)

WORKS = [
    {
        "id": "sharmaBook2015",
        "type": "book",
        "title": "The Responsibility to Prevent",
        "author": [{"family": "Sharma", "given": "Serena"}, {"family": "Welsh", "given": "Jennifer"}],
        "publisher": "Oxford University Press",
        "publisher-place": "Oxford",
        "issued": {"date-parts": [[2015]]},
    },
    {
        "id": "fcdoReport2019",
        "type": "report",
        "title": "UK Approach to Preventing Mass Atrocities",
        "author": [{"literal": "Foreign, Commonwealth and Development Office"}],
        "publisher": "FCDO",
        "issued": {"date-parts": [[2019, 5, 1]]},
    },
]

# Each form on its own line, so the footnotes pair up one to one.
FORMS = [
    "Pages without full stops [@sharmaBook2015, p 3].",
    "A range of paragraphs [@fcdoReport2019, paras 4-6].",
    "A chapter with a prefix [see @sharmaBook2015, ch 2].",
    "Two works at once [@sharmaBook2015, pp 10-12; @fcdoReport2019, para 7].",
    "A citation inside the author's own note.^[As argued in [@sharmaBook2015, p 9].]",
    "A locator and more text [@fcdoReport2019, s 5 and passim].",
    "Ibid follows [@fcdoReport2019, p 4].",
]


def _style(style: str) -> CitationStyle:
    path = style_path(style, REPO)  # a packaged style, as council.yml names it
    assert path is not None
    return citation_style(path, path, json.dumps(WORKS), "en-GB")


def _footnotes(html: str) -> list[str]:
    notes = re.findall(r'<li id="fn\d+"><p>(.*?)<a href="#fnref', html, re.S)
    return [re.sub(r"<[^>]+>", "", note).strip() for note in notes]


def _paragraphs(html: str) -> list[str]:
    """Body paragraphs as text, without the report's paragraph numbers and footnote markers."""
    body = html.split('<section id="footnotes"', 1)[0]
    paragraphs = re.findall(r"<p>(.*?)</p>", body, re.S)
    texts = [re.sub(r"<[^>]+>", "", re.sub(r'<a href="#fn\d+".*?</a>', "", p)) for p in paragraphs]
    return [re.sub(r"^\d+\. ", "", t).strip() for t in texts]


@pytest.mark.parametrize("style", ["oscola", "chicago-notes-bibliography"])
def test_each_citation_form_renders_the_same_in_a_briefing_and_in_the_report(style: str) -> None:
    markdown = "\n\n".join(FORMS) + "\n"
    citation = _style(style)
    briefing = BriefingRequest(
        markdown=markdown, style=citation, references_title="References", images={}, abbreviations={}, documents=()
    )
    report = {
        "kind": "report",
        "style": citation,
        "references_title": "References",
        "html_charts_prefix": "",
        "typst_charts_prefix": "/",
        "docx_charts_dir": ".",
        "documents": [],
        "annexes": [],
        "sections": [{"id": "findings", "title": "Findings", "numbered": True, "pieces": [{"markdown": markdown}]}],
    }
    with PandocWorker() as worker:
        in_briefing = worker.render(briefing)
        in_report = worker.render(report, "the report")
    notes = _footnotes(in_briefing["html"])
    assert len(notes) == len(FORMS)  # one note per form: each rendered, none merged or lost
    assert notes == _footnotes(in_report["html"])
    assert _paragraphs(in_briefing["html"]) == _paragraphs(in_report["html"])
    # the locator labels were understood (both styles print pages as a bare number), not left as text,
    # and the citation in the author's own note lost its brackets
    assert not any(re.search(r"\bpp? \d", note) for note in notes), notes
    assert notes[0].endswith(" 3."), notes[0]
    assert notes[4].startswith("As argued in Sharma and Welsh") and "(Sharma" not in notes[4], notes[4]
    # the typst (PDF) text of each footnote is the same too
    assert re.findall(r"#footnote\[(.*?)\]", in_briefing["typst"]) == re.findall(
        r"#footnote\[(.*?)\]", in_report["typst"]
    )


def test_driver_sets_the_same_fixed_date_for_every_document(tmp_path: Path) -> None:
    """SOURCE_DATE_EPOCH is set in one place for every pandoc the driver starts: the Word file a briefing
    makes carries the same fixed ZIP dates as the report's."""
    citation = _style("oscola")
    reference = reference_docx("OFFICIAL", ContentCache(tmp_path / "cache"))
    document = DocumentRequest(
        writer="docx",
        path=str(tmp_path / "a.docx"),
        reference_doc=str(reference),
        front="",
        meta={"title": "A"},
        table=table_geometry(),
    )
    request = BriefingRequest(
        markdown="Text [@sharmaBook2015, p 3].\n",
        style=citation,
        references_title="References",
        images={},
        abbreviations={},
        documents=(document,),
    )
    with PandocWorker() as worker:
        worker.render(request)
    with zipfile.ZipFile(tmp_path / "a.docx") as archive:
        assert {info.date_time[:3] for info in archive.infolist()} == {(1980, 1, 1)}
