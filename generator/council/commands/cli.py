"""The `council` command. Errors are presented once, here, at the boundary: never a traceback."""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
import traceback
from pathlib import Path

import click

from council.base.config import load_config
from council.base.errors import CouncilError, display_path, in_reading_order, set_display_root, storage_error


def _project(path: str | None) -> Path:
    start = Path(path or ".").resolve()
    for folder in (start, *start.parents):
        if (folder / "council.yml").exists() or (folder / "mkdocs.yml").exists():
            return folder
    raise CouncilError(f"no council project here ({start}): run council in the folder holding council.yml")


def _now(value: str | None) -> dt.datetime:
    if value is None:
        return dt.datetime.now(dt.timezone.utc)
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise CouncilError(f"--now {value!r} is not an ISO date or date-time such as 2026-03-14T09:00Z") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


project_option = click.option(
    "--project",
    "project",
    default=None,
    type=click.Path(file_okay=False),
    help="Project folder (default: this folder or the nearest parent with council.yml).",
)


@click.group(help="Publish the Research Council's briefings as a website, tagged PDFs and Word files.")
@click.version_option(package_name="council")
def cli() -> None:
    pass


@cli.command(
    help="Validate every source and report every problem at once. Writes nothing but its house-style "
    "cache (build/cache/house-style/). With NOTES (e.g. briefings/x.md), check just those notes and "
    "the works they cite."
)
@click.argument("notes", nargs=-1, type=click.Path(path_type=Path))
@project_option
@click.option("--strict", is_flag=True, help="House-style findings are errors, not warnings (for pre-publication CI).")
def check(notes: tuple[Path, ...], project: str | None, strict: bool) -> None:
    from council.pipeline.site import check as check_sources

    config = _configure(project)
    if notes:
        return _check_notes(config, notes, strict)
    sources = check_sources(config, style=True, strict=strict)  # the house style too, even in broken notes
    found = in_reading_order(sources.warnings)
    if found:  # one write: an archive can have thousands of house-style warnings
        click.echo("\n".join(warning.show() for warning in found), err=True)
    click.echo(
        f"ok: {len(sources.briefings)} briefings, {len(sources.library.entries)} works and "
        f"{len(sources.reports)} reports to Parliament checked"
    )


@cli.command(
    help="A table of every briefing's prose: words, reading time, longest sentence, readability "
    "(Flesch reading ease) and house-style findings; also written to build/style.csv."
)
@project_option
def style(project: str | None) -> None:
    from council.pipeline.site import check as check_sources
    from council.sources.house_style import STYLE_COLUMNS, check_house_style, style_rows, write_style_csv
    from council.sources.style_cache import StyleCache

    config = _configure(project)
    sources = check_sources(config)
    reports, problems = check_house_style(config, sources.briefings, sources.glossary, cache=StyleCache(config))
    rows = style_rows(reports)
    widths = [max(len(c), *(len(r[i]) for r in rows)) if rows else len(c) for i, c in enumerate(STYLE_COLUMNS)]
    for row in (STYLE_COLUMNS, *rows):
        cells = enumerate(zip(row, widths, strict=True))
        click.echo("  ".join(cell.ljust(w) if i < 2 else cell.rjust(w) for i, (cell, w) in cells))
    target = config.build_dir / "style.csv"
    write_style_csv(target, rows)
    click.echo(
        f"{len(problems)} house-style finding(s) in {len(rows)} briefings (`council check` lists them); "
        f"wrote {target.relative_to(config.root)}"
    )


def _check_notes(config, notes: tuple[Path, ...], strict: bool) -> None:  # type: ignore[no-untyped-def]
    """`council check briefings/x.md ...`: each note's problems, all of them in one run."""
    from council.base.cache import ContentCache
    from council.base.errors import ProblemsFound, raise_if_any
    from council.pipeline.note import check_note, note_path

    paths = [note_path(config, note) for note in notes]  # a wrong path stops before anything is read
    cache = ContentCache(config.cache_dir, writable=False)
    found, checked = [], 0
    for path in paths:
        try:
            found += check_note(config, path, cache, strict=strict).warnings
            checked += 1
        except ProblemsFound as problems:
            found += problems.problems
    raise_if_any(found)
    for warning in found:
        click.echo(warning.show(), err=True)
    click.echo(
        f"ok: {checked} briefing{'s' if checked != 1 else ''} checked ({', '.join(display_path(p) for p in paths)})"
    )


@cli.command(
    help="Publish a note: check it strictly (any finding refuses it), set status: published, the date and the next series number, and "
    "record its URL in briefings/published.yml."
)
@click.argument("slug")
@click.option(
    "--date",
    "day",
    default=None,
    type=click.DateTime(["%Y-%m-%d"]),
    help="Publication date (YYYY-MM-DD; default: today).",
)
@project_option
def publish(slug: str, day: dt.datetime | None, project: str | None) -> None:
    from council.authoring.publish_note import note_to_publish, publishing_record, refuse_unless_clean
    from council.authoring.publish_note import publish as publish_note
    from council.publish.record import KEEPS_URL

    config = _configure(project)
    name = note_to_publish(config, slug)
    briefings = publishing_record(config)  # a ledger or live number it would break refuses, writing nothing
    already = next((b.status in KEEPS_URL for b in briefings if b.slug == name), False)
    if not already:  # a published note passed the strict check then; publish only finishes its record now
        refuse_unless_clean(config, name)  # any finding of the strict check refuses
    done = publish_note(config, briefings, name, day.date() if day else dt.date.today())
    click.echo(
        f"published {done.path.relative_to(config.root)}"
        + (f" as {done.number}" if done.number else "")
        + f", dated {done.date.isoformat()}; recorded in briefings/published.yml"
    )


@cli.command(
    help="Build the site, PDFs and Word files into site/ (a link to the newest complete release in "
    "build/releases). With NOTES (e.g. briefings/x.md), render just those notes' pages, PDFs and "
    "Word files into build/single/ (drafts too); site/ is not touched."
)
@click.argument("notes", nargs=-1, type=click.Path(path_type=Path))
@project_option
@click.option("--now", default=None, help="Pretend it is this moment (ISO 8601) when applying embargoes.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--timings", is_flag=True, help="Print seconds spent in each stage (for benchmarks).")
def build(notes: tuple[Path, ...], project: str | None, now: str | None, quiet: bool, timings: bool) -> None:
    from council.pipeline.site import build as run_build

    config = _configure(project)
    if notes:
        return _build_notes(config, notes, _now(now))
    summary = run_build(config, _now(now), progress=not quiet)
    for warning in summary.warnings:
        click.echo(warning.show(), err=True)
    for note in summary.withheld_notes:  # one line each, so nobody wonders where a note went
        click.echo(f"withheld {display_path(note.path)}: {note.reason}")
    for line in summary.resized:  # oversized images, and what the readers download instead
        click.echo(line)
    click.echo(
        f"built {summary.built}, reused from cache {summary.reused}, withheld by the publication gate "
        f"{summary.withheld}, failed 0 -> {summary.site}/index.html"
        + ("" if summary.site_changed else f" (site unchanged): {_current(summary.current)}")
    )
    if timings:
        click.echo("timings: " + json.dumps({k: round(v, 3) for k, v in summary.timings.items()}))


def _current(count: int) -> str:
    return f"its {count} briefing{'s are' if count != 1 else ' is'} current"


def _build_notes(config, notes: tuple[Path, ...], now: dt.datetime) -> None:  # type: ignore[no-untyped-def]
    from council.pipeline.note import build_note, note_path

    for path in [note_path(config, note) for note in notes]:
        outputs, warnings = build_note(config, path, now)
        for warning in warnings:
            click.echo(warning.show(), err=True)
        for output in (outputs.page, outputs.pdf, outputs.docx):
            click.echo(f"wrote {display_path(output)}")


@cli.command(help="Start a new research note with valid front matter.")
@click.argument("title")
@click.option("--author", default=None, help="Author's name as it should appear (default: a placeholder to replace).")
@project_option
def new(title: str, author: str | None, project: str | None) -> None:
    from council.authoring.scaffold import new_briefing
    from council.sources.text import PLACEHOLDERS

    config = _configure(project)
    path = new_briefing(config.briefings_dir, title, author or PLACEHOLDERS["author"], dt.date.today())
    click.echo(f"created {path.relative_to(config.root)} (status: draft); edit it, then run `council check`")


@cli.command(
    "import",
    help="Turn a Word draft (.docx, with Zotero or Mendeley citations) into a draft note in "
    "briefings/; works not in the library are added to bibliography/imported.bib.",
)
@click.argument("draft", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--slug", default=None, help="The note's file name (default: the Word file's name, slugified).")
@click.option("--author", "authors", multiple=True, help="An author (repeat for several; default: the file's authors).")
@click.option("--accept-changes", is_flag=True, help="Take tracked changes as accepted (otherwise they are refused).")
@click.option("--force", is_flag=True, help="Replace an existing draft of the same name (never a published note).")
@project_option
def import_(
    draft: Path, slug: str | None, authors: tuple[str, ...], accept_changes: bool, force: bool, project: str | None
) -> None:
    from council.authoring.word_import import import_docx, import_report

    config = _configure(project)
    result = import_docx(
        config, draft.resolve(), slug=slug, authors=authors, accept_changes=accept_changes, force=force
    )
    for line in import_report(result, config.root):
        click.echo(line)


@cli.command(help="Preview the site locally, rebuilding when a source changes.")
@project_option
@click.option("--port", default=8000, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--drafts", is_flag=True, help="Also show drafts, notes in review and embargoed notes, under a banner.")
def serve(project: str | None, port: int, host: str, drafts: bool) -> None:
    from council.commands.serve import serve as run_server

    run_server(_configure(project), host, port, drafts)


@cli.command(
    help="List the values front matter may use: workstreams, tools, recommendations and countries. "
    "With WORDS, only the entries that mention all of them (e.g. `council vocab sahel`)."
)
@click.argument("words", nargs=-1)
def vocab(words: tuple[str, ...]) -> None:
    from council.commands.vocab import search, vocab_lines, vocab_sections

    sections = vocab_sections()
    if words:
        sections = search(sections, " ".join(words))
        if not sections:
            raise CouncilError(
                f"nothing in the vocabularies mentions {' '.join(words)!r}; run `council vocab` for the whole list"
            )
    for line in vocab_lines(sections):
        click.echo(line)


# --- bibliography ---
@cli.group(help="Work with the bibliography (the .bib files in bibliography/).")
def bib() -> None:
    pass


@bib.command(
    "check",
    help="Lint .bib files (default: all of bibliography/): unreadable entries, repeated "
    "fields, duplicate keys and works, missing fields, malformed DOIs, URLs and dates, "
    "uncited works. A finding about a cited entry is an error, otherwise a warning. "
    "Writes nothing.",
)
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--verbose", is_flag=True, help="Also list every local file path found in the entries.")
@project_option
@click.option("--strict", is_flag=True, help="Make every finding an error, cited or not.")
@click.option("--summary", is_flag=True, help="Print a table of findings by kind and by file instead of each one.")
@click.option("--unused", is_flag=True, help="Only list the works no briefing or report cites yet.")
def bib_check(
    files: tuple[Path, ...], verbose: bool, project: str | None, strict: bool, summary: bool, unused: bool
) -> None:
    from council.base.errors import ProblemsListed
    from council.base.public_fields import private_fields_report, public_fields
    from council.citations.lint import by_file, check_bibliography, headline, summary_table, unused_works
    from council.sources.bibliography import bib_files

    config = _configure(project)
    library, problems = check_bibliography(config, list(files) or None, strict=strict)
    if unused:
        for line in unused_works(problems):
            click.echo(line)
        return
    count = len(files) if files else len(bib_files(config.bibliography_dir))
    lines = [headline(library, count, problems)]  # counts first
    if problems:
        lines += ["", summary_table(problems) if summary else by_file(problems)]
    click.echo("\n".join(lines), err=True)
    # information, not a warning (reference managers export these; the site never shows them), so it
    # is said whether or not there are errors, and never changes the exit code
    for line in private_fields_report(library.entries.values(), public_fields(config.public_fields), verbose=verbose):
        click.echo(line)
    errors = sum(not p.warning for p in problems)
    if errors:
        raise ProblemsListed(errors)
    click.echo(f"ok: {len(library.entries)} works checked, {len(problems)} warning(s)")


# --- requests and digest ---
@cli.group(help="Policymakers' requests for research (the files in requests/).")
def request() -> None:
    pass


@request.command("new", help="Record a new request from a department, with status open.")
@click.option("--department", required=True, help="The requesting department or office.")
@click.option("--question", required=True, help="The question, in the department's words.")
@click.option("--priority", type=click.Choice(["high", "medium", "low"]), default="medium", show_default=True)
@click.option("--due", type=click.DateTime(["%Y-%m-%d"]), default=None, help="When the answer is needed (YYYY-MM-DD).")
@project_option
def request_new(department: str, question: str, priority: str, due: dt.datetime | None, project: str | None) -> None:
    from council.authoring.scaffold import new_request

    config = _configure(project)
    path = new_request(
        config.requests_dir, department, question, priority, dt.date.today(), due.date() if due else None
    )
    click.echo(f"created {path.relative_to(config.root)} (status: open); run `council check` after editing it")


@request.command(
    "import",
    help="Record requests that came by email: .eml files or mbox folders, one request per "
    "message. Messages imported before (same Message-ID) are skipped.",
)
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@project_option
def request_import(files: tuple[Path, ...], project: str | None) -> None:
    from council.authoring.mail import import_messages

    config = _configure(project)
    report = import_messages(list(files), config.requests_dir, dt.date.today())
    for line in report.lines:
        click.echo(line)
    for problem in report.refused:
        click.echo(problem.show(), err=True)
    click.echo(
        f"{len(report.created)} request(s) created, {len(report.refused)} problem(s) in refused messages"
        + ("; run `council check` after editing them" if report.created else "")
    )
    if report.refused:
        sys.exit(1)


site_url_option = click.option(
    "--site-url", default=None, help="The site's address for links (default: site_url in mkdocs.yml)."
)
reply_now_option = click.option("--now", default=None, help="Date the reply as this moment (ISO 8601).")


@request.command("ack", help="Write the acknowledgement of an emailed request to build/replies/ID-ack.eml.")
@click.argument("request_id", metavar="ID")
@site_url_option
@reply_now_option
@project_option
def request_ack(request_id: str, site_url: str | None, now: str | None, project: str | None) -> None:
    from council.authoring.replies import write_ack

    click.echo(write_ack(_configure(project), request_id, site_url, _now(now)))


@request.command(
    "answered",
    help="Write the reply linking the briefing that answers an emailed request to build/replies/ID-answered.eml.",
)
@click.argument("request_id", metavar="ID")
@site_url_option
@reply_now_option
@project_option
def request_answered(request_id: str, site_url: str | None, now: str | None, project: str | None) -> None:
    from council.authoring.replies import write_answered

    click.echo(write_answered(_configure(project), request_id, site_url, _now(now)))


@cli.command(
    help="Write an email-ready digest (HTML and plain text) of briefings published since DATE into build/digest/."
)
@click.option(
    "--since",
    "since",
    required=True,
    type=click.DateTime(["%Y-%m-%d"]),
    help="Include briefings dated on or after this day (YYYY-MM-DD).",
)
@click.option("--now", default=None, help="Pretend it is this moment (ISO 8601) when applying embargoes.")
@click.option("--site-url", default=None, help="The site's address for links (default: site_url in mkdocs.yml).")
@project_option
def digest(since: dt.datetime, now: str | None, site_url: str | None, project: str | None) -> None:
    from council.commands.digest import write_digest
    from council.pipeline.site import check as check_sources
    from council.publish.site_pages import site_url as configured_url

    config = _configure(project)
    sources = check_sources(config)
    url = configured_url(config) if site_url is None else site_url
    if not url:
        click.echo("warning: no site_url in mkdocs.yml and no --site-url: links in the digest are relative", err=True)
    for path in write_digest(config, sources.briefings, since.date(), _now(now), url):
        click.echo(path)


# --- report to Parliament ---
@cli.command(
    help="Build one period's report to Parliament (PDF and Word) into build/reports/PERIOD/; a classified "
    "annex, if any, goes only to build/restricted/PERIOD/. With --check, list the figures the "
    "narrative can quote and warn about hand-written numbers the data contradicts (every period "
    "if none is given); nothing is written."
)
@click.argument("period", required=False)
@project_option
@click.option("--now", default=None, help="Pretend it is this moment (ISO 8601) when choosing public briefings.")
@click.option("--check", "check_only", is_flag=True, help="Check the narrative against the figures; write nothing.")
def report(period: str | None, project: str | None, now: str | None, check_only: bool) -> None:
    from council.pipeline.site import build_report

    config = _configure(project)
    if check_only:
        _check_reports(config, period, _now(now))
        return
    if period is None:
        raise click.UsageError("name the period to build, e.g. `council report 2025-26`")
    outputs = build_report(config, period, _now(now))
    for path in (outputs.pdf, outputs.docx):
        click.echo(f"wrote {path.relative_to(config.root)}")
    if outputs.restricted is not None:
        click.echo(f"wrote {outputs.restricted.relative_to(config.root)} (classified annex: not for publication)")
    click.echo(f"{outputs.paragraphs} numbered paragraphs")


def _check_reports(config, period: str | None, now: dt.datetime) -> None:  # type: ignore[no-untyped-def]
    from council.pipeline.site import check_reports
    from council.report.quotable import figure_listing

    total = 0
    for checked in check_reports(config, period, now):
        click.echo(f"reports/{checked.period}: {len(checked.figures)} figures to quote as []{{.figure key=...}}")
        for line in figure_listing(checked.figures):
            click.echo(line)
        for warning in checked.warnings:
            click.echo(warning.show(), err=True)
        total += len(checked.warnings)
    click.echo(f"{total} warning{'' if total == 1 else 's'} about hand-written numbers")


def _configure(project: str | None):  # type: ignore[no-untyped-def]
    root = _project(project)
    set_display_root(root)
    return load_config(root)


def main() -> None:
    try:
        cli(standalone_mode=False)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        sys.exit(130)
    except CouncilError as exc:
        click.echo(exc.show(), err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted; the previous build is untouched", err=True)
        sys.exit(130)
    except OSError as exc:  # a full disk, an immutable folder: the author's to fix, said in one line
        known = storage_error(exc)
        if known is None:
            _internal_error()
        click.echo(known.show(), err=True)
        sys.exit(known.exit_code)
    except Exception:
        _internal_error()


def _internal_error() -> None:
    """A bug in council itself: say so plainly, keep the details for a report."""
    log = Path(tempfile.gettempdir()) / "council-crash.log"
    log.write_text(traceback.format_exc(), encoding="utf-8")
    click.echo(f"internal error in council: please report it with the details saved in {log.resolve()}", err=True)
    sys.exit(70)
