"""Passwords (Argon2), signed session tokens, and login rate limits: the security primitives, nothing else."""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections import defaultdict, deque

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from respgraph.accounts.model import AccountError, TooManyAttempts

__all__ = [
    "hash_password",
    "verify_password",
    "needs_rehash",
    "check_password_rules",
    "SessionSigner",
    "LoginLimiter",
    "MemoryBook",
    "MIN_PASSWORD",
]

#: argon2-cffi's defaults (Argon2id, RFC 9106's low-memory profile: 64 MiB, 3 passes), kept by the
#: library as advice changes.
_HASHER = PasswordHasher()
#: Hashes computed at once.  Each takes 64 MiB and a core for a moment: 50 logins at once must
#: queue here, not take 3 GiB of memory.
_AT_ONCE = threading.BoundedSemaphore(max(1, min(4, os.cpu_count() or 1)))
MIN_PASSWORD = 10
MAX_PASSWORD = 1024  # Argon2 takes any length; a megabyte of password is a request to burn CPU


def check_password_rules(password: str) -> None:
    """Refuse a password too short to resist guessing or too long to be a password."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"a password needs at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"a password has at most {MAX_PASSWORD} characters")


def hash_password(password: str) -> str:
    """The Argon2id hash to store; the password itself is never stored or logged."""
    check_password_rules(password)
    with _AT_ONCE:
        return _HASHER.hash(password)


def verify_password(stored: str, password: str) -> bool:
    """Whether ``password`` matches the ``stored`` hash (False for a damaged hash, never an exception)."""
    if len(password) > MAX_PASSWORD:
        return False
    try:
        with _AT_ONCE:
            return _HASHER.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _HASHER.check_needs_rehash(stored)


#: A hash of nothing anyone can type, verified when the login is unknown so that the
#: answer takes as long as for a known login (no telling which logins exist by timing).
DUMMY_HASH = _HASHER.hash("respgraph: no such user")


class SessionSigner:
    """Session tokens: ``login``, the user's session version and the session's own id, signed
    and timestamped.

    A token is void when the signature is wrong, when it is older than ``max_age``
    seconds, when the user's session version has moved on (password changed, account
    disabled, "log out everywhere"), or when its session was ended (logged out):
    :meth:`load` gives ``(login, version, session id)`` and the caller compares.
    """

    SALT = "respgraph.session"

    def __init__(self, secret: str, max_age: int = 12 * 3600):
        if len(secret) < 32:
            raise AccountError("the session secret needs at least 32 characters")
        self._serializer = URLSafeTimedSerializer(secret, salt=self.SALT)
        self.max_age = max_age

    def dump(self, login: str, version: int, session: str | None = None) -> str:
        """A token for a new session of ``login`` (``session``: its id, random when not given)."""
        return self._serializer.dumps([login, version, session or secrets.token_urlsafe(18)])

    def load(self, token: str) -> tuple[str, int, str] | None:
        """``(login, session version, session id)`` of a valid token, else None."""
        if not token or len(token) > 4096:
            return None
        try:
            login, version, session = self._serializer.loads(token, max_age=self.max_age)
        except (BadSignature, SignatureExpired, ValueError, TypeError):
            return None
        if not isinstance(login, str) or not isinstance(version, int) or not isinstance(session, str):
            return None
        return login, version, session


class MemoryBook:
    """Failed logins kept in this process (a command, a test); a server keeps them in its store."""

    def __init__(self):
        self._failures: dict[str, deque] = defaultdict(deque)
        self._lock = threading.Lock()

    def failures(self, keys: list[str], since: float) -> dict[str, list[float]]:
        with self._lock:
            out = {}
            for key in keys:
                q = self._failures.get(key)
                while q and q[0] <= since:
                    q.popleft()
                if q is not None and not q:
                    del self._failures[key]  # a long-running process must not keep every address it saw
                out[key] = list(q or ())
            return out

    def add(self, keys: list[str], at: float, forget_before: float) -> None:
        with self._lock:
            for key in keys:
                self._failures[key].append(at)

    def forget(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


class LoginLimiter:
    """Failed logins counted per login and per address over a sliding window.

    ``check`` before verifying a password raises :class:`TooManyAttempts` when either
    count is at its limit; ``failed`` records a failure; ``succeeded`` forgets the
    login's failures (not the address's: one right password must not reopen an
    address that is guessing many logins).  The failures are kept in ``book``: this
    process's memory by default; a server's is its store (every worker and every server
    on one store count together, see :func:`respgraph.accounts.users.shared_limiter`).
    """

    def __init__(
        self, *, per_login: int = 5, per_address: int = 20, window: float = 900.0, clock=time.monotonic, book=None
    ):
        self.per_login, self.per_address, self.window = per_login, per_address, window
        self._clock = clock
        self.book = book if book is not None else MemoryBook()

    @staticmethod
    def _keys(login: str, address: str) -> list[str]:
        return [f"login:{login.lower()}", f"address:{address}"]

    def check(self, login: str, address: str) -> None:
        now = self._clock()
        keys = self._keys(login, address)
        found = self.book.failures(keys, now - self.window)
        for key, limit in zip(keys, (self.per_login, self.per_address)):
            times = sorted(found.get(key, ()))
            if len(times) >= limit:
                wait = int(times[-limit] + self.window - now) + 1
                raise TooManyAttempts(
                    f"too many failed logins for this {key.split(':')[0]}; try again in {wait} s", wait
                )

    def failed(self, login: str, address: str) -> None:
        now = self._clock()
        self.book.add(self._keys(login, address), now, now - self.window)

    def succeeded(self, login: str) -> None:
        self.book.forget(self._keys(login, "")[0])
