"""What routes need, as typed dependencies (the FastAPI full-stack template's ``deps.py``).

A route names what it needs in its signature — ``ctx: Ctx``, ``user: CurrentUser``,
``backend: BackendDep`` — and FastAPI builds it once per request.  Who is asking is decided
by :func:`respgraph.web.rights.who_asks` (cached on the request), whatever asks first.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from respgraph.accounts.model import Role, User
from respgraph.accounts.rights import Visitor
from respgraph.graph.protocol import GraphStore
from respgraph.web import library
from respgraph.web.rights import who_asks

__all__ = [
    "RequestContext",
    "Ctx",
    "CurrentUser",
    "Who",
    "BackendDep",
    "StoreDep",
    "current_user",
    "backend_of",
    "store_of",
]


def current_user(request: Request) -> User | None:
    """The logged-in user, or None (a visitor: the office at the server's machine, anyone reading, nobody)."""
    who = who_asks(request)
    return who if isinstance(who, User) else None


def backend_of(request: Request) -> library.Backend:
    return request.app.state.backend


def store_of(request: Request) -> GraphStore:
    """The store itself (writes and accounts), not the per-request view :class:`RequestContext` answers from."""
    return request.app.state.backend.store()


Who = Annotated[User | Visitor, Depends(who_asks)]
CurrentUser = Annotated[User | None, Depends(current_user)]
BackendDep = Annotated[library.Backend, Depends(backend_of)]
StoreDep = Annotated[GraphStore, Depends(store_of)]


class RequestContext:
    """What a page of the graph needs: the backend, the store to answer from, and the scope asked for."""

    def __init__(
        self,
        request: Request,
        who: Who,
        city_: Annotated[str | None, Query(alias="city", description="只看此市（县、区）")] = None,
        year_: Annotated[int | None, Query(alias="year", description="只看此年度")] = None,
        doc_: Annotated[list[str] | None, Query(alias="doc", description="只看这些文件（键或标题片段）")] = None,
    ):
        if doc_ is None:
            doc_ = []
        self.request = request
        self.who = who
        self.backend: library.Backend = request.app.state.backend
        self.user: User | None = who if isinstance(who, User) else None
        # The pages that list documents show their item counts; the others need no count.
        counts = request.url.path.startswith(("/files", "/index", "/export")) or request.url.path == "/"
        leader = self.user is not None and self.user.role == Role.LEADER
        own_city = (self.user.city or "（无）") if leader and self.user is not None else None
        # A leader's store shows its own city alone: look-ups, suggestions and errors name nothing else,
        # and it reads its own city whatever the address asks.
        self.store = self.backend.query_store(counts=counts, city=own_city)
        self.sample = not isinstance(self.store, library.OneRequest)  # the bundled sample answers
        self.city = own_city or city_ or None
        self.year = year_
        self.doc = [d for d in doc_ if d] or None

    @property
    def role(self) -> Role | None:
        return self.user.role if self.user is not None else None

    def scope(self, *, city: str | None = None, latest: bool = True) -> library.Scope:
        return library.scope_of(self.store, city=city or self.city, year=self.year, doc=self.doc, latest=latest)


Ctx = Annotated[RequestContext, Depends()]
