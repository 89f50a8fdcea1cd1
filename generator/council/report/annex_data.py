"""The annexes' data in open formats, as GOV.UK asks for data: one CSV file per annex table and one
OpenDocument spreadsheet (ODS) with a sheet per annex, a notes sheet and a data dictionary. The cells
are the tables' own, except that amounts and counts are written as plain numbers (250000, not
"£250,000") so that a spreadsheet can add them up, with the unit in the header ("Amount (£)"), and
that a table's Total row stays in the report: the files hold data rows only, so summing a column gives
the total once. The files are byte-reproducible: the ODS is rezipped with fixed dates."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass
from importlib.metadata import version

from council.base.cache import ContentCache
from council.base.keys import SharedInputs, render_key
from council.report.document import ANNEXES
from council.report.figures import Figures, Table

NUMBER = re.compile(r"£?\d{1,3}(?:,\d{3})*|£?\d+")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
TOTAL = "Total"  # the first cell of a table's total row (report/figures.py)
POUNDS = "£"
# What each annex column holds, for the data dictionary sheet.
COLUMN_MEANINGS = {
    "Date": "The day the action was taken",
    "Department": "The department that took the action or ran the course (its abbreviation)",
    "Country": "The country concerned",
    "Country or region": "The country or region on the watch list",
    "Tool": "The tool of the atrocity prevention toolkit the action used",
    "Recommendation": "The recommendation (I to VI) the action serves",
    "Description": "What was done, in a sentence",
    "Fund": "The fund the money came from",
    "Purpose": "What the money was spent on",
    "Amount": "Money spent in the period",
    "Trigger": "What required an Atrocity Impact Assessment",
    "Trigger date": "The day the assessment was required",
    "Started": "The day work on the assessment started, or 'not started'",
    "Completed": "The day the assessment was completed, or 'open' at the end of the period",
    "Days to complete": "Days from the trigger to completion ('–' while open)",
    "Course": "The training course",
    "Staff trained": "Staff who completed the course in the period",
    "From": "The course's first day in the period",
    "To": "The course's last day in the period",
    "Risk level": "The Council's assessment of the risk of atrocities",
    "Risk factors": "What raises the risk",
    "Groups at risk": "The people most at risk",
    "Likely scenarios": "How atrocities could unfold",
}


@dataclass(frozen=True)
class AnnexData:
    csv_files: tuple[tuple[str, bytes], ...]  # (file name, bytes), in annex order
    workbook_name: str
    workbook: bytes

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.csv_files)


def annex_file_names(slug: str, figures: Figures) -> tuple[tuple[str, ...], str]:
    """The CSV names (one per annex present) and the workbook's name, before anything is written."""
    return (tuple(f"{slug}-{key}.csv" for key, _, table in ANNEXES if table in figures.tables), f"{slug}-data.ods")


def cached_annex_data(slug: str, figures: Figures, cache: ContentCache, shared: SharedInputs) -> AnnexData:
    """annex_data, made once for each set of figures: writing the workbook costs a tenth of a second,
    and a build that changed nothing must not pay it."""
    key = render_key("annex-data", shared, (slug, figures), derived=[version("pandas"), version("odfpy")])
    names, workbook = cache.get(key, "names.json"), cache.get(key, "data.ods")
    if names is not None and workbook is not None:
        listed = json.loads(names)
        files = tuple((name, cache.get(key, f"{index}.csv") or b"") for index, name in enumerate(listed["csv"]))
        return AnnexData(files, listed["workbook"], workbook)
    made = annex_data(slug, figures)
    for index, (_, data) in enumerate(made.csv_files):
        cache.put(key, f"{index}.csv", data)
    cache.put(key, "data.ods", made.workbook)
    cache.put(key, "names.json", json.dumps({"csv": list(made.names), "workbook": made.workbook_name}).encode())
    return made


def annex_data(slug: str, figures: Figures) -> AnnexData:
    annexes = [(key, title, figures.tables[table]) for key, title, table in ANNEXES if table in figures.tables]
    files = tuple((f"{slug}-{key}.csv", _csv(table)) for key, _, table in annexes)
    return AnnexData(files, f"{slug}-data.ods", _workbook(figures, annexes))


def plain_cell(cell: str, numeric: bool) -> str | int:
    """'£1,250,000' -> 1250000 in a numeric column; everything else as shown in the report."""
    if numeric and NUMBER.fullmatch(cell):
        return int(cell.replace("£", "").replace(",", ""))
    return cell


def data_rows(table: Table) -> tuple[tuple[str, ...], ...]:
    """The table's rows without its Total row, which the report prints and the data files leave out."""
    return tuple(row for row in table.rows if row[0] != TOTAL)


def _is_money(table: Table, column: int) -> bool:
    return table.numeric[column] and any(row[column].startswith(POUNDS) for row in data_rows(table))


def headers(table: Table) -> list[str]:
    """The table's headers, with the unit where the file holds plain numbers for amounts of money."""
    return [f"{name} ({POUNDS})" if _is_money(table, i) else name for i, name in enumerate(table.header)]


def _rows(table: Table) -> list[list[str | int]]:
    return [[plain_cell(cell, table.numeric[i]) for i, cell in enumerate(row)] for row in data_rows(table)]


def _csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180
    writer.writerow(headers(table))
    writer.writerows(_rows(table))
    return out.getvalue().encode("utf-8")


def _format(table: Table, column: int) -> str:
    cells = [row[column] for row in data_rows(table)]
    if _is_money(table, column):
        return "Whole pounds sterling (GBP), a plain number"
    if table.numeric[column]:
        return "A whole number"
    if (
        cells
        and all(ISO_DATE.fullmatch(cell) or not cell[:1].isdigit() for cell in cells)
        and any(ISO_DATE.fullmatch(cell) for cell in cells)
    ):
        return "A date, YYYY-MM-DD (ISO 8601)"
    return "Text"


def dictionary(annexes: list[tuple[str, str, Table]]) -> list[tuple[str, str, str, str]]:
    """(sheet, column, meaning, format) for every column of every annex sheet."""
    return [
        (_sheet(key), header, COLUMN_MEANINGS.get(name, ""), _format(table, i))
        for key, _, table in annexes
        for i, (name, header) in enumerate(zip(table.header, headers(table), strict=True))
    ]


def _workbook(figures: Figures, annexes: list[tuple[str, str, Table]]) -> bytes:
    import pandas as pd  # pandas writes ODS through odfpy

    notes = [("Report period", figures.period)]
    notes += [(title.split(":")[0], f"{title.split(': ', 1)[-1]} (sheet '{_sheet(key)}')") for key, title, _ in annexes]
    notes += [
        ("Amounts", "whole pounds sterling (GBP)"),
        ("Totals", "each sheet holds data rows only; the report's tables print the totals"),
        ("Columns", "what each column holds: sheet 'Data dictionary'"),
        ("Source", "calculated from the data files behind the report; the same figures as its annexes"),
    ]
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="odf") as writer:
        pd.DataFrame(notes, columns=["Item", "Note"]).to_excel(writer, sheet_name="Notes", index=False)
        pd.DataFrame(dictionary(annexes), columns=["Sheet", "Column", "Meaning", "Format"]).to_excel(
            writer, sheet_name="Data dictionary", index=False
        )
        for key, _, table in annexes:
            pd.DataFrame(_rows(table), columns=headers(table)).to_excel(writer, sheet_name=_sheet(key), index=False)
    return _stable_zip(buffer.getvalue())


def _sheet(key: str) -> str:
    return key.replace("annex-", "Annex ").title()  # annex-a -> Annex A


def _stable_zip(data: bytes) -> bytes:
    """The same entries with fixed dates; 'mimetype' first and stored, as ODF requires."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in sorted(source.infolist(), key=lambda i: i.filename != "mimetype"):
            info = zipfile.ZipInfo(item.filename, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_STORED if item.filename == "mimetype" else zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(item.filename))
    return out.getvalue()
