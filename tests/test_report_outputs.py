"""The report to Parliament as clerks and readers meet it: every figure recomputed here from the CSV
files with the csv module and plain Python, then looked for in the PDF text (pypdf), the Word tables
(python-docx) and the site page; paragraph numbering and the "(paragraph N)" references; sections
(A) to (F) and the AIA section in all three outputs; the classified annex kept off the site."""

from __future__ import annotations

import csv
import datetime as dt
import html
import re
import statistics
from collections import Counter, defaultdict
from pathlib import Path

import docx
import pikepdf
import pycountry
import pypdf
import pytest
import yaml
from conftest import REPO, SAMPLE_NOW, run_council

PERIODS = sorted(p.name for p in (REPO / "reports").iterdir() if (p / "report.yml").is_file())
SECTION_TITLES = [
    "(A) Current efforts and capabilities",
    "(B) Recommendations to strengthen capabilities",
    "(C) Funding for atrocity prevention",
    "(D) Ongoing atrocities and the efficacy of the response",
    "(E) Countries and regions at risk",
    "(F) Atrocity prevention training",
    "Atrocity Impact Assessments",
]
MINUS = "\u2212"


# --- independent recomputation from the CSV files ----------------------------------------------


def rows(period: str, name: str, *, public_only: bool = True) -> list[dict[str, str]]:
    with open(REPO / "reports" / period / name, encoding="utf-8", newline="") as stream:
        found = [r for r in csv.DictReader(stream) if any(v.strip() for v in r.values())]
    if public_only:
        found = [r for r in found if r.get("classification", "").strip() in ("", "OFFICIAL")]
    return found


def meta(period: str) -> dict:
    return yaml.safe_load((REPO / "reports" / period / "report.yml").read_text(encoding="utf-8"))


def name_of(code: str) -> str:
    """ISO's name, said as a reader says it ('Congo, The Democratic Republic of the' reversed)."""
    found = pycountry.countries.get(alpha_3=code)
    name = getattr(found, "common_name", None) or found.name
    head, comma, tail = name.partition(", ")
    return f"{tail} {head}" if comma else name


def pounds(value: int) -> str:
    return f"£{value:,}"


def in_millions(value: int) -> str:
    """GOV.UK's way in a sentence: '£3.14 million' from a million, '£300,000' below."""
    return pounds(value) if value < 1_000_000 else ("£%.2f" % (value / 1_000_000)).rstrip("0").rstrip(".") + " million"


def moved(now: int, before: int, *, money: bool = False) -> str:
    """', up 9 from 29 in 2024-25' without the period: how a generated sentence says a change."""
    if now == before:
        return "unchanged"
    change = in_millions(abs(now - before)) if money else f"{abs(now - before):,}"
    return ("up " if now > before else "down ") + change


def signed(delta: int, *, money: bool = False) -> str:
    if delta == 0:
        return "no change"
    text = pounds(abs(delta)) if money else f"{abs(delta):,}"
    return ("+" if delta > 0 else MINUS) + text


def expected(period: str) -> dict:
    m = meta(period)
    start, end, target = m["period_start"], m["period_end"], m.get("aia_target_days", 90)
    actions = rows(period, "actions.csv")
    funding = rows(period, "funding.csv")
    training = rows(period, "training.csv")
    watch = rows(period, "countries-at-risk.csv")
    aias = rows(period, "impact-assessments.csv")
    date = dt.date.fromisoformat

    def in_period(value: str) -> bool:
        return bool(value) and start <= date(value) <= end

    completed = [a for a in aias if in_period(a["completed"])]
    took = [(date(a["completed"]) - date(a["trigger_date"])).days for a in completed]
    overdue = {}
    for a in aias:
        still_open = not a["completed"] or date(a["completed"]) > end
        age = (end - date(a["trigger_date"])).days
        if still_open and date(a["trigger_date"]) <= end and age > target:
            overdue[name_of(a["country"])] = age
    by_fund: dict[str, int] = defaultdict(int)
    by_country: dict[str, int] = defaultdict(int)
    for f in funding:
        by_fund[f["fund"]] += int(f["amount_gbp"])
        by_country[name_of(f["country"])] += int(f["amount_gbp"])
    figures = {
        "actions": len(actions),
        "departments": len({a["department"] for a in actions}),
        "countries": len({a["country"] for a in actions}),
        "by_tool": Counter(a["tool"] for a in actions),
        "by_department_tool": Counter((a["department"], a["tool"]) for a in actions),
        "funding": sum(by_fund.values()),
        "by_fund": dict(by_fund),
        "by_country": dict(by_country),
        "transitional_justice": sum(int(f["amount_gbp"]) for f in funding if f["purpose"] == "transitional-justice"),
        "funds": len(by_fund),
        "staff": sum(int(t["staff_trained"]) for t in training),
        "courses": len(training),
        "by_department_staff": Counter(
            {
                d: sum(int(t["staff_trained"]) for t in training if t["department"] == d)
                for d in {t["department"] for t in training}
            }
        ),
        "watch": len(watch),
        "triggers": sum(in_period(a["trigger_date"]) for a in aias),
        "started": sum(in_period(a["started"]) for a in aias),
        "completed": len(completed),
        "median": statistics.median(took) if took else None,
        "within": sum(1 for t in took if t <= target),
        "overdue": overdue,
        "target": target,
    }
    previous = m.get("previous")
    figures["previous"] = expected(previous) if previous else None
    return figures


def tool_label(tool_id: str) -> str:
    labels = yaml.safe_load((REPO / "generator" / "council" / "vocabularies.yml").read_text(encoding="utf-8"))["tools"]
    return labels[tool_id]


def days_text(value: float) -> str:
    return f"{value:,.1f}".removesuffix(".0")


# --- the outputs ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reports(sample_site: Path) -> Path:
    """`council report` for every shipped period, in the sample project the site was built in."""
    for period in PERIODS:
        result = run_council("report", period, "--now", SAMPLE_NOW, cwd=sample_site, check=True)
        assert f"build/reports/{period}/report-{period}.pdf" in result.stdout
    return sample_site


def pdf_text(root: Path, period: str) -> str:
    reader = pypdf.PdfReader(root / "build" / "reports" / period / f"report-{period}.pdf")
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return " ".join(text.split())


def word(root: Path, period: str) -> docx.document.Document:
    return docx.Document(str(root / "build" / "reports" / period / f"report-{period}.docx"))


def word_table(
    document: docx.document.Document, first_header: str, second_header: str | None = None
) -> list[list[str]]:
    for table in document.tables:
        # as a reader sees them: without the invisible word joiner that keeps a signed amount whole
        cells = [[c.text.replace("\u2060", "").strip() for c in row.cells] for row in table.rows]
        if cells and cells[0][0] == first_header and (second_header is None or cells[0][1] == second_header):
            return cells
    raise AssertionError(f"no table headed {first_header!r} in the Word file")


def site_page(root: Path, period: str) -> str:
    return (root / "site" / "reports" / period / "index.html").read_text(encoding="utf-8")


# --- figures -------------------------------------------------------------------------------------

# GOV.UK style: a number that starts a sentence is written out (the sample's counts are all below 21).
SENTENCE_START = dict(
    enumerate(
        (
            "No One Two Three Four Five Six Seven Eight Nine Ten Eleven Twelve Thirteen "
            "Fourteen Fifteen Sixteen Seventeen Eighteen Nineteen Twenty"
        ).split()
    )
)


def written(period: str, section: str, *keys: str) -> bool:
    """Whether the author's section quotes one of these figures: the generated paragraph stating them is
    then left out (it would say the same thing twice)."""
    path = REPO / "reports" / period / section
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    return any(f"key={key}}}" in text or f"key={key} " in text for key in keys)


@pytest.mark.parametrize("period", PERIODS)
def test_headline_figures_in_the_pdf_text_match_the_csv_data(reports: Path, period: str) -> None:
    e = expected(period)
    efforts = not written(period, "a-current-efforts.md", "actions.total", "actions.top_tool", "actions.departments")
    funding = not written(period, "c-funding.md", "funding.total", "funding.transitional_justice")
    training = not written(period, "f-training.md", "training.staff", "training.courses")
    aia = not written(
        period, "impact-assessments.md", "aia.triggers", "aia.completed", "aia.median_days", "aia.within_target"
    )
    watch = not written(period, "e-countries-at-risk.md", "watch.total", "watch.added_names", "watch.removed_names")
    text = flat(pdf_text(reports, period)).replace("(+ £", "(+£")  # a line may wrap after the sign
    prev = e["previous"]
    versus = (
        f", {moved(e['actions'], prev['actions'])} from {prev['actions']} in {meta(period)['previous']}" if prev else ""
    )
    assert (f"Departments recorded {e['actions']} actions in {period}{versus}." in text) == efforts
    assert (f"{SENTENCE_START[e['departments']]} departments acted, in {e['countries']} countries." in text) == efforts
    money_versus = (
        (
            f", {moved(e['funding'], prev['funding'], money=True)} from {in_millions(prev['funding'])} "
            f"in {meta(period)['previous']}"
        )
        if prev
        else ""
    )
    assert (
        f"Departments spent {pounds(e['funding'])} on atrocity prevention in {period}, from {e['funds']} funds{money_versus}."
        in text
    ) == funding
    tj_versus = (
        (
            f", {moved(e['transitional_justice'], prev['transitional_justice'], money=True)} from "
            f"{in_millions(prev['transitional_justice'])} in {meta(period)['previous']}"
        )
        if prev
        else ""
    )
    assert (
        f"Of this, {pounds(e['transitional_justice'])} supported transitional justice{tj_versus}." in text
    ) == funding
    assert (
        f"In {period}, {e['staff']:,} staff completed atrocity prevention training on {e['courses']} courses" in text
    ) == training
    assert (
        (
            f"{SENTENCE_START[e['triggers']]} triggers for an Atrocity Impact Assessment were received in the period; "
            f"{e['started']} assessments were started and {e['completed']} completed."
        )
        in text
    ) == aia
    if e["median"] is not None:
        assert (
            (
                f"The median time from trigger to completion was {days_text(e['median'])} days, and {e['within']} "
                f"of the {e['completed']} completed assessments finished within the {e['target']}-day target."
            )
            in text
        ) == aia
    if aia:
        for country, age in e["overdue"].items():
            assert f"{country} ({age} days)" in text
        if not e["overdue"]:
            assert "No assessment was overdue at the end of the period." in text
    assert (
        f"{SENTENCE_START[e['watch']]} countries and regions were on the watch list at the end of the period" in text
    ) == watch
    assert not (efforts and funding and training and aia and watch), "the sample's narrative quotes some of them"


@pytest.mark.parametrize("period", PERIODS)
def test_key_figures_table_in_word_compares_with_the_previous_period(reports: Path, period: str) -> None:
    e, prev = expected(period), expected(period)["previous"]
    table = {row[0]: row[1:] for row in word_table(word(reports, period), "Measure")[1:]}
    measures = {
        "Actions taken": ("actions", False),
        "Funding spent": ("funding", True),
        "Atrocity Impact Assessments completed": ("completed", False),
        "Staff trained": ("staff", False),
        "Countries and regions on the watch list": ("watch", False),
    }
    for label, (key, money) in measures.items():
        now = pounds(e[key]) if money else f"{e[key]:,}"
        if prev:
            before = pounds(prev[key]) if money else f"{prev[key]:,}"
            assert table[label] == [now, before, signed(e[key] - prev[key], money=money)], label
        else:
            assert table[label] == [now], label
    tj = table["of which transitional justice"]
    if prev:  # compared with the previous period like every other measure (it once showed "–")
        assert tj == [
            pounds(e["transitional_justice"]),
            pounds(prev["transitional_justice"]),
            signed(e["transitional_justice"] - prev["transitional_justice"], money=True),
        ]
    else:
        assert tj == [pounds(e["transitional_justice"])]


@pytest.mark.parametrize("period", PERIODS)
def test_breakdown_tables_in_word_match_the_csv_data(reports: Path, period: str) -> None:
    e = expected(period)
    document = word(reports, period)
    by_tool = {row[0]: int(row[1]) for row in word_table(document, "Toolkit tool", "Actions")[1:] if row[0] != "Total"}
    assert by_tool == {tool_label(t): n for t, n in e["by_tool"].items()}
    pairs = {(r[0], r[1]): int(r[2]) for r in word_table(document, "Department", "Toolkit tool")[1:] if r[0] != "Total"}
    assert pairs == {(d, tool_label(t)): n for (d, t), n in e["by_department_tool"].items()}
    funds = {r[0]: r[1] for r in word_table(document, "Fund", "Amount")[1:]}
    assert funds.pop("Total") == pounds(e["funding"])
    assert funds == {fund: pounds(v) for fund, v in e["by_fund"].items()}
    countries = {r[0]: r[1] for r in word_table(document, "Country", "Amount")[1:]}
    assert countries.pop("Total") == pounds(e["funding"])
    assert countries == {name: pounds(v) for name, v in e["by_country"].items()}
    staff = {r[0]: int(r[2].replace(",", "")) for r in word_table(document, "Department", "Courses")[1:]}
    assert staff.pop("Total") == e["staff"]
    assert staff == dict(e["by_department_staff"])
    annex = word_table(document, "Date", "Department")
    assert len(annex) - 1 == e["actions"]  # Annex A lists every public action, and no other


@pytest.mark.parametrize("period", PERIODS)
def test_aia_register_gives_days_from_trigger_to_completion(reports: Path, period: str) -> None:
    m = meta(period)
    register = word_table(word(reports, period), "Country", "Trigger")[1:]
    days = [int(r[5]) for r in register if r[5] != "–"]
    completed = [
        a
        for a in rows(period, "impact-assessments.csv")
        if a["completed"] and m["period_start"] <= dt.date.fromisoformat(a["completed"]) <= m["period_end"]
    ]
    assert sorted(days) == sorted(
        (dt.date.fromisoformat(a["completed"]) - dt.date.fromisoformat(a["trigger_date"])).days for a in completed
    )


# --- paragraphs and references ----------------------------------------------------------------


def labelled_paragraphs(period: str) -> dict[str, str]:
    """label -> the first words of the paragraph it marks, read from the Markdown sources."""
    found = {}
    for path in (REPO / "reports" / period).glob("*.md"):
        for paragraph in path.read_text(encoding="utf-8").split("\n\n"):
            for label in re.findall(r"\[\]\{#(para-[\w-]+)\}", paragraph):
                text = re.sub(r"\[\]\{#[\w-]+\}|\[@[^\]]+\]", "", paragraph)
                text = text.split("[]{.figure")[0]  # a quoted figure shows its value, not its key
                found[label] = " ".join(text.split()[:6]).replace("'", "’")
    return found


def conclusion_references(period: str) -> list[list[str]]:
    text = (REPO / "reports" / period / "conclusions.md").read_text(encoding="utf-8")
    references = r"\[\]\(#(para-[\w-]+)\)|@(para-[\w-]*\w)"  # `[](#para-x)` or `@para-x`
    return [[a or b for a, b in re.findall(references, item)] for item in re.split(r"\n(?=\d+\. )", text.strip())]


@pytest.mark.parametrize("period", PERIODS)
def test_word_paragraph_numbers_run_continuously_and_conclusions_point_at_the_labelled_paragraphs(
    reports: Path, period: str
) -> None:
    document = word(reports, period)
    numbered = [p.text for p in document.paragraphs if p.style.name == "Numbered Paragraph"]
    numbers = [int(re.match(r"(\d+)\. ", text).group(1)) for text in numbered]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) > 5
    by_number = {n: text for n, text in zip(numbers, numbered, strict=True)}
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    start = [p.text for p in document.paragraphs].index(
        "Conclusions and recommendations", [p.text for p in document.paragraphs].index(headings[0])
    )
    items = [p.text for p in document.paragraphs[start + 1 :] if p.style.name == "Conclusion"]
    # conclusions are C1, C2, ...: never to be mistaken for the numbered paragraphs
    assert [item.split(" ", 1)[0] for item in items] == [f"C{n}." for n in range(1, len(items) + 1)]
    labels = labelled_paragraphs(period)
    references = conclusion_references(period)
    assert len(items) == len(references)
    for item, item_labels in zip(items, references, strict=True):
        cited = [int(n) for group in re.findall(r"\(paragraphs? ([^)]*)\)", item) for n in re.findall(r"\d+", group)]
        assert len(cited) == len(item_labels)
        for number, label in zip(cited, item_labels, strict=True):
            assert number in by_number, f"{item!r} cites paragraph {number}, which does not exist"
            assert by_number[number].startswith(f"{number}. {labels[label]}"), (number, label)


@pytest.mark.parametrize("period", PERIODS)
def test_pdf_and_site_carry_the_same_paragraph_numbers_as_word(reports: Path, period: str) -> None:
    count = sum(1 for p in word(reports, period).paragraphs if p.style.name == "Numbered Paragraph")
    text = pdf_text(reports, period)
    body = text[text.index("(A) Current efforts", text.index("Summary\n", text.index("Contents") + 200)) :]
    body = body[: body.rindex("Conclusions and recommendations")]
    pdf_numbers = [int(n) for n in re.findall(r"^(\d+)\. \S", body, flags=re.MULTILINE)]
    assert pdf_numbers == list(range(1, count + 1))
    page = site_page(reports, period)
    site_numbers = [int(n) for n in re.findall(r'<span class="para-number">(\d+)\.</span>', page)]
    assert site_numbers == list(range(1, count + 1))
    for number in re.findall(r'href="#para-(\d+)"', page):
        assert f'id="para-{number}"' in page
    for item_labels in conclusion_references(period):
        for label in item_labels:
            assert f'href="#{label}"' not in page  # every label was resolved to a number


# --- sections ------------------------------------------------------------------------------------


@pytest.mark.parametrize("period", PERIODS)
def test_sections_a_to_f_and_aia_are_in_pdf_word_and_site(reports: Path, period: str) -> None:
    pdf = pdf_text(reports, period)
    headings = [p.text for p in word(reports, period).paragraphs if p.style.name == "Heading 1"]  # a clerk's Word file
    page = html.unescape(re.sub(r"<[^>]+>", "", " ".join(re.findall(r"<h2[^>]*>.*?</h2>", site_page(reports, period)))))
    for title in SECTION_TITLES:
        assert pdf.count(title) >= 2, f"{title} missing from the PDF body or its contents"
        assert title in headings, f"{title} missing from the Word headings"
        assert title in page, f"{title} missing from the site page"


@pytest.mark.parametrize("period", PERIODS)
def test_pdf_is_tagged_a4_with_title_page_and_page_x_of_y_after_the_verso(reports: Path, period: str) -> None:
    path = reports / "build" / "reports" / period / f"report-{period}.pdf"
    m = meta(period)
    with pikepdf.open(path) as pdf:
        assert str(pdf.docinfo["/Title"]) == m["title"]
        assert "/StructTreeRoot" in pdf.Root
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"
        for page in pdf.pages:
            assert [round(float(v), 1) for v in page.MediaBox][2:] == [595.3, 841.9]
    reader = pypdf.PdfReader(path)
    for number, page in enumerate(reader.pages, 1):
        lines = [line.strip() for line in page.extract_text().split("\n") if line.strip()]
        # a paper laid before Parliament carries no security marking (sources/report_form.py)
        assert "OFFICIAL" not in lines[0] and "OFFICIAL" not in lines[-1]
        folio = f"Page {number} of {len(reader.pages)}"
        assert lines[-1].endswith(folio) == (number > 2), number  # none on the title page and verso
    first = flat(reader.pages[0].extract_text())
    assert "Illustrative data" in first
    assert (
        "Presented to Parliament by the Secretary of State for Foreign, Commonwealth and Development Affairs "
        "by Command of His Majesty"
    ) in first
    assert f"{m['laid_date']:%B %Y}" in first and m["command_paper"] in first
    second = flat(reader.pages[1].extract_text())
    assert "© Crown copyright" in second and "Open Government Licence v3.0" in second


def test_charts_have_alt_text_and_a_data_table_and_are_reproducible(reports: Path) -> None:
    period = PERIODS[-1]
    page = site_page(reports, period)
    images = re.findall(r'<img[^>]*src="([\w-]+\.svg)"[^>]*>', page)
    assert images
    for tag in re.findall(r'<img[^>]*src="[\w-]+\.svg"[^>]*>', page):
        alt = re.search(r'alt="([^"]+)"', tag).group(1)
        assert "table" in alt and len(alt) > 60
    for image in images:
        assert (reports / "site" / "reports" / period / image).read_bytes().startswith(b"<?xml")
    before = (reports / "build" / "reports" / period / f"report-{period}.docx").read_bytes()
    (reports / "build" / "cache").rename(reports / "build" / "cache-old")  # force a fresh render
    run_council("report", period, "--now", SAMPLE_NOW, cwd=reports, check=True)
    assert (reports / "build" / "reports" / period / f"report-{period}.docx").read_bytes() == before


# --- the classified annex ----------------------------------------------------------------------


def test_classified_rows_and_sections_stay_off_the_site_and_go_to_build_restricted(reports: Path) -> None:
    period = PERIODS[-1]
    secret = [r for r in rows(period, "actions.csv", public_only=False) if r["classification"] not in ("", "OFFICIAL")]
    assert secret, "the sample should show the classified annex at work"
    annex = reports / "build" / "restricted" / period / f"report-{period}-classified-annex.pdf"
    reader = pypdf.PdfReader(annex)
    annex_text = flat("\n".join(p.extract_text() for p in reader.pages))
    for page in reader.pages:
        lines = [line.strip() for line in page.extract_text().split("\n") if line.strip()]
        assert lines[0] == "OFFICIAL-SENSITIVE" and "OFFICIAL-SENSITIVE" in lines[-1].split()
    classified_text = (REPO / "reports" / period / "classified-annex.md").read_text(encoding="utf-8").split("---")[-1]
    sentence = " ".join(classified_text.split()[-8:])
    assert sentence in annex_text
    published = [p for p in (reports / "site").resolve().rglob("*") if p.is_file()]
    assert not any("classified-annex" in p.name for p in published)
    public_text = flat(pdf_text(reports, period)) + flat(site_page(reports, period))
    for row in secret:
        assert row["description"][:40] not in public_text
        assert row["description"][:40] in annex_text
    assert sentence not in public_text
