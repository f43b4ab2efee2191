"""Every store returns the same Python types from the protocol's reads: dates are
``datetime.date``, text is str (progress reports' dates: tests/test_progress.py)."""

from __future__ import annotations

import datetime as dt

from respgraph.queries.progress_reports import targets


def _types(rows: list[dict], names) -> set[tuple[str, type]]:
    return {(name, type(r[name])) for r in rows for name in names if r.get(name) is not None}


def test_item_reads_give_dates_and_text(store):
    items = store.items()
    assert _types(items, ("deadline",)) == {("deadline", dt.date)}
    assert _types(items, ("key", "title", "number", "document")) == {
        ("key", str),
        ("title", str),
        ("number", str),
        ("document", str),
    }
    # The sample's deadlines are months (2023年12月, one misprinted 2013年12月): a month ends on its last day.
    assert max(i["deadline"] for i in items if i.get("deadline")) == dt.date(2023, 12, 31)
    assert {t["deadline"].__class__ for t in targets(store) if t["deadline"]} == {dt.date}
