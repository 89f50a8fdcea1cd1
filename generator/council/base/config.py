"""The project's settings (council.yml), typed and validated, and where its files are. The site
engine's settings stay in mkdocs.yml, read once here: council takes the site's name and address
from them, and hands them on to the engine."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from council.base.errors import Location, ProblemsFound, SourceError
from council.base.public_fields import NEVER_PUBLIC, OPT_IN, public_fields
from council.base.style_catalogue import style_path, style_suggestions

CONFIG_FILE = "council.yml"
MKDOCS_FILE = "mkdocs.yml"


@dataclass(frozen=True)
class HouseStyleLimits:
    """`house_style` in council.yml: the thresholds of the prose checks (sources in the README)."""

    sentence_max_words: int = 35  # GOV.UK content design: keep sentences to about 25 words; 35 is a hard edge
    key_point_max_words: int = 25  # a bullet a reader takes in at a glance
    body_max_words: int = 2500  # a POSTnote's four pages
    min_reading_ease: float = 30.0  # Flesch reading ease; below 30 is "very difficult" on Flesch's scale
    well_known: tuple[str, ...] = (
        "UK",
        "UN",
        "US",
        "USA",
        "EU",
        "NATO",
        "BBC",
        "PDF",
        "HTML",
        "URL",
        "DOCX",
        "OK",
        "TV",
        "AM",
        "PM",
    )  # acronyms readers know better than their expansion


HOUSE_STYLE_INTS = ("sentence_max_words", "key_point_max_words", "body_max_words")


@dataclass(frozen=True)
class ProjectConfig:
    root: Path
    citation_style: str
    style_file: Path
    site_name: str
    organisation: str
    # bibliography fields council.yml makes public beyond the fixed allowlist (citations/public_fields.py)
    public_fields: tuple[str, ...] = ()
    # where the "Ask the Council" form sends policymakers' questions ('' hides the form)
    requests_email: str = ""
    house_style: HouseStyleLimits = HouseStyleLimits()
    # record: how `council publish` numbers a briefing ("APRC-{year}-{seq:03d}"); '' means unnumbered
    numbering_format: str = ""
    # how many of the latest briefings the home page lists (the Archive lists them all)
    home_latest: int = 12
    # whether the site search indexes each briefing's whole text, not only what readers search for
    search_full_text: bool = False
    # mkdocs.yml as read when the project was loaded: the site engine's own settings
    site_settings: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def site_url(self) -> str:
        """The site's public address (site_url in mkdocs.yml), or '' while it has none."""
        return str(self.site_settings.get("site_url") or "")

    @property
    def config_file(self) -> Path:
        return self.root / CONFIG_FILE

    @property
    def requests_dir(self) -> Path:
        """Policymakers' requests for research, one YAML file each."""
        return self.root / "requests"

    @property
    def restricted_dir(self) -> Path:
        """Outputs above OFFICIAL (briefings, classified annexes): never on the site."""
        return self.build_dir / "restricted"

    @property
    def report_outputs_dir(self) -> Path:
        """The clerks' copies of the reports to Parliament, a folder per period."""
        return self.build_dir / "reports"

    @property
    def source_dirs(self) -> tuple[Path, ...]:
        """The folders of source files every output depends on (fonts: keys.py SharedInputs)."""
        return (self.briefings_dir, self.bibliography_dir, self.reports_dir, self.requests_dir)

    @property
    def glossary_file(self) -> Path:
        return self.root / "glossary.yml"

    @property
    def briefings_dir(self) -> Path:
        return self.root / "briefings"

    @property
    def bibliography_dir(self) -> Path:
        return self.root / "bibliography"

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def cache_dir(self) -> Path:
        return self.build_dir / "cache"

    @property
    def site_dir(self) -> Path:
        """The published site: a link swapped atomically to the newest complete release."""
        return self.root / "site"

    @property
    def releases_dir(self) -> Path:
        return self.build_dir / "releases"

    @property
    def preview_dir(self) -> Path:
        """`council serve --drafts`: a local site with drafts, never the public site/."""
        return self.build_dir / "preview"

    @property
    def preview_releases_dir(self) -> Path:
        return self.build_dir / "preview-releases"

    @property
    def mkdocs_file(self) -> Path:
        return self.root / MKDOCS_FILE


KNOWN_KEYS = {
    "citation_style",
    "organisation",
    "bibliography",
    "requests_email",
    "house_style",
    "numbering",
    "home_latest",
    "search_full_text",
}
# one address, no display name: it goes into mailto: links and the To of imported replies
EMAIL_PATTERN = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)


def load_config(root: Path) -> ProjectConfig:
    root = root.resolve()
    path = root / CONFIG_FILE
    raw: dict = {}
    if path.exists():
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise SourceError(Location(path, mark.line + 1 if mark else 1), f"not valid YAML: {exc}") from None
        if not isinstance(raw, dict):
            raise SourceError(Location(path, 1), "council.yml must hold 'key: value' settings")
    problems = [
        SourceError(
            Location(path, 1), f"unknown setting '{key}'", hint=f"known settings: {', '.join(sorted(KNOWN_KEYS))}"
        )
        for key in raw
        if key not in KNOWN_KEYS
    ]
    style = str(raw.get("citation_style", "oscola"))
    style_file = style_path(style, root)
    if style_file is None:
        guesses = style_suggestions(style)
        problems.append(
            SourceError(
                Location(path, 1),
                f"unknown citation style '{style}'",
                field="citation_style",
                hint=("did you mean " + ", ".join(guesses) + "?")
                if guesses
                else "use oscola, chicago-notes-bibliography, apa or a path to a .csl file",
            )
        )
    opened, bibliography_problems = _public_fields(path, raw.get("bibliography"))
    problems.extend(bibliography_problems)
    requests_email = str(raw.get("requests_email") or "").strip()
    if requests_email and not EMAIL_PATTERN.match(requests_email):
        problems.append(
            SourceError(
                Location(path, _line_of(path, "requests_email") or 1),
                f"requests_email '{requests_email}' is not an email address",
                field="requests_email",
                hint="write one address, e.g. requests_email: research@example.org",
            )
        )
    limits, style_problems = _house_style(path, raw.get("house_style"))
    problems.extend(style_problems)
    numbering, numbering_problems = _numbering(path, raw.get("numbering"))
    problems.extend(numbering_problems)
    home_latest = raw.get("home_latest", 12)
    if isinstance(home_latest, bool) or not isinstance(home_latest, int) or not 1 <= home_latest <= 100:
        problems.append(
            SourceError(
                Location(path, _line_of(path, "home_latest") or 1),
                f"home_latest '{home_latest}' is not a whole number from 1 to 100",
                field="home_latest",
                hint="write e.g. home_latest: 12 (the Archive lists every briefing)",
            )
        )
    full_text = raw.get("search_full_text", False)
    if not isinstance(full_text, bool):
        problems.append(
            SourceError(
                Location(path, _line_of(path, "search_full_text") or 1),
                f"search_full_text '{full_text}' is not true or false",
                field="search_full_text",
                hint="write search_full_text: true to index whole briefings (a larger search index)",
            )
        )
    settings, site_problems = _site_settings(root / MKDOCS_FILE)
    problems.extend(site_problems)
    if problems:
        raise ProblemsFound(problems)
    return ProjectConfig(
        root,
        style,
        style_file,
        str(settings.get("site_name", "Briefings")),
        str(raw.get("organisation", "Atrocity Prevention Research Council")),
        opened,
        requests_email,
        limits,
        numbering,
        home_latest,
        full_text,
        settings,
    )


def _house_style(path: Path, section: object) -> tuple[HouseStyleLimits, list[SourceError]]:
    """`house_style: {sentence_max_words: 35, ...}`: any threshold left out keeps its default."""
    defaults = HouseStyleLimits()
    if section is None:
        return defaults, []
    where = Location(path, _line_of(path, "house_style"))
    known = ", ".join(defaults.__dataclass_fields__)
    if not isinstance(section, dict):
        return defaults, [
            SourceError(
                where, "house_style must hold 'name: value' settings", field="house_style", hint=f"settings: {known}"
            )
        ]
    problems, values = [], {}
    for name, value in section.items():
        at = Location(path, _line_of(path, str(name)) or where.line)
        if name in HOUSE_STYLE_INTS:
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                problems.append(
                    SourceError(
                        at,
                        f"{name} must be a whole number of words above 0, not {value!r}",
                        field=f"house_style.{name}",
                        hint=f"the default is {getattr(defaults, name)}",
                    )
                )
            else:
                values[name] = value
        elif name == "min_reading_ease":
            if isinstance(value, bool) or not isinstance(value, int | float) or not -100 <= value <= 121:
                problems.append(
                    SourceError(
                        at,
                        f"min_reading_ease must be a Flesch score up to 121, not {value!r}",
                        field="house_style.min_reading_ease",
                        hint="the default is 30",
                    )
                )
            else:
                values[name] = float(value)
        elif name == "well_known":
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                problems.append(
                    SourceError(
                        at,
                        "well_known must be a list of acronyms",
                        field="house_style.well_known",
                        hint="write  well_known: [UK, UN, EU]",
                    )
                )
            else:
                values[name] = tuple(v.strip() for v in value)
        else:
            problems.append(
                SourceError(at, f"unknown house_style setting '{name}'", field="house_style", hint=f"settings: {known}")
            )
    return HouseStyleLimits(**values), problems


def _numbering(path: Path, section: object) -> tuple[str, list[SourceError]]:
    """`numbering: {format: "APRC-{year}-{seq:03d}"}`: the series number `council publish` gives."""
    if section is None:
        return "", []
    where = Location(path, _line_of(path, "numbering") or 1)
    hint = 'write  numbering: {format: "APRC-{year}-{seq:03d}"}'
    if not isinstance(section, dict) or set(section) != {"format"} or not isinstance(section["format"], str):
        return "", [SourceError(where, "the 'numbering' setting takes only 'format'", field="numbering", hint=hint)]
    fmt = section["format"]
    try:
        sample = fmt.format(year=2026, seq=1)
    except (KeyError, IndexError, ValueError):
        return "", [
            SourceError(
                where,
                f"numbering format '{fmt}' may use only {{year}} and {{seq}}",
                field="numbering.format",
                hint=hint,
            )
        ]
    if "{seq" not in fmt or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9./-]*", sample):
        return "", [
            SourceError(
                where,
                f"numbering format '{fmt}' must contain {{seq}} and give letters, digits, '-', '.' or '/'",
                field="numbering.format",
                hint=hint,
            )
        ]
    return fmt, []


def _public_fields(path: Path, section: object) -> tuple[tuple[str, ...], list[SourceError]]:
    """`bibliography: {public_fields: [note]}`: fields that some libraries keep private, made public."""
    if section is None:
        return (), []
    where = Location(path, _line_of(path, "public_fields") or _line_of(path, "bibliography"))
    if not isinstance(section, dict) or set(section) - {"public_fields"}:
        return (), [
            SourceError(
                where,
                "the 'bibliography' setting takes only 'public_fields'",
                field="bibliography",
                hint="write  bibliography: {public_fields: [note]}",
            )
        ]
    names = section.get("public_fields") or []
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        return (), [
            SourceError(
                where,
                "public_fields must be a list of field names",
                field="bibliography.public_fields",
                hint="write  public_fields: [note]",
            )
        ]
    problems, choices = [], ", ".join(sorted(OPT_IN))
    always = public_fields().bibtex
    for name in names:
        key = name.strip().lower()
        if key in NEVER_PUBLIC:
            problems.append(
                SourceError(
                    where,
                    f"'{name}' can never be public: it holds file paths or private notes",
                    field="bibliography.public_fields",
                    hint=f"fields you may add: {choices}",
                )
            )
        elif key in always:
            problems.append(
                SourceError(
                    where,
                    f"'{name}' is public already",
                    field="bibliography.public_fields",
                    hint=f"remove it; fields you may add: {choices}",
                )
            )
        elif key not in OPT_IN:
            problems.append(
                SourceError(
                    where,
                    f"'{name}' cannot be made public",
                    field="bibliography.public_fields",
                    hint=f"fields you may add: {choices}; all others a citation needs are public already",
                )
            )
    return tuple(sorted({n.strip().lower() for n in names})) if not problems else (), problems


def _line_of(path: Path, key: str) -> int | None:
    """The line where `key:` is written, for messages (council.yml is small)."""
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if line.lstrip().startswith(f"{key}:"):
            return number
    return None


def _site_settings(mkdocs_file: Path) -> tuple[dict, list[SourceError]]:
    """mkdocs.yml, read once for the whole run. Without one, the defaults; one that is not YAML settings
    is an error here rather than a site built without its settings."""
    try:
        data = yaml.safe_load(mkdocs_file.read_text(encoding="utf-8")) or {}
    except OSError:
        return {}, []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return {}, [
            SourceError(
                Location(mkdocs_file, mark.line + 1 if mark else 1),
                f"not valid YAML: {exc}",
                hint="mkdocs.yml holds the site's settings; see https://www.mkdocs.org/user-guide/configuration/",
            )
        ]
    if not isinstance(data, dict):
        return {}, [SourceError(Location(mkdocs_file, 1), "mkdocs.yml must hold 'key: value' settings")]
    return data, []
