"""The "Ask the Council" form, as data: its fields (labelled as `council request import` reads them,
from LABELS in sources/requests.py, so a message from the form always imports field by field), the blank
template to copy, and the mailto: link that opens a mail program with that template."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from council.sources.requests import LABELS, PRIORITIES, SUBJECT_PREFIX, TARGET_DAYS


@dataclass(frozen=True)
class FormField:
    name: str  # the request field it fills (and the form control's id, prefixed)
    hint: str
    kind: str  # text | email | date | textarea | priority
    required: bool
    autocomplete: str | None = None
    maxlength: int = 200

    @property
    def label(self) -> str:
        """The label written in the message: the one the importer reads."""
        return next(label for label, name in LABELS.items() if name == self.name)

    @property
    def control_id(self) -> str:
        return f"ask-{self.name.replace('_', '-')}"


FIELDS = (
    FormField(
        "department",
        "For example, Foreign, Commonwealth and Development Office. Published with your "
        "question on the research agenda.",
        "text",
        True,
        "organization",
    ),
    FormField("team", "Your team or directorate, if you want to say. Not published.", "text", False, "off"),
    FormField(
        "question",
        "One question, in your own words. It is published on the research agenda, so "
        "leave out anything that is not OFFICIAL.",
        "textarea",
        True,
        maxlength=2000,
    ),
    FormField(
        "why", "The decision, policy or deadline it feeds into. Not published.", "textarea", False, maxlength=2000
    ),
    FormField("due", "The date you need the answer by, if there is one.", "date", False),
    FormField("priority", "How much it matters to your work now.", "priority", True),
    FormField("contact_name", "Who we should reply to. Not published.", "text", True, "name"),
    FormField("contact_email", "Your work email address. Not published.", "email", True, "email", 320),
)
PRIORITY_HINTS = {p: f"we aim to answer within {TARGET_DAYS[p] // 7} weeks" for p in PRIORITIES}
LINE_BREAK = "\r\n"  # what RFC 6068 asks a mailto: body to use


@dataclass(frozen=True)
class AskForm:
    address: str
    fields: tuple[FormField, ...]
    subject_prefix: str
    template: str  # the labelled message with empty values (priority: medium)
    mailto: str  # opens a mail program with that template, without any script

    @property
    def priorities(self) -> tuple[tuple[str, str], ...]:
        return tuple((p, PRIORITY_HINTS[p]) for p in PRIORITIES)


def ask_form(address: str) -> AskForm:
    template = "\n".join(f"{field.label}: {'medium' if field.kind == 'priority' else ''}".rstrip() for field in FIELDS)
    mailto = (
        f"mailto:{address}?subject={quote(SUBJECT_PREFIX + ' ', safe='')}"
        f"&body={quote(template.replace(chr(10), LINE_BREAK), safe='')}"
    )
    return AskForm(address, FIELDS, SUBJECT_PREFIX, template, mailto)
