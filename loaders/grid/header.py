"""Finding the header row of a grid by meaning, wherever it is and however it is split.

A header is a row (or two rows read together, as in ``市政府`` over ``分管领导``)
naming an item column and at least one leader or unit column.
"""

from __future__ import annotations

from dataclasses import dataclass

from respgraph.graph.vocabulary import ROLES
from respgraph.loaders.grid.cells import Cell, GridRow
from respgraph.loaders.grid.headings import states_lead_first
from respgraph.loaders.items.names import clean_name
from respgraph.loaders.table.columns import FIELD_ZH, field_of
from respgraph.loaders.table.reading import Column, one_line

_ROLES = ("leader", *ROLES)


class AmbiguousHeader(ValueError):
    """A header row with a cell that names two roles (牵头单位及配合单位): refused, never guessed.
    The reader that knows the file turns it into a LoadError naming line and cell."""

    def __init__(self, line: int, cell: str, roles: str):
        self.line, self.cell = line, cell
        super().__init__(
            f"the header names two roles in one column, {roles}: split it into two columns, "
            f"or give it one role with --map {cell}=ROLE"
        )


@dataclass
class Header:
    lines: tuple[int, ...]
    fields: list[str | None]  # per column
    columns: list[Column]
    signatures: tuple[tuple[str, ...], ...]  # cleaned texts of each header row, to spot repeats
    states_lead_first: bool  # a header cell says the first unit listed is the lead

    def printed(self) -> dict[str, str]:
        return {c.field: c.header for c in self.columns if c.field}


def _signature(cells: list[Cell]) -> tuple[str, ...]:
    return tuple(clean_name(c.text) for c in cells)


def _map(texts: list[str], mapping, below: list[str] | None = None) -> tuple[list[str | None], list[Column]]:
    fields: list[str | None] = []
    columns: list[Column] = []
    for n, text in enumerate(texts):
        lower = below[n] if below else ""
        # The lower line of a two-line header is the more specific one (责任单位 over 牵头单位 | 配合单位).
        field, how = field_of(lower, mapping) if lower else (None, "unmapped")
        if field is None and how != "--map":
            field, how = field_of(f"{text}{lower}", mapping)
        printed = " ".join(t for t in (text.strip(), lower.strip()) if t)
        if field is not None and field in fields:
            how = f"duplicate of {FIELD_ZH.get(field, field)}"
            field = None
        fields.append(field)
        if printed or field:
            columns.append(Column(printed, field, how))
    return fields, columns


def _valid(fields: list[str | None]) -> bool:
    # A progress report (loaders/progress/reports.py maps its columns) may have no unit column.
    return "title" in fields and any(f in fields for f in (*_ROLES, "progress", "status"))


def _refuse_ambiguous(line: int, fields: list[str | None], columns: list[Column]) -> None:
    """A row that reads as a header but for a cell naming two roles is refused, not read half."""
    ambiguous = [c for c in columns if c.how.startswith("ambiguous")]
    if ambiguous and ("title" in fields or sum(f is not None for f in fields) >= 2):
        column = ambiguous[0]
        raise AmbiguousHeader(line, one_line(column.header), column.how.removeprefix("ambiguous: "))


def find_header(rows: list[GridRow], i: int, mapping=None) -> Header | None:
    """The header starting at ``rows[i]``, or None when that row is not one; raises
    :class:`AmbiguousHeader` when it is one but a cell names two roles."""
    row = rows[i]
    if row.paragraph:
        return None
    top = [c.text for c in row.cells]
    fields, columns = _map(top, mapping)
    best = None
    if _valid(fields):
        best = Header((row.line,), fields, columns, (_signature(row.cells),), False)
    mapped = sum(f is not None for f in fields)
    if mapped >= 2 and i + 1 < len(rows) and not rows[i + 1].paragraph:
        nxt = rows[i + 1].cells
        below = [("" if n >= len(nxt) or nxt[n].above else nxt[n].text) for n in range(len(top))]
        both, both_columns = _map(top, mapping, below)
        if _valid(both) and sum(f is not None for f in both) > mapped:
            best = Header(
                (row.line, rows[i + 1].line), both, both_columns, (_signature(row.cells), _signature(nxt)), False
            )
    # Refused only as finally read: 牵头单位及配合单位 over 牵头单位 | 配合单位 is a header of two lines.
    _refuse_ambiguous(row.line, *((best.fields, best.columns) if best else (fields, columns)))
    if best is not None:
        best.states_lead_first = any(states_lead_first(c.header) for c in best.columns)
    return best
