"""The embedded store: the graph in networkx, saved as one JSON file.

File format (``graph.json``, UTF-8)::

    {"format": "respgraph", "version": 1,
     "nodes": [{"key": "unit:湛江市/市自然资源局", "label": "Unit", "name": …}, …],
     "rels":  [{"type": "LEADS", "start": "unit:…", "end": "item:…"}, …]}

Every node is ``label`` + ``key`` + its properties; every relationship is
``type`` + ``start`` + ``end`` (+ properties).  The same shape is what the Neo4j
store writes, so a file can be inspected with ``jq`` and moved between stores.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from respgraph.graph.errors import StoreUnavailable

if TYPE_CHECKING:  # the model's pydantic classes cost start-up time that queries don't need
    from respgraph.graph.model import Batch

FORMAT, VERSION = "respgraph", 1
# Nodes that belong to one document and go when it is loaded again; units,
# leaders, groups and districts are shared between documents.
_OWNED = {"Item", "SubItem", "Milestone"}
_ROLES = {"LEADS", "IMPLEMENTS", "ASSISTS"}
_NAMING = _ROLES | {"OVERSEES"}


class MemoryStore:
    """A :class:`networkx.MultiDiGraph` keyed by node key, one edge per (start, end, type)."""

    engine = "networkx"

    def __init__(self, path: Path | None = None, graph: nx.MultiDiGraph | None = None):
        self.path = path
        self.graph = graph if graph is not None else nx.MultiDiGraph()
        # Every question asks for the documents (to resolve --doc and --city, to
        # decide on a city column): read once per change, not once per asking.
        self._documents: list[dict] | None = None

    @classmethod
    def open(cls, path: Path) -> MemoryStore:
        """The store saved at ``path``; empty when the file does not exist yet.

        A file that is not a whole respgraph graph is refused (:class:`StoreUnavailable`)
        and left as it is: nothing is ever saved over it.
        """
        store = cls(path)
        if path.exists():
            try:
                data = json.loads(path.read_text("utf-8"))
            except RecursionError:
                raise damaged(path, "nested too deeply to be a graph") from None
            except (OSError, ValueError) as exc:
                raise damaged(path, f"not readable as JSON: {exc}") from None
            nodes, rels = check_graph(path, data)
            store.add_plain(nodes, rels)
        return store

    @classmethod
    @contextmanager
    def editing(cls, path: Path, timeout: float = 300) -> Iterator[MemoryStore]:
        """The store at ``path`` for one writer at a time: locked from reading to saving.

        Two ``respgraph load`` at once each read the file, add their document and
        save; without the lock the second save drops the first one's document.
        Readers need no lock: a save replaces the file atomically.  The store is
        saved when the block ends without an error, and not otherwise.
        """
        from filelock import FileLock, Timeout  # imported here: only writers need it

        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with FileLock(str(path) + ".lock", timeout=timeout):
                _remove_leftovers(path)
                store = cls.open(path)
                yield store
                store.save()
        except Timeout:
            raise StoreUnavailable(str(path), f"another respgraph command has been writing to it for "
                                              f"{timeout:.0f} s; try again when it is done") from None

    def add_plain(self, nodes: list[dict], rels: list[dict]) -> None:
        self._documents = None
        g = self.graph
        for n in nodes:
            n = dict(n)
            g.add_node(n.pop("key"), **n)
        for r in rels:
            r = dict(r)
            start, end, kind = r.pop("start"), r.pop("end"), r.pop("type")
            g.add_edge(start, end, key=kind, type=kind, **r)

    def write(self, batch: Batch) -> None:
        """Add one document, replacing what an earlier load of it wrote."""
        self.remove_document(batch.document)
        self.add_plain(
            [{"key": n.key, "label": n.label, **n.props} for n in batch.nodes],
            [{"type": r.type, "start": r.start, "end": r.end, **r.props} for r in batch.rels],
        )

    def remove_document(self, key: str) -> bool:
        """Take a document out with what it owns; units, leaders, groups and
        districts that no other document names go too.  False when it is not there."""
        g = self.graph
        if key not in g:
            return False
        self._documents = None
        items = [i for i, _, t in g.in_edges(key, keys=True) if t == "FROM"]
        owned = set(items)
        for item in items:
            owned.update(p for p, _, t in g.in_edges(item, keys=True) if t == "PART_OF")
        touched = {s for owner in owned for s, _, t in g.in_edges(owner, keys=True) if t in _NAMING}
        for owner in list(owned):
            owned.update(m for _, m, t in g.out_edges(owner, keys=True) if t == "HAS_MILESTONE")
        g.remove_nodes_from(owned | {key})
        self._prune(touched)
        return True

    def _prune(self, touched: set[str]) -> None:
        """Remove the shared nodes among ``touched`` (and their members and districts)
        that nothing names any more."""
        g = self.graph
        groups = {n for n in touched if g.nodes[n]["label"] == "UnitGroup"}
        units = {n for n in touched if g.nodes[n]["label"] == "Unit"}
        units |= {u for grp in groups for u, _, t in g.in_edges(grp, keys=True) if t == "MEMBER_OF"}
        leaders = {n for n in touched if g.nodes[n]["label"] == "Leader"}

        def names(node, kinds):
            return any(t in kinds for _, _, t in g.out_edges(node, keys=True))

        g.remove_nodes_from([n for n in groups if not names(n, _ROLES)])
        dead_units = [n for n in units if not names(n, _ROLES | {"MEMBER_OF"})]
        districts = {d for u in dead_units for _, d, t in g.out_edges(u, keys=True) if t == "GOVERNS"}
        g.remove_nodes_from(dead_units)
        g.remove_nodes_from([n for n in leaders if not names(n, {"OVERSEES"})])
        g.remove_nodes_from([d for d in districts if not any(t == "GOVERNS" for _, _, t in g.in_edges(d, keys=True))])

    def document(self, key: str) -> dict | None:
        """The properties of one document, or None."""
        if key not in self.graph or self.graph.nodes[key].get("label") != "Document":
            return None
        return {"key": key, **self.graph.nodes[key]}

    def save(self) -> None:
        """Write the graph to its file atomically: a crash leaves the old file whole."""
        if self.path is None:
            raise StoreUnavailable("memory", "this store has no file to save to")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "format": FORMAT,
            "version": VERSION,
            "nodes": [{"key": k, **a} for k, a in self.graph.nodes(data=True)],
            "rels": [
                {"start": s, "end": e, **a} for s, e, a in self.graph.edges(data=True)
            ],
        }
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=self.path.name + ".", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def documents(self) -> list[dict]:
        """Every document's properties, with ``items``: how many items it holds."""
        if self._documents is None:
            g = self.graph
            self._documents = sorted(
                ({"key": k, **a, "items": sum(1 for _, _, t in g.in_edges(k, keys=True) if t == "FROM")}
                 for k, a in g.nodes(data=True) if a["label"] == "Document"),
                key=lambda d: d["key"],
            )
        return [dict(d) for d in self._documents]

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """Nodes per label and relationships per type."""
        nodes = Counter(a["label"] for _, a in self.graph.nodes(data=True))
        rels = Counter(t for _, _, t in self.graph.edges(keys=True))
        return dict(sorted(nodes.items())), dict(sorted(rels.items()))

    def close(self) -> None:
        pass


#: Properties without which a document cannot be listed or queried.
_DOCUMENT_NEEDS = ("title", "city", "year", "attachment")


def damaged(path: Path, why: str) -> StoreUnavailable:
    return StoreUnavailable(str(path), f"the saved graph is damaged ({why}); it was left as it is: "
                                       "move it away (or restore a backup) and load your tables again")


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
        if node["label"] == "Document" and not all(node.get(f) not in (None, "") for f in _DOCUMENT_NEEDS):
            missing = next(f for f in _DOCUMENT_NEEDS if node.get(f) in (None, ""))
            raise damaged(path, f"document {node['key']!r} has no {missing}")
        keys.add(node["key"])
    for n, rel in enumerate(rels):
        if not isinstance(rel, dict) or not all(isinstance(rel.get(f), str) for f in ("type", "start", "end")):
            raise damaged(path, f"relationship {n} has no type, start or end")
        if "key" in rel:
            raise damaged(path, f"relationship {n} has a property named key")
        for end in (rel["start"], rel["end"]):
            if end not in keys:
                raise damaged(path, f"relationship {n} ({rel['type']}) points to a missing node {end!r}")
    return nodes, rels


def _remove_leftovers(path: Path) -> None:
    """Temporary files of saves that were killed before they could rename them (called under the lock)."""
    for leftover in path.parent.glob(path.name + ".*.tmp"):
        leftover.unlink(missing_ok=True)
    for leftover in path.parent.glob("tmp*.tmp"):  # named so by earlier versions
        leftover.unlink(missing_ok=True)
