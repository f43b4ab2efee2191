"""Queries the embedded store answers in SQL: the unit and leader listings.

A native is kept only where it is at least twice as fast as the query's default on
the province corpus (``scripts/bench --natives``: units 2.1x, leaders 3.4x); the
workload, co-responsibility pairs and sub-item counts in SQL were no faster than the
defaults (1.0x, 1.0x, 1.5x) and were removed.  Each method has the name and the answer of
a query's default in :mod:`respgraph.queries` (see :mod:`respgraph.queries.native`),
and ``tests/test_store_parity.py`` compares the two on the same data.  Lists travel
as one JSON parameter; no value is ever put into the text.
"""

from __future__ import annotations

import json
import sqlite3

# The role edges in scope: (source, type, target, item), one materialised table per statement.
_ROLE = """role AS MATERIALIZED (
  SELECT r.start AS source, r.type AS type, r."end" AS target, t.item AS item
  FROM rels r JOIN nodes t ON t.key = r."end"
  WHERE r.type IN ('LEADS', 'IMPLEMENTS', 'ASSISTS') /*scope*/
)"""
_OVERSIGHT = """ov AS MATERIALIZED (
  SELECT r.start AS leader, r."end" AS target, t.item AS item
  FROM rels r JOIN nodes t ON t.key = r."end"
  WHERE r.type = 'OVERSEES' /*scope*/
)"""

# Some documents' edges are found from their items (the document index), not by reading
# every edge and keeping some: the statement is written for the one case or the other.
_SCOPE = """AND r."end" IN (SELECT key FROM nodes WHERE label IN ('Item', 'SubItem')
                             AND document IN (SELECT value FROM json_each(:documents)))"""


def _scoped(sql: str, documents) -> tuple[str, dict]:
    """``sql`` for every document (``documents`` None) or for some, and its parameters."""
    if documents is None:
        return sql.replace("/*scope*/", ""), {}
    return sql.replace("/*scope*/", _SCOPE), {"documents": json.dumps(list(documents), ensure_ascii=False)}


UNITS_SQL = f"""
WITH {_ROLE},
named AS (SELECT source, count(DISTINCT item) AS items FROM role GROUP BY source),
via AS (
  SELECT m.start AS unit, count(DISTINCT g.item) AS via FROM rels m JOIN role g ON g.source = m."end"
  WHERE m.type = 'MEMBER_OF' GROUP BY m.start
)
SELECT u.name, coalesce(u.city, '') AS city,
       CASE u.label WHEN 'Unit' THEN coalesce(u.kind, 'other') ELSE 'group' END AS kind,
       coalesce(n.items, 0) AS items, coalesce(v.via, 0) AS via
FROM nodes u LEFT JOIN named n ON n.source = u.key LEFT JOIN via v ON v.unit = u.key
WHERE u.label IN ('Unit', 'UnitGroup')
"""

LEADERS_SQL = f"""
WITH {_OVERSIGHT}, items AS (SELECT leader, count(DISTINCT item) AS items FROM ov GROUP BY leader)
SELECT l.name, coalesce(l.city, '') AS city, coalesce(i.items, 0) AS items
FROM nodes l LEFT JOIN items i ON i.leader = l.key WHERE l.label = 'Leader'
"""


class SqliteNative:
    """Native queries for :class:`~respgraph.graph.sqlite_store.SqliteStore` (which supplies ``_rows``)."""

    db: sqlite3.Connection  # the store's connection, set by the store

    def _rows(self, sql: str, params) -> list[dict]:  # pragma: no cover - provided by the store
        raise NotImplementedError

    def unit_counts(self, *, documents=None) -> list[dict]:
        return self._rows(*_scoped(UNITS_SQL, documents))

    def leader_counts(self, *, documents=None) -> list[dict]:
        return self._rows(*_scoped(LEADERS_SQL, documents))
