"""A picture being built: vis-network nodes and edges, each drawn once, the looks used,
and the clusters that open on click.

A *cluster* is a set of nodes drawn closed at first.  A cluster with an
``anchor`` (an item, whose other units and sub-items it holds) shows nothing
of its own: clicking the anchor opens it.  A cluster without one is drawn as a
box node of its own (``大小 = 成员数``) until clicked.  While a cluster is
closed, an edge to one of its members is drawn to the anchor or the box
instead, and edges that then coincide are drawn once, as wide as their number.
:meth:`Drawing.opening_view` computes that for the static pictures; the page's
script computes the same in the browser on every click.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import networkx as nx

from respgraph.viz.style import EDGES, EdgeLook, NodeLook, cluster_look, legend_html

__all__ = ["Drawing", "Cluster"]


@dataclass
class Cluster:
    id: str
    label: str
    tooltip: str
    anchor: str | None = None
    size: float = 20
    members: list[str] = field(default_factory=list)
    x: float = 0.0
    y: float = 0.0
    font: int = 14


class Drawing:
    """Nodes by id and edges by (source, target, type): adding one twice draws it once.

    Nodes carry ``name`` (the full name, what the search box matches) beside
    vis-network's own ``label`` (what is printed on the canvas) and ``title``
    (the tooltip, shown by vis-network as plain text, never as HTML).  Edges
    carry ``type`` (LEADS, …), ``via`` (held through a group) and ``weight``,
    which the page's filters read.
    """

    def __init__(self) -> None:
        self.nodes: dict[str, dict] = {}
        self.edges: dict[tuple[str, str, str], dict] = {}
        self.clusters: dict[str, Cluster] = {}
        self.notes: list[str] = []
        self._pairs: dict[frozenset, int] = {}
        self._node_looks: dict[NodeLook, None] = {}
        self._edge_looks: dict[EdgeLook, None] = {}

    def node(
        self,
        id: str,
        name: str,
        look: NodeLook,
        *,
        label: str | None = None,
        tooltip: str | None = None,
        size: float | None = None,
        cluster: str | None = None,
        document: str | None = None,
    ) -> str:
        if id not in self.nodes:
            self.nodes[id] = {
                "id": id,
                "name": name,
                "label": label if label is not None else name,
                "title": tooltip or name,
                "shape": look.shape,
                "color": look.color,
                "size": size or look.size,
            }
            if look.shape == "text":
                self.nodes[id].update(font={"size": 16, "bold": True}, heading=True)
            if document:
                self.nodes[id]["document"] = document
            if cluster:
                self.nodes[id]["cluster"] = cluster
                self.clusters[cluster].members.append(id)
            self._node_looks.setdefault(look)
        return id

    def heading(self, id: str, text: str) -> str:
        """A line of text on the canvas (a block's title); searched and drawn like a node."""
        from respgraph.viz.style import NODES

        return self.node(id, text, NODES["Heading"], tooltip=text)

    def cluster(self, id: str, label: str, *, tooltip: str = "", anchor: str | None = None, size: float = 20) -> str:
        if id not in self.clusters:
            self.clusters[id] = Cluster(id=id, label=label, tooltip=tooltip or label, anchor=anchor, size=size)
            if anchor is None:
                self._node_looks.setdefault(cluster_look("聚合节点（方框，标出成员数；点击展开，再点收起）"))
                self._edge_looks.setdefault(EDGES["GROUPED"])
        return id

    def edge(
        self,
        source: str,
        target: str,
        kind: str,
        look: EdgeLook,
        *,
        tooltip: str | None = None,
        width: float | None = None,
        via: bool = False,
        weight: float = 1,
    ) -> None:
        if (source, target, kind) in self.edges:
            return
        edge = {
            "id": f"e{len(self.edges)}",
            "from": source,
            "to": target,
            "type": kind,
            "weight": weight,
            "color": {"color": look.color, "highlight": look.color, "hover": look.color},
            "width": width or look.width,
        }
        if via:
            edge["via"] = True
        if look.dashes:
            edge["dashes"] = list(look.dashes)
        if look.arrow:
            edge["arrows"] = {"to": {"enabled": True, "scaleFactor": 0.5}}
        if tooltip:
            edge["title"] = tooltip
        # A unit that both leads and implements an item gets two edges: bend the
        # second so it does not hide under the first.
        pair = frozenset((source, target))
        seen = self._pairs.get(pair, 0)
        if seen:
            edge["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.25 * seen}
        self._pairs[pair] = seen + 1
        self.edges[(source, target, kind)] = edge
        self._edge_looks.setdefault(look)

    def graph(self) -> nx.Graph:
        """The drawing as an undirected graph, for layouts."""
        g: nx.Graph[str] = nx.Graph()
        g.add_nodes_from(self.nodes)
        g.add_edges_from((s, t) for s, t, _ in self.edges)
        return g

    def legend(self) -> str:
        return legend_html(list(self._node_looks), list(self._edge_looks), self.notes)

    def cluster_nodes(self) -> list[dict]:
        """The box node of every cluster without an anchor, as vis-network draws it."""
        out = []
        for c in self.clusters.values():
            if c.anchor is None:
                out.append(
                    {
                        "id": c.id,
                        "name": c.label.split("\n")[0],
                        "label": c.label,
                        "title": c.tooltip,
                        "shape": "box",
                        "color": {"background": "#EEF1F4", "border": "#6B7785"},
                        "size": c.size,
                        "x": c.x,
                        "y": c.y,
                        "isCluster": True,
                        "members": len(c.members),
                        "margin": round((6 + min(len(c.members), 400) ** 0.5) * c.font / 14),
                        "font": {"size": c.font},
                    }
                )
        return out

    def opening_view(self) -> tuple[list[dict], list[dict]]:
        """The nodes and edges drawn when the page opens (every cluster closed).

        >>> from respgraph.viz.style import node_look, edge_look
        >>> d = Drawing()
        >>> _ = d.cluster("c", "两个单位")
        >>> for name in ("甲", "乙"):
        ...     _ = d.node(name, name, node_look("Unit"), cluster="c")
        >>> _ = d.node("王", "王", node_look("Leader"))
        >>> d.edge("王", "甲", "OVERSEES", edge_look("OVERSEES")); d.edge("王", "乙", "OVERSEES", edge_look("OVERSEES"))
        >>> nodes, edges = d.opening_view()
        >>> sorted(n["id"] for n in nodes), [(e["from"], e["to"], e["count"]) for e in edges]
        (['c', '王'], [('王', 'c', 2)])
        """

        def shown(id: str) -> str:
            cluster = self.nodes[id].get("cluster")
            if not cluster:
                return id
            c = self.clusters[cluster]
            return shown(c.anchor) if c.anchor else c.id

        nodes = [n for n in self.nodes.values() if not n.get("cluster")] + self.cluster_nodes()
        merged: dict[tuple, dict] = {}
        for (source, target, kind), edge in self.edges.items():
            a, b = shown(source), shown(target)
            if a == b:
                continue
            if (a, b) == (source, target):
                merged[a, b, kind, id(edge)] = {**edge, "count": 1}
                continue
            key = (a, b, "GROUPED" if a in self.clusters or b in self.clusters else kind, edge.get("via", False))
            if key in merged:
                merged[key]["count"] += 1
                merged[key]["weight"] += edge["weight"]
            else:
                merged[key] = {**edge, "id": f"m{len(merged)}", "from": a, "to": b, "count": 1}
                merged[key].pop("smooth", None)
                if key[2] == "GROUPED":
                    look = EDGES["GROUPED"]
                    merged[key].update(type="GROUPED", color={"color": look.color}, dashes=False)
                    merged[key].pop("arrows", None)
        for e in merged.values():
            if e["count"] > 1:
                e["width"] = min(1 + 1.5 * math.log2(e["count"]), 12)
                e["title"] = f"{e['count']} 条关系"
        return nodes, list(merged.values())
