"""Answers as text for people and as CSV for Excel/WPS: an aligned table, a CSV file.

CSV starts with a UTF-8 byte-order mark so Excel and WPS open the Chinese text
correctly; lists inside a cell are joined with 、 as the tables themselves do.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from respgraph.graph.safe_text import neutral_cell

FORMATS = ("table", "json", "csv")


def cell_text(value: Any) -> str:
    """A value as one cell: lists joined with 、, floats without trailing zeros."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "、".join(cell_text(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def table_text(rows: list[dict], *, max_width: int | None = 40) -> str:
    """An aligned plain table; CJK characters count double so columns line up."""
    from tabulate import tabulate

    if not rows:
        return "(no rows)"
    cells = [[_clip(cell_text(v), max_width) for v in r.values()] for r in rows]
    return tabulate(cells, headers=list(rows[0].keys()), tablefmt="simple", disable_numparse=True)


def _clip(text: str, width: int | None) -> str:
    if width is None:
        return text
    from wcwidth import wcswidth

    if wcswidth(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        used += max(wcswidth(ch), 0)
        if used > width - 1:
            break
        out.append(ch)
    return "".join(out) + "…"


def csv_cell(value: Any) -> str:
    """A cell for a CSV opened in Excel or WPS: text that could start a formula gets a leading ``'``.

    Numbers respgraph computed are left as they are; any text, a name from a
    source table above all, is neutralised as OWASP recommends.

    >>> csv_cell("=1+2"), csv_cell("-"), csv_cell(-2.5), csv_cell("市财政局")
    ("'=1+2", "'-", '-2.5', '市财政局')
    """
    text = cell_text(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return text
    return neutral_cell(text)  # the one set of leading characters every CSV export neutralises


def csv_bytes(rows: list[dict]) -> bytes:
    buf = io.StringIO()
    if rows:
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow([csv_cell(k) for k in rows[0].keys()])
        writer.writerows([csv_cell(v) for v in r.values()] for r in rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
