"""Screenshots of a built site at phone and desktop widths, for people to look at (`nox -s screenshots`).

Usage: python tests/screenshots.py SITE_FOLDER OUTPUT_FOLDER [PAGE ...]
PAGE is a path inside the site (default: the home page and the newest briefing).
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import CHROMIUM, serve_folder

WIDTHS = {"phone": (390, 844), "desktop": (1280, 800)}


def default_pages(site: Path) -> list[str]:
    briefings = sorted((site / "briefings").glob("*/index.html"))
    return ["", *([f"briefings/{briefings[0].parent.name}/"] if briefings else [])]


def take(site: Path, output: Path, pages: list[str]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    output.mkdir(parents=True, exist_ok=True)
    made = []
    with serve_folder(site.resolve()) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for width_name, (width, height) in WIDTHS.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            for path in pages:
                page.goto(f"{base}/{path}", wait_until="networkidle")
                name = (path.strip("/").replace("/", "_") or "home") + f"-{width_name}.png"
                page.screenshot(path=str(output / name), full_page=True)
                made.append(output / name)
            page.close()
        browser.close()
    return made


if __name__ == "__main__":
    site_folder, out_folder, *wanted = sys.argv[1:]
    for made in take(Path(site_folder), Path(out_folder), wanted or default_pages(Path(site_folder))):
        print(made)
