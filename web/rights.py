"""The web's side of the one rights question: who is asking, and the dependency each route names its action by.

Every route declares its action with ``dependencies=[requires("upload")]``; :class:`Requires`
asks :func:`respgraph.accounts.rights.may` — the one place rights are decided, the CLI's too —
and refuses with 401 (a login may open it) or 403.  The shield in front
(:mod:`respgraph.web.shield`) asks :func:`admit` the same for a POST before its body is read.

Who is asking (:func:`who_asks`):

- a logged-in user (:mod:`respgraph.accounts`): its account;
- not logged in, on a server with accounts: ``nobody`` (the login page and nothing else),
  or ``anonymous`` on a server started with ``--public-read`` (reads every page);
- on a server with no account yet: the browser on the server's machine (loopback) is the
  office (:class:`~respgraph.accounts.rights.Visitor` ``office``), anyone else ``anonymous``,
  and anyone ``read-only`` on a server started with ``--read-only``.

Beyond the action, a leader is narrowed to its city and a unit to what
:func:`~respgraph.accounts.rights.visible_items` gives, by :mod:`respgraph.web.guard`'s
dependencies.  tests/test_web.py and tests/test_web_accounts.py walk every route the
application declares, with every role; a route that names no action fails them.
"""

from __future__ import annotations

import ipaddress

from fastapi import Depends, HTTPException, Request

from respgraph.accounts.model import User
from respgraph.accounts.rights import ACTIONS, Visitor, may

__all__ = ["who_asks", "admit", "requires", "Requires", "action_of", "declared", "ROLES"]

#: Every role a request may have: an account's, or a visitor's.
ROLES = ("office", "leader", "unit", "viewer", "nobody", "anonymous", "read-only")
#: The actions only the office does: refused to a visitor with the reason (not this machine's browser).
_OFFICE_WRITES = frozenset({"upload", "notices"})


def who_asks(request: Request) -> User | Visitor:
    """The one asking, decided once per request; the user (or None) is kept on ``request.state.user``
    and the role on ``request.state.role`` (the pages' menus read it)."""
    known = getattr(request.state, "who", None)
    if known is not None:
        return known
    user = None
    auth = request.app.state.auth
    if auth.accounts_exist():
        user = auth.user(request)
        who: User | Visitor = user if user is not None else Visitor("anonymous" if auth.public_read else "nobody")
    elif request.app.state.read_only:
        who = Visitor("read-only")
    elif request.headers.get("forwarded") or request.headers.get("x-forwarded-for"):
        who = Visitor("anonymous")  # came through a proxy: whoever it is, it is not this machine's browser
    else:
        who = Visitor("office" if _loopback(request) else "anonymous")
    request.state.user = user
    request.state.role = str(who.role.value if isinstance(who, User) else who.role)
    request.state.who = who
    return who


def _loopback(request: Request) -> bool:
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host in ("testclient", "localhost")  # Starlette's in-process test client


def admit(request: Request, action: str | None) -> str:
    """The role of the one asking, from the headers alone, or the refusal raised: whether it may do
    the route's ``action``, and for a POST the CSRF cookie (the token too when a script sends it in
    ``X-CSRF-Token``) and where it comes from (``Sec-Fetch-Site``, ``Origin``)."""
    if action is None:
        raise HTTPException(403, f"{request.method} {request.url.path} names no action of the rights")
    who = who_asks(request)
    role = request.state.role
    if not may(who, action):
        if role == "nobody" or (role == "anonymous" and request.app.state.auth.public_read):
            raise HTTPException(401, "请先登录")  # a login may open it
        raise HTTPException(
            403,
            "只有本机的督查室可以修改图谱（服务以只读或远程方式访问）"
            if action in _OFFICE_WRITES and isinstance(who, Visitor)
            else "无权访问",
        )
    if request.method == "POST":
        _same_site(request)
    return role


def _same_site(request: Request) -> None:
    from respgraph.web.auth import CSRF_COOKIE

    sent = request.headers.get("x-csrf-token")
    if sent or not request.cookies.get(CSRF_COOKIE):  # a form's token is checked once its body is read
        request.app.state.auth.check_csrf(request, sent)
    if request.headers.get("sec-fetch-site") == "cross-site":
        raise HTTPException(403, "写入须来自本服务的页面")
    origin = request.headers.get("origin")
    if origin and origin != "null" and origin.split("://", 1)[-1] != request.headers.get("host"):
        raise HTTPException(403, f"写入须来自本服务的页面，而不是 {origin}")


class Requires:
    """The dependency of a route that does ``action``: :func:`admit`, then a form's CSRF token."""

    def __init__(self, action: str):
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}: one of {', '.join(ACTIONS)}")
        self.action = action

    async def __call__(self, request: Request) -> str:
        role = admit(request, self.action)
        if request.method == "POST":
            from respgraph.web.auth import read_form

            form = await read_form(request)
            request.app.state.auth.check_csrf(request, request.headers.get("x-csrf-token") or form.get("csrf"))
        return role

    def __repr__(self) -> str:
        return f"requires({self.action!r})"


def requires(action: str):
    """``Depends`` on :class:`Requires`: what a route puts in its ``dependencies``."""
    return Depends(Requires(action))


def action_of(route) -> str | None:
    """The action a route declared (None: it declared none, and is refused)."""
    found = [d.dependency.action for d in getattr(route, "dependencies", ()) if isinstance(d.dependency, Requires)]
    return found[0] if len(found) == 1 else None


def declared(request: Request) -> None:
    """The application's own dependency, before every route's: a route that names no action is refused
    (a route added without :func:`requires` would otherwise answer anyone)."""
    if action_of(request.scope.get("route")) is None:
        raise HTTPException(403, f"{request.method} {request.url.path} names no action of the rights")
