"""One exception family for everything council refuses to do.

Problems are found where the data is read and carry their own location. One pattern collects
them: a loader returns what it read with the problems it found, or raises ProblemsFound (a
subclass names the kind, as BriefingProblems does) when nothing usable is left; the command
gathers them all and raises ProblemsFound once (`raise_if_any`), so an author fixes every mistake
in one pass. Every error a user can cause is a CouncilError; anything else is a bug in council.
"""

from __future__ import annotations

import errno
import os
from contextvars import ContextVar
from dataclasses import dataclass, field
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


class BibProblem(SourceError):
    """A finding in the bibliography, about the entries with `keys`. Whether it blocks publishing
    depends on whether a briefing or report cites one of them (citations/lint.py settles that);
    `kind` names it in `council bib check --summary`."""

    def __init__(
        self,
        location: Location,
        message: str,
        *,
        kind: str,
        keys: tuple[str, ...] = (),
        field: str | None = None,
        hint: str | None = None,
        warning: bool = True,
        notice: bool = False,
    ) -> None:
        self.kind = kind
        self.keys = keys
        self.notice = notice  # council understood and mended it: a warning even in a cited entry
        super().__init__(location, message, field=field, hint=hint, warning=warning)

    def __reduce__(self) -> tuple:
        return _bib_problem, (
            self.location,
            self.message,
            self.kind,
            self.keys,
            self.field,
            self.hint,
            self.warning,
            self.notice,
        )

    def settled(self, *, warning: bool) -> BibProblem:
        return BibProblem(
            self.location,
            self.message,
            kind=self.kind,
            keys=self.keys,
            field=self.field,
            hint=self.hint,
            warning=warning,
            notice=self.notice,
        )


class Tally(SourceError):
    """One line counting findings listed elsewhere (e.g. works nothing cites): always shown after the
    author's own problems, which come first."""


class Notice(SourceError):
    """What council did for the author (e.g. moved `#` sections down a level): shown as a note, never
    blocking, not even `council publish`."""

    def __init__(self, location: Location, message: str, *, field: str | None = None, hint: str | None = None) -> None:
        super().__init__(location, message, field=field, hint=hint, warning=True)

    def __reduce__(self) -> tuple:
        return Notice, (self.location, self.message), {"field": self.field, "hint": self.hint}

    def show(self) -> str:
        return super().show().replace(": warning: ", ": note: ", 1)


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


class ProblemsListed(CouncilError):
    """The problems were already printed (e.g. grouped by `council bib check`): only the count remains."""

    def __init__(self, errors: int) -> None:
        self.errors = errors
        super().__init__(f"{errors} error{'s' if errors != 1 else ''} found")

    def show(self) -> str:
        return f"{self}; nothing was written."


class ToolError(CouncilError):
    """An external tool (pandoc, typst, the site engine) failed on input we believed valid."""

    exit_code = 2


def _sort_key(problem: SourceError) -> tuple[bool, str, int, int]:
    where = problem.location
    return (isinstance(problem, Tally), str(where.path), where.line or 0, where.column or 0)


def in_reading_order(problems: list[SourceError]) -> list[SourceError]:
    """By file, line and column, with tallies last."""
    return sorted(problems, key=_sort_key)


@dataclass(frozen=True)
class _Display:
    root: Path
    shown: dict[Path, str] = field(default_factory=dict)  # path -> as shown; 20,000 works, as many findings


# Set by the command that is running, for its own context only: nothing is set at import, and a
# second project in the same process (tests, `council serve`) gets its own.
_DISPLAY: ContextVar[_Display | None] = ContextVar("council_display_root", default=None)


def set_display_root(root: Path) -> None:
    """Paths in messages are shown relative to the project, as authors see them in git."""
    _DISPLAY.set(_Display(root.resolve()))


def display_path(path: Path) -> str:
    display = _DISPLAY.get()
    if display is None:
        return str(path)
    shown = display.shown.get(path)
    if shown is None:
        shown = display.shown[path] = _relative(path, display.root)
    return shown


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root))
    except ValueError:
        return str(path)


def raise_if_any(problems: list[SourceError]) -> None:
    if any(not p.warning for p in problems):
        raise ProblemsFound(problems)


def _source_error(location: Location, message: str, field: str | None, hint: str | None, warning: bool) -> SourceError:
    return SourceError(location, message, field=field, hint=hint, warning=warning)


def _bib_problem(
    location: Location,
    message: str,
    kind: str,
    keys: tuple[str, ...],
    field: str | None,
    hint: str | None,
    warning: bool,
    notice: bool,
) -> BibProblem:
    return BibProblem(location, message, kind=kind, keys=keys, field=field, hint=hint, warning=warning, notice=notice)


class StorageError(CouncilError):
    """A file council had to write (or a folder it had to make) could not be: a full disk, a read-only
    or immutable folder. Whatever was being built is left unfinished, and the previous site stays."""


# What each error number means for an author, and what to do about it.
_STORAGE_HINTS = {
    errno.ENOSPC: "the disk is full: free some space, then run it again",
    errno.EDQUOT: "your disk quota is used up: free some space, then run it again",
    errno.EROFS: "the file system is read-only: run council where it may write",
    errno.EPERM: "council may not change it: is the folder immutable (lsattr shows an i) or locked?",
    errno.EACCES: "council may not write there: make the folder writable for you",
    errno.EFBIG: "the file is larger than the file system allows",
}


def storage_error(error: OSError) -> StorageError | None:
    """The one-line error for a failed write that names its file, or None (a bug in council)."""
    if error.errno not in _STORAGE_HINTS or error.filename is None:
        return None
    path = display_path(Path(os.fsdecode(error.filename)))
    return StorageError(f"cannot write {path}: {error.strerror}; {_STORAGE_HINTS[error.errno]}")
