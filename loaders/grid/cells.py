"""A table as a grid of cells: what the xlsx, csv, docx and html readers hand to :mod:`grid`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Cell:
    text: str
    above: bool = False  # continues a vertical merge; text repeats the merge's first cell
    left: bool = False  # continues a horizontal merge; text repeats the merge's first cell


@dataclass
class GridRow:
    line: int  # where the user finds the row: line, sheet row, or paragraph/row count
    cells: list[Cell]
    paragraph: bool = False  # text outside any table (a docx or html paragraph)


def plain_row(line: int, texts: list[str]) -> GridRow:
    return GridRow(line, [Cell(t) for t in texts])
