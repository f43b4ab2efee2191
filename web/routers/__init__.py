"""The application's routes, one router per area, included once by :func:`include`.

Each module's ``router`` holds what every server serves; its ``writes`` (where it has one)
the routes that change the graph, which a ``--read-only`` server does not serve at all.
Every route names its action (:func:`respgraph.web.rights.requires`).  Routes are tried in
the order they are included: the areas share no path prefix, and inside one module the
more specific forms come first (see :mod:`.entities`).
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute

from respgraph.web.routers import accounts, analysis, audit, board, entities, export, files, review, site

__all__ = ["include", "AREAS", "WRITES", "WRITE_ROUTES"]


def _routes(router: APIRouter) -> list[APIRoute]:
    """The routes of ``router``: each an :class:`APIRoute`, as its decorators add them (with its methods:
    ``GET`` when none is named)."""
    routes = [route for route in router.routes if isinstance(route, APIRoute)]
    assert len(routes) == len(router.routes), "an area's router holds API routes only"
    return routes


#: What every server serves, in the order routes are tried.
AREAS: tuple[APIRouter, ...] = (
    entities.router,
    analysis.router,
    board.router,
    files.router,
    export.router,
    accounts.router,
    accounts.office,
    review.router,
    audit.router,
    site.router,
)
#: What changes the graph (tables, progress, notices, a unit's report, a returned one).
WRITES: tuple[APIRouter, ...] = (files.writes, board.writes, accounts.writes, review.writes)
#: (method, path) of every write route: none is served under ``--read-only``.
WRITE_ROUTES = frozenset(
    (method, route.path) for r in WRITES for route in _routes(r) for method in route.methods or () if method != "HEAD"
)


def include(app: FastAPI, *, read_only: bool) -> None:
    """Add every area's routes to ``app``, in order, each behind the application's own dependencies."""
    for router in AREAS + (() if read_only else WRITES):
        # Added one by one rather than by ``include_router``: the application's route list stays the
        # flat list of its routes on every FastAPI (newer ones keep an included router as one entry),
        # which the shield matches a request against and the tests walk.
        for route in _routes(router):
            app.router.add_api_route(
                route.path,
                route.endpoint,
                methods=sorted(route.methods or ()),
                name=route.name,
                response_class=route.response_class,
                summary=route.summary,
                include_in_schema=route.include_in_schema,
                dependencies=route.dependencies,
            )
