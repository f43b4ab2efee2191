"""CSV (and TAB-separated text in other layouts): records become grid rows.

A record's line is the line it starts on, so a cell with line breaks inside
quotes does not shift the lines reported after it.
"""

from __future__ import annotations

import csv
import io

from respgraph.graph.errors import LoadError
from respgraph.loaders.grid import read_grid
from respgraph.loaders.grid_types import GridRow, plain_row
from respgraph.loaders.reading import Reading

NAMES = {",": "comma", "\t": "TAB", ";": "semicolon"}


def csv_rows(path: str, text: str, delimiter: str) -> list[GridRow]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, start = [], 1
    try:
        for record in reader:
            rows.append(plain_row(start, record))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise LoadError(path, f"not valid CSV: {exc}", line=start) from None
    return rows


def read_csv(path: str, text: str, encoding: str, *, delimiter: str = ",", mapping=None) -> Reading:
    """The tables of a delimited text file.

    >>> r = read_csv("t.csv", "2024年茂名市重点工作\\n序号,工作任务,责任单位\\n1,推进某项工作,市发展改革局\\n", "utf-8")
    >>> r.tables[0].title, r.tables[0].columns, r.tables[0].rows[0].cells["implement"]
    ('2024年茂名市重点工作', {'number': '序号', 'title': '工作任务', 'implement': '责任单位'}, '市发展改革局')
    """
    tables, details = read_grid(path, csv_rows(path, text, delimiter), mapping=mapping)
    return Reading(path, f"csv ({NAMES.get(delimiter, delimiter)}-separated)", encoding, tables, details)
