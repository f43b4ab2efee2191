"""Who may do what: one table, route → roles, read by one dependency every route goes through.

Roles:

- ``office``, ``leader``, ``unit``, ``viewer``: a logged-in user's role (:mod:`respgraph.accounts`);
- ``nobody``: not logged in, on a server with accounts: the login page and nothing else;
- ``anonymous``: anyone, on a server with no account yet (off the server's machine), or not
  logged in on a server started with ``--public-read``: reads every page;
- ``read-only``: anyone, on a server with no account started with ``--read-only``.

Until the first account exists the server is the office's own, as it was before
accounts: a browser on the server's machine (loopback) is ``office``, the rest read.

Beyond the table, what a leader or a unit reads is narrowed by the routes themselves:
a leader to its city (other cities' pages are 404, and its searches and errors name
nothing of them), a unit to the items :func:`~respgraph.accounts.rights.visible_items`
gives and the pages of the units named beside it, listing only those items (others are
404: an item that exists is not told apart from one that does not).  tests/test_web.py and tests/test_web_accounts.py walk every route the
application declares; one the table does not name fails them.
"""

from __future__ import annotations

import ipaddress

from fastapi import HTTPException, Request

__all__ = ["RIGHTS", "READ", "WRITE", "role_of", "authorize", "admit", "WRITE_ROUTES", "ROLES"]

ROLES = ("office", "leader", "unit", "viewer", "nobody", "anonymous", "read-only")
#: Everyone who reads the graph as a whole (a leader's answers are narrowed to its city).
READ = frozenset({"anonymous", "read-only", "office", "leader", "viewer"})
#: … and a unit too: the pages a unit may open, on what it may see.
READ_UNIT = READ | {"unit"}
#: What a leader does not get: files, differences between tables, whole-graph exports.
READ_NOT_LEADER = READ - {"leader"}
WRITE = frozenset({"office"})
OFFICE = frozenset({"office"})
SUBMIT = frozenset({"unit"})
LOGGED_IN = frozenset({"office", "leader", "unit", "viewer"})
EVERYONE = frozenset(ROLES)

#: (method, route path) → the roles allowed.  Every route of the application is here.
RIGHTS: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/"): READ_UNIT,  # a unit is sent on to its reporting page, a leader to its portfolio
    ("GET", "/index.{fmt:fmt}"): READ,
    ("GET", "/suggest"): READ,
    ("GET", "/go"): READ,
    ("GET", "/units/{city}/{name:path}"): READ_UNIT,
    ("GET", "/units/{city}/{name:path}.{fmt:fmt}"): READ_UNIT,
    ("GET", "/units/{city}/{name:path}/picture"): READ_UNIT,
    ("GET", "/units/{name}"): READ,
    ("GET", "/leaders/{city}/{name:path}"): READ,
    ("GET", "/leaders/{city}/{name:path}.{fmt:fmt}"): READ,
    ("GET", "/leaders/{city}/{name:path}/picture"): READ,
    ("GET", "/leaders/{name}"): READ,
    ("GET", "/leaders/{city}/{name:path}/brief.{ext}"): READ,
    ("GET", "/leaders/{city}/{name:path}/picture.png"): READ,
    ("GET", "/units/{city}/{name:path}/picture.png"): READ_UNIT,
    ("GET", "/items/{document:path}/{number}"): READ_UNIT,
    ("GET", "/items/{document:path}/{number}.{fmt:fmt}"): READ_UNIT,
    ("GET", "/workload"): READ,
    ("GET", "/workload.{fmt:fmt}"): READ,
    ("GET", "/co"): READ,
    ("GET", "/co.{fmt:fmt}"): READ,
    ("GET", "/co/picture"): READ,
    # issue 30: the 协作 page's tabs (web/structure_routes.py)
    ("GET", "/co/brokerage"): READ,
    ("GET", "/co/brokerage.{fmt:fmt}"): READ,
    ("GET", "/co/core"): READ,
    ("GET", "/co/core.{fmt:fmt}"): READ,
    ("GET", "/co/ties"): READ,
    ("GET", "/co/ties.{fmt:fmt}"): READ,
    ("GET", "/board"): READ,
    ("GET", "/board.{fmt:fmt}"): READ,
    ("GET", "/board/notices.zip"): READ,
    ("GET", "/board/issued.zip"): READ,
    ("GET", "/board/scorecard"): READ,
    ("GET", "/board/scorecard.{fmt:fmt}"): READ,
    ("GET", "/board/scorecard.xlsx"): READ,
    ("GET", "/board/bulletin.docx"): READ,
    ("GET", "/board/workbook.xlsx"): READ,
    ("GET", "/files"): READ_NOT_LEADER,
    ("GET", "/files.{fmt:fmt}"): READ_NOT_LEADER,
    ("GET", "/diff"): READ_NOT_LEADER,
    ("GET", "/diff.{fmt:fmt}"): READ_NOT_LEADER,
    ("GET", "/export"): READ_NOT_LEADER,
    ("GET", "/export/graph.{fmt2}"): READ_NOT_LEADER,
    ("GET", "/static/{path}"): EVERYONE,
    ("GET", "/openapi.json"): READ,
    ("GET", "/api"): READ,
    # Writes: uploads and removals, served only when the server may write.
    ("POST", "/files/check"): WRITE,
    ("POST", "/files/check.{fmt:fmt}"): WRITE,
    ("POST", "/files/load"): WRITE,
    ("GET", "/files/remove"): WRITE,
    ("POST", "/files/remove"): WRITE,
    ("POST", "/progress/check"): WRITE,
    ("POST", "/progress/check.{fmt:fmt}"): WRITE,
    ("POST", "/progress/load"): WRITE,
    ("POST", "/board/notices"): WRITE,
    ("POST", "/board/bulletin"): WRITE,
    # Accounts: logging in and out, a unit's reporting, the office's review, users, the audit log.
    ("GET", "/login"): EVERYONE,
    ("POST", "/login"): EVERYONE,
    ("POST", "/logout"): EVERYONE,
    ("GET", "/account"): LOGGED_IN,
    ("POST", "/account/password"): LOGGED_IN,
    ("GET", "/report"): SUBMIT,
    ("POST", "/report"): SUBMIT,
    ("GET", "/review"): OFFICE,
    ("GET", "/review.{fmt:fmt}"): OFFICE,
    ("POST", "/review/return"): OFFICE,
    ("POST", "/review/implementers"): OFFICE,
    ("POST", "/review/unit-scope"): OFFICE,
    ("GET", "/review/workbook.xlsx"): OFFICE,
    ("GET", "/users"): OFFICE,
    ("GET", "/users.{fmt:fmt}"): OFFICE,
    ("POST", "/users/add"): OFFICE,
    ("POST", "/users/disable"): OFFICE,
    ("POST", "/users/enable"): OFFICE,
    ("POST", "/users/passwd"): OFFICE,
    ("GET", "/audit"): OFFICE,
    ("GET", "/audit.csv"): OFFICE,
}

#: The routes that change the graph (tables, progress); not served at all under ``--read-only``.
#: Logging in and the office's accounts stay: a read-only server still knows who reads.
WRITE_ROUTES = frozenset({key for key, roles in RIGHTS.items() if roles is WRITE}
                         | {("POST", "/report"), ("POST", "/review/return")})


def role_of(request: Request) -> str:
    """The role of the one asking; the user (or None) is kept on ``request.state.user``."""
    auth = request.app.state.auth
    request.state.user = None
    if auth.accounts_exist():
        user = auth.user(request)
        request.state.user = user
        if user is not None:
            return user.role.value
        return "anonymous" if auth.public_read else "nobody"
    if request.app.state.read_only:
        return "read-only"
    if request.headers.get("forwarded") or request.headers.get("x-forwarded-for"):
        return "anonymous"  # came through a proxy: whoever it is, it is not this machine's browser
    host = request.client.host if request.client else ""
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host in ("testclient", "localhost")  # Starlette's in-process test client
    return "office" if loopback else "anonymous"


async def authorize(request: Request) -> str:
    """The one dependency every route goes through: the route's roles from :data:`RIGHTS`.

    A route missing from the table is refused (and fails the tests that walk them).
    Not logged in where a login would help: 401 (a page asks for the login).  Every
    POST carries this browser's CSRF token, and a write must come from a page of this
    server (its ``Origin``).  :func:`admit` decides all but the form's token from the
    headers; the shield in front (:mod:`respgraph.web.shield`) asks it before any body is read.
    """
    route = request.scope.get("route")
    role = admit(request, getattr(route, "path", None))
    if request.method == "POST":
        from respgraph.web.auth import read_form

        form = await read_form(request)
        request.app.state.auth.check_csrf(request, request.headers.get("x-csrf-token") or form.get("csrf"))
    return role


def admit(request: Request, path: str | None) -> str:
    """The role of the one asking, from the headers alone, or the refusal raised: the route's roles,
    and for a POST the CSRF cookie (the token too when a script sends it in ``X-CSRF-Token``) and
    where it comes from (``Sec-Fetch-Site``, ``Origin``)."""
    method = request.method if request.method != "HEAD" else "GET"
    allowed = RIGHTS.get((method, path))
    if allowed is None:
        raise HTTPException(403, f"{request.method} {path} is not in the rights table")
    role = role_of(request)
    request.state.role = role
    if role not in allowed:
        if role == "nobody" or (role == "anonymous" and request.app.state.auth.public_read):
            raise HTTPException(401, "请先登录")  # a login may open it
        raise HTTPException(403, "只有本机的督查室可以修改图谱（服务以只读或远程方式访问）"
                            if allowed == WRITE and request.state.user is None else "无权访问")
    if method == "POST":
        from respgraph.web.auth import CSRF_COOKIE

        sent = request.headers.get("x-csrf-token")
        if sent or not request.cookies.get(CSRF_COOKIE):  # a form's token is checked once its body is read
            request.app.state.auth.check_csrf(request, sent)
        if request.headers.get("sec-fetch-site") == "cross-site":
            raise HTTPException(403, "写入须来自本服务的页面")
        origin = request.headers.get("origin")
        if origin and origin != "null" and origin.split("://", 1)[-1] != request.headers.get("host"):
            raise HTTPException(403, f"写入须来自本服务的页面，而不是 {origin}")
    return role
