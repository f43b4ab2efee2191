"""Opening the store the settings name; the Neo4j driver is imported only when used."""

from __future__ import annotations

from respgraph.graph.memory import MemoryStore
from respgraph.graph.settings import Settings


def open_store(settings: Settings):
    """A :class:`MemoryStore` on the graph file, or a Neo4j store on the configured server."""
    if settings.store == "neo4j":
        from respgraph.graph.neo4j_store import Neo4jStore

        return Neo4jStore.connect(settings.neo4j)
    return MemoryStore.open(settings.graph_file)
