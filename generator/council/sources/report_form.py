"""The Command Paper form items of report.yml: ISBN, E-number, the date laid, the enquiries contact and
the security marking the laid paper carries. They are taken out of report.yml before the rest of the
file is validated (sources/reports.py), checked here with the same file/line/field messages, and
printed on the title-page verso of every format (report/render.py).

The security marking: papers laid before Parliament are public documents, so by default the report
carries no marking at all (The National Archives' Command Paper guidance; GOV.UK official documents
show none). `security_marking: OFFICIAL` prints one at the top and bottom of every page; a report whose
`classification` is above OFFICIAL is always marked with it, since it is never laid or published.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from council.base.errors import SourceError
from council.base.vocabularies import Marking
from council.sources.frontmatter import FrontMatter, schema_problems

FORM_KEYS = ("isbn", "e_number", "laid_date", "contact", "security_marking")
ISBN_PREFIXES = ("978", "979")
E_NUMBER = re.compile(r"E\d{8}(?: \d{2}/\d{2})?")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")


def isbn13_check_digit(first_twelve: str) -> int:
    """ISBN-13: digits weighted 1, 3, 1, 3...; the check digit brings the sum to a multiple of 10."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first_twelve))
    return (10 - total % 10) % 10


def normalise_isbn(value: str) -> str:
    """'978-1-5286-5012-3' -> '9781528650123', or ValueError saying what is wrong."""
    digits = re.sub(r"[\s-]", "", value.removeprefix("ISBN").strip())
    if not re.fullmatch(r"\d{13}", digits):
        raise ValueError(f"'{value}' is not an ISBN-13: it needs 13 digits (hyphens and spaces allowed)")
    if not digits.startswith(ISBN_PREFIXES):
        raise ValueError(f"'{value}' is not an ISBN-13: it must start with 978 or 979")
    expected = isbn13_check_digit(digits[:12])
    if int(digits[12]) != expected:
        raise ValueError(
            f"the ISBN '{value}' has the check digit {digits[12]}, but its first twelve digits give {expected}"
        )
    return digits


def hyphenated_isbn(digits: str) -> str:
    """Printed as 978-1-5286-5012-3 (prefix, group 1 and the publisher's 4-digit block, as on UK Command
    Papers); other groups keep a plain 978-<nine digits>-<check> form rather than a guessed split."""
    if digits[3] == "1":
        return f"{digits[:3]}-{digits[3]}-{digits[4:8]}-{digits[8:12]}-{digits[12]}"
    return f"{digits[:3]}-{digits[3:12]}-{digits[12]}"


class ContactFile(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    address: str = Field(min_length=1, max_length=400)
    email: str

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if not EMAIL.fullmatch(value):
            raise ValueError(f"'{value}' is not an email address")
        return value


class FormFile(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    isbn: str | None = None
    e_number: str | None = None
    laid_date: dt.date | None = None
    contact: ContactFile | None = None
    security_marking: Marking | None = None

    @field_validator("isbn", "e_number", mode="before")
    @classmethod
    def _as_written(cls, value: object) -> object:
        """YAML reads `isbn: 9781528650120` as a number: take it as the digits written."""
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("isbn")
    @classmethod
    def _isbn(cls, value: str | None) -> str | None:
        return None if value is None else normalise_isbn(value)

    @field_validator("e_number")
    @classmethod
    def _e_number(cls, value: str | None) -> str | None:
        if value is not None and not E_NUMBER.fullmatch(value):
            raise ValueError(f"'{value}' is not an E-number such as 'E03412345 07/26'")
        return value


HINTS = {
    "isbn": "copy the ISBN The National Archives assigned, e.g. 978-1-5286-5012-3; the last digit is a check digit",
    "e_number": "the E-number from the print order, 'E' and eight digits, optionally the month: E03412345 07/26",
    "laid_date": "the date the report is laid before Parliament, YYYY-MM-DD",
    "contact": "give 'address:' (one line, commas between parts) and 'email:' under 'contact:'",
    "security_marking": "leave it out for a paper laid before Parliament (no marking), or give OFFICIAL",
}


@dataclass(frozen=True)
class Contact:
    address: str
    email: str


@dataclass(frozen=True)
class ReportForm:
    """The validated form items; all optional, so a report in draft builds without them."""

    isbn: str | None = None  # 13 digits, check digit verified
    e_number: str | None = None
    laid_date: dt.date | None = None
    contact: Contact | None = None
    security_marking: str | None = None

    @property
    def isbn_display(self) -> str | None:
        return None if self.isbn is None else hyphenated_isbn(self.isbn)


def take_form(front: FrontMatter, problems: list[SourceError]) -> ReportForm | None:
    """Remove the form keys from `front.values` (so report.yml's own schema does not see them) and
    validate them; None, with the problems added, if any is wrong."""
    raw = {key: front.values.pop(key) for key in FORM_KEYS if key in front.values}
    laid_date = raw.get("laid_date")
    if "laid" not in front.values and isinstance(laid_date, dt.date):
        front.values["laid"] = laid_date  # before any other check, so a bad ISBN is not also "laid is missing"
    try:
        form = FormFile.model_validate(raw)
    except ValidationError as exc:
        problems.extend(schema_problems(front, exc, FormFile, HINTS))
        return None
    if form.laid_date is not None and front.values.get("laid") != form.laid_date:  # 'laid' is its older name
        problems.append(
            SourceError(
                front.location("laid_date"),
                "'laid' and 'laid_date' give different dates",
                field="laid_date",
                hint="keep 'laid_date' and remove 'laid'",
            )
        )
        return None
    classification = front.values.get("classification", "OFFICIAL")
    if form.security_marking not in (None, "OFFICIAL", classification):
        problems.append(
            SourceError(
                front.location("security_marking"),
                f"the marking {form.security_marking} is above the report's classification {classification}",
                field="security_marking",
                hint="a published report is marked OFFICIAL at most; set 'classification' to "
                "keep a sensitive report off the site",
            )
        )
        return None
    contact = Contact(form.contact.address, form.contact.email) if form.contact else None
    return ReportForm(form.isbn, form.e_number, form.laid_date, contact, form.security_marking)


def page_marking(form: ReportForm, classification: str) -> str | None:
    """The marking printed top and bottom of each page: none on a laid paper unless asked for; a report
    above OFFICIAL is never laid, so it always carries its classification."""
    if classification != "OFFICIAL":
        return classification
    return form.security_marking
