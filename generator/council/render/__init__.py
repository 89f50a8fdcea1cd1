"""Stage 3 of the pipeline: render each briefing to HTML (for the site), PDF (typst) and DOCX."""
