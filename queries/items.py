"""Every item a unit takes part in, and in what role."""

from __future__ import annotations

from functools import partial

from respgraph.graph.vocabulary import ROLE_OF_EDGE, sort_roles
from respgraph.queries.lookup import asked, in_scope, item_ref, item_sort_key, one_of, scope
from respgraph.queries.native import native
from respgraph.queries.rows import PartRef, UnitItem

__all__ = ["items_of_unit", "default_unit_item_rows"]

#: A unit's name may be a unit's or a group's.
UNIT_LABELS = ("Unit", "UnitGroup")


def items_of_unit(store, name: str, *, city: str | None = None, documents: list[str] | None = None) -> list[UnitItem]:
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
    wanted, allowed = asked(name, city=city, documents=documents)
    found = (native(store, "unit_item_rows") or partial(default_unit_item_rows, store))(
        name=wanted, cities=allowed, documents=documents
    )
    one_of(
        found["found"] or in_scope(store, store.find(wanted, UNIT_LABELS), wanted, UNIT_LABELS, allowed),
        name,
        UNIT_LABELS,
    )  # an unknown or ambiguous name is an error, whatever rows came
    if not found["found"]:  # named between the two reads: read again
        found = default_unit_item_rows(store, name=wanted, cities=allowed, documents=documents)
    return _assemble([(r["item"], r["part"], r["type"], r["via"]) for r in found["rows"]])


def default_unit_item_rows(store, *, name: str, cities: set[str] | None, documents: list[str] | None) -> dict:
    """What :func:`items_of_unit` reads, through the protocol's reads (a fixed few, whatever the
    unit's number of items): ``found``, the units and groups called ``name`` in the ``cities``
    allowed (None: all; in the order of :meth:`~respgraph.graph.protocol.GraphStore.find`), and
    when those lie in one city, the ``rows`` of the first: one per role
    edge of it or of its groups, within ``documents``: ``item`` (the item's node row),
    ``part`` (``key``, ``part``, ``title`` of the sub-item, or None), ``type`` (the edge)
    and ``via`` (the group's name, None when the unit is named itself).

    A store answers it natively in one statement (Neo4j); the parity tests hold the two equal.
    """
    found = store.find(name, UNIT_LABELS)
    mine = [n for n in found if cities is None or n.get("city") in cities]
    if len({n.get("city", "") for n in mine}) != 1:
        return {"found": mine, "rows": []}  # nothing, or ambiguous: the query says which
    unit = mine[0]
    groups = {m["group"]: m["group_name"] for m in store.memberships(units=[unit["key"]])}
    rows = store.roles(sources=[unit["key"], *groups], documents=documents)
    items = {i["key"]: i for i in store.items(keys=sorted({r["item"] for r in rows}))}
    split = sorted({r["item"] for r in rows if r["target"] != r["item"]})
    parts = {
        p["key"]: {"key": p["key"], "part": p["part"], "title": p["title"]} for p in store.parts(split)
    }  # read even when empty: the number of reads is fixed
    return {
        "found": mine,
        "rows": [
            {
                "item": items[r["item"]],
                "part": parts.get(r["target"]),
                "type": r["type"],
                "via": groups.get(r["source"]),
            }
            for r in rows
            if r["item"] in items
        ],
    }


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
        out.append(
            UnitItem(**item_ref(entry["item"]), roles=sort_roles(entry["roles"]), parts=parts, via=sorted(entry["via"]))
        )
    out.sort(key=lambda r: (bool(r.via), item_sort_key(r)))
    return out
