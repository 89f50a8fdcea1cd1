"""Output formats as data (issue 13): the registry in render/formats.py decides which files a briefing has,
what they are called and how the leak tests read them, so a new format cannot be left out of either."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import front_matter

from council.publish.gate import readable_text
from council.render.formats import DOWNLOADS, FORMATS, by_suffix

# Files of the site that are neither text nor an output format: images and fonts, which hold no words
# of a note (alt text and captions are in the page).
MEDIA = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".woff", ".woff2", ".ttf", ".otf", ".eot", ".gz"}


def _published(sample_site: Path) -> list[Path]:
    return [p for p in sorted((sample_site / "briefings").glob("*.md")) if front_matter(p)["status"] == "published"]


def test_every_briefing_has_one_file_per_download_format_named_by_the_registry(sample_site: Path) -> None:
    for note in _published(sample_site):
        folder = sample_site / "site" / "briefings" / note.stem
        own = sorted(p.name for p in folder.iterdir() if by_suffix(p.suffix) is not None and p.name != "index.html")
        assert own == sorted(f.file_name(note.stem) for f in DOWNLOADS), note.stem
        page = (folder / "index.html").read_text(encoding="utf-8")
        for fmt in DOWNLOADS:  # each offered for download, described by its label
            assert f'href="{fmt.file_name(note.stem)}"' in page and fmt.label in page, (note.stem, fmt.name)


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_each_format_reads_back_the_words_of_its_file(sample_site: Path, fmt) -> None:  # type: ignore[no-untyped-def]
    """The leak tests find a withheld word only if each format's extractor really reads its files."""
    note = _published(sample_site)[0]
    folder = sample_site / "site" / "briefings" / note.stem
    path = folder / ("index.html" if fmt.name == "html" else fmt.file_name(note.stem))
    text = " ".join(readable_text(path).split())
    title = " ".join(str(front_matter(note)["title"]).split())
    assert title in text
    first_heading = next(line for line in note.read_text(encoding="utf-8").split("\n") if line.startswith("## "))
    assert first_heading[3:].strip() in text


def test_every_file_of_the_site_is_text_media_or_a_registered_format(sample_site: Path) -> None:
    """A format added without its registry entry would give files the leak tests cannot read: fail then."""
    unread = []
    for path in (sample_site / "site").rglob("*"):
        if not path.is_file() or path.suffix.lower() in MEDIA or by_suffix(path.suffix) is not None:
            continue
        try:
            path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            unread.append(path.relative_to(sample_site).as_posix())
    assert not unread, f"files no leak test can read; register their format in render/formats.py: {unread}"
