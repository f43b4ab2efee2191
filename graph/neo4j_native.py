"""Queries Neo4j answers on the server: aggregations over the whole graph that would
otherwise send every role edge over the wire.

Each method has the name and the answer of a query's default in
:mod:`respgraph.queries` (see :mod:`respgraph.queries.native`); the parity tests
compare the two on the same data.
"""

from __future__ import annotations

# The role counts of one set of units ($-free: the caller's MATCH binds `u`).
_ROLE_COUNTS = """
  OPTIONAL MATCH (u)-[r:LEADS|IMPLEMENTS|ASSISTS]->(t)
  OPTIONAL MATCH (t)-[:PART_OF]->(p:Item)
  WITH u, r, coalesce(p, t) AS item
  // A CASE, not a WHERE: a unit whose items are all in other documents must stay,
  // so its group-derived items still count.
  WITH u, r, CASE WHEN $documents IS NULL OR item.document IN $documents THEN item END AS item
  WITH collect(DISTINCT u) AS us,
       collect(DISTINCT CASE type(r) WHEN 'LEADS' THEN item.key END) AS lead,
       collect(DISTINCT CASE type(r) WHEN 'IMPLEMENTS' THEN item.key END) AS implement,
       collect(DISTINCT CASE type(r) WHEN 'ASSISTS' THEN item.key END) AS assist,
       collect(DISTINCT item.key) AS named
  CALL (us, named) {
    UNWIND us AS u
    MATCH (u)-[:MEMBER_OF]->(:UnitGroup)-[:LEADS|IMPLEMENTS|ASSISTS]->(t)
    OPTIONAL MATCH (t)-[:PART_OF]->(p:Item)
    WITH coalesce(p, t) AS item
    WHERE ($documents IS NULL OR item.document IN $documents) AND NOT item.key IN named
    RETURN count(DISTINCT item) AS via_group
  }
  RETURN size(named) AS items, size(lead) AS lead, size(implement) AS implement,
         size(assist) AS assist, coalesce(via_group, 0) AS via_group
"""

UNIT_CYPHER = (
    """
MATCH (x:Unit) USING INDEX x:Unit(key) WHERE x.key IS NOT NULL AND ($cities IS NULL OR x.city IN $cities)
CALL (x) {
  WITH x AS u
"""
    + _ROLE_COUNTS
    + """
}
RETURN x.name AS name, x.city AS city, x.kind AS kind, items, lead, implement, assist, via_group
"""
)

DISTRICT_CYPHER = (
    """
MATCH (x:District) WHERE $cities IS NULL OR x.city IN $cities
CALL (x) {
  OPTIONAL MATCH (u:Unit)-[:GOVERNS]->(x)
"""
    + _ROLE_COUNTS
    + """
}
RETURN x.name AS name, x.city AS city, x.kind AS kind, items, lead, implement, assist, via_group
"""
)

LEADER_CYPHER = """
MATCH (l:Leader) WHERE $cities IS NULL OR l.city IN $cities
CALL (l) {
  OPTIONAL MATCH (l)-[:OVERSEES]->(t)
  OPTIONAL MATCH (t)-[:PART_OF]->(p:Item)
  WITH t, coalesce(p, t) AS item
  WHERE item IS NULL OR $documents IS NULL OR item.document IN $documents
  OPTIONAL MATCH (u)-[r:LEADS|IMPLEMENTS|ASSISTS]->(t)
  RETURN count(DISTINCT item) AS items,
         count(DISTINCT CASE type(r) WHEN 'LEADS' THEN u END) AS lead,
         count(DISTINCT CASE type(r) WHEN 'IMPLEMENTS' THEN u END) AS implement,
         count(DISTINCT CASE type(r) WHEN 'ASSISTS' THEN u END) AS assist
}
RETURN l.name AS name, l.city AS city, 'leader' AS kind, items, lead, implement, assist, 0 AS via_group
"""


UNITS_CYPHER = """
CALL () {
  MATCH (u:Unit) USING INDEX u:Unit(key) WHERE u.key IS NOT NULL RETURN u, u.kind AS kind
  UNION
  MATCH (u:UnitGroup) USING INDEX u:UnitGroup(key) WHERE u.key IS NOT NULL RETURN u, 'group' AS kind
}
CALL (u) {
  OPTIONAL MATCH (u)-[:LEADS|IMPLEMENTS|ASSISTS]->(t)
  OPTIONAL MATCH (t)-[:PART_OF]->(p:Item)
  WITH coalesce(p, t) AS item
  WHERE item IS NOT NULL AND ($documents IS NULL OR item.document IN $documents)
  RETURN count(DISTINCT item) AS items
}
CALL (u) {
  OPTIONAL MATCH (u)-[:MEMBER_OF]->(:UnitGroup)-[:LEADS|IMPLEMENTS|ASSISTS]->(t)
  OPTIONAL MATCH (t)-[:PART_OF]->(p:Item)
  WITH coalesce(p, t) AS item
  WHERE item IS NOT NULL AND ($documents IS NULL OR item.document IN $documents)
  RETURN count(DISTINCT item) AS via
}
RETURN u.name AS name, u.city AS city, kind, items, via
"""


LEADERS_CYPHER = """
MATCH (l:Leader) USING INDEX l:Leader(key) WHERE l.key IS NOT NULL
CALL (l) {
  OPTIONAL MATCH (l)-[:OVERSEES]->(t)
  OPTIONAL MATCH (t)-[:PART_OF]->(p:Item)
  WITH coalesce(p, t) AS item
  WHERE item IS NOT NULL AND ($documents IS NULL OR item.document IN $documents)
  RETURN count(DISTINCT item) AS items
}
RETURN l.name AS name, l.city AS city, items
"""


# Each item's units once, every two of them a pair; the pairs go back as four columns
# of one row: a province's 135,000 pairs decode in a third of the time rows take.
PAIRS_CYPHER = """
MATCH (i:Item) USING INDEX i:Item(key) WHERE i.key IS NOT NULL AND ($documents IS NULL OR i.document IN $documents)
CALL (i) {
  MATCH (u:Unit)-[:LEADS|IMPLEMENTS|ASSISTS]->(:Item|SubItem)-[:PART_OF*0..1]->(i)
  RETURN collect(DISTINCT u) AS us
}
UNWIND us AS a
UNWIND us AS b
WITH a, b WHERE elementId(a) < elementId(b)
WITH a, b, count(*) AS shared WHERE shared >= $min_shared
RETURN collect(a.name) AS a, collect(b.name) AS b, collect(a.city) AS city, collect(shared) AS shared
"""


_PARTS_TAIL = """
WHERE $documents IS NULL OR i.document IN $documents
RETURN x.city AS city, x.name AS name, count(DISTINCT s) AS parts
"""

PARTS_CYPHER = {
    # Every unit (leader) in turn, read from the key index, then its sub-items.
    "unit": "MATCH (x:Unit) USING INDEX x:Unit(key) WHERE x.key IS NOT NULL "
    "MATCH (x)-[:LEADS|IMPLEMENTS|ASSISTS]->(s:SubItem)-[:PART_OF]->(i:Item)" + _PARTS_TAIL,
    "leader": "MATCH (x:Leader) USING INDEX x:Leader(key) WHERE x.key IS NOT NULL "
    "MATCH (x)-[:OVERSEES]->(s:SubItem)-[:PART_OF]->(i:Item)" + _PARTS_TAIL,
    "district": "MATCH (x:District)<-[:GOVERNS]-(:Unit)-[:LEADS|IMPLEMENTS|ASSISTS]->(s:SubItem)-[:PART_OF]->(i:Item)"
    + _PARTS_TAIL,
}


# Issue 30's directed ties, lead → implementing or assisting unit of the same item or
# sub-item (a role on the item holds for its parts), counted per document on the server:
# a province's 300,000 role rows become 110,000 ties, sent back as columns of one row.
TIES_CYPHER = """
MATCH (i:Item) USING INDEX i:Item(key) WHERE i.key IS NOT NULL AND ($documents IS NULL OR i.document IN $documents)
CALL (i) {
  MATCH (a:Unit)-[:LEADS]->(ta:Item|SubItem)-[:PART_OF*0..1]->(i)
  MATCH (b:Unit)-[:IMPLEMENTS|ASSISTS]->(tb:Item|SubItem)-[:PART_OF*0..1]->(i)
  WHERE a <> b AND (ta = tb OR ta = i OR tb = i)
  RETURN DISTINCT a.name AS a, b.name AS b, coalesce(a.city, '') AS city
}
WITH i.document AS document, city, a, b, count(*) AS items
RETURN collect(document) AS document, collect(city) AS city, collect(a) AS a, collect(b) AS b,
       collect(items) AS items
"""

# The units named on the items of each document, with their kind (ties or not).
NAMED_CYPHER = """
MATCH (i:Item) USING INDEX i:Item(key) WHERE i.key IS NOT NULL AND ($documents IS NULL OR i.document IN $documents)
MATCH (u:Unit)-[:LEADS|IMPLEMENTS|ASSISTS]->(:Item|SubItem)-[:PART_OF*0..1]->(i)
WITH DISTINCT i.document AS document, u
RETURN collect(document) AS document, collect(coalesce(u.city, '')) AS city, collect(u.name) AS name,
       collect(coalesce(u.kind, 'other')) AS kind
"""


def _year(document: str) -> int:
    return int(document.removeprefix("doc:").split("/")[1])


def _cities(documents) -> list[str] | None:
    """The jurisdictions of document keys (``doc:湛江市/2023/1-…`` → 湛江市); None for all."""
    if documents is None:
        return None
    return sorted({key.removeprefix("doc:").split("/", 1)[0] for key in documents})


class Neo4jNative:
    """Native queries for :class:`~respgraph.graph.neo4j_store.Neo4jStore` (which supplies ``read``)."""

    def read(self, query: str, **params) -> list[dict]:  # pragma: no cover - provided by the store
        raise NotImplementedError

    def workload_counts(self, *, by: str, documents=None) -> list[dict]:
        query = {"unit": UNIT_CYPHER, "district": DISTRICT_CYPHER, "leader": LEADER_CYPHER}[by]
        # Only the cities of the documents asked for: the others' rows are all zeros, which the
        # query drops, and walking their edges made one city's workload cost the province's.
        return self.read(query, documents=documents, cities=_cities(documents))

    def co_pairs(self, *, min_shared: int = 1, documents=None) -> list[dict]:
        (found,) = self.read(PAIRS_CYPHER, min_shared=min_shared, documents=documents)
        return [
            {"a": min(a, b), "b": max(a, b), "city": city or "", "shared": shared}
            for a, b, city, shared in zip(found["a"], found["b"], found["city"], found["shared"])
        ]

    def unit_counts(self, *, documents=None) -> list[dict]:
        return self.read(UNITS_CYPHER, documents=documents)

    def leader_counts(self, *, documents=None) -> list[dict]:
        return self.read(LEADERS_CYPHER, documents=documents)

    def part_counts(self, *, by: str, documents=None) -> dict[tuple[str, str], int]:
        return {(r["city"] or "", r["name"]): r["parts"] for r in self.read(PARTS_CYPHER[by], documents=documents)}

    def read_ties(self, *, documents=None):
        """:func:`respgraph.queries.directed_ties.read_ties`, the ties counted on the server."""
        (ties,) = self.read(TIES_CYPHER, documents=documents)
        (named_rows,) = self.read(NAMED_CYPHER, documents=documents)
        weight: dict[tuple, int] = {}
        for document, city, a, b, items in zip(ties["document"], ties["city"], ties["a"], ties["b"], ties["items"]):
            key = (city, _year(document), a, b)
            weight[key] = weight.get(key, 0) + items
        kinds: dict[tuple[str, str], str] = {}
        named: dict[tuple[str, int], set[str]] = {}
        for document, city, name, kind in zip(
            named_rows["document"], named_rows["city"], named_rows["name"], named_rows["kind"]
        ):
            kinds[(city, name)] = kind
            named.setdefault((city, _year(document)), set()).add(name)
        return weight, kinds, named
