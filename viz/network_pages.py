"""The four pictures: a leader's portfolio, a unit's items, the co-responsibility network, the whole graph.

Each takes what a query returned (and ``sources``, what ``store.documents()``
returned) and gives a :class:`~respgraph.viz.page.Page`; none reads the store.
"""

from __future__ import annotations

import datetime as dt
import math

import networkx as nx

from respgraph.graph.model import Role
from respgraph.graph.vocabulary import ROLE_EDGES, ROLE_ZH, ROLES
from respgraph.queries.overview import Overview
from respgraph.queries.rows import ItemRef, MilestoneRow, PairRow, Portfolio, RoleUnits, UnitItem
from respgraph.viz.block_layout import ASPECT, CELL, arrange_blocks, grid, pack
from respgraph.viz.drawing import Drawing
from respgraph.viz.page import Page
from respgraph.viz.positions import SEED
from respgraph.viz.style import FONT, KIND_TEXT, community_look, edge_look, node_look, role_edge
from respgraph.viz.template import render

__all__ = ["portfolio_page", "unit_page", "co_page", "overview_page"]

#: Above this many units the co-responsibility page opens with its communities closed.
OPEN_LIMIT = 12
#: Grid cells: items with a two-line label; units with one (names cut to 13 characters).
UNIT_CELL = (200.0, 80.0)
SHORT_CELL = (120.0, 56.0)


def portfolio_page(
    p: Portfolio,
    *,
    sources: list[dict],
    kinds: dict[str, str] | None = None,
    drawn: dt.date | None = None,
    group_by: str = "lead",
    statuses: dict[str, str] | None = None,
) -> Page:
    """The leader on top, the items they oversee in blocks by lead unit (or by
    category: ``group_by="category"``), each item's other units and sub-items
    behind a click.

    ``kinds`` (unit name → kind, ``group`` for groups, as from ``unit_kinds``)
    colours the units; without it they are all drawn alike.
    """
    if group_by not in ("lead", "category"):
        raise ValueError(f"group_by must be lead or category, not {group_by!r}")
    kinds = kinds or {}
    d = Drawing()
    leader = d.node(f"leader:{p.leader}", p.leader, node_look("Leader"), tooltip=f"{p.leader}\n分管 {len(p.items)} 项")
    blocks: dict[str, list] = {}
    for item in p.items:
        if group_by == "lead":
            key = item.units.lead[0] if item.units.lead else ""
        else:
            key = _CATEGORY_ZH.get(item.category, item.category)
        blocks.setdefault(key, []).append(item)
    order = sorted(blocks, key=lambda k: (k == "", -len(blocks[k]), k))
    headers = {}
    for key in order:
        if group_by == "lead" and key:
            n = len(blocks[key])
            headers[key] = _unit(
                d, key, kinds, tooltip=f"{key}\n{_kind_text(kinds.get(key))}\n牵头本页 {n} 项".replace("\n\n", "\n")
            )
        else:
            text = key or "未写牵头单位"
            headers[key] = d.heading(f"heading:{text}", f"{text}（{len(blocks[key])} 项）")
    for key in order:
        for item in blocks[key]:
            head = key if group_by == "lead" and key else None
            units = _all_units(item.units, item.parts)
            label = _item_label(item, long=True, more=len({n for _, n in units} - {head}), parts=len(item.parts))
            d.node(
                item.id,
                item.title,
                node_look("Item"),
                label=label,
                document=item.document,
                tooltip=_item_tip(item, item.units, item.milestones),
            )
            d.edge(leader, item.id, "OVERSEES", edge_look("OVERSEES"))
            more = _more(d, item)
            on_parts = set()
            for part in item.parts:
                _part(
                    d,
                    part,
                    item,
                    more,
                    tooltip=f"子项 {item.number}.{part.part}\n{part.title}\n"
                    f"{_units_tip(part.units)}\n{_milestones_tip(part.milestones)}".rstrip(),
                )
                for role, name in _named(part.units):
                    holder = headers[head] if name == head else _copy(d, name, kinds, item.id, more)
                    _role(d, holder, part.id, role)
                    on_parts.add((role, name))
            # An item's units include its parts'; draw on the item only those not on a part.
            for role, name in _named(item.units):
                if (role, name) not in on_parts:
                    holder = headers[head] if name == head else _copy(d, name, kinds, item.id, more)
                    _role(d, holder, item.id, role)
    # Items in rows under their lead unit: its lines fan out downwards, none through another item.
    _place_blocks(d, [(headers[k], [i.id for i in blocks[k]]) for k in order], top=leader, row=6)
    units = len({n for i in p.items for _, n in _all_units(i.units, i.parts)})
    how = "按牵头单位分组" if group_by == "lead" else "按事项类别分组"
    d.notes += [_CLICK_ITEM, "星形为分管市领导；各组上方为牵头单位（或类别），其下为该组事项"]
    return _page(
        d,
        title=f"{p.leader} 分管事项",
        subtitle=f"{len(p.items)} 项事项，{units} 个单位；{how}",
        sources=sources,
        drawn=drawn,
        statuses=statuses,
    )


def unit_page(
    unit: str,
    rows: list[UnitItem],
    *,
    sources: list[dict],
    others: dict[str, RoleUnits] | None = None,
    kinds: dict[str, str] | None = None,
    drawn: dt.date | None = None,
    statuses: dict[str, str] | None = None,
) -> Page:
    """The unit on top, its items below in blocks by its role (牵头, 实施, 协办, then
    one block per group it reaches items through), each item's other units and
    sub-items behind a click.

    ``rows`` is what ``items_of_unit`` returned for ``unit``.  ``others`` (item id →
    units by role, as ``units_of_items`` returns; sub-item ids may be keys too)
    adds the other units on those items; ``kinds`` colours units as in
    :func:`portfolio_page`.
    """
    others = others or {}
    kinds = {**(kinds or {}), **{g: "group" for r in rows for g in r.via}}
    d = Drawing()
    counts = {role: sum(role in r.roles for r in rows if not r.via) for role in ROLES}
    via_count = sum(bool(r.via) for r in rows)
    me = _unit(
        d,
        unit,
        kinds,
        size=26,
        tooltip="\n".join([unit, _kind_text(kinds.get(unit)), _counts_text(counts, via_count)]).strip(),
    )
    blocks: dict[tuple, list[UnitItem]] = {}
    for row in rows:
        roles = row.roles or sorted({r for p in row.parts for r in p.roles}, key=ROLES.index)
        key = ("via", row.via[0]) if row.via else ("role", roles[0] if roles else "assist")
        blocks.setdefault(key, []).append(row)
    order = [("role", r) for r in ROLES if ("role", r) in blocks] + sorted(k for k in blocks if k[0] == "via")
    headers = {}
    for key in order:
        if key[0] == "role":
            headers[key] = d.heading(f"heading:{key[1]}", f"{ROLE_ZH[Role(key[1])]}（{len(blocks[key])} 项）")
        else:
            headers[key] = _unit(d, key[1], kinds, tooltip=f"{key[1]}\n单位集合；{unit} 经它承担 {len(blocks[key])} 项")
            d.edge(me, headers[key], "MEMBER_OF", edge_look("MEMBER_OF"))
    for key in order:
        for row in blocks[key]:
            mine = f"{unit}：{_roles_text(row.roles)}" + (f"（经 {'、'.join(row.via)}）" if row.via else "")
            targets = [row.id, *(part.id for part in row.parts)]
            names = {n for t in targets for _, n in _named(others.get(t))} - {unit}
            d.node(
                row.id,
                row.title,
                node_look("Item"),
                label=_item_label(row, long=True, more=len(names), parts=len(row.parts)),
                document=row.document,
                tooltip=_item_tip(row, others.get(row.id), [], extra=mine),
            )
            more = _more(d, row)
            # Reached through groups: the groups hold the roles, the unit is their member.
            holders = [_unit(d, g, kinds) for g in row.via] or [me]
            for group in row.via:
                d.edge(me, _unit(d, group, kinds), "MEMBER_OF", edge_look("MEMBER_OF"))
            on_parts = set()
            for part in row.parts:
                _part(
                    d,
                    part,
                    row,
                    more,
                    tooltip=f"子项 {row.number}.{part.part}\n{part.title}\n{unit}：{_roles_text(part.roles)}",
                )
                for role in part.roles:
                    for holder in holders:
                        _role(d, holder, part.id, role, via=bool(row.via))
                on_parts |= set(part.roles)
            for role in row.roles:
                if role not in on_parts:
                    for holder in holders:
                        _role(d, holder, row.id, role, via=bool(row.via))
            for target in targets:
                for role, name in _named(others.get(target)):
                    if name != unit:
                        _role(d, _copy(d, name, kinds, row.id, more), target, role)
    _place_blocks(d, [(headers[k], [r.id for r in blocks[k]]) for k in order], top=me)
    d.notes += [_CLICK_ITEM, "顶部大圆点为本单位；各组标题为本单位在组内事项中的角色，或经由的单位集合"]
    return _page(
        d,
        title=f"{unit} 承担的事项",
        subtitle=_counts_text(counts, via_count),
        sources=sources,
        drawn=drawn,
        statuses=statuses,
    )


def co_page(
    pairs: list[PairRow],
    *,
    kinds: dict[str, str],
    sources: list[dict],
    color_by: str = "kind",
    min_shared: int | None = None,
    seed: int = SEED,
    drawn: dt.date | None = None,
) -> Page:
    """Units joined by the number of items they share (line width), in their Louvain
    communities (``seed`` fixes them), coloured by kind or by community.

    Above :data:`OPEN_LIMIT` units the page opens with each community closed
    into one box (its size the number of units), which a click opens.
    """
    if color_by not in ("kind", "community"):
        raise ValueError(f"color_by must be kind or community, not {color_by!r}")
    g = nx.Graph()
    g.add_weighted_edges_from((r.a, r.b, r.shared) for r in pairs)
    found = nx.community.louvain_communities(g, weight="weight", seed=seed) if len(g) else []
    found = sorted(found, key=lambda c: (-len(c), min(c)))
    if color_by == "kind":
        looks = {name: node_look("Unit", kinds.get(name)) for name in g}
        how = "按单位类型着色"
    else:
        looks = {name: community_look(i, len(c)) for i, c in enumerate(found) for name in c}
        how = f"按协作群体着色（Louvain，seed {seed}）"
    closed = len(g) > OPEN_LIMIT
    d = Drawing()
    strength = dict(g.degree(weight="weight"))
    blocks = []
    for i, members in enumerate(found):
        members = sorted(members, key=lambda n: (-strength[n], n))
        cluster = None
        if closed:
            head = "、".join(members[:2]) + ("等" if len(members) > 2 else "")
            cluster = d.cluster(
                f"community:{i + 1}",
                f"协作群体 {i + 1}：{len(members)} 个单位\n{_short(head, 14)}",
                tooltip=f"协作群体 {i + 1}（Louvain）：{len(members)} 个单位\n" + "、".join(members),
                size=len(members),
            )
        for name in members:
            d.node(
                f"unit:{name}",
                name,
                looks[name],
                label=_short(name, 13),
                cluster=cluster,
                size=min(6 + 1.5 * math.sqrt(strength[name]), 18),
                tooltip=f"{name}\n{_kind_text(kinds.get(name))}\n与 {g.degree(name)} 个单位共同承担事项，"
                f"共 {strength[name]} 项次".replace("\n\n", "\n"),
            )
        blocks.append((cluster, [f"unit:{n}" for n in members]))
    low = min((r.shared for r in pairs), default=1)
    high = max((r.shared for r in pairs), default=1)
    for r in pairs:
        d.edge(
            f"unit:{r.a}",
            f"unit:{r.b}",
            "CO",
            edge_look("CO"),
            tooltip=f"{r.a} — {r.b}：共同承担 {r.shared} 项",
            width=1 + 7 * (r.shared - low) / max(high - low, 1),
            weight=r.shared,
        )
    _place_clusters(d, blocks, cell=UNIT_CELL)
    _readable_at_opening(d)
    at_least = min_shared if min_shared is not None else low
    d.notes += ["圆点大小：与其他单位共同承担事项的项次（越大越多）", "线宽：两单位共同承担的事项数"]
    if closed:
        d.notes += ["方框为一个协作群体（Louvain），标出单位数：点击展开，双击其中单位收起"]
    return _page(
        d,
        title="单位协同网络",
        subtitle=f"{len(g)} 个单位，{len(pairs)} 对；每对至少共同承担 {at_least} 项；{how}",
        sources=sources,
        drawn=drawn,
        min_shared=at_least,
    )


def overview_page(
    o: Overview, *, sources: list[dict], drawn: dt.date | None = None, statuses: dict[str, str] | None = None
) -> Page:
    """Everything ``overview`` returned, aggregated: each leader with their items in
    one box, units by kind, groups and districts each in one box; a click opens a box."""
    d = Drawing()
    by_id = {n.id: n for n in o.nodes}
    overseer = {}
    for e in o.edges:
        if e.type == "OVERSEES":
            overseer.setdefault(e.target, e.source)
    parent = {e.source: e.target for e in o.edges if e.type == "PART_OF"}
    # An item whose leaders are named only on its parts (66, 79 and 实事 9 of the sample)
    # has a leader: it goes in the box of its first part's leader, never in 未写分管领导.
    for part, item in sorted(parent.items()):
        if part in overseer:
            overseer.setdefault(item, overseer[part])
    leaders = [n for n in o.nodes if n.label == "Leader"]

    def cluster_of(n) -> tuple:
        if n.label in ("Item", "SubItem"):
            item = parent.get(n.id, n.id)
            return ("items", overseer.get(n.id) or overseer.get(item) or "")
        if n.label == "Unit":
            return ("kind", n.kind or "other")
        return (n.label, "")

    members: dict[tuple, list] = {}
    for n in o.nodes:
        if n.label != "Leader":
            members.setdefault(cluster_of(n), []).append(n)
    kind_order = list(KIND_TEXT)
    order = (
        [("items", leader.id) for leader in leaders if ("items", leader.id) in members]
        + [k for k in members if k[0] == "items" and not by_id.get(k[1])]
        + sorted(
            (k for k in members if k[0] == "kind"), key=lambda k: kind_order.index(k[1]) if k[1] in kind_order else 99
        )
        + [k for k in (("UnitGroup", ""), ("District", "")) if k in members]
    )
    blocks = []
    for key in order:
        group = members[key]
        if key[0] == "items":
            items = sum(1 for n in group if n.label == "Item")
            who = f"{by_id[key[1]].name} 分管的事项" if key[1] in by_id else "未写分管领导的事项"
            text, head = f"{who}\n{items} 项", key[1] if key[1] in by_id else None
        elif key[0] == "kind":
            text, head = f"{_kind_text(key[1]) or '单位'}\n{len(group)} 个单位", None
        elif key[0] == "UnitGroup":
            text, head = f"单位集合\n{len(group)} 个", None
        else:
            text, head = f"县（市、区）\n{len(group)} 个", None
        cluster = d.cluster(
            f"cluster:{key[0]}:{key[1]}", text, size=len(group), tooltip=text.replace("\n", "：") + "\n点击展开"
        )
        ids = []
        for n in sorted(group, key=_overview_order):
            look = node_look(n.label, n.kind if n.label == "Unit" else None)
            if n.label == "Item":
                label = _item_label_of(n.kind, n.number)
                ids.append(
                    d.node(
                        n.id,
                        n.name,
                        look,
                        label=label,
                        tooltip=f"{label}\n{n.name}",
                        cluster=cluster,
                        document=n.document,
                    )
                )
            elif n.label == "SubItem":
                ids.append(
                    d.node(
                        n.id,
                        n.name,
                        look,
                        label=f"子项 {n.number}",
                        tooltip=f"子项 {n.number}\n{n.name}",
                        cluster=cluster,
                        document=n.document,
                    )
                )
            else:
                extra = _kind_text(n.kind) if n.label == "Unit" else ""
                ids.append(
                    d.node(
                        n.id,
                        n.name,
                        look,
                        label=_short(n.name, 13),
                        tooltip=f"{n.name}\n{extra}".strip(),
                        cluster=cluster,
                    )
                )
        if head:
            leader = by_id[head]
            d.node(leader.id, leader.name, node_look("Leader"), tooltip=f"{leader.name}\n分管 {text.split(chr(10))[1]}")
        blocks.append((cluster, ids, head, key[0] == "items"))
    for leader in leaders:  # a leader with nothing drawn under them
        d.node(leader.id, leader.name, node_look("Leader"), tooltip=leader.name)
    for e in o.edges:
        d.edge(e.source, e.target, e.type, edge_look(e.type))
    _place_clusters(
        d,
        [(c, ids) for c, ids, _, _ in blocks],
        cell=UNIT_CELL,
        cells={c: SHORT_CELL for c, _, _, short in blocks if short},
        heads={c: h for c, _, h, _ in blocks if h},
    )
    _readable_at_opening(d)
    filters = [f"分管领导：{o.leader}"] if o.leader else []
    filters += [f"角色：{ROLE_ZH[Role(o.role)]}"] if o.role else []
    filters += [f"单位类型：{_kind_text(o.kind)}"] if o.kind else []
    subtitle = "；".join([*(filters or ["全部"]), f"{len(o.nodes)} 个节点，{len(o.edges)} 条连线"])
    d.notes += [
        "方框为聚合节点：一位市领导分管的事项、一类单位、单位集合或县（市、区），标出个数；点击展开，双击其中节点收起"
    ]
    return _page(d, title="责任关系总图", subtitle=subtitle, sources=sources, drawn=drawn, statuses=statuses)


# -- helpers -------------------------------------------------------------------------

_CATEGORY_ZH = {"key_item": "督办事项", "livelihood": "民生实事"}
_CLICK_ITEM = "点击事项：展开（再点收起）它的其他单位和子项；标签中“另 N 个单位”为其数目"


def _page(
    d: Drawing,
    *,
    title: str,
    subtitle: str,
    sources: list[dict],
    drawn: dt.date | None,
    min_shared: int | None = None,
    statuses: dict[str, str] | None = None,
) -> Page:
    if statuses:  # issue #12: items in the colour of their latest status
        from respgraph.viz.status_style import colour_by_status

        colour_by_status(d, statuses)
    options = {
        "nodes": {
            "font": {"face": FONT, "size": 14, "color": "#222", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "borderWidth": 1,
        },
        "edges": {"smooth": False, "selectionWidth": 2},
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 120, "keyboard": False},
    }
    if len(d.nodes) > 2000:
        options["interaction"].update(hideEdgesOnDrag=True, hideEdgesOnZoom=True)
    documents = {n["document"] for n in d.nodes.values() if n.get("document")}
    filters = {
        "roles": sorted({e["type"] for e in d.edges.values() if e["type"] in ROLE_EDGES}, key=ROLE_EDGES.index),
        "documents": [[s["key"], _document_text(s)] for s in sources if s["key"] in documents]
        if len(documents) > 1
        else [],
        "minShared": min_shared,
    }
    clusters = {c.id: {"anchor": c.anchor, "members": c.members} for c in d.clusters.values()}
    html = render(
        title=title,
        subtitle=subtitle,
        sources=_sources_text(sources, drawn),
        legend=d.legend(),
        nodes=[*d.nodes.values(), *d.cluster_nodes()],
        edges=list(d.edges.values()),
        options=options,
        clusters=clusters,
        filters=filters,
    )
    return Page(html, title=title, drawing=d, subtitle=subtitle, sources=_sources_text(sources, drawn))


def _document_text(s: dict) -> str:
    return f"{s['city']} {s['year']} 年 附件 {s['attachment']}"


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _overview_order(n) -> tuple:
    number = n.number or ""
    head = number.split(".")[0]
    return (n.label != "Item" and n.label != "SubItem", int(head) if head.isdigit() else 10**9, number, n.name)


def _all_units(units: RoleUnits, parts) -> list[tuple[str, str]]:
    found = list(_named(units))
    for part in parts:
        found += [x for x in _named(part.units) if x not in found]
    return found


def _more(d: Drawing, item) -> str:
    """The cluster behind an item: its other units and sub-items, opened by a click on it."""
    return d.cluster(f"more:{item.id}", "", anchor=item.id)


def _part(d: Drawing, part, item, more: str, *, tooltip: str) -> None:
    d.node(
        part.id,
        part.title,
        node_look("SubItem"),
        label=f"子项 {item.number}.{part.part}",
        tooltip=tooltip,
        cluster=more,
        document=item.document,
    )
    d.edge(part.id, item.id, "PART_OF", edge_look("PART_OF"))


def _copy(d: Drawing, name: str, kinds: dict[str, str], item: str, more: str) -> str:
    """A unit as drawn beside one item when that item is opened."""
    kind = kinds.get(name)
    prefix = "group" if kind == "group" else "unit"
    return d.node(
        f"{prefix}:{name}@{item}",
        name,
        node_look("Unit", kind),
        label=_short(name, 13),
        cluster=more,
        tooltip=f"{name}\n{_kind_text(kind)}".strip(),
    )


def _place_blocks(d: Drawing, blocks: list[tuple[str, list[str]]], *, top: str, row: int | None = None) -> None:
    """Blocks of items under their headers, ``top`` above them all; each item's
    cluster in a column grid to its right.  A few blocks stand side by side with
    the same number of rows; many, or blocks of rows of ``row`` items, are packed
    in rows."""
    cw, ch = CELL
    head = 64 if row is None else 90
    if len(blocks) <= 6 and row is None:
        corners = arrange_blocks([len(ids) for _, ids in blocks], cell=CELL, gap=cw * 0.3)
        spans = []
        for cells in corners:
            xs = [x for x, _ in cells] or [0.0]
            spans.append((min(xs), max(xs) + cw))
        places = [[(x, y + head) for x, y in cells] for cells in corners]
        heads = [((a + b) / 2, 24) for a, b in spans]
    else:
        boxes, columns = [], []
        for _, ids in blocks:
            columns.append(max(1, min(len(ids), row or round(math.sqrt(len(ids) * ch * ASPECT / cw)))))
            boxes.append((columns[-1] * cw, head + math.ceil(len(ids) / columns[-1]) * ch))
        corners = pack(boxes, gap=cw * (0.15 if row else 0.3))
        places = [
            grid(len(ids), cols, origin=(x0, y0 + head)) for (_, ids), (x0, y0), cols in zip(blocks, corners, columns)
        ]
        heads = [(x0 + w / 2, y0 + 24) for (x0, y0), (w, _) in zip(corners, boxes)]
    for (header, ids), cells, (hx, hy) in zip(blocks, places, heads):
        _at(d, header, hx, hy)
        for item, (x, y) in zip(ids, cells):
            _at(d, item, x + cw / 2, y + 16)
    xs = [d.nodes[i]["x"] for _, ids in blocks for i in ids] or [0.0]
    _at(d, top, (min(xs) + max(xs)) / 2, -100)
    for c in d.clusters.values():
        if c.anchor:
            _place_beside(d, c)


def _place_beside(d: Drawing, c) -> None:
    """An opened item's members to its right: its sub-items in one column, the units in
    columns beyond, each column centred on the item, spaced for a label under each dot."""
    ax, ay = d.nodes[c.anchor]["x"], d.nodes[c.anchor]["y"]
    parts = [m for m in c.members if d.nodes[m]["shape"] == "square"]
    units = [m for m in c.members if m not in parts]
    x = ax + 120
    for column, step in ((parts, 38.0), (units, 48.0)):
        for start in range(0, len(column), 12):
            chunk = column[start : start + 12]
            top = ay - step * (len(chunk) - 1) / 2
            for i, member in enumerate(chunk):
                _at(d, member, x, top + i * step)
            x += 170


def _readable_at_opening(d: Drawing, *, canvas=(1100.0, 760.0), font: int = 14) -> None:
    """Cluster pages open zoomed out (the closed boxes sit where their members will):
    draw what shows at first large enough to read at that zoom."""
    shown, _ = d.opening_view()
    scale = _opening_scale(d, canvas)
    if scale > 0.9:
        return
    for n in shown:
        node = d.nodes.get(n["id"])
        if node is not None:
            node["font"] = {**node.get("font", {}), "size": round(font / scale)}
            node["size"] = round(node["size"] * min(1 / scale, 2), 1)
        else:
            c = d.clusters[n["id"]]
            c.font = round(font / scale)


def _place_clusters(d: Drawing, blocks: list[tuple[str | None, list[str]]], *, cell, cells=None, heads=None) -> None:
    """A rectangle per cluster (its members' grid, a head node above it), packed in
    rows; the closed cluster's box in the middle of its rectangle.

    The boxes are drawn large enough to read at the zoom the page opens at
    (:func:`_readable_at_opening`), so a rectangle is at least as wide as its box
    will be at that zoom: placed again, wider, until it is.
    """
    width = 320.0
    for _ in range(4):
        _place_cluster_rects(d, blocks, cell=cell, cells=cells or {}, heads=heads or {}, min_width=width)
        scale = _opening_scale(d)
        need = max(
            (_text_width(c.label) * 14 / scale + 60 for c in d.clusters.values() if c.anchor is None), default=0.0
        )
        if need <= width:
            return
        width = need


def _text_width(label: str) -> float:
    """A label's widest line in font sizes: a Chinese character 1, others about 0.6."""
    return max((sum(1.0 if ord(ch) > 0x2E80 else 0.6 for ch in line) for line in label.split("\n")), default=0.0)


def _opening_scale(d: Drawing, canvas=(1100.0, 760.0)) -> float:
    """The zoom vis-network fits the opening view at, on a canvas beside the legend."""
    shown, _ = d.opening_view()
    if len(shown) < 2:
        return 1.0
    xs, ys = [n["x"] for n in shown], [n["y"] for n in shown]
    return min(1.0, canvas[0] / (max(xs) - min(xs) + 300), canvas[1] / (max(ys) - min(ys) + 200))


def _place_cluster_rects(d: Drawing, blocks, *, cell, cells, heads, min_width: float) -> None:
    boxes, shapes = [], []
    for cluster, ids in blocks:
        cw, ch = cells.get(cluster, cell)
        columns = max(1, min(len(ids), round(math.sqrt(len(ids) * ch * ASPECT / cw))))
        rows = math.ceil(len(ids) / columns)
        top = 160 if cluster in heads else 0
        shapes.append((columns, top, (cw, ch)))
        boxes.append((max(columns * cw, min_width), top + max(rows * ch, 200)))
    for (cluster, ids), (x0, y0), (w, h), (columns, top, (cw, ch)) in zip(blocks, pack(boxes, gap=70), boxes, shapes):
        if cluster in heads:
            _at(d, heads[cluster], x0 + w / 2, y0 + 10)
        left = x0 + (w - min(len(ids), columns) * cw) / 2
        for node, (x, y) in zip(ids, grid(len(ids), columns, cell=(cw, ch), origin=(left, y0 + top))):
            _at(d, node, x + cw / 2, y + 16)
        if cluster:
            c = d.clusters[cluster]
            c.x, c.y = round(x0 + w / 2, 1), round(y0 + top + (h - top) / 2, 1)


def _at(d: Drawing, id: str, x: float, y: float) -> None:
    d.nodes[id]["x"], d.nodes[id]["y"] = round(float(x), 1), round(float(y), 1)


def _sources_text(sources: list[dict], drawn: dt.date | None) -> str:
    docs = "；".join(f"{s['city']} {s['year']} 年 附件 {s['attachment']}：{s['title']}" for s in sources)
    return f"数据来源：{docs or '（未注明）'}。绘制于 {(drawn or dt.date.today()).isoformat()}。"


def _named(units: RoleUnits | None):
    """(role, name) for every name in ``units``, leads first."""
    for role in ROLES:
        for name in getattr(units, role, None) or []:
            yield role, name


def _role(d: Drawing, source: str, target: str, role: str, *, via: bool = False) -> None:
    d.edge(source, target, role_edge(role), edge_look(role_edge(role), via=via), via=via)


def _unit(
    d: Drawing, name: str, kinds: dict[str, str], *, size: float | None = None, tooltip: str | None = None
) -> str:
    kind = kinds.get(name)
    prefix = "group" if kind == "group" else "unit"
    return d.node(
        f"{prefix}:{name}",
        name,
        node_look("Unit", kind),
        size=size,
        tooltip=tooltip or f"{name}\n{_kind_text(kind)}".strip(),
    )


def _kind_text(kind: str | None) -> str:
    return "单位集合" if kind == "group" else KIND_TEXT.get(kind or "", "")


def _roles_text(roles: list[str]) -> str:
    return "、".join(ROLE_ZH[Role(r)] for r in roles)


def _counts_text(counts: dict[str, int], via: int) -> str:
    named = "，".join(f"{ROLE_ZH[Role(r)]} {counts[r]} 项" for r in ROLES)
    return f"{named}；经单位集合 {via} 项"


def _item_label_of(category: str | None, number: str | None) -> str:
    return f"{'实事' if category == 'livelihood' else '事项'} {number}"


def _item_label(item: ItemRef, *, long: bool = False, more: int = 0, parts: int = 0) -> str:
    label = _item_label_of(item.category, item.number)
    if not long:
        return label
    if parts:
        extra = f" · {parts} 子项" + (f" · 另 {more} 单位" if more else "")
    else:
        extra = f" · 另 {more} 个单位" if more else ""
    return f"{label}{extra}\n{_short(item.title, 12)}"


def _item_tip(item: ItemRef, units: RoleUnits | None, milestones: list[MilestoneRow], *, extra: str = "") -> str:
    lines = [
        f"{_item_label(item)}（附件 {item.attachment}）",
        item.title,
        f"完成时限：{item.deadline.isoformat() if item.deadline else '未注明'}",
    ]
    lines += [extra] if extra else []
    lines += [_units_tip(units)] if units else []
    lines += [_milestones_tip(milestones)] if milestones else []
    return "\n".join(line for line in lines if line)


def _units_tip(units: RoleUnits) -> str:
    return "\n".join(f"{ROLE_ZH[Role(r)]}：{'、'.join(getattr(units, r))}" for r in ROLES if getattr(units, r))


def _milestones_tip(milestones: list[MilestoneRow]) -> str:
    lines = []
    for m in milestones:
        part = f"[子项 {m.part}] " if m.part else ""
        section = f"{m.section} " if m.section else ""
        lines.append(f"{part}{m.period or '（未标季度）'}：{section}{m.text}")
    return "\n".join(lines)
