"""CSV (and TAB-separated text in other layouts): records become grid rows.

A record's line is the line it starts on, so a cell with line breaks inside
quotes does not shift the lines reported after it.
"""

from __future__ import annotations

import csv
import io

from respgraph.graph.errors import LoadError
from respgraph.graph.limits import limits
from respgraph.loaders.formats.lines import _BREAK
from respgraph.loaders.grid.cells import GridRow, plain_row
from respgraph.loaders.grid.grid_tables import read_grid
from respgraph.loaders.table.reading import Reading

NAMES = {",": "comma", "\t": "TAB", ";": "semicolon"}


def csv_rows(path: str, text: str, delimiter: str) -> list[GridRow]:
    """Records as grid rows, strictly: a quote left open is an error naming the line it opened on.

    >>> csv_rows("t.csv", 'a,b\\n1,"x,y\\n2,z\\n', ",")
    Traceback (most recent call last):
    respgraph.graph.errors.LoadError: t.csv, line 2: not valid CSV: a quote opened on line 2 is never closed (it would swallow the rest of the file)
    """  # noqa: E501 - a doctest's expected output is one line, as printed
    lim = limits()
    # A cell may be as long as the file (csv's cap of 128 KB refused a valid 1 MB cell).
    csv.field_size_limit(2**31 - 1)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows, start = [], 1
    try:
        for record in reader:
            lim.check(path, "columns", len(record), line=start)
            rows.append(plain_row(start, record))
            lim.check(path, "rows", len(rows), line=start)
            start = reader.line_num + 1
    except csv.Error as exc:
        opened = _open_quote(text, start, delimiter)
        if opened is None:
            raise LoadError(path, f"not valid CSV: {exc}", line=start) from None
        line, closed = opened
        what = (
            "is never closed (it would swallow the rest of the file)"
            if closed is None
            else f"closes on line {closed} with text after it: a stray quote"
        )
        raise LoadError(path, f"not valid CSV: a quote opened on line {line} {what}", line=line) from None
    return rows


def _open_quote(text: str, start: int, delimiter: str) -> tuple[int, int | None] | None:
    """(line a bad quoted field opened on, line it closed on or None), reading the record on line ``start``."""
    offset = 0
    for _ in range(start - 1):
        m = _BREAK.search(text, offset)
        if m is None:
            return None
        offset = m.end()
    line, field_start, quoted, after_close, opened, closed = start, True, False, False, 0, 0
    i = offset
    while i < len(text):
        ch = text[i]
        newline = ch == "\n" or (ch == "\r" and not text.startswith("\n", i + 1))
        if quoted:
            if ch == '"' and text.startswith('"', i + 1):
                i += 1
            elif ch == '"':
                quoted, after_close, closed = False, True, line
            elif newline:
                line += 1
        elif ch == delimiter:
            field_start, after_close = True, False
        elif newline:
            return None  # the record ended well: the problem is not a quote
        elif ch == "\r":
            pass
        elif after_close:
            return opened, closed
        elif ch == '"' and field_start:
            quoted, opened, field_start = True, line, False
        else:
            field_start = False
        i += 1
    return (opened, None) if quoted else None


def read_csv(path: str, text: str, encoding: str, *, delimiter: str = ",", mapping=None) -> Reading:
    """The tables of a delimited text file.

    >>> r = read_csv("t.csv", "2024年茂名市重点工作\\n序号,工作任务,责任单位\\n1,推进某项工作,市发展改革局\\n", "utf-8")
    >>> r.tables[0].title, r.tables[0].columns, r.tables[0].rows[0].cells["implement"]
    ('2024年茂名市重点工作', {'number': '序号', 'title': '工作任务', 'implement': '责任单位'}, '市发展改革局')
    """
    tables, details = read_grid(path, csv_rows(path, text, delimiter), mapping=mapping)
    return Reading(path, f"csv ({NAMES.get(delimiter, delimiter)}-separated)", encoding, tables, details)
