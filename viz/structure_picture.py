"""The network by year as small multiples, the core highlighted: one inline SVG.

Draws the panels :func:`respgraph.answers.structure.ties_by_year` gives (one a year:
its directed ties, those kept from the year before, its core); runs no query.  Every
panel places a unit where the others do, so an eye moving from panel to panel sees
what changed, not a new drawing: the units that are core in some year on an inner
circle, the others on an outer ring, both grouped by kind and then by name.  Core
units of the year are filled dark red and the most tied are named, periphery units
are small grey dots; a tie kept from the year before is grey, a new one orange (the
first year's ties are all grey: there is no year before to compare with).
"""

from __future__ import annotations

import html
import math

__all__ = ["years_svg", "PANEL"]

#: A panel's side, in pixels.
PANEL = 300
CORE, PERIPHERY, KEPT, NEW = "#8c1c13", "#9a9a9a", "#555555", "#E69F00"


def years_svg(panels: list[dict], *, columns: int = 3, labels: int = 6) -> str:
    """The panels as one SVG, ``columns`` a row; the ``labels`` most central core units of
    each panel named (escaped).

    >>> svg = years_svg([{"year": 2023, "ties": [("甲局", "乙<区>")], "kept": [], "core": ["甲局"]},
    ...                  {"year": 2024, "ties": [("甲局", "乙<区>")], "kept": [("甲局", "乙<区>")], "core": []}])
    >>> svg.count("<g class='panel'"), "乙&lt;区&gt;" in svg, "乙<区>" in svg, "2024 年" in svg
    (2, True, False, True)
    """
    where = _places(panels)
    rows = (len(panels) + columns - 1) // columns
    width, height = PANEL * min(columns, max(len(panels), 1)), (PANEL + 30) * rows + 24
    out = [
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' width='{width}' "
        f"height='{height}' role='img' aria-label='各年度协作网络，核心单位以深红色标出' font-size='10'>"
    ]
    for i, p in enumerate(panels):
        ox, oy = (i % columns) * PANEL, (i // columns) * (PANEL + 30)
        out.append(_panel(p, where, ox, oy, labels, compared=i > 0))
    out.append(
        f"<g font-size='11' transform='translate(4 {height - 8})'>"
        f"<circle cx='5' cy='-4' r='5' fill='{CORE}'/><text x='14' y='0'>核心单位</text>"
        f"<circle cx='85' cy='-4' r='3' fill='{PERIPHERY}'/><text x='92' y='0'>外围单位</text>"
        f"<line x1='160' y1='-4' x2='180' y2='-4' stroke='{KEPT}'/><text x='184' y='0'>上年已有的关系</text>"
        f"<line x1='280' y1='-4' x2='300' y2='-4' stroke='{NEW}'/><text x='304' y='0'>新关系</text></g>"
    )
    out.append("</svg>")
    return "".join(out)


def _places(panels: list[dict]) -> dict[str, tuple[float, float]]:
    """Unit → (x, y) in [-1, 1]²: ever-core units on a circle of radius 0.4, the rest on one of 0.95."""
    kinds: dict[str, str] = {}
    for p in panels:
        kinds.update(p.get("kinds", {}))
    units = sorted({u for p in panels for t in p["ties"] for u in t} | {u for p in panels for u in p["core"]})
    ever = {u for p in panels for u in p["core"]}
    where = {}
    for ring, radius in (
        (sorted(u for u in units if u in ever), 0.4),
        (sorted(u for u in units if u not in ever), 0.95),
    ):
        ring.sort(key=lambda u: (kinds.get(u, ""), u))
        for i, u in enumerate(ring):
            angle = 2 * math.pi * i / max(len(ring), 1) - math.pi / 2
            where[u] = (radius * math.cos(angle), radius * math.sin(angle))
    return where


def _panel(p: dict, where: dict, ox: int, oy: int, labels: int, *, compared: bool) -> str:
    def xy(u):
        x, y = where.get(u, (0.0, 0.0))
        return ox + PANEL / 2 + x * (PANEL / 2 - 22), oy + 30 + PANEL / 2 + y * (PANEL / 2 - 22)

    core, kept = set(p["core"]), set(p["kept"])
    units = sorted({u for t in p["ties"] for u in t} | core)
    degree: dict[str, int] = {}
    for a, b in p["ties"]:
        degree[a] = degree.get(a, 0) + 1
        degree[b] = degree.get(b, 0) + 1
    parts = [
        f"<g class='panel' data-year='{p['year']}'>",
        f"<rect x='{ox + 2}' y='{oy + 2}' width='{PANEL - 4}' height='{PANEL + 24}' fill='none' stroke='#ddd'/>",
        f"<text x='{ox + 8}' y='{oy + 18}' font-size='12' font-weight='bold'>{p['year']} 年：关系 "
        f"{len(p['ties'])} 条，核心 {len(core)} 个单位</text>",
    ]
    for a, b in p["ties"]:
        (x1, y1), (x2, y2) = xy(a), xy(b)
        colour = NEW if compared and (a, b) not in kept else KEPT  # the first year has nothing to compare with
        parts.append(
            f"<line x1='{x1:.1f}' y1='{y1:.1f}' x2='{x2:.1f}' y2='{y2:.1f}' stroke='{colour}' "
            "stroke-opacity='0.35' stroke-width='0.7'/>"
        )
    for u in units:
        x, y = xy(u)
        name = html.escape(u, quote=True)
        if u in core:
            parts.append(
                f"<circle cx='{x:.1f}' cy='{y:.1f}' r='5' fill='{CORE}'><title>{name}（核心）</title></circle>"
            )
        else:
            parts.append(f"<circle cx='{x:.1f}' cy='{y:.1f}' r='2.5' fill='{PERIPHERY}'><title>{name}</title></circle>")
    for u in sorted(core, key=lambda u: (-degree.get(u, 0), u))[:labels]:
        x, y = xy(u)
        parts.append(
            f"<text x='{x + 6:.1f}' y='{y + 3:.1f}' stroke='#fff' stroke-width='3' paint-order='stroke'>"
            f"{html.escape(u, quote=True)}</text>"
        )
    parts.append("</g>")
    return "".join(parts)
