"""Taking documents out of a store."""

from __future__ import annotations

from dataclasses import dataclass

from respgraph.graph.protocol import GraphStore
from respgraph.queries.lookup import find_document

__all__ = ["Removed", "remove_documents", "to_remove"]

#: The labels whose losses a removal reports, in this order.
_COUNTED = ("Item", "Unit", "UnitGroup", "Leader", "District", "ProgressReport")


@dataclass(frozen=True)
class Removed:
    """The documents removed and how many nodes of each label went with them."""

    keys: list[str]
    gone: dict[str, int]

    def line(self) -> str:
        """``removed KEY, … (100 Item, 3 Unit, …)`` as ``remove`` prints it."""
        counts = ", ".join(f"{n} {label}" for label, n in self.gone.items())
        return f"removed {', '.join(self.keys)}" + (f" ({counts})" if counts else "")


def to_remove(store: GraphStore, names: list[str]) -> str:
    """What removing ``names`` would take, said before it is done (an unknown name is an error now).

    >>> from respgraph.ingest import sample_store
    >>> to_remove(sample_store(), ["湛江市/2023/2"])
    'doc:湛江市/2023/2-a4a381 (2023 年市 10 件民生实事责任分工表, 10 items)'
    """
    documents = {d["key"]: d for d in store.documents()}
    keys = list(dict.fromkeys(find_document(list(documents.values()), name) for name in names))
    return "; ".join(f"{k} ({documents[k].get('title', '')}, {documents[k].get('items', 0)} items)" for k in keys)


def remove_documents(store: GraphStore, names: list[str]) -> Removed:
    """Remove the documents ``names`` give (keys, unique prefixes or title fragments, as
    :func:`~respgraph.queries.lookup.find_document` reads them), each with its items and
    the progress reports on it, each in one transaction of the store's.

    Every name is resolved before anything is removed: one that names no document,
    or several, removes nothing.

    >>> from respgraph.ingest import sample_store
    >>> remove_documents(sample_store(), ["湛江市/2023/2"]).line()
    'removed doc:湛江市/2023/2-a4a381 (10 Item, 6 Unit)'
    """
    keys = list(dict.fromkeys(find_document(store.documents(), name) for name in names))
    before, _ = store.counts()
    for key in keys:
        store.remove_document(key)
    after, _ = store.counts()
    gone = {
        label: before.get(label, 0) - after.get(label, 0)
        for label in _COUNTED
        if before.get(label, 0) - after.get(label, 0)
    }
    return Removed(keys, gone)
