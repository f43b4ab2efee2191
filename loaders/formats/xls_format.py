"""Old Excel workbooks (.xls, and WPS 表格 .et saved in the same BIFF format) through xlrd.

Read as an .xlsx is (:mod:`xlsx_format`): every visible sheet, merged cells
honoured, dates as the sheet shows them, a row's line its row number.  A workbook
xlrd cannot parse (some WPS files) is handed to LibreOffice when it is installed
(:mod:`office_convert`).
"""

from __future__ import annotations

from respgraph.graph.errors import LoadError
from respgraph.graph.limits import limits
from respgraph.loaders.formats.xlsx_format import cell_text, merged_rows, read_sheets
from respgraph.loaders.grid.cells import Cell, GridRow
from respgraph.loaders.table.reading import Reading


def sheet_rows(book, sheet, file: str = "") -> list[GridRow]:
    import xlrd

    where = f"sheet {sheet.name!r}: "
    limits().check(file, "rows", sheet.nrows, where + "a cell in row ", line=sheet.nrows or None)
    limits().check(file, "columns", sheet.ncols, where + "a cell in column ")
    grid = []
    for r in range(sheet.nrows):
        row = []
        for c in range(sheet.ncols):
            cell = sheet.cell(r, c)
            value, fmt = cell.value, ""
            if cell.ctype == xlrd.XL_CELL_DATE:
                value = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
                fmt = book.format_map[book.xf_list[cell.xf_index].format_key].format_str
            elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                value = None
            row.append(Cell(cell_text(value, fmt)))
        grid.append(row)
    return merged_rows(grid, sheet.merged_cells)


def read_xls(path: str, data: bytes, *, mapping=None) -> Reading:
    import xlrd  # imported here: only .xls files need it

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    except Exception as exc:  # xlrd raises XLRDError, struct/index errors … for one meaning
        from respgraph.loaders.formats.office_convert import read_converted, soffice

        if soffice():
            return read_converted(path, data, "xls", mapping=mapping)
        raise LoadError(
            path,
            f"an old Excel/WPS workbook that xlrd cannot read ({type(exc).__name__}: {exc}); "
            "LibreOffice could (Debian: apt-get install libreoffice-calc-nogui), "
            "or save it as .xlsx and load that",
        ) from None
    visible = [
        (sheet.name, lambda sheet=sheet: sheet_rows(book, sheet, path))
        for sheet in book.sheets()
        if sheet.visibility == 0
    ]
    return read_sheets(path, visible, mapping=mapping, format_name="xls (xlrd)")
