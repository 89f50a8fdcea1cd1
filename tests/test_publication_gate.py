"""The publication gate (issue 6): drafts, notes in review, embargoed notes and anything above
OFFICIAL never reach any public output; previews and restricted copies go elsewhere, marked."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pypdf
import pytest
import yaml
from conftest import SAMPLE_NOW, copy_sample_project, free_port, run_council

from council.publish.gate import readable_text
from council.render.formats import DOWNLOADS

SENTINELS = {
    "draft": "SENTINEL-DRAFT-4f1c",
    "review": "SENTINEL-REVIEW-77aa",
    "embargoed": "SENTINEL-EMBARGO-93d0",
    "sensitive": "SENTINEL-SENSITIVE-c2e8",
}
CITED = "foreigncommonwealthanddevelopmentofficeUKApproachPreventing2019"


def sentinel_note(kind: str) -> str:
    word = SENTINELS[kind]
    front = {
        "title": f"Withheld {word}",
        "summary": f"Summary {word}",
        "key_points": [f"Point {word}", "Another"],
        "authors": [f"Author {word}"],
        "date": "2026-10-01",
        "status": "published",
        "workstreams": ["organised-crime"],
        "countries": ["TCD"],
        "answers": [],
    }
    if kind in ("draft", "review"):
        front["status"] = kind
    if kind == "embargoed":
        front["embargo_until"] = "2027-06-01T09:00:00Z"
    if kind == "sensitive":
        front["classification"] = "OFFICIAL-SENSITIVE"
    return "---\n" + yaml.safe_dump(front, sort_keys=False) + f"---\n\n## Findings {word}\n\nBody {word} [@{CITED}].\n"


@pytest.fixture(scope="module")
def gated_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_sample_project(tmp_path_factory.mktemp("gated"))
    for kind in SENTINELS:
        (root / "briefings" / f"withheld-{kind}.md").write_text(sentinel_note(kind), encoding="utf-8")
    run_council("build", "--quiet", "--now", SAMPLE_NOW, cwd=root, check=True)
    return root


def public_text(site: Path) -> str:
    """Everything a visitor could fetch, every output format's files included (each read by the
    extractor its format registers), as text."""
    return "\n".join(readable_text(path) for path in sorted(site.rglob("*")) if path.is_file())


def test_no_withheld_note_reaches_any_public_file(gated_project: Path) -> None:
    text = public_text(gated_project / "site")
    for kind, word in SENTINELS.items():
        assert word not in text, f"the {kind} note leaked"
    assert (gated_project / "site" / "search" / "search_index.json").exists()
    assert (gated_project / "site" / "feed.xml").exists()


def test_withheld_notes_do_not_create_topic_pages_or_library_citations(gated_project: Path) -> None:
    site = gated_project / "site"
    assert not list(site.rglob("*chad*")) and not list(site.rglob("*tcd*"))
    for page in site.glob("library/**/index.html"):  # the overview and every letter page
        assert "withheld-" not in page.read_text()


def test_sensitive_published_notes_go_only_to_the_restricted_folder(gated_project: Path) -> None:
    restricted = gated_project / "build" / "restricted" / "briefings"
    assert sorted(p.name for p in restricted.iterdir()) == sorted(f.file_name("withheld-sensitive") for f in DOWNLOADS)
    reader = pypdf.PdfReader(restricted / "withheld-sensitive.pdf")
    for page in reader.pages:
        lines = [line for line in page.extract_text().split("\n") if line.strip()]
        assert lines[0].strip() == "OFFICIAL-SENSITIVE" and "OFFICIAL-SENSITIVE" in lines[-1]
    import docx

    word = docx.Document(str(restricted / "withheld-sensitive.docx"))
    assert [p.text for p in word.sections[0].header.paragraphs] == ["OFFICIAL-SENSITIVE"]


def test_embargoed_note_appears_once_its_moment_passes(gated_project: Path, tmp_path: Path) -> None:
    root = copy_sample_project(tmp_path / "later")
    (root / "briefings" / "withheld-embargoed.md").write_text(sentinel_note("embargoed"), encoding="utf-8")
    run_council("build", "--quiet", "--now", "2027-06-01T09:00:00Z", cwd=root, check=True)
    assert SENTINELS["embargoed"] in (root / "site" / "briefings" / "withheld-embargoed" / "index.html").read_text()


def test_serve_drafts_previews_them_under_a_banner_without_touching_the_site(gated_project: Path) -> None:
    before = sorted(p.name for p in (gated_project / "site" / "briefings").iterdir())
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "council", "serve", "--drafts", "--port", str(port)],
        cwd=gated_project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        page = None
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/briefings/withheld-draft/") as response:
                    page = response.read().decode()
                break
            except OSError:
                time.sleep(0.5)
        assert page is not None, "the preview server never answered"
        assert "DRAFT: not for publication" in page and SENTINELS["draft"] in page
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/briefings/withheld-embargoed/") as response:
            assert "EMBARGOED until 01 June 2027" in response.read().decode()
        for hidden in ("withheld-sensitive",):
            with pytest.raises(OSError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}/briefings/{hidden}/")
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert sorted(p.name for p in (gated_project / "site" / "briefings").iterdir()) == before


def test_laid_reports_carry_no_marking_on_their_word_pages_and_annexes_stay_restricted(gated_project: Path) -> None:
    """A paper laid before Parliament is public: without `security_marking` in report.yml (the sample
    has none) its pages carry no marking, only the page numbers; the classified annex stays apart."""
    import docx

    reports = sorted((gated_project / "site" / "reports").glob("*/*.docx"))
    assert reports, "the sample has reports to Parliament"
    for path in reports:
        sections = docx.Document(str(path)).sections
        for number, section in enumerate(sections, start=1):
            assert "OFFICIAL" not in " ".join(p.text for p in section.header.paragraphs)
            footer = " ".join(p.text for p in section.footer.paragraphs)
            # the title page and verso are sections without a folio; the body's pages are numbered
            assert "OFFICIAL" not in footer and footer.startswith("Page ") == (number == len(sections)), number
    annexes = list((gated_project / "build" / "restricted").glob("*/*-classified-annex.pdf"))
    assert annexes, "council build keeps each classified annex in build/restricted/"
    public = {p.name for p in (gated_project / "site").rglob("*")}
    assert not any("classified-annex" in name for name in public)
