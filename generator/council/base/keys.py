"""Cache keys for rendered outputs, derived from every input rather than listed by hand.

A key covers every file of the installed council package (code, templates, Lua filters, vocabularies,
fonts), the project's configuration files, the project's fonts, the CSL style, the tool versions, and
then what one output renders: its source (with every path relative to the project root, so a moved
checkout keeps its keys), the bibliography entries it cites and the bytes of every image it embeds.
Briefings and reports take their keys from `render_key`; nothing lists which files matter.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import operator
import types
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from pathlib import Path

from council.base.cache import content_key
from council.base.config import CONFIG_FILE, ProjectConfig
from council.base.tools import tool_versions

CONFIG_FILES = (CONFIG_FILE, "mkdocs.yml", "glossary.yml")  # the glossary only when the project has one
PROJECT_FONTS = "fonts"


def package_files() -> list[tuple[str, Path]]:
    """(name relative to the package, file) for every file of the installed council package, sorted."""
    package = Path(str(resources.files("council")))
    files = (p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return sorted((p.relative_to(package).as_posix(), p) for p in files)


def package_digest() -> str:
    """One hash of the whole package: worked out once per build, and shared by every key of that build."""
    parts: list[str | bytes] = []
    for name, path in package_files():
        parts.extend([name, path.read_bytes()])
    return content_key(*parts)


@dataclass(frozen=True)
class SharedInputs:
    """What every output of one build depends on, hashed once: see `shared_inputs`."""

    root: Path
    digest: str


def shared_inputs(config: ProjectConfig, package: str) -> SharedInputs:
    """`package` is `package_digest()`, passed in so that a build hashes the package only once."""
    parts: list[str | bytes] = [package, tool_versions(), config.citation_style, config.style_file.read_bytes()]
    for path in project_files(config.root):
        parts.extend([path.relative_to(config.root).as_posix(), path.read_bytes()])
    return SharedInputs(config.root, content_key(*parts))


def render_key(
    kind: str,
    shared: SharedInputs,
    subject: object,
    *,
    entries: str = "",
    images: Iterable[Path] = (),
    derived: Iterable[str | bytes] = (),
) -> str:
    """The cache key of one output: `subject` is the validated source (a Briefing, a Report, ...),
    `entries` the cited bibliography entries as CSL JSON, `images` the files it embeds, and `derived`
    anything else made from the inputs for it (e.g. report charts, drawn by another library)."""
    parts: list[str | bytes] = [kind, shared.digest, portable(subject, shared.root), entries]
    for image in images:
        parts.extend([_relative(image, shared.root), image.read_bytes()])
    parts.extend(derived)
    return content_key(*parts)


def portable(value: object, root: Path) -> str:
    """A stable text of `value` for a key: dataclasses field by field (including fields hidden from
    repr), paths relative to `root`. repr() would carry absolute paths and skip hidden fields."""
    out: list[str] = []
    _encode(value, root, out)
    return "".join(out)


def _encode(value: object, root: Path, out: list[str]) -> None:
    if isinstance(value, str | int | float | bool | Decimal | dt.date | None):
        out.append(repr(value))  # datetime is a date: repr keeps its time and zone
    elif isinstance(value, Path):
        out.append(f"path({_relative(value, root)!r})")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        plain, others = _fields(type(value))
        # Fields that can hold no path: one repr() of all their values, complete and fast (a briefing
        # carries its whole text and every citation); the others taken apart.
        out.append(f"{type(value).__name__}({plain.names}={plain.values(value)!r}")
        for name in others:
            out.append(f",{name}=")
            _encode(getattr(value, name), root, out)
        out.append(")")
    elif isinstance(value, dict):
        out.append("{")
        for key in sorted(value, key=repr):
            _encode(key, root, out)
            out.append(":")
            _encode(value[key], root, out)
            out.append(",")
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for item in value:
            _encode(item, root, out)
            out.append(",")
        out.append("]")
    else:  # e.g. numpy's numbers from pandas: their repr is their value
        out.append(f"{type(value).__name__}:{value!r}")


@dataclass(frozen=True)
class _PlainFields:
    names: tuple[str, ...]
    values: Callable[[object], object]  # the values of those fields, as one tuple


_FIELDS: dict[type, tuple[_PlainFields, tuple[str, ...]]] = {}
_PLAIN = (str, int, float, bool, type(None), dt.date, dt.datetime, Decimal)


def _fields(kind: type) -> tuple[_PlainFields, tuple[str, ...]]:
    """The fields whose declared types hold only plain values, so that repr() shows all of them, and
    the others."""
    if kind not in _FIELDS:
        hints = _hints(kind)
        fields = [f.name for f in dataclasses.fields(kind)]
        plain = tuple(name for name in fields if _plain(hints.get(name), set()))
        getter = operator.attrgetter(*plain) if plain else (lambda _: ())
        if len(plain) == 1:  # attrgetter of one name gives the value, not a tuple
            single = getter
            getter = lambda value: (single(value),)  # noqa: E731
        _FIELDS[kind] = (_PlainFields(plain, getter), tuple(name for name in fields if name not in plain))
    return _FIELDS[kind]


def _hints(kind: type) -> dict[str, object]:
    try:
        return typing.get_type_hints(kind)
    except (NameError, TypeError):  # an annotation that cannot be resolved: every field taken apart
        return {}


def _plain(hint: object, seen: set[object]) -> bool:
    if hint is None:  # not known
        return False
    if hint in _PLAIN:
        return True
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        if hint in seen:
            return False
        seen.add(hint)
        hints = _hints(hint)
        return all(f.repr and _plain(hints.get(f.name), seen) for f in dataclasses.fields(hint))
    if typing.get_origin(hint) in (tuple, list, dict, types.UnionType, typing.Union):
        return all(_plain(arg, seen) for arg in typing.get_args(hint) if arg is not Ellipsis)
    return False  # Path, or anything unknown: encoded field by field


def _relative(path: Path, root: Path) -> str:
    """Inside the project: relative to its root. Outside it (an installed style, say): as it is.
    Plain string work: pathlib's relative_to costs more than the rest of a briefing's key."""
    text, prefix = path.as_posix(), root.as_posix().rstrip("/") + "/"
    return text[len(prefix) :] if text.startswith(prefix) else text


def project_files(root: Path) -> list[Path]:
    files = [root / name for name in CONFIG_FILES]
    fonts = root / PROJECT_FONTS
    if fonts.is_dir():
        files.extend(sorted(p for p in fonts.rglob("*") if p.is_file()))
    return [p for p in files if p.is_file()]
