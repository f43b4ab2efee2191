"""The four pictures: a leader's portfolio, a unit's items, the co-responsibility network, the whole graph.

Each takes what a query returned (and ``sources``, what ``store.documents()``
returned) and gives a :class:`~respgraph.viz.page.Page`; none reads the store.
"""

from __future__ import annotations

import datetime as dt
import math

import networkx as nx

from respgraph.graph.model import ROLE_ZH, Role
from respgraph.queries.lookup import ROLE_ORDER as ROLES
from respgraph.queries.overview import Overview
from respgraph.queries.rows import ItemRef, MilestoneRow, PairRow, Portfolio, RoleUnits, UnitItem
from respgraph.viz.drawing import Drawing
from respgraph.viz.layout import SEED, place
from respgraph.viz.page import Page
from respgraph.viz.style import FONT, KIND_TEXT, community_look, edge_look, node_look, role_edge
from respgraph.viz.template import render

__all__ = ["portfolio_page", "unit_page", "co_page", "overview_page"]

def portfolio_page(p: Portfolio, *, sources: list[dict], kinds: dict[str, str] | None = None,
                   drawn: dt.date | None = None, statuses: dict[str, str] | None = None) -> Page:
    """The leader, the items (and sub-items) they oversee, and the units on them by role.

    ``kinds`` (unit name → kind, ``group`` for groups, as from ``unit_kinds``)
    colours the units; without it they are all drawn alike.
    """
    kinds = kinds or {}
    d = Drawing()
    leader = d.node(f"leader:{p.leader}", p.leader, node_look("Leader"), tooltip=f"{p.leader}\n分管 {len(p.items)} 项")
    for item in p.items:
        d.node(item.id, item.title, node_look("Item"), label=_item_label(item, long=True),
               tooltip=_item_tip(item, item.units, item.milestones))
        d.edge(leader, item.id, "OVERSEES", edge_look("OVERSEES"))
        on_parts = set()
        for part in item.parts:
            d.node(part.id, part.title, node_look("SubItem"), label=f"子项 {item.number}.{part.part}",
                   tooltip=f"子项 {item.number}.{part.part}\n{part.title}\n{_units_tip(part.units)}"
                           f"\n{_milestones_tip(part.milestones)}".rstrip())
            d.edge(part.id, item.id, "PART_OF", edge_look("PART_OF"))
            for role, name in _named(part.units):
                _role(d, _unit(d, name, kinds), part.id, role)
                on_parts.add((role, name))
        # An item's units include its parts'; draw on the item only those not on a part.
        for role, name in _named(item.units):
            if (role, name) not in on_parts:
                _role(d, _unit(d, name, kinds), item.id, role)
    units = sum(1 for n in d.nodes if n.startswith(("unit:", "group:")))
    return _page(d, title=f"{p.leader} 分管事项", subtitle=f"{len(p.items)} 项事项，{units} 个单位", sources=sources,
                 drawn=drawn, statuses=statuses)


def unit_page(unit: str, rows: list[UnitItem], *, sources: list[dict], others: dict[str, RoleUnits] | None = None,
              kinds: dict[str, str] | None = None, drawn: dt.date | None = None,
              statuses: dict[str, str] | None = None) -> Page:
    """The unit, its items by role, and the groups it reaches items through (dashed).

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
    me = _unit(d, unit, kinds, size=26,
               tooltip="\n".join([unit, _kind_text(kinds.get(unit)), _counts_text(counts, via_count)]).strip())
    for row in rows:
        mine = f"{unit}：{_roles_text(row.roles)}" + (f"（经 {'、'.join(row.via)}）" if row.via else "")
        d.node(row.id, row.title, node_look("Item"), label=_item_label(row, long=True),
               tooltip=_item_tip(row, others.get(row.id), [], extra=mine))
        # Reached through groups: the groups hold the roles (dashed), the unit is their member.
        holders = [_unit(d, g, kinds) for g in row.via] or [me]
        for group in row.via:
            d.edge(me, _unit(d, group, kinds), "MEMBER_OF", edge_look("MEMBER_OF"))
        on_parts = set()
        for part in row.parts:
            d.node(part.id, part.title, node_look("SubItem"), label=f"子项 {row.number}.{part.part}",
                   tooltip=f"子项 {row.number}.{part.part}\n{part.title}\n{unit}：{_roles_text(part.roles)}")
            d.edge(part.id, row.id, "PART_OF", edge_look("PART_OF"))
            for role in part.roles:
                for holder in holders:
                    _role(d, holder, part.id, role, via=bool(row.via))
            on_parts |= set(part.roles)
        for role in row.roles:
            if role not in on_parts:
                for holder in holders:
                    _role(d, holder, row.id, role, via=bool(row.via))
        for target in [row.id, *(part.id for part in row.parts)]:
            for role, name in _named(others.get(target)):
                if name != unit:
                    _role(d, _unit(d, name, kinds), target, role)
    return _page(d, title=f"{unit} 承担的事项", subtitle=_counts_text(counts, via_count), sources=sources, drawn=drawn,
                 statuses=statuses)


def co_page(pairs: list[PairRow], *, kinds: dict[str, str], sources: list[dict], color_by: str = "kind",
            min_shared: int | None = None, seed: int = SEED, drawn: dt.date | None = None) -> Page:
    """Units joined by the number of items they share (line width), coloured by kind or community.

    ``color_by="community"`` colours the Louvain communities of the weighted
    network (``seed`` fixes them), largest first.
    """
    if color_by not in ("kind", "community"):
        raise ValueError(f"color_by must be kind or community, not {color_by!r}")
    g = nx.Graph()
    g.add_weighted_edges_from((r.a, r.b, r.shared) for r in pairs)
    if color_by == "kind":
        looks = {name: node_look("Unit", kinds.get(name)) for name in g}
        how = "按单位类型着色"
    else:
        found = nx.community.louvain_communities(g, weight="weight", seed=seed)
        found = sorted(found, key=lambda c: (-len(c), min(c)))
        looks = {name: community_look(i, len(c)) for i, c in enumerate(found) for name in c}
        how = f"按社区着色（Louvain，seed {seed}）"
    d = Drawing()
    strength = dict(g.degree(weight="weight"))
    for name in sorted(g, key=lambda n: (-strength[n], n)):
        d.node(f"unit:{name}", name, looks[name], size=8 + 2 * math.sqrt(strength[name]),
               tooltip=f"{name}\n{_kind_text(kinds.get(name))}\n与 {g.degree(name)} 个单位共同承担事项，"
                       f"共 {strength[name]} 项次".replace("\n\n", "\n"))
    low = min((r.shared for r in pairs), default=1)
    high = max((r.shared for r in pairs), default=1)
    for r in pairs:
        d.edge(f"unit:{r.a}", f"unit:{r.b}", "CO", edge_look("CO"), tooltip=f"{r.a} — {r.b}：共同承担 {r.shared} 项",
               width=1 + 7 * (r.shared - low) / max(high - low, 1))
    at_least = min_shared if min_shared is not None else low
    return _page(d, title="单位协同网络",
                 subtitle=f"{len(g)} 个单位，{len(pairs)} 对；每对至少共同承担 {at_least} 项；线越粗共同承担越多；{how}",
                 sources=sources, drawn=drawn, seed=seed)


def overview_page(o: Overview, *, sources: list[dict], drawn: dt.date | None = None,
                  statuses: dict[str, str] | None = None) -> Page:
    """Everything ``overview`` returned: leaders, items, sub-items, units, groups, districts."""
    d = Drawing()
    for n in o.nodes:
        look = node_look(n.label, n.kind if n.label == "Unit" else None)
        if n.label == "Item":
            label = _item_label_of(n.kind, n.number)
            d.node(n.id, n.name, look, label=label, tooltip=f"{label}\n{n.name}")
        elif n.label == "SubItem":
            d.node(n.id, n.name, look, label=f"子项 {n.number}", tooltip=f"子项 {n.number}\n{n.name}")
        else:
            extra = _kind_text(n.kind) if n.label == "Unit" else ""
            d.node(n.id, n.name, look, tooltip=f"{n.name}\n{extra}".strip())
    for e in o.edges:
        d.edge(e.source, e.target, e.type, edge_look(e.type))
    filters = [f"分管领导：{o.leader}"] if o.leader else []
    filters += [f"角色：{ROLE_ZH[Role(o.role)]}"] if o.role else []
    filters += [f"单位类型：{_kind_text(o.kind)}"] if o.kind else []
    subtitle = "；".join([*(filters or ["全部"]), f"{len(o.nodes)} 个节点，{len(o.edges)} 条连线"])
    return _page(d, title="责任关系总图", subtitle=subtitle, sources=sources, drawn=drawn, statuses=statuses)


# -- helpers -------------------------------------------------------------------------

def _page(d: Drawing, *, title: str, subtitle: str, sources: list[dict], drawn: dt.date | None,
          seed: int = SEED, statuses: dict[str, str] | None = None) -> Page:
    if statuses:  # issue #12: items in the colour of their latest status
        from respgraph.viz.status_style import colour_by_status

        colour_by_status(d, statuses)
    layout = place(d, seed=seed)
    options = {
        "nodes": {"font": {"face": FONT, "size": 14, "color": "#222", "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "borderWidth": 1},
        "edges": {"smooth": False, "selectionWidth": 2},
        **layout,
        "interaction": {"hover": True, "tooltipDelay": 120, "keyboard": False, **layout.get("interaction", {})},
    }
    html = render(title=title, subtitle=subtitle, sources=_sources_text(sources, drawn), legend=d.legend(),
                  nodes=list(d.nodes.values()), edges=list(d.edges.values()), options=options)
    return Page(html, title=title)


def _sources_text(sources: list[dict], drawn: dt.date | None) -> str:
    docs = "；".join(f"{s['city']} {s['year']} 年 附件 {s['attachment']}：{s['title']}" for s in sources)
    return f"数据来源：{docs or '（未注明）'}。绘制于 {(drawn or dt.date.today()).isoformat()}。"


def _named(units: RoleUnits | None):
    """(role, name) for every name in ``units``, leads first."""
    for role in ROLES:
        for name in getattr(units, role, None) or []:
            yield role, name


def _role(d: Drawing, source: str, target: str, role: str, *, via: bool = False) -> None:
    d.edge(source, target, role_edge(role), edge_look(role_edge(role), via=via))


def _unit(d: Drawing, name: str, kinds: dict[str, str], *, size: float | None = None,
          tooltip: str | None = None) -> str:
    kind = kinds.get(name)
    prefix = "group" if kind == "group" else "unit"
    return d.node(f"{prefix}:{name}", name, node_look("Unit", kind), size=size,
                  tooltip=tooltip or f"{name}\n{_kind_text(kind)}".strip())


def _kind_text(kind: str | None) -> str:
    return "单位集合" if kind == "group" else KIND_TEXT.get(kind or "", "")


def _roles_text(roles: list[str]) -> str:
    return "、".join(ROLE_ZH[Role(r)] for r in roles)


def _counts_text(counts: dict[str, int], via: int) -> str:
    named = "，".join(f"{ROLE_ZH[Role(r)]} {counts[r]} 项" for r in ROLES)
    return f"{named}；经单位集合 {via} 项"


def _item_label_of(category: str | None, number: str | None) -> str:
    return f"{'实事' if category == 'livelihood' else '事项'} {number}"


def _item_label(item: ItemRef, *, long: bool = False) -> str:
    label = _item_label_of(item.category, item.number)
    if not long:
        return label
    short = item.title if len(item.title) <= 12 else item.title[:11] + "…"
    return f"{label}\n{short}"


def _item_tip(item: ItemRef, units: RoleUnits | None, milestones: list[MilestoneRow], *, extra: str = "") -> str:
    lines = [f"{_item_label(item)}（附件 {item.attachment}）", item.title,
             f"完成时限：{item.deadline.isoformat() if item.deadline else '未注明'}"]
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
