"""The bundled sample as a store: what questions answer from when nothing is loaded."""

from __future__ import annotations

from respgraph.graph.sqlite_store import SqliteStore
from respgraph.loaders.items.names import Aliases
from respgraph.loaders.load import read_tables, sample_path


def sample_store(aliases: Aliases | None = None) -> SqliteStore:
    """An embedded store in memory holding the bundled sample (Zhanjiang, 2023).

    ``aliases`` is the user's alias list (the shipped one when None).

    >>> sorted(d["key"] for d in sample_store().documents())
    ['doc:湛江市/2023/1-b6a81b', 'doc:湛江市/2023/2-a4a381']
    """
    store = SqliteStore()
    for table in read_tables(sample_path(), aliases=aliases):
        store.write(table.to_batch())
    return store
