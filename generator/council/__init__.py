"""council: the publishing engine of the Atrocity Prevention Research Council.

Pipeline, one folder per stage: sources/ (load and validate) -> citations/ (resolve) ->
render/ (HTML, PDF, DOCX) -> publish/ (gate, docs tree, site engine, atomic release).
"""
