"""How big an input respgraph agrees to read, checked before a file is parsed.

A responsibility table is small: the bundled sample is 86 KB, 121 rows, 9 columns.
The limits below are far above any real table and far below what would exhaust
a laptop's memory; a file past one is refused with one error naming the limit
and the environment variable that raises it (``RESPGRAPH_MAX_*``).

>>> Limits.from_env({"RESPGRAPH_MAX_ROWS": "500"}).rows
500
>>> Limits.from_env({}).file_mb
20
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

from respgraph.graph.errors import LimitExceeded, RespgraphError

#: limit -> (environment variable, what it counts)
_SPEC = {
    "file_mb": ("RESPGRAPH_MAX_FILE_MB", "MB of file size"),
    "xml_mb": ("RESPGRAPH_MAX_XML_MB", "MB of unzipped XML"),
    "rows": ("RESPGRAPH_MAX_ROWS", "rows"),
    "columns": ("RESPGRAPH_MAX_COLUMNS", "cells in one row"),
    "units_per_cell": ("RESPGRAPH_MAX_UNITS_PER_CELL", "units in one cell"),
    "name_chars": ("RESPGRAPH_MAX_NAME_CHARS", "characters in one unit or leader name"),
    "merged_cells": ("RESPGRAPH_MAX_MERGED_CELLS", "cells in merged ranges"),
    "merges": ("RESPGRAPH_MAX_MERGES", "merged ranges in one sheet"),
    "pdf_pages": ("RESPGRAPH_MAX_PDF_PAGES", "PDF pages"),
    "pdf_stream_mb": ("RESPGRAPH_MAX_PDF_STREAM_MB", "MB of inflated PDF streams"),
    "pdf_page_chars": ("RESPGRAPH_MAX_PDF_PAGE_CHARS", "characters on one PDF page"),
}
_MB = 1024 * 1024


def from_environment(cls, variables: dict[str, str], env=None):
    """The dataclass ``cls`` with its defaults, each replaced by its variable (``variables``:
    field → name) when set; a value that is not a positive number (whole, for an ``int``
    field) is one error line.  The loaders' limits and the served pages' budgets read alike.

    >>> from dataclasses import dataclass
    >>> @dataclass
    ... class Knobs:
    ...     rows: int = 10
    ...     wait: float = 5
    >>> from_environment(Knobs, {"rows": "R", "wait": "W"}, {"R": "20", "W": "0.5"})
    Knobs(rows=20, wait=0.5)
    >>> from_environment(Knobs, {"rows": "R", "wait": "W"}, {"R": "0"})
    Traceback (most recent call last):
    respgraph.graph.errors.RespgraphError: R='0': give a whole number of at least 1
    """
    env = os.environ if env is None else env
    values = {}
    for f in fields(cls):
        var = variables[f.name]
        raw = env.get(var, "").strip()
        if not raw:
            continue
        whole = f.type in (int, "int")
        try:
            values[f.name] = (int if whole else float)(raw)
        except ValueError:
            values[f.name] = 0
        if not values[f.name] > 0:
            raise RespgraphError(f"{var}={raw!r}: give " + ("a whole number of at least 1" if whole
                                                            else "a number greater than 0"))
    return cls(**values)


@dataclass(frozen=True)
class Limits:
    file_mb: int = 20
    xml_mb: int = 64
    rows: int = 50_000
    columns: int = 100
    units_per_cell: int = 500
    # A Chinese body's name is rarely past 40 characters; 200 also keeps every name
    # far below what a Neo4j index entry can hold (8 KB), so both stores take the same.
    name_chars: int = 200
    # openpyxl makes one object per cell a merged range covers: these keep that to tens of MB.
    merged_cells: int = 200_000
    merges: int = 20_000
    pdf_pages: int = 2_000
    pdf_stream_mb: int = 64
    # A dense page of Chinese text holds about 3,000 characters.
    pdf_page_chars: int = 50_000

    @classmethod
    def from_env(cls, env=None) -> Limits:
        """The defaults, each replaced by its ``RESPGRAPH_MAX_*`` variable when set."""
        return from_environment(cls, {name: spec[0] for name, spec in _SPEC.items()}, env)

    def check(self, file: str, limit: str, value: int, where: str = "", *, line: int | None = None,
              cell: str | None = None) -> None:
        """Raise :class:`LimitExceeded` when ``value`` is past the limit named ``limit``.

        >>> Limits(rows=10).check("t.csv", "rows", 11, line=12)
        Traceback (most recent call last):
        respgraph.graph.errors.LimitExceeded: t.csv, line 12: 11 rows, past the limit of 10 rows (set RESPGRAPH_MAX_ROWS to raise it)
        """
        allowed = getattr(self, limit)
        mb = limit.endswith("_mb")
        if value <= allowed * (_MB if mb else 1):
            return
        found = f"{value / _MB:.1f} MB" if mb else f"{value:,} {_SPEC[limit][1]}"
        raise too_big(file, limit, where + found, line=line, allowed=allowed, cell=cell)


def too_big(file: str, limit: str, found: str, *, line: int | None = None, allowed: int | None = None,
            cell: str | None = None) -> LimitExceeded:
    """The one error for a file past ``limit``: what was found, the limit, how to raise it."""
    var, unit = _SPEC[limit]
    allowed = getattr(limits(), limit) if allowed is None else allowed
    return LimitExceeded(file, f"{found}, past the limit of {allowed:,} {unit} (set {var} to raise it)",
                         line=line, limit=var, cell=cell)


def limits() -> Limits:
    """The limits in force (read from the environment on every call: it is cheap)."""
    return Limits.from_env()
