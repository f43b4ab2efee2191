"""The reads of :class:`~respgraph.graph.protocol.GraphStore` in Cypher, and the
queries Neo4j answers natively (aggregations it does on the server).

Every text starts from an index: a key (``{key: …}`` or ``USING INDEX``), a name,
or ``Item.document``; ``tests/test_query_plans.py`` runs ``EXPLAIN`` on each and
fails on a scan.  Labels and relationship types come from the vocabulary, never
from input; every value is a ``$parameter``.
"""

from __future__ import annotations

from collections.abc import Sequence

from respgraph.graph.vocabulary import LABELS, REL_TYPES

#: The labels whose nodes :meth:`Neo4jReads.find` looks names up in.
NAMED = ("Unit", "UnitGroup", "Leader", "District")

# Only an Item comes FROM a document: counting the edges, without the label, is the node's
# degree, which Neo4j keeps (no item is read), so the list costs the same whatever the tables hold.
DOCUMENTS_ALL = """
MATCH (d:Document) USING INDEX d:Document(key) WHERE d.key IS NOT NULL
RETURN d {.*, items: COUNT { ()-[:FROM]->(d) }} AS d ORDER BY d.key
"""
DOCUMENTS_OF_CITY = """
MATCH (d:Document {city: $city})
RETURN d {.*, items: COUNT { ()-[:FROM]->(d) }} AS d ORDER BY d.key
"""
FIND: dict[str | tuple[str, ...], str] = {
    label: f"MATCH (n:{label} {{name: $name}}) RETURN n {{.*, label: '{label}'}} AS n ORDER BY n.key" for label in NAMED
}
# A unit's name may be a unit's or a group's: both name indexes in one round trip.
FIND[("Unit", "UnitGroup")] = """CALL () {
  MATCH (n:Unit {name: $name}) RETURN n {.*, label: 'Unit'} AS n
  UNION ALL
  MATCH (n:UnitGroup {name: $name}) RETURN n {.*, label: 'UnitGroup'} AS n
}
RETURN n ORDER BY n.label, n.key"""
# A spelling some node knows as an alias: the alias text index answers CONTAINS, the
# list then confirms the whole name (``|市发改局|`` is in ``|市发改局|发改局|``).
FIND_ALIAS = {
    label: f"""MATCH (n:{label}) WHERE n.alias_text CONTAINS $needle AND $name IN n.aliases
RETURN n {{.*, label: '{label}'}} AS n ORDER BY n.key"""
    for label in NAMED
}
NAMES = {
    label: f"""MATCH (n:{label}) USING INDEX n:{label}(name) WHERE n.name IS NOT NULL
RETURN DISTINCT n.city AS city, n.name AS name"""
    for label in NAMED
}

ITEMS_BY_KEY = "UNWIND $keys AS key MATCH (i:Item {key: key}) RETURN i {.*, label: 'Item'} AS n"
ITEMS_OF_DOCUMENTS = "MATCH (i:Item) WHERE i.document IN $documents RETURN i {.*, label: 'Item'} AS n"
ITEMS_ALL = """MATCH (i:Item) USING INDEX i:Item(key) WHERE i.key IS NOT NULL
RETURN i {.*, label: 'Item'} AS n"""
PARTS = """UNWIND $items AS key MATCH (:Item {key: key})<-[:PART_OF]-(p:SubItem)
RETURN p {.*, label: 'SubItem'} AS n"""
NODES = {
    label: f"""MATCH (n:{label}) USING INDEX n:{label}(key) WHERE n.key IS NOT NULL
RETURN n {{.*, label: '{label}'}} AS n"""
    for label in LABELS
}
RELS = {
    kind: f"MATCH (s)-[r:{kind}]->(e) RETURN r {{.*, type: '{kind}', start: s.key, end: e.key}} AS r"
    for kind in REL_TYPES
}

# The items a read starts from, one text each: some items, those of some documents, or all.
_FROM_ITEMS = {
    "items": "UNWIND $items AS key MATCH (i:Item {key: key})\nWHERE $documents IS NULL OR i.document IN $documents",
    "documents": "MATCH (i:Item) WHERE i.document IN $documents",
    "all": "MATCH (i:Item) USING INDEX i:Item(key) WHERE i.key IS NOT NULL",
}
_ROLE_RETURN = """RETURN type(r) AS type, s.key AS source, CASE WHEN s:Unit THEN 'Unit' ELSE 'UnitGroup' END AS label,
       s.name AS name, s.city AS city, s.kind AS kind, t.key AS target, i.key AS item, i.document AS document"""
ROLES_OF_SOURCES = (
    """
UNWIND $sources AS key
CALL (key) {
  MATCH (s:Unit {key: key}) RETURN s
  UNION
  MATCH (s:UnitGroup {key: key}) RETURN s
}
MATCH (s)-[r:LEADS|IMPLEMENTS|ASSISTS]->(t)
MATCH (i:Item {key: coalesce(t.item, t.key)})
WITH s, r, t, i WHERE ($documents IS NULL OR i.document IN $documents)
  AND ($items IS NULL OR i.key IN $items)
"""
    + _ROLE_RETURN
)


def _on_items(match: str, returns: str, starts=tuple(_FROM_ITEMS)) -> dict[str, str]:
    """One text per way of choosing the items (see ``_FROM_ITEMS``): from each item and its
    sub-items (``t``) to what ``match`` finds, returning ``returns``."""
    return {
        start: f"{_FROM_ITEMS[start]}\nMATCH (t:Item|SubItem)-[:PART_OF*0..1]->(i)\n{match}\n{returns}"
        for start in starts
    }


ROLES_ON_ITEMS = _on_items("MATCH (s)-[r:LEADS|IMPLEMENTS|ASSISTS]->(t)", _ROLE_RETURN)

_OVERSIGHT_RETURN = """RETURN l.key AS leader, l.name AS name, l.city AS city, t.key AS target, i.key AS item,
       i.document AS document"""
OVERSIGHT_OF_LEADERS = (
    """
UNWIND $leaders AS key
MATCH (l:Leader {key: key})-[:OVERSEES]->(t)
MATCH (i:Item {key: coalesce(t.item, t.key)})
WITH l, t, i WHERE ($documents IS NULL OR i.document IN $documents) AND ($items IS NULL OR i.key IN $items)
"""
    + _OVERSIGHT_RETURN
)
OVERSIGHT_ON_ITEMS = _on_items("MATCH (l:Leader)-[:OVERSEES]->(t)", _OVERSIGHT_RETURN)

_MILESTONE_RETURN = "RETURN m {.*, owner: t.key, item: i.key, document: i.document} AS m ORDER BY m.key"
MILESTONES_OF_OWNERS = (
    """
UNWIND $owners AS key
CALL (key) {
  MATCH (t:Item {key: key}) RETURN t
  UNION
  MATCH (t:SubItem {key: key}) RETURN t
}
MATCH (t)-[:HAS_MILESTONE]->(m:Milestone)
MATCH (i:Item {key: coalesce(t.item, t.key)})
WITH t, m, i WHERE $documents IS NULL OR i.document IN $documents
"""
    + _MILESTONE_RETURN
)
MILESTONES_ON_ITEMS = _on_items(
    "MATCH (t)-[:HAS_MILESTONE]->(m:Milestone)", _MILESTONE_RETURN, starts=("documents", "all")
)

MILESTONE_QUARTERS = _on_items(
    "MATCH (t)-[:HAS_MILESTONE]->(m:Milestone)",
    "RETURN m.key AS key, t.key AS owner, m.quarters AS quarters",
    starts=("documents", "all"),
)

_MEMBERSHIP_RETURN = "RETURN u.key AS unit, g.key AS group, g.name AS group_name"
MEMBERSHIPS_OF_UNITS = (
    "UNWIND $units AS key MATCH (u:Unit {key: key})-[:MEMBER_OF]->(g:UnitGroup)\n" + _MEMBERSHIP_RETURN
)
MEMBERSHIPS_OF_GROUPS = (
    "UNWIND $groups AS key MATCH (u:Unit)-[:MEMBER_OF]->(g:UnitGroup {key: key})\n" + _MEMBERSHIP_RETURN
)
MEMBERSHIPS_ALL = (
    """MATCH (g:UnitGroup) USING INDEX g:UnitGroup(key) WHERE g.key IS NOT NULL
MATCH (u:Unit)-[:MEMBER_OF]->(g)
"""
    + _MEMBERSHIP_RETURN
)
GOVERNS = """MATCH (d:District) USING INDEX d:District(key) WHERE d.key IS NOT NULL
MATCH (u:Unit)-[:GOVERNS]->(d)
RETURN u.key AS unit, d.key AS district, d.name AS name, d.city AS city, d.kind AS kind"""
STATUS_RECORDS = """MATCH (r:StatusRecord) USING INDEX r:StatusRecord(key) WHERE r.key IS NOT NULL
RETURN r {.*, label: 'StatusRecord'} AS n"""
REPORTS = """MATCH (p:ProgressReport) USING INDEX p:ProgressReport(key) WHERE p.key IS NOT NULL
AND EXISTS { MATCH (d:Document {key: p.document}) } RETURN p {.*} AS p"""


def _start(items, documents) -> str:
    return "items" if items is not None else "documents" if documents is not None else "all"


#: The store's generation: one node, bumped in every write transaction (``neo4j_store.GENERATION_BUMP``).
GENERATION = "MATCH (g:StoreGeneration {key: 'store'}) RETURN g.token AS token, g.n AS n"


class Neo4jReads:
    """The protocol's reads for :class:`~respgraph.graph.neo4j_store.Neo4jStore` (which supplies ``read``)."""

    def read(self, query: str, **params) -> list[dict]:  # pragma: no cover - provided by the store
        raise NotImplementedError

    def generation(self) -> str:
        rows = self.read(GENERATION)
        return f"{rows[0]['token']}:{rows[0]['n']}" if rows else "0"

    def documents(self, city: str | None = None) -> list[dict]:
        rows = self.read(DOCUMENTS_ALL) if city is None else self.read(DOCUMENTS_OF_CITY, city=city)
        return _live([r["d"] for r in rows])

    def find(self, name: str, labels: Sequence[str]) -> list[dict]:
        labels = tuple(labels)
        if labels in FIND:
            found = [r["n"] for r in self.read(FIND[labels], name=name)]
        else:
            found = [r["n"] for label in labels for r in self.read(FIND[label], name=name)]
        if not found:
            found = [r["n"] for label in labels for r in self.read(FIND_ALIAS[label], name=name, needle=f"|{name}|")]
        return [_hide(n) for n in found]

    def names(self, labels: Sequence[str]) -> list[tuple[str, str]]:
        return [(r["city"] or "", r["name"]) for label in labels for r in self.read(NAMES[label])]

    def items(self, documents=None, *, keys=None) -> list[dict]:
        if keys is not None:
            rows = self.read(ITEMS_BY_KEY, keys=list(keys))
        elif documents is not None:
            rows = self.read(ITEMS_OF_DOCUMENTS, documents=list(documents))
        else:
            rows = self.read(ITEMS_ALL)
        return _live([r["n"] for r in rows])

    def parts(self, items: Sequence[str]) -> list[dict]:
        return _live([r["n"] for r in self.read(PARTS, items=list(items))])

    def nodes(self, labels: Sequence[str]) -> list[dict]:
        return [_hide(r["n"]) for label in labels for r in self.read(NODES[label])]

    def rels(self, types: Sequence[str]) -> list[dict]:
        return [r["r"] for kind in types for r in self.read(RELS[kind])]

    def roles(self, *, sources=None, items=None, documents=None) -> list[dict]:
        params = {"items": _list(items), "documents": _list(documents)}
        if sources is not None:
            return _whole(self.read(ROLES_OF_SOURCES, sources=list(sources), **params), _ROLE_KEYS)
        return _whole(self.read(ROLES_ON_ITEMS[_start(items, documents)], **params), _ROLE_KEYS)

    def oversight(self, *, leaders=None, items=None, documents=None) -> list[dict]:
        params = {"items": _list(items), "documents": _list(documents)}
        if leaders is not None:
            return self.read(OVERSIGHT_OF_LEADERS, leaders=list(leaders), **params)
        return self.read(OVERSIGHT_ON_ITEMS[_start(items, documents)], **params)

    def milestones(self, *, owners=None, documents=None) -> list[dict]:
        if owners is not None:
            rows = self.read(MILESTONES_OF_OWNERS, owners=list(owners), documents=_list(documents))
        else:
            rows = self.read(MILESTONES_ON_ITEMS[_start(None, documents)], documents=_list(documents))
        return _live([r["m"] for r in rows])

    def milestone_quarters(self, *, documents=None) -> list[dict]:
        return self.read(MILESTONE_QUARTERS[_start(None, documents)], documents=_list(documents))

    def memberships(self, *, units=None, groups=None) -> list[dict]:
        if units is not None:
            rows = self.read(MEMBERSHIPS_OF_UNITS, units=list(units))
        elif groups is not None:
            rows = self.read(MEMBERSHIPS_OF_GROUPS, groups=list(groups))
        else:
            rows = self.read(MEMBERSHIPS_ALL)
        return _whole(rows, ("unit", "group"))

    def governs(self) -> list[dict]:
        return self.read(GOVERNS)

    def status_records(self) -> list[dict]:
        return _live([r["n"] for r in self.read(STATUS_RECORDS)])

    def reports(self) -> list[dict]:
        return _live([r["p"] for r in self.read(REPORTS)])


def _live(nodes: list[dict]) -> list[dict]:
    """The nodes a read found that still exist.  Reads are read-committed: a node that a
    load deletes while a read runs can be matched, then come back as an empty map.  It is
    gone: leave it out, as a read a moment later would."""
    return [n for n in nodes if n.get("key") is not None]


#: What a role row is about: a row without one of them names a node a concurrent load deleted.
_ROLE_KEYS = ("source", "target", "item", "document")


def _whole(rows: list[dict], keys: tuple[str, ...]) -> list[dict]:
    """The rows whose ends all still exist (see :func:`_live`)."""
    return [r for r in rows if all(r.get(k) is not None for k in keys)]


def _list(values) -> list | None:
    return None if values is None else list(values)


def _hide(node: dict) -> dict:
    """A node as the embedded store gives it: without the store's own look-up property."""
    node.pop("alias_text", None)
    return node
