"""One place per fact, and no state that outlives the project it was read for: mkdocs.yml read once
into the project config, the one atomic write, style facts that follow an edited style, and the
error family."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from council.authoring.mail import MessageRefused
from council.base.config import load_config
from council.base.errors import CouncilError, Location, ProblemsFound, SourceError, display_path, set_display_root
from council.base.files import write_atomically
from council.base.style_catalogue import STYLES_DIR
from council.citations.style_facts import style_facts
from council.sources.briefings import BriefingProblems
from council.sources.requests import RequestProblems

REPO = Path(__file__).resolve().parents[1]


def project(tmp_path: Path, mkdocs: str | None) -> Path:
    shutil.copy(REPO / "council.yml", tmp_path / "council.yml")
    if mkdocs is not None:
        (tmp_path / "mkdocs.yml").write_text(mkdocs, encoding="utf-8")
    return tmp_path


def test_the_site_settings_come_from_mkdocs_yml_read_with_the_config(tmp_path: Path) -> None:
    config = load_config(project(tmp_path, "site_name: Test Council\nsite_url: https://example.org/briefings/\n"))
    assert (config.site_name, config.site_url) == ("Test Council", "https://example.org/briefings/")
    assert config.site_settings["site_name"] == "Test Council"
    (tmp_path / "mkdocs.yml").write_text("site_name: Renamed\n", encoding="utf-8")
    assert config.site_url == "https://example.org/briefings/"  # what this run read, whole
    assert load_config(tmp_path).site_url == "" and load_config(tmp_path).site_name == "Renamed"


def test_without_mkdocs_yml_the_defaults_hold(tmp_path: Path) -> None:
    config = load_config(project(tmp_path, None))
    assert (config.site_name, config.site_url, config.site_settings) == ("Briefings", "", {})


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("site_name: A\nnav: [unclosed\n", 3, "not valid YAML"),
        ("- just\n- a list\n", 1, "must hold 'key: value' settings"),
    ],
)
def test_a_broken_mkdocs_yml_is_an_error_with_its_place(tmp_path: Path, text: str, line: int, message: str) -> None:
    with pytest.raises(ProblemsFound) as found:
        load_config(project(tmp_path, text))
    [problem] = found.value.problems
    assert problem.location.path.name == "mkdocs.yml" and problem.location.line == line
    assert message in problem.message


def test_paths_are_config_properties(tmp_path: Path) -> None:
    config = load_config(project(tmp_path, "site_name: A\n"))
    root = tmp_path.resolve()
    assert config.requests_dir == root / "requests" and config.config_file == root / "council.yml"
    assert config.restricted_dir == root / "build" / "restricted"
    assert config.report_outputs_dir == root / "build" / "reports"
    assert config.source_dirs == (root / "briefings", root / "bibliography", root / "reports", root / "requests")


def test_an_atomic_write_gives_a_new_file_ordinary_permissions_and_keeps_an_old_files(tmp_path: Path) -> None:
    mask = os.umask(0o027)
    try:
        fresh = write_atomically(tmp_path / "fresh.txt", "één")
        private = write_atomically(tmp_path / "private.pdf", b"%PDF", mode=0o600)
        kept = tmp_path / "kept.md"
        kept.write_text("old", encoding="utf-8")
        kept.chmod(0o640)
        write_atomically(kept, "new")
    finally:
        os.umask(mask)
    assert fresh.read_bytes() == "één".encode() and fresh.stat().st_mode & 0o777 == 0o640
    assert private.stat().st_mode & 0o777 == 0o600
    assert kept.read_text(encoding="utf-8") == "new" and kept.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh.txt", "kept.md", "private.pdf"]  # no temporaries


def test_a_failed_atomic_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"old")
    with pytest.raises(TypeError):
        write_atomically(target, 42)  # type: ignore[arg-type]  # not bytes: fails half-way through
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


def test_style_facts_follow_an_edited_style(tmp_path: Path) -> None:
    """`council serve` keeps one process: a style edited while it runs must not keep its old facts."""
    style = tmp_path / "house.csl"
    source = (STYLES_DIR / "oscola.csl").read_text(encoding="utf-8")
    style.write_text(source, encoding="utf-8")
    assert style_facts(style).note_style
    style.write_text(source.replace('class="note"', 'class="in-text"', 1), encoding="utf-8")
    assert not style_facts(style).note_style


def test_the_display_root_belongs_to_the_context_that_set_it(tmp_path: Path) -> None:
    import contextvars

    inside = tmp_path / "briefings" / "a.md"

    def shown() -> str:
        set_display_root(tmp_path)
        return display_path(inside)

    assert contextvars.copy_context().run(shown) == "briefings/a.md"
    assert contextvars.copy_context().run(display_path, inside) == str(inside)  # a fresh context: no root


@pytest.mark.parametrize("kind", [BriefingProblems, RequestProblems, MessageRefused])
def test_the_problems_of_one_file_are_council_errors(kind: type[ProblemsFound], tmp_path: Path) -> None:
    found = kind(
        [
            SourceError(Location(tmp_path / "x.md", 3), "wrong", field="date"),
            SourceError(Location(tmp_path / "x.md", 1), "also wrong"),
        ]
    )
    assert isinstance(found, CouncilError)
    assert [p.location.line for p in found.problems] == [1, 3]
    assert found.show().endswith("2 errors found; nothing was written.")
