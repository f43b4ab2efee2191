"""Load over the year: quarterly targets per unit and per leader, and when items fall due.

A unit carries the milestones (季度工作目标) of every item or sub-item it is
named on in one of ``roles`` (default: implementing, 实施单位); a leader carries
those of the items and sub-items they oversee.  A milestone labelled with
several quarters (第一、二季度) counts in each of them; one with no quarter label
counts as ``undated``.  Milestones a unit reaches only through a group
(各县（市、区）政府（管委会）) are counted apart, in ``via_group``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from respgraph.queries.frames import Result
from respgraph.graph.vocabulary import EDGE_OF_ROLE
from respgraph.queries.lookup import item_ref, item_sort_key, qualify, scope
from respgraph.queries.rows import Row

__all__ = ["quarterly_load", "deadlines", "QuarterLoad", "QuarterRow", "Deadlines", "DeadlineRow"]

QUARTERS = (1, 2, 3, 4)


class QuarterRow(Row):
    """Milestones one unit or leader carries: ``quarters[q-1]`` due in quarter q."""

    name: str
    city: str = ""
    kind: str
    quarters: list[int]
    undated: int
    total: int
    via_group: list[int]
    via_undated: int


class QuarterLoad(Result):
    by: str
    roles: list[str]
    #: Heaviest total first.
    rows: list[QuarterRow]
    #: Distinct milestones of the whole table per quarter, whoever carries them.
    totals: list[int]
    undated: int
    #: Milestones nobody carries directly in ``roles`` (e.g. items with no implementing unit).
    unassigned: int

    def table(self) -> list[dict]:
        return [
            {"name": r.name, "kind": r.kind, **{f"q{q}": r.quarters[q - 1] for q in QUARTERS},
             "undated": r.undated, "total": r.total,
             **{f"via_group_q{q}": r.via_group[q - 1] for q in QUARTERS}, "via_group_undated": r.via_undated}
            for r in self.rows
        ]

    def top(self, quarter: int, n: int = 5) -> list[QuarterRow]:
        """The ``n`` rows carrying the most targets in ``quarter`` (ties broken by name)."""
        rows = [r for r in self.rows if r.quarters[quarter - 1]]
        return sorted(rows, key=lambda r: (-r.quarters[quarter - 1], r.name))[:n]


def quarterly_load(store, *, by: str = "unit", roles: tuple[str, ...] = ("implement",),
                   city: str | None = None, documents: list[str] | None = None) -> QuarterLoad:
    """Milestones due per quarter for every unit (in ``roles``) or leader.

    Parameters
    ----------
    store : GraphStore (the embedded SqliteStore, or Neo4jStore)
    by : {"unit", "leader"}
    roles : tuple of str
        The roles in which a unit carries an item's milestones (units only).
    documents : list of str, optional

    Examples
    --------
    >>> from respgraph.loaders.load import sample_store
    >>> store = sample_store()
    >>> load = quarterly_load(store, by="leader")
    >>> [(r.name, r.quarters) for r in load.rows][:2]
    [('张仁建', [38, 38, 34, 34]), ('何嘉旻', [24, 24, 20, 20])]
    >>> load.totals
    [123, 124, 113, 112]
    """
    documents = scope(store, city=city, documents=documents)
    if by not in ("unit", "leader"):
        raise ValueError(f"by must be unit or leader, not {by!r}")
    unknown = set(roles) - set(EDGE_OF_ROLE)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}: use lead, implement or assist")
    edges = [EDGE_OF_ROLE[r] for r in roles]
    carried, every = _carried(store, by, set(edges), documents)
    return _assemble(by, list(roles), qualify(carried, "name"), every)


def _assemble(by: str, roles: list[str], carried: list[dict], every: list[dict]) -> QuarterLoad:
    direct: dict[str, dict[str, list[int]]] = defaultdict(dict)
    via: dict[str, dict[str, list[int]]] = defaultdict(dict)
    kinds: dict[str, str] = {}
    cities: dict[str, str] = {}
    for r in carried:
        kinds[r["name"]] = r["kind"]
        cities[r["name"]] = r.get("city", "")
        (via if r["group"] else direct)[r["name"]][r["milestone"]] = list(r["quarters"])
    rows = []
    for name in kinds:
        mine = direct[name]
        only_via = {m: q for m, q in via[name].items() if m not in mine}
        rows.append(QuarterRow(
            name=name, city=cities[name], kind=kinds[name], quarters=_per_quarter(mine.values()),
            undated=sum(1 for q in mine.values() if not q), total=len(mine),
            via_group=_per_quarter(only_via.values()), via_undated=sum(1 for q in only_via.values() if not q),
        ))
    rows.sort(key=lambda r: (-r.total, -sum(r.via_group), r.name))
    every_q = {r["milestone"]: list(r["quarters"]) for r in every}
    carried_direct = {m for ms in direct.values() for m in ms}
    return QuarterLoad(by=by, roles=roles, rows=rows, totals=_per_quarter(every_q.values()),
                       undated=sum(1 for q in every_q.values() if not q),
                       unassigned=len(set(every_q) - carried_direct))


def _per_quarter(quarter_lists) -> list[int]:
    counts = [0, 0, 0, 0]
    for quarters in quarter_lists:
        for q in quarters:
            if q in QUARTERS:
                counts[q - 1] += 1
    return counts


def _carried(store, by: str, edges: set[str], documents) -> tuple[list[dict], list[dict]]:
    """Who carries each milestone (a unit in one of ``edges``, directly or through a
    group; or the leader overseeing it), and every milestone with its quarters."""
    every = [{"milestone": m["key"], "quarters": list(m["quarters"]), "owner": m["owner"]}
             for m in store.milestones(documents=documents)]
    carriers: dict[str, list[tuple[dict, str | None]]] = defaultdict(list)
    if by == "leader":
        for o in store.oversight(documents=documents):
            carriers[o["target"]].append(({"name": o["name"], "city": o["city"], "kind": "leader"}, None))
    else:
        members: dict[str, list[dict]] = defaultdict(list)
        units = {n["key"]: n for n in store.nodes(["Unit"])}
        for m in store.memberships():
            members[m["group"]].append(units[m["unit"]])
        for r in store.roles(documents=documents):
            if r["type"] not in edges:
                continue
            if r["label"] == "Unit":
                carriers[r["target"]].append((r, None))
            else:
                carriers[r["target"]] += [(u, r["name"]) for u in members[r["source"]]]
    carried = [{"name": c["name"], "city": c.get("city") or "", "kind": c.get("kind", "leader"),
                "milestone": m["milestone"], "quarters": m["quarters"], "group": group}
               for m in every for c, group in carriers[m["owner"]]]
    return carried, every


class DeadlineRow(Row):
    """The items due in one month (``"2023-06"``; ``""`` for items with no deadline)."""

    month: str
    count: int
    items: list[str]
    numbers: list[str]


class Deadlines(Result):
    rows: list[DeadlineRow]

    def count(self, month: int) -> int:
        """Items due in calendar month ``month`` of any year."""
        return sum(r.count for r in self.rows if r.month.endswith(f"-{month:02d}"))

    def table(self) -> list[dict]:
        return [{"month": r.month, "count": r.count, "numbers": r.numbers} for r in self.rows]


def deadlines(store, *, city: str | None = None, documents: list[str] | None = None) -> Deadlines:
    """Items per deadline month, in month order; ``numbers`` read ``附件-序号`` (``1-53``).

    Examples
    --------
    >>> from respgraph.loaders.load import sample_store
    >>> store = sample_store()
    >>> d = deadlines(store)
    >>> d.count(6), d.count(12)
    (9, 98)
    >>> [(r.month, r.count) for r in d.rows][:2]
    [('2013-12', 1), ('2023-06', 9)]
    """
    documents = scope(store, city=city, documents=documents)
    props = store.items(documents)
    refs = sorted((item_ref(p) for p in props), key=item_sort_key)
    months: dict[str, list[dict]] = defaultdict(list)
    for ref in refs:
        deadline: dt.date | None = ref["deadline"]
        months[deadline.strftime("%Y-%m") if deadline else ""].append(ref)
    rows = [
        DeadlineRow(month=month, count=len(refs), items=[r["id"] for r in refs],
                    numbers=[f"{r['attachment']}-{r['number']}" for r in refs])
        for month, refs in sorted(months.items(), key=lambda kv: kv[0] or "9999")
    ]
    return Deadlines(rows=rows)

