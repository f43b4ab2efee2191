"""Every item a unit takes part in, and in what role."""

from __future__ import annotations

from respgraph.graph.protocol import GraphStore
from respgraph.graph.vocabulary import ROLE_OF_EDGE, sort_roles
from respgraph.queries.lookup import item_ref, item_sort_key, resolve_one, scope
from respgraph.queries.rows import PartRef, UnitItem

__all__ = ["items_of_unit"]


def items_of_unit(store: GraphStore, name: str, *, city: str | None = None,
                  documents: list[str] | None = None) -> list[UnitItem]:
    """Every item ``name`` is named on, with its roles and the sub-items concerned,
    then the items it reaches only through a group (``via`` names the groups).

    ``name`` may be any spelling the alias list knows, or qualified by its city
    (``湛江市:市财政局``); a name found in several cities needs ``city``, ``documents``
    or the qualified form (:class:`~respgraph.graph.errors.AmbiguousName` otherwise).  Items are in document and
    number order; counts elsewhere are of these distinct items.

    Examples
    --------
    >>> from respgraph.ingest import sample_store
    >>> store = sample_store()
    >>> rows = items_of_unit(store, "赤坎区政府")
    >>> [(r.number, r.roles, [p.part for p in r.parts]) for r in rows if not r.via][:2]
    [('49', ['assist'], []), ('58', ['implement'], [])]
    """
    documents = scope(store, city=city, documents=documents)
    unit = resolve_one(store, name, ("Unit", "UnitGroup"), city=city, documents=documents)
    groups = {m["group"]: m["group_name"] for m in store.memberships(units=[unit["key"]])}
    rows = store.roles(sources=[unit["key"], *groups], documents=documents)
    items = {i["key"]: i for i in store.items(keys=sorted({r["item"] for r in rows}))}
    split = sorted({r["item"] for r in rows if r["target"] != r["item"]})
    parts = {p["key"]: {"key": p["key"], "part": p["part"], "title": p["title"]}
             for p in (store.parts(split) if split else [])}
    return _assemble([(items[r["item"]], parts.get(r["target"]), r["type"], groups.get(r["source"])) for r in rows])


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
