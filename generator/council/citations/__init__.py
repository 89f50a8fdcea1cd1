"""Stage 2 of the pipeline: what needs the whole library: the bibliography linter and how its findings
settle against what is cited, matching works to entries, the CSL style as pandoc reads it."""
