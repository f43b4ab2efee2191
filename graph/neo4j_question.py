"""The Neo4j store of a one-shot command: its reads over :mod:`~respgraph.graph.neo4j_bolt`,
everything else through the driver, imported only if the command needs it.

A question from the command line (``respgraph --store neo4j items --unit …``) reads a few
statements and exits; the driver's import alone cost as much as Python, click and pydantic
together.  :class:`Neo4jQuestions` sends the same Cypher as :class:`~respgraph.graph.neo4j_store.Neo4jStore`
(the read, native and one-entity mixins are shared) over one plain Bolt connection; a
write, a user's own Cypher or anything else it does not offer is handed to a driver store
opened then.  Only for ``bolt://`` addresses and only for a command: a server's threads
share the driver's pool and its commit gate (:func:`~respgraph.graph.open_store.open_store`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from respgraph.graph.errors import RespgraphError, StoreUnavailable
from respgraph.graph.neo4j_bolt import BoltConnection, BoltFailure
from respgraph.graph.neo4j_corrections import Neo4jCorrections
from respgraph.graph.neo4j_entities import Neo4jEntities
from respgraph.graph.neo4j_native import Neo4jNative
from respgraph.graph.neo4j_reads import Neo4jReads
from respgraph.graph.settings import Neo4jSettings, check_address, split_uri
from respgraph.graph.vocabulary import DATE_PROPERTIES, LABELS, REL_TYPES

if TYPE_CHECKING:
    from respgraph.graph.neo4j_store import Neo4jStore

__all__ = ["Neo4jQuestions"]

# Nodes per label and relationships per type, from the count store (as Neo4jStore.counts).
_COUNTS = "RETURN " + ", ".join(
    [f"COUNT {{ (:{label}) }} AS {label}" for label in LABELS]
    + [f"COUNT {{ ()-[:{kind}]->() }} AS {kind}" for kind in REL_TYPES]
)


#: What only the driver's store offers: writes, a user's own Cypher, and the driver's parts
#: that the accounts' statements use.
_DRIVER_ONLY = frozenset(
    {
        "write",
        "remove_document",
        "write_progress",
        "remove_progress",
        "run_user_query",
        "ensure_schema",
        "check",
        "driver",
        "gate",
        "first_contact",
        "_transaction",
        "_run",
    }
)


class Neo4jQuestions(Neo4jReads, Neo4jNative, Neo4jEntities, Neo4jCorrections):
    """A command's Neo4j store: reads over one Bolt connection, the rest through the driver."""

    engine = "neo4j"

    def __init__(self, settings: Neo4jSettings, uri: str, host: str, port: int, user: str, password: str):
        self.settings = settings
        self.uri, self.database = uri, settings.database
        self._address, self._user, self._password = (host, port), user, password
        self._bolt: BoltConnection | None = None
        self._driver_store: Neo4jStore | None = None
        self._answered = False

    @classmethod
    def for_address(cls, settings: Neo4jSettings) -> Neo4jQuestions | None:
        """The store for ``settings``, or None when its address needs the driver (TLS, a cluster's
        routing, a malformed address: the driver's store says what is wrong with it)."""
        uri, user, password = split_uri(settings.uri)
        scheme, _, rest = uri.partition("://")
        if scheme.lower() != "bolt" or check_address(uri) or rest.strip("/").count("/") or "?" in rest:
            return None
        hostport = rest.strip("/")
        if hostport.startswith("["):  # an IPv6 address: [::1]:7687
            host, _, port = hostport[1:].partition("]")
            port = port.removeprefix(":")
        else:
            host, _, port = hostport.rpartition(":") if ":" in hostport else (hostport, "", "")
        password = password if password is not None else settings.password.get_secret_value()
        return cls(settings, uri, host, int(port or 7687), user or settings.username, password)

    # --- the one seam of every read ---------------------------------------------------
    def read(self, query: str, **params) -> list[dict]:
        """Rows of an auto-commit read, as :meth:`Neo4jStore.read` gives them."""
        try:
            if self._bolt is None:
                self._bolt = BoltConnection(*self._address, user=self._user, password=self._password)
            rows = self._bolt.run(query, params, self.database)
        except BoltFailure as failure:
            self._bolt = None
            raise self._refusal(failure) from None
        except OSError:
            self._bolt = None
            if self._answered:
                raise StoreUnavailable(self.uri, "the server stopped answering while answering") from None
            raise StoreUnavailable(
                self.uri, "no Neo4j server answers there: start one with `scripts/neo4j start` or set NEO4J_URI"
            ) from None
        self._answered = True
        return [_dated(r) for r in rows]

    def _refusal(self, failure: BoltFailure) -> RespgraphError:
        """The words :class:`Neo4jStore` has for the same failure."""
        if failure.code == "Neo.ClientError.Security.Unauthorized":
            return StoreUnavailable(
                self.uri,
                f"the server refused user {self._user!r} with that password (set NEO4J_USERNAME and NEO4J_PASSWORD)",
            )
        if "DatabaseNotFound" in failure.code:
            return StoreUnavailable(
                self.uri,
                f"the server has no database {self.database!r} "
                "(set NEO4J_DATABASE; Community edition has only 'neo4j')",
            )
        if failure.code.startswith("Neo.ClientError.Security.") or failure.code.startswith("Respgraph.Bolt."):
            return StoreUnavailable(self.uri, f"{failure.code}: {failure.message}")
        if failure.code.startswith("Neo.ClientError."):
            return RespgraphError(f"Cypher error {failure.code}: {failure.message}")
        return RespgraphError(f"Neo4j failed while answering ({failure.code}: {failure.message})")

    # --- what Neo4jStore itself adds to the mixins' reads ------------------------------
    def document(self, key: str) -> dict | None:
        rows = self.read("MATCH (d:Document {key: $key}) RETURN d {.*} AS d", key=key)
        return rows[0]["d"] if rows else None

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        (row,) = self.read(_COUNTS)
        return (
            {label: row[label] for label in sorted(LABELS) if row[label]},
            {kind: row[kind] for kind in sorted(REL_TYPES) if row[kind]},
        )

    def __getattr__(self, name: str) -> Any:
        # Writes, a user's Cypher, the driver itself: the driver's store, connected now.  Only
        # these: asking whether the store has some other attribute must not import the driver.
        if name not in _DRIVER_ONLY:
            raise AttributeError(f"{type(self).__name__} has no {name!r}")
        if self._driver_store is None:
            from respgraph.graph.neo4j_store import Neo4jStore

            self._driver_store = Neo4jStore.connect(self.settings, schema=False)
        return getattr(self._driver_store, name)

    def close(self) -> None:
        if self._bolt is not None:
            self._bolt.close()
            self._bolt = None
        if self._driver_store is not None:
            self._driver_store.close()
            self._driver_store = None


def _dated(value):
    """A row with the date properties as ``datetime.date`` where a report stored them as text
    (as ``neo4j_store._python`` does for the driver's rows)."""
    if isinstance(value, dict):
        out = {k: _dated(v) for k, v in value.items()}
        for name in DATE_PROPERTIES:
            if isinstance(out.get(name), str) and out[name]:
                out[name] = dt.date.fromisoformat(out[name])
        return out
    if isinstance(value, list):
        return [_dated(v) for v in value]
    return value
