"""Oversized images (sources/images.py) made fit for each format: a copy at most so many pixels wide, in
the render cache, keyed by the image's bytes and the width. An image that fits is used as it is."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from council.base.cache import ContentCache, content_key
from council.sources.images import is_oversized

RESIZE_VERSION = "1"  # part of the key: a change to how images are resized makes new copies


@dataclass(frozen=True)
class Resized:
    source: Path
    copy: Path
    before: int  # bytes
    after: int
    size: tuple[int, int]  # of the copy, in pixels


def fitted(source: Path, width: int, cache: ContentCache) -> Resized | None:
    """A copy of `source` at most `width` pixels wide, or None when it fits as it is (or cannot be read:
    the renderers then say so)."""
    if not is_oversized(source):
        return None
    data = source.read_bytes()
    key = content_key("image", RESIZE_VERSION, str(width), data)
    name = f"image{source.suffix.lower()}"
    copy = cache.path(key, name)
    if not copy.is_file():
        cache.put(key, name, _shrunk(data, width))
    if not copy.is_file():  # a cache that writes nothing (`council check`): the original serves
        return None
    from PIL import Image

    with Image.open(copy) as image:
        size = image.size
    return Resized(source, copy, len(data), copy.stat().st_size, size)


def _shrunk(data: bytes, width: int) -> bytes:
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as image:
        kind = image.format or "PNG"
        picture = ImageOps.exif_transpose(image)  # a phone's rotation, applied before the metadata goes
        if picture.width > width:
            picture = picture.resize((width, round(picture.height * width / picture.width)), Image.LANCZOS)
        out = io.BytesIO()
        if kind == "JPEG":
            picture.convert("RGB").save(out, "JPEG", quality=85, optimize=True, progressive=True)
        else:
            picture.save(out, kind, optimize=True)
        return out.getvalue()


def resized_lines(images: list[Path], cache: ContentCache, shown: Callable[[Path], str]) -> list[str]:
    """For the build summary: each oversized image, its size, and the sizes of its copies."""
    from council.sources.images import PRINT_WIDTH_PX, WEB_WIDTH_PX, image_size, megabytes

    lines = []
    for source in images:
        web, printed = fitted(source, WEB_WIDTH_PX, cache), fitted(source, PRINT_WIDTH_PX, cache)
        if web is None or printed is None:
            continue
        width, height = image_size(source) or (0, 0)
        lines.append(
            f"resized {shown(source)}: {megabytes(web.before)}, {width}x{height} -> page "
            f"{megabytes(web.after)}, {web.size[0]}x{web.size[1]}; PDF and Word file {megabytes(printed.after)}, "
            f"{printed.size[0]}x{printed.size[1]}"
        )
    return lines
