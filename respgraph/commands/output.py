"""Printing answers: an aligned table for people, JSON and CSV for other tools (see
:mod:`respgraph.viz.formats`)."""

from __future__ import annotations

import json
import sys
from typing import Any

from respgraph.viz.formats import FORMATS, csv_bytes, csv_cell, table_text

__all__ = ["FORMATS", "emit", "show", "table_text", "csv_bytes", "csv_cell"]


def emit(fmt: str, *, flat: list[dict], data: Any, footer: str = "", width: int | None = 40) -> None:
    """Print ``flat`` rows as a table or CSV, or ``data`` (JSON-ready) as JSON.

    ``width`` clips a table's cells (None: never, for rows whose text is the answer).
    """
    if fmt == "json":
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "csv":
        sys.stdout.flush()
        sys.stdout.buffer.write(csv_bytes(flat))
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(table_text(flat, max_width=width) + "\n")
        if footer:
            sys.stdout.write(footer + "\n")


def show(fmt: str, answer) -> None:
    """Print an :class:`~respgraph.answers.Answer`: its line first (on stderr beside JSON or
    CSV, which it would spoil), then the table and its figures, the CSV or the JSON."""
    if answer.head:
        stream = sys.stdout if fmt == "table" else sys.stderr
        stream.write(answer.head + "\n")
        stream.flush()
    rows = answer.table if fmt == "table" and answer.table is not None else answer.rows
    emit(fmt, flat=rows, data=answer.data, footer=answer.footer, width=answer.width)
