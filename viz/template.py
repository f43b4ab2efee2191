"""The page: one UTF-8 HTML file with vis-network, our style and script, and the data inlined.

pyvis's own template loads bootstrap and tom-select from CDNs whatever
``cdn_resources`` says (pyvis #228, #229) and puts names into its select menu
unescaped (#173); this one takes only vis-network from the pyvis package and
fetches nothing.  Text reaches the page two ways only: through
:func:`html.escape` into HTML, or through :func:`script_json` into the data
script, and the script puts names into the page as text (``textContent``,
``value``) and vis-network shows tooltips as text.
"""

from __future__ import annotations

import functools
import html
import importlib.util
import json
import re
from pathlib import Path

__all__ = ["render", "script_json", "VIS_VERSION"]

VIS_VERSION = "9.1.2"


@functools.cache
def _asset(name: str) -> str:
    # Found, not imported: importing pyvis (jinja2 and the rest) takes 0.2–0.3 s and we need only its files.
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("pyvis is not installed: pip install pyvis", name="pyvis")
    folder = Path(spec.submodule_search_locations[0])
    text = (folder / "lib" / f"vis-{VIS_VERSION}" / name).read_text("utf-8")
    # Inlined, a closing tag inside the library would end its <script> or <style> early.
    if re.search(r"</(script|style)", text, re.IGNORECASE):
        raise ValueError(f"pyvis's {name} contains a closing script or style tag; it cannot be inlined")
    return text


def script_json(value) -> str:
    """JSON that is safe inside ``<script>``: no ``<``, ``>`` or ``&`` survives to end the script.

    >>> script_json({"name": "</script><b>&"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return text


def render(
    *,
    title: str,
    subtitle: str,
    sources: str,
    legend: str,
    nodes: list[dict],
    edges: list[dict],
    options: dict,
    clusters: dict | None = None,
    filters: dict | None = None,
) -> str:
    """The whole page.  ``title``, ``subtitle`` and ``sources`` are plain text; ``legend`` is HTML."""
    parts = {
        "title": html.escape(title),
        "subtitle": html.escape(subtitle),
        "sources": html.escape(sources),
        "legend": legend,
        "vis_css": _asset("vis-network.css"),
        "vis_js": _asset("vis-network.min.js"),
        "css": _CSS,
        "script": _SCRIPT,
        "data": script_json(
            {"nodes": nodes, "edges": edges, "options": options, "clusters": clusters or {}, "filters": filters or {}}
        ),
    }
    # One pass, so nothing inserted is read again as a placeholder.
    return re.sub(r"\{\{(\w+)\}\}", lambda m: parts[m.group(1)], _PAGE)


_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}}</title>
<style>{{vis_css}}</style>
<style>{{css}}</style>
</head>
<body>
<header>
<h1>{{title}}</h1>
<p class="rg-subtitle">{{subtitle}}</p>
<p class="rg-sources">{{sources}}</p>
</header>
<div class="rg-toolbar" role="search">
<label for="rg-search">查找</label>
<input id="rg-search" type="search" list="rg-names" autocomplete="off" placeholder="名称，如 市自然资源局">
<datalist id="rg-names"></datalist>
<button id="rg-go" type="button">定位</button>
<span id="rg-found" aria-live="polite"></span>
<span id="rg-filters"></span>
<button id="rg-open-all" type="button">全部展开</button>
<button id="rg-close-all" type="button">全部收起</button>
</div>
<main>
<div id="rg-network"></div>
<aside id="rg-legend">{{legend}}</aside>
</main>
<script>{{vis_js}}</script>
<script id="rg-data" type="application/json">{{data}}</script>
<script>{{script}}</script>
</body>
</html>
"""

_CSS = """
html, body { margin: 0; height: 100%; }
body { display: flex; flex-direction: column; color: #222; background: #fff;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif; }
header { padding: 8px 16px 4px; border-bottom: 1px solid #e3e3e3; }
h1 { font-size: 20px; margin: 0 0 2px; }
header p { margin: 2px 0; font-size: 13px; color: #555; }
.rg-toolbar { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; padding: 6px 16px; font-size: 14px; }
#rg-filters { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; }
#rg-filters fieldset { border: 1px solid #ddd; padding: 0 6px; margin: 0; display: flex; gap: 6px; }
#rg-filters legend { font-size: 12px; color: #555; padding: 0 2px; }
#rg-min-shared { width: 4em; }
#rg-search { width: 22em; padding: 3px 6px; font: inherit; }
#rg-found { color: #555; }
main { flex: 1; display: flex; min-height: 320px; }
#rg-network { flex: 1; position: relative; min-width: 0; }
#rg-legend { flex: 0 0 auto; max-width: 18em; overflow: auto; border-left: 1px solid #e3e3e3;
  padding: 8px 12px; font-size: 13px; }
#rg-legend h2 { font-size: 14px; margin: 0 0 4px; }
#rg-legend h3 { font-size: 12px; margin: 8px 0 2px; color: #555; }
#rg-legend ul { list-style: none; margin: 0 0 6px; padding: 0; }
#rg-legend li { display: flex; align-items: center; gap: 6px; margin: 2px 0; }
div.vis-tooltip { white-space: pre-line; max-width: 32em; max-height: 70vh; overflow: hidden;
  font-family: inherit; font-size: 13px; }
"""

_SCRIPT = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("rg-data").textContent);
  var clusters = data.clusters || {}, filters = data.filters || {};
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  var open = {};                               // cluster id -> true when opened
  var state = {roles: {}, documents: {}, minShared: filters.minShared || 0};
  (filters.roles || []).forEach(function (r) { state.roles[r] = true; });
  (filters.documents || []).forEach(function (d) { state.documents[d[0]] = true; });

  // Where a node is drawn: itself, or (inside a closed cluster) its anchor or the cluster's box.
  function shown(id) {
    var n = byId[id];
    while (n && n.cluster && !open[n.cluster]) {
      var c = clusters[n.cluster];
      id = c.anchor || n.cluster;
      n = byId[id];
    }
    return id;
  }
  function passes(e) {
    if (state.roles[e.type] === false) return false;
    if (e.type === "CO" && e.weight < state.minShared) return false;
    var a = byId[e.from], b = byId[e.to];
    return !((a.document && state.documents[a.document] === false) ||
             (b.document && state.documents[b.document] === false));
  }
  // The same merging as Drawing.opening_view in Python.
  function view() {
    var merged = {}, list = [], degree = {};
    data.edges.forEach(function (e) {
      if (!passes(e)) return;
      var a = shown(e.from), b = shown(e.to);
      if (a === b) return;
      if (a === e.from && b === e.to) { list.push(Object.assign({count: 1}, e)); return; }
      var grouped = !!(clusters[a] || clusters[b]);
      var key = [a, b, grouped ? "GROUPED" : e.type, !!e.via].join("\u0001");
      var m = merged[key];
      if (m) { m.count += 1; m.weight += e.weight; return; }
      m = merged[key] = Object.assign({}, e, {id: "m" + list.length, from: a, to: b, count: 1});
      delete m.smooth;
      if (grouped) { m.type = "GROUPED"; m.color = {color: "#B0B7BF"}; m.dashes = false; delete m.arrows; }
      list.push(m);
    });
    list.forEach(function (e) {
      if (e.count > 1) { e.width = Math.min(1 + 1.5 * Math.log2(e.count), 12); e.title = e.count + " 条关系"; }
      degree[e.from] = (degree[e.from] || 0) + 1;
      degree[e.to] = (degree[e.to] || 0) + 1;
    });
    var filtered = Object.keys(state.roles).some(function (r) { return !state.roles[r]; }) ||
                   Object.keys(state.documents).some(function (d) { return !state.documents[d]; }) ||
                   (filters.minShared && state.minShared > filters.minShared);
    var hidden = {};
    data.nodes.forEach(function (n) {
      var off = n.isCluster ? open[n.id] : shown(n.id) !== n.id;
      if (!off && n.document && state.documents[n.document] === false) off = true;
      if (!off && filtered && !n.heading && !degree[n.id] && (n.id.indexOf("unit:") === 0 || n.isCluster ||
          n.id.indexOf("group:") === 0)) off = true;
      hidden[n.id] = !!off;
    });
    return {edges: list, hidden: hidden};
  }

  // An opened item (its other units and sub-items shown beside it) is the focus:
  // the rest fades, so what the click showed reads over whatever it covers.
  var FADED = "#E3E6E9", faded = {};
  function focus() {
    var f = null;
    Object.keys(clusters).forEach(function (c) {
      if (!clusters[c].anchor || !open[c]) return;
      f = f || {};
      f[clusters[c].anchor] = true;
      clusters[c].members.forEach(function (m) { f[m] = true; });
    });
    return f;
  }
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet([]);
  function redraw() {
    var v = view(), f = focus(), changes = [];
    if (f) {  // what the opened item's lines reach stays clear too
      var near = Object.assign({}, f);
      v.edges.forEach(function (e) { if (f[e.from] || f[e.to]) { near[e.from] = true; near[e.to] = true; } });
      f = near;
    }
    data.nodes.forEach(function (n) {
      var fade = !!(f && !f[n.id] && !n.heading), change = {id: n.id};
      if (!!nodes.get(n.id).hidden !== v.hidden[n.id]) change.hidden = v.hidden[n.id];
      if (fade !== !!faded[n.id]) {
        faded[n.id] = fade;
        change.color = fade ? FADED : n.color;
        change.font = Object.assign({color: "#222"}, n.font || {}, fade ? {color: "#C4C8CC"} : {});
      }
      if (Object.keys(change).length > 1) changes.push(change);
    });
    nodes.update(changes);
    if (f) v.edges.forEach(function (e) { if (!(f[e.from] && f[e.to])) e.color = {color: FADED}; });
    edges.clear();
    edges.add(v.edges);
  }
  redraw();
  var network = new vis.Network(document.getElementById("rg-network"),
                                {nodes: nodes, edges: edges}, data.options);
  // What tests and benchmarks read: the DataSets, and when the picture stopped moving.
  var page = window.respgraph = {network: network, nodes: nodes, edges: edges, data: data, open: open,
                                 state: state, redraw: redraw, still: false, stillAt: null};

  function markStill() {
    if (page.still) return;
    page.still = true;
    page.stillAt = performance.now();
    document.body.setAttribute("data-still", "true");
  }
  // Positions come with the data and physics is off: the first drawing is the still picture.
  // Fit the opening view to what is drawn, not to the members of closed clusters; then it is still.
  network.once("afterDrawing", function () {
    network.once("afterDrawing", markStill);
    network.fit({nodes: data.nodes.filter(function (n) { return !nodes.get(n.id).hidden; })
                                 .map(function (n) { return n.id; }), animation: false});
  });

  function anchored(id) {
    return Object.keys(clusters).filter(function (c) { return clusters[c].anchor === id; });
  }
  network.on("click", function (params) {
    if (params.nodes.length !== 1) return;
    var id = params.nodes[0];
    if (clusters[id] && !clusters[id].anchor) { open[id] = true; redraw(); return; }
    var mine = anchored(id);
    if (!mine.length) return;
    var opening = !mine.every(function (c) { return open[c]; });
    // One item open at a time: opening one closes the others.
    Object.keys(clusters).forEach(function (c) { if (clusters[c].anchor) open[c] = false; });
    mine.forEach(function (c) { open[c] = opening; });
    redraw();
  });
  network.on("doubleClick", function (params) {
    if (params.nodes.length !== 1) return;
    var n = byId[params.nodes[0]];
    if (n && n.cluster && !clusters[n.cluster].anchor && open[n.cluster]) { open[n.cluster] = false; redraw(); }
  });
  page.openAll = function (value) {
    Object.keys(clusters).forEach(function (c) { open[c] = value; });
    redraw();
  };
  document.getElementById("rg-open-all").addEventListener("click", function () { page.openAll(true); });
  document.getElementById("rg-close-all").addEventListener("click", function () { page.openAll(false); });
  if (!Object.keys(clusters).length) {
    document.getElementById("rg-open-all").hidden = true;
    document.getElementById("rg-close-all").hidden = true;
  }

  // Filters: roles, documents, minimum shared items; names go in as text only.
  var box = document.getElementById("rg-filters");
  function fieldset(title) {
    var f = document.createElement("fieldset"), l = document.createElement("legend");
    l.textContent = title;
    f.appendChild(l);
    box.appendChild(f);
    return f;
  }
  function checkbox(parent, text, checked, onChange) {
    var label = document.createElement("label"), input = document.createElement("input");
    input.type = "checkbox";
    input.checked = checked;
    input.addEventListener("change", function () { onChange(input.checked); redraw(); });
    label.appendChild(input);
    label.appendChild(document.createTextNode(text));
    parent.appendChild(label);
    return input;
  }
  var ROLE_TEXT = {LEADS: "牵头", IMPLEMENTS: "实施", ASSISTS: "协办"};
  if ((filters.roles || []).length) {
    var roles = fieldset("角色");
    filters.roles.forEach(function (r) {
      checkbox(roles, ROLE_TEXT[r], true, function (on) { state.roles[r] = on; }).dataset.role = r;
    });
  }
  if ((filters.documents || []).length) {
    var docs = fieldset("文件");
    filters.documents.forEach(function (d) {
      checkbox(docs, d[1], true, function (on) { state.documents[d[0]] = on; }).dataset.document = d[0];
    });
  }
  if (filters.minShared) {
    var shared = fieldset("至少共同承担（项）");
    var number = document.createElement("input");
    number.type = "number";
    number.id = "rg-min-shared";
    number.min = String(filters.minShared);
    number.value = String(filters.minShared);
    number.addEventListener("change", function () {
      state.minShared = Math.max(filters.minShared, parseInt(number.value, 10) || filters.minShared);
      redraw();
    });
    shared.appendChild(number);
  }

  var input = document.getElementById("rg-search");
  var found = document.getElementById("rg-found");
  var list = document.getElementById("rg-names");
  var names = new Set();
  data.nodes.forEach(function (n) { if (!n.isCluster) names.add(n.name); });
  Array.from(names).sort().forEach(function (name) {
    var option = document.createElement("option");
    option.value = name;
    list.appendChild(option);
  });

  function matches(query) {
    var exact = [], partial = [];
    data.nodes.forEach(function (n) {
      if (n.isCluster) return;
      if (n.name === query) exact.push(n.id);
      else if (n.name.indexOf(query) >= 0 || String(n.label).indexOf(query) >= 0) partial.push(n.id);
    });
    var found = exact.length ? exact : partial;
    // Drawn ones first; only when none is drawn are closed clusters opened to show them.
    var drawn = found.filter(function (id) { return !nodes.get(id).hidden; });
    return drawn.length ? drawn : found;
  }
  function search() {
    var query = input.value.trim();
    if (!query) { found.textContent = ""; network.unselectAll(); return; }
    var ids = matches(query);
    if (!ids.length) { found.textContent = "未找到"; network.unselectAll(); return; }
    var closed = ids.filter(function (id) { return nodes.get(id).hidden; });
    if (closed.length) {
      closed.forEach(function (id) {
        var n = byId[id];
        while (n && n.cluster && !open[n.cluster]) { open[n.cluster] = true; n = byId[clusters[n.cluster].anchor]; }
      });
      redraw();
    }
    network.selectNodes(ids);
    network.focus(ids[0], {scale: 1.2, animation: {duration: 300}});
    found.textContent = ids.length === 1 ? "已选中" : "找到 " + ids.length + " 个，已全部选中";
  }
  input.addEventListener("keydown", function (e) { if (e.key === "Enter") search(); });
  // Picking a name from the list fills the box: select it at once.
  input.addEventListener("input", function () { if (names.has(input.value)) search(); });
  document.getElementById("rg-go").addEventListener("click", search);
})();
"""
