"""Small responsibility tables of our own making, written as offices write them: an
Excel workbook or a Word table, with merged cells where the office merged them.

A table is a title, a header row and body rows (lists of cell texts; a line break
in a cell is a line break in Excel or a new paragraph in Word); ``merges`` are
vertical merges ``(column, first body row, last body row)``, 0-based, whose text
is that of their first row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet


@dataclass
class OfficeTable:
    title: str
    header: list[str]
    rows: list[list[str]]
    merges: list[tuple[int, int, int]] = field(default_factory=list)

    def write(self, path: Path) -> Path:
        """Write as ``path``'s suffix says (.xlsx or .docx)."""
        writers = {".xlsx": write_xlsx, ".docx": write_docx}
        writers[path.suffix](self, path)
        return path


def write_xlsx(table: OfficeTable, path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    ws: Worksheet = book.active  # type: ignore[assignment]  # a new workbook's one sheet is a Worksheet
    ws.title = "分工表"
    ws.cell(1, 1, table.title)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(table.header))
    for c, text in enumerate(table.header, start=1):
        ws.cell(2, c, text)
    for r, cells in enumerate(table.rows, start=3):
        for c, text in enumerate(cells, start=1):
            ws.cell(r, c, text or None)
    for c, first, last in table.merges:
        for r in range(first + 1, last + 1):  # Excel keeps only the first cell's value
            ws.cell(r + 3, c + 1).value = None
        ws.merge_cells(start_row=first + 3, start_column=c + 1, end_row=last + 3, end_column=c + 1)
    book.save(path)


def write_docx(table: OfficeTable, path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph(table.title)
    grid = document.add_table(rows=0, cols=len(table.header))
    for cells in [table.header, *table.rows]:
        row = grid.add_row()
        for cell, text in zip(row.cells, cells):
            first, *rest = text.split("\n")
            cell.paragraphs[0].text = first
            for p in rest:
                cell.add_paragraph(p)
    for c, top, bottom in table.merges:
        for r in range(top + 1, bottom + 1):
            grid.cell(r + 1, c).paragraphs[0].text = ""
        grid.cell(top + 1, c).merge(grid.cell(bottom + 1, c))
    document.save(str(path))


FORMATS = (".xlsx", ".docx")
