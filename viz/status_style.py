"""Items coloured by their latest status (issue #12), with the legend saying so.

The pages draw items in one colour; given ``statuses`` (item id → status, as
:func:`respgraph.queries.status.item_status` returns them) each item takes its
status's colour — an overdue item (``"overdue"``) its own dark red, apart from
items with no report — and the legend lists the statuses drawn instead of "事项".
Colours are Okabe–Ito, told apart by colour-blind readers; behind is the
vermilion the eye goes to first.
"""

from __future__ import annotations

from respgraph.graph.progress import STATUS_ORDER, STATUS_ZH, Status
from respgraph.viz.drawing import Drawing
from respgraph.viz.style import NODES, NodeLook

__all__ = ["STATUS_COLOR", "WARNING_COLOR", "OVERDUE", "status_look", "colour_by_status"]

STATUS_COLOR = {
    Status.BEHIND: "#D55E00",
    Status.NOT_STARTED: "#E69F00",
    Status.OTHER: "#999999",
    Status.ON_TRACK: "#0072B2",
    Status.AHEAD: "#56B4E9",
    Status.DONE: "#009E73",
    Status.NO_REPORT: "#d9d9d9",
}
#: An item past its deadline and not done: drawn apart from "no report" whatever its status,
#: in the dark red of the red warning.
OVERDUE = "overdue"
OVERDUE_COLOR = "#8B0000"
#: The warning colours (三色督办单), in pages, charts and the notices' headings.  Yellow is a
#: dark gold so that a 黄色催办单's heading can be read on white paper.
WARNING_COLOR = {"red": "#C00000", "orange": "#E66100", "yellow": "#C9A100", "blue": "#1F5FAD"}


def status_look(status: str) -> NodeLook:
    """The look of an item with ``status``: the item's shape and size, the status's colour.

    >>> status_look("behind").text, status_look("behind").color
    ('事项：滞后（最新进展）', '#D55E00')
    """
    base = NODES["Item"]
    if status == OVERDUE:
        return NodeLook("事项：逾期未完成（完成时限已过）", base.shape, OVERDUE_COLOR, base.size, base.order + 0.05)
    s = Status(status)
    return NodeLook(
        f"事项：{STATUS_ZH[s]}（最新进展）",
        base.shape,
        STATUS_COLOR[s],
        base.size,
        base.order + STATUS_ORDER.index(s) / 10,
    )


def colour_by_status(d: Drawing, statuses: dict[str, str]) -> None:
    """Recolour the items of ``d`` that ``statuses`` names; the legend follows."""
    if not statuses:
        return
    recoloured = 0
    items = 0
    for node_id, node in d.nodes.items():
        if node.get("color") != NODES["Item"].color:
            continue
        items += 1
        status = statuses.get(node_id)
        if status is None:
            continue
        look = status_look(status)
        node["color"] = look.color
        said = "逾期未完成" if status == OVERDUE else STATUS_ZH[Status(status)]
        node["title"] = f"{node['title']}\n进展：{said}"
        d._node_looks.setdefault(look)  # the legend lists the looks a page used
        recoloured += 1
    if recoloured and recoloured == items:
        d._node_looks.pop(NODES["Item"], None)
