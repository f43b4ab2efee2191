"""Every item a unit takes part in, and in what role."""

from __future__ import annotations


from respgraph.queries.lookup import (
    ROLE_OF_EDGE, in_documents, item_of, item_ref, item_sort_key, resolve_one, scope, sort_roles,
)
from respgraph.queries.rows import PartRef, UnitItem

__all__ = ["items_of_unit"]


def items_of_unit(store, name: str, *, city: str | None = None,
                  documents: list[str] | None = None) -> list[UnitItem]:
    """Every item ``name`` is named on, with its roles and the sub-items concerned,
    then the items it reaches only through a group (``via`` names the groups).

    ``name`` may be any spelling the alias list knows, or qualified by its city
    (``湛江市:市财政局``); a name found in several cities needs ``city``, ``documents``
    or the qualified form (:class:`~respgraph.graph.errors.AmbiguousName` otherwise).  Items are in document and
    number order; counts elsewhere are of these distinct items.

    Examples
    --------
    >>> from respgraph.loaders.load import sample_store
    >>> store = sample_store()
    >>> rows = items_of_unit(store, "赤坎区政府")
    >>> [(r.number, r.roles, [p.part for p in r.parts]) for r in rows if not r.via][:2]
    [('49', ['assist'], []), ('58', ['implement'], [])]
    """
    documents = scope(store, city=city, documents=documents)
    unit = resolve_one(store, name, ("Unit", "UnitGroup"), city=city, documents=documents)
    if store.engine == "neo4j":
        rows = store.read(ITEMS_CYPHER, key=unit["key"], documents=documents)
        hits = [(r["item"], r["part"], r["role"], r["group"]) for r in rows]
    else:
        hits = _hits_nx(store.graph, unit["key"], documents)
    return _assemble(hits)


ITEMS_CYPHER = """
MATCH (u:Unit|UnitGroup {key: $key})
CALL (u) {
  MATCH (u)-[r:LEADS|IMPLEMENTS|ASSISTS]->(t)
  RETURN r, t, null AS grp
  UNION
  MATCH (u)-[:MEMBER_OF]->(g:UnitGroup)-[r:LEADS|IMPLEMENTS|ASSISTS]->(t)
  RETURN r, t, g.name AS grp
}
OPTIONAL MATCH (t)-[:PART_OF]->(parent:Item)
WITH r, t, grp, coalesce(parent, t) AS item
WHERE $documents IS NULL OR item.document IN $documents
RETURN item {.*} AS item,
       CASE WHEN t:SubItem THEN t {.key, .part, .title} END AS part,
       type(r) AS role, grp AS group
"""


def _hits_nx(g, key: str, documents) -> list[tuple]:
    """(item props, part props or None, edge type, group name or None) per role edge."""
    sources = [(key, None)] + [
        (group, g.nodes[group]["name"]) for _, group, t in g.out_edges(key, keys=True) if t == "MEMBER_OF"
    ]
    hits = []
    for source, group in sources:
        for _, target, kind in g.out_edges(source, keys=True):
            if kind not in ROLE_OF_EDGE:
                continue
            node = g.nodes[target]
            part = None
            if node["label"] == "SubItem":
                part = {"key": target, "part": node["part"], "title": node["title"]}
            item_key = item_of(g, target)
            item = {"key": item_key, **g.nodes[item_key]}
            if in_documents(item, documents):
                hits.append((item, part, kind, group))
    return hits


def _assemble(hits) -> list[UnitItem]:
    direct: dict[str, dict] = {}
    through: dict[str, dict] = {}
    for item, part, kind, group in hits:
        bucket = through if group else direct
        entry = bucket.setdefault(item["key"], {"item": item, "roles": set(), "parts": {}, "via": set()})
        entry["roles"].add(ROLE_OF_EDGE[kind])
        if group:
            entry["via"].add(group)
        if part:
            p = entry["parts"].setdefault(part["key"], {**part, "roles": set()})
            p["roles"].add(ROLE_OF_EDGE[kind])
    for key in direct:
        through.pop(key, None)  # named directly: the group adds nothing to say
    out = []
    for entry in [*direct.values(), *through.values()]:
        parts = [
            PartRef(id=p["key"], part=p["part"], title=p["title"], roles=sort_roles(p["roles"]))
            for p in sorted(entry["parts"].values(), key=lambda p: p["part"])
        ]
        out.append(UnitItem(**item_ref(entry["item"]), roles=sort_roles(entry["roles"]), parts=parts,
                            via=sorted(entry["via"])))
    out.sort(key=lambda r: (bool(r.via), item_sort_key(r)))
    return out
