"""Who co-owns work with whom: the unit co-responsibility network.

Units and items form a bipartite graph (a unit joined to every item it is named
on, in any role); projected onto units with
:func:`networkx.algorithms.bipartite.weighted_projected_graph`, two units are
joined by the number of distinct items they share.  Groups are not units and
are left out.  :func:`co_responsibility` needs only one unit's neighbourhood and
reads only that; :func:`co_pairs` is the projection itself, counted item by item (a
test checks it equals networkx's), or counted by the server where the store can.
"""

from __future__ import annotations

from collections import Counter
from itertools import combinations

from pydantic import TypeAdapter

from respgraph.graph.protocol import GraphStore
from respgraph.graph.vocabulary import ROLE_OF_EDGE, sort_roles
from respgraph.queries.lookup import resolve_one, scope
from respgraph.queries.native import native
from respgraph.queries.rows import CoRow, PairRow

__all__ = ["co_responsibility", "co_pairs", "unit_item_graph"]

_PAIRS = TypeAdapter(list[PairRow])


def unit_item_graph(store: GraphStore, *, city: str | None = None, documents: list[str] | None = None):
    """The bipartite units × items graph; unit nodes carry ``name``, ``city``, ``kind``.

    A unit's node is its name, or ``city:name`` when the graph spans several
    cities (every city has its 市财政局, and they are different bodies).  Edge
    attribute ``roles`` lists the unit's roles on that item.
    """
    import networkx as nx  # only the whole-graph analyses build a graph

    documents = scope(store, city=city, documents=documents)
    b: nx.Graph[str] = nx.Graph()
    rows = [
        {
            "unit": r["name"],
            "name": r["name"],
            "city": r["city"] or "",
            "kind": r["kind"],
            "item": r["item"],
            "role": r["type"],
        }
        for r in store.roles(documents=documents)
        if r["label"] == "Unit"
    ]
    several = len({r["city"] for r in rows}) > 1
    for r in rows:
        r["unit"] = f"{r['city']}:{r['unit']}" if several else r["unit"]
        b.add_node(r["unit"], bipartite=0, kind=r["kind"], name=r["name"], city=r["city"])
        b.add_node(r["item"], bipartite=1)
        roles = b.edges[r["unit"], r["item"]]["roles"] if b.has_edge(r["unit"], r["item"]) else []
        b.add_edge(r["unit"], r["item"], roles=sort_roles([*roles, ROLE_OF_EDGE[r["role"]]]))
    return b


def co_responsibility(
    store: GraphStore, name: str, *, city: str | None = None, documents: list[str] | None = None
) -> list[CoRow]:
    """The units that share items with ``name``, most shared items first, with the
    roles of ``name`` (``roles``) and of the other unit (``other_roles``) on them.

    Examples
    --------
    >>> from respgraph.ingest import sample_store
    >>> store = sample_store()
    >>> [(r.name, r.roles, r.other_roles) for r in co_responsibility(store, "湛江京信发电有限公司")]
    [('市交通运输局', ['implement'], ['lead']), ('湛江海事局', ['implement'], ['assist']), ('湛江经开区管委会', ['implement'], ['assist'])]
    """
    documents = scope(store, city=city, documents=documents)
    unit = resolve_one(store, name, ("Unit",), city=city, documents=documents)
    # Only the neighbourhood of one unit is read: its role edges, then those of its items.
    mine = store.roles(sources=[unit["key"]], documents=documents)
    on_items: dict[str, list[dict]] = {}
    for r in store.roles(items=sorted({m["item"] for m in mine})):
        if r["label"] == "Unit" and r["source"] != unit["key"]:
            on_items.setdefault(r["item"], []).append(r)
    hits = [
        {"name": o["name"], "kind": o["kind"], "item": m["item"], "mine": m["type"], "theirs": o["type"]}
        for m in mine
        for o in on_items.get(m["item"], [])
    ]
    partners: dict[str, dict] = {}
    for h in hits:
        p = partners.setdefault(h["name"], {"kind": h["kind"], "items": set(), "mine": set(), "theirs": set()})
        p["items"].add(h["item"])
        p["mine"].add(ROLE_OF_EDGE[h["mine"]])
        p["theirs"].add(ROLE_OF_EDGE[h["theirs"]])
    rows = [
        CoRow(
            name=other,
            city=unit["city"],
            kind=p["kind"],
            shared=len(p["items"]),
            roles=sort_roles(p["mine"]),
            other_roles=sort_roles(p["theirs"]),
            items=sorted(p["items"]),
        )
        for other, p in partners.items()
    ]
    return sorted(rows, key=lambda r: (-r.shared, r.name))


def co_pairs(
    store: GraphStore, *, min_shared: int = 1, city: str | None = None, documents: list[str] | None = None
) -> list[PairRow]:
    """Every pair of units that share at least ``min_shared`` items, most shared first.

    Examples
    --------
    >>> from respgraph.ingest import sample_store
    >>> store = sample_store()
    >>> co_pairs(store, min_shared=10)[0].shared >= 10
    True
    """
    documents = scope(store, city=city, documents=documents)
    found = native(store, "co_pairs")
    counted = (
        found(min_shared=min_shared, documents=documents)
        if found
        else default_co_pairs(store, min_shared=min_shared, documents=documents)
    )
    # A province has some 100,000 pairs: one validation of the whole list (in pydantic's
    # core) takes half the time of building the rows one by one.
    rows = _PAIRS.validate_python(counted)
    return sorted(rows, key=lambda r: (-r.shared, r.city, r.a, r.b))


def default_co_pairs(store: GraphStore, *, min_shared: int = 1, documents: list[str] | None = None) -> list[dict]:
    """:func:`co_pairs` from the store's role rows, counted item by item: the same numbers
    as networkx's ``weighted_projected_graph`` (tests/test_analysis.py checks), without
    building the projection."""
    units: dict[str, dict] = {}
    on_item: dict[str, set[str]] = {}
    for r in store.roles(documents=documents):
        if r["label"] == "Unit":
            units[r["source"]] = r
            on_item.setdefault(r["item"], set()).add(r["source"])
    shared: Counter[tuple[str, str]] = Counter()
    for keys in on_item.values():
        shared.update(combinations(sorted(keys), 2))
    rows = []
    for (x, y), weight in shared.items():
        if weight >= min_shared:
            a, b = sorted((units[x]["name"], units[y]["name"]))
            rows.append({"a": a, "b": b, "city": units[x]["city"] or "", "shared": weight})
    return rows
