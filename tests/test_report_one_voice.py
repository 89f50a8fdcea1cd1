"""One voice: a generated paragraph is left out where the author's section already quotes the figures it
states, and what is generated reads as sentences, with names cased by their place in the sentence. The
report is built from copies of the fixtures (`council report`) and read back from the PDF's text."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import REPO, TinyProject

from council.report.figures import listed

GENERATED_TRAINING = "staff completed atrocity prevention training on"


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = TinyProject(tmp_path_factory.mktemp("one-voice"))
    for period in ("2024-25", "2025-26"):
        shutil.copytree(REPO / "tests" / "fixtures" / "reports" / period, project.root / "reports" / period)
    training = project.root / "reports" / "2025-26" / "f-training.md"
    training.write_text(
        training.read_text(encoding="utf-8") + "\nCourses trained []{.figure key=training.staff} staff.\n",
        encoding="utf-8",
    )
    efforts = project.root / "reports" / "2025-26" / "a-current-efforts.md"
    efforts.write_text(
        efforts.read_text(encoding="utf-8") + "\n[]{#para-labelled-point}A labelled point on early warning.\n",
        encoding="utf-8",
    )
    conclusions = project.root / "reports" / "2025-26" / "conclusions.md"
    conclusions.write_text(
        conclusions.read_text(encoding="utf-8") + "\n1. Act on early warning (paragraph @para-labelled-point).\n",
        encoding="utf-8",
    )
    for period in ("2024-25", "2025-26"):
        result = project.council("report", period)
        assert result.returncode == 0, result.stderr
    return project.root / "build" / "reports"


def text_of(reports: Path, period: str) -> str:
    pdf = reports / period / f"report-{period}.pdf"
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", " ", out)


def test_a_generated_paragraph_is_left_out_where_the_author_quotes_its_figures(reports: Path) -> None:
    assert GENERATED_TRAINING in text_of(reports, "2024-25")  # the author wrote no training figures
    assert GENERATED_TRAINING not in text_of(reports, "2025-26")  # the author quotes training.staff


def test_watch_list_changes_are_sentences_not_fragments(reports: Path) -> None:
    text = text_of(reports, "2025-26")  # the fixture adds Burkina Faso and Haiti and drops Ethiopia
    assert "Burkina Faso and Haiti were added during the year." in text
    assert "Ethiopia was removed from it." in text
    assert not re.search(r"(Added during the year|Removed|Risk level raised|Risk level lowered):", text)


@pytest.mark.parametrize(
    ("names", "starts", "said"),
    [
        (("The Democratic Republic of the Congo",), False, "the Democratic Republic of the Congo"),
        (("The Democratic Republic of the Congo",), True, "The Democratic Republic of the Congo"),
        (("Haiti", "The Gambia"), True, "Haiti and the Gambia"),
        (("The Gambia", "Haiti", "Nigeria"), True, "The Gambia, Haiti and Nigeria"),
        (("Theodoria", "Mali"), False, "Theodoria and Mali"),  # "The" only as a word of its own
    ],
)
def test_names_are_cased_by_their_place_in_the_sentence(names: tuple[str, ...], starts: bool, said: str) -> None:
    assert listed(names, starts_sentence=starts) == said


WORDS = {1: "One", 2: "Two", 3: "Three", 4: "Four"}
NOTES = {  # data file -> the note's noun, singular and plural
    "actions.csv": ("action", "actions"),
    "funding.csv": ("funding record", "funding records"),
    "countries-at-risk.csv": ("watch-list entry", "watch-list entries"),
}


def withheld(period: str, name: str) -> int:
    """Rows marked above OFFICIAL in the fixture's own file (actions: dated within the period)."""
    folder = REPO / "tests" / "fixtures" / "reports" / period
    meta = yaml.safe_load((folder / "report.yml").read_text(encoding="utf-8"))
    with open(folder / name, encoding="utf-8", newline="") as stream:
        rows = [r for r in csv.DictReader(stream) if r.get("classification", "").strip() not in ("", "OFFICIAL")]
    if name == "actions.csv":
        start, end = str(meta["period_start"]), str(meta["period_end"])
        rows = [r for r in rows if start <= r["date"] <= end]
    return len(rows)


def test_rows_left_out_of_the_tables_are_counted_in_a_note(reports: Path) -> None:
    text = text_of(reports, "2025-26")
    for name, (singular, plural) in NOTES.items():
        count = withheld("2025-26", name)
        assert count > 0, name  # the fixture withholds one of each
        noun = singular if count == 1 else plural
        assert f"{WORDS[count]} {noun} marked above OFFICIAL" in text, name
    assert "marked above OFFICIAL" not in text_of(reports, "2024-25")  # nothing withheld there


def test_the_rounding_of_shares_is_stated_under_the_table_that_shows_them(reports: Path) -> None:
    text = text_of(reports, "2025-26")
    assert "Share" in text and "largest remainder method" in text


def public_rows(period: str, name: str) -> list[dict[str, str]]:
    folder = REPO / "tests" / "fixtures" / "reports" / period
    meta = yaml.safe_load((folder / "report.yml").read_text(encoding="utf-8"))
    with open(folder / name, encoding="utf-8", newline="") as stream:
        rows = [r for r in csv.DictReader(stream) if r.get("classification", "").strip() in ("", "OFFICIAL")]
    if name == "actions.csv":
        rows = [r for r in rows if str(meta["period_start"]) <= r["date"] <= str(meta["period_end"])]
    return rows


def said_in_words(pounds: int) -> str:
    """GOV.UK's way, written here independently: '£3.14 million' from a million, '£300,000' below."""
    if pounds < 1_000_000:
        return f"£{pounds:,}"
    return ("£%.2f" % (pounds / 1_000_000)).rstrip("0").rstrip(".") + " million"


def movement(now: int, before: int, said) -> str:  # type: ignore[no-untyped-def]
    if now == before:
        return "unchanged"
    return ("up " if now > before else "down ") + said(abs(now - before))


def test_changes_on_the_year_read_as_govuk_writes_them(reports: Path) -> None:
    text = text_of(reports, "2025-26")
    actions = [len(public_rows(p, "actions.csv")) for p in ("2025-26", "2024-25")]
    moved = movement(actions[0], actions[1], lambda n: f"{n:,}")
    assert f"Departments recorded {actions[0]} actions in 2025-26, {moved} from {actions[1]} in 2024-25." in text
    spent = [sum(int(r["amount_gbp"]) for r in public_rows(p, "funding.csv")) for p in ("2025-26", "2024-25")]
    moved = movement(spent[0], spent[1], said_in_words)
    assert f", {moved} from {said_in_words(spent[1])} in 2024-25." in text
    assert not re.search(r"\((\+|−)[£\d]", text), "no spreadsheet-style (+9) in the sentences"


def test_a_paragraph_named_with_at_para_is_numbered_by_the_build(reports: Path) -> None:
    text = text_of(reports, "2025-26")
    number = re.search(r"(\d+)\. A labelled point on early warning\.", text)
    assert number, "the labelled paragraph is numbered"
    assert f"C1. Act on early warning (paragraph {number.group(1)})." in text
