"""How big a note's images may be. A photo straight from a camera (6000x4000, 20 MB) would be embedded as
is in the page, the PDF and the Word file; above these limits an image is resized for every format
(render/images.py) and `council check` says so."""

from __future__ import annotations

from pathlib import Path

from council.base.errors import Location, SourceError
from council.sources.prose import prose_lines
from council.sources.safety import local_images
from council.sources.svg import svg_problem

# the PDF's text width (A4, 2.2 cm margins: 16.6 cm) at 300 dots per inch; the Word file prints alike
PRINT_WIDTH_PX = round(16.6 / 2.54 * 300)
WEB_WIDTH_PX = 1600  # wide enough for any screen the page is read on
IMAGE_MAX_BYTES = 2 * 1024 * 1024
IMAGE_MAX_PIXELS = 60_000_000  # larger is refused by the reader (Pillow's guard against decompression bombs)


def image_size(path: Path) -> tuple[int, int] | None:
    """Width and height in pixels, from the file's header (the image is not decoded), or None if it is
    not an image Pillow reads (SVG, for instance)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            return image.size
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        return None


def is_oversized(path: Path) -> bool:
    size = image_size(path)
    return size is not None and (size[0] > PRINT_WIDTH_PX or path.stat().st_size > IMAGE_MAX_BYTES)


def megabytes(count: int) -> str:
    return f"{count / 1024 / 1024:.1f} MB"


def unsafe_svgs(path: Path, body: str, first_line: int, root: Path) -> list[SourceError]:
    """An error at each SVG the note shows that holds more than a drawing: the site serves it as a file
    of its own, where a script in it would run on the site's origin."""
    problems = []
    for target, source in local_images(path, body):
        if source.suffix.lower() != ".svg" or not source.resolve().is_relative_to(root.resolve()):
            continue  # an image outside the project is refused by safety, unread
        what = svg_problem(source)
        if what:
            problems.append(
                SourceError(
                    Location(path, _line_of(target, body, first_line)),
                    f"the SVG image '{target}' cannot be published: {what}",
                    hint="export the chart again as plain SVG (shapes, text, styles) or as PNG",
                )
            )
    return problems


def _line_of(target: str, body: str, first_line: int) -> int:
    return next((first_line + p.offset for p in prose_lines(body) if f"]({target}" in p.text), first_line)


def oversized_images(path: Path, body: str, first_line: int, root: Path | None = None) -> list[SourceError]:
    """A warning at each image over the limits, with its size; the build resizes it. An image that
    resolves outside the project folder is never opened (safety refuses it)."""
    problems = []
    for target, source in local_images(path, body):
        if root is not None and not source.resolve().is_relative_to(root.resolve()):
            continue
        size = image_size(source)
        if size is None or not is_oversized(source):
            continue
        problems.append(
            SourceError(
                Location(path, _line_of(target, body, first_line)),
                f"the image '{target}' is {megabytes(source.stat().st_size)}, {size[0]}x{size[1]} pixels: the build "
                f"resizes it to {WEB_WIDTH_PX} pixels wide for the page and {PRINT_WIDTH_PX} (300 dpi) for the PDF "
                "and the Word file",
                warning=True,
                hint=f"to choose the result yourself, save it at most {PRINT_WIDTH_PX} pixels wide and under "
                f"{megabytes(IMAGE_MAX_BYTES)}",
            )
        )
    return problems
