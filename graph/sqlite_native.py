"""Queries the embedded store answers in SQL: the aggregations over the whole graph.

A province holds about 150,000 role edges; handing each to Python as a row costs
more than SQLite takes to count them.  Each method has the name and the answer of
a query's default in :mod:`respgraph.queries` (see :mod:`respgraph.queries.native`),
and ``tests/test_store_parity.py`` compares the two on the same data.  Lists travel
as one JSON parameter; no value is ever put into the text.
"""

from __future__ import annotations

import json

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


# Whose work counts for whom: a unit for itself, or the governments of a district for it.
_CARRIERS = {
    "unit": "carrier AS (SELECT key AS owner, key AS source FROM nodes WHERE label = 'Unit')",
    "district": "carrier AS (SELECT \"end\" AS owner, start AS source FROM rels WHERE type = 'GOVERNS')",
}
WORKLOAD_SQL = {by: f"""
WITH {_ROLE}, {carrier},
named AS (
  SELECT c.owner, count(DISTINCT role.item) AS items,
         count(DISTINCT CASE role.type WHEN 'LEADS' THEN role.item END) AS lead,
         count(DISTINCT CASE role.type WHEN 'IMPLEMENTS' THEN role.item END) AS implement,
         count(DISTINCT CASE role.type WHEN 'ASSISTS' THEN role.item END) AS assist
  FROM carrier c JOIN role ON role.source = c.source GROUP BY c.owner
),
via AS (
  SELECT owner, count(*) AS via_group FROM (
    SELECT c.owner, g.item FROM carrier c
      JOIN rels m ON m.start = c.source AND m.type = 'MEMBER_OF' JOIN role g ON g.source = m."end"
    EXCEPT
    SELECT c.owner, role.item FROM carrier c JOIN role ON role.source = c.source
  ) GROUP BY owner
)
SELECT o.name, coalesce(o.city, '') AS city, o.kind, coalesce(n.items, 0) AS items, coalesce(n.lead, 0) AS lead,
       coalesce(n.implement, 0) AS implement, coalesce(n.assist, 0) AS assist, coalesce(v.via_group, 0) AS via_group
FROM nodes o LEFT JOIN named n ON n.owner = o.key LEFT JOIN via v ON v.owner = o.key
WHERE o.label = '{label}'
""" for by, carrier, label in (("unit", _CARRIERS["unit"], "Unit"), ("district", _CARRIERS["district"], "District"))}
WORKLOAD_SQL["leader"] = f"""
WITH {_OVERSIGHT},
items AS (SELECT leader, count(DISTINCT item) AS items FROM ov GROUP BY leader),
units AS (
  SELECT ov.leader,
         count(DISTINCT CASE r.type WHEN 'LEADS' THEN r.start END) AS lead,
         count(DISTINCT CASE r.type WHEN 'IMPLEMENTS' THEN r.start END) AS implement,
         count(DISTINCT CASE r.type WHEN 'ASSISTS' THEN r.start END) AS assist
  FROM ov JOIN rels r ON r."end" = ov.target AND r.type IN ('LEADS', 'IMPLEMENTS', 'ASSISTS')
  GROUP BY ov.leader
)
SELECT l.name, coalesce(l.city, '') AS city, 'leader' AS kind, coalesce(i.items, 0) AS items,
       coalesce(u.lead, 0) AS lead, coalesce(u.implement, 0) AS implement, coalesce(u.assist, 0) AS assist,
       0 AS via_group
FROM nodes l LEFT JOIN items i ON i.leader = l.key LEFT JOIN units u ON u.leader = l.key
WHERE l.label = 'Leader'
"""

# Units × items in scope, as row ids in a temporary table with an index on the item: the
# pairs are a self-join on it, which SQLite would otherwise plan as a nested scan, and
# integers group several times faster than the text keys.
UNIT_ITEMS_SQL = f"""
CREATE TEMP TABLE unit_items AS
WITH {_ROLE}
SELECT DISTINCT u.rowid AS unit, i.rowid AS item
FROM role JOIN nodes u ON u.key = role.source JOIN nodes i ON i.key = role.item WHERE u.label = 'Unit'
"""
PAIRS_SQL = """
WITH pairs AS (
  SELECT a.unit AS x, b.unit AS y, count(*) AS shared
  FROM temp.unit_items a JOIN temp.unit_items b ON b.item = a.item AND b.unit > a.unit
  GROUP BY a.unit, b.unit HAVING count(*) >= :min_shared
)
SELECT nx.name AS x, ny.name AS y, coalesce(nx.city, '') AS city, pairs.shared
FROM pairs JOIN nodes nx ON nx.rowid = pairs.x JOIN nodes ny ON ny.rowid = pairs.y
"""

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

# Sub-items each unit, leader or district is on (a sub-item's target differs from its item).
PARTS_SQL = {
    "unit": f"""WITH {_ROLE}, parts AS (SELECT source AS owner, count(DISTINCT target) AS parts FROM role
                WHERE target <> item GROUP BY source)""",
    "leader": f"""WITH {_OVERSIGHT}, parts AS (SELECT leader AS owner, count(DISTINCT target) AS parts FROM ov
                  WHERE target <> item GROUP BY leader)""",
    "district": f"""WITH {_ROLE}, parts AS (SELECT gv."end" AS owner, count(DISTINCT role.target) AS parts
                    FROM rels gv JOIN role ON role.source = gv.start
                    WHERE gv.type = 'GOVERNS' AND role.target <> role.item GROUP BY gv."end")""",
}
_PARTS_OF = {"unit": "Unit", "leader": "Leader", "district": "District"}
PARTS_SQL = {by: text + f"""
SELECT coalesce(o.city, '') AS city, o.name, coalesce(p.parts, 0) AS parts
FROM nodes o LEFT JOIN parts p ON p.owner = o.key WHERE o.label = '{_PARTS_OF[by]}'""" for by, text in PARTS_SQL.items()}


class SqliteNative:
    """Native queries for :class:`~respgraph.graph.sqlite_store.SqliteStore` (which supplies ``_rows``)."""

    db = None  # the store's connection

    def _rows(self, sql: str, params) -> list[dict]:  # pragma: no cover - provided by the store
        raise NotImplementedError

    def workload_counts(self, *, by: str, documents=None) -> list[dict]:
        return self._rows(*_scoped(WORKLOAD_SQL[by], documents))

    def co_pairs(self, *, min_shared: int = 1, documents=None) -> list[dict]:
        db = self.db
        db.execute("DROP TABLE IF EXISTS temp.unit_items")
        db.execute(*_scoped(UNIT_ITEMS_SQL, documents))
        try:
            db.execute("CREATE INDEX temp.unit_items_item ON unit_items (item, unit)")
            rows = self._rows(PAIRS_SQL, {"min_shared": min_shared})
        finally:
            db.execute("DROP TABLE IF EXISTS temp.unit_items")
        return [{"a": min(r["x"], r["y"]), "b": max(r["x"], r["y"]), "city": r["city"], "shared": r["shared"]}
                for r in rows]

    def unit_counts(self, *, documents=None) -> list[dict]:
        return self._rows(*_scoped(UNITS_SQL, documents))

    def leader_counts(self, *, documents=None) -> list[dict]:
        return self._rows(*_scoped(LEADERS_SQL, documents))

    def part_counts(self, *, by: str, documents=None) -> dict[tuple[str, str], int]:
        return {(r["city"], r["name"]): r["parts"] for r in self._rows(*_scoped(PARTS_SQL[by], documents))}

