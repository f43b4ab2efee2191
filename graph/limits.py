"""How big an input respgraph agrees to read, checked before a file is parsed; and what one
request to ``respgraph serve`` may cost (:class:`ServeLimits`).

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

from dataclasses import dataclass, field, fields

from respgraph.graph.environment import from_environment
from respgraph.graph.errors import LimitExceeded

__all__ = ["Limits", "ServeLimits", "limits", "serve_limits", "too_big", "from_environment"]

_MB = 1024 * 1024


def _knob(default, variable: str, counts: str = ""):
    """A limit's default, the variable that sets it, and what it counts (said in its error)."""
    return field(default=default, metadata={"env": variable, "counts": counts})


@dataclass(frozen=True)
class Limits:
    file_mb: int = _knob(20, "RESPGRAPH_MAX_FILE_MB", "MB of file size")
    xml_mb: int = _knob(64, "RESPGRAPH_MAX_XML_MB", "MB of unzipped XML")
    rows: int = _knob(50_000, "RESPGRAPH_MAX_ROWS", "rows")
    columns: int = _knob(100, "RESPGRAPH_MAX_COLUMNS", "cells in one row")
    units_per_cell: int = _knob(500, "RESPGRAPH_MAX_UNITS_PER_CELL", "units in one cell")
    # A Chinese body's name is rarely past 40 characters; 200 also keeps every name
    # far below what a Neo4j index entry can hold (8 KB), so both stores take the same.
    name_chars: int = _knob(200, "RESPGRAPH_MAX_NAME_CHARS", "characters in one unit or leader name")
    # openpyxl makes one object per cell a merged range covers: these keep that to tens of MB.
    merged_cells: int = _knob(200_000, "RESPGRAPH_MAX_MERGED_CELLS", "cells in merged ranges")
    merges: int = _knob(20_000, "RESPGRAPH_MAX_MERGES", "merged ranges in one sheet")
    pdf_pages: int = _knob(2_000, "RESPGRAPH_MAX_PDF_PAGES", "PDF pages")
    pdf_stream_mb: int = _knob(64, "RESPGRAPH_MAX_PDF_STREAM_MB", "MB of inflated PDF streams")
    # A dense page of Chinese text holds about 3,000 characters.
    pdf_page_chars: int = _knob(50_000, "RESPGRAPH_MAX_PDF_PAGE_CHARS", "characters on one PDF page")

    @classmethod
    def from_env(cls, env=None) -> Limits:
        """The defaults, each replaced by its ``RESPGRAPH_MAX_*`` variable when set."""
        return from_environment(cls, env)

    def check(
        self, file: str, limit: str, value: int, where: str = "", *, line: int | None = None, cell: str | None = None
    ) -> None:
        """Raise :class:`LimitExceeded` when ``value`` is past the limit named ``limit``.

        >>> Limits(rows=10).check("t.csv", "rows", 11, line=12)
        Traceback (most recent call last):
        respgraph.graph.errors.LimitExceeded: t.csv, line 12: 11 rows, past the limit of 10 rows (set RESPGRAPH_MAX_ROWS to raise it)
        """
        allowed = getattr(self, limit)
        mb = limit.endswith("_mb")
        if value <= allowed * (_MB if mb else 1):
            return
        found = f"{value / _MB:.1f} MB" if mb else f"{value:,} {_spec(limit)[1]}"
        raise too_big(file, limit, where + found, line=line, allowed=allowed, cell=cell)


def too_big(
    file: str, limit: str, found: str, *, line: int | None = None, allowed: int | None = None, cell: str | None = None
) -> LimitExceeded:
    """The one error for a file past ``limit``: what was found, the limit, how to raise it."""
    var, unit = _spec(limit)
    allowed = getattr(limits(), limit) if allowed is None else allowed
    return LimitExceeded(
        file, f"{found}, past the limit of {allowed:,} {unit} (set {var} to raise it)", line=line, limit=var, cell=cell
    )


def _spec(limit: str) -> tuple[str, str]:
    """(the variable, what it counts) of the limit named ``limit``."""
    found = {f.name: f.metadata for f in fields(Limits)}[limit]
    return found["env"], found["counts"]


def limits() -> Limits:
    """The limits in force (read from the environment on every call: it is cheap)."""
    return Limits.from_env()


@dataclass(frozen=True)
class ServeLimits:
    """What one request to ``respgraph serve`` may cost: the body it may send, the heavy answer it may ask.

    >>> ServeLimits.from_env({"RESPGRAPH_MAX_FORM_KB": "64"}).form_kb
    64
    >>> ServeLimits.from_env({"RESPGRAPH_HEAVY_WAIT": "0.5"}).heavy_wait
    0.5
    """

    # The largest form a page sends is a unit's report: two texts of 4,000 characters, about
    # 72 KB once percent-encoded; 256 KB leaves room and keeps a flood of forms small.
    form_kb: int = _knob(256, "RESPGRAPH_MAX_FORM_KB")
    # An upload form has about ten fields, a report eight: 50 is far above either.
    form_fields: int = _knob(50, "RESPGRAPH_MAX_FORM_FIELDS")
    # A province's export takes about a minute on a laptop; what needs more is for the CLI.
    heavy_seconds: float = _knob(120, "RESPGRAPH_HEAVY_SECONDS")
    # Memory a heavy answer may add to the process it runs in (a province's export: about 400 MB).
    heavy_mb: int = _knob(1024, "RESPGRAPH_HEAVY_MB")
    heavy_at_once: int = _knob(2, "RESPGRAPH_HEAVY_AT_ONCE")
    heavy_wait: float = _knob(5, "RESPGRAPH_HEAVY_WAIT")

    @classmethod
    def from_env(cls, env=None) -> ServeLimits:
        """The defaults, each replaced by its variable when set."""
        return from_environment(cls, env)


def serve_limits() -> ServeLimits:
    """The served pages' limits in force (read from the environment on every call: it is cheap)."""
    return ServeLimits.from_env()
