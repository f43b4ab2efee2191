"""The Neo4j store: the same graph on a Neo4j server, cluster or Aura.

Every value travels as a ``$parameter``; only a query's shape (a label or a
relationship type from the fixed lists in :mod:`respgraph.graph.model`) is put
into the text.  All Cypher passes through :meth:`Neo4jStore.read` and
:meth:`Neo4jStore._write_document`, the two seams a test can watch.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from neo4j import READ_ACCESS, GraphDatabase
from neo4j.exceptions import AuthError, ConfigurationError, ConstraintError, DriverError, Neo4jError, ServiceUnavailable
from neo4j.time import Date, DateTime

from respgraph.graph.commit_gate import CommitGate
from respgraph.graph.errors import RespgraphError, StoreUnavailable
from respgraph.graph.model import Batch
from respgraph.graph.neo4j_corrections import Neo4jCorrections
from respgraph.graph.neo4j_driver import neo4j  # noqa: F401,I001  first: the driver without numpy and pandas
from respgraph.graph.neo4j_entities import Neo4jEntities
from respgraph.graph.neo4j_errors import neo4j_errors
from respgraph.graph.neo4j_native import Neo4jNative
from respgraph.graph.neo4j_progress import REMOVE_REPORTS_ON, Neo4jProgress
from respgraph.graph.neo4j_reads import NAMED, Neo4jReads
from respgraph.graph.settings import Neo4jSettings, check_address, split_uri
from respgraph.graph.vocabulary import DATE_PROPERTIES, LABELS, OWNED_LABELS, REL_TYPES

#: Schemes of the Bolt protocol; the driver's preview HTTP support is not used.
_SCHEMES = {"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"}
# The driver logs every retry of a transaction as a warning; with no handler set up,
# Python prints them to stderr (seven lines before respgraph's own one).  A library
# adds a NullHandler: an application that configures logging still sees them.
logging.getLogger("neo4j").addHandler(logging.NullHandler())

#: Rows per UNWIND statement; all batches of a document share one transaction.  Chosen by
#: ``scripts/bench_neo4j``'s sweep on one 296k-row document: 500 to 10,000 within the
#: machine's noise, 1,000 the steadiest, 20,000 and 50,000 slower (a big statement's rows
#: all sit in the server's heap at once).  A province document never has 1,000 rows of
#: one label, so there every label is one statement.
BATCH_SIZE = 1_000

#: Labels one document owns alone.  Loading a document first removes what its earlier
#: load wrote, so these nodes, and every relationship that touches one, are always new:
#: they are CREATEd, not MERGEd (no look-up first).  The other labels (units, groups,
#: leaders, districts) are shared between documents and MERGEd on key.
OWNED = frozenset({"Document", *OWNED_LABELS})

# A plan that finds a node by its key never changes with the data, so the write
# statements keep their cached plans: without this, a load into a growing database
# has every statement re-planned each time the counts have moved enough.
_KEEP_PLAN = "CYPHER replan=skip "

Progress = Callable[[str, int, int], None]


class Neo4jStore(Neo4jReads, Neo4jNative, Neo4jEntities, Neo4jProgress, Neo4jCorrections):
    """The graph on a Neo4j server: the reads of :class:`~respgraph.graph.protocol.GraphStore`
    in Cypher, the aggregations it does better on the server, and batched writes."""

    engine = "neo4j"

    def __init__(self, driver, database: str, uri: str):
        self.driver = driver
        self.database = database
        self.uri = uri
        self.gate = CommitGate(stamp=_bump_generation)
        self._checked = False  # whether the server has answered once: before, a failure is the connection's
        self._refusal: Callable[[Exception], StoreUnavailable | None] | None = None

    @classmethod
    def connect(cls, settings: Neo4jSettings, *, schema: bool = True) -> Neo4jStore:
        """Connect, check the server, user and database answer, and set up the schema
        (``schema=False``: a question, which has nothing to answer from before a load
        has set it up, and should not pay for 20 statements each time).

        Every failure is a :class:`StoreUnavailable` that says what to do; the
        password is never part of a message.
        """
        # The address alone is printed; a user and password written into it go to the driver only.
        uri, user, password = split_uri(settings.uri)
        user = user or settings.username
        password = password if password is not None else settings.password.get_secret_value()
        scheme = uri.partition("://")[0].lower()
        if scheme not in _SCHEMES:
            raise StoreUnavailable(uri, "not a Neo4j address; use bolt://, neo4j:// or neo4j+s://")
        wrong = check_address(uri)
        if wrong:
            raise StoreUnavailable(uri, f"not a Neo4j address: {wrong} (set NEO4J_URI, e.g. bolt://127.0.0.1:7687)")
        try:
            driver = GraphDatabase.driver(
                uri,
                auth=(user, password),
                connection_timeout=5,
                connection_acquisition_timeout=8,
                max_transaction_retry_time=3,
            )
        except (ConfigurationError, ValueError) as exc:
            message = str(exc).replace(settings.uri, uri)
            if password:
                message = message.replace(password, "****")
            raise StoreUnavailable(
                uri, f"not a Neo4j address ({message}); use bolt://, neo4j:// or neo4j+s://"
            ) from None
        store = cls(driver, settings.database, uri)
        store._refusal = lambda exc: _refusal(exc, uri, user, password, settings)
        if schema:
            store.check()
            store.ensure_schema()
        # A question checks nothing first: its own first statement is the check (see read),
        # one round trip fewer of a one-shot command's few, with the same messages on failure.
        return store

    def check(self) -> None:
        """Ask the server, user and database to answer; :class:`StoreUnavailable` saying what to do if not."""
        with (
            self.first_contact(),
            self.driver.session(database=self.database, default_access_mode=READ_ACCESS) as session,
        ):
            session.run("RETURN 1").consume()

    @contextmanager
    def first_contact(self) -> Iterator[None]:
        """Around every call that reaches the server: a failure before the server has ever
        answered is the connection's (no server, a wrong password, no such database), and is
        said as :class:`StoreUnavailable` with what to do, the driver closed."""
        if self._checked:
            yield
            return
        try:
            yield
        except (DriverError, Neo4jError, ValueError) as exc:  # the driver's DNS failure is a ValueError
            refused = self._refusal(exc) if self._refusal is not None else None
            if refused is None:  # the server answered (a Cypher error, a deadlock …): the caller says it
                self._checked = isinstance(exc, Neo4jError)
                raise
            self.driver.close()
            raise refused from None
        self._checked = True

    def ensure_schema(self) -> None:
        """A uniqueness constraint on ``key`` for every label, and indexes for name look-ups."""
        for label in LABELS:
            self._run(f"CREATE CONSTRAINT {label.lower()}_key IF NOT EXISTS FOR (n:{label}) REQUIRE n.key IS UNIQUE")
        for label in ("Unit", "UnitGroup", "Leader", "District"):
            self._run(f"CREATE INDEX {label.lower()}_name IF NOT EXISTS FOR (n:{label}) ON (n.name)")
            # One city's node of a name, however many cities use it (a question's scope names its city).
            self._run(f"CREATE INDEX {label.lower()}_city_name IF NOT EXISTS FOR (n:{label}) ON (n.city, n.name)")
        self._run("CREATE CONSTRAINT storegeneration_key IF NOT EXISTS FOR (n:StoreGeneration) REQUIRE n.key IS UNIQUE")
        self._run("CREATE INDEX item_document IF NOT EXISTS FOR (n:Item) ON (n.document)")
        self._run("CREATE INDEX document_city IF NOT EXISTS FOR (n:Document) ON (n.city)")
        self._run("CREATE INDEX statusrecord_target IF NOT EXISTS FOR (n:StatusRecord) ON (n.target)")
        for label in NAMED:  # aliases: `|a|b|` answers CONTAINS from a text index
            self._run(f"CREATE TEXT INDEX {label.lower()}_alias_text IF NOT EXISTS FOR (n:{label}) ON (n.alias_text)")

    def _run(self, query: str, **params) -> None:
        with neo4j_errors(self.uri, "setting up the schema"), self.first_contact():
            self.driver.execute_query(query, params, database_=self.database)

    def read(self, query: str, **params) -> list[dict]:
        """Run a read query (routed to a reader in a cluster); rows as dicts.

        An auto-commit read in a session of its own: one round trip.  ``execute_query``
        adds a transaction and a bookmark manager, which made a one-unit question of six
        small reads three times slower (1 ms against 6 ms a read on the same server)."""
        with neo4j_errors(self.uri, "answering", statement=True), self.gate.reading():
            with (
                self.first_contact(),
                self.driver.session(database=self.database, default_access_mode=READ_ACCESS) as session,
            ):
                records = list(session.run(query, params))
        return [_python(r.data()) for r in records]

    def run_user_query(self, query: str, params: dict, *, write: bool) -> list[dict]:
        """A user's own Cypher: in a read transaction (writes refused) unless ``write``."""

        def refused_write(exc) -> None:
            if "AccessMode" in (exc.code or "") or "ForbiddenOnReadOnly" in (exc.code or ""):
                raise RespgraphError("this query writes: add --write to allow it") from None

        with neo4j_errors(self.uri, "running the query", statement=True, on_client_error=refused_write):
            with self.first_contact(), self.driver.session(database=self.database) as session:

                def rows(tx):
                    return [_python(r.data()) for r in tx.run(query, params)]

                if write:
                    return self.gate.commit(session.execute_write, rows)
                why = session.execute_read(lambda tx: refusal(tx.run(f"EXPLAIN {query}", params).consume()))
                if why:
                    raise RespgraphError(f"{why}: add --write to allow it")
                with self.gate.reading():
                    return session.execute_read(rows)

    def write(self, batch: Batch, progress: Progress | None = None) -> None:
        """Add one document in one transaction: it is there whole, or not at all.

        Loading a document again first removes what its earlier load wrote, so
        counts stay the same; shared nodes (units, leaders…) are merged on key.
        """
        steps = write_statements(batch)
        with neo4j_errors(self.uri, f"loading {batch.document}", "nothing of it was written"):
            try:
                with self.driver.session(database=self.database) as session:
                    self.gate.commit(session.execute_write, self._write_document, batch.document, steps, progress)
            except ConstraintError:
                # Another load of this document committed between our removal and our
                # CREATE (the key constraint made us wait for it): once more, removing it.
                with self.driver.session(database=self.database) as session:
                    self.gate.commit(session.execute_write, self._write_document, batch.document, steps, progress)

    @staticmethod
    def _remove_document(tx, document: str) -> bool:
        """Delete a document, what it owns, and the shared nodes nothing names any more."""
        touched = tx.run(TOUCHED_BY_DOCUMENT, document=document).single()
        if touched is None:
            return False
        tx.run(REMOVE_DOCUMENT, document=document).consume()
        for query in PRUNE:
            tx.run(query, keys=touched["keys"]).consume()
        return True

    def remove_document(self, key: str) -> bool:
        """Take one document out (see :meth:`~respgraph.graph.protocol.GraphStore.remove_document`); False when it is not there."""
        with neo4j_errors(self.uri, f"removing {key}", "nothing was removed"):
            with self.driver.session(database=self.database) as session:
                return self.gate.commit(session.execute_write, self._remove_with_reports, key)

    @staticmethod
    def _remove_with_reports(tx, key: str) -> bool:
        # Reports go with the document, not in _remove_document: reloading a table keeps them.
        tx.run(REMOVE_REPORTS_ON, key=key).consume()
        return Neo4jStore._remove_document(tx, key)

    def document(self, key: str) -> dict | None:
        rows = self.read("MATCH (d:Document {key: $key}) RETURN d {.*} AS d", key=key)
        return rows[0]["d"] if rows else None

    @staticmethod
    def _write_document(tx, document: str, steps: list[tuple[str, list[dict]]], progress: Progress | None) -> None:
        Neo4jStore._remove_document(tx, document)
        total = sum(len(rows) for _, rows in steps)
        done = 0
        for query, rows in steps:
            for i in range(0, len(rows), BATCH_SIZE):
                chunk = rows[i : i + BATCH_SIZE]
                tx.run(query, rows=chunk).consume()
                done += len(chunk)
                if progress:
                    progress(document, done, total)

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        (row,) = self.read(COUNTS)
        nodes = {label: row[label] for label in sorted(LABELS) if row[label]}
        rels = {kind: row[kind] for kind in sorted(REL_TYPES) if row[kind]}
        return nodes, rels

    def close(self) -> None:
        self.driver.close()


def _refusal(
    exc: Exception, uri: str, user: str, password: str | None, settings: Neo4jSettings
) -> StoreUnavailable | None:
    """What a failure before the server first answered means, in words that say what to do
    (the password and the address as written, which may hold credentials, never in them);
    None when the server did answer: it refused the statement, not the connection."""
    if isinstance(exc, AuthError):
        return StoreUnavailable(
            uri, f"the server refused user {user!r} with that password (set NEO4J_USERNAME and NEO4J_PASSWORD)"
        )
    if isinstance(exc, ServiceUnavailable):
        return StoreUnavailable(
            uri, "no Neo4j server answers there: start one with `scripts/neo4j start` or set NEO4J_URI"
        )
    if isinstance(exc, Neo4jError):
        if exc.code and "DatabaseNotFound" in exc.code:
            return StoreUnavailable(
                uri,
                f"the server has no database {settings.database!r} "
                "(set NEO4J_DATABASE; Community edition has only 'neo4j')",
            )
        if exc.code and exc.code.startswith("Neo.ClientError.Security."):
            return StoreUnavailable(uri, f"{exc.code}: {exc.message}")
        return None
    message = str(exc)
    for secret in (password, settings.uri):
        if secret:
            message = message.replace(secret, "****")
    return StoreUnavailable(uri, f"cannot connect: {message}")


# Nodes per label and relationships per type, from the count store (no scan);
# the names come from the fixed lists of the model.
COUNTS = "RETURN " + ", ".join(
    [f"COUNT {{ (:{label}) }} AS {label}" for label in LABELS]
    + [f"COUNT {{ ()-[:{kind}]->() }} AS {kind}" for kind in REL_TYPES]
)

# A document and what it owns: its items and their sub-items (``owners``).
_OWNERS = """
MATCH (d:Document {key: $document})
OPTIONAL MATCH (i:Item)-[:FROM]->(d)
OPTIONAL MATCH (s:SubItem)-[:PART_OF]->(i)
WITH d, collect(DISTINCT i) + collect(DISTINCT s) AS owners
"""

# The shared nodes a document's items name: its units, groups (and their members)
# and leaders, for PRUNE to look at once the document is gone.
TOUCHED_BY_DOCUMENT = (
    _OWNERS
    + """CALL (owners) {
  UNWIND owners AS o
  MATCH (x)-[:LEADS|IMPLEMENTS|ASSISTS|OVERSEES]->(o)
  RETURN collect(DISTINCT x.key) AS direct
}
CALL (direct) {
  UNWIND direct AS key
  MATCH (m:Unit)-[:MEMBER_OF]->(:UnitGroup {key: key})
  RETURN collect(DISTINCT m.key) AS members
}
RETURN direct + members AS keys
"""
)

# Shared nodes that nothing names any more, among $keys; groups before their
# members, units before the districts they govern.
PRUNE = (
    """UNWIND $keys AS key MATCH (g:UnitGroup {key: key})
       WHERE NOT (g)-[:LEADS|IMPLEMENTS|ASSISTS]->() DETACH DELETE g""",
    """UNWIND $keys AS key MATCH (u:Unit {key: key})
       WHERE NOT (u)-[:LEADS|IMPLEMENTS|ASSISTS|MEMBER_OF]->()
       OPTIONAL MATCH (u)-[:GOVERNS]->(d:District)
       DETACH DELETE u
       WITH DISTINCT d WHERE d IS NOT NULL AND NOT ()-[:GOVERNS]->(d)
       DETACH DELETE d""",
    """UNWIND $keys AS key MATCH (l:Leader {key: key})
       WHERE NOT (l)-[:OVERSEES]->() DETACH DELETE l""",
)


#: Every write transaction's last statement (the gate's stamp): the token tells a store
#: emptied and filled again from the one it was, where the count alone would repeat.
GENERATION_BUMP = (
    "MERGE (g:StoreGeneration {key: 'store'}) ON CREATE SET g.token = randomUUID(), g.n = 0 SET g.n = g.n + 1"
)


def _bump_generation(tx) -> None:
    tx.run(GENERATION_BUMP).consume()


def node_statement(label: str) -> str:
    """The statement that writes ``$rows`` (each a node's properties, ``key`` among them) of one label."""
    assert label in LABELS
    if label in OWNED:
        return f"{_KEEP_PLAN}UNWIND $rows AS row CREATE (n:{label}) SET n = row"
    return f"{_KEEP_PLAN}UNWIND $rows AS row MERGE (n:{label} {{key: row.key}}) SET n += row"


def rel_statement(kind: str, start: str, end: str, props: bool) -> str:
    """The statement that writes ``$rows`` (``start``, ``end`` keys, maybe ``props``) of one shape.

    Both ends are found by key (the ``key`` constraint's index); a relationship that
    touches a node of the document is new and CREATEd, one between shared nodes
    (a unit's group or district) may exist already and is MERGEd.
    """
    assert kind in REL_TYPES and start in LABELS and end in LABELS
    verb = "CREATE" if start in OWNED or end in OWNED else "MERGE"
    text = (
        f"{_KEEP_PLAN}UNWIND $rows AS row MATCH (a:{start} {{key: row.start}}) MATCH (b:{end} {{key: row.end}}) "
        f"{verb} (a)-[r:{kind}]->(b)"
    )
    return text + " SET r += row.props" if props else text


def _python(value):
    """A read's value with Neo4j's temporal types as Python's, and the date properties
    (:data:`~respgraph.graph.vocabulary.DATE_PROPERTIES`) as ``datetime.date`` even where a
    report stored them as text: both stores return the same types."""
    if isinstance(value, dict):
        out = {k: _python(v) for k, v in value.items()}
        for name in DATE_PROPERTIES:
            if isinstance(out.get(name), str) and out[name]:
                out[name] = dt.date.fromisoformat(out[name])
        return out
    if isinstance(value, list):
        return [_python(v) for v in value]
    if isinstance(value, (Date, DateTime)):
        return value.to_native()
    return value


def write_statements(batch: Batch) -> list[tuple[str, list[dict]]]:
    """The statements that write one document after its removal, in order, with all their rows.

    Nodes come before the relationships that find them; a node or a relationship
    named twice in the batch is written once (its properties merged, as MERGE did), so
    CREATE never makes two of one.
    """
    nodes: dict[str, dict[str, dict]] = defaultdict(dict)
    label_of = {}
    for n in batch.nodes:
        props = nodes[n.label].setdefault(n.key, {})
        props.update(n.props)
        props["key"] = n.key
        if n.label == "Item" and isinstance(props.get("deadline"), str) and props["deadline"]:
            props["deadline"] = dt.date.fromisoformat(props["deadline"])
        if props.get("aliases"):  # what the alias text index answers CONTAINS from (see neo4j_reads.FIND_ALIAS)
            props["alias_text"] = "|" + "|".join(props["aliases"]) + "|"
        label_of[n.key] = n.label
    rels: dict[tuple[str, str, str], dict[tuple[str, str], dict]] = defaultdict(dict)
    for r in batch.rels:
        rels[(r.type, label_of[r.start], label_of[r.end])].setdefault((r.start, r.end), {}).update(r.props)
    steps = [(node_statement(label), list(rows.values())) for label, rows in nodes.items()]
    for (kind, start, end), pairs in rels.items():
        with_props = any(pairs.values())
        rows = [
            {"start": a, "end": b, "props": p} if with_props else {"start": a, "end": b} for (a, b), p in pairs.items()
        ]
        steps.append((rel_statement(kind, start, end, with_props), rows))
    return steps


# What a document owns: its items, their sub-items, and the milestones of both.
REMOVE_DOCUMENT = (
    _OWNERS
    + """CALL (owners) {
  UNWIND owners AS o
  OPTIONAL MATCH (o)-[:HAS_MILESTONE]->(m:Milestone)
  DETACH DELETE m
}
CALL (owners) {
  UNWIND owners AS o
  DETACH DELETE o
}
DETACH DELETE d
"""
)


#: Plan operators of commands that administer the server rather than read the graph:
#: listing users, settings or others' transactions, or ending them …
_ADMIN_OPERATORS = ("Show", "Terminate")
#: … but for these, which only describe the graph's own schema.
_SCHEMA_LISTINGS = ("ShowIndexes", "ShowConstraints", "ShowFunctions", "ShowProcedures")
#: The procedures a read-only query may call: they read the graph's schema and nothing else.
#: Any other is refused, ``db.stats.*`` (collects and shows other sessions' queries and their
#: parameters), ``db.prepareForReplanning``, ``db.resample*`` and ``db.clearQueryCaches`` among them.
READ_PROCEDURES = frozenset(
    {
        "db.labels",
        "db.relationshipTypes",
        "db.propertyKeys",
        "db.schema.visualization",
        "db.schema.nodeTypeProperties",
        "db.schema.relTypeProperties",
        "db.ping",
    }
)
_PROCEDURE = re.compile(r"([A-Za-z_][\w.]*)\s*\(")


def refusal(summary) -> str:
    """Why a query planned (``EXPLAIN``) as ``summary`` may not run without ``--write``, or
    "" when it only reads the graph.  Decided from the server's own plan, never from the
    query's text: its type (``r`` reads; ``rw``, ``w`` and ``s`` write) and its operators
    (``SHOW …`` and ``TERMINATE …`` commands, any procedure but the reads of :data:`READ_PROCEDURES`)."""
    if summary.query_type == "s":
        return "this query changes the schema or administers the server"
    if summary.query_type and summary.query_type != "r":
        return "this query writes"
    stack = [summary.plan or {}]
    while stack:
        step = stack.pop()
        operator = str(step.get("operatorType", "")).split("@")[0]
        if operator.startswith(_ADMIN_OPERATORS) and operator not in _SCHEMA_LISTINGS:
            return f"this query administers the server ({operator})"
        if operator == "ProcedureCall":
            details = str(step.get("args", {}).get("Details", ""))
            found = _PROCEDURE.search(details)
            name = found.group(1) if found else details[:80]
            if name not in READ_PROCEDURES:
                return (
                    f"this query calls the procedure {name}, not one of the reads allowed without --write "
                    f"({', '.join(sorted(READ_PROCEDURES))})"
                )
        stack += step.get("children", [])
    return ""
