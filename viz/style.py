"""How things look: colours and shapes by node type and unit kind, lines by role, the legend.

One look per legend entry, so the legend can only list what a page draws, drawn
the way the page draws it.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Sequence
from dataclasses import dataclass, replace

from respgraph.graph.vocabulary import EDGE_OF_ROLE

__all__ = [
    "ROLE_COLOR",
    "NodeLook",
    "EdgeLook",
    "node_look",
    "edge_look",
    "role_edge",
    "community_look",
    "legend_html",
    "KIND_TEXT",
    "FONT",
    "cluster_look",
    "NODES",
    "EDGES",
]

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


# Okabe–Ito colours (safe for the common colour blindnesses), and every node type
# has its own shape too, so colour is never the only cue.
NODES = {
    "Leader": NodeLook("分管市领导（星形）", "star", "#E69F00", 26, 0),
    "Item": NodeLook("事项（方形；标签中“另 N 个单位”可点击展开）", "square", "#4D5D6C", 13, 1),
    "SubItem": NodeLook("子项（小方形）", "square", "#9AAAB8", 9, 2),
    "Unit": NodeLook("单位（圆点）", "dot", "#56B4E9", 12, 3),
    "UnitGroup": NodeLook("单位集合（六边形，如各县（市、区）政府）", "hexagon", "#CC79A7", 15, 4),
    "District": NodeLook("县（市、区）（菱形）", "diamond", "#F0E442", 11, 5),
    "Heading": NodeLook("", "text", "#222222", 1, 9),
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
    "city_department": "#56B4E9",
    "county_government": "#009E73",
    "zone_committee": "#F0E442",
    "enterprise": "#D55E00",
    "stationed_agency": "#CC79A7",
    "other": "#999999",
}
# Communities: Okabe–Ito first, then Paul Tol's muted scheme; 17 before a repeat.
_PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
)

#: One colour per role on every page, chart and sheet (Paul Tol's indigo, purple, olive):
#: none is a status or warning colour (viz/status_style.py), so a red or green thing is
#: always a status, never a role.
ROLE_COLOR = {"lead": "#332288", "implement": "#AA4499", "assist": "#999933"}

# Roles differ by line style as well as colour: solid, dashed, dotted.
EDGES = {
    "OVERSEES": EdgeLook("分管（点划线）", "#E69F00", 1.5, (12, 4, 2, 4), order=0),
    "LEADS": EdgeLook("牵头（粗实线）", ROLE_COLOR["lead"], 3, order=1),
    "IMPLEMENTS": EdgeLook("实施（虚线）", ROLE_COLOR["implement"], 2, (10, 5), order=2),
    "ASSISTS": EdgeLook("协办（点线）", ROLE_COLOR["assist"], 1.5, (2, 5), order=3),
    "PART_OF": EdgeLook("子项属于事项", "#9AAAB8", 1, (4, 4), order=5),
    "MEMBER_OF": EdgeLook("属于单位集合", "#CC79A7", 1.5, (6, 3), order=6),
    "GOVERNS": EdgeLook("管辖", "#8C6D31", 1, (1, 3), order=7),
    "CO": EdgeLook("共同承担事项（越粗越多）", "#7A8796", 1, arrow=False, order=8),
    "GROUPED": EdgeLook("聚合连线（越粗条数越多；点击聚合节点展开）", "#B0B7BF", 1, arrow=False, order=9),
}


def role_edge(role: str) -> str:
    """The edge type of a role: ``lead`` → ``LEADS``."""
    return EDGE_OF_ROLE[role]


@functools.cache  # a page asks for the same few looks thousands of times
def node_look(label: str, kind: str | None = None) -> NodeLook:
    """A node's look by its label; units by their kind (``group`` means a UnitGroup)."""
    if kind == "group":
        return NODES["UnitGroup"]
    if label == "Unit" and kind in KIND_TEXT:
        rank = list(KIND_TEXT).index(kind) / 10
        return replace(NODES["Unit"], text=f"单位：{KIND_TEXT[kind]}", color=_KIND_COLOR[kind], order=3 + rank)
    return NODES[label]


def edge_look(kind: str, *, via: bool = False) -> EdgeLook:
    """An edge's look by type; ``via`` for a role held through a group: the role's
    line style, in the group's colour."""
    look = EDGES[kind]
    if not via:
        return look
    return replace(
        look,
        text=f"{look.text}，经单位集合",
        color=NODES["UnitGroup"].color,
        dashes=look.dashes or (14, 3),
        order=look.order + 0.5,
    )


def community_look(index: int, size: int) -> NodeLook:
    return NodeLook(
        f"协作群体 {index + 1}（{size} 个单位）", "dot", _PALETTE[index % len(_PALETTE)], order=3 + index / 100
    )


def cluster_look(text: str) -> NodeLook:
    """A node standing for a closed cluster: a box, its size the number of members."""
    return NodeLook(text, "box", "#EEF1F4", 14, order=8)


def _node_swatch(look: NodeLook) -> str:
    c = look.color
    shapes = {
        "dot": f'<circle cx="9" cy="9" r="6" fill="{c}"/>',
        "square": f'<rect x="3" y="3" width="12" height="12" fill="{c}"/>',
        "diamond": f'<polygon points="9,1 17,9 9,17 1,9" fill="{c}"/>',
        "hexagon": f'<polygon points="9,1 16,5 16,13 9,17 2,13 2,5" fill="{c}"/>',
        "star": f'<polygon points="9,1 11,7 17,7 12,11 14,17 9,13 4,17 6,11 1,7 7,7" fill="{c}"/>',
        "box": f'<rect x="1" y="4" width="16" height="10" rx="3" fill="{c}" stroke="#6B7785"/>',
    }
    return f'<svg width="18" height="18" aria-hidden="true">{shapes[look.shape]}</svg>'


def _edge_swatch(look: EdgeLook) -> str:
    dash = f' stroke-dasharray="{",".join(map(str, look.dashes))}"' if look.dashes else ""
    return (
        f'<svg width="34" height="12" aria-hidden="true"><line x1="1" y1="6" x2="33" y2="6" '
        f'stroke="{look.color}" stroke-width="{min(look.width, 4)}"{dash}/></svg>'
    )


def legend_html(nodes: list[NodeLook], edges: list[EdgeLook], notes: Sequence[str] = ()) -> str:
    """The legend: what colour and shape (nodes), line and colour (edges) and size
    mean, one line per look, each in their ``order``; ``notes`` say the rest."""
    nodes = sorted((n for n in nodes if n.text), key=lambda n: n.order)
    edges = sorted(edges, key=lambda e: e.order)
    rows = ['<h2>图例</h2><h3>形状与颜色：节点</h3><ul class="rg-legend-nodes">']
    rows += [f"<li>{_node_swatch(n)}<span>{html.escape(n.text)}</span></li>" for n in nodes]
    rows.append('</ul><h3>线型与颜色：关系</h3><ul class="rg-legend-edges">')
    rows += [f"<li>{_edge_swatch(e)}<span>{html.escape(e.text)}</span></li>" for e in edges]
    rows.append('</ul><h3>大小与操作</h3><ul class="rg-legend-notes">')
    rows += [f"<li><span>{html.escape(n)}</span></li>" for n in notes]
    rows.append("</ul>")
    return "".join(rows)
