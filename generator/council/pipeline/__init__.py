"""pipeline: the stages run in order, as a whole build (site), one note (note) or the preview's fast page (quick_page)."""
