"""XML without comments and indentation. pandoc parses the CSL style and the reference DOCX again for
every note it renders, and its XML parser's time grows with the bytes it reads."""

from __future__ import annotations

import re
from pathlib import Path

_COMMENT = re.compile(rb"<!--.*?-->", re.S)
_INDENTATION = re.compile(rb">\s*\n\s*<")  # whitespace holding a line break between tags is layout only


def compact_xml(source: bytes) -> bytes:
    return _INDENTATION.sub(b"><", _COMMENT.sub(b"", source))


def compact_xml_code() -> bytes:
    """This module's own source, for cache keys: a change here must re-make what it compacted."""
    return Path(__file__).read_bytes()
