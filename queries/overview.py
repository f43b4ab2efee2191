"""The whole graph, or the part of it one leader, role or kind of unit touches.

Milestones and documents are left out: milestones are shown in item tooltips,
and every item's document would be one hub joined to everything.  The page draws
the whole graph, so it reads every node and relationship of those labels and
types; the filters then run in Python, because one city's tables are a few
hundred nodes.
"""

from __future__ import annotations

from pydantic import Field

from respgraph.graph.protocol import GraphStore
from respgraph.graph.vocabulary import ROLE_EDGES, ROLE_OF_EDGE, ROLES, UNIT_KINDS
from respgraph.queries.lookup import resolve_one, scope
from respgraph.queries.rows import Row

__all__ = ["overview", "unit_kinds", "Overview", "OverviewNode", "OverviewEdge", "KINDS"]

LABELS = ("Leader", "Item", "SubItem", "Unit", "UnitGroup", "District")
TYPES = ("OVERSEES", *ROLE_EDGES, "PART_OF", "MEMBER_OF", "GOVERNS")
#: What ``kind=`` accepts: a kind of unit, or ``group`` for the collective names.
KINDS = (*UNIT_KINDS, "group")


class OverviewNode(Row):
    id: str
    label: str
    name: str
    kind: str | None = Field(None, description="unit or district kind; item category")
    number: str | None = Field(None, description="items and sub-items: the printed number (66, 66.1)")
    document: str | None = Field(None, description="items and sub-items: the document's key")


class OverviewEdge(Row):
    source: str
    target: str
    type: str


class Overview(Row):
    leader: str | None = None
    role: str | None = None
    kind: str | None = None
    nodes: list[OverviewNode]
    edges: list[OverviewEdge]


def overview(
    store: GraphStore,
    *,
    leader: str | None = None,
    role: str | None = None,
    kind: str | None = None,
    city: str | None = None,
    documents: list[str] | None = None,
) -> Overview:
    """Leaders, items, sub-items, units, groups and districts, and how they are joined.

    - ``leader``: only the items (and sub-items) that leader oversees, and whoever is on them.
    - ``role`` (lead, implement, assist): only edges of that role, and only the items
      that have one.
    - ``kind`` (a unit kind, or ``group``): only units of that kind (or only groups),
      and only the items they are on.

    Units reach an item directly or through a group they are a member of; a kept
    group brings its members (of the asked-for kind) and their ``MEMBER_OF`` edges.

    Examples
    --------
    >>> from respgraph.graph.sqlite_store import SqliteStore
    >>> from respgraph.loaders.load import read_tables, sample_path
    >>> store = SqliteStore()
    >>> for table in read_tables(sample_path()):
    ...     store.write(table.to_batch())
    >>> o = overview(store, leader="黄益斌")
    >>> sorted(n.name for n in o.nodes if n.label != "Item"), [e.type for e in o.edges]
    (['市公安局', '黄益斌'], ['OVERSEES', 'LEADS', 'IMPLEMENTS'])
    """
    documents = scope(store, city=city, documents=documents)
    if role is not None and role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    leader_key = leader_name = None
    if leader is not None:
        node = resolve_one(store, leader, ("Leader",), city=city, documents=documents)
        leader_key, leader_name = node["key"], node["name"]
    nodes, rels = store.nodes(LABELS), store.rels(TYPES)
    return _assemble(
        nodes, rels, leader_key=leader_key, leader_name=leader_name, role=role, kind=kind, documents=documents
    )


def _node(n: dict, by_key: dict[str, dict]) -> dict:
    """The fields of an :class:`OverviewNode`."""
    label = n["label"]
    if label == "Item":
        return dict(
            id=n["key"],
            label=label,
            name=n["title"],
            kind=n.get("category"),
            number=n["number"],
            document=n.get("document"),
        )
    if label == "SubItem":
        item = by_key[n["item"]]
        return dict(
            id=n["key"],
            label=label,
            name=n["title"],
            kind=item.get("category"),
            number=f"{item['number']}.{n['part']}",
            document=item.get("document"),
        )
    return dict(id=n["key"], label=label, name=n["name"], kind=n.get("kind"))


def _assemble(nodes, rels, *, leader_key, leader_name, role, kind, documents) -> Overview:
    by_key = {n["key"]: n for n in nodes}
    items = {
        k: n for k, n in by_key.items() if n["label"] == "Item" and (documents is None or n["document"] in documents)
    }
    parts = {k: n for k, n in by_key.items() if n["label"] == "SubItem" and n["item"] in items}
    work = {**items, **parts}  # what units, groups and leaders point at

    if leader_key:
        overseen = {r["end"] for r in rels if r["type"] == "OVERSEES" and r["start"] == leader_key}
        parents = {work[k].get("item") for k in overseen if k in work}
        work = {k: n for k, n in work.items() if k in overseen or k in parents or n.get("item") in overseen}

    def unit_allowed(key: str) -> bool:
        label = by_key[key]["label"]
        if kind is None:
            return True
        return label == "UnitGroup" if kind == "group" else label == "Unit" and by_key[key].get("kind") == kind

    role_types = {t for t, r in ROLE_OF_EDGE.items() if role in (None, r)}
    role_edges = [r for r in rels if r["type"] in role_types and r["end"] in work and unit_allowed(r["start"])]
    if role or kind:
        touched = {r["end"] for r in role_edges}
        touched |= {work[k]["item"] for k in touched if work[k]["label"] == "SubItem"}
        work = {k: n for k, n in work.items() if k in touched}
        role_edges = [r for r in role_edges if r["end"] in work]

    keep = set(work) | {r["start"] for r in role_edges}
    groups = {k for k in keep if by_key[k]["label"] == "UnitGroup"}
    keep |= {r["start"] for r in rels if r["type"] == "MEMBER_OF" and r["end"] in groups and unit_allowed(r["start"])}
    oversees = [r for r in rels if r["type"] == "OVERSEES" and r["end"] in work and leader_key in (None, r["start"])]
    part_of = [r for r in rels if r["type"] == "PART_OF" and r["start"] in work and r["end"] in work]
    governs = [r for r in rels if r["type"] == "GOVERNS" and r["start"] in keep]
    keep |= {r["start"] for r in oversees} | {r["end"] for r in governs}
    members = [r for r in rels if r["type"] == "MEMBER_OF" and r["start"] in keep and r["end"] in keep]

    order = {label: i for i, label in enumerate(LABELS)}
    out_nodes = sorted((_node(by_key[k], by_key) for k in keep), key=lambda n: (order[n["label"]], n["id"]))
    out_edges = [
        {"source": r["start"], "target": r["end"], "type": r["type"]}
        for r in sorted(
            [*oversees, *part_of, *role_edges, *members, *governs],
            key=lambda r: (TYPES.index(r["type"]), r["start"], r["end"]),
        )
    ]
    # Plain dicts, validated in one call: a province's 200,000 edges one model at a time take seconds.
    return Overview(leader=leader_name, role=role, kind=kind, nodes=out_nodes, edges=out_edges)


def unit_kinds(store: GraphStore, *, city: str | None = None, documents: list[str] | None = None) -> dict[str, str]:
    """Every unit's name with its kind, and every group's name with ``group``.

    What the pages colour units by.

    >>> from respgraph.graph.sqlite_store import SqliteStore
    >>> from respgraph.loaders.load import read_tables, sample_path
    >>> store = SqliteStore()
    >>> for table in read_tables(sample_path()):
    ...     store.write(table.to_batch())
    >>> kinds = unit_kinds(store)
    >>> kinds["市自然资源局"], kinds["各县（市、区）政府（管委会）"]
    ('city_department', 'group')
    """
    from functools import partial

    from respgraph.queries.listing import default_unit_counts
    from respgraph.queries.native import native

    # The units the overview draws: named on an item in scope, or a member of a group that is.
    documents = scope(store, city=city, documents=documents)
    counted = (native(store, "unit_counts") or partial(default_unit_counts, store))(documents=documents)
    return {r["name"]: r["kind"] for r in counted if r["items"] or r["via"]}
