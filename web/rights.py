"""Who may do what: one table, route → roles, read by one dependency every route goes through.

Roles today:

- ``anonymous``: anyone on the network; reads every page.
- ``read-only``: anyone, when the server runs with ``--read-only`` (no write route is served).
- ``office``: a browser on the server's own machine (loopback), when the server may write:
  the 督查室's own desk uploads and removes tables.

User accounts (issue 20) add their roles to :data:`RIGHTS` and to :func:`role_of`;
nothing else changes.  tests/test_web.py walks every route of the application and
fails on any that is not in the table.
"""

from __future__ import annotations

import ipaddress

from fastapi import HTTPException, Request

__all__ = ["RIGHTS", "READ", "WRITE", "role_of", "authorize", "WRITE_ROUTES"]

READ = frozenset({"anonymous", "read-only", "office"})
WRITE = frozenset({"office"})

#: (method, route path) → the roles allowed.  Every route of the application is here.
RIGHTS: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/"): READ,
    ("GET", "/index.{fmt:fmt}"): READ,
    ("GET", "/suggest"): READ,
    ("GET", "/go"): READ,
    ("GET", "/units/{city}/{name:path}"): READ,
    ("GET", "/units/{city}/{name:path}.{fmt:fmt}"): READ,
    ("GET", "/units/{city}/{name:path}/picture"): READ,
    ("GET", "/units/{name}"): READ,
    ("GET", "/leaders/{city}/{name:path}"): READ,
    ("GET", "/leaders/{city}/{name:path}.{fmt:fmt}"): READ,
    ("GET", "/leaders/{city}/{name:path}/picture"): READ,
    ("GET", "/leaders/{name}"): READ,
    ("GET", "/items/{document:path}/{number}"): READ,
    ("GET", "/items/{document:path}/{number}.{fmt:fmt}"): READ,
    ("GET", "/workload"): READ,
    ("GET", "/workload.{fmt:fmt}"): READ,
    ("GET", "/co"): READ,
    ("GET", "/co.{fmt:fmt}"): READ,
    ("GET", "/co/picture"): READ,
    ("GET", "/board"): READ,
    ("GET", "/board.{fmt:fmt}"): READ,
    ("GET", "/board/notices.zip"): READ,
    ("GET", "/board/workbook.xlsx"): READ,
    ("GET", "/files"): READ,
    ("GET", "/files.{fmt:fmt}"): READ,
    ("GET", "/diff"): READ,
    ("GET", "/diff.{fmt:fmt}"): READ,
    ("GET", "/export"): READ,
    ("GET", "/export/graph.{fmt2}"): READ,
    ("GET", "/static/{path}"): READ,
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
}

#: The routes that change the store; not served at all under ``--read-only``.
WRITE_ROUTES = frozenset(key for key, roles in RIGHTS.items() if roles == WRITE)


def role_of(request: Request) -> str:
    """The role of the one asking."""
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


def authorize(request: Request) -> str:
    """The one dependency every route goes through: the route's roles from :data:`RIGHTS`.

    A route missing from the table is refused (and fails the test that walks them).
    A write must come from a page of this server (its ``Origin``), so that a page
    of another site cannot post to the office's loopback server.
    """
    route = request.scope.get("route")
    path = getattr(route, "path", None)
    allowed = RIGHTS.get((request.method if request.method != "HEAD" else "GET", path))
    if allowed is None:
        raise HTTPException(403, f"{request.method} {path} is not in the rights table")
    role = role_of(request)
    if role not in allowed:
        raise HTTPException(403, "只有本机的督查室可以修改图谱（服务以只读或远程方式访问）"
                            if allowed == WRITE else "无权访问")
    if allowed == WRITE:
        if request.headers.get("sec-fetch-site") == "cross-site":
            raise HTTPException(403, "写入须来自本服务的页面")
        origin = request.headers.get("origin")
        if origin and origin != "null" and origin.split("://", 1)[-1] != request.headers.get("host"):
            raise HTTPException(403, f"写入须来自本服务的页面，而不是 {origin}")
    request.state.role = role
    return role
