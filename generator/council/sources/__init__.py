"""Stage 1 of the pipeline: read source files and validate them into plain data objects."""
