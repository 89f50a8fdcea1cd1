"""See what readers see (`nox -s look`): every output rendered as its reader meets it, as PNG files
under build/look/, with one contact sheet (build/look/index.html) to open in a browser.

- every page of every PDF (briefings, reports, restricted copies), with pdftoppm;
- every DOCX as LibreOffice lays it out (DOCX -> PDF -> PNG), as a clerk's Word would open it;
- each kind of site page at phone (390 px) and desktop (1280 px) width, in Chromium.

Usage: python tests/look.py PROJECT_ROOT [OUTPUT_FOLDER]   (the project must be built already)
"""

from __future__ import annotations

import html
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import CHROMIUM, serve_folder

WIDTHS = {"phone": (390, 844), "desktop": (1280, 800)}
PDF_DPI = "60"  # enough to see layout faults (overlaps, wrapped dates, page size), small enough to skim


def kinds_of_page(site: Path) -> list[str]:
    """One page of each kind: every top-level page, the first briefing, the first page of each kind
    of topic, every report (there are few, and each period's data differs), and the first page
    below any other top-level page (a year of the archive, a letter of the library)."""
    pages = ["", "404.html"]
    pages += sorted(f"{p.parent.name}/" for p in site.glob("*/index.html"))
    briefings = sorted((site / "briefings").glob("*/index.html"))
    pages += [f"briefings/{briefings[0].parent.name}/"] if briefings else []
    for facet in sorted(p for p in (site / "topics").glob("*") if p.is_dir()):
        first = sorted(facet.glob("*/index.html"))
        pages += [f"topics/{facet.name}/{first[0].parent.name}/"] if first else []
    pages += sorted(f"reports/{p.parent.name}/" for p in (site / "reports").glob("*/index.html"))
    for folder in sorted(p.parent for p in site.glob("*/index.html")):  # archive years, library letters ...
        nested = sorted(folder.glob("*/index.html"))
        if nested and folder.name not in ("briefings", "topics", "reports"):
            pages.append(f"{folder.name}/{nested[0].parent.name}/")
    return pages


def screenshots(site: Path, output: Path, pages: list[str]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    output.mkdir(parents=True, exist_ok=True)
    made = []
    with serve_folder(site.resolve()) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for width_name, (width, height) in WIDTHS.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            for path in pages:
                page.goto(f"{base}/{path}", wait_until="networkidle")
                name = (path.strip("/").replace("/", "_").replace(".html", "") or "home") + f"-{width_name}.png"
                page.screenshot(path=str(output / name), full_page=True)
                made.append(output / name)
            page.close()
        browser.close()
    return made


def pdf_pages(pdf: Path, output: Path) -> list[Path]:
    output.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", PDF_DPI, str(pdf), str(output / pdf.stem)], check=True)
    return sorted(output.glob(f"{pdf.stem}-*.png"))


def docx_as_pdf(docx_files: list[Path], output: Path) -> list[Path]:
    """One LibreOffice run for every file, with a profile of its own (never the user's)."""
    output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(output),
                *map(str, docx_files),
            ],
            check=True,
            capture_output=True,
        )
    return [output / f"{docx.stem}.pdf" for docx in docx_files]


def outputs(root: Path, suffix: str) -> list[Path]:
    """The public files, the restricted ones, and the drafts preview's files that the site lacks."""
    unique: dict[str, Path] = {}
    for folder in ("site", "build/restricted", "build/preview"):
        for path in sorted((root / folder).resolve().rglob(f"*{suffix}")):
            unique.setdefault(path.name, path)
    return list(unique.values())


def contact_sheet(output: Path, sections: dict[str, list[Path]]) -> Path:
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>council: look</title>",
        "<style>body{font-family:sans-serif;margin:1rem}figure{display:inline-block;margin:.3rem;"
        "vertical-align:top}img{border:1px solid #999;max-width:260px}figcaption{font-size:.7rem;"
        "max-width:260px;overflow-wrap:anywhere}</style></head><body><h1>What readers see</h1>",
    ]
    for title, images in sections.items():
        parts.append(f"<h2>{html.escape(title)} ({len(images)})</h2>")
        for image in images:
            href = html.escape(image.relative_to(output).as_posix())
            parts.append(
                f"<figure><a href='{href}'><img src='{href}' alt='{html.escape(image.name)}' "
                f"loading='lazy'></a><figcaption>{html.escape(image.name)}</figcaption></figure>"
            )
    parts.append("</body></html>")
    sheet = output / "index.html"
    sheet.write_text("\n".join(parts), encoding="utf-8")
    return sheet


def build_drafts_preview(root: Path) -> None:
    """The drafts preview (`council serve --drafts` serves it): authors send these files to reviewers."""
    import datetime as dt

    from council.base.config import load_config
    from council.pipeline.site import build

    build(load_config(root.resolve()), dt.datetime.now(dt.timezone.utc), progress=False, preview=True)


def look(root: Path, output: Path) -> Path:
    if output.exists():
        shutil.rmtree(output)
    build_drafts_preview(root)
    site = (root / "site").resolve()
    sections: dict[str, list[Path]] = {}
    sections["PDF pages"] = [png for pdf in outputs(root, ".pdf") for png in pdf_pages(pdf, output / "pdf")]
    converted = docx_as_pdf(outputs(root, ".docx"), output / "docx-pdf")
    sections["Word files as LibreOffice lays them out"] = [
        png for pdf in converted for png in pdf_pages(pdf, output / "docx")
    ]
    sections["Site pages at 390 and 1280 px"] = screenshots(site, output / "site", kinds_of_page(site))
    return contact_sheet(output, sections)


if __name__ == "__main__":
    project = Path(sys.argv[1])
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else project / "build" / "look"
    sheet = look(project, target)
    counts = {section: len(list((target / section).glob("*.png"))) for section in ("pdf", "docx", "site")}
    print(f"{sheet} ({counts['pdf']} PDF pages, {counts['docx']} Word pages, {counts['site']} screenshots)")
