"""What is loaded: the documents, and the units and leaders they name."""

from __future__ import annotations

from respgraph.queries.lookup import ROLE_OF_EDGE, in_documents, item_of, scope
from respgraph.queries.rows import Row

__all__ = ["documents", "units", "leaders", "DocumentRow", "UnitRow", "LeaderRow"]


class DocumentRow(Row):
    key: str
    city: str
    year: int
    attachment: int
    title: str
    source: str
    items: int
    loaded_at: str


class UnitRow(Row):
    """A unit or group; ``items`` counts the items it is named on (through a group not counted)."""

    name: str
    city: str
    kind: str
    items: int


class LeaderRow(Row):
    name: str
    city: str
    items: int


def documents(store, *, city: str | None = None) -> list[DocumentRow]:
    """Every loaded document, by key.

    Examples
    --------
    >>> from respgraph.loaders.load import sample_store
    >>> [(d.key, d.items) for d in documents(sample_store())]
    [('doc:湛江市/2023/1-b6a81b', 100), ('doc:湛江市/2023/2-a4a381', 10)]
    """
    keys = scope(store, city=city)
    return [
        DocumentRow(key=d["key"], city=d["city"], year=d["year"], attachment=d["attachment"], title=d["title"],
                    source=d.get("source", ""), items=d.get("items", 0), loaded_at=d.get("loaded_at", ""))
        for d in store.documents() if keys is None or d["key"] in keys
    ]


def units(store, *, city: str | None = None, kind: str | None = None,
          documents: list[str] | None = None) -> list[UnitRow]:
    """The units (and groups, kind ``group``) named on the items of the documents
    asked for, by city and name.

    Examples
    --------
    >>> from respgraph.loaders.load import sample_store
    >>> [(r.name, r.kind, r.items) for r in units(sample_store()) if r.name == "市交通运输局"]
    [('市交通运输局', 'city_department', 30)]
    """
    documents = scope(store, city=city, documents=documents)
    if store.engine == "neo4j":
        rows = store.read(UNITS_CYPHER, documents=documents)
    else:
        rows = _units_nx(store.graph, documents)
    out = [UnitRow(**r) for r in rows if (kind is None or r["kind"] == kind)
           and (documents is None or r["items"] > 0 or r["via"] > 0)]
    return sorted(out, key=lambda r: (r.city, r.name))


UNITS_CYPHER = """
CALL () {
  MATCH (u:Unit) USING INDEX u:Unit(key) WHERE u.key IS NOT NULL RETURN u, u.kind AS kind
  UNION
  MATCH (u:UnitGroup) USING INDEX u:UnitGroup(key) WHERE u.key IS NOT NULL RETURN u, 'group' AS kind
}
CALL (u) {
  OPTIONAL MATCH (u)-[:LEADS|IMPLEMENTS|ASSISTS]->(t)
  OPTIONAL MATCH (t)-[:PART_OF]->(p:Item)
  WITH coalesce(p, t) AS item
  WHERE item IS NOT NULL AND ($documents IS NULL OR item.document IN $documents)
  RETURN count(DISTINCT item) AS items
}
CALL (u) {
  OPTIONAL MATCH (u)-[:MEMBER_OF]->(:UnitGroup)-[:LEADS|IMPLEMENTS|ASSISTS]->(t)
  OPTIONAL MATCH (t)-[:PART_OF]->(p:Item)
  WITH coalesce(p, t) AS item
  WHERE item IS NOT NULL AND ($documents IS NULL OR item.document IN $documents)
  RETURN count(DISTINCT item) AS via
}
RETURN u.name AS name, u.city AS city, kind, items, via
"""


def _units_nx(g, documents) -> list[dict]:
    def items_of(node) -> set[str]:
        return {item_of(g, t) for _, t, k in g.out_edges(node, keys=True) if k in ROLE_OF_EDGE
                and in_documents(g.nodes[item_of(g, t)], documents)}

    rows = []
    for key, a in g.nodes(data=True):
        if a["label"] not in ("Unit", "UnitGroup"):
            continue
        via = set()
        for _, group, k in g.out_edges(key, keys=True):
            if k == "MEMBER_OF":
                via |= items_of(group)
        rows.append({"name": a["name"], "city": a.get("city", ""),
                     "kind": a.get("kind", "other") if a["label"] == "Unit" else "group",
                     "items": len(items_of(key)), "via": len(via)})
    return rows


def leaders(store, *, city: str | None = None, documents: list[str] | None = None) -> list[LeaderRow]:
    """The leaders overseeing items of the documents asked for, by city and name.

    Examples
    --------
    >>> from respgraph.loaders.load import sample_store
    >>> [(r.name, r.city, r.items) for r in leaders(sample_store()) if r.name == "黄益斌"]
    [('黄益斌', '湛江市', 1)]
    """
    documents = scope(store, city=city, documents=documents)
    if store.engine == "neo4j":
        rows = store.read(LEADERS_CYPHER, documents=documents)
    else:
        g = store.graph
        rows = []
        for key, a in g.nodes(data=True):
            if a["label"] == "Leader":
                items = {item_of(g, t) for _, t, k in g.out_edges(key, keys=True) if k == "OVERSEES"}
                items = {i for i in items if in_documents(g.nodes[i], documents)}
                rows.append({"name": a["name"], "city": a.get("city", ""), "items": len(items)})
    out = [LeaderRow(**r) for r in rows if documents is None or r["items"] > 0]
    return sorted(out, key=lambda r: (r.city, r.name))


LEADERS_CYPHER = """
MATCH (l:Leader) USING INDEX l:Leader(key) WHERE l.key IS NOT NULL
CALL (l) {
  OPTIONAL MATCH (l)-[:OVERSEES]->(t)
  OPTIONAL MATCH (t)-[:PART_OF]->(p:Item)
  WITH coalesce(p, t) AS item
  WHERE item IS NOT NULL AND ($documents IS NULL OR item.document IN $documents)
  RETURN count(DISTINCT item) AS items
}
RETURN l.name AS name, l.city AS city, items
"""
