"""One unit, one leader, one item, and the search that finds them; the home page.

Routes are tried in the order they are declared here.  A name may hold a "/" (the routes
take the rest of the path), so under ``/units/{city}/`` and ``/leaders/{city}/`` the forms
with something after the name come first (its picture, its printed picture, the brief),
then the twin (``.json``, ``.csv``), then the page.  (Of two decorators on one function, the
lower registers first: the twin is the lower.)
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from respgraph.graph.errors import AmbiguousName
from respgraph.web import guard, library
from respgraph.web.contexts import HomePage, ItemPage, LeaderPage, SearchPage, UnitPage
from respgraph.web.deps import Ctx
from respgraph.web.render import download, entity_url, hit_url, json_response, page, respond, served_picture, wants
from respgraph.web.rights import requires

__all__ = ["router", "MEDIA"]

router = APIRouter()
READ = [requires("read")]
OVERVIEW = [requires("overview")]
UNIT_PAGE = [requires("read"), Depends(guard.unit_page)]
LEADER_PAGE = [requires("overview"), Depends(guard.city_page)]
GroupBy = Annotated[str, Query()]

#: The leader page's downloads: the meeting brief (.docx, .pdf) and its table (.xlsx, .csv with Chinese headers).
MEDIA = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _group(group_by: str) -> str:
    return "category" if group_by == "category" else "lead"


# --- home and search ------------------------------------------------------------------------------
@router.get("/index.{fmt:fmt}", summary="首页（孪生：respgraph info）", dependencies=OVERVIEW)
@router.get("/", response_class=HTMLResponse, summary="首页", dependencies=READ)
def home(ctx: Ctx, fmt: str | None = None):
    # A unit's home is its reporting page, a leader's its portfolio.
    if ctx.user is not None and ctx.user.role.value == "unit":
        return RedirectResponse("/report", 303)
    if ctx.user is not None and ctx.user.role.value == "leader" and ctx.user.bound_name and fmt is None:
        return RedirectResponse(entity_url("leader", ctx.user.city or "", ctx.user.bound_name), 303)
    cities: dict[str, dict] = {}
    for d in ctx.store.documents():
        c = cities.setdefault(d["city"], {"years": set(), "documents": 0, "items": 0})
        c["years"].add(d["year"])
        c["documents"] += 1
        c["items"] += d.get("items", 0)
    return respond(
        ctx.request,
        fmt,
        HomePage(
            answer=library.info(ctx.store),
            sample=ctx.sample,
            cities=cities,
            counts=library.latest_counts(ctx.store, city=getattr(ctx.store, "city", None)),
        ),
    )


@router.get("/suggest", summary="搜索建议", dependencies=OVERVIEW)
def suggest(ctx: Ctx, q: str = ""):
    return json_response(
        [{**h, "url": hit_url(h)} for h in library.search(ctx.backend, ctx.store, q, keep=guard.shown(ctx))]
    )


@router.get("/go", summary="搜索：一个结果直接打开，多个列出", dependencies=OVERVIEW)
def go(ctx: Ctx, q: str = ""):
    hits = [
        {**h, "url": hit_url(h)} for h in library.search(ctx.backend, ctx.store, q, limit=50, keep=guard.shown(ctx))
    ]
    if len(hits) == 1:
        return RedirectResponse(hits[0]["url"], 303)
    return page(ctx.request, SearchPage(q=q, hits=hits, sample=ctx.sample), 200 if hits else 404)


# --- a unit ---------------------------------------------------------------------------------------
@router.get("/units/{name}", summary="单位（未指明城市：唯一则跳转，否则列出）", dependencies=OVERVIEW)
def unit_anywhere(name: str, ctx: Ctx):
    return _one_of(ctx, name, "Unit")


@router.get(
    "/units/{city}/{name:path}/picture", response_class=HTMLResponse, summary="单位关系图", dependencies=UNIT_PAGE
)
def unit_picture(city: str, name: str, ctx: Ctx):
    scope = ctx.scope(city=city)
    answer = library.unit(ctx.backend, ctx.store, f"{city}:{name}", scope, keep=guard.visible(ctx))
    return HTMLResponse(
        served_picture(
            ctx.request,
            library.unit_picture(ctx.store, answer.extra["name"].split(":")[-1], answer.extra["rows"], scope),
        )
    )


@router.get("/units/{city}/{name:path}/picture.png", summary="单位关系图（PNG，供打印）", dependencies=UNIT_PAGE)
def unit_picture_png(city: str, name: str, ctx: Ctx):
    scope = ctx.scope(city=city)
    answer = library.unit(ctx.backend, ctx.store, f"{city}:{name}", scope)
    return Response(
        library.unit_picture_png(ctx.store, answer.extra["name"].split(":")[-1], answer.extra["rows"], scope),
        media_type="image/png",
    )


@router.get("/units/{city}/{name:path}", response_class=HTMLResponse, summary="单位", dependencies=UNIT_PAGE)
@router.get(
    "/units/{city}/{name:path}.{fmt:fmt}", summary="单位（孪生：respgraph items --unit）", dependencies=UNIT_PAGE
)
def unit(city: str, name: str, ctx: Ctx, fmt: str | None = None):
    scope = ctx.scope(city=city)
    answer = library.unit(ctx.backend, ctx.store, f"{city}:{name}", scope, keep=guard.visible(ctx))
    if wants(ctx.request, fmt) != "html":
        return respond(
            ctx.request, fmt, UnitPage(answer=answer, city=city, name=name, statuses={}, by_role={}, co=[], leaders={})
        )
    bare = answer.extra["name"].split(":")[-1]
    rows = answer.extra["rows"]
    by_role = {role: [r for r in rows if not r.via and role in r.roles] for role in ("lead", "implement", "assist")}
    by_role["via"] = [r for r in rows if r.via]
    extra = guard.partner_extra(ctx, city, bare, library.unit_extra(ctx.store, f"{city}:{bare}", rows, scope))
    return respond(
        ctx.request,
        fmt,
        UnitPage(
            answer=answer,
            sample=ctx.sample,
            scope=scope,
            city=city,
            name=bare,
            by_role=by_role,
            statuses=library.unit_statuses(ctx.store, f"{city}:{bare}", scope),
            co=extra["co"],
            leaders=extra["leaders"],
        ),
    )


# --- a leader -------------------------------------------------------------------------------------
@router.get("/leaders/{name}", summary="领导（未指明城市：唯一则跳转，否则列出）", dependencies=OVERVIEW)
def leader_anywhere(name: str, ctx: Ctx):
    return _one_of(ctx, name, "Leader")


@router.get(
    "/leaders/{city}/{name:path}/picture",
    response_class=HTMLResponse,
    summary="领导分管关系图",
    dependencies=LEADER_PAGE,
)
def leader_picture(city: str, name: str, ctx: Ctx, group_by: GroupBy = "lead"):
    scope = ctx.scope(city=city)
    answer = library.leader(ctx.store, f"{city}:{name}", scope)
    return HTMLResponse(
        served_picture(
            ctx.request, library.leader_picture(ctx.store, answer.extra["portfolio"], scope, group_by=_group(group_by))
        )
    )


@router.get(
    "/leaders/{city}/{name:path}/picture.png", summary="领导分管关系图（PNG，供打印）", dependencies=LEADER_PAGE
)
def leader_picture_png(city: str, name: str, ctx: Ctx, group_by: GroupBy = "lead"):
    scope = ctx.scope(city=city)
    answer = library.leader(ctx.store, f"{city}:{name}", scope)
    return Response(
        library.leader_picture_png(ctx.store, answer.extra["portfolio"], scope, group_by=_group(group_by)),
        media_type="image/png",
    )


@router.get(
    "/leaders/{city}/{name:path}/brief.{ext}",
    summary="领导会议简报（docx、pdf）及分管事项表（xlsx、csv）",
    dependencies=LEADER_PAGE,
)
def leader_brief(city: str, name: str, ext: str, ctx: Ctx, group_by: GroupBy = "lead"):
    """The same files as ``respgraph portfolio LEADER --brief --out FILE``."""
    if ext not in MEDIA:
        raise HTTPException(404, f"没有 .{ext} 格式：可选 {'、'.join(MEDIA)}")
    scope = ctx.scope(city=city)
    brief, data = library.leader_brief(ctx.store, f"{city}:{name}", scope, ext, group_by=_group(group_by))
    stem = f"{brief.leader}分管事项" if ext in ("xlsx", "csv") else f"{brief.leader}会议简报"
    return download(data, f"{stem}（截至{brief.as_of.isoformat()}）.{ext}", MEDIA[ext])


@router.get("/leaders/{city}/{name:path}", response_class=HTMLResponse, summary="领导", dependencies=LEADER_PAGE)
@router.get(
    "/leaders/{city}/{name:path}.{fmt:fmt}", summary="领导（孪生：respgraph portfolio）", dependencies=LEADER_PAGE
)
def leader(city: str, name: str, ctx: Ctx, fmt: str | None = None):
    scope = ctx.scope(city=city)
    answer = library.leader(ctx.store, f"{city}:{name}", scope)
    p = answer.extra["portfolio"]
    today = library.reference_date(ctx.store)
    statuses = (
        {} if wants(ctx.request, fmt) != "html" else library.leader_statuses(ctx.store, f"{city}:{p.leader}", scope)
    )
    soon = library.due_soon(p.items, today, done=frozenset(k for k, s in statuses.items() if s.status == "done"))
    return respond(
        ctx.request,
        fmt,
        LeaderPage(
            answer=answer,
            sample=ctx.sample,
            scope=scope,
            city=city,
            name=p.leader,
            p=p,
            soon=soon,
            statuses=statuses,
            today=today,
            pdf=library.can_print_pdf(),
        ),
    )


# --- an item --------------------------------------------------------------------------------------
@router.get(
    "/items/{document:path}/{number}",
    response_class=HTMLResponse,
    summary="事项",
    dependencies=[requires("read"), Depends(guard.item_page)],
)
@router.get(
    "/items/{document:path}/{number}.{fmt:fmt}",
    summary="事项（孪生：respgraph item）",
    dependencies=[requires("read"), Depends(guard.item_page)],
)
def item(document: str, number: str, ctx: Ctx, fmt: str | None = None):
    answer = library.item(ctx.store, document, number)
    if not guard.named_on(ctx, answer.data["id"]):
        answer = library.without_progress_text(answer)  # another unit's words, on an item not its own
    return respond(ctx.request, fmt, ItemPage(answer=answer, sample=ctx.sample, i=answer.extra["item"]))


def _one_of(ctx, name: str, label: str):
    """The page of the one unit or leader of this name, or the choice of cities when several have it."""
    found = library.resolve_all(ctx.store, ctx.backend.name(name), label)
    cities = sorted({n.get("city", "") for n in found})
    kind = "leader" if label == "Leader" else "unit"
    if len(cities) == 1:
        return RedirectResponse(entity_url(kind, cities[0], found[0]["name"]), 303)
    raise AmbiguousName(
        "单位" if kind == "unit" else "领导",
        name,
        [f"{c}:{next(n['name'] for n in found if n.get('city') == c)}" for c in cities],
    )
