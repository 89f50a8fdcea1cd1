"""The narrative of a report to Parliament: which Markdown section files a period holds, in which order,
and how each is read (its classification, citations and paragraph labels).

Every problem names its file and line; the caller collects them with the rest of the period's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from council.base.errors import Location, SourceError
from council.base.model import Citation, Library
from council.base.vocabularies import nearest, vocabularies
from council.sources.citation_keys import find_citations, missing_keys
from council.sources.frontmatter import split_note
from council.sources.report_data import PUBLIC_MARKING
from council.sources.safety import unsafe_content
from council.sources.text import folder_above, read_source_text

# Paragraph labels and references in the narrative: `[]{#para-early-warning}` marks a paragraph;
# `@para-early-warning` (or `[](#para-early-warning)`) elsewhere becomes that paragraph's number.
LABEL = re.compile(r"\[\]\{#(para-[A-Za-z0-9_-]+)\}")
REFERENCE = re.compile(r"\[\]\(#(para-[A-Za-z0-9_-]+)\)|(?<![\w@\\])@(para-[A-Za-z0-9_-]*[A-Za-z0-9])")
PARAGRAPH_KEY = "para-"  # `@para-x` names a paragraph, never a work
# A computed figure quoted in the text, in pandoc's attribute syntax: `[]{.figure key=aia.triggers}`
# (report/quotable.py renders it with the value from the data). Anything else that names the class
# `figure` in an empty span is a mistyped reference.
FIGURE = re.compile(r"\[\]\{\.figure\s+key=(\"?)([A-Za-z0-9_.-]+)\1\s*\}")
FIGURE_LIKE = re.compile(r"\[\]\{[^{}\n]*\.figure\b[^{}\n]*\}")


# --- narrative sections -------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionSpec:
    key: str
    file: str
    title: str
    numbered: bool  # body paragraphs numbered 1..N run through these sections
    required: bool = True


# The report's sections in order: the Wiesel Act's items (A) to (F), then the UK additions.
SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("summary", "summary.md", "Summary", numbered=False),
    SectionSpec("current-efforts", "a-current-efforts.md", "(A) Current efforts and capabilities", True),
    SectionSpec("strengthening", "b-strengthening.md", "(B) Recommendations to strengthen capabilities", True),
    SectionSpec("funding", "c-funding.md", "(C) Funding for atrocity prevention", True),
    SectionSpec("assessment", "d-assessment.md", "(D) Ongoing atrocities and the efficacy of the response", True),
    SectionSpec("countries-at-risk", "e-countries-at-risk.md", "(E) Countries and regions at risk", True),
    SectionSpec("training", "f-training.md", "(F) Atrocity prevention training", True),
    SectionSpec("impact-assessments", "impact-assessments.md", "Atrocity Impact Assessments", True),
    SectionSpec("strategy-progress", "strategy-progress.md", "Progress on recommendations I to VI", True),
    SectionSpec("research-council", "research-council.md", "The Research Council's briefings", True, required=False),
    SectionSpec("conclusions", "conclusions.md", "Conclusions and recommendations", numbered=False),
    # Material above OFFICIAL: never in the published report, only in build/restricted/.
    SectionSpec("classified-annex", "classified-annex.md", "Classified annex", numbered=False, required=False),
)
RESTRICTED_ONLY = "classified-annex"
SECTION_FILES = {spec.file: spec for spec in SECTIONS}


@dataclass(frozen=True)
class Narrative:
    """One section's Markdown, as the author wrote it."""

    path: Path
    key: str
    body: str
    body_start_line: int
    classification: str = PUBLIC_MARKING
    citations: tuple[Citation, ...] = ()
    labels: tuple[tuple[str, int], ...] = ()  # (label, line)
    references: tuple[tuple[str, int, int], ...] = ()  # (label, line, column)
    figures: tuple[tuple[str, int, int], ...] = ()  # (figure key, line, column)


def load_narratives(folder: Path, library: Library, problems: list[SourceError]) -> dict[str, Narrative]:
    narratives: dict[str, Narrative] = {}
    for path in sorted(folder.glob("*.md")):
        if path.name.startswith(("_", ".")) or path.name == "README.md":
            continue
        spec = SECTION_FILES.get(path.name)
        if spec is None:
            guess = nearest(path.name, SECTION_FILES)
            problems.append(
                SourceError(
                    Location(path),
                    f"'{path.name}' is not one of the report's sections",
                    hint=f"did you mean '{guess[0]}'?" if guess else "sections are: " + ", ".join(SECTION_FILES),
                )
            )
            continue
        try:
            narrative = _load_narrative(path, spec)
        except SourceError as error:
            problems.append(error)
            continue
        problems.extend(missing_keys(narrative, library))  # type: ignore[arg-type]  # same path/citations shape
        # author text is data: the same content rules as briefings
        problems.extend(unsafe_content(path, narrative.body, narrative.body_start_line, folder.parent.parent))
        narratives[spec.key] = narrative
    for spec in SECTIONS:
        if spec.required and spec.key not in narratives and not (folder / spec.file).exists():
            problems.append(
                SourceError(
                    Location(folder / spec.file),
                    f"the section '{spec.title}' is missing",
                    hint=f"write it in {spec.file} (Markdown; citations as [@key])",
                )
            )
    return narratives


def _load_narrative(path: Path, spec: SectionSpec) -> Narrative:
    text = read_source_text(path, folder_above(path, 3))  # reports/<period>/<section>.md, inside the project
    classification, body, first_line = PUBLIC_MARKING, text, 1
    if text.startswith("---\n"):
        note = split_note(path, text)
        unknown = [k for k in note.front.values if k != "classification"]
        if unknown:
            raise SourceError(
                note.front.location(unknown[0]),
                f"unknown field '{unknown[0]}'",
                field=unknown[0],
                hint="a section's front matter may only give its classification",
            )
        classification = str(note.front.values.get("classification", PUBLIC_MARKING))
        if classification not in vocabularies()["classifications"]:
            raise SourceError(
                note.front.location("classification"),
                vocabularies()["classifications"].complaint(classification),
                field="classification",
                hint="OFFICIAL, or OFFICIAL-SENSITIVE to keep the section out of the published report",
            )
        body, first_line = note.body, note.body_start_line
    if spec.key == RESTRICTED_ONLY and classification == PUBLIC_MARKING:
        raise SourceError(
            Location(path, 1),
            "the classified annex is marked OFFICIAL",
            field="classification",
            hint="give it front matter 'classification: OFFICIAL-SENSITIVE', "
            "or move public text into one of the report's sections",
        )
    citations, _ = find_citations(path, body, first_line)
    citations = [c for c in citations if not c.key.startswith(PARAGRAPH_KEY)]
    lines = body.split("\n")
    labels = tuple((m.group(1), first_line + i) for i, line in enumerate(lines) for m in LABEL.finditer(line))
    references = tuple(
        (m.group(1) or m.group(2), first_line + i, m.start() + 1)
        for i, line in enumerate(lines)
        for m in REFERENCE.finditer(line)
    )
    figures = tuple(
        (m.group(2), first_line + i, m.start() + 1) for i, line in enumerate(lines) for m in FIGURE.finditer(line)
    )
    for i, line in enumerate(lines):
        for m in FIGURE_LIKE.finditer(line):
            if not FIGURE.fullmatch(m.group(0)):
                raise SourceError(
                    Location(path, first_line + i, m.start() + 1),
                    f"'{m.group(0)}' is not a figure reference",
                    hint="write it as []{.figure key=aia.triggers}: an empty span, the class "
                    "'figure' and the figure's key (`council report --check` lists the keys)",
                )
    return Narrative(path, spec.key, body, first_line, classification, tuple(citations), labels, references, figures)


def label_problems(narratives: dict[str, Narrative]) -> list[SourceError]:
    """Every '(paragraph N)' reference must point at a labelled paragraph of the public, numbered body."""
    numbered = {spec.key for spec in SECTIONS if spec.numbered}
    defined: dict[str, tuple[Path, int]] = {}
    problems = []
    for narrative in narratives.values():
        for label, line in narrative.labels:
            if label in defined:
                first = defined[label]
                problems.append(
                    SourceError(
                        Location(narrative.path, line),
                        f"the paragraph label '#{label}' is used twice (also at {Location(*first)})",
                        hint="give each labelled paragraph its own name",
                    )
                )
            elif narrative.key not in numbered or narrative.classification != PUBLIC_MARKING:
                problems.append(
                    SourceError(
                        Location(narrative.path, line),
                        f"'#{label}' labels a paragraph that has no number",
                        hint="only paragraphs of the public sections (A) to the Research "
                        "Council's briefings are numbered; label one of those",
                    )
                )
            else:
                defined[label] = (narrative.path, line)
    for narrative in narratives.values():
        for label, line, column in narrative.references:
            if label not in defined:
                guess = nearest(label, defined)
                problems.append(
                    SourceError(
                        Location(narrative.path, line, column),
                        f"'(#{label})' refers to no labelled paragraph",
                        hint=f"did you mean '#{guess[0]}'?"
                        if guess
                        else "label the paragraph with []{#" + label + "} in its section",
                    )
                )
    return problems
