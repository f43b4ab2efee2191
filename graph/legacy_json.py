"""The embedded store of earlier versions, one ``graph.json``, moved into SQLite on first use.

File format (UTF-8)::

    {"format": "respgraph", "version": 1,
     "nodes": [{"key": "unit:湛江市/市自然资源局", "label": "Unit", "name": …}, …],
     "rels":  [{"type": "LEADS", "start": "unit:…", "end": "item:…"}, …]}

The file is checked whole before anything is written; a damaged one is refused
and left as it is.  The migration is one transaction: a second command started at
the same time waits for it, then finds the store already filled.
"""

from __future__ import annotations

import json
from pathlib import Path

from respgraph.graph.sqlite_store import SqliteStore, damaged
from respgraph.graph.vocabulary import LABELS, REL_TYPES

FORMAT, VERSION = "respgraph", 1


def migrate(legacy: Path, target: Path) -> SqliteStore:
    """The SQLite store at ``target``, filled from ``legacy`` unless it already holds a graph."""
    try:
        data = json.loads(legacy.read_text("utf-8"))
    except RecursionError:
        raise damaged(legacy, "nested too deeply to be a graph") from None
    except (OSError, ValueError) as exc:
        raise damaged(legacy, f"not readable as JSON: {exc}") from None
    nodes, rels = check_graph(legacy, data)
    store = SqliteStore.open(target, create=True)
    with store._writing():
        if store.db.execute("SELECT 1 FROM nodes LIMIT 1").fetchone() is None:
            store._add(nodes, rels)
    return store


#: Properties without which a node cannot be placed or queried.
_NEEDS = {
    "Document": ("title", "city", "year", "attachment"),
    "Item": ("document",),
    "SubItem": ("item",),
    "Milestone": ("owner",),
}


def check_graph(path: Path, data) -> tuple[list[dict], list[dict]]:
    """The nodes and relationships of a saved graph, or :func:`damaged` saying what is wrong."""
    if not isinstance(data, dict):
        raise damaged(path, f"a JSON {type(data).__name__} where an object is expected")
    if data.get("format") != FORMAT or data.get("version") != VERSION:
        raise damaged(path, "not a respgraph graph file of version 1")
    nodes, rels = data.get("nodes"), data.get("rels")
    if not isinstance(nodes, list) or not isinstance(rels, list):
        raise damaged(path, "no list of nodes" if not isinstance(nodes, list) else "no list of relationships")
    keys = set()
    for n, node in enumerate(nodes):
        if not isinstance(node, dict) or not isinstance(node.get("key"), str) or not isinstance(node.get("label"), str):
            raise damaged(path, f"node {n} has no key or no label")
        if node["label"] not in LABELS:
            raise damaged(path, f"node {n} has an unknown label {node['label']!r}")
        missing = [f for f in _NEEDS.get(node["label"], ()) if node.get(f) in (None, "")]
        if missing:
            raise damaged(path, f"{node['label'].lower()} {node['key']!r} has no {missing[0]}")
        keys.add(node["key"])
    for n, rel in enumerate(rels):
        if not isinstance(rel, dict) or not all(isinstance(rel.get(f), str) for f in ("type", "start", "end")):
            raise damaged(path, f"relationship {n} has no type, start or end")
        if rel["type"] not in REL_TYPES:
            raise damaged(path, f"relationship {n} has an unknown type {rel['type']!r}")
        if "key" in rel:
            raise damaged(path, f"relationship {n} has a property named key")
        for end in (rel["start"], rel["end"]):
            if end not in keys:
                raise damaged(path, f"relationship {n} ({rel['type']}) points to a missing node {end!r}")
    return nodes, rels
