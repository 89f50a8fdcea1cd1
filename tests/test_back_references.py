"""Back-references: every "(n K)" a footnote carries points at footnote K, and footnote K cites that work,
in every output a reader may hold: the site page (HTML), the PDF's text layer and the Word file, for
each report to Parliament and each briefing.

The project is built from copies of the report fixtures with citations written into them in tmp_path:
the summary cites legislation first (the note the report's old numbering skipped), the narrative cites
the brief that recommendations I to VI come from, and the report's generated sentence cites it again,
so its footnote must read "(n K)" with K the narrative's note. A briefing mixes citations in the text,
an author's own footnote holding a citation, and later short forms.

The oracle is the notes themselves, read back from each format: the words a short form names
("D'Alessandra and Whidden (n 2)") must stand in note 2, which comes before it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pdfplumber
import pytest
from conftest import REPO, TinyProject
from test_cross_format import site_footnotes, word_footnotes

from council.report.document import RECOMMENDATIONS_SOURCE

PERIODS = ("2024-25", "2025-26")
BIB = f"""\
@legislation{{wieselAct2019,
  title = {{{{Elie Wiesel Genocide and Atrocities Prevention Act of 2018}}}},
  author = {{{{United States Congress}}}},
  journaltitle = {{Pub L No 115-441}},
  eventdate = {{2019-01-14}},
}}

@report{{{RECOMMENDATIONS_SOURCE},
  title = {{Developing a {{UK}} Atrocity Prevention Strategy}},
  author = {{D'Alessandra, Federica and Whidden, Gwendolyn}},
  date = {{2023-01}},
  type = {{Policy brief}},
  institution = {{{{Oxford Institute for Ethics, Law and Armed Conflict}}}},
}}

@book{{jacobMainstreaming2020,
  title = {{Mainstreaming Atrocity Prevention}},
  author = {{Jacob, Cecilia}},
  publisher = {{Oxford University Press}},
  location = {{Oxford}},
  date = {{2020}},
}}

@report{{carverDifference2021,
  title = {{Being the Difference}},
  author = {{Carver, Fred and Ferguson, Kate}},
  institution = {{Protection Approaches}},
  date = {{2021}},
}}
"""
# Appended to each period's narrative: section file -> text. The order of the sections in the report is
# the order of these notes: the summary's legislation first.
CITATIONS = {
    "summary.md": "It follows the items the Act asks for [@wieselAct2019].",
    "a-current-efforts.md": (
        f"Departments took up the brief's first recommendation [@{RECOMMENDATIONS_SOURCE}, 4]. "
        "Mainstreaming matters [@jacobMainstreaming2020]."
    ),
    "b-strengthening.md": "Others have set out what states can do [@carverDifference2021; @jacobMainstreaming2020, 12].",
    "c-funding.md": f"Funding followed the brief [@{RECOMMENDATIONS_SOURCE}, 7].",
}
BRIEFING = """\
The Act sets the frame [@wieselAct2019]. The brief made six recommendations [@{source}].

A note of the author's own.^[On states' options, see @carverDifference2021 and [@jacobMainstreaming2020, 3].]

As @{source} argue, and as others agree [@carverDifference2021, 9], the work is shared [@jacobMainstreaming2020].
"""


def with_cited_reports(root: Path) -> None:
    for period in PERIODS:
        folder = root / "reports" / period
        shutil.copytree(REPO / "tests" / "fixtures" / "reports" / period, folder)
        for name, text in CITATIONS.items():
            path = folder / name
            path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + text + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = TinyProject(tmp_path_factory.mktemp("back-references"))
    project.bib("library.bib", BIB)
    with_cited_reports(project.root)
    project.note("cited.md", body=BRIEFING.format(source=RECOMMENDATIONS_SOURCE), title="Cited")
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project.site


# --- the notes of each format, numbered as a reader sees them ------------------------------------


def pdf_footnotes(path: Path) -> list[str]:
    """The PDF's footnotes in order, read below each page's footnote rule (the short line typst draws
    at the left margin) and above the footer: each note starts a line with the next number, written
    against its text (the number is a superscript)."""
    notes: list[str] = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            rules = [line["top"] for line in page.lines if line["top"] == line["bottom"] and 50 < line["width"] < 250]
            if not rules:
                continue
            area = page.crop((0, max(rules), page.width, page.height - 60))
            for line in (area.extract_text() or "").splitlines():
                following = str(len(notes) + 1)
                if line.startswith(following) and line[len(following) : len(following) + 1] not in ("", *"0123456789"):
                    notes.append(line[len(following) :])
                elif notes:
                    notes[-1] += " " + line
    return notes


def report_outputs(site: Path, period: str) -> dict[str, list[str]]:
    folder = site / "reports" / period
    return {
        "html": site_footnotes(folder),
        "pdf": pdf_footnotes(next(folder.glob("*.pdf"))),
        "docx": word_footnotes(next(folder.glob("*.docx"))),
    }


def briefing_outputs(site: Path, slug: str) -> dict[str, list[str]]:
    folder = site / "briefings" / slug
    return {
        "html": site_footnotes(folder),
        "pdf": pdf_footnotes(next(folder.glob("*.pdf"))),
        "docx": word_footnotes(next(folder.glob("*.docx"))),
    }


# --- the invariant ---------------------------------------------------------------------------------

BACK_REFERENCE = re.compile(r"([^;.()]*?)\(n (\d+)\)")
NAME = re.compile(r"[A-Z][\w’'\-]+")


def back_reference_problems(notes: list[str]) -> list[str]:
    """Each "(n K)" in note N: K before N, and every capitalised word of the short form before it (the
    authors' names or a short title) stands in note K. A short form after an author named in the text
    ("As Doe argues" gives "(n 2)") has no words of its own to check."""
    problems = []
    for number, text in enumerate(notes, start=1):
        for found in BACK_REFERENCE.finditer(text):
            target, names = int(found.group(2)), NAME.findall(found.group(1))
            if not 0 < target < number:
                problems.append(f"note {number} points at note {target}: {text!r}")
            elif any(name not in notes[target - 1] for name in names):
                problems.append(f"note {number}: {found.group(0)!r} but note {target} is {notes[target - 1]!r}")
    return problems


def back_references(notes: list[str]) -> int:
    return sum(len(BACK_REFERENCE.findall(text)) for text in notes)


@pytest.mark.parametrize("period", PERIODS)
def test_every_back_reference_in_the_report_points_at_the_note_citing_that_work(built: Path, period: str) -> None:
    outputs = report_outputs(built, period)
    for kind, notes in outputs.items():
        assert back_references(notes) >= 3, (kind, notes)  # the narrative's and the generated sentence's
        assert back_reference_problems(notes) == [], kind
    # the three formats carry the same notes
    assert len(outputs["html"]) == len(outputs["pdf"]) == len(outputs["docx"]), {k: len(v) for k, v in outputs.items()}


def test_the_generated_sentence_cites_back_to_the_narratives_note(built: Path) -> None:
    """The recommendations' source, cited by the narrative first: the generated sentence's note is a
    short form pointing at that first note."""
    for period in PERIODS:
        notes = report_outputs(built, period)["html"]
        first = next(i for i, text in enumerate(notes, start=1) if "Developing a UK Atrocity" in text)
        assert any(f"D’Alessandra and Whidden (n {first})" in text for text in notes[first:]), notes


def test_every_back_reference_in_a_briefing_points_at_the_note_citing_that_work(built: Path) -> None:
    for kind, notes in briefing_outputs(built, "cited").items():
        assert back_references(notes) >= 2, (kind, notes)
        assert back_reference_problems(notes) == [], kind
