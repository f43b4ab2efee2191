"""Can the opening view be read?  Counted in real Chromium from the drawn positions.

For every page type, on the sample and on a synthetic graph of about 300 nodes,
the test opens the page as a user does and counts, among the nodes drawn at the
opening view (hidden ones and the members of closed clusters are not drawn):

- pairs of nodes whose shapes overlap;
- labels whose box overlaps another label or another node's shape;
- labels drawn smaller than :data:`READABLE_PX` on screen at the opening zoom.

Goal (issue 13): no overlapping nodes, at most 5 % overlapping labels; and
here every label at least 8 px high.  Boxes
come from vis-network itself after drawing (``labelModule.size``, the shape's
width and height), in canvas coordinates, so the zoom does not change them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from respgraph.graph.sqlite_store import SqliteStore
from respgraph.loaders.synthetic import synthetic_table
from respgraph.queries.co import co_pairs
from respgraph.queries.items import items_of_unit
from respgraph.queries.overview import overview, unit_kinds
from respgraph.queries.portfolio import portfolio, units_of_items
from respgraph.queries.workload import workload
from respgraph.viz.network_pages import co_page, overview_page, portfolio_page, unit_page

pytestmark = pytest.mark.browser

PAGES = ("unit", "portfolio", "co", "network", "graph")
LABEL_GOAL = 0.05
#: On screen at the opening zoom, a label this many pixels high or more counts as readable.
READABLE_PX = 8

#: Overlaps among what vis-network drew: node shapes by their box (or circle),
#: labels by the box vis-network measured for them.
MEASURE = r"""
(READABLE_PX) => {
  const body = respgraph.network.body;
  const scale = respgraph.network.getScale();
  const shown = body.nodeIndices.map(id => body.nodes[id]).filter(n => !n.options.hidden);
  const round = new Set(["dot", "star", "hexagon", "diamond", "triangle", "triangleDown", "square"]);
  const shapes = [], labels = [];
  for (const n of shown) {
    if (n.options.shape === "box") {  // a box is as large as its label: its own width and height
      const w = n.shape.width / 2, h = n.shape.height / 2;
      shapes.push({id: n.id, x: n.x, y: n.y, r: Math.max(w, h), left: n.x - w, right: n.x + w, top: n.y - h,
                   bottom: n.y + h, round: false});
    } else if (n.options.shape !== "text") {
      const r = n.options.size;
      shapes.push({id: n.id, x: n.x, y: n.y, r: r, left: n.x - r, right: n.x + r, top: n.y - r, bottom: n.y + r,
                   round: round.has(n.options.shape)});
    }
    const s = n.labelModule.size;
    if (n.labelModule.elementOptions.label && s && s.width > 0) {
      labels.push({id: n.id, left: s.left, right: s.left + s.width, top: s.top, bottom: s.top + s.height,
                   px: n.labelModule.fontOptions.size * scale});
    }
  }
  const hit = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 &&
                        Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  let nodePairs = 0;
  for (let i = 0; i < shapes.length; i++) {
    for (let j = i + 1; j < shapes.length; j++) {
      const a = shapes[i], b = shapes[j];
      const touching = a.round && b.round ? Math.hypot(a.x - b.x, a.y - b.y) < a.r + b.r - 1 : hit(a, b);
      if (touching) nodePairs++;
    }
  }
  let badLabels = 0;
  for (const l of labels) {
    const other = labels.some(m => m.id !== l.id && hit(l, m)) || shapes.some(s => s.id !== l.id && hit(l, s));
    if (other) badLabels++;
  }
  return {nodes: shown.length, nodePairs: nodePairs, labels: labels.length, badLabels: badLabels,
          readable: labels.filter(l => l.px >= READABLE_PX).length, scale: scale};
}
"""


def pages_of(store: SqliteStore, *, unit: str, leader: str) -> dict:
    """The five page types as the CLI and the report make them."""
    sources, kinds = store.documents(), unit_kinds(store)
    rows = items_of_unit(store, unit)
    return {
        "unit": unit_page(unit, rows, sources=sources, others=units_of_items(store, [r.id for r in rows]), kinds=kinds),
        "portfolio": portfolio_page(portfolio(store, leader), sources=sources, kinds=kinds),
        "co": co_page(co_pairs(store, min_shared=2), kinds=kinds, sources=sources, min_shared=2),
        "network": co_page(co_pairs(store), kinds=kinds, sources=sources),  # the report's network page
        "graph": overview_page(overview(store), sources=sources),
    }


def synthetic_store() -> SqliteStore:
    store = SqliteStore()
    store.write(synthetic_table(194, seed=3).to_batch())
    return store


@pytest.fixture(scope="module")
def saved(memory_store, tmp_path_factory):
    folder = tmp_path_factory.mktemp("readability")
    synthetic = synthetic_store()
    busiest = workload(synthetic, by="unit").rows[0].name
    leader = workload(synthetic, by="leader").rows[0].name
    out = {}
    for corpus, made in (
        ("sample", pages_of(memory_store, unit="市自然资源局", leader="陈峻华")),
        ("synthetic", pages_of(synthetic, unit=busiest, leader=leader)),
    ):
        for name, page in made.items():
            out[corpus, name] = page.save(folder / f"{corpus}-{name}.html")
    return out


def measure(browser, path: Path) -> dict:
    tab = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        tab.goto(path.as_uri())
        tab.wait_for_function("window.respgraph && window.respgraph.still", timeout=60_000)
        return tab.evaluate(MEASURE, READABLE_PX)
    finally:
        tab.close()


def test_the_synthetic_graph_has_about_300_nodes():
    assert 290 <= len(overview(synthetic_store()).nodes) <= 310


@pytest.mark.parametrize("corpus", ["sample", "synthetic"])
@pytest.mark.parametrize("name", PAGES)
def test_opening_view_is_readable(browser, saved, corpus, name):
    m = measure(browser, saved[corpus, name])
    print(f"\nreadability {corpus:9} {name:9} {m}")
    assert m["nodes"] >= 3
    assert m["nodePairs"] == 0, m
    assert m["badLabels"] <= LABEL_GOAL * m["labels"], m
    # And big enough to read at the zoom the page opens at (vis-network does not even draw below 5 px).
    assert m["readable"] == m["labels"], m


def test_the_measure_sees_overlaps(browser, tmp_path):
    """Two boxes on one spot and two long labels side by side: the count must say so."""
    from respgraph.viz.drawing import Drawing
    from respgraph.viz.network_pages import _page
    from respgraph.viz.style import node_look

    d = Drawing()
    for i, x in enumerate((0.0, 60.0)):
        d.node(f"u{i}", f"单位{i}", node_look("Unit"), label="一个很长很长很长的单位名称")
        d.nodes[f"u{i}"].update(x=x, y=0.0)
    for i in range(2):
        d.cluster(f"c{i}", f"聚合 {i}\n10 个单位", size=10)
        d.node(f"m{i}", f"成员{i}", node_look("Unit"), cluster=f"c{i}")
        d.nodes[f"m{i}"].update(x=0.0, y=400.0)
        d.clusters[f"c{i}"].x, d.clusters[f"c{i}"].y = 500.0, 300.0
    page = _page(d, title="t", subtitle="", sources=[], drawn=None)
    m = measure(browser, page.save(tmp_path / "overlap.html"))
    assert m["nodePairs"] == 1  # the boxes (the dots 60 px apart do not touch)
    assert m["badLabels"] == 4  # both long labels, both box labels
