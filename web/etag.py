"""Revalidation: a browser asking again for an answer it holds gets ``304 Not Modified`` when
nothing it depends on has changed, decided before the answer is computed.

An answer depends on the store (its generation, which every write transaction bumps, by any
program: this server, another one on the same store, a command beside it), on who asks (the
role and the user the rights dependency finds, and the cookies, whose CSRF token the forms
carry), on what is asked (the full URL, ``Accept``, ``Accept-Language``), on the day (an answer
"as of today"), on the user's files beside the store (``*.toml`` in the home: aliases, status
words, the scorecard's rules) and on this server (its code, ``--read-only``, ``--public-read``).
The tag is a keyed hash of all of them, so it is known before the answer and cannot be made
by a client: with the same tag, the answer would be the same.

What is tagged: a ``200`` to a ``GET`` or ``HEAD`` whose body has a length (no streamed
download), that sets no cookie, is no attachment and carries no tag of its own (the static
files).  Tagged answers say ``Cache-Control: private, no-cache``: the browser keeps them for
itself and asks every time.  A ``304`` carries the tag and the cache headers only: the
page's Content-Security-Policy, whose nonce is in the body the browser kept, stays the one
stored with it.  The generation is read *before* the answer: a write while the answer is
computed gives it an older tag, which the next request no longer matches.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
from functools import cache
from pathlib import Path

__all__ = ["Revalidation", "matches"]

_PREFIX = 'W/"rg-'
_CACHE_CONTROL = b"private, no-cache"
_VARY = b"Cookie, Accept, Accept-Language"


def matches(if_none_match: str, tag: str) -> bool:
    """Whether ``If-None-Match`` names ``tag`` (weak comparison, RFC 9110 13.1.2).

    >>> matches('"x", W/"rg-1"', 'W/"rg-1"'), matches('W/"rg-12"', 'W/"rg-1"'), matches("*", 'W/"rg-1"')
    (True, False, False)
    """
    bare = tag.removeprefix("W/")
    return any(t.strip().removeprefix("W/") == bare for t in if_none_match.split(","))


@cache
def _build() -> str:
    """This installation's code: a new version or an edited module or template gives new tags."""
    from respgraph import __version__

    root = Path(__file__).resolve().parents[1]
    newest = max(
        (
            p.stat().st_mtime_ns
            for folder in ("web", "answers", "queries", "viz", "graph", "accounts")
            for p in (root / folder).rglob("*")
            if p.suffix in (".py", ".html", ".css", ".js")
        ),
        default=0,
    )
    return f"{__version__}:{newest}"


def _home_files(home: Path) -> str:
    """The user's files beside the store, as their names, sizes and times of change."""
    try:
        return ";".join(
            sorted(
                f"{e.name}:{e.stat().st_size}:{e.stat().st_mtime_ns}"
                for e in os.scandir(home)
                if e.name.endswith(".toml")
            )
        )
    except OSError:
        return ""


class Revalidation:
    """The ASGI layer (inside the shield, outside the security headers: a ``304`` gets none of
    the page's per-request headers)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        application = scope["app"]  # Starlette's, set before its middleware runs
        backend = application.state.backend
        basis = await self._off_loop(backend, self._basis, scope)
        if basis is None:  # the store cannot say its generation: the answer says why, untagged
            await self.app(scope, receive, send)
            return
        sent = _header(scope, b"if-none-match")
        if sent and _PREFIX in sent:
            tag = await self._off_loop(backend, self._tag_now, scope, basis)
            if tag is not None and matches(sent, tag):
                await send(
                    {
                        "type": "http.response.start",
                        "status": 304,
                        "headers": [(b"etag", tag.encode()), (b"cache-control", _CACHE_CONTROL), (b"vary", _VARY)],
                    }
                )
                await send({"type": "http.response.body", "body": b""})
                return

        async def tagged(message):
            if message["type"] == "http.response.start" and message["status"] == 200:
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                disposition = b"".join(v for n, v in headers if n.lower() == b"content-disposition")
                identity = _identity(scope.get("state") or {})
                if (
                    identity is not None
                    and b"content-length" in names
                    and b"set-cookie" not in names
                    and b"etag" not in names
                    and not disposition.lower().startswith(b"attachment")
                ):
                    tag = _tag(basis, identity)
                    headers = [(n, v) for n, v in headers if n.lower() not in (b"cache-control", b"vary")]
                    headers += [(b"etag", tag.encode()), (b"cache-control", _CACHE_CONTROL), (b"vary", _VARY)]
                    message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, tagged)

    @staticmethod
    async def _off_loop(backend, function, *args):
        # SQLite answers from this thread's own connection in microseconds; Neo4j's answer is a
        # round trip, which would hold every other request of the event loop.
        if backend.engine == "neo4j":
            import anyio.to_thread

            return await anyio.to_thread.run_sync(function, *args)
        return function(*args)

    @staticmethod
    def _basis(scope) -> tuple[bytes, bytes] | None:
        """What the answer depends on besides who asks, read before it is computed."""
        application = scope["app"]
        backend, auth = application.state.backend, application.state.auth
        try:
            # The server's secret keys the tags; asked first, as making it (once) is a write.
            auth.signer()
            secret = auth._secret
            generation = backend.store().generation()
        except Exception:  # noqa: BLE001 - whatever failed, the answer itself reports it
            return None
        path = scope.get("root_path", "") + scope["path"]
        parts = [
            _build(),
            backend.engine,
            str(backend.read_only),
            str(auth.public_read),
            generation,
            dt.date.today().isoformat(),
            _home_files(backend.settings.home),
            scope.get("scheme", "http"),
            _header(scope, b"host"),
            path,
            scope.get("query_string", b"").decode("latin-1"),
            _header(scope, b"accept"),
            _header(scope, b"accept-language"),
            _header(scope, b"cookie"),
        ]
        return secret, "\0".join(parts).encode("utf-8", "surrogatepass")

    @staticmethod
    def _tag_now(scope, basis: tuple[bytes, bytes]) -> str | None:
        """The tag the answer would get, asking who the requester is as the rights dependency does."""
        from starlette.requests import Request

        from respgraph.web.rights import who_asks

        try:
            who_asks(Request(scope))  # leaves the role and user on the request's state, as the route will
        except Exception:  # noqa: BLE001 - the route, when it runs, says what failed
            return None
        identity = _identity(scope.get("state") or {})
        return _tag(basis, identity) if identity is not None else None


def _identity(state) -> str | None:
    """Who asked, as the rights dependency left it on the request (None: it did not run)."""
    role = state.get("role")
    if not role:
        return None
    user = state.get("user")
    return f"{role}\0{user.model_dump_json() if user is not None else ''}"


def _tag(basis: tuple[bytes, bytes], identity: str) -> str:
    secret, rest = basis
    digest = hmac.new(secret, rest + b"\0" + identity.encode(), hashlib.blake2b).hexdigest()[:32]
    return f'{_PREFIX}{digest}"'


def _header(scope, name: bytes) -> str:
    return ", ".join(v.decode("latin-1") for n, v in scope["headers"] if n == name)
