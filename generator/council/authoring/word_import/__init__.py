"""`council import DRAFT.docx`: a Word draft, with Zotero or Mendeley citation fields, as a research note.

pandoc's docx reader (`docx+citations`) turns the citation fields into citations; before it reads the
file, council rewrites each field's items so that every work has an id of its own (Mendeley numbers
the items of each field ITEM-1, ITEM-2..., so ids repeat across fields) and its pin cite is in the
house syntax (`p 3`). The document's tree is then brought to what authors write by hand: the front
matter lifted out, citations keyed to the library, images saved beside the note, nothing raw kept.
Nothing is written until everything has been read, and then each file appears whole (a rename).

The package: docx_file reads the file, fields rewrites the citation fields, convert brings pandoc's
tree to a note, write writes it; this module runs them in that order.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from pathlib import Path

from lxml import etree

from council.authoring.scaffold import note_text, slugify
from council.authoring.word_import.convert import Converter, ImportResult, front_matter, shift_headings, stringify
from council.authoring.word_import.docx_file import (
    MAX_DOCX_BYTES,
    MAX_PARTS,
    MAX_RATIO,
    MAX_UNPACKED_BYTES,
    MAX_XML_BYTES,
    RATIO_FROM_BYTES,
    core_properties,
    count_changes,
    count_comments,
    count_unimported,
    open_docx,
    zip_with,
)
from council.authoring.word_import.fields import Fields, rewrite_citation_fields
from council.authoring.word_import.write import (
    IMPORTED_BIB,
    bib_addition,
    check_safe,
    import_report,
    key_works,
    markdown,
    refuse_existing,
    write_all,
)
from council.base.config import ProjectConfig
from council.base.errors import CouncilError, Location, SourceError
from council.base.tools import run_pandoc

__all__ = [
    "IMPORTED_BIB",
    "ImportResult",
    "MAX_DOCX_BYTES",
    "MAX_PARTS",
    "MAX_RATIO",
    "MAX_UNPACKED_BYTES",
    "MAX_XML_BYTES",
    "RATIO_FROM_BYTES",
    "import_docx",
    "import_report",
]


def import_docx(
    config: ProjectConfig,
    source: Path,
    *,
    slug: str | None = None,
    authors: tuple[str, ...] = (),
    accept_changes: bool = False,
    force: bool = False,
    today: dt.date | None = None,
) -> ImportResult:
    parts = open_docx(source)
    slug = slug or slugify(source.stem)
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
        raise SourceError(
            Location(source),
            f"cannot use {slug!r} as a note's name",
            hint="give --slug in lower case letters, digits and hyphens, e.g. --slug sahel-early-warning",
        )
    target = config.briefings_dir / f"{slug}.md"
    refuse_existing(target, force)
    try:
        changes = count_changes(parts)
        fields = Fields()
        rewritten = rewrite_citation_fields(parts, fields)
        comments = count_comments(parts)
        linked, chunks = count_unimported(parts)
        core_properties(parts)
    except etree.XMLSyntaxError as exc:
        raise SourceError(
            Location(source),
            f"the Word file is damaged: its XML cannot be read ({exc})",
            hint="open it in Word, save a new copy, and import that",
        ) from None
    if changes and not accept_changes:
        raise SourceError(
            Location(source),
            f"the document has {changes} tracked change(s)",
            hint="accept or reject them in Word (Review > Accept/Reject) and save, "
            "or run again with --accept-changes to take them as accepted",
        )
    with tempfile.TemporaryDirectory(prefix="council-import-") as scratch:
        docx_copy = Path(scratch) / "draft.docx"
        docx_copy.write_bytes(zip_with(source, rewritten))
        media_dir = Path(scratch) / "extracted"
        try:
            tree = json.loads(
                run_pandoc(
                    [
                        "--from",
                        "docx+citations+styles",
                        "--to",
                        "json",
                        "--track-changes=accept",
                        f"--extract-media={media_dir}",
                        str(docx_copy),
                    ]
                )
            )
        except CouncilError as exc:
            raise SourceError(Location(source), f"pandoc could not read this Word file: {exc}") from None
        result = ImportResult(
            target,
            comments_dropped=comments,
            changes_accepted=changes,
            unreadable_fields=fields.unreadable,
            linked_pictures=linked,
            alt_chunks=chunks,
        )
        converter = Converter(result, slug, fields)
        blocks = converter.blocks(tree["blocks"])
        if not blocks and not converter.images:
            raise SourceError(
                Location(source),
                "the document is empty: there is no text to import",
                hint="check that you chose the right file, and that it was saved",
            )
        front = front_matter(tree.get("meta", {}), blocks, parts, authors, result)
        if not any(stringify([b]).strip() for b in blocks) and not converter.images:
            raise SourceError(
                Location(source),
                "the document has a title but no body to import",
                hint="check that you chose the right file, and that it was saved",
            )
        keys, new_entries = key_works(config, converter.cited, fields, result)
        converter.set_keys(keys)
        body = markdown(shift_headings(blocks))
        text = note_text(
            title=front["title"],
            author=front["authors"][0],
            authors=front["authors"],
            summary=front["summary"],
            key_points=front["key_points"],
            date=(today or dt.date.today()).isoformat(),
            body=body,
        )
        check_safe(target, text, config.root, result)
        bib_text = bib_addition(config, new_entries)
        write_all(config, target, text, slug, converter.images, bib_text, result)
    return result
