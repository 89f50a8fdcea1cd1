"""Reading a Word file: what it is, how large it unpacks (checked from the zip directory before
anything is parsed), its XML parts, and what in them pandoc cannot bring across."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from council.base.errors import Location, SourceError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT_PARTS = ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml")
_CHANGE_TAGS = tuple(W + name for name in ("ins", "del", "moveFrom", "moveTo"))
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
# A .docx is a zip: its directory says how large each part unpacks, and is checked before anything is
# read, so a small file that unpacks to gigabytes (a "zip bomb") is refused in milliseconds. A long
# draft with pictures is a few megabytes unpacked; Word's XML compresses about ten to one.
MAX_DOCX_BYTES = 100 * 1024 * 1024  # the file itself
MAX_UNPACKED_BYTES = 256 * 1024 * 1024  # all its parts, unpacked
# one XML part: pandoc holds the whole tree of document.xml in memory, at many times its size (a
# 400 MB one took 5.4 GB); 64 MiB is several thousand pages of text
MAX_XML_BYTES = 64 * 1024 * 1024
MAX_RATIO = 200  # unpacked size / compressed size, for a part over RATIO_FROM_BYTES
RATIO_FROM_BYTES = 1024 * 1024
MAX_PARTS = 10_000
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
A_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"


def open_docx(source: Path) -> dict[str, bytes]:
    if not source.is_file():
        raise SourceError(Location(source), "no such file", hint="check the path to the Word file")
    size = source.stat().st_size
    if size > MAX_DOCX_BYTES:
        raise SourceError(
            Location(source),
            f"the Word file is {_mib(size)}; council imports Word files up to {_mib(MAX_DOCX_BYTES)}",
            hint="save the draft without its largest pictures (or compress them in Word) and import that",
        )
    data = source.read_bytes()
    if not data:
        raise SourceError(Location(source), "the file is empty (0 bytes)", hint="save the document again in Word")
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTION_STREAM in data:
            raise SourceError(
                Location(source),
                "the Word file is password-protected (encrypted)",
                hint="remove the password in Word (File > Info > Protect Document) and save a copy",
            )
        raise SourceError(
            Location(source),
            "this is an old Word 97-2003 .doc file, not a .docx",
            hint="open it in Word and save it as a Word Document (.docx)",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_unpacked_sizes(source, archive.infolist())
            names = set(archive.namelist())
            if "word/document.xml" not in names:
                raise SourceError(
                    Location(source),
                    "this is a ZIP file but not a Word document (no word/document.xml)",
                    hint="export the draft from Word as a .docx file",
                )
            return {
                name: read_part(source, data, archive.getinfo(name))
                for name in (*TEXT_PARTS, "word/comments.xml", "docProps/core.xml")
                if name in names
            }
    except zipfile.BadZipFile:
        raise SourceError(
            Location(source),
            "this is not a Word .docx file",
            hint="council imports .docx files saved by Word, LibreOffice or Google Docs",
        ) from None


def _check_unpacked_sizes(source: Path, parts: list[zipfile.ZipInfo]) -> None:
    """Refuse a file whose zip directory says it unpacks too large or too compressed. zipfile never
    reads a part beyond the size its directory gives, so the directory is a bound, not a promise."""
    hint = "a real draft is far smaller: open it in Word, save a copy as .docx, and import that"
    if len(parts) > MAX_PARTS:
        raise SourceError(
            Location(source), f"the Word file has {len(parts)} parts; council reads at most {MAX_PARTS}", hint=hint
        )
    unpacked = sum(part.file_size for part in parts)
    largest = max(parts, key=lambda part: part.file_size, default=None)
    if unpacked > MAX_UNPACKED_BYTES:
        raise SourceError(
            Location(source),
            f"the Word file unpacks to {_mib(unpacked)} ({largest.filename if largest else '?'} alone is "
            f"{_mib(largest.file_size if largest else 0)}); council imports Word files up to "
            f"{_mib(MAX_UNPACKED_BYTES)} unpacked",
            hint=hint,
        )
    for part in parts:
        if part.filename.endswith((".xml", ".rels")) and part.file_size > MAX_XML_BYTES:
            raise SourceError(
                Location(source),
                f"{part.filename} in the Word file unpacks to {_mib(part.file_size)}; council reads XML parts "
                f"up to {_mib(MAX_XML_BYTES)}",
                hint="split the draft into shorter documents and import each",
            )
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > RATIO_FROM_BYTES and ratio > MAX_RATIO:
            raise SourceError(
                Location(source),
                f"{part.filename} in the Word file unpacks to {ratio:.0f} times its packed size; council "
                f"refuses parts compressed more than {MAX_RATIO} to 1, the mark of a zip bomb",
                hint=hint,
            )


_INFLATE_CHUNK = 64 * 1024


def read_part(source: Path, data: bytes, part: zipfile.ZipInfo) -> bytes:
    """One part of the zip in `data`, inflated as a stream that stops one byte past the size the zip
    directory declares (already held under the limits). zipfile's own read inflates the whole stream
    before it cuts it to that size, so a directory that lies about a bomb costs gigabytes there."""
    if part.flag_bits & 0x1:
        raise SourceError(
            Location(source),
            "the Word file is password-protected (encrypted)",
            hint="remove the password in Word (File > Info > Protect Document) and save a copy",
        )
    packed = memoryview(data)[_data_start(source, data, part) :][: part.compress_size]
    if part.compress_type == zipfile.ZIP_STORED:
        unpacked = bytes(packed[: part.file_size + 1])
    elif part.compress_type == zipfile.ZIP_DEFLATED:
        unpacked = _inflate(source, packed, part)
    else:
        raise _damaged(source, f"{part.filename} is packed in a way Word does not use (method {part.compress_type})")
    if len(unpacked) > part.file_size:
        raise SourceError(
            Location(source),
            f"{part.filename} in the Word file unpacks to more than the {part.file_size:,} bytes its zip directory "
            f"declares; council reads each part only up to its declared size (and XML parts up to "
            f"{_mib(MAX_XML_BYTES)}), the mark of a zip bomb",
            hint="a real draft is far smaller: open it in Word, save a copy as .docx, and import that",
        )
    if len(unpacked) != part.file_size or zlib.crc32(unpacked) != part.CRC:
        raise _damaged(source, f"{part.filename} is cut short or corrupted")
    return unpacked


def _data_start(source: Path, data: bytes, part: zipfile.ZipInfo) -> int:
    """Where a part's packed bytes begin: after its local header, whose name and extra field vary."""
    header = data[part.header_offset : part.header_offset + zipfile.sizeFileHeader]
    if len(header) != zipfile.sizeFileHeader or not header.startswith(zipfile.stringFileHeader):
        raise _damaged(source, f"the zip header of {part.filename} is missing")
    *_, name_length, extra_length = struct.unpack(zipfile.structFileHeader, header)  # the header's last two
    return part.header_offset + zipfile.sizeFileHeader + name_length + extra_length


def _inflate(source: Path, packed: memoryview, part: zipfile.ZipInfo) -> bytes:
    """Inflate at most one byte more than declared: memory stays within the declared size however far
    the stream would unpack."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    pieces: list[bytes] = []
    produced = 0
    try:
        for start in range(0, len(packed), _INFLATE_CHUNK):
            pending: bytes | memoryview = packed[start : start + _INFLATE_CHUNK]
            while pending and not inflater.eof and produced <= part.file_size:
                piece = inflater.decompress(pending, part.file_size + 1 - produced)
                pieces.append(piece)
                produced += len(piece)
                pending = inflater.unconsumed_tail
            if inflater.eof or produced > part.file_size:
                break
    except zlib.error as error:
        raise _damaged(source, f"{part.filename} cannot be unpacked ({error})") from None
    return b"".join(pieces)


def _damaged(source: Path, what: str) -> SourceError:
    return SourceError(
        Location(source), f"the Word file is damaged: {what}", hint="open it in Word, save a new copy, and import that"
    )


def _mib(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MiB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KiB"


def xml(data: bytes) -> etree._Element:
    # libxml2's own limits stay on (no huge_tree): with the sizes checked above they never bind a real
    # document, and they stop a deep or huge tree that got through
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


def count_changes(parts: dict[str, bytes]) -> int:
    return sum(1 for name in TEXT_PARTS if name in parts for element in xml(parts[name]).iter(*_CHANGE_TAGS))


def count_unimported(parts: dict[str, bytes]) -> tuple[int, int]:
    """Pictures linked to outside files and altChunk parts: pandoc leaves both out, so the import
    counts them and says so rather than drop them without a word."""
    linked = chunks = 0
    for name in TEXT_PARTS:
        if name in parts:
            root = xml(parts[name])
            linked += sum(1 for blip in root.iter(A_BLIP) if blip.get(R + "link") and not blip.get(R + "embed"))
            chunks += sum(1 for _ in root.iter(W + "altChunk"))
    return linked, chunks


def count_comments(parts: dict[str, bytes]) -> int:
    return len(xml(parts["word/comments.xml"]).findall(W + "comment")) if "word/comments.xml" in parts else 0


def zip_with(source: Path, replaced: dict[str, bytes]) -> bytes:
    """The Word file with some parts replaced, every other part read as `read_part` reads it (pandoc
    then reads this copy, whose sizes are true)."""
    data = source.read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as archive, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in archive.infolist():
            kept = replaced[info.filename] if info.filename in replaced else read_part(source, data, info)
            copy.writestr(info, kept)
    return out.getvalue()


def core_properties(parts: dict[str, bytes]) -> dict[str, str]:
    if "docProps/core.xml" not in parts:
        return {}
    root = xml(parts["docProps/core.xml"])
    found = {}
    for element in root:
        name = etree.QName(element).localname
        if element.text and element.text.strip():
            found[name] = " ".join(element.text.split())
    return found
