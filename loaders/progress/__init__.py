"""Progress reports (进展情况表), apart from the tables: read, their status words, matched to the loaded items."""
