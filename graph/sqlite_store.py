"""The embedded store: the graph in one SQLite file, read a question at a time.

Two tables hold the graph the way Neo4j does — ``nodes`` (key, label, properties
as JSON) and ``rels`` (type, start, end) — plus the columns the reads filter on,
derived when a node is written: ``name``, ``city``, ``kind``, and for what a
document owns, ``item`` (the item an item, sub-item or milestone belongs to) and
``document``.  Indexes on the key, on names, on aliases, on both ends of every
relationship and on ``item`` and ``document`` let a question about one unit or one
leader read a few dozen rows, whatever the size of the file.

Writes take SQLite's write lock (``BEGIN IMMEDIATE``) for one document at a time, so
two ``respgraph load`` at once wait for each other and each document is there
whole or not at all; readers never wait (WAL).  Only the standard library is used.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from respgraph.graph.corrections import correction_keys
from respgraph.graph.errors import StoreUnavailable
from respgraph.graph.sqlite_health import (
    damaged,
    diagnose,
    known_wal,
    lock_holders,
    locked,
    note_wal,
    quick_check,
    read_only_mount,
    wait_seconds,
    wal_stamp,
)
from respgraph.graph.sqlite_native import SqliteNative
from respgraph.graph.vocabulary import DATE_PROPERTIES, LABELS, NAMING_EDGES, OWNED_LABELS, REL_TYPES, ROLE_EDGES

if TYPE_CHECKING:
    from respgraph.graph.model import Batch

FORMAT, VERSION = "respgraph", 2

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS nodes (
  key TEXT PRIMARY KEY, label TEXT NOT NULL, name TEXT, city TEXT, kind TEXT,
  item TEXT, document TEXT, props TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS nodes_name ON nodes (name, label);
CREATE INDEX IF NOT EXISTS nodes_label ON nodes (label, city, name);
CREATE INDEX IF NOT EXISTS nodes_item ON nodes (item, label);
CREATE INDEX IF NOT EXISTS nodes_document ON nodes (document, label);
CREATE TABLE IF NOT EXISTS aliases (alias TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (alias, key));
CREATE INDEX IF NOT EXISTS aliases_key ON aliases (key);
CREATE TABLE IF NOT EXISTS rels (
  type TEXT NOT NULL, start TEXT NOT NULL, "end" TEXT NOT NULL, props TEXT,
  PRIMARY KEY (start, type, "end")
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS rels_end ON rels ("end", type);
CREATE INDEX IF NOT EXISTS rels_type ON rels (type);
"""

#: The role edge types as an SQL list (constants of the vocabulary, never user input).
_ROLES_IN = "(" + ", ".join(f"'{edge}'" for edge in ROLE_EDGES) + ")"

# One role edge with both ends resolved (see GraphStore.roles); WHERE clauses are added.
_ROLE_ROWS = f"""
SELECT r.type AS type, r.start AS source, s.label AS label, s.name AS name, s.city AS city, s.kind AS kind,
       r."end" AS target, t.item AS item, t.document AS document
FROM rels r JOIN nodes s ON s.key = r.start JOIN nodes t ON t.key = r."end"
WHERE r.type IN {_ROLES_IN}"""
_OVERSIGHT_ROWS = """
SELECT r.start AS leader, s.name AS name, s.city AS city, r."end" AS target, t.item AS item, t.document AS document
FROM rels r JOIN nodes s ON s.key = r.start JOIN nodes t ON t.key = r."end"
WHERE r.type = 'OVERSEES'"""
# Every write transaction's last statements: the store's generation (GraphStore.generation); the
# id tells a file made anew from the one it replaced, where the count alone would repeat.
_BUMP_STORE_ID = "INSERT OR IGNORE INTO meta VALUES ('store_id', ?)"
_BUMP_GENERATION = (
    "INSERT INTO meta VALUES ('generation', '1') ON CONFLICT (name) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
)
# A list travels as one JSON parameter, never as text put into the statement.
_IN = "(SELECT value FROM json_each(?))"


class SqliteStore(SqliteNative):
    """The graph in SQLite: a file (``SqliteStore.open``) or memory (``SqliteStore()``).

    The reads of :class:`~respgraph.graph.protocol.GraphStore` in indexed SQL, and the
    whole-graph aggregations in SQL too (:mod:`respgraph.graph.sqlite_native`)."""

    engine = "sqlite"
    read_only = False

    def __init__(self, path: Path | None = None, *, connection: sqlite3.Connection | None = None, ready: bool = False):
        self.path = path
        self.db = connection or _connect(":memory:")
        if not ready:  # a new file or memory; a store opened to answer a question is only read
            # Tables and stamp in one transaction: a second command opening the file at the
            # same moment sees no store or a whole one, never tables without their stamp.
            _when_free(
                lambda: self.db.executescript(
                    f"BEGIN IMMEDIATE;\n{SCHEMA}\nINSERT OR IGNORE INTO meta VALUES ('format', '{FORMAT}'), "
                    f"('version', '{VERSION}');\nCOMMIT;"
                ),
                path,
            )

    # --- opening ----------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path, *, create: bool = False) -> SqliteStore:
        """The store saved at ``path``.  A missing file is an empty store, created only
        when ``create`` (a question never writes a file, and opens the file read-only); a
        file that is not a respgraph store is refused (:class:`StoreUnavailable`) and left
        as it is, and so is one SQLite's quick check finds damaged after an unclean stop."""
        if not path.exists() and not create:
            return cls(path)
        try:
            if create:
                path.parent.mkdir(parents=True, exist_ok=True)
            db = _connect(str(path)) if create else _connect_read_only(path)
            found = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
            tables = {r[0] for r in found}
            if tables and not {"meta", "nodes", "rels"} <= tables:
                raise damaged(path, "not a respgraph store")
            if "meta" in tables:
                meta = dict(db.execute("SELECT name, value FROM meta"))
                if meta.get("format") != FORMAT or meta.get("version") != str(VERSION):
                    raise damaged(path, f"not a respgraph store of version {VERSION}")
            if _unclean(path):  # a log left behind: the last writer may have died mid-page
                quick_check(db, path)
            if not tables:  # kept in the file: set once, when it is made
                _when_free(lambda: db.execute("PRAGMA journal_mode = WAL"), path)
            store = cls(path, connection=db, ready=bool(tables))
            store.read_only = not create
            return store
        except StoreUnavailable:
            raise
        except (sqlite3.Error, OSError) as exc:
            raise diagnose(exc, path, writing=create) from None

    @contextmanager
    def _writing(self):
        """One write transaction: the write lock is taken first, so two writers queue
        instead of failing half-way; everything or nothing is kept."""
        where = self.path or "memory"
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise diagnose(exc, where, writing=True) from None
        try:
            yield self.db
            stamp_write(self.db)
        except BaseException as exc:
            # SQLite has already rolled back after some failures (a full disk): a second
            # ROLLBACK would fail and hide the cause behind "no transaction is active".
            if self.db.in_transaction:
                try:
                    self.db.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
            if isinstance(exc, sqlite3.Error) and self.path:
                raise diagnose(exc, where, writing=True) from None
            raise
        try:
            self.db.execute("COMMIT")
        except sqlite3.Error as exc:
            if self.db.in_transaction:
                try:
                    self.db.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
            raise diagnose(exc, where, writing=True) from None
        if self.path:
            note_wal(self.path)  # the log is this process's own from here

    def close(self) -> None:
        self.db.close()

    # --- writes -------------------------------------------------------------------------
    def write(self, batch: Batch, progress: Callable[[str, int, int], None] | None = None) -> None:
        """Add one document in one transaction, replacing what an earlier load of it wrote.

        ``progress`` is called once, when it is written: a document is a few thousand rows."""
        nodes = [{"key": n.key, "label": n.label, **n.props} for n in batch.nodes]
        rels = [{"type": r.type, "start": r.start, "end": r.end, **r.props} for r in batch.rels]
        with self._writing():
            self._remove_document(batch.document)
            self._add(nodes, rels)
        if progress:
            progress(batch.document, len(nodes) + len(rels), len(nodes) + len(rels))

    def add_plain(self, nodes: list[dict], rels: list[dict]) -> None:
        """Add node and relationship rows as they are (a migration, a test's own graph)."""
        with self._writing():
            self._add(nodes, rels)

    def _add(self, nodes: list[dict], rels: list[dict]) -> None:
        by_key = {n["key"]: n for n in nodes}
        # An owner's item and document, from this batch or, for a shared parent, from the file.
        item_of: dict[str, str] = {}
        for n in nodes:
            if n["label"] == "Item":
                item_of[n["key"]] = n["key"]
            elif n["label"] == "SubItem":
                item_of[n["key"]] = n["item"]
        rows, aliases = [], []
        for n in nodes:
            props = {k: v for k, v in n.items() if k not in ("key", "label")}
            item = document = None
            if n["label"] in OWNED_LABELS:
                item = item_of.get(n["key"] if n["label"] != "Milestone" else n.get("owner"))
                if item is None and n["label"] == "Milestone":
                    item = self._item_of(n["owner"])
                document = by_key[item]["document"] if item in by_key else self._document_of(item)
            rows.append(
                (
                    n["key"],
                    n["label"],
                    props.get("name"),
                    props.get("city"),
                    props.get("kind"),
                    item,
                    document,
                    json.dumps(props, ensure_ascii=False, default=str),
                )
            )
            if "aliases" in props:
                aliases.append((n["key"], props["aliases"] or []))
        self.db.executemany(
            """INSERT INTO nodes VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET
                 label = excluded.label, name = coalesce(excluded.name, name), city = coalesce(excluded.city, city),
                 kind = coalesce(excluded.kind, kind), item = coalesce(excluded.item, item),
                 document = coalesce(excluded.document, document), props = json_patch(props, excluded.props)""",
            rows,
        )
        for key, names in aliases:  # a list property is replaced whole, as Cypher's SET += does
            self.db.execute("DELETE FROM aliases WHERE key = ?", (key,))
            self.db.executemany("INSERT OR IGNORE INTO aliases VALUES (?, ?)", [(a, key) for a in names])
        self.db.executemany(
            """INSERT INTO rels VALUES (?, ?, ?, ?) ON CONFLICT (start, type, "end") DO UPDATE SET
                 props = CASE WHEN excluded.props IS NULL THEN props ELSE json_patch(coalesce(props, '{}'), excluded.props) END""",
            [(r["type"], r["start"], r["end"], _props_json(r)) for r in rels],
        )

    def _item_of(self, key: str) -> str | None:
        row = self.db.execute("SELECT item FROM nodes WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _document_of(self, item: str | None) -> str | None:
        row = self.db.execute("SELECT document FROM nodes WHERE key = ?", (item,)).fetchone() if item else None
        return row[0] if row else None

    def remove_document(self, key: str) -> bool:
        """Take a document out with what it owns and the progress reports on it; units,
        leaders, groups and districts that no other document names go too.  False when
        it is not there."""
        with self._writing():
            # Reports are removed here, not in _remove_document: reloading a table keeps them.
            for (report,) in self.db.execute(
                "SELECT start FROM rels WHERE \"end\" = ? AND type = 'REPORTS_ON'", (key,)
            ).fetchall():
                self._remove_progress(report)
            return self._remove_document(key)

    def _remove_document(self, key: str) -> bool:
        db = self.db
        if db.execute("SELECT 1 FROM nodes WHERE key = ? AND label = 'Document'", (key,)).fetchone() is None:
            return False
        owned = [
            r[0]
            for r in db.execute(f"SELECT key FROM nodes WHERE document = ? AND label IN {tuple(OWNED_LABELS)}", (key,))
        ]
        owned_json = json.dumps(owned, ensure_ascii=False)
        naming = tuple(NAMING_EDGES)
        touched = [
            r[0]
            for r in db.execute(
                f'SELECT DISTINCT start FROM rels WHERE "end" IN {_IN} AND type IN {naming}', (owned_json,)
            )
        ]
        gone = json.dumps([*owned, key], ensure_ascii=False)
        db.execute(f"DELETE FROM rels WHERE start IN {_IN}", (gone,))
        db.execute(f'DELETE FROM rels WHERE "end" IN {_IN}', (gone,))
        db.execute(f"DELETE FROM nodes WHERE key IN {_IN}", (gone,))
        self._prune(touched)
        return True

    def _prune(self, touched: list[str]) -> None:
        """Remove the shared nodes among ``touched`` (and their members and districts)
        that nothing names any more."""
        db = self.db
        labels = dict(db.execute(f"SELECT key, label FROM nodes WHERE key IN {_IN}", (json.dumps(touched),)))
        groups = [k for k, label in labels.items() if label == "UnitGroup"]
        units = {k for k, label in labels.items() if label == "Unit"}
        units |= {
            r[0]
            for r in db.execute(
                f"SELECT start FROM rels WHERE type = 'MEMBER_OF' AND \"end\" IN {_IN}", (json.dumps(groups),)
            )
        }
        leaders = [k for k, label in labels.items() if label == "Leader"]

        def names(key: str, kinds: Iterable[str]) -> bool:
            return (
                db.execute(
                    f"SELECT 1 FROM rels WHERE start = ? AND type IN {_IN} LIMIT 1", (key, json.dumps(list(kinds)))
                ).fetchone()
                is not None
            )

        dead_groups = [g for g in groups if not names(g, ROLE_EDGES)]
        self._delete(dead_groups)
        dead_units = [u for u in sorted(units) if not names(u, (*ROLE_EDGES, "MEMBER_OF"))]
        districts = {
            r[0]
            for r in db.execute(
                f"SELECT \"end\" FROM rels WHERE type = 'GOVERNS' AND start IN {_IN}", (json.dumps(dead_units),)
            )
        }
        self._delete(dead_units)
        self._delete([x for x in leaders if not names(x, ("OVERSEES",))])
        self._delete(
            [
                d
                for d in sorted(districts)
                if db.execute("SELECT 1 FROM rels WHERE \"end\" = ? AND type = 'GOVERNS' LIMIT 1", (d,)).fetchone()
                is None
            ]
        )

    def _delete(self, keys: list[str]) -> None:
        if keys:
            gone = json.dumps(keys, ensure_ascii=False)
            self.db.execute(f"DELETE FROM rels WHERE start IN {_IN}", (gone,))
            self.db.execute(f'DELETE FROM rels WHERE "end" IN {_IN}', (gone,))
            self.db.execute(f"DELETE FROM aliases WHERE key IN {_IN}", (gone,))
            self.db.execute(f"DELETE FROM nodes WHERE key IN {_IN}", (gone,))

    def write_progress(self, batch: Batch) -> None:
        nodes = [{"key": n.key, "label": n.label, **n.props} for n in batch.nodes]
        # A record points at its item or sub-item only while that is loaded; it is found by ``target``.
        rels = [{"type": r.type, "start": r.start, "end": r.end, **r.props} for r in batch.rels]
        with self._writing():
            self._remove_progress(batch.document)
            self._add(nodes, rels)

    def remove_progress(self, key: str) -> None:
        with self._writing():
            self._remove_progress(key)

    def _remove_progress(self, key: str) -> None:
        records = [
            r[0] for r in self.db.execute("SELECT start FROM rels WHERE \"end\" = ? AND type = 'IN_REPORT'", (key,))
        ]
        self._delete([*records, key])

    # A correction is no part of its document (it outlives a reload), so it carries no
    # ``document`` column that removing the document would match.
    def write_correction(self, row: dict) -> None:
        props = json.dumps({k: v for k, v in row.items() if k not in ("key", "label")}, ensure_ascii=False, default=str)
        with self._writing():
            self.db.execute(
                "INSERT INTO nodes (key, label, props) VALUES (?, 'Correction', ?) "
                "ON CONFLICT (key) DO UPDATE SET props = excluded.props",
                (row["key"], props),
            )

    def remove_correction(self, key: str) -> bool:
        with self._writing():
            return self.db.execute("DELETE FROM nodes WHERE key = ? AND label = 'Correction'", (key,)).rowcount > 0

    # --- reads --------------------------------------------------------------------------
    def _rows(self, sql: str, params: Sequence = ()) -> list[dict]:
        cur = self.db.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur]

    def _node_rows(self, sql: str, params: Sequence = ()) -> list[dict]:
        return [
            _dated({"key": key, "label": label, **json.loads(props)})
            for key, label, props in self.db.execute(sql, params)
        ]

    def generation(self) -> str:
        meta = dict(self.db.execute("SELECT name, value FROM meta WHERE name IN ('store_id', 'generation')"))
        return f"{meta.get('store_id', '')}:{meta.get('generation', 0)}"

    def documents(self, city: str | None = None) -> list[dict]:
        where = "" if city is None else " AND d.city = ?"
        return [
            {**d, "items": n}
            for d, n in (
                ({"key": key, **json.loads(props)}, n)
                for key, props, n in self.db.execute(
                    "SELECT d.key, d.props, (SELECT count(*) FROM nodes i WHERE i.document = d.key AND i.label = 'Item') "
                    f"FROM nodes d WHERE d.label = 'Document'{where} ORDER BY d.key",
                    () if city is None else (city,),
                )
            )
        ]

    def document(self, key: str) -> dict | None:
        rows = self._node_rows("SELECT key, label, props FROM nodes WHERE key = ? AND label = 'Document'", (key,))
        if not rows:
            return None
        rows[0].pop("label")
        return rows[0]

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        nodes = dict(self.db.execute("SELECT label, count(*) FROM nodes GROUP BY label ORDER BY label"))
        rels = dict(self.db.execute("SELECT type, count(*) FROM rels GROUP BY type ORDER BY type"))
        return nodes, rels

    def find(self, name: str, labels: Sequence[str]) -> list[dict]:
        wanted = json.dumps(list(labels), ensure_ascii=False)
        found = self._node_rows(
            f"SELECT key, label, props FROM nodes WHERE name = ? AND label IN {_IN}", (name, wanted)
        )
        if not found:
            found = self._node_rows(
                f"SELECT n.key, n.label, n.props FROM aliases a JOIN nodes n ON n.key = a.key "
                f"WHERE a.alias = ? AND n.label IN {_IN}",
                (name, wanted),
            )
        return sorted(found, key=lambda n: (list(labels).index(n["label"]), n["key"]))

    def names(self, labels: Sequence[str]) -> list[tuple[str, str]]:
        return [
            (c or "", n)
            for c, n in self.db.execute(
                f"SELECT DISTINCT city, name FROM nodes WHERE label IN {_IN}", (json.dumps(list(labels)),)
            )
        ]

    def items(self, documents=None, *, keys=None) -> list[dict]:
        if keys is not None:
            # ``+label``: look the keys up, never every Item through the label index.
            return self._node_rows(
                f"SELECT key, label, props FROM nodes WHERE key IN {_IN} AND +label = 'Item'", (_json(keys),)
            )
        if documents is None:
            return self._node_rows("SELECT key, label, props FROM nodes WHERE label = 'Item'")
        return self._node_rows(
            f"SELECT key, label, props FROM nodes WHERE document IN {_IN} AND label = 'Item'", (_json(documents),)
        )

    def parts(self, items: Sequence[str]) -> list[dict]:
        return self._node_rows(
            f"SELECT key, label, props FROM nodes WHERE item IN {_IN} AND label = 'SubItem'", (_json(items),)
        )

    def nodes(self, labels: Sequence[str]) -> list[dict]:
        return self._node_rows(f"SELECT key, label, props FROM nodes WHERE label IN {_IN}", (_json(labels),))

    def rels(self, types: Sequence[str]) -> list[dict]:
        return [
            {"type": t, "start": s, "end": e, **(json.loads(p) if p else {})}
            for t, s, e, p in self.db.execute(
                f'SELECT type, start, "end", props FROM rels WHERE type IN {_IN}', (_json(types),)
            )
        ]

    def roles(self, *, sources=None, items=None, documents=None) -> list[dict]:
        return self._rows(*_narrowed(_ROLE_ROWS, {"r.start": sources, _ON_ITEMS: items, _OF_DOCUMENTS: documents}))

    def oversight(self, *, leaders=None, items=None, documents=None) -> list[dict]:
        return self._rows(*_narrowed(_OVERSIGHT_ROWS, {"r.start": leaders, _ON_ITEMS: items, _OF_DOCUMENTS: documents}))

    def milestones(self, *, owners=None, documents=None) -> list[dict]:
        if owners is None:
            base = "SELECT m.key, m.props, m.item, m.document FROM nodes m WHERE m.label = 'Milestone'"
        else:
            base = (
                'SELECT m.key, m.props, m.item, m.document FROM rels r JOIN nodes m ON m.key = r."end" '
                "WHERE r.type = 'HAS_MILESTONE'"
            )
        sql, params = _narrowed(base, {"r.start": owners, "m.document": documents})
        return [
            _dated({"key": key, **json.loads(props), "item": item, "document": document})
            for key, props, item, document in self.db.execute(sql, params)
        ]

    def milestone_quarters(self, *, documents=None) -> list[dict]:
        sql, params = _narrowed(
            "SELECT key, json_extract(props, '$.owner'), json_extract(props, '$.quarters') "
            "FROM nodes WHERE label = 'Milestone'",
            {"document": documents},
        )
        return [
            {"key": key, "owner": owner, "quarters": json.loads(q)} for key, owner, q in self.db.execute(sql, params)
        ]

    def memberships(self, *, units=None, groups=None) -> list[dict]:
        return self._rows(
            *_narrowed(
                'SELECT r.start AS unit, r."end" AS "group", g.name AS group_name '
                "FROM rels r JOIN nodes g ON g.key = r.\"end\" WHERE r.type = 'MEMBER_OF'",
                {"r.start": units, 'r."end"': groups},
            )
        )

    def governs(self) -> list[dict]:
        return self._rows(
            'SELECT r.start AS unit, r."end" AS district, d.name AS name, d.city AS city, '
            "d.kind AS kind FROM rels r JOIN nodes d ON d.key = r.\"end\" WHERE r.type = 'GOVERNS'"
        )

    def status_records(self) -> list[dict]:
        return self._node_rows("SELECT key, label, props FROM nodes WHERE label = 'StatusRecord'")

    def corrections(self, items: list[str] | None = None) -> list[dict]:
        if items is None:
            return self._node_rows("SELECT key, label, props FROM nodes WHERE label = 'Correction' ORDER BY key")
        return self._node_rows(
            f"SELECT key, label, props FROM nodes WHERE key IN {_IN} AND +label = 'Correction' ORDER BY key",
            (_json(correction_keys(items)),),
        )

    def reports(self) -> list[dict]:
        rows = self._node_rows(
            "SELECT p.key, p.label, p.props FROM nodes p WHERE p.label = 'ProgressReport' AND EXISTS "
            "(SELECT 1 FROM nodes d WHERE d.key = json_extract(p.props, '$.document') AND d.label = 'Document')"
        )
        for r in rows:
            r.pop("label")
        return rows


def _dated(row: dict) -> dict:
    """``row`` with its date properties as ``datetime.date`` (JSON holds them as ISO text)."""
    for name in DATE_PROPERTIES:
        value = row.get(name)
        if value and isinstance(value, str):
            row[name] = dt.date.fromisoformat(value)
    return row


def _when_free(step, path: Path | None):
    """Run ``step``, waiting while another command holds the file: switching the journal
    mode does not wait by itself, it fails at once when another connection is writing."""
    import time

    wait = wait_seconds()
    deadline = time.monotonic() + wait
    while True:
        try:
            return step()
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            if time.monotonic() > deadline:
                raise locked(path or "memory", wait) from None
            time.sleep(0.05)


def _connect(target: str) -> sqlite3.Connection:
    # Autocommit: transactions are begun explicitly (BEGIN IMMEDIATE) by the writers.
    db = sqlite3.connect(target, timeout=wait_seconds(), isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA synchronous = NORMAL")
    return db


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write, for questions.  On a read-only mount nobody can
    change the file, so SQLite is told it is immutable (it then needs no -shm file, which
    it could not make there)."""
    mode = "immutable=1" if read_only_mount(path) else "mode=ro"
    return sqlite3.connect(
        f"{path.resolve().as_uri()}?{mode}",
        uri=True,
        timeout=wait_seconds(),
        isolation_level=None,
        check_same_thread=False,
    )


def _unclean(path: Path) -> bool:
    """Whether a write-ahead log is left beside the file by a writer that stopped midway:
    the last connection to close folds the log in and deletes it, so one left over that no
    other process holds, and that this process has neither written nor judged already,
    means a stop midway; quick_check then costs a read of the file, once.

    A server that has written keeps a log while it runs (its read-only connections cannot
    fold it in): judged again, it made every new worker thread read the whole file."""
    stamp = wal_stamp(path)
    if stamp is None or stamp.size == 0 or known_wal(path, stamp):
        return False
    note_wal(path)  # judged now, whatever the check finds: it is not run twice on one log
    return not lock_holders(path)


def stamp_write(db: sqlite3.Connection) -> None:
    """The last statements of every write transaction on the file, whoever writes it: the
    store's generation bumped (see ``GraphStore.generation``)."""
    db.execute(_BUMP_STORE_ID, (uuid.uuid4().hex,))
    db.execute(_BUMP_GENERATION)


def _json(values) -> str:
    return json.dumps(list(values), ensure_ascii=False)


#: The role or oversight edges whose target is one of some items or one of their sub-items.
_ON_ITEMS = "r.\"end\" IN (SELECT key FROM nodes WHERE label IN ('Item', 'SubItem') AND item IN {values})"
#: … or belongs to some documents: found from the documents' items, not by reading every edge.
_OF_DOCUMENTS = "r.\"end\" IN (SELECT key FROM nodes WHERE label IN ('Item', 'SubItem') AND document IN {values})"


def _narrowed(sql: str, filters: dict) -> tuple[str, list]:
    """``sql`` (ending in a WHERE clause) narrowed by every filter whose values are not
    None: a column (``column IN values``) or a condition with ``{values}`` in it.  The
    values travel as one JSON parameter each."""
    params = []
    for condition, values in filters.items():
        if values is not None:
            sql += " AND " + (condition if "{values}" in condition else condition + " IN {values}").format(values=_IN)
            params.append(_json(values))
    return sql, params


def _props_json(rel: dict) -> str | None:
    props = {k: v for k, v in rel.items() if k not in ("type", "start", "end")}
    return json.dumps(props, ensure_ascii=False, default=str) if props else None


assert set(OWNED_LABELS) <= set(LABELS) and set(NAMING_EDGES) <= set(REL_TYPES)
