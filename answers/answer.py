"""One answer, in every shape a face shows it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Answer:
    """``rows`` are the flat rows of the table and its CSV, ``data`` the JSON; ``head`` is
    the line that says what the answer covers (the years, the date), ``footer`` the figures
    under the table.  ``table`` replaces ``rows`` in a table for people where the two
    differ (counts instead of long texts, a mark beside a corrected date); ``width``
    clips a table's cells (None: never); ``result`` is the query's own result, for a
    picture of it."""

    rows: list[dict]
    data: Any
    footer: str = ""
    head: str = ""
    table: list[dict] | None = None
    width: int | None = 40
    result: Any = None

    def without_head(self) -> Answer:
        """The answer without its line above (for output where that line is not wanted)."""
        return Answer(self.rows, self.data, self.footer, "", self.table, self.width, self.result)

    def top(self, n: int | None) -> Answer:
        """The first ``n`` rows only (all when ``n`` is None), in the table, the CSV and a JSON list."""
        if not n:
            return self
        data = self.data[:n] if isinstance(self.data, list) else self.data
        return Answer(
            self.rows[:n],
            data,
            self.footer,
            self.head,
            None if self.table is None else self.table[:n],
            self.width,
            self.result,
        )
