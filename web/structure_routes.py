"""The 协作 page's tabs of issue 30: brokerage roles, core and periphery, tie stability.

Each tab is one answer of :mod:`respgraph.answers.structure` — the very answer
``respgraph brokerage``, ``core`` and ``ties`` print — rendered by the application's
one renderer, so ``/co/brokerage.json`` is ``respgraph brokerage --format json``.
Registered by :func:`respgraph.web.app.create_app` with one line.
"""

from __future__ import annotations

from fastapi import Depends, Query
from fastapi.responses import HTMLResponse

from respgraph.queries.tie_stability import NotAcrossYears
from respgraph.web import library

__all__ = ["register"]


def _of(found) -> library.Answer:
    return library.Answer(data=found.data, flat=found.rows, footer=found.footer,
                          extra={"head": found.head, "result": found.result, "table": found.table})


def register(route, *, page, respond, ctx, wants) -> None:
    @route("GET", "/co/brokerage.{fmt:fmt}", summary="中介角色（孪生：respgraph brokerage）")
    @route("GET", "/co/brokerage", response_class=HTMLResponse, summary="中介角色")
    def co_brokerage(c=Depends(ctx), fmt: str | None = None):
        from respgraph.answers.structure import brokerage
        from respgraph.queries.brokerage import BROKER_ROLE_ZH

        scope = c.scope()
        answer = _of(brokerage(c.store, city=scope.city, documents=scope.docs))
        return respond(c.request, fmt, answer, "co_brokerage.html", sample=c.sample, scope=scope,
                       tab="/co/brokerage", roles=BROKER_ROLE_ZH)

    @route("GET", "/co/core.{fmt:fmt}", summary="核心与外围（孪生：respgraph core）")
    @route("GET", "/co/core", response_class=HTMLResponse, summary="核心与外围")
    def co_core(c=Depends(ctx), seed: int = Query(42), restarts: int = Query(20, ge=0, le=200),
                fmt: str | None = None):
        from respgraph.answers.structure import core

        scope = c.scope()
        answer = _of(core(c.store, city=scope.city, documents=scope.docs, seed=seed, restarts=restarts))
        return respond(c.request, fmt, answer, "co_core.html", sample=c.sample, scope=scope,
                       tab="/co/core")

    @route("GET", "/co/ties.{fmt:fmt}", summary="关系延续（孪生：respgraph ties）")
    @route("GET", "/co/ties", response_class=HTMLResponse, summary="关系延续")
    def co_ties(c=Depends(ctx), view: str = Query("years", pattern="^(years|units|list)$"),
                fmt: str | None = None):
        from respgraph.answers.structure import ties, ties_by_year

        # Across the years of one city: the year asked for does not narrow it.
        scope = c.scope(latest=False)
        docs = scope.docs if c.year is None else None
        try:
            answer = _of(ties(c.store, city=scope.city, documents=docs, view=view, aliases=c.backend.aliases()))
        except NotAcrossYears as exc:
            if wants(c.request, fmt) != "html":
                raise  # the twins answer with the one error line, as the command does
            # The page keeps its tabs and says, in the office's words, what it needs.
            return page(c.request, "co_ties.html", exc.status, sample=c.sample, scope=None, tab="/co/ties",
                        view=view, picture="", problem=exc.zh())
        picture = ""
        if wants(c.request, fmt) == "html":  # the twins hold no picture: it would cost them a layout
            from markupsafe import Markup

            from respgraph.viz.structure_picture import years_svg

            picture = Markup(years_svg(ties_by_year(c.store, city=scope.city, documents=docs)))
        return respond(c.request, fmt, answer, "co_ties.html", sample=c.sample, scope=None,
                       tab="/co/ties", view=view, picture=picture)
