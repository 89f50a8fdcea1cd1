"""Stage 4 of the pipeline: the periodic report to Parliament: figures, charts, paragraph numbering and
rendering (its files are written by publish/)."""
