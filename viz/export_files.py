"""Files the tools people already use open: GraphML, GEXF, Pajek and an Excel workbook.

- GraphML (yEd, Cytoscape, igraph, Gephi) and GEXF (Gephi): the full typed graph
  in ``OUT`` and the unit × unit co-responsibility network beside it in
  ``OUT-co`` (same suffix), written by networkx.
- Pajek ``.net`` (Pajek, UCINET's import, igraph): the same two graphs; Pajek
  holds names and weights only, so types stay in the GraphML and GEXF files.
- xlsx: one sheet per answer (:data:`~respgraph.queries.export_data.SHEETS`), with
  the header row frozen, a filter on it, columns as wide as their Chinese text,
  and every text cell stored as text, so a name such as ``=1+1`` or ``@SUM(A1)``
  never becomes a formula.
"""

from __future__ import annotations

import io
from pathlib import Path

import networkx as nx

from respgraph.viz.files import OutputError, write_file

__all__ = ["write_export", "co_path", "workbook_bytes", "EXPORT_FORMATS", "SUFFIX"]

EXPORT_FORMATS = ("graphml", "gexf", "pajek", "xlsx")
SUFFIX = {"graphml": ".graphml", "gexf": ".gexf", "pajek": ".net", "xlsx": ".xlsx"}
#: A cell starting with one of these is read as a formula (or DDE) by spreadsheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_WIDTH = 60


def co_path(out: Path) -> Path:
    """Where the co-responsibility network goes beside ``out``: ``graph.graphml`` → ``graph-co.graphml``.

    >>> co_path(Path("out/graph.graphml")).as_posix()
    'out/graph-co.graphml'
    """
    return out.with_name(f"{out.stem}-co{out.suffix}")


def write_export(
    fmt: str,
    out: Path,
    *,
    graph: nx.MultiDiGraph | None = None,
    co: nx.Graph | None = None,
    sheets: dict[str, list[dict]] | None = None,
) -> list[Path]:
    """Write ``graph`` and ``co`` (graph formats) or ``sheets`` (xlsx); the files written."""
    if fmt not in EXPORT_FORMATS:
        raise OutputError(out, f"the format is one of {', '.join(EXPORT_FORMATS)}, not {fmt!r}")
    if fmt == "xlsx":
        return [write_file(out, workbook_bytes(sheets or {}))]
    return [write_file(out, graph_bytes(fmt, graph)), write_file(co_path(out), graph_bytes(fmt, co))]


def graph_bytes(fmt: str, g) -> bytes:
    buffer = io.BytesIO()
    if fmt == "graphml":
        _graphml_writer()(buffer, graph=g, encoding="utf-8", prettyprint=True).dump()
    elif fmt == "gexf":
        nx.write_gexf(_gexf_ready(g), buffer, encoding="utf-8")
    else:
        nx.write_pajek(_pajek_ready(g), buffer, encoding="utf-8")
    return buffer.getvalue()


def _graphml_writer():
    """networkx's GraphML writer with a key id of its own for every attribute of nodes and of
    edges (``node_name``, ``edge_type``): with ``named_key_ids`` a node's and an edge's
    ``document`` shared one id, which a strict reader (yEd, Java's GraphML readers) rejects."""
    from networkx.readwrite.graphml import GraphMLWriterLxml

    class DistinctKeys(GraphMLWriterLxml):
        def get_key(self, name, attr_type, scope, default):
            keys_key = (name, attr_type, scope)
            if keys_key in self.keys:
                return self.keys[keys_key]
            new_id = f"{scope}_{name}"
            if new_id in self.keys.values():  # the same name with another type in one scope
                new_id = f"{new_id}_{attr_type}"
            self.keys[keys_key] = new_id
            key = self.myElement("key", **{"id": new_id, "for": scope, "attr.name": name, "attr.type": attr_type})
            if default is not None:
                value = self.myElement("default")
                value.text = str(default)
                key.append(value)
            self.xml.insert(0, key)
            return new_id

    return DistinctKeys


def _gexf_ready(g):
    """GEXF has its own ``label`` for nodes and edges (the name; the relationship type),
    and its own edge ``type`` (directed or not): ours is ``relationship`` there."""
    h = g.copy()
    for node, attrs in h.nodes(data=True):
        attrs["label"] = str(attrs.get("name") or node)
    for *_, attrs in h.edges(keys=True, data=True) if h.is_multigraph() else h.edges(data=True):
        attrs["relationship"] = attrs.pop("type", "")
        attrs["label"] = str(attrs["relationship"])
        attrs.pop("id", None)
    return h


def _pajek_ready(g):
    """Pajek writes every attribute as ``key value`` words: keep the weight only, and
    names without spaces or quotes (Pajek reads a quoted name up to the next quote)."""
    h = nx.MultiDiGraph() if g.is_multigraph() else nx.Graph()
    names = {n: str(n).replace('"', "'").replace(" ", "_") for n in g}
    h.add_nodes_from(names.values())
    for s, e, attrs in g.edges(data=True):
        h.add_edge(names[s], names[e], weight=attrs.get("weight", 1))
    return h


def workbook_bytes(sheets: dict[str, list[dict]]) -> bytes:
    """The workbook: a sheet per table, headers frozen and filtered, widths for CJK text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from wcwidth import wcswidth

    book = Workbook()
    book.remove(book.worksheets[0])  # the empty sheet a new workbook starts with
    for title, rows in sheets.items():
        sheet = book.create_sheet(title=title[:31])
        head = list(dict.fromkeys(k for r in rows for k in r))
        sheet.append(head)
        for row in rows:
            sheet.append([None] * len(head))
            for column, key in enumerate(head, start=1):
                _put(sheet.cell(sheet.max_row, column), row.get(key))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="EEF1F4")
        sheet.freeze_panes = "A2"
        if head:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(head))}{max(sheet.max_row, 1)}"
        for column, key in enumerate(head, start=1):
            texts = [key, *(str(r.get(key, "") or "") for r in rows[:2000])]
            width = max(max(wcswidth(t) if wcswidth(t) >= 0 else len(t) * 2, 4) for t in texts)
            sheet.column_dimensions[get_column_letter(column)].width = min(width + 2, MAX_WIDTH)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _put(cell, value) -> None:
    if value is None or value == "":
        return
    if isinstance(value, (list, tuple)):
        value = "、".join(map(str, value))
    cell.value = value
    if isinstance(value, str):
        store_text(cell)


def store_text(cell) -> None:
    """Keep a text cell text: openpyxl reads a leading ``=`` as a formula, so every text is
    stored as text, and the risky ones are marked so Excel keeps them text when edited."""
    cell.data_type = "s"
    if cell.value.startswith(FORMULA_START):
        cell.quotePrefix = True
