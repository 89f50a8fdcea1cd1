"""Issue 26, outside tester: a Word file whose zip directory and local header both say word/document.xml
unpacks to 1000 bytes passed the directory checks, and zipfile's read then inflated the whole stream
(863 MB peak for a 400 MB bomb, 2.15 GB for 1.6 GB). Each part is now inflated as a stream that stops one
byte past its declared size; the peak memory of the real `council import` is measured from its rusage."""

from __future__ import annotations

import io
import struct
import sys
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from test_docx_import import W_NS
from test_word_import_inputs import measured

from council.authoring.word_import import docx_file
from council.base.errors import SourceError

LIE = 1000  # the size both headers declare


def lying_bomb(path: Path, unpacked: int) -> Path:
    """A real Word file whose document.xml is `unpacked` bytes of one repeated word, deflated as it is
    written (so the test never holds it), with its declared size then set to LIE in both headers."""
    blank = io.BytesIO()
    docx.Document().save(blank)
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:document {W_NS}><w:body><w:p><w:r><w:t>'.encode()
    chunk = b"war " * (1024 * 1024 // 4)
    with zipfile.ZipFile(blank) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                out.writestr(info.filename, source.read(info.filename))
        with out.open("word/document.xml", "w") as part:
            part.write(head)
            for _ in range(unpacked // len(chunk)):
                part.write(chunk)
    data = bytearray(path.read_bytes())
    name = b"word/document.xml"
    local = next(i for i in _all(data, b"PK\x03\x04") if data[i + 30 : i + 30 + len(name)] == name)
    central = next(i for i in _all(data, b"PK\x01\x02") if data[i + 46 : i + 46 + len(name)] == name)
    struct.pack_into("<L", data, local + 22, LIE)  # uncompressed size in the local header
    struct.pack_into("<L", data, central + 24, LIE)  # and in the central directory
    path.write_bytes(bytes(data))
    return path


def _all(data: bytearray, signature: bytes) -> list[int]:
    found, start = [], 0
    while (at := data.find(signature, start)) >= 0:
        found.append(at)
        start = at + 1
    return found


@pytest.mark.parametrize("unpacked", [400 * 1000 * 1000, 1600 * 1000 * 1000], ids=["400 MB", "1.6 GB"])
def test_a_bomb_whose_headers_lie_is_refused_within_500_mib(tmp_path: Path, unpacked: int) -> None:
    from conftest import copy_sample_project

    project = copy_sample_project(tmp_path / "project")
    source = lying_bomb(tmp_path / "liar.docx", unpacked)
    with zipfile.ZipFile(source) as archive:  # the lie as zipfile reads it
        assert archive.getinfo("word/document.xml").file_size == LIE
    code, wall, cpu, peak_mib, stderr = measured([sys.executable, "-m", "council", "import", str(source)], cwd=project)
    assert code == 1, stderr
    assert (
        f"liar.docx: error: word/document.xml in the Word file unpacks to more than the {LIE:,} bytes its zip "
        "directory declares" in stderr
    ), stderr
    assert "Traceback" not in stderr and not (project / "briefings" / "liar.md").exists()
    assert peak_mib < 500, (wall, cpu, peak_mib)


def part(data: bytes, declared: int, method: int = zipfile.ZIP_DEFLATED) -> tuple[bytes, zipfile.ZipInfo]:
    """A one-part zip whose headers declare `declared` bytes for `data`."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        archive.writestr("word/document.xml", data)
    packed = bytearray(out.getvalue())
    struct.pack_into("<L", packed, 22, declared)
    central = packed.index(b"PK\x01\x02")
    struct.pack_into("<L", packed, central + 24, declared)
    with zipfile.ZipFile(io.BytesIO(bytes(packed))) as archive:
        return bytes(packed), archive.getinfo("word/document.xml")


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_a_part_is_read_exactly_at_its_declared_size_and_refused_one_byte_past(method: int) -> None:
    text = b"<w:document>" + b"x" * 5000 + b"</w:document>"
    data, info = part(text, len(text), method)
    assert docx_file.read_part(Path("draft.docx"), data, info) == text == zlib.decompress(zlib.compress(text))
    data, info = part(text, len(text) - 1, method)
    with pytest.raises(SourceError, match=f"more than the {len(text) - 1:,} bytes"):
        docx_file.read_part(Path("draft.docx"), data, info)
