"""A table as read, before any meaning is given to it: what every reader returns."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RawRow:
    line: int
    cells: dict[str, str]  # field -> text as printed


@dataclass
class RawTable:
    """One table of a source file: its attachment, title and rows by field."""

    file: str
    attachment: int
    title: str
    title_line: int
    columns: dict[str, str]  # field -> header as printed
    header_line: int
    rows: list[RawRow] = field(default_factory=list)
    # Text around the table that may say its city and year when the title does not:
    # the lines above its header, the sheet's name.
    context: str = ""
