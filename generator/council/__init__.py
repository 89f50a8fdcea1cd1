"""council: the publishing engine of the Atrocity Prevention Research Council.

Pipeline, one folder per stage: sources/ (load and validate) -> citations/ (the library as a
whole) -> render/ (HTML, PDF, DOCX) -> report/ (the report to Parliament) -> publish/ (gate, docs
tree, site engine, atomic release). ARCHITECTURE.md says more; tests/test_architecture.py keeps it true.
"""
