"""Stage 1 - bibliography: real-world BibTeX/BibLaTeX loads without losing an entry, and the CSL JSON
handed to citeproc keeps accents, corporate authors, inherited fields, dates and identifiers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import CORPORA_DIR, REPO

from council.base.cache import ContentCache
from council.sources.bibliography import load_bib_file

CORPORA = sorted(CORPORA_DIR.glob("*.bib"))
FIXTURE = REPO / "tests" / "fixtures" / "bib" / "zotero-legal.bib"
NOT_WORKS = {"string", "comment", "preamble"}


def count_entry_starts(text: str) -> int:
    """An independent count: every '@type{' at the start of a line, less the blocks that are not works."""
    types = re.findall(r"^\s*@\s*([A-Za-z]+)\s*[{(]", text, re.M)
    return sum(1 for t in types if t.lower() not in NOT_WORKS)


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> ContentCache:
    return ContentCache(tmp_path_factory.mktemp("bibcache"))


def test_the_corpora_fixtures_are_there() -> None:
    assert {p.name for p in CORPORA} >= {"biblatex-examples.bib", "bbt-bracebalancer.bib"}


@pytest.mark.parametrize("path", CORPORA, ids=lambda p: p.name)
def test_every_entry_of_a_real_world_file_loads(path: Path, cache: ContentCache) -> None:
    text = path.read_text(encoding="utf-8")
    expected = count_entry_starts(text)
    loaded = load_bib_file(path, cache)
    assert loaded.problems == []
    assert len(loaded.entries) == expected
    assert len(loaded.csl) == expected, "every entry must reach citeproc as CSL JSON"
    assert set(loaded.csl) == {e.key for e in loaded.entries}
    untitled = {e.key for e in loaded.entries if e.entry_type != "set"} - {
        key for key, item in loaded.csl.items() if item.get("title") or item.get("container-title")
    }
    assert untitled == set(), "only @set entries (groups of other entries) have no title of their own"


def test_biblatex_examples_keep_macros_accents_crossref_ranges_and_identifiers(cache: ContentCache) -> None:
    csl = load_bib_file(CORPORA_DIR / "biblatex-examples.bib", cache).csl
    # @string macro: journaltitle = jomch
    assert csl["aksin"]["container-title"] == "J.\u00a0Organomet. Chem."  # ~ is a no-break space
    # LaTeX accents and the dotless i: Aks{\i}n, {\"O}zge, {\c{C}}etinkaya
    names = [(a.get("family"), a.get("given")) for a in csl["aksin"]["author"]]
    assert ("Aksın", "Özge") in names and ("Çetinkaya", "Bekir") in names
    # crossref: westfahl:space inherits the book's title, editor and publisher from westfahl:frontier
    chapter = csl["westfahl:space"]
    assert chapter["container-title"].startswith("Space and beyond")
    assert chapter["publisher"] == "Greenwood" and chapter["editor"][0]["family"] == "Westfahl"
    # a date range (date = {1984/1986}), urldate, doi and eprint
    assert csl["knuth:ct"]["issued"]["date-parts"] == [[1984], [1986]]
    assert csl["ctan"]["accessed"]["date-parts"] == [[2006, 10, 1]]
    assert csl["sigfridsson"]["DOI"].startswith("10.1002/(SICI)1096-987X")
    assert csl["baez/article"]["URL"] == "https://arxiv.org/abs/math/0307200v3"


def test_zotero_exports_keep_umlauts_and_corporate_authors_whole(cache: ContentCache) -> None:
    umlaut = load_bib_file(CORPORA_DIR / "bbt-german-umlaut-146.bib", cache).csl["Kaufmann1995"]
    assert umlaut["title"] == "Planung öffentlicher Elektrizitätsverteilungs-Systeme"
    oecd = load_bib_file(CORPORA_DIR / "bbt-html-entities-253.bib", cache).csl["oecd_making_2014"]
    assert oecd["author"] == [{"literal": "OECD"}, {"literal": "UNDP"}]
    # a literal list written without braces: biblatex prints it back with "and", so must we
    assert oecd["publisher"] == "Organisation for Economic Co-operation and Development"


def test_law_and_policy_types_and_hand_written_tex(cache: ContentCache) -> None:
    loaded = load_bib_file(FIXTURE, cache)
    assert loaded.problems == []
    # the @xdata block is shared data, not a work: every other entry is loaded
    assert len(loaded.entries) == count_entry_starts(FIXTURE.read_text(encoding="utf-8")) - 1
    csl = loaded.csl
    assert csl["wieselAct"]["type"] == "legislation"
    case = csl["gambiaMyanmar"]
    assert case["type"] == "legal_case" and case["authority"] == "ICJ" and case["number"] == "178"
    assert case["issued"]["date-parts"] == [[2019, 11, 11]]
    assert csl["fac2021"]["author"] == [{"literal": "Foreign Affairs Committee"}]
    assert csl["fac2021"]["publisher"] == "House of Commons"  # from its @xdata
    assert csl["fac2021"]["genre"] == "Second Report of Session 2021–22"  # TeX "--" is an en dash
    assert csl["dalessandraBrief"]["publisher"] == "Oxford Institute for Ethics, Law and Armed Conflict"  # @string
    assert csl["dalessandraBrief"]["accessed"]["date-parts"] == [[2023, 1, 31]]
    papers = csl["sessionPapers"]
    assert [e["family"] for e in papers["editor"]] == ["Pandé", "Müller", "Gaßner"]
    assert papers["editor"][2]["given"] == "Françoise"
    assert papers["issued"]["date-parts"] == [[2019], [2021]]
    # TeX's "~" is a no-break space, "\&" an ampersand, \textit italics
    assert papers["note"] == "Sections 3\u00a0and 4 & annexes, <i>passim</i>"
    chapter = csl["sessionChapter"]
    assert chapter["container-title"] == "Papers of the session"
    assert chapter["publisher"] == "Organisation for Economic Co-operation and Development"
    assert csl["arxivPaper"]["URL"] == "https://arxiv.org/abs/2001.01234"


def test_one_broken_entry_does_not_cost_the_rest_of_the_file(tmp_path: Path, cache: ContentCache) -> None:
    path = tmp_path / "mixed.bib"
    path.write_text(
        FIXTURE.read_text(encoding="utf-8") + "\n@book{broken,\n  title = {Never closed,\n", encoding="utf-8"
    )
    loaded = load_bib_file(path, cache)
    assert len(loaded.entries) == count_entry_starts(FIXTURE.read_text(encoding="utf-8")) - 1
    [problem] = loaded.problems
    broken_line = path.read_text(encoding="utf-8").split("\n").index("@book{broken,") + 1
    assert problem.location.line == broken_line
    assert "Never closed" in problem.message


def test_the_shipped_bibliography_loads_completely(cache: ContentCache) -> None:
    path = REPO / "bibliography" / "atrocity-prevention.bib"
    loaded = load_bib_file(path, cache)
    assert loaded.problems == []
    assert len(loaded.csl) == count_entry_starts(path.read_text(encoding="utf-8"))
