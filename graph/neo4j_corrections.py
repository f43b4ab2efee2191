"""Corrections in Neo4j: a ``Correction`` node linked to nothing, so that removing or
reloading its document (``DETACH DELETE`` of what the document owns) leaves it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from respgraph.graph.corrections import correction_keys

CORRECTIONS = """MATCH (c:Correction) USING INDEX c:Correction(key) WHERE c.key IS NOT NULL
RETURN c {.*, label: 'Correction'} AS n ORDER BY n.key"""
CORRECTIONS_OF = """MATCH (c:Correction) WHERE c.key IN $keys
RETURN c {.*, label: 'Correction'} AS n ORDER BY n.key"""
WRITE_CORRECTION = "MERGE (c:Correction {key: $key}) SET c = $props, c.key = $key"
REMOVE_CORRECTION = "MATCH (c:Correction {key: $key}) DELETE c RETURN count(*) AS n"


class Neo4jCorrections:
    """``corrections``, ``write_correction`` and ``remove_correction`` for
    :class:`~respgraph.graph.neo4j_store.Neo4jStore`."""

    # Provided by the store (read) and by Neo4jProgress (_transaction).
    read: Callable[..., list[dict]]
    _transaction: Callable[..., Any]

    def corrections(self, items: list[str] | None = None) -> list[dict]:
        if items is None:
            return [r["n"] for r in self.read(CORRECTIONS)]
        return [r["n"] for r in self.read(CORRECTIONS_OF, keys=correction_keys(items))]

    def write_correction(self, row: dict) -> None:
        props = {k: v for k, v in row.items() if k not in ("key", "label")}
        self._transaction(
            lambda tx: tx.run(WRITE_CORRECTION, key=row["key"], props=props).consume(),
            f"recording the correction {row['key']}",
            "nothing was written",
        )

    def remove_correction(self, key: str) -> bool:
        def work(tx):
            return tx.run(REMOVE_CORRECTION, key=key).single()["n"] > 0

        return self._transaction(work, f"removing the correction {key}", "nothing was removed")
