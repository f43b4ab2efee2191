"""Printing answers: an aligned table for people, JSON and CSV for other tools (see
:mod:`respgraph.viz.formats`)."""

from __future__ import annotations

import json
import sys
from typing import Any

from respgraph.viz.formats import FORMATS, csv_bytes, csv_cell, table_text

__all__ = ["FORMATS", "emit", "table_text", "csv_bytes", "csv_cell", "several_cities", "with_city"]


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


def several_cities(store) -> bool:
    """Whether the loaded documents span more than one jurisdiction (tables then show a city column)."""
    return len({d.get("city") for d in store.documents()}) > 1


def with_city(flat: list[dict], rows, store, *, after: str = "name") -> list[dict]:
    """``flat`` rows with a ``city`` column after ``after`` when several cities are loaded."""
    if not several_cities(store):
        return flat
    out = []
    for row, source in zip(flat, rows):
        city = source["city"] if isinstance(source, dict) else source.city
        new = {}
        for key, value in row.items():
            new[key] = value
            if key == after:
                new["city"] = city
        if "city" not in new:
            new = {"city": city, **new}
        out.append(new)
    return out
