"""1. File formats: what a file is (detect, guard) and one reader per format, each giving grids of cells or raw tables."""
