"""Accounts in the SQLite file of the graph: tables beside ``nodes`` and ``rels``.

A write opens a connection of its own and takes SQLite's write lock (``BEGIN
IMMEDIATE``) for its whole transaction, so it queues behind a table being loaded
by another thread or process instead of failing, and is there whole or not at all.
The audit table refuses UPDATE and DELETE by trigger: nothing in the application
can edit it.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
from contextlib import contextmanager

from respgraph.accounts.model import (
    ONLINE_SOURCE,
    AccountError,
    AuditEntry,
    Submission,
    User,
    dumps,
    stamp,
    user_from,
)
from respgraph.graph.errors import StoreUnavailable
from respgraph.graph.sqlite_health import note_wal
from respgraph.graph.sqlite_store import SqliteStore, stamp_write

SCHEMA = """
CREATE TABLE IF NOT EXISTS account_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS account_users (
  login TEXT PRIMARY KEY COLLATE NOCASE, props TEXT NOT NULL, password_hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS submissions (
  key TEXT PRIMARY KEY, target TEXT NOT NULL, document TEXT NOT NULL, year INTEGER NOT NULL,
  quarter INTEGER NOT NULL, submitted TEXT NOT NULL, returned TEXT, props TEXT NOT NULL, record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS submissions_target ON submissions (target, year, quarter);
CREATE INDEX IF NOT EXISTS submissions_document ON submissions (document, year, quarter);
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL, address TEXT NOT NULL,
  action TEXT NOT NULL, subject TEXT NOT NULL, detail TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS account_ended (session TEXT PRIMARY KEY, until TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS login_failures (key TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS login_failures_key ON login_failures (key, at);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS submissions_kept BEFORE UPDATE OF key, target, document, year, quarter, submitted,
  record ON submissions
BEGIN SELECT RAISE(ABORT, 'a submission is never overwritten: submit again'); END;
CREATE TRIGGER IF NOT EXISTS submissions_no_delete BEFORE DELETE ON submissions
BEGIN SELECT RAISE(ABORT, 'a submission is never deleted'); END;
CREATE TABLE IF NOT EXISTS notice_sequences (
  year INTEGER NOT NULL, prefix TEXT NOT NULL, next INTEGER NOT NULL, PRIMARY KEY (year, prefix)
);
CREATE TABLE IF NOT EXISTS notice_batches (
  key TEXT PRIMARY KEY, year INTEGER NOT NULL, prefix TEXT NOT NULL, first INTEGER NOT NULL, last INTEGER NOT NULL,
  issued TEXT NOT NULL, props TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS notice_batches_kept BEFORE UPDATE ON notice_batches
BEGIN SELECT RAISE(ABORT, 'an issued batch of notices is never changed'); END;
CREATE TRIGGER IF NOT EXISTS notice_batches_no_delete BEFORE DELETE ON notice_batches
BEGIN SELECT RAISE(ABORT, 'an issued batch of notices is never deleted'); END;
"""

# A store in memory has one connection for every thread: writes on it take turns here.
_MEMORY_LOCKS: dict[int, threading.Lock] = {}
_GUARD = threading.Lock()


class SqliteAccounts:
    def __init__(self, store: SqliteStore):
        self.store = store
        self.path = store.path if store.path is not None and store.path.exists() else None
        self._readers = threading.local()  # one read-only connection per thread, kept (see _read)
        # executescript commits whatever is open: the schema carries its own transaction.
        script = f"BEGIN IMMEDIATE;\n{SCHEMA}\nCOMMIT;"
        if self.path is None:
            with self._memory_lock():
                store.db.executescript(script)
        else:
            db = sqlite3.connect(str(self.path), timeout=300, isolation_level=None)
            try:
                db.executescript(script)
            finally:
                db.close()

    def _memory_lock(self) -> threading.Lock:
        with _GUARD:
            return _MEMORY_LOCKS.setdefault(id(self.store.db), threading.Lock())

    # --- transactions ---------------------------------------------------------------
    @contextmanager
    def _transaction(self):
        if self.path is None:
            with self._memory_lock():
                yield from self._in(self.store.db)
            return
        db = sqlite3.connect(str(self.path), timeout=300, isolation_level=None)
        try:
            db.execute("PRAGMA synchronous = FULL")  # an acknowledged submission survives a power cut too
            yield from self._in(db)
        finally:
            db.close()

    def _in(self, db):
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreUnavailable(str(self.path or "memory"), f"cannot write: {exc}") from None
        try:
            yield db
            stamp_write(db)  # what a page shows changes with a submission: the generation says so
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        if self.path is not None:
            note_wal(self.path)  # the server's own log: no integrity check for it (sqlite_store._unclean)

    def _read(self, sql: str, params=()) -> list[tuple]:
        if self.path is None:
            return self.store.db.execute(sql, params).fetchall()
        # A server asks for the session's account on every request: a connection opened per read
        # was 8 % of a page's time.  Each thread keeps its own; every statement of an autocommit
        # connection reads the latest commit, so another process's write shows at once.
        db = getattr(self._readers, "db", None)
        if db is None:
            db = self._readers.db = sqlite3.connect(
                f"file:{self.path}?mode=ro", uri=True, timeout=300, isolation_level=None
            )
        return db.execute(sql, params).fetchall()

    # --- secret -----------------------------------------------------------------------
    def secret(self) -> str:
        found = self._read("SELECT value FROM account_meta WHERE name = 'session_secret'")
        if found:
            return found[0][0]
        with self._transaction() as db:
            db.execute("INSERT OR IGNORE INTO account_meta VALUES ('session_secret', ?)", (secrets.token_urlsafe(48),))
            return db.execute("SELECT value FROM account_meta WHERE name = 'session_secret'").fetchone()[0]

    # --- users --------------------------------------------------------------------------
    def user(self, login: str) -> tuple[User, str] | None:
        rows = self._read("SELECT login, props, password_hash FROM account_users WHERE login = ?", (login,))
        return (user_from({"login": rows[0][0], **json.loads(rows[0][1])}), rows[0][2]) if rows else None

    def any_user(self) -> bool:
        return bool(self._read("SELECT 1 FROM account_users LIMIT 1"))

    def users(self) -> list[User]:
        return [
            user_from({"login": login, **json.loads(props)})
            for login, props in self._read("SELECT login, props FROM account_users ORDER BY login")
        ]

    def add_user(self, user: User, password_hash: str, audit: AuditEntry) -> None:
        props = user.model_dump(mode="json", exclude={"login"})
        with self._transaction() as db:
            if db.execute("SELECT 1 FROM account_users WHERE login = ?", (user.login,)).fetchone():
                raise AccountError(f"there is already a user {user.login!r}")
            db.execute("INSERT INTO account_users VALUES (?, ?, ?)", (user.login, dumps(props), password_hash))
            _audit(db, audit)

    def change_user(self, login: str, changes: dict, audit: AuditEntry, *, password_hash: str | None = None) -> User:
        with self._transaction() as db:
            row = db.execute("SELECT login, props FROM account_users WHERE login = ?", (login,)).fetchone()
            if row is None:
                raise AccountError(f"no user {login!r}")
            props = {**json.loads(row[1]), **changes}
            props["session_version"] = props.get("session_version", 1) + 1
            user = user_from({"login": row[0], **props})
            db.execute(
                "UPDATE account_users SET props = ? WHERE login = ?",
                (dumps(user.model_dump(mode="json", exclude={"login"})), row[0]),
            )
            if password_hash is not None:
                db.execute("UPDATE account_users SET password_hash = ? WHERE login = ?", (password_hash, row[0]))
            _audit(db, audit)
            return user

    # --- submissions --------------------------------------------------------------------
    def add_submission(self, submission: Submission, record: dict, report: dict, audit: AuditEntry) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO submissions VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?)",
                (
                    submission.key,
                    submission.target,
                    submission.document,
                    submission.year,
                    submission.quarter,
                    stamp(submission.submitted),
                    dumps(submission.model_dump(mode="json")),
                    dumps(record),
                ),
            )
            _settle(db, submission.target, submission.year, submission.quarter, report)
            _audit(db, audit)

    def return_submission(self, key: str, changes: dict, report: dict, audit: AuditEntry) -> Submission:
        with self._transaction() as db:
            row = db.execute("SELECT props, returned FROM submissions WHERE key = ?", (key,)).fetchone()
            if row is None:
                raise AccountError(f"no submission {key!r}")
            if row[1] is not None:
                raise AccountError(f"submission {key} was already returned")
            sub = Submission.model_validate({**json.loads(row[0]), **changes})
            db.execute(
                "UPDATE submissions SET returned = ?, props = ? WHERE key = ?",
                (stamp(sub.returned), dumps(sub.model_dump(mode="json")), key),
            )
            _settle(db, sub.target, sub.year, sub.quarter, report)
            _audit(db, audit)
            return sub

    def submissions(self, *, document=None, year=None, quarter=None, target=None, key=None) -> list[Submission]:
        sql, params = "SELECT props FROM submissions WHERE 1 = 1", []
        for column, value in (
            ("document", document),
            ("year", year),
            ("quarter", quarter),
            ("target", target),
            ("key", key),
        ):
            if value is not None:
                sql += f" AND {column} = ?"
                params.append(value)
        rows = self._read(sql + " ORDER BY submitted, key", params)
        return [Submission.model_validate(json.loads(p)) for (p,) in rows]

    # --- settings -----------------------------------------------------------------------
    def setting(self, name: str) -> str | None:
        found = self._read("SELECT value FROM account_meta WHERE name = ?", (f"setting:{name}",))
        return found[0][0] if found else None

    def set_setting(self, name: str, value: str, audit: AuditEntry) -> None:
        with self._transaction() as db:
            db.execute("INSERT OR REPLACE INTO account_meta VALUES (?, ?)", (f"setting:{name}", value))
            _audit(db, audit)

    # --- the register of notices (accounts/register.py) ---------------------------------
    def issue_notices(self, year: int, prefix: str, minimum: int, make) -> dict:
        """Take the next numbers of (year, prefix) for the batch ``make(first)`` returns, in one transaction."""
        with self._transaction() as db:
            row = db.execute(
                "SELECT next FROM notice_sequences WHERE year = ? AND prefix = ?", (year, prefix)
            ).fetchone()
            first = max(row[0] if row else 1, minimum)
            props, audit = make(first)
            db.execute("INSERT OR REPLACE INTO notice_sequences VALUES (?, ?, ?)", (year, prefix, props["last"] + 1))
            db.execute(
                "INSERT INTO notice_batches VALUES (?, ?, ?, ?, ?, ?, ?)",
                (props["key"], year, prefix, first, props["last"], props["issued"], dumps(props)),
            )
            _audit(db, audit)
            return props

    def notice_batches(self, *, year: int | None = None, key: str | None = None) -> list[str]:
        sql, params = "SELECT props FROM notice_batches WHERE 1 = 1", []
        for column, value in (("year", year), ("key", key)):
            if value is not None:
                sql += f" AND {column} = ?"
                params.append(value)
        return [p for (p,) in self._read(sql + " ORDER BY issued, key", params)]

    # --- audit ----------------------------------------------------------------------------
    def audit(self, entry: AuditEntry) -> None:
        with self._transaction() as db:
            _audit(db, entry)

    def audit_log(self) -> list[AuditEntry]:
        return [
            AuditEntry(at=at, actor=actor, address=address, action=action, subject=subject, detail=detail)
            for at, actor, address, action, subject, detail in self._read(
                "SELECT at, actor, address, action, subject, detail FROM audit ORDER BY seq"
            )
        ]

    # --- sessions ended, failed logins ----------------------------------------------------------
    def end_session(self, session: str, until, audit: AuditEntry) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM account_ended WHERE until < ?", (stamp(audit.at),))
            db.execute("INSERT OR REPLACE INTO account_ended VALUES (?, ?)", (session, stamp(until)))
            _audit(db, audit)

    def session_ended(self, session: str) -> bool:
        return bool(self._read("SELECT 1 FROM account_ended WHERE session = ?", (session,)))

    def login_failures(self, keys: list[str], since: float) -> dict[str, list[float]]:
        out: dict[str, list[float]] = {k: [] for k in keys}
        marks = ",".join("?" * len(keys))
        for key, at in self._read(
            f"SELECT key, at FROM login_failures WHERE key IN ({marks}) AND at > ? ORDER BY at", (*keys, since)
        ):
            out[key].append(at)
        return out

    def add_login_failure(self, keys: list[str], at: float, forget_before: float) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM login_failures WHERE at <= ?", (forget_before,))
            db.executemany("INSERT INTO login_failures VALUES (?, ?)", [(k, at) for k in keys])

    def forget_login_failures(self, key: str) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM login_failures WHERE key = ?", (key,))


def _audit(db, e: AuditEntry) -> None:
    db.execute(
        "INSERT INTO audit (at, actor, address, action, subject, detail) VALUES (?, ?, ?, ?, ?, ?)",
        (stamp(e.at), e.actor, e.address, e.action, e.subject, e.detail),
    )


def _settle(db, target: str, year: int, quarter: int, report: dict) -> None:
    """Make the latest submission not returned on ``target`` for the quarter its status record,
    in the report of its table and quarter's end (made when missing); none left: no record."""
    key = f"status:{report['as_of']}/{target}"
    latest = db.execute(
        "SELECT record FROM submissions WHERE target = ? AND year = ? AND quarter = ? "
        "AND returned IS NULL ORDER BY submitted DESC, key DESC LIMIT 1",
        (target, year, quarter),
    ).fetchone()
    db.execute('DELETE FROM rels WHERE start = ? OR "end" = ?', (key, key))
    db.execute("DELETE FROM nodes WHERE key = ?", (key,))
    if latest is not None:
        if db.execute("SELECT 1 FROM nodes WHERE key = ?", (report["key"],)).fetchone() is None:
            db.execute(
                "INSERT INTO nodes (key, label, props) VALUES (?, 'ProgressReport', ?)",
                (report["key"], dumps({k: v for k, v in report.items() if k != "key"})),
            )
            db.execute(
                "INSERT OR IGNORE INTO rels VALUES ('REPORTS_ON', ?, ?, NULL)", (report["key"], report["document"])
            )
        record = json.loads(latest[0])
        db.execute(
            "INSERT INTO nodes (key, label, props) VALUES (?, 'StatusRecord', ?)",
            (key, dumps({k: v for k, v in record.items() if k != "key"})),
        )
        db.execute("INSERT OR IGNORE INTO rels VALUES ('IN_REPORT', ?, ?, NULL)", (key, report["key"]))
        if db.execute("SELECT 1 FROM nodes WHERE key = ?", (target,)).fetchone():
            db.execute("INSERT OR IGNORE INTO rels VALUES ('HAS_STATUS', ?, ?, NULL)", (target, key))
    rows = db.execute(
        "SELECT count(*) FROM rels WHERE \"end\" = ? AND type = 'IN_REPORT'", (report["key"],)
    ).fetchone()[0]
    found = db.execute("SELECT props FROM nodes WHERE key = ?", (report["key"],)).fetchone()
    if found is None:
        return
    if rows == 0 and json.loads(found[0]).get("source") == ONLINE_SOURCE:
        db.execute('DELETE FROM rels WHERE start = ? OR "end" = ?', (report["key"],) * 2)
        db.execute("DELETE FROM nodes WHERE key = ?", (report["key"],))
    else:
        db.execute("UPDATE nodes SET props = json_set(props, '$.rows', ?) WHERE key = ?", (rows, report["key"]))
