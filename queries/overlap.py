"""Leaders and the units their portfolios rest on, and which leaders depend on the same units.

A unit is in a leader's portfolio when it is named, in any role, on an item or
sub-item the leader oversees.  Groups (各县（市、区）政府（管委会）) are not units
and are left out, as in the co-responsibility network.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from respgraph.graph.protocol import GraphStore
from respgraph.graph.vocabulary import ROLE_OF_EDGE, sort_roles
from respgraph.queries.lookup import qualify, scope
from respgraph.queries.result import Result
from respgraph.queries.rows import Row

__all__ = ["leader_units", "leader_overlap", "LeaderUnits", "LeaderUnitRow", "LeaderOverlap", "LeaderPair"]


class LeaderUnitRow(Row):
    """``items``: distinct items of ``leader`` that ``unit`` is named on, in ``roles``."""

    leader: str
    unit: str
    city: str = ""
    kind: str
    items: int
    roles: list[str]


class LeaderPair(Row):
    """Two leaders and the units both depend on; ``jaccard`` = shared / either's."""

    a: str
    b: str
    shared_units: int
    jaccard: float
    units: list[str]


class LeaderOverlap(Result):
    #: Most shared units first.
    rows: list[LeaderPair]


class LeaderUnits(Result):
    #: By leader, then the unit's items, most first.
    rows: list[LeaderUnitRow]

    def leaders(self) -> list[str]:
        return sorted({r.leader for r in self.rows})

    def units(self, top: int | None = None) -> list[str]:
        """Units by items over all leaders, most first."""
        total: dict[str, int] = defaultdict(int)
        for r in self.rows:
            total[r.unit] += r.items
        return sorted(total, key=lambda u: (-total[u], u))[:top]

    def matrix(self, leaders: list[str], units: list[str]) -> list[list[int]]:
        """``[leader][unit]`` items, for a heat map."""
        cell = {(r.leader, r.unit): r.items for r in self.rows}
        return [[cell.get((leader, unit), 0) for unit in units] for leader in leaders]

    def overlap(self) -> LeaderOverlap:
        """Every pair of leaders whose portfolios share a unit, most shared first.

        ``units`` lists the shared units, those with the most items under the
        lighter side of the pair first.
        """
        mine: dict[str, dict[str, int]] = defaultdict(dict)
        for r in self.rows:
            mine[r.leader][r.unit] = r.items
        pairs = []
        for a, b in combinations(sorted(mine), 2):
            shared = set(mine[a]) & set(mine[b])
            if shared:
                units = sorted(shared, key=lambda u: (-min(mine[a][u], mine[b][u]), u))
                pairs.append(
                    LeaderPair(
                        a=a,
                        b=b,
                        shared_units=len(shared),
                        units=units,
                        jaccard=round(len(shared) / len(set(mine[a]) | set(mine[b])), 4),
                    )
                )
        return LeaderOverlap(rows=sorted(pairs, key=lambda p: (-p.shared_units, -p.jaccard, p.a, p.b)))


def leader_units(store: GraphStore, *, city: str | None = None, documents: list[str] | None = None) -> LeaderUnits:
    """For every leader, the units named on the items they oversee.

    Examples
    --------
    >>> from respgraph.ingest import sample_store
    >>> store = sample_store()
    >>> [(r.unit, r.items, r.roles) for r in leader_units(store).rows if r.leader == "黄益斌"]
    [('市公安局', 1, ['lead', 'implement'])]
    """
    documents = scope(store, city=city, documents=documents)
    overseen = store.oversight(documents=documents)
    on_target: dict[str, list[dict]] = defaultdict(list)
    for r in store.roles(items=sorted({o["item"] for o in overseen})):
        if r["label"] == "Unit":
            on_target[r["target"]].append(r)
    distinct = list(
        {
            (o["name"], r["name"], r["city"] or "", r["kind"], o["item"], r["type"]): None
            for o in overseen
            for r in on_target[o["target"]]
        }
    )
    hits = qualify(
        [dict(zip(("leader", "unit", "city", "kind", "item", "role"), h)) for h in distinct], "leader", "unit"
    )
    items: dict[tuple[str, str], set[str]] = defaultdict(set)
    roles: dict[tuple[str, str], set[str]] = defaultdict(set)
    kinds: dict[str, str] = {}
    cities: dict[str, str] = {}
    for h in hits:
        cities[h["unit"]] = h.get("city", "")
        pair = (h["leader"], h["unit"])
        items[pair].add(h["item"])
        roles[pair].add(ROLE_OF_EDGE[h["role"]])
        kinds[h["unit"]] = h["kind"]
    rows = [
        LeaderUnitRow(
            leader=leader,
            unit=unit,
            city=cities[unit],
            kind=kinds[unit],
            items=len(items[leader, unit]),
            roles=sort_roles(roles[leader, unit]),
        )
        for leader, unit in items
    ]
    return LeaderUnits(rows=sorted(rows, key=lambda r: (r.leader, -r.items, r.unit)))


def leader_overlap(store: GraphStore, *, city: str | None = None, documents: list[str] | None = None) -> LeaderOverlap:
    """Pairs of leaders whose portfolios rest on the same units (see :meth:`LeaderUnits.overlap`).

    Examples
    --------
    >>> from respgraph.ingest import sample_store
    >>> store = sample_store()
    >>> top = leader_overlap(store).rows[0]
    >>> (top.a, top.b, top.shared_units)
    ('张仁建', '黄明忠', 33)
    """
    documents = scope(store, city=city, documents=documents)
    return leader_units(store, documents=documents).overlap()
