"""The note written: works keyed to the library (new ones to imported.bib), the body as Markdown that
passes the safety rules, every file staged and renamed into place, and the summary for the author."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from council.authoring.word_import.convert import ImportResult
from council.authoring.word_import.fields import Fields
from council.base.cache import ContentCache
from council.base.config import ProjectConfig
from council.base.errors import Location, ProblemsFound, SourceError
from council.base.tools import run_pandoc
from council.citations.matching import LibraryIndex, new_key
from council.sources.bibliography import load_library, with_csl
from council.sources.safety import unsafe_content

IMPORTED_BIB = "imported.bib"


def refuse_existing(target: Path, force: bool) -> None:
    if not target.exists():
        return
    if not force:
        raise SourceError(
            Location(target),
            "a note with this name already exists",
            hint="choose another name with --slug, or replace the note with --force",
        )
    if _is_published(target):
        raise SourceError(
            Location(target),
            "this note is published; --force never replaces a published note",
            hint="import under another name with --slug and copy across what you need",
        )


def _is_published(path: Path) -> bool:
    text = path.read_text(encoding="utf-8", errors="replace")
    head = text.split("\n---", 1)[0]
    return re.search(r"^status:\s*[\"']?published\b", head, re.M) is not None


def key_works(
    config: ProjectConfig, cited: list[str], fields: Fields, result: ImportResult
) -> tuple[dict[str, str], list[dict]]:
    library, _ = load_library(config.bibliography_dir)
    # every work, not only the cited ones: a draft's citation may match any of them
    library, _ = with_csl(library, library.entries, ContentCache(config.cache_dir))
    index = LibraryIndex(library)
    keys: dict[str, str] = {}
    new_entries: list[dict] = []
    for work_id in cited:
        work = fields.works[work_id]
        title = str(work.get("title") or "")
        key = index.find(work)
        if key is not None:
            keys[work_id] = key
            if key not in result.added:
                result.matched[key] = title
            continue
        key = new_key(work, index.keys)
        entry = {k: v for k, v in work.items() if k != "id"} | {"id": key}
        index.add(key, entry)
        new_entries.append(entry)
        keys[work_id] = key
        result.added[key] = title
    return keys, new_entries


def bib_addition(config: ProjectConfig, entries: list[dict]) -> str:
    if not entries:
        return ""
    return run_pandoc(["--from", "csljson", "--to", "biblatex"], input_text=json.dumps(entries, ensure_ascii=False))


_WRITER = (
    "markdown-simple_tables-multiline_tables-raw_attribute-fenced_divs-bracketed_spans-native_divs"
    "-native_spans-header_attributes-link_attributes-smart"
)
# pandoc writes a literal "<" of the text as `\<`; a note's safety rules read any "<" followed by a name
# as a tag, so the import writes the entities, which read back as the same characters and are never markup
_ESCAPED_ANGLE = re.compile(r"(?<!\\)((?:\\\\)*)\\([<>])")
_ENTITIES = {"<": "&lt;", ">": "&gt;"}


def markdown(blocks: list) -> str:
    document = {"pandoc-api-version": [1, 23, 1], "meta": {}, "blocks": blocks}
    text = run_pandoc(["--from", "json", "--to", _WRITER, "--wrap=none"], input_text=json.dumps(document))
    return _ESCAPED_ANGLE.sub(lambda m: m.group(1) + _ENTITIES[m.group(2)], text).strip() + "\n"


def check_safe(target: Path, text: str, root: Path, result: ImportResult) -> None:
    """The imported note must pass the same safety rules as one written by hand (images aside: they
    are written only at the end)."""
    body = text.split("\n---\n", 1)[1]
    first_line = text[: len(text) - len(body)].count("\n") + 1
    problems = [
        p
        for p in unsafe_content(target, body, first_line, root)
        if "does not exist" not in p.message and "no text alternative" not in p.message
    ]
    if problems:
        raise ProblemsFound(problems)


def write_all(
    config: ProjectConfig,
    target: Path,
    text: str,
    slug: str,
    images: list[tuple[Path, str]],
    bib_text: str,
    result: ImportResult,
) -> None:
    """Everything is prepared beside its destination, then renamed into place; a failure removes what
    was prepared, so no half-written note, image folder or bibliography is ever left."""
    staged: list[tuple[Path, Path]] = []
    media = config.briefings_dir / "media" / slug
    new_media_folder = not media.parent.exists()
    try:
        config.briefings_dir.mkdir(parents=True, exist_ok=True)
        if images:
            media.parent.mkdir(parents=True, exist_ok=True)
            folder = Path(tempfile.mkdtemp(prefix=f".{slug}-", dir=media.parent))
            for source, name in images:
                shutil.copyfile(source, folder / name)
            staged.append((folder, media))
            result.images = [media / name for _, name in images]
        if bib_text:
            bib = config.bibliography_dir / IMPORTED_BIB
            existing = (
                bib.read_text(encoding="utf-8")
                if bib.exists()
                else (
                    "@comment{Works cited by drafts imported from Word (council import), converted from the CSL data "
                    "their reference manager embedded. Check each entry, and add it to your reference manager.}\n"
                )
            )
            staged.append((_stage_file(bib, existing.rstrip("\n") + "\n\n" + bib_text), bib))
        staged.append((_stage_file(target, text), target))
    except BaseException as exc:
        for temporary, _ in staged:
            shutil.rmtree(temporary, ignore_errors=True) if temporary.is_dir() else temporary.unlink(missing_ok=True)
        if new_media_folder and media.parent.is_dir() and not any(media.parent.iterdir()):
            media.parent.rmdir()
        if isinstance(exc, OSError):
            where = Path(exc.filename) if exc.filename else target
            raise SourceError(
                Location(where),
                f"could not write the import ({exc.strerror}); nothing was written",
                hint="check that the folder is writable and that this is a file, not a folder",
            ) from None
        raise
    for temporary, destination in staged:
        if temporary.is_dir():
            if destination.exists():
                shutil.rmtree(destination)
        os.replace(temporary, destination)


def _stage_file(destination: Path, text: str) -> Path:
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{destination.name}.", dir=destination.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    os.chmod(name, 0o644)
    return Path(name)


def import_report(result: ImportResult, root: Path) -> list[str]:
    """What the author needs to know, one line each; warnings say what to fix."""

    def shown(path: Path) -> str:
        return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)

    lines = [f"created {shown(result.note)} (status: draft)"]
    lines.append(
        f"citations: {len(result.matched)} work(s) found in the library, {len(result.added)} added to "
        f"bibliography/{IMPORTED_BIB}"
    )
    for key, title in result.added.items():
        lines.append(f"  added @{key}: {title} (add it to your reference manager too)")
    if result.images:
        lines.append(f"images: {len(result.images)} saved in {shown(result.images[0].parent)}")
    for image in result.images_without_alt:
        lines.append(
            f"warning: the image {image} has no alt text in Word; describe it in the note "
            "(council check refuses images without one)"
        )
    if result.linked_pictures:
        lines.append(
            f"warning: {result.linked_pictures} picture(s) linked to files outside the document were not "
            "imported; insert them in Word (Insert > Pictures, not 'Link to File') or add them to the note"
        )
    if result.alt_chunks:
        lines.append(
            f"warning: {result.alt_chunks} embedded document part(s) (altChunk: HTML, RTF or another Word "
            "file pasted in) were not imported; open the file in Word, save it, and import it again"
        )
    if result.comments_dropped:
        lines.append(f"comments: {result.comments_dropped} Word comment(s) dropped")
    if result.changes_accepted:
        lines.append(f"tracked changes: {result.changes_accepted} accepted (--accept-changes)")
    if result.raw_removed:
        lines.append(f"removed: {result.raw_removed} piece(s) of raw Word or HTML markup, or unsafe links")
    if result.unreadable_fields:
        lines.append(
            f"warning: {result.unreadable_fields} citation field(s) could not be read and came in as "
            "plain text; cite those works by key"
        )
    if result.unkeyed:
        lines.append(
            f"warning: {len(result.unkeyed)} citation(s) came from fields other than Zotero's or Mendeley's "
            "(EndNote?) and keep that program's ids; replace them with library keys"
        )
    if result.references_dropped:
        lines.append("the document's reference list was left out: council builds it from the citations")
    if result.placeholders:
        lines.append(f"to do: {', '.join(result.placeholders)} still hold the template's placeholder text")
    lines.append("next: read the note through, then run `council check`")
    return lines
