"""Workload by unit, leader or district, and how evenly it is spread."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict

from respgraph.queries.lookup import ROLE_OF_EDGE, ROLE_ORDER, city_of_document, in_documents, item_of, scope
from respgraph.queries.rows import Balance, Workload, WorkloadRow

__all__ = ["workload", "balance", "gini", "DEFAULT_WEIGHTS"]

#: Lead units answer for the whole item, implementing units do the work,
#: assisting units help: 3 : 2 : 1.
DEFAULT_WEIGHTS = {"lead": 3.0, "implement": 2.0, "assist": 1.0}


def workload(store, *, by: str = "unit", weights: dict[str, float] | None = None, city: str | None = None,
             documents: list[str] | None = None) -> Workload:
    """Distinct items per role for every unit, leader or district, with a weighted score.

    - ``by="unit"``: items each unit is *named* on, per role; ``via_group`` counts the
      items it reaches only through a group (各县（市、区）政府（管委会）…), kept apart and
      not scored.
    - ``by="district"``: the same for the government or zone committee of each district.
    - ``by="leader"``: ``items`` overseen; lead/implement/assist count the distinct
      units in each role on those items (whom the leader must coordinate).

    ``score`` is ``Σ weight[role] × count[role]`` (default weights
    :data:`DEFAULT_WEIGHTS`, lead 3, implement 2, assist 1).  Rows are by score,
    highest first; ``balance`` describes the spread of the scores.

    Examples
    --------
    >>> from respgraph.loaders.load import sample_store
    >>> store = sample_store()
    >>> w = workload(store, by="leader")
    >>> [(r.name, r.items) for r in w.rows if r.name == "黄益斌"]
    [('黄益斌', 1)]
    """
    if by not in ("unit", "leader", "district"):
        raise ValueError(f"by must be unit, leader or district, not {by!r}")
    weights = {**DEFAULT_WEIGHTS, **(weights or {})}
    documents = scope(store, city=city, documents=documents)
    if store.engine == "neo4j":
        query = {"unit": UNIT_CYPHER, "district": DISTRICT_CYPHER, "leader": LEADER_CYPHER}[by]
        counts = store.read(query, documents=documents)
    else:
        counts = {"unit": _units_nx, "district": _districts_nx, "leader": _leaders_nx}[by](store.graph, documents)
    rows = [
        WorkloadRow(**c, score=sum(weights[r] * c[r] for r in ROLE_ORDER))
        for c in counts
        # Units, leaders and districts of other jurisdictions are not part of the answer.
        if documents is None or c["city"] in {city_of_document(d) for d in documents}
    ]
    rows.sort(key=lambda r: (-r.score, -r.items, r.name, r.city))
    return Workload(by=by, weights=weights, rows=rows, balance=balance([r.score for r in rows]))


def gini(values: list[float]) -> float:
    """The Gini coefficient: 0 when all are equal, towards 1 when one holds everything.

    >>> gini([1, 1, 1, 1]), gini([0, 0, 0, 4])
    (0.0, 0.75)
    """
    xs = sorted(values)
    n, total = len(xs), sum(xs)
    if n == 0 or total == 0:
        return 0.0
    return 2 * sum((i + 1) * x for i, x in enumerate(xs)) / (n * total) - (n + 1) / n


def balance(values: list[float]) -> Balance:
    """Median, the share held by the top 10 % (at least one), and the Gini of ``values``.

    >>> balance([1, 1, 1, 1, 1, 1, 1, 1, 1, 11]).top10_share
    0.55
    """
    xs = sorted(values, reverse=True)
    total = float(sum(xs))
    top = math.ceil(len(xs) / 10) if xs else 0
    return Balance(
        count=len(xs),
        total=total,
        median=float(statistics.median(xs)) if xs else 0.0,
        top10_share=round(sum(xs[:top]) / total, 4) if total else 0.0,
        gini=round(gini(xs), 4),
    )


def _role_items(g, source: str, documents) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for _, target, kind in g.out_edges(source, keys=True):
        if kind in ROLE_OF_EDGE:
            item = item_of(g, target)
            if in_documents(g.nodes[item], documents):
                out[ROLE_OF_EDGE[kind]].add(item)
    return out


def _count(name: str, city: str, kind: str, sources: list[str], g, documents) -> dict:
    direct: dict[str, set[str]] = defaultdict(set)
    via: set[str] = set()
    for source in sources:
        for role, items in _role_items(g, source, documents).items():
            direct[role] |= items
        for _, group, t in g.out_edges(source, keys=True):
            if t == "MEMBER_OF":
                for items in _role_items(g, group, documents).values():
                    via |= items
    named = set().union(*direct.values()) if direct else set()
    return {"name": name, "city": city, "kind": kind, "items": len(named), "via_group": len(via - named),
            **{r: len(direct[r]) for r in ROLE_ORDER}}


def _units_nx(g, documents) -> list[dict]:
    return [_count(a["name"], a.get("city", ""), a["kind"], [k], g, documents)
            for k, a in g.nodes(data=True) if a["label"] == "Unit"]


def _districts_nx(g, documents) -> list[dict]:
    return [
        _count(a["name"], a.get("city", ""), a["kind"], [u for u, _, t in g.in_edges(k, keys=True) if t == "GOVERNS"], g, documents)
        for k, a in g.nodes(data=True) if a["label"] == "District"
    ]


def _leaders_nx(g, documents) -> list[dict]:
    rows = []
    for k, a in g.nodes(data=True):
        if a["label"] != "Leader":
            continue
        items, units = set(), defaultdict(set)
        for _, target, t in g.out_edges(k, keys=True):
            if t != "OVERSEES" or not in_documents(g.nodes[item_of(g, target)], documents):
                continue
            items.add(item_of(g, target))
            for u, _, kind in g.in_edges(target, keys=True):
                if kind in ROLE_OF_EDGE:
                    units[ROLE_OF_EDGE[kind]].add(u)
        rows.append({"name": a["name"], "city": a.get("city", ""), "kind": "leader", "items": len(items), "via_group": 0,
                     **{r: len(units[r]) for r in ROLE_ORDER}})
    return rows


# The role counts of one set of units ($-free: the caller's MATCH binds `u`).
_ROLE_COUNTS = """
  OPTIONAL MATCH (u)-[r:LEADS|IMPLEMENTS|ASSISTS]->(t)
  OPTIONAL MATCH (t)-[:PART_OF]->(p:Item)
  WITH u, r, coalesce(p, t) AS item
  // A CASE, not a WHERE: a unit whose items are all in other documents must stay,
  // so its group-derived items still count.
  WITH u, r, CASE WHEN $documents IS NULL OR item.document IN $documents THEN item END AS item
  WITH collect(DISTINCT u) AS us,
       collect(DISTINCT CASE type(r) WHEN 'LEADS' THEN item.key END) AS lead,
       collect(DISTINCT CASE type(r) WHEN 'IMPLEMENTS' THEN item.key END) AS implement,
       collect(DISTINCT CASE type(r) WHEN 'ASSISTS' THEN item.key END) AS assist,
       collect(DISTINCT item.key) AS named
  CALL (us, named) {
    UNWIND us AS u
    MATCH (u)-[:MEMBER_OF]->(:UnitGroup)-[:LEADS|IMPLEMENTS|ASSISTS]->(t)
    OPTIONAL MATCH (t)-[:PART_OF]->(p:Item)
    WITH coalesce(p, t) AS item
    WHERE ($documents IS NULL OR item.document IN $documents) AND NOT item.key IN named
    RETURN count(DISTINCT item) AS via_group
  }
  RETURN size(named) AS items, size(lead) AS lead, size(implement) AS implement,
         size(assist) AS assist, coalesce(via_group, 0) AS via_group
"""

UNIT_CYPHER = """
MATCH (x:Unit) USING INDEX x:Unit(key) WHERE x.key IS NOT NULL
CALL (x) {
  WITH x AS u
""" + _ROLE_COUNTS + """
}
RETURN x.name AS name, x.city AS city, x.kind AS kind, items, lead, implement, assist, via_group
"""

DISTRICT_CYPHER = """
MATCH (x:District)
CALL (x) {
  OPTIONAL MATCH (u:Unit)-[:GOVERNS]->(x)
""" + _ROLE_COUNTS + """
}
RETURN x.name AS name, x.city AS city, x.kind AS kind, items, lead, implement, assist, via_group
"""

LEADER_CYPHER = """
MATCH (l:Leader)
CALL (l) {
  OPTIONAL MATCH (l)-[:OVERSEES]->(t)
  OPTIONAL MATCH (t)-[:PART_OF]->(p:Item)
  WITH t, coalesce(p, t) AS item
  WHERE item IS NULL OR $documents IS NULL OR item.document IN $documents
  OPTIONAL MATCH (u)-[r:LEADS|IMPLEMENTS|ASSISTS]->(t)
  RETURN count(DISTINCT item) AS items,
         count(DISTINCT CASE type(r) WHEN 'LEADS' THEN u END) AS lead,
         count(DISTINCT CASE type(r) WHEN 'IMPLEMENTS' THEN u END) AS implement,
         count(DISTINCT CASE type(r) WHEN 'ASSISTS' THEN u END) AS assist
}
RETURN l.name AS name, l.city AS city, 'leader' AS kind, items, lead, implement, assist, 0 AS via_group
"""
