"""The board (督办): statuses, the notices and their register, the bulletin and the quarter's scorecard.

The office issues notices (``POST /board/notices``) and a 督查通报 (``POST /board/bulletin``),
each numbered by the register (:mod:`respgraph.accounts.register`) as ``respgraph notices``
and ``respgraph bulletin`` are; an issued batch downloads again with its own numbers; the
scorecard is a page with its ``.json`` and ``.csv`` twins (``respgraph bulletin --scores``)
and a workbook.  The two issuing routes are in :data:`writes`: not served under ``--read-only``.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Query
from fastapi.responses import HTMLResponse, RedirectResponse

from respgraph.graph.errors import RespgraphError
from respgraph.graph.labels import WARNING_ZH
from respgraph.web import heavy, library
from respgraph.web.auth import address_of, office_at_server
from respgraph.web.budget import in_thread, run_heavy, run_heavy_here
from respgraph.web.contexts import BoardPage, ScorecardPage
from respgraph.web.deps import Ctx
from respgraph.web.render import download, respond, wants
from respgraph.web.rights import requires

__all__ = ["router", "writes", "board_register"]

router = APIRouter(dependencies=[requires("overview")])
writes = APIRouter(dependencies=[requires("notices")])
Quarter = Annotated[int | None, Query(ge=1, le=4)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@router.get("/board.{fmt:fmt}", summary="督办（孪生：respgraph status）")
@router.get("/board", response_class=HTMLResponse, summary="督办")
def board(
    ctx: Ctx,
    warning: Annotated[list[str] | None, Query()] = None,
    fmt: str | None = None,
    issued: Annotated[str | None, Query(max_length=200)] = None,
):
    if warning is None:
        warning = []
    scope = ctx.scope()
    answer = library.board(ctx.store, scope, warnings=tuple(w for w in warning if w in WARNING_ZH))
    register = board_register(ctx, issued) if wants(ctx.request, fmt) == "html" else {}
    extra = answer.extra
    return respond(
        ctx.request,
        fmt,
        BoardPage(
            answer=answer,
            sample=ctx.sample,
            scope=scope,
            rows=extra["rows"],
            by_unit=extra["by_unit"],
            by_leader=extra["by_leader"],
            as_of=extra["as_of"],
            **register,
        ),
    )


def board_register(ctx, issued: str | None) -> dict:
    """What the board page shows of the register: the batches (newest first, a leader's city
    only), the form's defaults for this office, the batch just issued, today."""
    if ctx.sample:
        return {}
    batches, defaults = library.notice_register(ctx.backend.store(), _login(ctx))
    batches = [b for b in batches if _may_see_batch(ctx, b)]
    return {
        "batches": batches[:50],
        "defaults": defaults,
        "today": dt.date.today(),
        "issued": next((b for b in batches if b.key == issued), None),
    }


@router.get("/board/notices.zip", summary="督办通知单草稿（.docx，每个牵头单位一份，文号留空）")
async def board_notices(ctx: Ctx):
    scope = await in_thread(ctx.scope)
    data = await run_heavy(ctx.request, heavy.notices_zip, scope, cli="respgraph notices --out DIR")
    return download(data, "督办通知单（草稿）.zip", "application/zip")


@router.get("/board/workbook.xlsx", summary="督办汇总表（.xlsx）")
async def board_workbook(ctx: Ctx):
    scope = await in_thread(ctx.scope)
    data = await run_heavy(ctx.request, heavy.notices_workbook, scope, cli="respgraph notices --out DIR")
    return download(data, "督办汇总.xlsx", XLSX)


@router.get("/board/issued.zip", summary="再次下载已签发的一批通知单（原文号）")
def board_issued(ctx: Ctx, key: Annotated[str, Query(max_length=200)]):
    from respgraph.accounts.register import batch as find_batch

    try:
        found = find_batch(ctx.backend.store(), key)
    except RespgraphError as exc:
        raise HTTPException(404, str(exc)) from None
    if not _may_see_batch(ctx, found):
        raise HTTPException(404, f"没有这一批通知单：{key}")
    # Writing a batch again is a heavy answer: a child process on the request's budget.
    data, name = run_heavy_here(ctx.request, heavy.issued_zip, key, cli="respgraph notices --batch KEY --out DIR")
    return download(data, name, "application/zip")


@router.get("/board/scorecard.xlsx", summary="季度考评得分表（.xlsx）")
def board_scorecard_book(ctx: Ctx, quarter: Quarter = None):
    data, name = run_heavy_here(
        ctx.request, heavy.bulletin_file, ctx.scope(), quarter, None, 1, cli="respgraph bulletin --out DIR"
    )
    return download(data, name, XLSX)


@router.get("/board/scorecard.{fmt:fmt}", summary="季度考评得分（孪生：respgraph bulletin --scores）")
@router.get("/board/scorecard", response_class=HTMLResponse, summary="季度考评得分")
def board_scorecard(ctx: Ctx, quarter: Quarter = None, fmt: str | None = None):
    scope = ctx.scope()
    answer = library.scorecard(ctx.backend, ctx.store, scope, quarter=quarter)
    extra = answer.extra
    return respond(
        ctx.request,
        fmt,
        ScorecardPage(
            answer=answer,
            sample=ctx.sample,
            scope=scope,
            rows=extra["rows"],
            year=extra["year"],
            quarter=extra["quarter"],
            rules=extra["rules"],
            deadline=extra["deadline"],
        ),
    )


@router.get("/board/bulletin.docx", summary="督查通报（.docx；key：已签发的，原文号；否则为文号留空的草稿）")
def board_bulletin(ctx: Ctx, quarter: Quarter = None, key: Annotated[str | None, Query(max_length=200)] = None):
    from respgraph.accounts.register import BULLETIN
    from respgraph.accounts.register import batch as find_batch

    found = None
    if key:
        try:
            found = find_batch(ctx.backend.store(), key)
        except RespgraphError as exc:
            raise HTTPException(404, str(exc)) from None
        if found.notices[0].kind != BULLETIN or not _may_see_batch(ctx, found):
            raise HTTPException(404, f"{key} 是通知单，不是督查通报")
    data, name = run_heavy_here(
        ctx.request, heavy.bulletin_file, ctx.scope(), quarter, found, 0, cli="respgraph bulletin --out DIR"
    )
    return download(data, name, DOCX)


FormText = Annotated[str, Form(max_length=100)]
FormDate = Annotated[str, Form(max_length=10)]


@writes.post("/board/notices", summary="签发督办通知单（发文登记：文号接续，不重复）")
def board_issue(
    ctx: Ctx,
    number: FormText = "",
    date: FormDate = "",
    reply_by: FormDate = "",
    contact: FormText = "",
    office: FormText = "",
):
    if ctx.sample:
        raise HTTPException(400, "尚未载入表格：示例数据不签发通知单")
    store = ctx.backend.store()
    try:
        with tempfile.TemporaryDirectory(prefix="respgraph-") as folder:
            batch = library.issue_notices(
                store,
                ctx.user or office_at_server(),
                ctx.scope(),
                Path(folder),
                prefix=number.strip(),
                date=_form_date(date, "成文日期"),
                reply_by=_form_date(reply_by, "办理时限"),
                contact=contact,
                office=office,
                address=address_of(ctx.request),
            )
    except RespgraphError as exc:
        raise HTTPException(400, str(exc)) from None
    return _back_to_board(ctx, batch.key)


@writes.post("/board/bulletin", summary="签发督查通报（文号由发文登记接续）")
def board_issue_bulletin(
    ctx: Ctx,
    quarter: Annotated[str, Form(pattern="^[1-4]?$")] = "",
    number: FormText = "",
    date: FormDate = "",
    office: FormText = "",
):
    if ctx.sample:
        raise HTTPException(400, "尚未载入表格：示例数据不签发督查通报")
    try:
        batch = library.issue_bulletin(
            ctx.backend,
            ctx.backend.store(),
            ctx.user or office_at_server(),
            ctx.scope(),
            quarter=int(quarter) if quarter else None,
            prefix=number.strip() or None,
            date=_form_date(date, "成文日期"),
            office=office,
            address=address_of(ctx.request),
        )
    except RespgraphError as exc:
        raise HTTPException(400, str(exc)) from None
    return _back_to_board(ctx, batch.key)


def _form_date(text: str, what: str) -> dt.date | None:
    """A date field of a form (YYYY-MM-DD, or empty for the default); a bad one is a 400 naming the field."""
    if not text.strip():
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise HTTPException(400, f"{what}：{text!r} 不是日期（YYYY-MM-DD）") from None


def _may_see_batch(ctx, batch) -> bool:
    """A leader reads its own city: another city's batch, or one over every city, is not its to read."""
    leader = ctx.user is not None and ctx.user.role.value == "leader"
    return not leader or (batch.city is not None and batch.city == ctx.city)


def _login(ctx) -> str:
    return ctx.user.login if ctx.user is not None else "(office at the server)"


def _back_to_board(ctx, key: str) -> RedirectResponse:
    query = {k: v for k, v in ctx.request.query_params.items() if k in ("city", "year", "doc")}
    return RedirectResponse("/board?" + urlencode({**query, "issued": key}) + "#register", 303)
