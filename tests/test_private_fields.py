"""Issue 19: nothing private leaves with the bibliography. A work exported with every private field of
Zotero (Better BibTeX), Mendeley, JabRef and BibDesk, each holding a unique marker, is cited by a
published note; after a real build no public file (pages, search index, feed, sitemap, BibTeX, CSL
JSON, RIS, PDF text and streams, every part of each DOCX) holds any marker or local path."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import zipfile
from pathlib import Path

import pikepdf
import pypdf
import pytest
from conftest import REPO, TinyProject

FIXTURE = REPO / "tests" / "fixtures" / "bib" / "private" / "reference-manager-exports.bib"
PUBLIC_KEY, PATHS_KEY = "sentinelPrivateFields2024", "sentinelLocalPaths2023"


def markers() -> set[str]:
    """Every marker in the fixture, read from the file itself (so a new field is covered at once)."""
    found = set(re.findall(r"ZQX[A-Z]+", FIXTURE.read_text(encoding="utf-8")))
    assert len(found) >= 30, found
    return found


# parts of the authors' machines that must never show, whatever field they were in
LOCAL_TRACES = ("jane.doe", "/Users/", "lhaddad", "Dropbox", "C:/Users", "file://")
THEME_ASSETS = ("assets/javascripts/", "assets/stylesheets/")


def sentinel_project(root: Path, council_yml: str | None = None) -> TinyProject:
    project = TinyProject(root)
    shutil.copy(FIXTURE, project.root / "bibliography" / FIXTURE.name)
    if council_yml is not None:
        (project.root / "council.yml").write_text(council_yml, encoding="utf-8")
    project.note(
        "early-warning.md",
        title="Early warning in practice",
        body=f"Early warning works [@{PUBLIC_KEY}, p 305]. So does monitoring [@{PATHS_KEY}; @alphaReport2020].\n",
    )
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> TinyProject:
    return sentinel_project(tmp_path_factory.mktemp("private-fields"))


def public_files(site: Path) -> dict[str, str]:
    """Every file a visitor could fetch, as searchable text: PDFs as page text plus every decoded
    stream and the metadata, Word files as every part of the zip, compressed files unpacked."""
    texts = {}
    for path in sorted(site.resolve().rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".pdf":
            reader = pypdf.PdfReader(path)
            chunks = [page.extract_text() for page in reader.pages]
            chunks.append(json.dumps({str(k): str(v) for k, v in (reader.metadata or {}).items()}))
            with pikepdf.open(path) as pdf:
                chunks.extend(
                    obj.read_bytes().decode("latin-1") for obj in pdf.objects if isinstance(obj, pikepdf.Stream)
                )
            text = "\n".join(chunks)
        elif path.suffix == ".docx":
            with zipfile.ZipFile(path) as archive:
                text = "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
        elif path.suffix == ".gz":
            text = gzip.decompress(data).decode("utf-8", "replace")
        else:
            text = data.decode("utf-8", "replace")
        texts[path.relative_to(site.resolve()).as_posix()] = text
    return texts


def test_no_private_field_or_local_path_reaches_any_public_file(built: TinyProject) -> None:
    files = public_files(built.site)
    kinds = {name.rsplit(".", 1)[-1] for name in files}
    assert {"html", "pdf", "docx", "bib", "json", "ris", "xml"} <= kinds, kinds
    assert "search/search_index.json" in files
    leaks = [(name, marker) for name, text in files.items() for marker in markers() if marker.lower() in text.lower()]
    assert leaks == [], leaks
    # the site engine's own scripts mention such paths in their code; council's files never do
    ours = {name: text for name, text in files.items() if not name.startswith(THEME_ASSETS)}
    paths = [(name, trace) for name, text in ours.items() for trace in LOCAL_TRACES if trace.lower() in text.lower()]
    assert paths == [], paths


def test_the_works_themselves_are_still_published_with_their_public_fields(built: TinyProject) -> None:
    """The filter must not simply drop the works: the fields a citation needs all go out."""
    files = public_files(built.site)
    briefing = "briefings/early-warning/early-warning-references"
    for stem in ("library/council-library", briefing):
        bib, items, ris = files[f"{stem}.bib"], json.loads(files[f"{stem}.json"]), files[f"{stem}.ris"]
        assert "@article{sentinelPrivateFields2024," in bib and "doi = {10.1080/14623528.2024.0000001}" in bib
        assert "url = {https://example.org/early-warning}" in bib and "urldate = {2026-10-01}" in bib
        work = next(item for item in items if item["id"] == PUBLIC_KEY)
        assert work["DOI"] == "10.1080/14623528.2024.0000001" and work["URL"] == "https://example.org/early-warning"
        assert work["volume"] == "26" and work["page"] == "301-322" and work["container-title"]
        assert "UR  - https://example.org/early-warning" in ris and "DO  - 10.1080/14623528.2024.0000001" in ris
        paths_work = next(item for item in items if item["id"] == PATHS_KEY)
        assert paths_work["publisher"] == "Research Council" and "publisher-place" not in paths_work
    pdf = " ".join(files["briefings/early-warning/early-warning.pdf"].split()).lower()
    assert "early warning and the duty to prevent" in pdf and "journal of genocide research" in pdf
    assert any(
        "Journal of Genocide Research" in text
        for name, text in files.items()
        if name.startswith("library/") and name.endswith("/index.html")
    )  # the work's letter page


def test_the_exported_bibtex_loads_again(built: TinyProject, tmp_path: Path) -> None:
    """What is left of an entry is still valid BibTeX: council reads the export back as a bibliography."""
    exported = built.site.resolve() / "library" / "council-library.bib"
    check = TinyProject(tmp_path)
    (check.root / "bibliography" / "library.bib").unlink()
    shutil.copy(exported, check.root / "bibliography" / "exported.bib")
    result = check.council("bib", "check")
    assert result.returncode == 0, result.stderr
    assert "private fields" not in result.stdout  # nothing private left to report
    assert "3 works checked" in result.stdout


def test_council_yml_can_make_note_public_and_nothing_else(tmp_path: Path) -> None:
    council_yml = (REPO / "council.yml").read_text(encoding="utf-8") + "bibliography:\n  public_fields: [note]\n"
    project = sentinel_project(tmp_path, council_yml)
    files = public_files(project.site)
    library_bib, library_json = files["library/council-library.bib"], files["library/council-library.json"]
    assert "note = {ZQXNOTE check with Leila first}" in library_bib and "addendum = {ZQXADDENDUM}" in library_bib
    assert any(item.get("note") == "ZQXNOTE check with Leila first. ZQXADDENDUM" for item in json.loads(library_json))
    still_private = markers() - {"ZQXNOTE", "ZQXADDENDUM"}
    leaks = [(name, m) for name, text in files.items() for m in still_private if m.lower() in text.lower()]
    assert leaks == [], leaks


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("[file]", "'file' can never be public"),
        ("[annote]", "'annote' can never be public"),
        ("[notes]", "'notes' cannot be made public"),
        ("[title]", "'title' is public already"),
        ("note", "public_fields must be a list"),
    ],
)
def test_public_fields_setting_is_validated(project: TinyProject, setting: str, message: str) -> None:
    text = (REPO / "council.yml").read_text(encoding="utf-8") + f"bibliography:\n  public_fields: {setting}\n"
    (project.root / "council.yml").write_text(text, encoding="utf-8")
    line = len(text.rstrip("\n").split("\n"))
    result = project.build()
    assert result.returncode == 1
    assert f"council.yml:{line}: error: field 'bibliography.public_fields': {message}" in result.stderr, result.stderr
    assert not (project.root / "site").exists()


def test_bib_check_names_private_fields_as_information(project: TinyProject) -> None:
    shutil.copy(FIXTURE, project.root / "bibliography" / FIXTURE.name)
    project.note(
        "cites.md", body=f"Text [@{PUBLIC_KEY}; @{PATHS_KEY}; @alphaReport2020; @betaBook2015; @gammaArticle2022].\n"
    )
    result = project.council("bib", "check")
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if "private fields" in line]
    assert len(lines) == 1, result.stdout  # one line per file; library.bib has none
    line = lines[0]
    assert line.startswith(f"bibliography/{FIXTURE.name}: 2 entries carry private fields (")
    assert line.endswith("); council keeps them off the site")
    named = line.split("(", 1)[1].rsplit(")", 1)[0]
    for field in (
        "file",
        "annote",
        "abstract",
        "keywords",
        "mendeley-tags",
        "groups",
        "owner",
        "timestamp",
        "comment",
        "readstatus",
        "priority",
        "ranking",
        "qualityassured",
        "note",
    ):
        assert re.search(rf"(^|, ){re.escape(field)}(,|$)", named), field
    assert "location (local path)" in named and "title" not in named.split(", ")
    assert "Zotero/storage" not in result.stdout  # the paths only with --verbose
    # information, not a warning: the headline counts no finding for it
    assert "0 errors, 0 warnings" in result.stderr and "warning:" not in result.stderr

    verbose = project.council("bib", "check", "--verbose")
    assert verbose.returncode == 0
    text = FIXTURE.read_text(encoding="utf-8").split("\n")
    expected = {
        ("file", "ZQXFILEPATH"),
        ("local-url", "ZQXLOCALURL"),
        ("pdf", "ZQXPDFPATH"),
        ("location", "ZQXWINDOWSPATH"),
        ("venue", "ZQXFILEURL"),
        ("type", "ZQXTILDEPATH"),
    }
    for field, marker in expected:
        number = next(n for n, written in enumerate(text, 1) if marker in written)
        pattern = rf"^    bibliography/{re.escape(FIXTURE.name)}:{number}: \w+: {re.escape(field)} = .*{marker}"
        assert re.search(pattern, verbose.stdout, re.M), (field, verbose.stdout)
    # the path held by an @string macro is shown where the field uses it
    assert re.search(r"howpublished = /Users/jane\.doe/Zotero/storage/ZQXMACROPATH/draft\.pdf$", verbose.stdout, re.M)


def test_bib_check_says_nothing_about_privacy_for_a_clean_file(project: TinyProject) -> None:
    project.note("cites.md", body="Text [@alphaReport2020; @betaBook2015; @gammaArticle2022].\n")
    result = project.council("bib", "check", "--verbose")
    assert result.returncode == 0
    assert "private" not in result.stdout


def test_removing_fields_keeps_the_rest_exactly_as_written(tmp_path: Path) -> None:
    """Macros, concatenation, quoted values, parenthesised entries and private fields last or first."""
    from council.base.public_fields import public_entry, public_fields
    from council.sources.bibliography import load_library_files

    text = (
        '@string{pub = "Oxford University Press"}\n'
        '@book(kept1999,\n  file = {/home/x/a.pdf}, title = "A {Braced} Title",\n'
        "  publisher = pub # { Inc},\n  year = 1999, annote = {a {nested} note}\n)\n"
    )
    (tmp_path / "x.bib").write_text(text, encoding="utf-8")
    entry = load_library_files([tmp_path / "x.bib"])[0].entries["kept1999"]
    raw = public_entry(entry, public_fields()).raw
    assert raw == '@book(kept1999, title = "A {Braced} Title",\n  publisher = pub # { Inc},\n  year = 1999\n)'


def test_bib_check_names_private_fields_even_when_it_finds_errors(project: TinyProject) -> None:
    """Information never changes the exit code: errors still fail, and the line is still there."""
    project.bib(
        "broken.bib",
        "@article{noJournal2020,\n  title = {No Journal},\n  author = {Doe, Jane},\n"
        "  date = {2020},\n  annote = {mine},\n  file = {~/Papers/a.pdf}\n}\n",
    )
    project.note("cites.md", body="Text [@noJournal2020; @alphaReport2020; @betaBook2015; @gammaArticle2022].\n")
    result = project.council("bib", "check")
    assert result.returncode == 1
    assert "bibliography/broken.bib:1: error:" in result.stderr
    assert (
        "bibliography/broken.bib: 1 entry carries private fields (annote, file); council keeps them off the site"
        in result.stdout.splitlines()
    )


def test_bibdesk_private_fields_leave_the_bibtex_whatever_their_case(tmp_path: Path) -> None:
    """BibDesk writes `Bdsk-File-1` and `Date-Added` with capitals: the exported text loses them, read
    back by bibtexparser (an independent reader)."""
    import bibtexparser

    from council.base.public_fields import public_entry, public_fields
    from council.sources.bibliography import load_library_files

    text = (
        "@article{desk2019,\n  Author = {Doe, Jane},\n  Bdsk-File-1 = {YnBsaXN0MDDUAQIDBAUGJCVYJHZlcnNpb24=},\n"
        "  Date-Added = {2019-03-04 10:11:12 +0000},\n  Title = {Kept},\n  Journal = {J},\n  Year = {2019}}\n"
    )
    (tmp_path / "desk.bib").write_text(text, encoding="utf-8")
    entry = load_library_files([tmp_path / "desk.bib"])[0].entries["desk2019"]
    raw = public_entry(entry, public_fields()).raw
    [read] = bibtexparser.parse_string(raw).entries
    assert sorted(f.key.lower() for f in read.fields) == ["author", "journal", "title", "year"]
    assert "YnBsaXN0" not in raw and "2019-03-04" not in raw


def test_a_macro_holding_a_local_path_is_not_exported(tmp_path: Path) -> None:
    from council.base.public_fields import public_fields, public_library
    from council.sources.bibliography import load_library_files

    text = (
        "@string{pdfs = {/Users/jane/Papers/}}\n@string{pub = {Council Press}}\n"
        "@book{b2020, title = {T}, publisher = pub, year = 2020, author = {Doe, J}}\n"
    )
    (tmp_path / "m.bib").write_text(text, encoding="utf-8")
    library = public_library(load_library_files([tmp_path / "m.bib"])[0], public_fields())
    assert library.strings == ("@string{pub = {Council Press}}",)
