"""2. Grids: cells with their merges made into raw tables: the header row found by meaning, headings and notes set apart."""
