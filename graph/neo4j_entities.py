"""Questions about one entity, each answered by Neo4j in one statement.

A unit's items, a leader's portfolio and one item whole each took the protocol's narrow
reads one after another (five to eight round trips, each a session, a plan look-up and a
decode); here each is one statement that finds the entity by its name or key (an index
seek: the name index, the alias text index or the key constraint) and collects what the
answer needs beside it.  Each method has the name and the answer of a default in
:mod:`respgraph.queries` (see :mod:`respgraph.queries.native`), and
``tests/test_store_parity.py`` holds the two equal; ``tests/test_one_read.py`` counts the
statements and reads their plans.
"""

from __future__ import annotations

from respgraph.graph.vocabulary import ROLE_EDGES

_ROLES = "|".join(ROLE_EDGES)


def _found(labels: tuple[str, ...], cities: bool) -> str:
    """The nodes of ``labels`` called ``$name`` (of the ``$cities`` when ``cities``: the city and name
    index seeks the one city's node, however many cities have one of that name), in label then key
    order, as ``found`` (a list of ``{n, named, row}``); those that know it as an alias (``$needle`` is
    ``|name|``) when none is called so; then ``entity``: the first of them when they lie in one
    city, null otherwise (the query says what is wrong from ``found``)."""
    where = "WHERE n.city IN $cities AND n.name = $name" if cities else "WHERE n.name = $name"
    alias = " AND n.city IN $cities" if cities else ""
    branches = [
        f"MATCH (n:{label}) {where} RETURN n, {rank} AS rank, true AS named" for rank, label in enumerate(labels)
    ]
    branches += [
        f"MATCH (n:{label}) WHERE n.alias_text CONTAINS $needle AND $name IN n.aliases{alias} "
        f"RETURN n, {rank} AS rank, false AS named"
        for rank, label in enumerate(labels)
    ]
    label_of = "CASE rank " + " ".join(f"WHEN {rank} THEN '{label}'" for rank, label in enumerate(labels)) + " END"
    return (
        "CALL () {\n  " + "\n  UNION ALL\n  ".join(branches) + "\n}\n"
        "WITH n, rank, named ORDER BY rank, n.key\n"
        f"WITH collect({{n: n, named: named, row: n {{.*, label: {label_of}}}}}) AS all\n"
        "WITH CASE WHEN any(x IN all WHERE x.named) THEN [x IN all WHERE x.named] ELSE all END AS found\n"
        "WITH found, reduce(seen = [], x IN found | CASE WHEN coalesce(x.n.city, '') IN seen THEN seen "
        "ELSE seen + coalesce(x.n.city, '') END) AS cities\n"
        "WITH found, CASE WHEN size(cities) = 1 THEN found[0].n END AS entity\n"
    )


_FOUND_RETURN = "RETURN [x IN found | x.row] AS found,\n"

# The unit and each group it is a member of (``via``), their role edges, the items in scope.
UNIT_ITEM_ROWS = {
    scoped: _found(("Unit", "UnitGroup"), scoped)
    + _FOUND_RETURN
    + f"""COLLECT {{
  MATCH (entity)-[:MEMBER_OF*0..1]->(s)-[r:{_ROLES}]->(t)
  MATCH (i:Item {{key: coalesce(t.item, t.key)}})
  WHERE $documents IS NULL OR i.document IN $documents
  RETURN {{type: type(r), via: CASE WHEN s = entity THEN null ELSE s.name END, item: i {{.*, label: 'Item'}},
          part: CASE WHEN t:SubItem THEN t {{.key, .part, .title}} END}}
}} AS rows"""
    for scoped in (False, True)
}

# Each item or sub-item the leader oversees in scope, with the units on it and its milestones.
PORTFOLIO_ROWS = {
    scoped: _found(("Leader",), scoped)
    + _FOUND_RETURN
    + f"""COLLECT {{
  MATCH (entity)-[:OVERSEES]->(t)
  MATCH (i:Item {{key: coalesce(t.item, t.key)}})
  WHERE $documents IS NULL OR i.document IN $documents
  RETURN {{item: i {{.*, label: 'Item'}}, part: CASE WHEN t:SubItem THEN t {{.key, .part, .title}} END,
          units: COLLECT {{ MATCH (s)-[r:{_ROLES}]->(t) RETURN {{name: s.name, role: type(r)}} }},
          milestones: COLLECT {{ MATCH (t)-[:HAS_MILESTONE]->(m:Milestone) RETURN m {{.*}} }}}}
}} AS rows"""
    for scoped in (False, True)
}

# One item by key, its document and everything on it or on its sub-items; the status records
# of reports on a document still loaded (as GraphStore.reports keeps them).
ITEM_ROWS = f"""MATCH (i:Item {{key: $key}})
OPTIONAL MATCH (d:Document {{key: $document}})
RETURN i {{.*, label: 'Item'}} AS item, d {{.*}} AS document,
  COLLECT {{ MATCH (p:SubItem)-[:PART_OF]->(i) RETURN p {{.*, label: 'SubItem'}} }} AS parts,
  COLLECT {{ MATCH (l:Leader)-[:OVERSEES]->(:Item|SubItem)-[:PART_OF*0..1]->(i) RETURN l.name }} AS leaders,
  COLLECT {{ MATCH (s)-[r:{_ROLES}]->(t:Item|SubItem)-[:PART_OF*0..1]->(i)
            RETURN {{name: s.name, type: type(r), target: t.key}} }} AS roles,
  COLLECT {{ MATCH (t:Item|SubItem)-[:PART_OF*0..1]->(i) MATCH (t)-[:HAS_MILESTONE]->(m:Milestone)
            RETURN m {{.*, owner: t.key}} }} AS milestones,
  COLLECT {{ MATCH (t:Item|SubItem)-[:PART_OF*0..1]->(i) MATCH (r:StatusRecord {{target: t.key}})
            WHERE EXISTS {{ MATCH (p:ProgressReport {{key: r.report}}) WHERE EXISTS {{ MATCH (:Document {{key: p.document}}) }} }}
            RETURN r {{.*, label: 'StatusRecord'}} }} AS records"""


class Neo4jEntities:
    """One-entity natives for :class:`~respgraph.graph.neo4j_store.Neo4jStore` (which supplies ``read``)."""

    def read(self, query: str, **params) -> list[dict]:  # pragma: no cover - provided by the store
        raise NotImplementedError

    def _entity(self, queries: dict[bool, str], name: str, cities, documents) -> dict:
        (row,) = self.read(
            queries[cities is not None], name=name, needle=f"|{name}|", cities=_list(cities), documents=_list(documents)
        )
        for node in row["found"]:
            node.pop("alias_text", None)  # the store's own look-up property, as find() hides it
        return row

    def unit_item_rows(self, *, name: str, cities=None, documents=None) -> dict:
        """:func:`respgraph.queries.items.default_unit_item_rows` in one statement."""
        return self._entity(UNIT_ITEM_ROWS, name, cities, documents)

    def portfolio_rows(self, *, name: str, cities=None, documents=None) -> dict:
        """:func:`respgraph.queries.portfolio.default_portfolio_rows` in one statement."""
        row = self._entity(PORTFOLIO_ROWS, name, cities, documents)
        for r in row["rows"]:
            r["units"].sort(key=lambda u: (u["name"], u["role"]))
            r["milestones"].sort(key=lambda m: m["seq"])
        return row

    def item_rows(self, *, document: str, key: str) -> dict | None:
        """:func:`respgraph.queries.item_detail.default_item_rows` in one statement."""
        rows = self.read(ITEM_ROWS, document=document, key=key)
        if not rows:
            return None
        (row,) = rows
        return row


def _list(values) -> list | None:
    return None if values is None else sorted(values)
