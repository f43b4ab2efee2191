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
        return
    flat = _headed(flat, fmt)
    if fmt == "csv":
        sys.stdout.flush()
        sys.stdout.buffer.write(csv_bytes(flat))
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(table_text(flat, max_width=width) + "\n")
        if footer:
            sys.stdout.write(footer + "\n")


def _headed(rows: list[dict], fmt: str) -> list[dict]:
    """Rows whose keys are the headers a person reads in the CLI's language: always in a table,
    in a CSV only when ``--lang`` asked (a CSV's columns are what scripts read)."""
    import click

    from respgraph.graph.i18n import current
    from respgraph.graph.labels import column_label

    ctx = click.get_current_context(silent=True)
    if fmt == "csv" and not (ctx and ctx.find_root().meta.get("respgraph.lang_given")):
        return rows
    if current.get() == "en" or not rows:
        return rows
    from respgraph.graph.labels import ROLE_ZH

    def value(key, v):  # a role is a code in data, a word in a person's table
        return [ROLE_ZH.get(r, r) for r in v] if fmt == "table" and key == "roles" and isinstance(v, list) else v

    return [{column_label(k): value(k, v) for k, v in row.items()} for row in rows]


def show(fmt: str, answer) -> None:
    """Print an :class:`~respgraph.answers.Answer`: its line first (on stderr beside JSON or
    CSV, which it would spoil), then the table and its figures, the CSV or the JSON."""
    if answer.head:
        stream = sys.stdout if fmt == "table" else sys.stderr
        stream.write(answer.head + "\n")
        stream.flush()
    rows = answer.table if fmt == "table" and answer.table is not None else answer.rows
    emit(fmt, flat=rows, data=answer.data, footer=answer.footer, width=answer.width)
