"""Accounts: add, list, disable, change a password, log in, and the session a login gives.

Every change is written with its audit entry in one transaction, and raises the
user's session version, so a session signed before a password change or a
``disable`` is refused from then on.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from respgraph.accounts.model import (
    BOUND_LABEL,
    AccountError,
    AuditEntry,
    LoginRefused,
    NeedsConfirmation,
    Role,
    User,
)
from respgraph.accounts.security import (
    DUMMY_HASH,
    LoginLimiter,
    SessionSigner,
    hash_password,
    needs_rehash,
    verify_password,
)
from respgraph.accounts.storage import account_storage
from respgraph.graph.protocol import GraphStore

__all__ = [
    "add_user",
    "list_users",
    "get_user",
    "last_office",
    "disable_user",
    "enable_user",
    "change_password",
    "authenticate",
    "session_signer",
    "session_token",
    "user_of_token",
    "end_session",
    "shared_limiter",
    "record",
    "now_utc",
    "clean_text",
]

_LOGIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
MAX_DISPLAY = 100


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def clean_text(text: str, *, limit: int, what: str, lines: bool = False) -> str:
    """``text`` without control characters (newlines kept when ``lines``), stripped; too long is refused."""
    text = unicodedata.normalize("NFC", text or "")
    keep = {"\n", "\t"} if lines else set()
    text = "".join(c for c in text if c in keep or unicodedata.category(c)[0] != "C").strip()
    if len(text) > limit:
        raise AccountError(f"{what} has {len(text)} characters; at most {limit}")
    return text


def record(
    store: GraphStore,
    actor: str,
    action: str,
    subject: str = "",
    detail: str = "",
    address: str = "",
    now: dt.datetime | None = None,
) -> AuditEntry:
    """An audit entry (not yet written: the write it describes carries it), its text printable
    (:func:`~respgraph.graph.safe_text.printable`): a name sent to the server cannot forge a row."""
    from respgraph.graph.safe_text import printable

    return AuditEntry(
        at=now or now_utc(),
        actor=printable(actor),
        address=printable(address),
        action=action,
        subject=printable(subject),
        detail=printable(detail),
    )


def add_user(
    store: GraphStore,
    *,
    login: str,
    display: str,
    role: str,
    password: str,
    bound: str | None = None,
    city: str | None = None,
    actor: str,
    address: str = "",
) -> User:
    """Add an account.  A ``leader`` or ``unit`` account names the leader or unit it
    speaks for (``bound``, any spelling the alias list knows, ``city:name`` to say
    which city); the name must mean one node of one city, else the error lists the
    candidates (the same look-up as every question)."""
    from respgraph.queries.lookup import resolve_one

    if not _LOGIN.match(login or ""):
        raise AccountError(
            f"login {login!r}: 1 to 64 letters, digits, '_', '.', '@' or '-', starting with a letter or digit"
        )
    try:
        role = Role(role)
    except ValueError:
        raise AccountError(f"role {role!r}: one of {', '.join(r.value for r in Role)}") from None
    display = clean_text(display, limit=MAX_DISPLAY, what="the display name")
    if not display:
        raise AccountError("a user needs a display name")
    node = None
    if role in BOUND_LABEL:
        if not bound:
            raise AccountError(
                f"a {role.value} account speaks for one {BOUND_LABEL[role].lower()}: "
                f"name it (--{BOUND_LABEL[role].lower()})"
            )
        node = resolve_one(store, bound, (BOUND_LABEL[role],), city=city)
    elif bound:
        raise AccountError(f"a {role.value} account is bound to no leader or unit")
    password_hash = hash_password(password)
    now = now_utc()
    user = User(
        login=login,
        display=display,
        role=role,
        bound=node["key"] if node else None,
        bound_name=node["name"] if node else None,
        city=node.get("city") if node else None,
        created=now,
        updated=now,
    )
    detail = f"role {role.value}" + (f", bound to {node['key']}" if node else "")
    account_storage(store).add_user(user, password_hash, record(store, actor, "user.add", login, detail, address, now))
    return user


def list_users(store: GraphStore) -> list[User]:
    return account_storage(store).users()


def get_user(store: GraphStore, login: str) -> User:
    found = account_storage(store).user(login)
    if found is None:
        raise AccountError(f"no user {login!r}")
    return found[0]


def _change(
    store: GraphStore,
    login: str,
    changes: dict,
    *,
    actor: str,
    address: str,
    action: str,
    detail: str = "",
    password_hash: str | None = None,
) -> User:
    now = now_utc()
    entry = record(store, actor, action, login, detail, address, now)
    return account_storage(store).change_user(
        login, {**changes, "updated": now.isoformat()}, entry, password_hash=password_hash
    )


def last_office(store: GraphStore, login: str) -> bool:
    """Whether ``login`` is the one active office account left (its loss leaves the web without an office)."""
    offices = [u.login.lower() for u in list_users(store) if u.role == Role.OFFICE and u.active]
    return offices == [login.lower()]


def disable_user(store: GraphStore, login: str, *, actor: str, address: str = "", confirm: bool = False) -> User:
    """Disable an account: it can no longer log in, and its open sessions end.  The last active
    office account only with ``confirm`` (else :class:`NeedsConfirmation`): disabled, only
    ``respgraph users enable`` on the server brings the office back."""
    if not confirm and last_office(store, login):
        raise NeedsConfirmation(
            f"{login} is the last active office account: disabled, nobody can manage accounts "
            "from the web until `respgraph users enable` on the server; confirm to disable it"
        )
    return _change(store, login, {"active": False}, actor=actor, address=address, action="user.disable")


def enable_user(store: GraphStore, login: str, *, actor: str, address: str = "") -> User:
    return _change(store, login, {"active": True}, actor=actor, address=address, action="user.enable")


def change_password(
    store: GraphStore, login: str, password: str, *, actor: str, address: str = "", confirm: bool = False
) -> User:
    """Set a new password: every session of the user ends.  The last active office account
    resetting its own password (without its current one) needs ``confirm``."""
    if not confirm and actor.lower() == login.lower() and last_office(store, login):
        raise NeedsConfirmation(
            f"{login} is the last active office account and resets its own password: "
            "confirm to go on (a mistyped password leaves only the command line to recover)"
        )
    return _change(
        store, login, {}, actor=actor, address=address, action="user.passwd", password_hash=hash_password(password)
    )


def authenticate(
    store: GraphStore, login: str, password: str, *, address: str, limiter: LoginLimiter, logging_in: bool = True
) -> User:
    """The user ``login`` names when ``password`` is right and the account is active.

    Raises :class:`TooManyAttempts` past the limiter's limits (checked before the
    password, so a guesser learns nothing more), else :class:`LoginRefused` with one
    message whatever was wrong.  Failures and successes go to the audit log (a success as a
    ``login`` when ``logging_in``; a password checked before it is changed is not a login).
    """
    limiter.check(login or "", address)
    storage = account_storage(store)
    found = storage.user(login) if _LOGIN.match(login or "") else None
    ok = verify_password(found[1] if found else DUMMY_HASH, password or "")
    if not ok or found is None or not found[0].active:
        limiter.failed(login or "", address)
        storage.audit(record(store, "-", "login.failed", (login or "")[:64], address=address))
        raise LoginRefused("wrong login or password, or the account is disabled")
    user, stored = found
    limiter.succeeded(login)
    if needs_rehash(stored):  # the library's advice moved on since the hash was made
        user = _change(
            store,
            user.login,
            {},
            actor=user.login,
            address=address,
            action="user.rehash",
            password_hash=hash_password(password),
        )
    if logging_in:
        storage.audit(record(store, user.login, "login", user.login, address=address))
    return user


def session_signer(store: GraphStore, *, max_age: int = 12 * 3600) -> SessionSigner:
    """The signer of this store's sessions (its secret is made on first use and kept in the store)."""
    from respgraph.graph.settings import secret_key

    return SessionSigner(secret_key() or account_storage(store).secret(), max_age)


def session_token(signer: SessionSigner, user: User) -> str:
    """The token of a new session of ``user`` (its own random id, so that it can be ended alone)."""
    return signer.dump(user.login, user.session_version)


def user_of_token(store: GraphStore, signer: SessionSigner, token: str | None) -> User | None:
    """The active user a session token was given to, if its signature, age and session version
    still hold and its session was not ended (logged out)."""
    loaded = signer.load(token or "")
    if loaded is None:
        return None
    storage = account_storage(store)
    found = storage.user(loaded[0])
    if found is None or not found[0].active or found[0].session_version != loaded[1]:
        return None
    if storage.session_ended(loaded[2]):
        return None
    return found[0]


def end_session(
    store: GraphStore, signer: SessionSigner, token: str | None, *, address: str = "", everywhere: bool = False
) -> User | None:
    """Log out: the session of ``token`` is ended on the server (the token is refused from now on,
    whoever holds a copy); ``everywhere``: every session of its user ends (the session version
    moves on).  Recorded in the audit log; the user, or None when the token was no longer valid."""
    user = user_of_token(store, signer, token)
    if user is None:
        return None
    if everywhere:
        return _change(store, user.login, {}, actor=user.login, address=address, action="logout.everywhere")
    loaded = signer.load(token) if token else None
    if loaded is None:  # it expired between the two looks
        return None
    login, _, session = loaded
    until = now_utc() + dt.timedelta(seconds=signer.max_age)
    account_storage(store).end_session(session, until, record(store, login, "logout", login, address=address))
    return user


class StoreBook:
    """The login limiter's failures kept in the store: every worker process and every server
    on one store counts the same failures (``--workers 2`` does not double the limit)."""

    def __init__(self, store_of):
        self._store_of = store_of  # a function: the store is opened per thread by the server

    def failures(self, keys: list[str], since: float) -> dict[str, list[float]]:
        return account_storage(self._store_of()).login_failures(keys, since)

    def add(self, keys: list[str], at: float, forget_before: float) -> None:
        account_storage(self._store_of()).add_login_failure(keys, at, forget_before)

    def forget(self, key: str) -> None:
        account_storage(self._store_of()).forget_login_failures(key)


def shared_limiter(store_of) -> LoginLimiter:
    """A login limiter whose failures live in the store ``store_of()`` opens, on wall-clock time."""
    import time

    return LoginLimiter(book=StoreBook(store_of), clock=time.time)
