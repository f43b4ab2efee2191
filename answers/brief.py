"""A leader's meeting brief: the portfolio with where each item stands, and what falls due soon.

What the leader page and ``respgraph portfolio LEADER --brief`` show and write
(:mod:`respgraph.viz.brief` lays it out as a document, a workbook or a CSV).  The
date it stands on is the latest progress report's (today when none is loaded, and
then every item is "no report"); the tables are those of that date's year, as
``respgraph status`` judges them, so two years are never mixed unseen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from respgraph.graph.protocol import GraphStore

__all__ = ["LeaderBrief", "leader_brief", "due_soon", "SOON_DAYS"]

#: The windows "due soon" is counted in, in days from the brief's date.
SOON_DAYS = (30, 90)


def due_soon(
    items, as_of: dt.date, *, done: frozenset[str] = frozenset(), days: tuple[int, ...] = SOON_DAYS
) -> dict[int, list]:
    """The ``items`` (anything with ``id`` and ``deadline``) whose deadline falls within each of
    ``days`` from ``as_of`` (both ends counted), those in ``done`` (ids reported done) left out.

    >>> from types import SimpleNamespace as I
    >>> rows = [I(id="a", deadline=dt.date(2023, 10, 31)), I(id="b", deadline=dt.date(2023, 12, 31)),
    ...         I(id="c", deadline=None), I(id="d", deadline=dt.date(2023, 10, 9))]
    >>> {d: [r.id for r in found] for d, found in due_soon(rows, dt.date(2023, 10, 8), done={"d"}).items()}
    {30: ['a'], 90: ['a', 'b']}
    """
    return {
        n: [
            i
            for i in items
            if i.deadline is not None and i.id not in done and as_of <= i.deadline <= as_of + dt.timedelta(days=n)
        ]
        for n in days
    }


@dataclass
class LeaderBrief:
    """One leader's brief.  ``rows``: one per item, in the portfolio's order, with the keys
    ``id document attachment number title lead implement assist deadline deadline_note status
    warning overdue why reported``; ``soon``: the rows due within each of :data:`SOON_DAYS`;
    ``reported``: whether a progress report on these tables' year is loaded (else nothing is reported yet);
    ``head``: the tables the brief covers, ``sources`` those tables (as ``store.documents()``); the
    picture is drawn as the leader page draws it (``respgraph portfolio --png``)."""

    leader: str
    city: str
    as_of: dt.date
    reported: bool
    head: str
    sources: list[dict]
    rows: list[dict]
    soon: dict[int, list[dict]] = field(default_factory=dict)
    #: What the portfolio picture is drawn from: the portfolio, unit kinds, item id → latest status.
    portfolio: object = None
    kinds: dict[str, str] = field(default_factory=dict)
    picture_statuses: dict[str, str] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """Items by status, then ``overdue`` and each warning colour (zeros left out)."""
        out: dict[str, int] = {}
        for r in self.rows:
            out[r["status"]] = out.get(r["status"], 0) + 1
        for key, n in (
            ("overdue", sum(r["overdue"] for r in self.rows)),
            *((w, sum(r["warning"] == w for r in self.rows)) for w in ("red", "orange", "yellow", "blue")),
        ):
            if n:
                out[key] = n
        return out


def leader_brief(
    store: GraphStore,
    leader: str,
    *,
    city: str | None = None,
    documents: list[str] | None = None,
    today: dt.date | None = None,
) -> LeaderBrief:
    """``leader``'s items with their lead units, deadline, status and its reason at the latest
    report's date, and those due within 30 and 90 days of it.

    Examples
    --------
    >>> from respgraph.ingest import sample_store
    >>> b = leader_brief(sample_store(), "黄益斌", today=dt.date(2023, 9, 1))
    >>> b.as_of, b.reported, [(r["number"], r["lead"], r["status"], r["deadline"], r["warning"]) for r in b.rows]
    (datetime.date(2023, 9, 1), False, [('53', ['市公安局'], 'no_report', datetime.date(2023, 9, 30), 'blue')])
    >>> {d: [r["number"] for r in rows] for d, rows in b.soon.items()}
    {30: ['53'], 90: ['53']}
    """
    from respgraph.answers.supervision import status_scope
    from respgraph.graph.errors import UnknownDocument
    from respgraph.queries.overview import unit_kinds
    from respgraph.queries.portfolio import portfolio
    from respgraph.queries.status import item_status, latest_report_date, picture_statuses
    from respgraph.queries.years import year_scope

    latest = latest_report_date(store)
    try:
        scope = status_scope(store, latest, city=city, documents=documents)
    except UnknownDocument:
        # The tables asked for are of a year no report is loaded for yet (a new year's table
        # before its first report): nothing is reported on them, and the brief says so.
        latest, scope = None, year_scope(store, city=city, documents=documents)
    when = latest or today or dt.date.today()
    p = portfolio(store, leader, city=city, documents=scope.documents)
    statuses = {
        r.id: r for r in item_status(store, as_of=when, leader=p.leader, city=p.city or None, documents=scope.documents)
    }
    rows = [_row(i, statuses.get(i.id)) for i in p.items]
    done = frozenset(r["id"] for r in rows if r["status"] == "done")
    soon = {
        n: [r for r in rows if r["id"] in {i.id for i in found}]
        for n, found in due_soon([_Due(r) for r in rows], when, done=done).items()
    }
    return LeaderBrief(
        leader=p.leader,
        city=p.city,
        as_of=when,
        reported=latest is not None,
        head=scope.line,
        sources=[d for d in store.documents() if scope.documents is None or d["key"] in scope.documents],
        rows=rows,
        soon=soon,
        portfolio=p,
        kinds=unit_kinds(store),
        picture_statuses=picture_statuses(store),
    )


class _Due:
    def __init__(self, row: dict):
        self.id, self.deadline = row["id"], row["deadline"]


def _row(item, status) -> dict:
    """One item of the brief, judged as ``respgraph status`` judges it (``status``: None for an
    item the judged tables do not hold)."""
    row = {
        "id": item.id,
        "document": item.document,
        "attachment": item.attachment,
        "number": item.number,
        "title": item.title,
        "lead": item.units.lead,
        "implement": item.units.implement,
        "assist": item.units.assist,
        "deadline": item.deadline,
        "deadline_note": "",
        "status": "no_report",
        "warning": None,
        "overdue": False,
        "why": "",
        "reported": None,
    }
    if status is None:
        return row
    row["deadline"] = status.deadline  # corrected by `respgraph fix` where it was
    row["deadline_note"] = status.corrected or ("doubtful" if status.deadline_doubtful else "")
    row.update(
        status=status.status, warning=status.warning, overdue=status.overdue, why=status.why, reported=status.reported
    )
    return row
