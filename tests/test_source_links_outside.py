"""Issue 26, outside tester: requests/R-2026-099.yml linked to a file outside the project was read and
its text published. Every source kept in a fixed place (requests, the glossary, a report's
report.yml, sections and data tables) is refused, unread, when it resolves outside the project."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import REPO, TinyProject

SECRET = "SECRET-FROM-OUTSIDE-THE-PROJECT"


@pytest.fixture()
def elsewhere(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("elsewhere")  # not under tmp_path, the project's own folder


def outside_copy(folder: Path, source: Path) -> Path:
    """A copy of `source` outside the project, with the secret in a comment line."""
    target = folder / source.name
    marker = f"# {SECRET}\n" if source.suffix == ".yml" else ""
    target.write_text(marker + source.read_text(encoding="utf-8"), encoding="utf-8")
    return target


def test_a_request_linked_from_outside_is_refused_by_check_and_build(project: TinyProject, elsewhere: Path) -> None:
    (project.root / "requests").mkdir()
    linked = project.root / "requests" / "R-2026-099.yml"
    linked.symlink_to(outside_copy(elsewhere, sorted((REPO / "requests").glob("R-*.yml"))[0]))
    for result in (project.council("check"), project.build()):
        assert result.returncode == 1, result.stderr
        assert "requests/R-2026-099.yml: error: this file leads to " in result.stderr, result.stderr
        assert "outside the project folder" in result.stderr and "Traceback" not in result.stderr
    if project.site.exists():
        assert not [p for p in project.site.rglob("*") if p.is_file() and SECRET in p.read_text(errors="replace")]


def test_a_glossary_linked_from_outside_is_refused(project: TinyProject, elsewhere: Path) -> None:
    (project.root / "glossary.yml").symlink_to(outside_copy(elsewhere, REPO / "glossary.yml"))
    result = project.council("check")
    assert result.returncode == 1
    assert "glossary.yml: error: this file leads to " in result.stderr, result.stderr


def test_report_files_linked_from_outside_are_refused_each_at_its_file(project: TinyProject, elsewhere: Path) -> None:
    folder = project.root / "reports" / "2025-26"
    shutil.copytree(Path(__file__).parent / "fixtures" / "reports" / "2025-26", folder)
    for name in ("report.yml", "summary.md", "funding.csv"):
        target = outside_copy(elsewhere, folder / name)
        (folder / name).unlink()
        (folder / name).symlink_to(target)
    result = project.council("check")
    assert result.returncode == 1
    for name in ("report.yml", "summary.md", "funding.csv"):
        assert f"reports/2025-26/{name}: error: this file leads to " in result.stderr, (name, result.stderr)
    assert "Traceback" not in result.stderr
