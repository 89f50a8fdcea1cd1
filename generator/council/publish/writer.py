"""The one guarded writer for every output: it refuses any path outside its output folder."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from council.base.errors import CouncilError
from council.base.files import copy_file, write_atomically


class UnsafeOutputPath(CouncilError):
    pass


class OutputWriter:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._folders: dict[PurePosixPath, Path] = {}

    def path_for(self, relative: str) -> Path:
        pure = PurePosixPath(relative)
        if pure.is_absolute() or ".." in pure.parts or not pure.parts:
            raise UnsafeOutputPath(f"refusing to write '{relative}': outputs stay inside {self.root}")
        folder = self._resolved_folder(pure.parent)
        if not folder.is_relative_to(self.root):
            raise UnsafeOutputPath(f"refusing to write '{relative}': it resolves outside {self.root}")
        target = folder / pure.name
        if target.is_symlink():  # a link placed inside the output folder must not lead out of it
            raise UnsafeOutputPath(f"refusing to write '{relative}': it is a symbolic link")
        return target

    def _resolved_folder(self, folder: PurePosixPath) -> Path:
        """Folders resolved once each: thousands of outputs share a few hundred folders."""
        if folder not in self._folders:
            self._folders[folder] = (self.root / folder).resolve()
        return self._folders[folder]

    def write(self, relative: str, data: bytes | str, *, mode: int = 0o666) -> Path:
        """Whole or not at all; a new file gets `mode` less the umask."""
        target = self.path_for(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        return write_atomically(target, data, mode=mode)

    def copy(self, relative: str, source: Path) -> Path:
        """Place a copy of `source` (a finished file, e.g. in the render cache). Never a hard link: the
        site must not share storage with the cache, where a damaged entry would damage the site too."""
        target = self.path_for(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        return copy_file(source, target)
