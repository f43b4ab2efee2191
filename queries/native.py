"""Queries a store answers itself, the way a networkx backend overrides a function.

A query written against :class:`~respgraph.graph.protocol.GraphStore` asks
``native(store, "co_pairs")``; when the store has a method of that name (Neo4j
counts pairs on the server instead of sending every role edge over the wire), the
query calls it, and otherwise runs its own default.  :func:`defaults_only` turns
the natives off, so the parity tests can run both on the same data and compare.

>>> class Plain: ...
>>> class Fast:
...     def co_pairs(self, **options): return []
>>> native(Plain(), "co_pairs") is None, native(Fast(), "co_pairs") is not None
(True, True)
>>> with defaults_only():
...     native(Fast(), "co_pairs") is None
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from respgraph.graph.protocol import GraphStore

__all__ = ["native", "defaults_only", "NATIVE"]

#: Every query a store may answer natively, and the module whose default it overrides.
NATIVE = {
    "co_pairs": "respgraph.queries.co",
    "workload_counts": "respgraph.queries.workload",
    "unit_counts": "respgraph.queries.listing",
    "leader_counts": "respgraph.queries.listing",
    "part_counts": "respgraph.queries.balance",
    "read_ties": "respgraph.queries.directed_ties",
    # One entity's question in one read: what the answer needs, no more (issue 27).
    "unit_item_rows": "respgraph.queries.items",
    "portfolio_rows": "respgraph.queries.portfolio",
    "item_rows": "respgraph.queries.item_detail",
}

_DEFAULTS_ONLY: ContextVar[bool] = ContextVar("defaults_only", default=False)


def native(store: GraphStore, name: str) -> Callable | None:
    """The store's own version of query ``name``, or None to run the default."""
    assert name in NATIVE, f"{name} is not a query a store may override"
    if _DEFAULTS_ONLY.get():
        return None
    return getattr(store, name, None)


@contextmanager
def defaults_only() -> Iterator[None]:
    """Within the block, every query runs its default, whatever the store offers."""
    token = _DEFAULTS_ONLY.set(True)
    try:
        yield
    finally:
        _DEFAULTS_ONLY.reset(token)
