"""The whole graph's questions: workload, co-responsibility and the 协作 page's tabs (issue 30).

Each tab is one answer of :mod:`respgraph.answers.structure` — the very answer
``respgraph brokerage``, ``core`` and ``ties`` print — so ``/co/brokerage.json`` is
``respgraph brokerage --format json``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse

from respgraph.queries.tie_stability import NotAcrossYears
from respgraph.web import guard, heavy, library
from respgraph.web.budget import in_thread, run_heavy, run_heavy_here
from respgraph.web.contexts import CoBrokeragePage, CoCorePage, CoPage, CoTiesPage, WorkloadPage
from respgraph.web.deps import Ctx
from respgraph.web.render import page, respond, served_picture, wants
from respgraph.web.rights import requires

__all__ = ["router"]

router = APIRouter(dependencies=[requires("overview")])
MinShared = Annotated[int, Query(ge=1)]


@router.get("/workload.{fmt:fmt}", summary="工作量（孪生：respgraph workload）")
@router.get("/workload", response_class=HTMLResponse, summary="工作量")
def workload(
    ctx: Ctx,
    by: Annotated[str, Query(pattern="^(unit|leader|district)$")] = "unit",
    kind: str | None = None,
    fmt: str | None = None,
):
    scope = ctx.scope()
    if heavy.many_documents(ctx.store, scope):
        answer = run_heavy_here(
            ctx.request, heavy.workload, scope, by, kind or None, cli=f"respgraph workload --by {by}"
        )
    else:
        answer = library.workload(ctx.store, scope, by=by, kind=kind or None)
    chart = (
        _lorenz_path(library.lorenz_points(answer.extra["workload"]))
        if wants(ctx.request, fmt) == "html" and answer.data
        else ""
    )
    return respond(
        ctx.request,
        fmt,
        WorkloadPage(
            answer=answer,
            sample=ctx.sample,
            scope=scope,
            by=by,
            kind=kind,
            w=answer.extra["workload"],
            rows=answer.extra["rows"],
            chart=chart,
            cities=sorted({d["city"] for d in ctx.store.documents()}),
        ),
    )


def _lorenz_path(points: list[tuple[float, float]]) -> str:
    """The points of an SVG polyline in a 300 x 300 box, y upwards."""
    step = max(1, len(points) // 400)  # a province's 2,000 units: 400 points draw the same curve
    kept = points[::step] + ([points[-1]] if (len(points) - 1) % step else [])
    return " ".join(f"{20 + x * 280:.1f},{300 - y * 280:.1f}" for x, y in kept)


@router.get("/co.{fmt:fmt}", summary="协作（孪生：respgraph co）", dependencies=[Depends(guard.named_unit)])
@router.get("/co", response_class=HTMLResponse, summary="协作", dependencies=[Depends(guard.named_unit)])
def co(
    ctx: Ctx,
    unit: str | None = None,
    min_shared: MinShared = 1,
    top: Annotated[int | None, Query(ge=1)] = None,
    fmt: str | None = None,
):
    scope = ctx.scope()
    if wants(ctx.request, fmt) == "html" and top is None:
        top = 200  # a page shows the first 200 pairs; the twins hold them all
    answer = library.co(ctx.backend, ctx.store, scope, unit=unit or None, min_shared=min_shared, top=top)
    return respond(
        ctx.request, fmt, CoPage(answer=answer, sample=ctx.sample, scope=scope, unit=unit, min_shared=min_shared)
    )


@router.get("/co/picture", response_class=HTMLResponse, summary="协作网络图")
async def co_picture(ctx: Ctx, min_shared: MinShared = 1):
    scope = await in_thread(ctx.scope)  # the store is read in a thread, never on the event loop
    html = await run_heavy(ctx.request, heavy.co_picture, scope, min_shared, cli="respgraph co --html")
    return HTMLResponse(served_picture(ctx.request, html))


def _of(found) -> library.Answer:
    return library.Answer(
        data=found.data,
        flat=found.rows,
        footer=found.footer,
        extra={"head": found.head, "result": found.result, "table": found.table},
    )


@router.get("/co/brokerage.{fmt:fmt}", summary="中介角色（孪生：respgraph brokerage）")
@router.get("/co/brokerage", response_class=HTMLResponse, summary="中介角色")
def co_brokerage(ctx: Ctx, fmt: str | None = None):
    from respgraph.answers.structure import brokerage
    from respgraph.queries.brokerage import BROKER_ROLE_ZH

    scope = ctx.scope()
    answer = _of(brokerage(ctx.store, city=scope.city, documents=scope.docs))
    return respond(
        ctx.request, fmt, CoBrokeragePage(answer=answer, sample=ctx.sample, scope=scope, roles=BROKER_ROLE_ZH)
    )


@router.get("/co/core.{fmt:fmt}", summary="核心与外围（孪生：respgraph core）")
@router.get("/co/core", response_class=HTMLResponse, summary="核心与外围")
def co_core(ctx: Ctx, seed: int = 42, restarts: Annotated[int, Query(ge=0, le=200)] = 20, fmt: str | None = None):
    from respgraph.answers.structure import core

    scope = ctx.scope()
    answer = _of(core(ctx.store, city=scope.city, documents=scope.docs, seed=seed, restarts=restarts))
    return respond(ctx.request, fmt, CoCorePage(answer=answer, sample=ctx.sample, scope=scope))


@router.get("/co/ties.{fmt:fmt}", summary="关系延续（孪生：respgraph ties）")
@router.get("/co/ties", response_class=HTMLResponse, summary="关系延续")
def co_ties(ctx: Ctx, view: Annotated[str, Query(pattern="^(years|units|list)$")] = "years", fmt: str | None = None):
    from respgraph.answers.structure import ties, ties_by_year

    # Across the years of one city: the year asked for does not narrow it.
    scope = ctx.scope(latest=False)
    docs = scope.docs if ctx.year is None else None
    try:
        answer = _of(ties(ctx.store, city=scope.city, documents=docs, view=view, aliases=ctx.backend.aliases()))
    except NotAcrossYears as exc:
        if wants(ctx.request, fmt) != "html":
            raise  # the twins answer with the one error line, as the command does
        # The page keeps its tabs and says, in the office's words, what it needs.
        return page(ctx.request, CoTiesPage(sample=ctx.sample, view=view, problem=exc.zh()), exc.status)
    picture = ""
    if wants(ctx.request, fmt) == "html":  # the twins hold no picture: it would cost them a layout
        from markupsafe import Markup

        from respgraph.viz.structure_picture import years_svg

        picture = Markup(years_svg(ties_by_year(ctx.store, city=scope.city, documents=docs)))
    return respond(ctx.request, fmt, CoTiesPage(answer=answer, sample=ctx.sample, view=view, picture=picture))
