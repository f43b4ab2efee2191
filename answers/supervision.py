"""The supervision loop's answers: where every item stands, per item, per unit or leader, over time."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from respgraph.answers.answer import Answer
from respgraph.answers.columns import item_columns, several_cities
from respgraph.graph.protocol import GraphStore

__all__ = ["status", "status_scope", "notice_items"]


def status_scope(
    store: GraphStore, as_of: dt.date | None, *, city: str | None = None, documents: list[str] | None = None
):
    """The tables a status on ``as_of`` concerns: those of its year (the latest report's date
    when None), or with no report loaded the latest year of each city."""
    from respgraph.queries.status import latest_report_date
    from respgraph.queries.years import documents_at, year_scope

    when = as_of or latest_report_date(store)
    if when is None:
        return year_scope(store, city=city, documents=documents)
    return documents_at(store, when, city=city, documents=documents)


def _when(date) -> str:
    return date.isoformat() if date else f"{dt.date.today().isoformat()} (no report loaded)"


def status(
    store: GraphStore,
    *,
    as_of: dt.date | None = None,
    unit: str | None = None,
    role: str | None = None,
    leader: str | None = None,
    city: str | None = None,
    documents: list[str] | None = None,
    by: str | None = None,
    trend: bool = False,
    warnings: tuple[str, ...] = (),
    rules=None,
) -> Answer:
    """Every item's status, overdue and warning colour on ``as_of`` (the latest report's date);
    ``by`` unit or leader: counts per unit (in ``role``, lead by default) or leader;
    ``trend``: counts at every report date.  ``head`` says which tables were judged.

    >>> import datetime as dt
    >>> from respgraph.ingest import sample_store
    >>> status(sample_store(), as_of=dt.date(2023, 7, 1)).footer.split(":")[0]
    '110 items as of 2023-07-01'
    """
    from respgraph.queries.status import WarningRules, item_status, latest_report_date, status_rollup, status_trend

    rules = rules or WarningRules()
    when = as_of or latest_report_date(store)
    scope = status_scope(store, as_of, city=city, documents=documents)
    docs = scope.documents
    if by:
        rollup = status_rollup(store, by=by, role=role or "lead", as_of=as_of, city=city, rules=rules, documents=docs)
        flat = [r.model_dump(mode="json") for r in rollup]
        return Answer(flat, flat, f"{len(rollup)} {by}s, as of {_when(when)}", head=scope.line, result=rollup)
    if trend:
        trend_rows = status_trend(
            store, as_of=as_of, unit=unit, role=role, leader=leader, city=city, rules=rules, documents=docs
        )
        flat = [r.model_dump(mode="json") for r in trend_rows]
        return Answer(flat, flat, f"{len(trend_rows)} report dates", head=scope.line, result=trend_rows)
    rows = item_status(store, as_of=as_of, unit=unit, role=role, leader=leader, city=city, rules=rules, documents=docs)
    # Said even when ``warnings`` leaves them out: a red list must say which items it cannot judge.
    doubtful = [r.number for r in rows if r.deadline_doubtful]
    if warnings:
        rows = [r for r in rows if r.warning in warnings]
    where = several_cities(store)
    flat = [
        {
            **({"city": r.city} if where else {}),
            "attachment": r.attachment,
            "number": r.number,
            "title": r.title,
            "status": r.status,
            "warning": r.warning or "",
            "overdue": "yes" if r.overdue else ("deadline_doubtful" if r.deadline_doubtful else ""),
            "reported": r.reported,
            "why": r.why + (f" [{r.corrected}]" if r.corrected else ""),
        }
        for r in rows
    ]
    flat = item_columns(flat, rows, store, after="city" if where else "")
    counts = Counter(r.status for r in rows)
    footer = (
        f"{len(rows)} item{'' if len(rows) == 1 else 's'} as of {_when(when)}: "
        + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        + f"; overdue {sum(r.overdue for r in rows)}; "
        + ", ".join(f"{w} {sum(r.warning == w for r in rows)}" for w in ("red", "orange", "yellow", "blue"))
    )
    if doubtful:
        footer += (
            f"\ndeadline outside the table's year, not counted overdue until corrected (respgraph fix): "
            f"{', '.join(doubtful)}"
        )
    return Answer(flat, [r.public() for r in rows], footer, head=scope.line, result=rows)


def notice_items(
    store: GraphStore,
    *,
    as_of: dt.date | None = None,
    city: str | None = None,
    documents: list[str] | None = None,
    rules=None,
):
    """What the 督办通知单 are written from: ``(items, counts by lead unit, date, scope)`` on
    ``as_of`` (the latest report's date, else today), of the tables of that date's year."""
    from respgraph.queries.status import WarningRules, item_status, latest_report_date, status_rollup

    rules = rules or WarningRules()
    scope = status_scope(store, as_of, city=city, documents=documents)
    when = as_of or latest_report_date(store) or dt.date.today()
    rows = item_status(store, as_of=when, city=city, rules=rules, documents=scope.documents)
    rollup = status_rollup(store, by="unit", role="lead", as_of=when, city=city, rules=rules, documents=scope.documents)
    return rows, rollup, when, scope
