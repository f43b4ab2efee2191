"""Who is asking: the session cookie, CSRF tokens, and the security headers of every response.

- The session is a signed cookie (``accounts.security.SessionSigner``) holding the login and
  its session version: HttpOnly, SameSite=Lax, Secure when served over https; a password
  change or ``disable`` raises the version and so ends every session of the user.
- CSRF: a random cookie (``rg_csrf``, HttpOnly, SameSite=Strict) and, in every form and in
  the ``X-CSRF-Token`` header of a script's request, its HMAC under the store's secret
  (OWASP's signed double-submit cookie).  Every POST is checked, logged in or not.
- Every response carries a Content Security Policy: scripts only from this server or with
  the page's nonce (a picture's inline set-up script gets it), no framing, no plugins.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets

from fastapi import HTTPException, Request

from respgraph.accounts.model import User
from respgraph.accounts.security import LoginLimiter, SessionSigner

__all__ = [
    "Auth",
    "SESSION_COOKIE",
    "CSRF_COOKIE",
    "csp",
    "SECURITY_HEADERS",
    "office_at_server",
    "address_of",
    "read_form",
]

SESSION_COOKIE = "rg_session"
CSRF_COOKIE = "rg_csrf"
#: Seconds a login lasts (a working day and a half); a new login is needed after.
SESSION_AGE = 12 * 3600

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",  # older browsers; frame-ancestors 'none' says it for the rest
    "Cross-Origin-Opener-Policy": "same-origin",
}


def csp(nonce: str, *, frame_self: bool = False) -> str:
    """The policy of every response: nothing from another host, inline script only with ``nonce``,
    framed by nobody (``frame_self``: by this server's own pages, for the pictures they show).

    Styles may be inline: the pictures (vis-network) set them per element, and a style runs no code."""
    return (
        "default-src 'self'; "
        f"script-src 'self' 'nonce-{nonce}'; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        + ("frame-ancestors 'self'" if frame_self else "frame-ancestors 'none'")
    )


class Auth:
    """The accounts side of a server: the signer, the login limiter, and who a request is."""

    def __init__(self, backend, *, public_read: bool = False, trusted_proxies: tuple[str, ...] = ()):
        from respgraph.accounts.users import shared_limiter

        self.backend = backend
        self.public_read = public_read
        self.trusted_proxies = _networks(trusted_proxies)
        # Failed logins are counted in the store: every worker and every server on it counts them together.
        self.limiter: LoginLimiter = shared_limiter(self._store)
        self._signer: SessionSigner | None = None
        self._secret: bytes | None = None

    def _store(self):
        return self.backend.store()

    def accounts_exist(self) -> bool:
        """Whether anyone has an account: until then the server is the office's own, as before."""
        from respgraph.accounts.storage import account_storage

        store = self._store()
        if store.engine == "sqlite" and not self.backend.settings.graph_file.exists():
            return False  # nothing saved yet: no account can exist, and none is made in memory
        return account_storage(store).any_user()

    def signer(self) -> SessionSigner:
        if self._signer is None:
            from respgraph.accounts.users import session_signer

            self._signer = session_signer(self._store(), max_age=SESSION_AGE)
            self._secret = hashlib.sha256(b"respgraph csrf|" + self._signer_secret()).digest()
        return self._signer

    def _csrf_key(self) -> bytes:
        """The key of the CSRF tokens, made with the session signer."""
        self.signer()
        assert self._secret is not None  # set with the signer
        return self._secret

    def _signer_secret(self) -> bytes:
        from respgraph.accounts.storage import account_storage
        from respgraph.graph.settings import secret_key

        return (secret_key() or account_storage(self._store()).secret()).encode()

    def user(self, request: Request) -> User | None:
        """The user of the request's session cookie, if it is still valid."""
        from respgraph.accounts.users import user_of_token

        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            return None
        return user_of_token(self._store(), self.signer(), token)

    # --- CSRF ----------------------------------------------------------------------------------
    def csrf_token(self, request: Request) -> str:
        """The token forms carry: the HMAC of this browser's CSRF cookie (made on the response if missing)."""
        key = self._csrf_key()
        seed = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
        if not seed:
            seed = secrets.token_urlsafe(32)
            request.state.new_csrf = seed
        return hmac.new(key, seed.encode(), hashlib.sha256).hexdigest()

    def check_csrf(self, request: Request, sent: str | None) -> None:
        """Refuse a state-changing request whose token is missing or not this browser's."""
        key = self._csrf_key()
        seed = request.cookies.get(CSRF_COOKIE)
        if not seed or not sent:
            raise HTTPException(403, "表单已过期或来自别处（缺少 CSRF 令牌）：请刷新页面后重试")
        wanted = hmac.new(key, seed.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(wanted, sent):
            raise HTTPException(403, "表单已过期或来自别处（CSRF 令牌不符）：请刷新页面后重试")

    # --- cookies ---------------------------------------------------------------------------------
    def set_session(self, response, request: Request, user: User) -> None:
        from respgraph.accounts.users import session_token

        response.set_cookie(
            SESSION_COOKIE,
            session_token(self.signer(), user),
            max_age=SESSION_AGE,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
            path="/",
        )

    def end_session(self, request: Request, *, everywhere: bool = False) -> None:
        """Log out on the server: this browser's session (``everywhere``: every session of its
        user) is refused from now on, whoever holds a copy of the cookie."""
        from respgraph.accounts.users import end_session

        token = request.cookies.get(SESSION_COOKIE)
        if token and self.accounts_exist():
            end_session(self._store(), self.signer(), token, address=address_of(request), everywhere=everywhere)

    def clear_session(self, response, request: Request) -> None:
        response.delete_cookie(
            SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=request.url.scheme == "https"
        )


def _networks(addresses) -> tuple:
    """``--trusted-proxy`` values as networks (an address is a network of one); a bad one is one error."""
    out = []
    for a in addresses:
        try:
            out.append(ipaddress.ip_network(a.strip(), strict=False))
        except ValueError:
            from respgraph.graph.errors import RespgraphError

            raise RespgraphError(
                f"--trusted-proxy {a!r} is not an address or a network (10.0.0.5, 10.0.0.0/24)"
            ) from None
    return tuple(out)


def _trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in n for n in networks)


def address_of(request: Request) -> str:
    """The client's address: the connection's, or, when the connection comes from a
    ``--trusted-proxy``, the last address of ``X-Forwarded-For`` that is not a trusted
    proxy (the one the nearest proxy saw).  From anyone else the header is ignored: a
    client cannot choose the address the login limiter and the audit log know it by."""
    host = request.client.host if request.client else ""
    auth = getattr(request.app.state, "auth", None)
    networks = auth.trusted_proxies if auth is not None else ()
    if not networks or not _trusted(host, networks):
        return host
    hops = [h.strip() for h in ",".join(request.headers.getlist("x-forwarded-for")).split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            return hop[:64]
    return hops[0][:64] if hops else host


async def read_form(request: Request):
    """The request's form, parsed once (Starlette keeps it for the route), refused before it is
    read when it is larger than a table may be."""
    from respgraph.graph.limits import limits

    kind = request.headers.get("content-type", "")
    if not kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return {}
    limit = limits().file_mb * 1024 * 1024
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > limit * 2 + 1024 * 1024:  # the file, or its base64 twice
        raise HTTPException(
            413,
            f"上传过大：{int(length) / 1024 / 1024:.1f} MB，超过 {limits().file_mb} MB 的限制（RESPGRAPH_MAX_FILE_MB）",
        )
    return await request.form(max_part_size=limit * 2)


def office_at_server() -> User:
    """The office at the server's own browser, before any account exists: what a write is done as
    (the library's writes take a user)."""
    import datetime as dt

    from respgraph.accounts.model import Role

    now = dt.datetime.now(dt.UTC)
    return User(login="(office at the server)", display="督查室", role=Role.OFFICE, created=now, updated=now)
