"""Answers remembered for one generation of a store, and no longer.

Every write transaction bumps the store's generation (``GraphStore.generation``), by
whatever program writes it; an answer remembered under the generation it was read at is
therefore never served after a write, here or in another process: the next reader asks
the generation (one indexed read), sees a new one, and reads again.

>>> from respgraph.ingest import sample_store
>>> store, cache, reads = sample_store(), GenerationCache(), []
>>> def documents():
...     reads.append(1)
...     return [d["key"] for d in store.documents()]
>>> cache.get(store, "documents", documents) == cache.get(store, "documents", documents), len(reads)
(True, 1)
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from respgraph.graph.protocol import GraphStore

__all__ = ["GenerationCache"]

T = TypeVar("T")


class GenerationCache:
    """What was read at the store's current generation, by key; a new generation empties it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation: str | None = None
        self._values: dict[Hashable, Any] = {}

    def get(self, store: GraphStore, key: Hashable, compute: Callable[[], T]) -> T:
        generation = store.generation()
        with self._lock:
            if generation == self._generation and key in self._values:
                return self._values[key]
        value = compute()
        # Kept only if nothing was written while it was read: a value read across a write
        # could hold half of it, and the generation after the write would not say so.
        if store.generation() == generation:
            with self._lock:
                if generation != self._generation:
                    self._generation, self._values = generation, {}
                self._values[key] = value
        return value
