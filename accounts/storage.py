"""Where accounts live: the same store as the graph, in tables of the SQLite file or as Neo4j nodes.

Every write is one transaction that also appends its audit entry, so the log never
misses a write and never names one that did not happen.  A submission's status
record (the row the status board reads, :class:`~respgraph.graph.progress.StatusRecord`)
is chosen inside that transaction, under the write lock: whatever order two
submissions on one item commit in, the latest one counts.
"""

from __future__ import annotations

import datetime as dt
import weakref
from typing import TYPE_CHECKING, Protocol, cast

from respgraph.accounts.model import ONLINE_SOURCE, AuditEntry, Submission, User
from respgraph.graph.protocol import GraphStore

if TYPE_CHECKING:
    from respgraph.graph.neo4j_store import Neo4jStore
    from respgraph.graph.sqlite_store import SqliteStore

__all__ = ["AccountStorage", "account_storage", "ONLINE_SOURCE"]


class AccountStorage(Protocol):
    def secret(self) -> str:
        """The session signing secret, made once per store."""

    def user(self, login: str) -> tuple[User, str] | None:
        """The user and its password hash, or None."""

    def any_user(self) -> bool:
        """Whether any account exists (one indexed read: asked on every request of a server)."""

    def users(self) -> list[User]:
        """Every user, by login."""

    def add_user(self, user: User, password_hash: str, audit: AuditEntry) -> None:
        """Add a user; AccountError when the login is taken (compared without case)."""

    def change_user(self, login: str, changes: dict, audit: AuditEntry, *, password_hash: str | None = None) -> User:
        """Change fields of a user (and its hash) and raise its session version."""

    def add_submission(self, submission: Submission, record: dict, report: dict, audit: AuditEntry) -> None:
        """Keep a submission and make the latest one on its target and quarter the status record."""

    def return_submission(self, key: str, changes: dict, report: dict, audit: AuditEntry) -> Submission:
        """Mark a submission returned; the latest one not returned (or none) becomes the status record."""

    def submissions(
        self,
        *,
        document: str | None = None,
        year: int | None = None,
        quarter: int | None = None,
        target: str | None = None,
        key: str | None = None,
    ) -> list[Submission]:
        """Submissions, oldest first."""

    def setting(self, name: str) -> str | None:
        """A setting the office made (which tables let implementing units report)."""

    def set_setting(self, name: str, value: str, audit: AuditEntry) -> None:
        """Make a setting."""

    def issue_notices(self, year: int, prefix: str, minimum: int, make) -> dict:
        """Number a batch of notices from the sequence of (year, prefix), at least ``minimum``:
        ``make(first)`` gives the batch's props and audit entry, kept in the same transaction."""

    def notice_batches(self, *, year: int | None = None, key: str | None = None) -> list[str]:
        """The batches issued (their props as JSON), oldest first."""

    def audit(self, entry: AuditEntry) -> None:
        """Append one entry on its own (a login, a failed login)."""

    def audit_log(self) -> list[AuditEntry]:
        """Every entry, oldest first."""

    def end_session(self, session: str, until: dt.datetime, audit: AuditEntry) -> None:
        """Mark a session ended (logged out) until its token would have expired anyway; ended
        sessions past their time are forgotten meanwhile."""

    def session_ended(self, session: str) -> bool:
        """Whether a session was ended (one indexed read: asked on every request of a logged-in user)."""

    def login_failures(self, keys: list[str], since: float) -> dict[str, list[float]]:
        """The times (seconds since the epoch) of failed logins after ``since``, per key."""

    def add_login_failure(self, keys: list[str], at: float, forget_before: float) -> None:
        """Count a failed login under each key; failures before ``forget_before`` are forgotten."""

    def forget_login_failures(self, key: str) -> None:
        """Forget the failures of one key (a login that succeeded)."""


#: One account storage per open store: its tables or constraints are made once, not on every call.
_OPEN: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def account_storage(store: GraphStore) -> AccountStorage:
    """The account storage of ``store``'s engine, its tables or constraints made when missing."""
    found = _OPEN.get(store)
    if found is None:
        # The engine names the class (the Neo4j one is not imported unless it is used).
        if store.engine == "neo4j":
            from respgraph.accounts.neo4j_accounts import Neo4jAccounts

            found = Neo4jAccounts(cast("Neo4jStore", store))
        else:
            from respgraph.accounts.sqlite_accounts import SqliteAccounts

            found = SqliteAccounts(cast("SqliteStore", store))
        _OPEN[store] = found
    return found
