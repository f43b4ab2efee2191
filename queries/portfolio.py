"""A leader's portfolio: the items they oversee, with units by role, deadlines, milestones."""

from __future__ import annotations

from collections import defaultdict

from respgraph.queries.lookup import (
    ROLE_OF_EDGE, ROLE_ORDER, in_documents, item_of, item_ref, item_sort_key, resolve_one, scope, with_parts,
)
from respgraph.queries.rows import MilestoneRow, Portfolio, PortfolioItem, PortfolioPart, RoleUnits

__all__ = ["portfolio", "units_of_items"]


def portfolio(store, leader: str, *, city: str | None = None, documents: list[str] | None = None) -> Portfolio:
    """Every item ``leader`` oversees, each once, with the sub-items they oversee inside it.

    An item split over rows with different leaders (livelihood item 9) shows only
    this leader's parts.  Milestones are in quarter order.

    Examples
    --------
    >>> from respgraph.loaders.load import sample_store
    >>> store = sample_store()
    >>> p = portfolio(store, "黄益斌")
    >>> [(i.number, i.units.lead, i.deadline.isoformat()) for i in p.items]
    [('53', ['市公安局'], '2023-09-30')]
    """
    documents = scope(store, city=city, documents=documents)
    node = resolve_one(store, leader, ("Leader",), city=city, documents=documents)
    if store.engine == "neo4j":
        rows = store.read(PORTFOLIO_CYPHER, key=node["key"], documents=documents)
    else:
        rows = _rows_nx(store.graph, node["key"], documents)
    return Portfolio(leader=node["name"], city=node.get("city", ""), items=_assemble(rows))


PORTFOLIO_CYPHER = """
MATCH (:Leader {key: $key})-[:OVERSEES]->(t)
OPTIONAL MATCH (t)-[:PART_OF]->(parent:Item)
WITH t, coalesce(parent, t) AS item
WHERE $documents IS NULL OR item.document IN $documents
RETURN item {.*} AS item,
       CASE WHEN t:SubItem THEN t {.key, .part, .title} END AS part,
       COLLECT { MATCH (u)-[r:LEADS|IMPLEMENTS|ASSISTS]->(t)
                 RETURN {name: u.name, role: type(r)} ORDER BY u.name } AS units,
       COLLECT { MATCH (t)-[:HAS_MILESTONE]->(m)
                 RETURN m {.quarters, .period, .section, .text, .seq} ORDER BY m.seq } AS milestones
"""


def _rows_nx(g, key: str, documents) -> list[dict]:
    rows = []
    for _, target, kind in g.out_edges(key, keys=True):
        if kind != "OVERSEES":
            continue
        node = g.nodes[target]
        part = None
        item_key = item_of(g, target)
        if node["label"] == "SubItem":
            part = {"key": target, "part": node["part"], "title": node["title"]}
        item = {"key": item_key, **g.nodes[item_key]}
        if not in_documents(item, documents):
            continue
        units = sorted(
            ({"name": g.nodes[u]["name"], "role": t} for u, _, t in g.in_edges(target, keys=True) if t in ROLE_OF_EDGE),
            key=lambda u: u["name"],
        )
        milestones = sorted(
            (g.nodes[m] for _, m, t in g.out_edges(target, keys=True) if t == "HAS_MILESTONE"),
            key=lambda m: m["seq"],
        )
        rows.append({"item": item, "part": part, "units": units, "milestones": milestones})
    return rows


def _role_units(units: list[dict]) -> RoleUnits:
    by_role: dict[str, list[str]] = defaultdict(list)
    for u in units:
        role = ROLE_OF_EDGE[u["role"]]
        if u["name"] not in by_role[role]:
            by_role[role].append(u["name"])
    return RoleUnits(**{r: sorted(by_role[r]) for r in ROLE_ORDER})


def _milestones(ms: list[dict], part: int | None) -> list[MilestoneRow]:
    return [
        MilestoneRow(quarters=list(m["quarters"]), period=m["period"], section=m["section"], text=m["text"], part=part)
        for m in ms
    ]


def _by_quarter(ms: list[MilestoneRow]) -> list[MilestoneRow]:
    # Stable: within a quarter, parts and printed order are kept.
    return sorted(ms, key=lambda m: (m.quarters[0] if m.quarters else 5))


def _assemble(rows: list[dict]) -> list[PortfolioItem]:
    items: dict[str, dict] = {}
    for row in rows:
        entry = items.setdefault(row["item"]["key"], {"item": row["item"], "units": [], "milestones": [], "parts": []})
        entry["units"] += row["units"]
        if row["part"]:
            part = row["part"]
            ms = _milestones(row["milestones"], part["part"])
            entry["milestones"] += ms
            entry["parts"].append(PortfolioPart(id=part["key"], part=part["part"], title=part["title"],
                                                units=_role_units(row["units"]), milestones=ms))
        else:
            entry["milestones"] += _milestones(row["milestones"], None)
    out = [
        PortfolioItem(**item_ref(e["item"]), units=_role_units(e["units"]),
                      milestones=_by_quarter(sorted(e["milestones"], key=lambda m: m.part or 0)),
                      parts=sorted(e["parts"], key=lambda p: p.part))
        for e in items.values()
    ]
    return sorted(out, key=item_sort_key)


def units_of_items(store, items: list[str]) -> dict[str, RoleUnits]:
    """The units by role on each of ``items`` (ids), their sub-items included.

    Examples
    --------
    >>> from respgraph.loaders.load import sample_store
    >>> store = sample_store()
    >>> key = next(i.id for i in portfolio(store, "黄益斌").items)
    >>> units_of_items(store, [key])[key].implement
    ['市公安局']
    """
    if store.engine == "neo4j":
        rows = store.read(UNITS_OF_ITEMS_CYPHER, items=items)
    else:
        g = store.graph
        rows = []
        for item in items:
            rows += [{"item": item, "name": g.nodes[u]["name"], "role": t}
                     for target in with_parts(g, item) for u, _, t in g.in_edges(target, keys=True) if t in ROLE_OF_EDGE]
    grouped: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        grouped[r["item"]].append(r)
    return {item: _role_units(grouped[item]) for item in items}


UNITS_OF_ITEMS_CYPHER = """
UNWIND $items AS key
MATCH (i:Item {key: key})
OPTIONAL MATCH (p:SubItem)-[:PART_OF]->(i)
WITH i, collect(p) + [i] AS targets
UNWIND targets AS t
MATCH (u)-[r:LEADS|IMPLEMENTS|ASSISTS]->(t)
RETURN i.key AS item, u.name AS name, type(r) AS role
"""
