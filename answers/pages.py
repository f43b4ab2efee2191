"""What a page shows beside its question's answer, as answers of the library: the counts of each
city, a unit's items grouped by role, the units it works with most and the leaders of its
items, the latest report's counts and the statuses of items, the day "soon" counts from.

The web's pages call these; the command line's answers are their data where a command
prints the same (``respgraph status``, the brief's due-soon list).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from respgraph.answers.brief import due_soon
from respgraph.answers.scope import Scope

if TYPE_CHECKING:
    from respgraph.queries.status import ItemStatus

__all__ = [
    "cities",
    "by_role",
    "unit_extra",
    "leaders_of",
    "latest_counts",
    "reference_date",
    "due_soon",
    "unit_statuses",
    "leader_statuses",
    "resolve_all",
    "removal_preview",
    "lorenz_points",
]

#: The roles a unit's page lists its items under, in order; ``via``: through a group only.
PAGE_ROLES = ("lead", "implement", "assist")


def cities(store) -> dict[str, dict]:
    """City → its years, documents and items, as the home page lists them."""
    out: dict[str, dict] = {}
    for d in store.documents():
        c = out.setdefault(d["city"], {"years": set(), "documents": 0, "items": 0})
        c["years"].add(d["year"])
        c["documents"] += 1
        c["items"] += d.get("items", 0)
    return out


def by_role(rows) -> dict[str, list]:
    """A unit's item rows (``respgraph items --unit``) by role: those it is named on in each role,
    then (``via``) those it reaches only through a group."""
    grouped = {role: [r for r in rows if not r.via and role in r.roles] for role in PAGE_ROLES}
    grouped["via"] = [r for r in rows if r.via]
    return grouped


def unit_extra(store, name: str, rows, scope: Scope) -> dict:
    """What only the unit page shows: the units it works with most, and the leaders of its items."""
    from respgraph.queries.co import co_responsibility

    return {
        "co": co_responsibility(store, name, city=scope.city, documents=scope.docs)[:10],
        "leaders": leaders_of(store, [r.id for r in rows]),
    }


def leaders_of(store, items: list[str]) -> dict[str, list[str]]:
    """Item id → the leaders overseeing it or one of its sub-items."""
    out: dict[str, set] = {}
    if items:
        for o in store.oversight(items=items):
            out.setdefault(o["item"], set()).add(o["name"])
    return {k: sorted(v) for k, v in out.items()}


def reference_date(store) -> dt.date:
    """The day "soon" counts from: the latest progress report's date, else today (as ``status`` does)."""
    from respgraph.queries.status import latest_report_date

    return latest_report_date(store) or dt.date.today()


def latest_counts(store, *, city: str | None = None) -> dict | None:
    """The red/orange/yellow/blue counts of the latest progress report (its year's tables, of ``city``
    when given), or None when none is loaded."""
    from respgraph.queries.status import latest_item_status, latest_report_date

    when = latest_report_date(store)
    if when is None:
        return None
    rows = latest_item_status(store, city=city)
    return {
        "as_of": when.isoformat(),
        **{w: sum(r.warning == w for r in rows) for w in ("red", "orange", "yellow", "blue")},
        "overdue": sum(r.overdue for r in rows),
        "items": len(rows),
    }


def unit_statuses(store, name: str, scope: Scope) -> dict[str, ItemStatus]:
    """Item id → its status row at the latest report, for the items of one unit; empty with no report."""
    return _statuses(store, scope, unit=name)


def leader_statuses(store, name: str, scope: Scope) -> dict[str, ItemStatus]:
    """Item id → its status row at the latest report, for the items one leader oversees."""
    return _statuses(store, scope, leader=name)


def _statuses(store, scope: Scope, **who) -> dict[str, ItemStatus]:
    from respgraph.queries.status import latest_item_status

    return {r.id: r for r in latest_item_status(store, city=scope.city, documents=scope.docs, **who)}


def resolve_all(store, name: str, label: str) -> list[dict]:
    """Every node a bare name may mean, in every city the store shows (for a page listing them)."""
    from respgraph.queries.lookup import resolve

    labels = ("Unit", "UnitGroup") if label == "Unit" else ("Leader",)
    return resolve(store, name, labels, city=getattr(store, "city", None))


def removal_preview(store, selectors: list[str]) -> dict:
    """What removing ``selectors`` takes away: the documents, their items, the progress reports on them."""
    from respgraph.queries.lookup import find_document
    from respgraph.queries.progress_reports import reports

    loaded = store.documents()
    keys = list(dict.fromkeys(find_document(loaded, d) for d in selectors))
    docs = [d for d in loaded if d["key"] in keys]
    return {
        "documents": docs,
        "items": sum(d.get("items", 0) for d in docs),
        "reports": [r["key"] for r in reports(store) if r["document"] in keys],
    }


def lorenz_points(w) -> list[tuple[float, float]]:
    """The Lorenz curve of a workload's scores: (share of units, share of the score), from 0 to 1.

    The page draws it as a small SVG of its own: matplotlib (the report's chart) takes
    a second a picture, past what a page may take."""
    from respgraph.queries.balance import lorenz

    return lorenz([r.score for r in w.rows])
