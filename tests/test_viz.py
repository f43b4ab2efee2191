"""The overview query and the pages, read as files (no browser: see test_viz_browser.py)."""

from __future__ import annotations

import datetime as dt
import html
import json
import re

import networkx as nx
import pytest

from respgraph.graph.errors import UnknownName
from respgraph.graph.sqlite_store import SqliteStore
from respgraph.queries.co import co_pairs
from respgraph.queries.items import items_of_unit
from respgraph.queries.overview import overview, unit_kinds
from respgraph.queries.portfolio import portfolio, units_of_items
from respgraph.queries.rows import PartRef, RoleUnits, UnitItem
from respgraph.viz.network_pages import co_page, overview_page, portfolio_page, unit_page
from respgraph.viz.positions import pivot_mds_layout, positions

HOSTILE = "<script>alert(1)</script>"
ROLE_TYPES = {"lead": "LEADS", "implement": "IMPLEMENTS", "assist": "ASSISTS"}


def page_data(page) -> dict:
    """The nodes, edges and options a page hands to vis-network."""
    m = re.search(r'<script id="rg-data" type="application/json">(.*?)</script>', page.html, re.S)
    assert m, "the page hands vis-network no data"
    return json.loads(m.group(1))


# -- the overview query ----------------------------------------------------------------


def test_overview_is_the_whole_graph_without_milestones_and_documents(memory_store):
    nodes, rels = memory_store.counts()
    o = overview(memory_store)
    assert len(o.nodes) == sum(v for k, v in nodes.items() if k not in ("Milestone", "Document"))
    assert len(o.edges) == sum(v for k, v in rels.items() if k not in ("HAS_MILESTONE", "FROM"))
    assert len({n.id for n in o.nodes}) == len(o.nodes)


def test_overview_of_a_leader_is_their_portfolio(memory_store):
    p = portfolio(memory_store, "陈峻华")
    o = overview(memory_store, leader="陈峻华")
    by_label = lambda label: {n.id for n in o.nodes if n.label == label}  # noqa: E731
    assert by_label("Leader") == {"leader:湛江市/陈峻华"}
    assert by_label("Item") == {i.id for i in p.items}
    assert by_label("SubItem") == {part.id for i in p.items for part in i.parts}
    named = {name for i in p.items for role in ROLE_TYPES for name in getattr(i.units, role)}
    assert {n.name for n in o.nodes if n.label in ("Unit", "UnitGroup")} >= named
    assert {e.source for e in o.edges if e.type == "OVERSEES"} == {"leader:湛江市/陈峻华"}


def test_overview_filters_by_role_and_kind(memory_store):
    o = overview(memory_store, role="lead")
    assert {e.type for e in o.edges} <= {"OVERSEES", "PART_OF", "LEADS", "MEMBER_OF", "GOVERNS"}
    led = {e.target for e in o.edges if e.type == "LEADS"}
    parents = {e.target for e in o.edges if e.type == "PART_OF" and e.source in led}
    assert {n.id for n in o.nodes if n.label in ("Item", "SubItem")} == led | parents

    o = overview(memory_store, kind="enterprise")
    assert {n.kind for n in o.nodes if n.label == "Unit"} == {"enterprise"}
    assert not [n for n in o.nodes if n.label == "UnitGroup"]
    o = overview(memory_store, kind="group")
    assert {n.label for n in o.nodes} <= {"Leader", "Item", "SubItem", "UnitGroup"}


def test_overview_rejects_what_it_does_not_know(memory_store):
    with pytest.raises(ValueError, match="role must be one of"):
        overview(memory_store, role="owner")
    with pytest.raises(ValueError, match="'bureau'"):
        overview(memory_store, kind="bureau")
    with pytest.raises(UnknownName):
        overview(memory_store, leader="无名氏")


def test_unit_kinds_name_every_unit_and_group(memory_store):
    kinds = unit_kinds(memory_store)
    assert kinds["市自然资源局"] == "city_department"
    assert kinds["各县（市、区）政府（管委会）"] == "group"
    assert {name for r in co_pairs(memory_store) for name in (r.a, r.b)} <= set(kinds)


# -- the pages -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pages(memory_store):
    sources, kinds = memory_store.documents(), unit_kinds(memory_store)
    rows = items_of_unit(memory_store, "市自然资源局")
    ids = [r.id for r in rows]
    return {
        "portfolio": portfolio_page(portfolio(memory_store, "陈峻华"), sources=sources, kinds=kinds),
        "unit": unit_page("市自然资源局", rows, sources=sources, others=units_of_items(memory_store, ids), kinds=kinds),
        "co": co_page(co_pairs(memory_store, min_shared=2), kinds=kinds, sources=sources),
        "graph": overview_page(overview(memory_store, leader="陈峻华"), sources=sources),
    }


@pytest.mark.parametrize("name", ["portfolio", "unit", "co", "graph"])
def test_a_page_fetches_nothing(pages, name):
    text = pages[name].html
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", text, re.IGNORECASE)
    assert not re.search(r"<link\b|@import|<script[^>]*\bsrc=", text, re.IGNORECASE)
    assert "vis.Network" in text and 'id="rg-legend"' in text and 'id="rg-search"' in text
    assert text.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in text


@pytest.mark.parametrize("name", ["portfolio", "unit", "co", "graph"])
def test_a_page_names_its_sources_and_lays_itself_out(pages, name):
    text = pages[name].html
    assert "湛江市 2023 年 附件 1：2023 年市《政府工作报告》重点督办事项分解表" in text
    assert f"绘制于 {dt.date.today().isoformat()}" in text
    data = page_data(pages[name])
    assert data["options"]["physics"] == {"enabled": False}
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])


def expected_unit_page(unit: str, rows: list[UnitItem], others: dict[str, RoleUnits]) -> tuple[set, set]:
    """Node names and (source, target, type) edges a unit page should draw, from the rows alone."""
    names = {unit} | {g for r in rows for g in r.via}
    ids = {r.id for r in rows} | {p.id for r in rows for p in r.parts}
    edges = set()
    for r in rows:
        holders = r.via or [unit]
        edges |= {(unit, g, "MEMBER_OF") for g in r.via}
        on_parts = set()
        for p in r.parts:
            edges.add((p.id, r.id, "PART_OF"))
            edges |= {(h, p.id, ROLE_TYPES[role]) for role in p.roles for h in holders}
            on_parts |= set(p.roles)
        edges |= {(h, r.id, ROLE_TYPES[role]) for role in r.roles if role not in on_parts for h in holders}
        for target in [r.id, *(p.id for p in r.parts)]:
            ru = others.get(target, RoleUnits())
            for role, type_ in ROLE_TYPES.items():
                for name in getattr(ru, role):
                    if name != unit:
                        names.add(name)
                        edges.add((name, target, type_))
    return names | ids, edges


def drawn(page) -> tuple[set, set]:
    """The same, read from the page: units by name, items by id."""
    data = page_data(page)
    nodes = [n for n in data["nodes"] if not n.get("heading") and not n.get("isCluster")]
    name_of = {n["id"]: (n["name"] if n["id"].startswith(("unit:", "group:")) else n["id"]) for n in nodes}
    edges = {(name_of[e["from"]], name_of[e["to"]], e["type"]) for e in data["edges"]}
    return set(name_of.values()), edges


@pytest.mark.parametrize("unit", ["市自然资源局", "遂溪县政府", "市卫生健康局"])
def test_unit_page_draws_roles_parts_groups_and_other_units(memory_store, unit):
    rows = items_of_unit(memory_store, unit)
    others = units_of_items(memory_store, [r.id for r in rows])
    page = unit_page(unit, rows, sources=memory_store.documents(), others=others, kinds=unit_kinds(memory_store))
    assert drawn(page) == expected_unit_page(unit, rows, others)


def test_unit_page_draws_roles_through_groups_apart(memory_store):
    rows = items_of_unit(memory_store, "遂溪县政府")
    assert any(r.via for r in rows)
    page = unit_page("遂溪县政府", rows, sources=[])
    data = page_data(page)
    from_group = [e for e in data["edges"] if e["from"].startswith("group:")]
    direct = [e for e in data["edges"] if e["from"] == "unit:遂溪县政府" and e["type"] != "MEMBER_OF"]
    assert from_group and direct
    assert all(e["via"] and e["dashes"] for e in from_group)  # a role through a group: dashed, in the group's colour
    assert not any(e.get("via") for e in direct)
    assert {e["color"]["color"] for e in from_group}.isdisjoint({e["color"]["color"] for e in direct})
    assert "实施（虚线），经单位集合" in page.html


def test_roles_differ_by_line_style_as_well_as_colour(pages):
    data = page_data(pages["unit"])
    style = {e["type"]: (tuple(e.get("dashes") or ()), e["color"]["color"]) for e in data["edges"]}
    assert len({style[t][0] for t in ("LEADS", "IMPLEMENTS", "ASSISTS")}) == 3
    assert len({style[t][1] for t in ("LEADS", "IMPLEMENTS", "ASSISTS")}) == 3
    portfolio = {e["type"]: e for e in page_data(pages["portfolio"])["edges"]}
    assert portfolio["OVERSEES"].get("dashes") != portfolio["IMPLEMENTS"].get("dashes")


def test_legend_says_what_colour_shape_line_and_size_mean(pages):
    for name in ("unit", "co", "graph"):
        text = pages[name].html
        assert all(h in text for h in ("形状与颜色：节点", "线型与颜色：关系", "大小与操作")), name
    assert "圆点大小：与其他单位共同承担事项的项次" in pages["co"].html


def test_unit_page_opens_with_items_by_role_and_other_units_behind_a_click(memory_store):
    """市自然资源局: 39 items, one node each, in blocks by role; the other units wait
    behind a click on their item, counted in its label."""
    rows = items_of_unit(memory_store, "市自然资源局")
    others = units_of_items(memory_store, [r.id for r in rows])
    page = unit_page("市自然资源局", rows, sources=[], others=others)
    nodes, edges = page.drawing.opening_view()
    shown = {n["id"] for n in nodes}
    assert len(rows) == 39
    assert shown >= {r.id for r in rows} and "unit:市自然资源局" in shown
    headings = {n["label"] for n in nodes if n.get("heading")}
    assert headings == {
        f"{t}（{sum(r.roles[0] == role for r in rows)} 项）"
        for role, t in (("lead", "牵头"), ("implement", "实施"), ("assist", "协办"))
        if any(r.roles[0] == role for r in rows)
    }
    assert len(shown) == 39 + 1 + len(headings)  # no other unit is drawn at first
    key = next(r.id for r in rows if (r.attachment, r.number) == (1, "74"))
    item = next(n for n in nodes if n["id"] == key)
    extra = {n for role in ROLE_TYPES for n in getattr(others[key], role)} - {"市自然资源局"}
    assert item["label"].startswith(f"事项 74 · 另 {len(extra)} 个单位\n")
    # Without the nodes hidden in the clusters no edge is lost: each reaches an item or the unit.
    assert all(e["from"] in shown and e["to"] in shown for e in edges)


def test_portfolio_page_tooltips_carry_deadline_and_milestones(pages):
    item = next(n for n in page_data(pages["portfolio"])["nodes"] if n["id"].endswith("/2023/1-b6a81b/74"))
    assert item["title"].splitlines()[:3] == [
        "事项 74（附件 1）",
        "盘活批而未供土地 8000亩以上",
        "完成时限：2023-12-31",
    ]
    assert "第一季度：完成批而未供土地1000亩。" in item["title"]
    assert "牵头：市自然资源局" in item["title"]


def test_co_page_colours_communities_the_same_every_time(memory_store):
    pairs, kinds = co_pairs(memory_store, min_shared=2), unit_kinds(memory_store)
    first = co_page(pairs, kinds=kinds, sources=[], color_by="community", drawn=dt.date(2024, 1, 1))
    again = co_page(pairs, kinds=kinds, sources=[], color_by="community", drawn=dt.date(2024, 1, 1))
    assert first.html == again.html and "协作群体 1（" in first.html
    data = page_data(first)
    assert len(data["edges"]) == len(pairs)
    units = [n for n in data["nodes"] if not n.get("isCluster")]
    assert len(units) == len({n for r in pairs for n in (r.a, r.b)}) == 57
    # 57 units open as their communities: one box each, as big as it has members.
    boxes = [n for n in data["nodes"] if n.get("isCluster")]
    assert sum(b["members"] for b in boxes) == 57 and len(boxes) == len(data["clusters"]) >= 2
    assert all(u["cluster"] in data["clusters"] for u in units)
    with pytest.raises(ValueError, match="color_by"):
        co_page(pairs, kinds=kinds, sources=[], color_by="size")


def hostile_store() -> SqliteStore:
    """A tiny graph whose unit, item title and document title try to run a script."""
    s = SqliteStore()
    s.add_plain(
        [
            {"key": "doc:x/2023/1", "label": "Document", "city": "x", "year": 2023, "attachment": 1, "title": HOSTILE},
            {
                "key": "item:x/2023/1/1",
                "label": "Item",
                "document": "doc:x/2023/1",
                "attachment": 1,
                "number": "1",
                "title": HOSTILE,
                "category": "key_item",
                "deadline": "2023-12-31",
            },
            {"key": "leader:x/王", "label": "Leader", "name": "王"},
            {"key": f"unit:x/{HOSTILE}", "label": "Unit", "name": HOSTILE, "kind": "other"},
            {"key": "unit:x/市自然资源局", "label": "Unit", "name": "市自然资源局", "kind": "city_department"},
        ],
        [
            {"type": "FROM", "start": "item:x/2023/1/1", "end": "doc:x/2023/1"},
            {"type": "OVERSEES", "start": "leader:x/王", "end": "item:x/2023/1/1"},
            {"type": "LEADS", "start": f"unit:x/{HOSTILE}", "end": "item:x/2023/1/1"},
            {"type": "ASSISTS", "start": "unit:x/市自然资源局", "end": "item:x/2023/1/1"},
        ],
    )
    return s


def hostile_pages() -> dict:
    s = hostile_store()
    sources = s.documents()
    row = UnitItem(
        id="item:x/2023/1/1",
        document="doc:x/2023/1",
        city="x",
        attachment=1,
        number="1",
        title=HOSTILE,
        category="key_item",
        deadline=dt.date(2023, 12, 31),
        roles=["lead"],
        parts=[PartRef(id="item:x/2023/1/1.1", part=1, title=HOSTILE, roles=["lead"])],
        via=[HOSTILE + "组"],
    )
    return {
        "portfolio": portfolio_page(portfolio(s, "王"), sources=sources, kinds=unit_kinds(s)),
        "unit": unit_page(HOSTILE, [row], sources=sources, others=units_of_items(s, ["item:x/2023/1/1"])),
        "co": co_page(co_pairs(s), kinds=unit_kinds(s), sources=sources),
        "graph": overview_page(overview(s), sources=sources),
    }


@pytest.mark.parametrize("name", ["portfolio", "unit", "co", "graph"])
def test_hostile_names_stay_text(name):
    page = hostile_pages()[name]
    assert HOSTILE not in page.html
    assert "alert(1)" not in page.html.replace("&lt;script&gt;alert(1)&lt;/script&gt;", "").replace(
        "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e", ""
    )
    assert HOSTILE in json.dumps(page_data(page), ensure_ascii=False)


def test_page_saves_and_shows_in_notebooks(pages, tmp_path):
    page = pages["portfolio"]
    path = page.save(tmp_path / "p.html")
    assert path.read_text("utf-8") == page.html
    frame = page._repr_html_()
    srcdoc = re.search(r'srcdoc="([^"]*)"', frame).group(1)
    assert html.unescape(srcdoc) == page.html
    assert 'sandbox="allow-scripts"' in frame


def test_big_graphs_are_laid_out_quickly_and_spread():
    g = nx.gnm_random_graph(3000, 6000, seed=1)
    pos = positions(g)
    assert pos.keys() == set(g) and max(abs(v) for p in pos.values() for v in p) <= 1
    assert len({(round(x, 3), round(y, 3)) for x, y in pos.values()}) > 0.99 * len(g)
    assert pivot_mds_layout(nx.empty_graph(3)).keys() == {0, 1, 2}


def test_portfolio_groups_by_lead_unit_or_by_category(memory_store):
    p = portfolio(memory_store, "何嘉旻")
    by_category = page_data(portfolio_page(p, sources=[], group_by="category"))
    headings = {n["label"] for n in by_category["nodes"] if n.get("heading")}
    assert headings == {"督办事项（15 项）", "民生实事（6 项）"}  # 21 items: `respgraph portfolio 何嘉旻`
    by_lead = portfolio_page(p, sources=[])
    leads = {i.units.lead[0] for i in p.items if i.units.lead}
    heads = {n["name"] for n in by_lead.drawing.opening_view()[0] if n["id"].startswith("unit:")}
    assert heads == leads  # each lead unit drawn once, over its items; no other unit at first
    with pytest.raises(ValueError, match="group_by"):
        portfolio_page(p, sources=[], group_by="deadline")


def test_pages_with_items_of_two_documents_offer_a_document_filter(memory_store):
    docs = {d["key"] for d in memory_store.documents()}
    for page in (
        overview_page(overview(memory_store), sources=memory_store.documents()),
        portfolio_page(portfolio(memory_store, "何嘉旻"), sources=memory_store.documents()),
    ):
        offered = page_data(page)["filters"]["documents"]
        assert {key for key, _ in offered} == docs and [t for _, t in offered] == [
            "湛江市 2023 年 附件 1",
            "湛江市 2023 年 附件 2",
        ]
