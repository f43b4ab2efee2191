"""Excel workbooks (.xlsx) through openpyxl: every visible sheet, merged cells included.

A row's line is its row number in the sheet.  Each sheet with a table is the next
attachment (or the one its name or a ``附件 N`` line gives); sheets without a
header row (a cover page, a list of notes) are skipped while another has a table.
"""

from __future__ import annotations

import datetime as dt
import io

from respgraph.graph.errors import LoadError
from respgraph.graph.limits import limits
from respgraph.loaders.grid.cells import Cell, GridRow
from respgraph.loaders.grid.grid_tables import NoHeader, read_grid
from respgraph.loaders.grid.headings import ATTACHMENT
from respgraph.loaders.table.raw import RawTable
from respgraph.loaders.table.reading import Reading, TableReading


def cell_text(value, number_format: str = "") -> str:
    """A cell's value as the sheet shows it; dates as ``2023年12月`` (with the day when the format has one).

    >>> cell_text(3.0), cell_text(dt.datetime(2023, 12, 1), "yyyy年m月"), cell_text(None)
    ('3', '2023年12月', '')
    """
    if value is None:
        return ""
    if isinstance(value, (dt.datetime, dt.date)):
        if "d" in number_format.lower():
            return f"{value.year}年{value.month}月{value.day}日"
        return f"{value.year}年{value.month}月"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def sheet_rows(ws, file: str = "") -> list[GridRow]:
    """The sheet's rows up to its last cell with a value.

    The grid is sized by the cells that hold something, not by openpyxl's
    dimensions: one formatted but empty cell at ``XFD1048576`` would make
    ``iter_rows`` walk seventeen billion cells.
    """
    lim = limits()
    filled = [(r, c, cell) for (r, c), cell in ws._cells.items() if cell.value is not None]
    values = {(r, c) for r, c, _ in filled}
    # A merged range reaches as far as it goes when its first cell holds the text it repeats.
    spans = [m for m in ws.merged_cells.ranges if (m.min_row, m.min_col) in values]
    height = max([r for r, _, _ in filled] + [m.max_row for m in spans], default=0)
    width = max([c for _, c, _ in filled] + [m.max_col for m in spans], default=0)
    where = f"sheet {ws.title!r}: "
    lim.check(file, "rows", height, where + "a cell with a value in row ", line=height or None)
    lim.check(file, "columns", width, where + "a cell with a value in column ")
    grid = [[Cell("") for _ in range(width)] for _ in range(height)]
    for r, c, cell in filled:
        grid[r - 1][c - 1] = Cell(cell_text(cell.value, cell.number_format or ""))
    ranges = [(m.min_row - 1, m.max_row, m.min_col - 1, m.max_col) for m in ws.merged_cells.ranges]
    return merged_rows(grid, ranges)


def merged_rows(grid: list[list[Cell]], ranges) -> list[GridRow]:
    """Rows of a sheet whose merged ranges ``(first row, end row, first column, end column)``
    (0-based, ends excluded) repeat their first cell's text, marked as continuing a merge."""
    for r0, r1, c0, c1 in ranges:
        if r0 >= len(grid) or c0 >= len(grid[r0]):
            continue
        text = grid[r0][c0].text
        for r in range(r0, min(r1, len(grid))):
            for c in range(c0, min(c1, len(grid[r]))):
                if (r, c) != (r0, c0):
                    grid[r][c] = Cell(text, above=r > r0, left=c > c0)
    return [GridRow(n, cells) for n, cells in enumerate(grid, start=1)]


def read_xlsx(path: str, data: bytes, *, mapping=None) -> Reading:
    import openpyxl  # imported here: only .xlsx files need it

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (KeyError, XML errors …) for one meaning
        raise LoadError(path, f"a damaged .xlsx workbook ({type(exc).__name__}: {exc})") from None
    visible = [(ws.title, lambda ws=ws: sheet_rows(ws, path)) for ws in book.worksheets if ws.sheet_state == "visible"]
    return read_sheets(path, visible, mapping=mapping, format_name="xlsx")


def read_sheets(path: str, sheets, *, mapping, format_name: str) -> Reading:
    """The tables of a workbook's visible ``sheets`` ((title, rows of it) pairs, rows
    read only when asked), whatever read the file: each sheet is the next attachment,
    or the one its name gives; a sheet without a header is skipped, and said so,
    while another has a table."""
    tables: list[RawTable] = []
    details: list[TableReading] = []
    skipped: list[tuple[str, NoHeader]] = []
    for title, rows in sheets:
        m = ATTACHMENT.match(title)
        start = int(m.group(1)) if m else max((t.attachment for t in tables), default=0) + 1
        try:
            t, d = read_grid(path, rows(), mapping=mapping, start=start, where=f"sheet {title!r}", fallback_title=title)
        except NoHeader as exc:
            skipped.append((title, exc))
            continue
        tables += t
        details += d
    if not tables:
        raise skipped[0][1] if skipped else LoadError(path, "the workbook has no visible sheet")
    for title, _ in skipped:
        details[0].notes.append(f"sheet {title!r} skipped: it has no header row")
    return Reading(path, format_name, None, tables, details)
