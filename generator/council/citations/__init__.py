"""Stage 2 of the pipeline: find citations in notes and resolve them against the library."""
