"""Who co-owns work with whom: the unit co-responsibility network.

Units and items form a bipartite graph (a unit joined to every item it is named
on, in any role); projected onto units with
:func:`networkx.algorithms.bipartite.weighted_projected_graph`, two units are
joined by the number of distinct items they share.  Groups are not units and
are left out.  :func:`co_responsibility` needs only one unit's neighbourhood and walks
it directly (in Cypher on Neo4j); :func:`co_pairs` is the projection itself, counted
item by item (a test checks it equals networkx's).
"""

from __future__ import annotations

from collections import Counter
from itertools import combinations

import networkx as nx

from respgraph.queries.lookup import (
    ROLE_OF_EDGE, in_documents, item_of, resolve_one, scope, sort_roles, with_parts,
)
from respgraph.queries.rows import CoRow, PairRow

__all__ = ["co_responsibility", "co_pairs", "unit_item_graph"]


def unit_item_graph(store, *, city: str | None = None, documents: list[str] | None = None) -> nx.Graph:
    """The bipartite units × items graph; unit nodes carry ``name``, ``city``, ``kind``.

    A unit's node is its name, or ``city:name`` when the graph spans several
    cities (every city has its 市财政局, and they are different bodies).  Edge
    attribute ``roles`` lists the unit's roles on that item.
    """
    documents = scope(store, city=city, documents=documents)
    b = nx.Graph()
    if store.engine == "neo4j":
        rows = store.read(UNIT_ITEM_CYPHER, documents=documents)
    else:
        rows = _unit_item_nx(store.graph, documents)
    several = len({r["city"] for r in rows}) > 1
    for r in rows:
        r["unit"] = f"{r['city']}:{r['unit']}" if several else r["unit"]
        b.add_node(r["unit"], bipartite=0, kind=r["kind"], name=r["name"], city=r["city"])
        b.add_node(r["item"], bipartite=1)
        roles = b.edges[r["unit"], r["item"]]["roles"] if b.has_edge(r["unit"], r["item"]) else []
        b.add_edge(r["unit"], r["item"], roles=sort_roles([*roles, ROLE_OF_EDGE[r["role"]]]))
    return b


UNIT_ITEM_CYPHER = """
MATCH (u:Unit) USING INDEX u:Unit(key) WHERE u.key IS NOT NULL
MATCH (u)-[r:LEADS|IMPLEMENTS|ASSISTS]->(t)
OPTIONAL MATCH (t)-[:PART_OF]->(p:Item)
WITH u, r, coalesce(p, t) AS item
WHERE $documents IS NULL OR item.document IN $documents
RETURN DISTINCT u.name AS unit, u.name AS name, u.city AS city, u.kind AS kind, item.key AS item, type(r) AS role
"""


def _unit_item_nx(g, documents) -> list[dict]:
    rows = []
    for u, target, kind in g.edges(keys=True):
        if kind not in ROLE_OF_EDGE or g.nodes[u]["label"] != "Unit":
            continue
        item = item_of(g, target)
        if in_documents(g.nodes[item], documents):
            a = g.nodes[u]
            rows.append({"unit": a["name"], "name": a["name"], "city": a.get("city", ""), "kind": a["kind"],
                         "item": item, "role": kind})
    return rows


def co_responsibility(store, name: str, *, city: str | None = None,
                      documents: list[str] | None = None) -> list[CoRow]:
    """The units that share items with ``name``, most shared items first, with the
    roles of ``name`` (``roles``) and of the other unit (``other_roles``) on them.

    Examples
    --------
    >>> from respgraph.loaders.load import sample_store
    >>> store = sample_store()
    >>> [(r.name, r.roles, r.other_roles) for r in co_responsibility(store, "湛江京信发电有限公司")]
    [('市交通运输局', ['implement'], ['lead']), ('湛江海事局', ['implement'], ['assist']), ('湛江经开区管委会', ['implement'], ['assist'])]
    """
    documents = scope(store, city=city, documents=documents)
    unit = resolve_one(store, name, ("Unit",), city=city, documents=documents)
    if store.engine == "neo4j":
        # Only the neighbourhood of one unit travels, not the whole graph.
        hits = store.read(CO_CYPHER, key=unit["key"], documents=documents)
    else:
        hits = _co_hits_nx(store.graph, unit["key"], documents)
    partners: dict[str, dict] = {}
    for h in hits:
        p = partners.setdefault(h["name"], {"kind": h["kind"], "items": set(), "mine": set(), "theirs": set()})
        p["items"].add(h["item"])
        p["mine"].add(ROLE_OF_EDGE[h["mine"]])
        p["theirs"].add(ROLE_OF_EDGE[h["theirs"]])
    rows = [
        CoRow(name=other, city=unit["city"], kind=p["kind"], shared=len(p["items"]), roles=sort_roles(p["mine"]),
              other_roles=sort_roles(p["theirs"]), items=sorted(p["items"]))
        for other, p in partners.items()
    ]
    return sorted(rows, key=lambda r: (-r.shared, r.name))


CO_CYPHER = """
MATCH (me:Unit {key: $key})-[r1:LEADS|IMPLEMENTS|ASSISTS]->(t1)
OPTIONAL MATCH (t1)-[:PART_OF]->(p1:Item)
WITH me, r1, coalesce(p1, t1) AS item
WHERE $documents IS NULL OR item.document IN $documents
MATCH (other:Unit)-[r2:LEADS|IMPLEMENTS|ASSISTS]->(t2)-[:PART_OF*0..1]->(item)
WHERE other <> me
RETURN other.name AS name, other.kind AS kind, item.key AS item, type(r1) AS mine, type(r2) AS theirs
"""


def _co_hits_nx(g, key: str, documents) -> list[dict]:
    hits = []
    for _, t1, mine in g.out_edges(key, keys=True):
        if mine not in ROLE_OF_EDGE:
            continue
        item = item_of(g, t1)
        if not in_documents(g.nodes[item], documents):
            continue
        for target in with_parts(g, item):
            for other, _, theirs in g.in_edges(target, keys=True):
                if theirs in ROLE_OF_EDGE and other != key and g.nodes[other]["label"] == "Unit":
                    hits.append({"name": g.nodes[other]["name"], "kind": g.nodes[other]["kind"],
                                 "item": item, "mine": mine, "theirs": theirs})
    return hits


def co_pairs(store, *, min_shared: int = 1, city: str | None = None,
             documents: list[str] | None = None) -> list[PairRow]:
    """Every pair of units that share at least ``min_shared`` items, most shared first.

    Examples
    --------
    >>> from respgraph.loaders.load import sample_store
    >>> store = sample_store()
    >>> co_pairs(store, min_shared=10)[0].shared >= 10
    True
    """
    documents = scope(store, city=city, documents=documents)
    if store.engine == "neo4j":
        rows = [PairRow(**r) for r in store.read(PAIRS_CYPHER, min_shared=min_shared, documents=documents)]
    else:
        # Counted item by item: the same numbers as networkx's weighted_projected_graph
        # (tests/test_analysis.py checks), in a second where the projection takes 20.
        b = unit_item_graph(store, documents=documents)
        shared: Counter[tuple[str, str]] = Counter()
        for item, d in b.nodes(data=True):
            if d["bipartite"] == 1:
                shared.update(combinations(sorted(b[item]), 2))
        rows = []
        for (x, y), weight in shared.items():
            if weight >= min_shared:
                a, b_ = sorted((b.nodes[x]["name"], b.nodes[y]["name"]))
                rows.append(PairRow(a=a, b=b_, city=b.nodes[x]["city"], shared=weight))
    return sorted(rows, key=lambda r: (-r.shared, r.city, r.a, r.b))


PAIRS_CYPHER = """
MATCH (u:Unit) USING INDEX u:Unit(key) WHERE u.key IS NOT NULL
MATCH (u)-[:LEADS|IMPLEMENTS|ASSISTS]->(t)
OPTIONAL MATCH (t)-[:PART_OF]->(p:Item)
WITH DISTINCT u, coalesce(p, t) AS item
WHERE $documents IS NULL OR item.document IN $documents
WITH item, collect(u.name) AS names, head(collect(u.city)) AS city
UNWIND names AS a
UNWIND names AS b
WITH a, b, city, item WHERE a < b
WITH a, b, city, count(DISTINCT item) AS shared
WHERE shared >= $min_shared
RETURN a, b, city, shared
"""
