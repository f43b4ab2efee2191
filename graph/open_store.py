"""Opening the store the settings name; the Neo4j driver is imported only when used."""

from __future__ import annotations

from collections.abc import Callable

from respgraph.graph.protocol import GraphStore
from respgraph.graph.settings import Settings
from respgraph.graph.sqlite_store import SqliteStore


def open_store(
    settings: Settings, *, write: bool = False, notice: Callable[[str], object] | None = None, one_shot: bool = False
) -> GraphStore:
    """The embedded :class:`SqliteStore` in the settings' home, or the Neo4j store on the
    configured server.

    ``one_shot``: for one command's questions, on one thread; on Neo4j at a ``bolt://``
    address its reads then go over one connection of the standard library's, and the driver
    is imported only if the command writes (:mod:`respgraph.graph.neo4j_question`).

    Typed as the protocol every query is written against, so mypy checks here that both
    stores implement :class:`~respgraph.graph.protocol.GraphStore` (each ``return``).

    A question never creates the embedded file (``write`` does).  A ``graph.json``
    of an earlier version is moved into SQLite the first time the store is opened;
    ``notice`` (a callable) is told so.
    """
    if settings.store == "neo4j":
        if one_shot and not write:
            from respgraph.graph.neo4j_question import Neo4jQuestions

            found = Neo4jQuestions.for_address(settings.neo4j)
            if found is not None:
                return found
        from respgraph.graph.neo4j_store import Neo4jStore

        return Neo4jStore.connect(settings.neo4j, schema=write)
    target, legacy = settings.graph_file, settings.legacy_file
    if not target.exists() and legacy.exists():
        from respgraph.graph.legacy_json import migrate

        store = migrate(legacy, target)
        if notice:
            notice(
                f"moved the graph of {legacy} into {target} (SQLite); {legacy.name} is no longer read "
                "and can be deleted"
            )
        return store
    return SqliteStore.open(target, create=write)
