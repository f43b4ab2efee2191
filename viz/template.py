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
import json
import re
from importlib import resources

__all__ = ["render", "script_json", "VIS_VERSION"]

VIS_VERSION = "9.1.2"


@functools.cache
def _asset(name: str) -> str:
    text = resources.files("pyvis").joinpath(f"lib/vis-{VIS_VERSION}/{name}").read_text("utf-8")
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
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text


def render(*, title: str, subtitle: str, sources: str, legend: str, nodes: list[dict], edges: list[dict],
           options: dict) -> str:
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
        "data": script_json({"nodes": nodes, "edges": edges, "options": options}),
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
.rg-toolbar { display: flex; gap: 8px; align-items: center; padding: 6px 16px; font-size: 14px; }
#rg-search { width: 22em; padding: 3px 6px; font: inherit; }
#rg-found { color: #555; }
main { flex: 1; display: flex; min-height: 320px; }
#rg-network { flex: 1; position: relative; min-width: 0; }
#rg-legend { flex: 0 0 auto; max-width: 18em; overflow: auto; border-left: 1px solid #e3e3e3;
  padding: 8px 12px; font-size: 13px; }
#rg-legend h2 { font-size: 14px; margin: 0 0 4px; }
#rg-legend ul { list-style: none; margin: 0 0 6px; padding: 0; }
#rg-legend li { display: flex; align-items: center; gap: 6px; margin: 2px 0; }
div.vis-tooltip { white-space: pre-line; max-width: 32em; max-height: 70vh; overflow: hidden;
  font-family: inherit; font-size: 13px; }
"""

_SCRIPT = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("rg-data").textContent);
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(document.getElementById("rg-network"),
                                {nodes: nodes, edges: edges}, data.options);
  // What tests and benchmarks read: the DataSets, and when the picture stopped moving.
  var page = window.respgraph = {network: network, nodes: nodes, edges: edges, still: false, stillAt: null};

  function markStill() {
    if (page.still) return;
    page.still = true;
    page.stillAt = performance.now();
    document.body.setAttribute("data-still", "true");
  }
  // Positions come with the data and physics is off: the first drawing is the still picture.
  network.once("afterDrawing", markStill);

  var input = document.getElementById("rg-search");
  var found = document.getElementById("rg-found");
  var list = document.getElementById("rg-names");
  var names = new Set();
  nodes.forEach(function (n) { names.add(n.name); });
  Array.from(names).sort().forEach(function (name) {
    var option = document.createElement("option");
    option.value = name;
    list.appendChild(option);
  });

  function matches(query) {
    var exact = [], partial = [];
    nodes.forEach(function (n) {
      if (n.name === query) exact.push(n.id);
      else if (n.name.indexOf(query) >= 0 || String(n.label).indexOf(query) >= 0) partial.push(n.id);
    });
    return exact.length ? exact : partial;
  }
  function search() {
    var query = input.value.trim();
    if (!query) { found.textContent = ""; network.unselectAll(); return; }
    var ids = matches(query);
    if (!ids.length) { found.textContent = "未找到"; network.unselectAll(); return; }
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
