"""The periodic report to Parliament: figures, charts, paragraph numbering and rendering."""
