"""One exception family for everything council refuses to do.

Problems are found where the data is read and carry their own location; commands collect
them and abort once with the whole list, so an author fixes every mistake in one pass.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


class CouncilError(Exception):
    """Base of every error council presents to a user instead of a traceback."""

    exit_code = 1

    def show(self) -> str:
        return f"error: {self}"


@dataclass(frozen=True)
class Location:
    path: Path
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        text = display_path(self.path)
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text


class SourceError(CouncilError):
    """A problem in one source file: where it is, what is wrong and what to do about it."""

    def __init__(
        self,
        location: Location,
        message: str,
        *,
        field: str | None = None,
        hint: str | None = None,
        warning: bool = False,
    ) -> None:
        self.location = location
        self.message = message
        self.field = field
        self.hint = hint
        self.warning = warning
        super().__init__(self.show())

    def __reduce__(self) -> tuple:
        """Whole across processes (PDFs are compiled in worker processes)."""
        return _source_error, (self.location, self.message, self.field, self.hint, self.warning)

    def show(self) -> str:
        kind = "warning" if self.warning else "error"
        where = f"{self.location}: {kind}"
        what = f"field '{self.field}': {self.message}" if self.field else self.message
        text = f"{where}: {what}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


class ProblemsFound(CouncilError):
    """Raised once, after every source has been checked, carrying every problem found."""

    def __init__(self, problems: list[SourceError]) -> None:
        self.problems = sorted(problems, key=_sort_key)
        super().__init__(f"{len(self.errors)} problem(s) found")

    @property
    def errors(self) -> list[SourceError]:
        return [p for p in self.problems if not p.warning]

    def show(self) -> str:
        lines = [p.show() for p in self.problems]
        count = len(self.errors)
        lines.append(f"{count} error{'s' if count != 1 else ''} found; nothing was written.")
        return "\n".join(lines)


class ToolError(CouncilError):
    """An external tool (pandoc, typst, the site engine) failed on input we believed valid."""

    exit_code = 2


def _sort_key(problem: SourceError) -> tuple[str, int]:
    return (str(problem.location.path), problem.location.line or 0)


_PROJECT_ROOT: list[Path] = []


def set_display_root(root: Path) -> None:
    """Paths in messages are shown relative to the project, as authors see them in git."""
    _PROJECT_ROOT[:] = [root.resolve()]


def display_path(path: Path) -> str:
    return _display_path(path, tuple(_PROJECT_ROOT))


@lru_cache(maxsize=4096)
def _display_path(path: Path, roots: tuple[Path, ...]) -> str:
    """Kept per path: resolving one touches the disk, and a file may have thousands of findings."""
    for root in roots:
        try:
            return str(path.resolve().relative_to(root))
        except ValueError:
            pass
    return str(path)


def raise_if_any(problems: list[SourceError]) -> None:
    if any(not p.warning for p in problems):
        raise ProblemsFound(problems)


def _source_error(location: Location, message: str, field: str | None, hint: str | None,
                  warning: bool) -> SourceError:
    return SourceError(location, message, field=field, hint=hint, warning=warning)
