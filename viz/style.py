"""How things look: colours and shapes by node type and unit kind, lines by role, the legend.

One look per legend entry, so the legend can only list what a page draws, drawn
the way the page draws it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace

from respgraph.graph.model import ROLE_EDGE

__all__ = ["NodeLook", "EdgeLook", "node_look", "edge_look", "role_edge", "community_look", "legend_html",
           "KIND_TEXT", "FONT"]

FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'


@dataclass(frozen=True)
class NodeLook:
    text: str  # what the legend calls it
    shape: str  # a vis-network shape
    color: str
    size: int = 12
    order: float = 0  # place in the legend


@dataclass(frozen=True)
class EdgeLook:
    text: str
    color: str
    width: float = 1.0
    dashes: tuple[int, ...] = ()
    arrow: bool = True
    order: float = 0


NODES = {
    "Leader": NodeLook("分管市领导", "star", "#d4a017", 26, 0),
    "Item": NodeLook("事项（督办事项、民生实事）", "square", "#3b6fb6", 13, 1),
    "SubItem": NodeLook("子项", "square", "#8fb3e0", 9, 2),
    "Unit": NodeLook("单位", "dot", "#4f8a63", 12, 3),
    "UnitGroup": NodeLook("单位集合（各县（市、区）政府等）", "hexagon", "#8e6bbf", 15, 4),
    "District": NodeLook("县（市、区）", "diamond", "#a0785a", 11, 5),
}

KIND_TEXT = {
    "city_department": "市直部门",
    "county_government": "县（市、区）政府",
    "zone_committee": "功能区管委会",
    "enterprise": "企业",
    "stationed_agency": "中央、省驻湛单位",
    "other": "其他单位",
}
_KIND_COLOR = {
    "city_department": "#2e9e5b",
    "county_government": "#16a3b8",
    "zone_committee": "#9bbb2f",
    "enterprise": "#e07b39",
    "stationed_agency": "#d46aa8",
    "other": "#8a8a8a",
}
# Distinct enough side by side, and none the colour of a node type above.
_PALETTE = ("#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6",
            "#bfef45", "#469990", "#9a6324", "#800000", "#808000", "#000075", "#a9a9a9")

EDGES = {
    "OVERSEES": EdgeLook("分管", "#d4a017", 2, order=0),
    "LEADS": EdgeLook("牵头", "#c0392b", 3, order=1),
    "IMPLEMENTS": EdgeLook("实施", "#e67e22", 2, order=2),
    "ASSISTS": EdgeLook("协办", "#7f8c8d", 1, order=3),
    "PART_OF": EdgeLook("子项属于事项", "#8fb3e0", 1, (2, 4), order=5),
    "MEMBER_OF": EdgeLook("属于单位集合", "#8e6bbf", 1.5, (6, 4), order=6),
    "GOVERNS": EdgeLook("管辖", "#a0785a", 1, (1, 3), order=7),
    "CO": EdgeLook("共同承担事项（越粗越多）", "#8796a8", 1, arrow=False, order=8),
}
_ROLE_EDGE = {role.value: edge for role, edge in ROLE_EDGE.items()}


def role_edge(role: str) -> str:
    """The edge type of a role: ``lead`` → ``LEADS``."""
    return _ROLE_EDGE[role]


def node_look(label: str, kind: str | None = None) -> NodeLook:
    """A node's look by its label; units by their kind (``group`` means a UnitGroup)."""
    if kind == "group":
        return NODES["UnitGroup"]
    if label == "Unit" and kind in KIND_TEXT:
        rank = list(KIND_TEXT).index(kind) / 10
        return replace(NODES["Unit"], text=f"单位：{KIND_TEXT[kind]}", color=_KIND_COLOR[kind], order=3 + rank)
    return NODES[label]


def edge_look(kind: str, *, via: bool = False) -> EdgeLook:
    """An edge's look by type; ``via`` for a role held through a group: dashed."""
    look = EDGES[kind]
    if not via:
        return look
    return replace(look, text=f"{look.text}（经单位集合）", dashes=(8, 5), order=look.order + 0.5)


def community_look(index: int, size: int) -> NodeLook:
    return NodeLook(f"社区 {index + 1}（{size} 个单位）", "dot", _PALETTE[index % len(_PALETTE)], order=index)


def _node_swatch(look: NodeLook) -> str:
    c = look.color
    shapes = {
        "dot": f'<circle cx="9" cy="9" r="6" fill="{c}"/>',
        "square": f'<rect x="3" y="3" width="12" height="12" fill="{c}"/>',
        "diamond": f'<polygon points="9,1 17,9 9,17 1,9" fill="{c}"/>',
        "hexagon": f'<polygon points="9,1 16,5 16,13 9,17 2,13 2,5" fill="{c}"/>',
        "star": f'<polygon points="9,1 11,7 17,7 12,11 14,17 9,13 4,17 6,11 1,7 7,7" fill="{c}"/>',
    }
    return f'<svg width="18" height="18" aria-hidden="true">{shapes[look.shape]}</svg>'


def _edge_swatch(look: EdgeLook) -> str:
    dash = f' stroke-dasharray="{",".join(map(str, look.dashes))}"' if look.dashes else ""
    return (f'<svg width="34" height="12" aria-hidden="true"><line x1="1" y1="6" x2="33" y2="6" '
            f'stroke="{look.color}" stroke-width="{min(look.width, 4)}"{dash}/></svg>')


def legend_html(nodes: list[NodeLook], edges: list[EdgeLook]) -> str:
    """The legend: one line per look, nodes then edges, each in their ``order``."""
    nodes = sorted(nodes, key=lambda n: n.order)
    edges = sorted(edges, key=lambda e: e.order)
    rows = ['<h2>图例</h2><ul class="rg-legend-nodes">']
    rows += [f"<li>{_node_swatch(n)}<span>{html.escape(n.text)}</span></li>" for n in nodes]
    rows.append('</ul><ul class="rg-legend-edges">')
    rows += [f"<li>{_edge_swatch(e)}<span>{html.escape(e.text)}</span></li>" for e in edges]
    rows.append("</ul>")
    return "".join(rows)
