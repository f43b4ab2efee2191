"""The web application: every answer a page, its ``.json`` twin (the CLI's ``--format json``) and ``.csv``.

:func:`create_app` puts together the routers (:mod:`respgraph.web.routers`, one per area),
the error handlers (:mod:`respgraph.web.errors`), the security headers and the shield
(:mod:`respgraph.web.shield`).  Routes are short: they read what they need as typed
dependencies (:mod:`respgraph.web.deps`), call one function of :mod:`respgraph.web.library`
and hand a typed page context (:mod:`respgraph.web.contexts`) to one renderer
(:mod:`respgraph.web.render`), which gives the page, the JSON or the CSV.  Every route names
its action, asked of :func:`respgraph.accounts.rights.may` (:mod:`respgraph.web.rights`).
"""

from __future__ import annotations

import secrets

from fastapi import Depends, FastAPI, Request

from respgraph.graph import i18n
from respgraph.web import errors, library, routers
from respgraph.web.auth import CSRF_COOKIE, SECURITY_HEADERS, Auth, csp
from respgraph.web.etag import Revalidation
from respgraph.web.render import language
from respgraph.web.rights import declared
from respgraph.web.shield import Shield

__all__ = ["create_app"]


def create_app(
    backend: library.Backend,
    *,
    public_read: bool = False,
    trusted_proxies: tuple[str, ...] = (),
    allowed_hosts: frozenset[str] | None = None,
) -> FastAPI:
    app = FastAPI(
        title="respgraph",
        version=_version(),
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(declared)],
        description="城市政府责任分工表图谱：每个页面都有 .json（与命令行 --format json 相同）和 .csv 孪生。",
    )
    app.state.backend = backend
    app.state.read_only = backend.read_only
    app.state.auth = Auth(backend, public_read=public_read, trusted_proxies=trusted_proxies)
    routers.include(app, read_only=backend.read_only)
    errors.install(app)
    app.middleware("http")(_security_headers)
    # Inside the shield, outside the security headers: a 304 is decided before the answer is computed.
    app.add_middleware(Revalidation)
    # Outermost: hosts, rights and sizes are decided before any body is read (web/shield.py).
    app.add_middleware(Shield, hosts=allowed_hosts)
    return app


async def _security_headers(request: Request, call_next):
    request.state.nonce = secrets.token_urlsafe(16)
    # What the library says while answering (a footer, a refusal, a summary) in the reader's language.
    token = i18n.current.set(language(request))
    try:
        response = await call_next(request)
    finally:
        i18n.current.reset(token)
    # A picture is drawn in a frame of this server's own unit and leader pages: only it may frame one.
    framed = request.url.path.endswith("/picture")
    response.headers["Content-Security-Policy"] = csp(request.state.nonce, frame_self=framed)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, "SAMEORIGIN" if framed and name == "X-Frame-Options" else value)
    if getattr(request.state, "user", None) is not None or getattr(request.state, "role", "") == "nobody":
        response.headers.setdefault("Cache-Control", "no-store")  # a user's page stays out of shared caches
    new = getattr(request.state, "new_csrf", None)
    if new:
        response.set_cookie(
            CSRF_COOKIE, new, httponly=True, samesite="strict", path="/", secure=request.url.scheme == "https"
        )
    return response


def _version() -> str:
    from respgraph import __version__

    return __version__
