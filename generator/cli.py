"""The `council` command. Errors are presented once, here, at the boundary: never a traceback."""
from __future__ import annotations

import datetime as dt
import sys
import tempfile
import traceback
from pathlib import Path

import click

from council.config import load_config
from council.errors import CouncilError, set_display_root


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


project_option = click.option("--project", "project", default=None, type=click.Path(file_okay=False),
                              help="Project folder (default: this folder or the nearest parent with council.yml).")


@click.group(help="Publish the Research Council's briefings as a website, tagged PDFs and Word files.")
@click.version_option(package_name="council")
def cli() -> None:
    pass


@cli.command(help="Validate every source and report every problem at once. Writes nothing.")
@project_option
def check(project: str | None) -> None:
    from council.pipeline import check as check_sources

    config = _configure(project)
    sources = check_sources(config)
    for warning in sources.warnings:
        click.echo(warning.show(), err=True)
    click.echo(f"ok: {len(sources.briefings)} briefings and {len(sources.library.entries)} works checked")


@cli.command(help="Build the site, PDFs and Word files into site/ (a link to the newest complete release in build/releases).")
@project_option
@click.option("--now", default=None, help="Pretend it is this moment (ISO 8601) when applying embargoes.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def build(project: str | None, now: str | None, quiet: bool) -> None:
    from council.pipeline import build as run_build

    config = _configure(project)
    summary = run_build(config, _now(now), progress=not quiet)
    click.echo(f"built {summary.built}, reused from cache {summary.reused}, withheld by the publication gate "
               f"{summary.withheld}, failed 0 -> {summary.site}/index.html")


@cli.command(help="Start a new research note with valid front matter.")
@click.argument("title")
@click.option("--author", default="Your Name", help="Author's name as it should appear.")
@project_option
def new(title: str, author: str, project: str | None) -> None:
    from council.scaffold import new_briefing

    config = _configure(project)
    path = new_briefing(config.briefings_dir, title, author, dt.date.today())
    click.echo(f"created {path.relative_to(config.root)} (status: draft); edit it, then run `council check`")


@cli.command(help="Preview the site locally, rebuilding when a source changes.")
@project_option
@click.option("--port", default=8000, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
def serve(project: str | None, port: int, host: str) -> None:
    from council.serve import serve as run_server

    run_server(_configure(project), host, port)


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
    except Exception:  # a bug in council itself: say so plainly, keep the details for a report
        log = Path(tempfile.gettempdir()) / "council-crash.log"
        log.write_text(traceback.format_exc(), encoding="utf-8")
        click.echo(f"internal error in council: please report it with the details saved in {log.resolve()}",
                   err=True)
        sys.exit(70)
