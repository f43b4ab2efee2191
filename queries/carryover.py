"""连续督办: the items of last year's table that reappear in this year's, with where they stood.

Offices make this list by hand every January: a task that was promised last year
and is promised again is followed up as a continuing item.  An item of document A
reappears in document B when B has an item with a similar title (as
:func:`~respgraph.queries.diff.diff_documents` matches them: numbers and
punctuation set aside, one to one, most alike first) **and** the same lead unit.
Its status is the one it had on 31 December of A's year
(:func:`~respgraph.queries.status.item_status`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from respgraph.graph.errors import RespgraphError
from respgraph.graph.protocol import GraphStore
from respgraph.queries.diff import SIMILAR, _items, _match
from respgraph.queries.lookup import find_document, item_ref
from respgraph.queries.rows import ItemRef, Row
from respgraph.queries.status import item_status
from respgraph.queries.years import year_of_document

__all__ = ["carryover", "Carryover", "CarryoverRow"]


class CarryoverRow(Row):
    """An item of A (``last``) that reappears in B (``this``)."""

    last: ItemRef
    this: ItemRef
    similarity: float
    lead: list[str]
    status: str
    overdue: bool
    warning: str | None
    reported: dt.date | None
    why: str


class Carryover(Row):
    a: str
    b: str
    as_of: dt.date
    threshold: float
    compared: int
    rows: list[CarryoverRow]


def carryover(
    store: GraphStore, a: str, b: str, *, threshold: float = SIMILAR, same_body: Callable[[str], str] | None = None
) -> Carryover:
    """Items of document ``a`` (last year's) that reappear in ``b`` (this year's), with
    their status at the end of ``a``'s year.

    ``same_body`` maps a unit's name to the name it is compared by (the alias list:
    one city may print 市住房城乡建设局 one year and 市住房和城乡建设局 the next).
    ``a`` must be of an earlier year than ``b``, and of the same city.

    Examples
    --------
    >>> from respgraph.graph.sqlite_store import SqliteStore
    >>> from respgraph.loaders.load import read_tables, sample_path
    >>> store = SqliteStore()
    >>> for year in (2023, 2024):
    ...     for table in read_tables(sample_path(), year=year):
    ...         store.write(table.to_batch())
    >>> c = carryover(store, "湛江市/2023/2", "湛江市/2024/2")
    >>> len(c.rows), c.as_of.isoformat(), c.rows[0].status
    (10, '2023-12-31', 'no_report')
    """
    docs = store.documents()
    a, b = find_document(docs, a), find_document(docs, b)
    year_a, year_b = year_of_document(a), year_of_document(b)
    city_a, city_b = (next(d["city"] for d in docs if d["key"] == k) for k in (a, b))
    if city_a != city_b:
        raise RespgraphError(f"carryover follows one city's tables: {a} is of {city_a}, {b} of {city_b}")
    if year_a >= year_b:
        raise RespgraphError(
            f"carryover goes from last year's table to this year's: {a} is of {year_a}, "
            f"{b} of {year_b}; give the earlier one first"
        )
    same = same_body or (lambda name: name)
    before, after = _items(store, a), _items(store, b)  # names as printed: the answer shows last year's
    as_of = dt.date(year_a, 12, 31)
    status = {s.id: s for s in item_status(store, as_of=as_of, documents=[a])}
    rows = []
    for ka, kb, score in _match(before, after, threshold):
        x, y = before[ka], after[kb]
        lead_b = {same(n) for n in y["units"]["lead"]}
        shared = sorted(n for n in x["units"]["lead"] if same(n) in lead_b)
        if not shared:
            continue
        s = status[ka]
        rows.append(
            CarryoverRow(
                last=ItemRef(**item_ref(x["item"])),
                this=ItemRef(**item_ref(y["item"])),
                similarity=round(score, 3),
                lead=shared,
                status=s.status,
                overdue=s.overdue,
                warning=s.warning,
                reported=s.reported,
                why=s.why,
            )
        )
    rows.sort(key=lambda r: (int(r.last.number) if r.last.number.isdigit() else 10**9, r.last.number))
    return Carryover(a=a, b=b, as_of=as_of, threshold=threshold, compared=len(before), rows=rows)
