"""What is loaded: the documents, and the units and leaders they name."""

from __future__ import annotations

from collections import defaultdict
from functools import partial

from respgraph.graph.protocol import GraphStore
from respgraph.queries.lookup import scope
from respgraph.queries.native import native
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


def documents(store: GraphStore, *, city: str | None = None) -> list[DocumentRow]:
    """Every loaded document, by key.

    Examples
    --------
    >>> from respgraph.ingest import sample_store
    >>> [(d.key, d.items) for d in documents(sample_store())]
    [('doc:湛江市/2023/1-b6a81b', 100), ('doc:湛江市/2023/2-a4a381', 10)]
    """
    keys = scope(store, city=city)
    return [
        DocumentRow(
            key=d["key"],
            city=d["city"],
            year=d["year"],
            attachment=d["attachment"],
            title=d["title"],
            source=d.get("source", ""),
            items=d.get("items", 0),
            loaded_at=d.get("loaded_at", ""),
        )
        for d in store.documents()
        if keys is None or d["key"] in keys
    ]


def units(
    store: GraphStore, *, city: str | None = None, kind: str | None = None, documents: list[str] | None = None
) -> list[UnitRow]:
    """The units (and groups, kind ``group``) named on the items of the documents
    asked for, by city and name.

    Examples
    --------
    >>> from respgraph.ingest import sample_store
    >>> [(r.name, r.kind, r.items) for r in units(sample_store()) if r.name == "市交通运输局"]
    [('市交通运输局', 'city_department', 30)]
    """
    documents = scope(store, city=city, documents=documents)
    found = native(store, "unit_counts")
    rows = (found or partial(default_unit_counts, store))(documents=documents)
    out = [
        UnitRow(**r)
        for r in rows
        if (kind is None or r["kind"] == kind) and (documents is None or r["items"] > 0 or r["via"] > 0)
    ]
    return sorted(out, key=lambda r: (r.city, r.name))


def default_unit_counts(store: GraphStore, *, documents: list[str] | None = None) -> list[dict]:
    """Every unit and group: ``name``, ``city``, ``kind`` (``group`` for a group), ``items``
    it is named on and ``via``: items of its groups, within ``documents``."""
    reached: dict[str, set[str]] = defaultdict(set)
    for r in store.roles(documents=documents):
        reached[r["source"]].add(r["item"])
    via: dict[str, set[str]] = defaultdict(set)
    for m in store.memberships():
        via[m["unit"]] |= reached[m["group"]]
    return [
        {
            "name": n["name"],
            "city": n.get("city") or "",
            "kind": n.get("kind", "other") if n["label"] == "Unit" else "group",
            "items": len(reached[n["key"]]),
            "via": len(via[n["key"]]),
        }
        for n in store.nodes(["Unit", "UnitGroup"])
    ]


def leaders(store: GraphStore, *, city: str | None = None, documents: list[str] | None = None) -> list[LeaderRow]:
    """The leaders overseeing items of the documents asked for, by city and name.

    Examples
    --------
    >>> from respgraph.ingest import sample_store
    >>> [(r.name, r.city, r.items) for r in leaders(sample_store()) if r.name == "黄益斌"]
    [('黄益斌', '湛江市', 1)]
    """
    documents = scope(store, city=city, documents=documents)
    found = native(store, "leader_counts")
    rows = (found or partial(default_leader_counts, store))(documents=documents)
    out = [LeaderRow(**r) for r in rows if documents is None or r["items"] > 0]
    return sorted(out, key=lambda r: (r.city, r.name))


def default_leader_counts(store: GraphStore, *, documents: list[str] | None = None) -> list[dict]:
    """Every leader: ``name``, ``city`` and the ``items`` they oversee within ``documents``."""
    items: dict[str, set[str]] = defaultdict(set)
    for o in store.oversight(documents=documents):
        items[o["leader"]].add(o["item"])
    return [
        {"name": n["name"], "city": n.get("city") or "", "items": len(items[n["key"]])} for n in store.nodes(["Leader"])
    ]
