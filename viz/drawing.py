"""A picture being built: vis-network nodes and edges, each drawn once, and the looks used."""

from __future__ import annotations

import networkx as nx

from respgraph.viz.style import EdgeLook, NodeLook, legend_html

__all__ = ["Drawing"]


class Drawing:
    """Nodes by id and edges by (source, target, type): adding one twice draws it once.

    Nodes carry ``name`` (the full name, what the search box matches) beside
    vis-network's own ``label`` (what is printed on the canvas) and ``title``
    (the tooltip, shown by vis-network as plain text, never as HTML).
    """

    def __init__(self) -> None:
        self.nodes: dict[str, dict] = {}
        self.edges: dict[tuple[str, str, str], dict] = {}
        self._pairs: dict[frozenset, int] = {}
        self._node_looks: dict[NodeLook, None] = {}
        self._edge_looks: dict[EdgeLook, None] = {}

    def node(self, id: str, name: str, look: NodeLook, *, label: str | None = None,
             tooltip: str | None = None, size: float | None = None) -> str:
        if id not in self.nodes:
            self.nodes[id] = {
                "id": id, "name": name, "label": label or name, "title": tooltip or name,
                "shape": look.shape, "color": look.color, "size": size or look.size,
            }
            self._node_looks.setdefault(look)
        return id

    def edge(self, source: str, target: str, kind: str, look: EdgeLook, *, tooltip: str | None = None,
             width: float | None = None) -> None:
        if (source, target, kind) in self.edges:
            return
        edge = {
            "id": f"e{len(self.edges)}", "from": source, "to": target,
            "color": {"color": look.color, "highlight": look.color, "hover": look.color},
            "width": width or look.width,
        }
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
        g = nx.Graph()
        g.add_nodes_from(self.nodes)
        g.add_edges_from((s, t) for s, t, _ in self.edges)
        return g

    def legend(self) -> str:
        return legend_html(list(self._node_looks), list(self._edge_looks))
