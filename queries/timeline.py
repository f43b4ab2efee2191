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

from respgraph.graph.protocol import GraphStore
from respgraph.graph.vocabulary import EDGE_OF_ROLE
from respgraph.queries.lookup import item_ref, item_sort_key, scope
from respgraph.queries.result import Result
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
            {
                "name": r.name,
                "kind": r.kind,
                **{f"q{q}": r.quarters[q - 1] for q in QUARTERS},
                "undated": r.undated,
                "total": r.total,
                **{f"via_group_q{q}": r.via_group[q - 1] for q in QUARTERS},
                "via_group_undated": r.via_undated,
            }
            for r in self.rows
        ]

    def top(self, quarter: int, n: int = 5) -> list[QuarterRow]:
        """The ``n`` rows carrying the most targets in ``quarter`` (ties broken by name)."""
        rows = [r for r in self.rows if r.quarters[quarter - 1]]
        return sorted(rows, key=lambda r: (-r.quarters[quarter - 1], r.name))[:n]


def quarterly_load(
    store: GraphStore,
    *,
    by: str = "unit",
    roles: tuple[str, ...] = ("implement",),
    city: str | None = None,
    documents: list[str] | None = None,
) -> QuarterLoad:
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
    >>> from respgraph.ingest import sample_store
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
    return _assemble(by, list(roles), *_carried(store, by, set(edges), documents))


def _assemble(
    by: str, roles: list[str], carriers: dict[str, list[tuple]], every: dict[str, list[int]], owner_of: dict[str, str]
) -> QuarterLoad:
    """``carriers``: owner → (name, city, kind, group or None) of everyone carrying its
    milestones; ``every``: milestone → its quarters; ``owner_of``: milestone → owner."""
    people = {c[:3] for cs in carriers.values() for c in cs}
    several = len({city for _, city, _ in people}) > 1  # two cities' 市财政局 are two rows
    direct: dict[tuple, set[str]] = defaultdict(set)
    via: dict[tuple, set[str]] = defaultdict(set)
    for milestone, owner in owner_of.items():
        for name, city, kind, group in carriers.get(owner, ()):
            (via if group else direct)[(name, city, kind)].add(milestone)
    rows = []
    for person in people:
        name, city, kind = person
        mine = direct[person]
        only_via = via[person] - mine
        rows.append(
            QuarterRow.model_construct(
                name=f"{city}:{name}" if several else name,
                city=city,
                kind=kind,
                quarters=_per_quarter(every[m] for m in mine),
                undated=sum(1 for m in mine if not every[m]),
                total=len(mine),
                via_group=_per_quarter(every[m] for m in only_via),
                via_undated=sum(1 for m in only_via if not every[m]),
            )
        )
    rows.sort(key=lambda r: (-r.total, -sum(r.via_group), r.name))
    carried_direct = set().union(*direct.values())
    return QuarterLoad(
        by=by,
        roles=roles,
        rows=rows,
        totals=_per_quarter(every.values()),
        undated=sum(1 for q in every.values() if not q),
        unassigned=len(set(every) - carried_direct),
    )


def _per_quarter(quarter_lists) -> list[int]:
    counts = [0, 0, 0, 0]
    for quarters in quarter_lists:
        for q in quarters:
            if q in QUARTERS:
                counts[q - 1] += 1
    return counts


def _carried(store: GraphStore, by: str, edges: set[str], documents) -> tuple[dict, dict, dict]:
    """Who carries the milestones of each owner (a unit in one of ``edges``, directly or
    through a group; or the leader overseeing it), every milestone's quarters, and its owner."""
    milestones = store.milestone_quarters(documents=documents)
    every = {m["key"]: list(m["quarters"]) for m in milestones}
    owner_of = {m["key"]: m["owner"] for m in milestones}
    carriers: dict[str, list[tuple]] = defaultdict(list)
    if by == "leader":
        for o in store.oversight(documents=documents):
            carriers[o["target"]].append((o["name"], o["city"] or "", "leader", None))
    else:
        units = {n["key"]: n for n in store.nodes(["Unit"])}
        members: dict[str, list[tuple]] = defaultdict(list)
        for m in store.memberships():
            u = units[m["unit"]]
            members[m["group"]].append((u["name"], u.get("city") or "", u["kind"]))
        for r in store.roles(documents=documents):
            if r["type"] not in edges:
                continue
            if r["label"] == "Unit":
                carriers[r["target"]].append((r["name"], r["city"] or "", r["kind"], None))
            else:
                carriers[r["target"]] += [(*u, r["name"]) for u in members[r["source"]]]
    return carriers, every, owner_of


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


def deadlines(store: GraphStore, *, city: str | None = None, documents: list[str] | None = None) -> Deadlines:
    """Items per deadline month, in month order; ``numbers`` read ``附件-序号`` (``1-53``).

    Examples
    --------
    >>> from respgraph.ingest import sample_store
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
        DeadlineRow(
            month=month,
            count=len(refs),
            items=[r["id"] for r in refs],
            numbers=[f"{r['attachment']}-{r['number']}" for r in refs],
        )
        for month, refs in sorted(months.items(), key=lambda kv: kv[0] or "9999")
    ]
    return Deadlines(rows=rows)
