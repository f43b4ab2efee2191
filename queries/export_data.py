"""The graph and the answers as other tools take them: a typed networkx graph, the
unit × unit network, and one table per answer.

:func:`full_graph` is every node and relationship of the store (or of some
documents), each node with ``type`` (its label) and each relationship with
``type`` (LEADS, …) and, for the roles, ``role``; both carry ``document``,
``deadline`` and ``city`` where they apply, so Gephi and Cytoscape can filter
on them.  Both stores hand over the same plain rows.
"""

from __future__ import annotations

import datetime as dt

import networkx as nx

from respgraph.graph.protocol import GraphStore
from respgraph.graph.vocabulary import KIND_ZH, LABELS, REL_TYPES, ROLE_OF_EDGE, ROLE_ZH

__all__ = ["full_graph", "co_graph", "answer_tables", "SHEETS"]

#: Sheet name → what it holds, in workbook order.
SHEETS = {
    "单位承担事项": "每个单位（或单位集合）在每个事项、子项上的角色",
    "分管事项": "每位分管市领导的事项及各角色单位",
    "单位工作量": "单位工作量（各角色事项数、经集合名称、指数）",
    "市领导工作量": "市领导工作量",
    "县区工作量": "县（市、区）工作量",
    "协同单位对": "共同承担事项的单位对",
    "数据质量": "源表数据质量问题",
}


def _dump(store: GraphStore) -> tuple[list[dict], list[dict]]:
    """Every node ``{key, label, …}`` and relationship ``{type, start, end, …}`` as plain values."""
    return [_plain(n) for n in store.nodes(LABELS)], [_plain(r) for r in store.rels(REL_TYPES)]


def _plain(props: dict) -> dict:
    out = {}
    for k, v in props.items():
        if isinstance(v, (dt.date, dt.datetime)):
            v = v.isoformat()
        out[k] = v
    return out


def _keep(nodes: list[dict], rels: list[dict], documents: list[str] | None) -> set[str]:
    """The keys of what belongs to ``documents``: their items, sub-items and milestones,
    the documents, and whoever is attached to those (units, leaders, groups, districts)."""
    by_key = {n["key"]: n for n in nodes}
    if documents is None:
        return set(by_key)
    work = {k for k, n in by_key.items() if n["label"] == "Item" and n.get("document") in documents}
    work |= {r["start"] for r in rels if r["type"] == "PART_OF" and r["end"] in work}
    keep = set(work) | {k for k, n in by_key.items() if n["label"] == "Document" and k in documents}
    keep |= {r["end"] for r in rels if r["type"] == "HAS_MILESTONE" and r["start"] in work}
    keep |= {r["start"] for r in rels if r["end"] in work and r["type"] in ("OVERSEES", *ROLE_OF_EDGE)}
    groups = {k for k in keep if by_key[k]["label"] == "UnitGroup"}
    keep |= {r["start"] for r in rels if r["type"] == "MEMBER_OF" and r["end"] in groups}
    keep |= {r["end"] for r in rels if r["type"] == "GOVERNS" and r["start"] in keep}
    return keep


def full_graph(store: GraphStore, *, documents: list[str] | None = None) -> nx.MultiDiGraph:
    """The whole typed graph (or what belongs to ``documents``) with flat attributes.

    Nodes: ``type`` (the label), ``name`` (a title for items), and every stored
    property as text or number (lists joined with ``、``).  Relationships:
    ``type``, ``role`` (lead, implement, assist) on the three roles, and the
    ``document``, ``deadline`` and ``city`` of the item they concern.

    Examples
    --------
    >>> from respgraph.ingest import sample_store
    >>> g = full_graph(sample_store())
    >>> g.nodes["unit:湛江市/市自然资源局"]["type"], g.number_of_nodes() > 700
    ('Unit', True)
    """
    nodes, rels = _dump(store)
    keep = _keep(nodes, rels, documents)
    by_key = {n["key"]: n for n in nodes}
    cities = {n["key"]: n.get("city") for n in nodes if n["label"] == "Document"}
    g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for n in nodes:
        if n["key"] not in keep:
            continue
        attrs = {k: _flat(v) for k, v in n.items() if k not in ("key", "label") and _flat(v) is not None}
        attrs["type"] = n["label"]
        attrs.setdefault("name", n.get("title") or n["key"])
        if "city" not in attrs and cities.get(n.get("document")):
            attrs["city"] = cities[n["document"]]
        g.add_node(n["key"], **attrs)
    for r in rels:
        if r["start"] not in keep or r["end"] not in keep:
            continue
        attrs = {k: _flat(v) for k, v in r.items() if k not in ("start", "end") and _flat(v) is not None}
        if r["type"] in ROLE_OF_EDGE:
            attrs["role"] = ROLE_OF_EDGE[r["type"]]
        about = _item(by_key, rels, r)
        if about is not None:
            for field in ("document", "deadline"):
                if about.get(field) is not None:
                    attrs.setdefault(field, _flat(about[field]))
            if cities.get(about.get("document")):
                attrs.setdefault("city", cities[about["document"]])
        g.add_edge(r["start"], r["end"], key=f"{r['type']}:{r['start']}->{r['end']}", **attrs)
    return g


def _item(by_key: dict, rels: list[dict], r: dict) -> dict | None:
    """The item a relationship concerns (a sub-item's parent), if any."""
    for key in (r["end"], r["start"]):
        n = by_key.get(key)
        if n is None:
            continue
        if n["label"] == "Item":
            return n
        if n["label"] == "SubItem" and n.get("item") in by_key:
            return by_key[n["item"]]
    return None


def _flat(value):
    """A value GraphML, GEXF and a spreadsheet hold: text, number or boolean."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return "、".join(str(_flat(v)) for v in value if v is not None) or None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def co_graph(store: GraphStore, *, documents: list[str] | None = None) -> nx.Graph:
    """Units joined by ``weight`` = items shared; nodes with ``kind`` and ``items``
    (as :func:`~respgraph.queries.collaboration.co_network`), ``type`` = Unit and ``name``."""
    from respgraph.queries.collaboration import co_network

    g = co_network(store, documents=documents)
    for node, attrs in g.nodes(data=True):
        attrs["type"] = "Unit"
        # The id is the unit's name (qualified by its city when several are loaded); readers
        # that show attributes, not ids (Cytoscape, Gephi's GraphML import), need it as one.
        attrs.setdefault("name", node.removeprefix(f"{attrs.get('city')}:"))
    for _, _, attrs in g.edges(data=True):
        attrs["type"] = "CO"
        attrs["shared"] = attrs["weight"]
    return g


def answer_tables(store: GraphStore, *, documents: list[str] | None = None, tables=None) -> dict[str, list[dict]]:
    """One table (list of rows with Chinese column names) per sheet of :data:`SHEETS`.

    ``tables`` (the loader's tables of the source files) give the data-quality
    sheet; without them it holds one row saying how to get it.
    """
    from respgraph.queries.co import co_pairs
    from respgraph.queries.quality import KIND_ZH as NOTE_ZH
    from respgraph.queries.quality import message_zh, quality
    from respgraph.queries.workload import workload

    g = full_graph(store, documents=documents)
    role_zh = ROLE_ZH

    def item_fields(key: str) -> dict:
        n = g.nodes[key]
        if n["type"] == "SubItem":
            parent = g.nodes[n["item"]]
            return {
                "文件": parent.get("document", ""),
                "附件": parent.get("attachment", ""),
                "序号": parent.get("number", ""),
                "子项": n.get("part", ""),
                "事项": parent.get("name", ""),
                "子项内容": n.get("name", ""),
                "完成时限": parent.get("deadline", ""),
            }
        return {
            "文件": n.get("document", ""),
            "附件": n.get("attachment", ""),
            "序号": n.get("number", ""),
            "子项": "",
            "事项": n.get("name", ""),
            "子项内容": "",
            "完成时限": n.get("deadline", ""),
        }

    by_unit = []
    for s, e, a in g.edges(data=True):
        if a.get("role"):
            u = g.nodes[s]
            by_unit.append(
                {
                    "单位": u.get("name", s),
                    "城市": u.get("city", ""),
                    "类型": "单位集合"
                    if u["type"] == "UnitGroup"
                    else KIND_ZH.get(u.get("kind", ""), u.get("kind", "")),
                    "角色": role_zh[a["role"]],
                    **item_fields(e),
                }
            )
    order = list(role_zh.values())  # a unit with two roles on one item: lead first, whichever store answered
    by_unit.sort(key=lambda r: (r["单位"], str(r["文件"]), _number(r["序号"]), str(r["子项"]), order.index(r["角色"])))

    portfolios = []
    for s, e, a in g.edges(data=True):
        if a["type"] != "OVERSEES":
            continue
        units: dict[str, list[str]] = {role: [] for role in role_zh}
        for u, _, b in g.in_edges(e, data=True):
            if b.get("role"):
                units[b["role"]].append(g.nodes[u].get("name", u))
        portfolios.append(
            {
                "分管领导": g.nodes[s].get("name", s),
                **item_fields(e),
                **{role_zh[r]: "、".join(sorted(v)) for r, v in units.items()},
            }
        )
    portfolios.sort(key=lambda r: (r["分管领导"], str(r["文件"]), _number(r["序号"]), str(r["子项"])))

    def loads(by: str, what: str) -> list[dict]:
        w = workload(store, by=by, documents=documents)
        return [
            {
                what: r.name,
                "类型": _kind_zh(by, r.kind),
                "事项": r.items,
                "牵头": r.lead,
                "实施": r.implement,
                "协办": r.assist,
                "仅经集合名称": r.via_group,
                "工作量指数": r.score,
            }
            for r in w.rows
        ]

    notes: list[dict[str, object]]
    if tables is None:
        notes = [{"说明": "未读取源文件：运行 respgraph export --source 文件 得到源表的数据质量问题"}]
    else:
        notes = [
            {
                "文件": n.file,
                "附件": n.attachment,
                "行号": n.line,
                "问题": NOTE_ZH.get(n.kind, n.kind),
                "代码": n.kind,
                "列": n.cell,
                "说明": message_zh(n),
            }
            for n in quality(tables).rows
        ]
    return {
        "单位承担事项": by_unit,
        "分管事项": portfolios,
        "单位工作量": loads("unit", "单位"),
        "市领导工作量": loads("leader", "分管领导"),
        "县区工作量": loads("district", "县（市、区）"),
        "协同单位对": [
            {"单位甲": p.a, "单位乙": p.b, "共同承担事项": p.shared} for p in co_pairs(store, documents=documents)
        ],
        "数据质量": notes,
    }


def _kind_zh(by: str, kind: str | None) -> str:
    """The 类型 of a workload row in Chinese: a leader's is 分管领导, whatever the row carries."""
    if by == "leader":
        return "分管领导"
    return KIND_ZH.get(kind, "") if kind else ""


def _number(text) -> tuple:
    text = str(text)
    return (int(text) if text.isdigit() else 10**9, text)
