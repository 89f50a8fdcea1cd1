"""Stage 5 of the pipeline: apply the publication gate, assemble the docs tree, build and swap in the site."""
