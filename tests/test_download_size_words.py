"""A download link's size, at its boundaries: never "0 KB" for a file that has bytes (a BibTeX entry of a
few hundred bytes read "(0 KB)"), and never "1024 KB" where a reader expects "1.0 MB"."""

from __future__ import annotations

import pytest

from council.publish.download_sizes import human_size


@pytest.mark.parametrize(
    ("size", "said"),
    [
        (0, "0 KB"),
        (1, "1 KB"),
        (511, "1 KB"),
        (512, "1 KB"),
        (1535, "1 KB"),
        (1536, "2 KB"),
        (1024 * 1023, "1023 KB"),
        (1024 * 1024 - 1, "1.0 MB"),
        (1024 * 1024, "1.0 MB"),
        (5 * 1024 * 1024 + 1, "5.0 MB"),
    ],
)
def test_sizes_read_as_a_reader_expects(size: int, said: str) -> None:
    assert human_size(size) == said
