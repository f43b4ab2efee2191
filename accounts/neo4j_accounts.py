"""Accounts on a Neo4j server: ``Account``, ``Submission`` and ``AuditEntry`` nodes beside the graph.

Each write is one transaction (``execute_write``, retried by the driver on a
transient error such as a deadlock) that appends its ``AuditEntry``.  A submission
first locks its quarter's ``ProgressReport`` (a property written on it): two
submissions on one table and quarter take turns, so the status record is always
the latest submission.  Community edition cannot forbid editing nodes; the
application never edits an ``AuditEntry`` or a submission's content, and
``respgraph cypher`` is not reachable from the web.
"""

from __future__ import annotations

import json
import secrets
import uuid
from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from respgraph.graph.neo4j_store import Neo4jStore

#: Seconds a write keeps retrying a deadlock or another transient error before giving up.
RETRY_FOR = 120

SCHEMA = (
    "CREATE CONSTRAINT account_login IF NOT EXISTS FOR (n:Account) REQUIRE n.login_key IS UNIQUE",
    "CREATE CONSTRAINT submission_key IF NOT EXISTS FOR (n:Submission) REQUIRE n.key IS UNIQUE",
    "CREATE CONSTRAINT auditentry_key IF NOT EXISTS FOR (n:AuditEntry) REQUIRE n.key IS UNIQUE",
    "CREATE CONSTRAINT accountmeta_name IF NOT EXISTS FOR (n:AccountMeta) REQUIRE n.name IS UNIQUE",
    "CREATE INDEX submission_target IF NOT EXISTS FOR (n:Submission) ON (n.target, n.year, n.quarter)",
    "CREATE INDEX submission_document IF NOT EXISTS FOR (n:Submission) ON (n.document, n.year, n.quarter)",
    "CREATE CONSTRAINT progressreport_key IF NOT EXISTS FOR (n:ProgressReport) REQUIRE n.key IS UNIQUE",
    "CREATE CONSTRAINT statusrecord_key IF NOT EXISTS FOR (n:StatusRecord) REQUIRE n.key IS UNIQUE",
    "CREATE CONSTRAINT noticesequence_id IF NOT EXISTS FOR (n:NoticeSequence) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT noticebatch_key IF NOT EXISTS FOR (n:NoticeBatch) REQUIRE n.key IS UNIQUE",
    "CREATE CONSTRAINT endedsession_id IF NOT EXISTS FOR (n:EndedSession) REQUIRE n.session IS UNIQUE",
    "CREATE INDEX loginfailure_key IF NOT EXISTS FOR (n:LoginFailure) ON (n.key)",
    "CREATE INDEX loginfailure_at IF NOT EXISTS FOR (n:LoginFailure) ON (n.at)",
)

# The sequence node is made when missing and locked (a property written) before it is read:
# two batches of one year and prefix take turns on it.
LOCK_SEQUENCE = """
MERGE (s:NoticeSequence {id: $id})
ON CREATE SET s.year = $year, s.prefix = $prefix, s.next = 1
SET s.lock = true REMOVE s.lock
"""

AUDIT = """
CREATE (e:AuditEntry {key: $key, at: $at, actor: $actor, address: $address, action: $action,
                      subject: $subject, detail: $detail})
"""

# The report is locked first and alone; its document is touched only when the report is new
# (a relationship locks both its ends), so submissions queue on one node, not on two.
LOCK_REPORT = """
MATCH (d:Document {key: $document})
MERGE (p:ProgressReport {key: $key})
ON CREATE SET p += $props, p.new = true
SET p.rows = coalesce(p.rows, 0)
RETURN p.new AS new
"""

LINK_REPORT = """
MATCH (p:ProgressReport {key: $key}), (d:Document {key: $document})
CREATE (p)-[:REPORTS_ON]->(d)
REMOVE p.new
"""

LATEST = """
MATCH (s:Submission {target: $target, year: $year, quarter: $quarter})
WHERE s.returned IS NULL
RETURN s.record AS record ORDER BY s.submitted DESC, s.key DESC LIMIT 1
"""

REMOVE_RECORD = "MATCH (r:StatusRecord {key: $key}) DETACH DELETE r"

ADD_RECORD = """
MATCH (p:ProgressReport {key: $report})
CREATE (r:StatusRecord {key: $key})
SET r += $props
CREATE (r)-[:IN_REPORT]->(p)
WITH r
CALL (r) {
  MATCH (t:Item {key: $target}) RETURN t
  UNION
  MATCH (t:SubItem {key: $target}) RETURN t
}
CREATE (t)-[:HAS_STATUS]->(r)
"""

COUNT_REPORT = """
MATCH (p:ProgressReport {key: $key})
OPTIONAL MATCH (r:StatusRecord)-[:IN_REPORT]->(p)
WITH p, count(r) AS rows
SET p.rows = rows
WITH p, rows WHERE rows = 0 AND p.source = $online
DETACH DELETE p
"""


class Neo4jAccounts:
    def __init__(self, store: Neo4jStore):
        self.store = store
        for statement in SCHEMA:
            store._run(statement)

    def _write(self, work, doing: str):
        """Run ``work`` in one write transaction, again while the server says to retry.

        The driver retries a deadlock for a few seconds only (the store's setting, right
        for a command a person waits on); a submission that meets a table being loaded
        may wait its turn longer, and is never half-written meanwhile."""
        import time

        from neo4j.exceptions import TransientError

        deadline = time.monotonic() + RETRY_FOR
        pause = 0.05
        while True:
            try:
                with self.store.driver.session(database=self.store.database) as session:
                    return self.store.gate.commit(session.execute_write, work)
            except AccountError:
                raise
            except Exception as exc:  # noqa: BLE001 - the store's runner turns the rest into one line
                retry = (
                    isinstance(exc, TransientError)
                    or str(getattr(exc, "code", "") or "").startswith("Neo.TransientError")
                    or bool(getattr(exc, "is_retryable", lambda: False)())
                )
                if not retry or time.monotonic() > deadline:
                    break
                time.sleep(pause)
                pause = min(pause * 2, 1.0)
        return self.store._transaction(work, doing, "nothing of it was written")

    def _read(self, query: str, **params) -> list[dict]:
        return self.store.read(query, **params)

    # --- secret -----------------------------------------------------------------------
    def secret(self) -> str:
        def work(tx):
            return tx.run(
                "MERGE (m:AccountMeta {name: 'session_secret'}) ON CREATE SET m.value = $value RETURN m.value AS value",
                value=secrets.token_urlsafe(48),
            ).single()["value"]

        found = self._read("MATCH (m:AccountMeta {name: 'session_secret'}) RETURN m.value AS value")
        return found[0]["value"] if found else self._write(work, "making the session secret")

    # --- users --------------------------------------------------------------------------
    def user(self, login: str) -> tuple[User, str] | None:
        rows = self._read(
            "MATCH (a:Account {login_key: $key}) RETURN a.login AS login, a.props AS props, a.password_hash AS hash",
            key=login.lower(),
        )
        return (
            (user_from({"login": rows[0]["login"], **json.loads(rows[0]["props"])}), rows[0]["hash"]) if rows else None
        )

    def any_user(self) -> bool:
        return bool(self._read("MATCH (a:Account) RETURN 1 AS one LIMIT 1"))

    def users(self) -> list[User]:
        return [
            user_from({"login": r["login"], **json.loads(r["props"])})
            for r in self._read("MATCH (a:Account) RETURN a.login AS login, a.props AS props ORDER BY a.login_key")
        ]

    def add_user(self, user: User, password_hash: str, audit: AuditEntry) -> None:
        props = dumps(user.model_dump(mode="json", exclude={"login"}))

        def work(tx):
            if tx.run("MATCH (a:Account {login_key: $key}) RETURN a", key=user.login.lower()).peek() is not None:
                raise AccountError(f"there is already a user {user.login!r}")
            tx.run(
                "CREATE (a:Account {login: $login, login_key: $key, props: $props, password_hash: $hash})",
                login=user.login,
                key=user.login.lower(),
                props=props,
                hash=password_hash,
            ).consume()
            _audit(tx, audit)

        self._write(work, f"adding user {user.login}")

    def change_user(self, login: str, changes: dict, audit: AuditEntry, *, password_hash: str | None = None) -> User:
        def work(tx):
            row = tx.run(
                "MATCH (a:Account {login_key: $key}) SET a.lock = true REMOVE a.lock "
                "RETURN a.login AS login, a.props AS props",
                key=login.lower(),
            ).single()
            if row is None:
                raise AccountError(f"no user {login!r}")
            props = {**json.loads(row["props"]), **changes}
            props["session_version"] = props.get("session_version", 1) + 1
            user = user_from({"login": row["login"], **props})
            tx.run(
                "MATCH (a:Account {login_key: $key}) SET a.props = $props, "
                "a.password_hash = coalesce($hash, a.password_hash)",
                key=login.lower(),
                props=dumps(user.model_dump(mode="json", exclude={"login"})),
                hash=password_hash,
            ).consume()
            _audit(tx, audit)
            return user

        return self._write(work, f"changing user {login}")

    # --- submissions --------------------------------------------------------------------
    def add_submission(self, submission: Submission, record: dict, report: dict, audit: AuditEntry) -> None:
        data = submission.model_dump(mode="json")

        def work(tx):
            _lock(tx, report)
            tx.run(
                "CREATE (s:Submission {key: $key, target: $target, document: $document, year: $year, "
                "quarter: $quarter, submitted: $submitted, props: $props, record: $record})",
                key=submission.key,
                target=submission.target,
                document=submission.document,
                year=submission.year,
                quarter=submission.quarter,
                submitted=stamp(submission.submitted),
                props=dumps(data),
                record=dumps(record),
            ).consume()
            _settle(tx, submission.target, submission.year, submission.quarter, report)
            _audit(tx, audit)

        self._write(work, f"keeping submission {submission.key}")

    def return_submission(self, key: str, changes: dict, report: dict, audit: AuditEntry) -> Submission:
        def work(tx):
            _lock(tx, report)
            row = tx.run(
                "MATCH (s:Submission {key: $key}) RETURN s.props AS props, s.returned AS returned", key=key
            ).single()
            if row is None:
                raise AccountError(f"no submission {key!r}")
            if row["returned"] is not None:
                raise AccountError(f"submission {key} was already returned")
            sub = Submission.model_validate({**json.loads(row["props"]), **changes})
            data = sub.model_dump(mode="json")
            tx.run(
                "MATCH (s:Submission {key: $key}) SET s.returned = $returned, s.props = $props",
                key=key,
                returned=stamp(sub.returned),
                props=dumps(data),
            ).consume()
            _settle(tx, sub.target, sub.year, sub.quarter, report)
            _audit(tx, audit)
            return sub

        return self._write(work, f"returning submission {key}")

    def submissions(self, *, document=None, year=None, quarter=None, target=None, key=None) -> list[Submission]:
        rows = self._read(
            "MATCH (s:Submission) WHERE ($document IS NULL OR s.document = $document) "
            "AND ($year IS NULL OR s.year = $year) AND ($quarter IS NULL OR s.quarter = $quarter) "
            "AND ($target IS NULL OR s.target = $target) AND ($key IS NULL OR s.key = $key) "
            "RETURN s.props AS props ORDER BY s.submitted, s.key",
            document=document,
            year=year,
            quarter=quarter,
            target=target,
            key=key,
        )
        return [Submission.model_validate(json.loads(r["props"])) for r in rows]

    # --- settings -----------------------------------------------------------------------
    def setting(self, name: str) -> str | None:
        found = self._read("MATCH (m:AccountMeta {name: $name}) RETURN m.value AS value", name=f"setting:{name}")
        return found[0]["value"] if found else None

    def set_setting(self, name: str, value: str, audit: AuditEntry) -> None:
        def work(tx):
            tx.run(
                "MERGE (m:AccountMeta {name: $name}) SET m.value = $value", name=f"setting:{name}", value=value
            ).consume()
            _audit(tx, audit)

        self._write(work, f"setting {name}")

    # --- the register of notices (accounts/register.py) ---------------------------------
    def issue_notices(self, year: int, prefix: str, minimum: int, make) -> dict:
        def work(tx):
            tx.run(LOCK_SEQUENCE, id=f"{year}/{prefix}", year=year, prefix=prefix).consume()
            found = tx.run("MATCH (s:NoticeSequence {id: $id}) RETURN s.next AS next", id=f"{year}/{prefix}").single()
            props, audit = make(max(found["next"], minimum))
            tx.run(
                "MATCH (s:NoticeSequence {id: $id}) SET s.next = $next", id=f"{year}/{prefix}", next=props["last"] + 1
            ).consume()
            tx.run(
                "CREATE (b:NoticeBatch {key: $key, year: $year, prefix: $prefix, first: $first, last: $last, "
                "issued: $issued, props: $props})",
                key=props["key"],
                year=year,
                prefix=prefix,
                first=props["first"],
                last=props["last"],
                issued=props["issued"],
                props=dumps(props),
            ).consume()
            _audit(tx, audit)
            return props

        return self._write(work, f"issuing notices {prefix}")

    def notice_batches(self, *, year: int | None = None, key: str | None = None) -> list[str]:
        return [
            r["props"]
            for r in self._read(
                "MATCH (b:NoticeBatch) WHERE ($year IS NULL OR b.year = $year) AND ($key IS NULL OR b.key = $key) "
                "RETURN b.props AS props ORDER BY b.issued, b.key",
                year=year,
                key=key,
            )
        ]

    # --- audit ----------------------------------------------------------------------------
    def audit(self, entry: AuditEntry) -> None:
        self._write(lambda tx: _audit(tx, entry), f"recording {entry.action}")

    def audit_log(self) -> list[AuditEntry]:
        return [
            AuditEntry.model_validate(r)
            for r in self._read(
                "MATCH (e:AuditEntry) RETURN e.at AS at, e.actor AS actor, e.address AS address, e.action AS action, "
                "e.subject AS subject, e.detail AS detail ORDER BY e.at, e.key"
            )
        ]

    # --- sessions ended, failed logins ----------------------------------------------------------
    def end_session(self, session: str, until, audit: AuditEntry) -> None:
        def work(tx):
            tx.run("MATCH (e:EndedSession) WHERE e.until < $now DELETE e", now=stamp(audit.at)).consume()
            tx.run(
                "MERGE (e:EndedSession {session: $session}) SET e.until = $until", session=session, until=stamp(until)
            ).consume()
            _audit(tx, audit)

        self._write(work, "ending a session")

    def session_ended(self, session: str) -> bool:
        return bool(self._read("MATCH (e:EndedSession {session: $session}) RETURN 1 AS one", session=session))

    def login_failures(self, keys: list[str], since: float) -> dict[str, list[float]]:
        out: dict[str, list[float]] = {k: [] for k in keys}
        for r in self._read(
            "MATCH (f:LoginFailure) WHERE f.key IN $keys AND f.at > $since "
            "RETURN f.key AS key, f.at AS at ORDER BY f.at",
            keys=keys,
            since=since,
        ):
            out[r["key"]].append(r["at"])
        return out

    def add_login_failure(self, keys: list[str], at: float, forget_before: float) -> None:
        def work(tx):
            tx.run("MATCH (f:LoginFailure) WHERE f.at <= $before DELETE f", before=forget_before).consume()
            tx.run("UNWIND $keys AS key CREATE (:LoginFailure {key: key, at: $at})", keys=keys, at=at).consume()

        self._write(work, "counting a failed login")

    def forget_login_failures(self, key: str) -> None:
        self._write(
            lambda tx: tx.run("MATCH (f:LoginFailure {key: $key}) DELETE f", key=key).consume(),
            "forgetting failed logins",
        )


def _audit(tx, e: AuditEntry) -> None:
    data = e.model_dump(mode="json")
    # A time-ordered key (UUIDv7-like: the time first) keeps entries of one microsecond apart.
    data["at"] = stamp(e.at)
    tx.run(AUDIT, key=f"{data['at']}/{uuid.uuid4().hex}", **data).consume()


def _lock(tx, report: dict) -> None:
    """Take the write lock of the quarter's report (made when missing) before reading anything."""
    props = {k: v for k, v in report.items() if k != "key"}
    found = tx.run(LOCK_REPORT, key=report["key"], props=props, document=report["document"]).single()
    if found is None:
        raise AccountError(f"the table {report['document']} is no longer loaded")
    if found["new"]:
        tx.run(LINK_REPORT, key=report["key"], document=report["document"]).consume()


def _settle(tx, target: str, year: int, quarter: int, report: dict) -> None:
    key = f"status:{report['as_of']}/{target}"
    latest = tx.run(LATEST, target=target, year=year, quarter=quarter).single()
    tx.run(REMOVE_RECORD, key=key).consume()
    if latest is not None:
        record = json.loads(latest["record"])
        tx.run(
            ADD_RECORD,
            report=report["key"],
            key=key,
            target=target,
            props={k: v for k, v in record.items() if k != "key"},
        ).consume()
    tx.run(COUNT_REPORT, key=report["key"], online=ONLINE_SOURCE).consume()
