"""The pages in a real browser: Debian's chromium, driven by Playwright, with the network cut.

Counts are taken from the query rows here, not from the page code.  Without
/usr/bin/chromium these tests skip, except under CI, where they fail.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from respgraph.queries.co import co_pairs
from respgraph.queries.items import items_of_unit
from respgraph.queries.overview import Overview, OverviewEdge, OverviewNode, overview, unit_kinds
from respgraph.queries.portfolio import portfolio, units_of_items
from respgraph.queries.rows import UnitItem
from respgraph.viz.network_pages import co_page, overview_page, portfolio_page, unit_page

pytestmark = pytest.mark.browser

HOSTILE = "<script>alert(1)</script>"
ROLES = ("lead", "implement", "assist")


class Opened:
    """A page opened from a file, with every request, console error and dialog it caused."""

    def __init__(self, browser, path: Path, *, timeout: float = 30_000):
        self.requests, self.errors, self.dialogs = [], [], []
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.route("**/*", self._route)
        self.page.goto(path.as_uri())
        self.page.wait_for_function("window.respgraph && window.respgraph.still", timeout=timeout)

    def _route(self, route):
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            self.requests.append(url)
            route.abort()

    def js(self, expression: str):
        return self.page.evaluate(expression)

    def close(self):
        self.page.close()


def portfolio_counts(p) -> tuple[int, int]:
    """Leader, items, parts and distinct unit names; oversees, part-of and role edges."""
    names, edges = set(), set()
    for item in p.items:
        on_parts = set()
        for part in item.parts:
            for role in ROLES:
                for name in getattr(part.units, role):
                    names.add(name)
                    edges.add((name, role, part.id))
                    on_parts.add((name, role))
        for role in ROLES:
            for name in getattr(item.units, role):
                names.add(name)
                if (name, role) not in on_parts:
                    edges.add((name, role, item.id))
    parts = sum(len(i.parts) for i in p.items)
    return 1 + len(p.items) + parts + len(names), len(p.items) + parts + len(edges)


def unit_counts(unit: str, rows: list[UnitItem], others) -> tuple[int, int]:
    """For a unit named directly on items without parts (市自然资源局 in the sample)."""
    assert not any(r.via or r.parts for r in rows)
    names = {unit}
    edges = sum(len(r.roles) for r in rows)
    for r in rows:
        for role in ROLES:
            for name in getattr(others[r.id], role):
                if name != unit:
                    names.add(name)
                    edges += 1
    return len(names) + len(rows), edges


@pytest.fixture(scope="module")
def sample_pages(memory_store, tmp_path_factory):
    """Each page of the sample, saved, with the counts its query rows give and the page itself."""
    folder = tmp_path_factory.mktemp("pages")
    sources, kinds = memory_store.documents(), unit_kinds(memory_store)
    p = portfolio(memory_store, "陈峻华")
    rows = items_of_unit(memory_store, "市自然资源局")
    others = units_of_items(memory_store, [r.id for r in rows])
    pairs = co_pairs(memory_store, min_shared=2)
    o = overview(memory_store)
    made = {
        "portfolio": (portfolio_page(p, sources=sources, kinds=kinds), portfolio_counts(p)),
        "unit": (
            unit_page("市自然资源局", rows, sources=sources, others=others, kinds=kinds),
            unit_counts("市自然资源局", rows, others),
        ),
        "co": (
            co_page(pairs, kinds=kinds, sources=sources, min_shared=2),
            (len({n for r in pairs for n in (r.a, r.b)}), len(pairs)),
        ),
        "graph": (overview_page(o, sources=sources), (len(o.nodes), len(o.edges))),
    }
    return {name: (page.save(folder / f"{name}.html"), counts, page) for name, (page, counts) in made.items()}


#: Distinct things drawn: units and groups by name (a unit drawn beside two items is one), the rest by id.
DISTINCT = """(() => new Set(respgraph.nodes.get({filter: n => !n.hidden && !n.heading && !n.isCluster})
  .map(n => /^(unit|group):/.test(n.id) ? "name:" + n.name : n.id)).size)()"""
SHOWN = "respgraph.nodes.get({filter: n => !n.hidden}).length"


@pytest.mark.parametrize("name", ["portfolio", "unit", "co", "graph"])
def test_sample_page_renders_offline_and_still(browser, sample_pages, name):
    path, (nodes, edges), page = sample_pages[name]
    opened = Opened(browser, path)
    try:
        assert opened.requests == []
        assert opened.errors == []
        # The opening view is what the static pictures draw.
        view_nodes, view_edges = page.drawing.opening_view()
        assert opened.js(f"[{SHOWN}, respgraph.edges.length]") == [len(view_nodes), len(view_edges)]
        # Opened in full, every node and relationship of the query rows is there, none merged.
        opened.js("respgraph.openAll(true)")
        assert opened.js(f"[{DISTINCT}, respgraph.edges.length]") == [nodes, edges]
        assert opened.js("document.querySelectorAll('#rg-legend li').length") >= 2
        assert opened.page.is_visible("#rg-search")
        assert opened.js("document.title") and opened.js(
            "document.querySelector('.rg-sources').textContent"
        ).startswith("数据来源：湛江市 2023 年")
        # Still: physics is off and nothing moves afterwards.
        assert opened.js("respgraph.network.physics.physicsEnabled") is False
        before = opened.js("JSON.stringify(respgraph.network.getPositions())")
        opened.page.wait_for_timeout(500)
        assert opened.js("JSON.stringify(respgraph.network.getPositions())") == before
    finally:
        opened.close()


def click_node(opened, id: str) -> None:
    """A real mouse click where vis-network drew the node."""
    box = opened.page.locator("#rg-network canvas").bounding_box()
    at = opened.js(
        f"(() => {{ const p = respgraph.network.getPositions([{id!r}])[{id!r}];"
        f" return respgraph.network.canvasToDOM(p); }})()"
    )
    opened.page.mouse.click(box["x"] + at["x"], box["y"] + at["y"])


def test_a_click_on_an_item_shows_its_other_units(browser, sample_pages):
    path, _, page = sample_pages["unit"]
    opened = Opened(browser, path)
    try:
        item = next(id for id, n in page.drawing.nodes.items() if n["label"].startswith("事项 74 ·"))
        before = opened.js(SHOWN)
        click_node(opened, item)
        cluster = page.drawing.clusters[f"more:{item}"]
        assert opened.js(SHOWN) == before + len(cluster.members)
        names = opened.js(
            f"respgraph.nodes.get({{filter: n => !n.hidden && n.cluster === 'more:{item}'}}).map(n => n.name).sort()"
        )
        assert names == sorted(page.drawing.nodes[m]["name"] for m in cluster.members)
        # The rest fades while an item is open, and comes back when it closes.
        other = next(id for id, n in page.drawing.nodes.items() if n["label"].startswith("事项 75 ·"))
        colour = page.drawing.nodes[other]["color"]
        assert opened.js(f"respgraph.nodes.get({other!r}).color") != colour
        assert opened.js(f"respgraph.nodes.get({item!r}).color") == page.drawing.nodes[item]["color"]
        click_node(opened, item)
        assert opened.js(SHOWN) == before
        assert opened.js(f"respgraph.nodes.get({other!r}).color") == colour
    finally:
        opened.close()


def test_a_click_on_a_cluster_opens_it(browser, sample_pages):
    path, _, page = sample_pages["graph"]
    opened = Opened(browser, path)
    try:
        box = next(c for c in page.drawing.clusters.values() if c.label.startswith("市直部门"))
        before = opened.js(SHOWN)
        click_node(opened, box.id)
        assert opened.js(SHOWN) == before - 1 + len(box.members)
        assert opened.js(f"respgraph.nodes.get({box.id!r}).hidden") is True
    finally:
        opened.close()


def test_filters_hide_roles_and_raise_the_floor(browser, sample_pages):
    opened = Opened(browser, sample_pages["unit"][0])
    try:
        types = "new Set(respgraph.edges.get().map(e => e.type))"
        assert opened.js(f"{types}.has('ASSISTS')")
        opened.page.click("input[data-role=ASSISTS]")
        assert not opened.js(f"{types}.has('ASSISTS')") and opened.js(f"{types}.has('LEADS')")
    finally:
        opened.close()
    opened = Opened(browser, sample_pages["unit"][0])
    try:
        # 市自然资源局 has one livelihood item, 实事 1 (attachment 2): unticking that document hides it.
        livelihood = opened.js(
            "respgraph.nodes.get({filter: n => n.label && n.label.startsWith('实事 ')}).map(n => n.id)"
        )
        assert len(livelihood) == 1
        document = opened.js(f"respgraph.nodes.get({livelihood[0]!r}).document")
        opened.page.click(f"input[data-document={document!r}]")
        assert opened.js(f"respgraph.nodes.get({livelihood[0]!r}).hidden") is True
        assert opened.js(f"respgraph.edges.get().some(e => e.to === {livelihood[0]!r})") is False
    finally:
        opened.close()
    opened = Opened(browser, sample_pages["co"][0])
    try:
        opened.js("respgraph.openAll(true)")
        pairs = opened.js("respgraph.edges.length")
        opened.page.fill("#rg-min-shared", "5")
        opened.page.dispatch_event("#rg-min-shared", "change")
        strong = sum(1 for e in page_edges(sample_pages["co"][2]) if e["weight"] >= 5)
        assert 0 < opened.js("respgraph.edges.length") == strong < pairs
    finally:
        opened.close()


def page_edges(page) -> list[dict]:
    return list(page.drawing.edges.values())


@pytest.mark.parametrize("name", ["portfolio", "unit", "co", "graph"])
def test_search_finds_a_chinese_name(browser, sample_pages, name):
    opened = Opened(browser, sample_pages[name][0])
    try:
        assert opened.js(
            "Array.from(document.querySelectorAll('#rg-names option')).some(o => o.value === '市自然资源局')"
        )
        opened.page.fill("#rg-search", "市自然资源局")
        opened.page.press("#rg-search", "Enter")
        selected = opened.js("respgraph.network.getSelectedNodes().map(id => respgraph.nodes.get(id).name)")
        # Drawn once on most pages; on a portfolio once beside every item it works on, all opened and selected.
        assert set(selected) == {"市自然资源局"}
        assert opened.js("respgraph.network.getSelectedNodes().every(id => !respgraph.nodes.get(id).hidden)")
        assert opened.js("document.getElementById('rg-found').textContent") == (
            "已选中" if len(selected) == 1 else f"找到 {len(selected)} 个，已全部选中"
        )
        opened.page.fill("#rg-search", "没有这个单位")
        opened.page.click("#rg-go")
        assert opened.js("respgraph.network.getSelectedNodes().length") == 0
    finally:
        opened.close()


def test_hostile_name_shows_as_text(browser, tmp_path):
    row = UnitItem(
        id="item:x/1",
        document="doc:x/1",
        city="x",
        attachment=1,
        number="1",
        title=f"{HOSTILE}&amp;",
        category="key_item",
        deadline=dt.date(2023, 12, 31),
        roles=["lead"],
        parts=[],
        via=[],
    )
    sources = [{"key": "doc:x/1", "title": HOSTILE, "city": "x", "year": 2023, "attachment": 1}]
    path = unit_page(HOSTILE, [row], sources=sources).save(tmp_path / "hostile.html")
    opened = Opened(browser, path)
    try:
        assert opened.dialogs == [] and opened.errors == []
        assert opened.js("document.querySelector('h1').textContent") == f"{HOSTILE} 承担的事项"
        assert HOSTILE in opened.js("document.querySelector('.rg-sources').textContent")
        assert opened.js("document.querySelectorAll('body script').length") == 3  # vis, data, ours
        assert opened.js(f"respgraph.nodes.get({{filter: n => n.name === {HOSTILE!r}}}).length") == 1
        assert opened.js("respgraph.nodes.get('item:x/1').name") == f"{HOSTILE}&amp;"
        opened.page.fill("#rg-search", HOSTILE)
        opened.page.press("#rg-search", "Enter")
        assert opened.js("respgraph.network.getSelectedNodes()") == [f"unit:{HOSTILE}"]
        assert opened.dialogs == []
    finally:
        opened.close()


def synthetic_overview(nodes: int = 5000, seed: int = 7) -> Overview:
    """A graph the shape of a big city's: 20 leaders, items, units; four edges an item."""
    rng = random.Random(seed)
    items, units = int(nodes * 0.4), nodes - 20 - int(nodes * 0.4)
    out = [OverviewNode(id=f"leader:{i}", label="Leader", name=f"领导{i}") for i in range(20)]
    out += [
        OverviewNode(id=f"item:{i}", label="Item", name=f"事项{i}", kind="key_item", number=str(i))
        for i in range(items)
    ]
    out += [OverviewNode(id=f"unit:{i}", label="Unit", name=f"市第{i}局", kind="city_department") for i in range(units)]
    edges = []
    for i in range(items):
        edges.append(OverviewEdge(source=f"leader:{rng.randrange(20)}", target=f"item:{i}", type="OVERSEES"))
        for kind in ("LEADS", "IMPLEMENTS", "ASSISTS"):
            edges.append(OverviewEdge(source=f"unit:{rng.randrange(units)}", target=f"item:{i}", type=kind))
    return Overview(nodes=out, edges=list({(e.source, e.target, e.type): e for e in edges}.values()))


def test_five_thousand_nodes_become_still(browser, tmp_path):
    o = synthetic_overview()
    path = overview_page(o, sources=[]).save(tmp_path / "big.html")
    opened = Opened(browser, path, timeout=60_000)
    try:
        assert opened.js("respgraph.nodes.get({filter: n => !n.isCluster}).length") == 5000
        opened.js("respgraph.openAll(true)")
        assert opened.js("respgraph.edges.length") == len(o.edges)
        assert opened.js("respgraph.stillAt") < 30_000
        opened.page.fill("#rg-search", "市第42局")
        opened.page.press("#rg-search", "Enter")
        assert opened.js("respgraph.network.getSelectedNodes()") == ["unit:42"]
    finally:
        opened.close()
