"""The Neo4j driver, imported without the numpy, pandas and pyarrow it would load for nothing.

The driver imports all three when they are installed (``neo4j._optional_deps``), to pack
numpy arrays and pandas values given as parameters and to build DataFrames of results.
respgraph passes plain Python values and reads plain records, so it needs neither; numpy is
one of respgraph's own dependencies and pandas comes with ``[frames]``, and importing them
was about half of a one-shot question on Neo4j (``python -X importtime``).  This module is
imported before any other part of the driver: the driver's modules then see them missing,
whatever is installed, and they stay importable for respgraph's own use afterwards.
"""

from __future__ import annotations

import sys
import threading

#: What the driver imports only to convert values respgraph never gives it.
_FOR_FRAMES = ("numpy", "pandas", "pyarrow")


def _import_driver():
    hidden = [name for name in _FOR_FRAMES if name not in sys.modules]
    # Hidden only while this process has one thread: an entry of None in sys.modules makes
    # every import of that name fail, and another thread (a server's) may be importing it.
    if threading.active_count() > 1:
        hidden = []
    for name in hidden:
        sys.modules[name] = None
    try:
        import neo4j
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
    return neo4j


neo4j = _import_driver()

__all__ = ["neo4j"]
