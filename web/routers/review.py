"""The office's review of what the units reported: who has, returning a submission, who may report
and what units see per table, and a quarter's workbook.  Returning a submission is in :data:`writes`."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from respgraph.accounts import submissions
from respgraph.accounts.model import AccountError
from respgraph.accounts.rights import unit_scope_is_wide, widen_unit_scope
from respgraph.queries.lookup import find_document
from respgraph.web.auth import address_of, office_at_server
from respgraph.web.contexts import ReviewPage
from respgraph.web.deps import CurrentUser, StoreDep
from respgraph.web.flash import notice_of, notice_url
from respgraph.web.render import download, json_response, page
from respgraph.web.rights import requires

__all__ = ["router", "writes"]

router = APIRouter(dependencies=[requires("review")])
writes = APIRouter(dependencies=[requires("review")])
Doc = Annotated[str, Form(max_length=300)]
Flag = Annotated[str, Form(max_length=1)]


@router.get("/review.{fmt:fmt}", summary="报送情况（孪生：respgraph submissions who）")
@router.get("/review", response_class=HTMLResponse, summary="报送情况（督查室）")
def review(
    request: Request,
    store: StoreDep,
    year: Annotated[int | None, Query(ge=1900, le=2999)] = None,
    quarter: Annotated[int | None, Query(ge=1, le=4)] = None,
    fmt: str | None = None,
):
    year, quarter = submissions.quarter_asked(store, year, quarter)
    who = submissions.who_reported(store, year=year, quarter=quarter)
    if fmt == "json":
        return json_response(who)
    if fmt == "csv":
        from respgraph.web.library import csv_bytes

        return Response(csv_bytes(submissions.who_reported_rows(who)), media_type="text/csv; charset=utf-8")
    latest = submissions.latest(store, year=year, quarter=quarter)
    returned = [s for s in submissions.submissions(store, year=year, quarter=quarter) if s.returned]
    docs = [
        {
            **d,
            "implementers": submissions.implementers_may_report(store, d["key"]),
            "wide": unit_scope_is_wide(store, d["key"]),
        }
        for d in store.documents()
        if d.get("year") == year
    ]
    return page(
        request,
        ReviewPage(
            year=year, quarter=quarter, who=who, latest=latest, returned=returned, docs=docs, done=notice_of(request)
        ),
    )


@writes.post("/review/return", summary="退回一份报送")
def review_return(
    request: Request,
    user: CurrentUser,
    store: StoreDep,
    key: Annotated[str, Form(max_length=200)],
    comment: Annotated[str, Form(max_length=submissions.MAX_COMMENT * 2)],
):
    try:
        sub = submissions.return_submission(
            store, user or office_at_server(), key, comment, address=address_of(request)
        )
    except AccountError as exc:
        raise HTTPException(400, str(exc)) from None
    return RedirectResponse(
        notice_url(request, "/review", "returned", sub.author, year=sub.year, quarter=sub.quarter), 303
    )


@router.post("/review/implementers", summary="允许或不允许实施单位报送（按文件）")
def review_implementers(request: Request, user: CurrentUser, store: StoreDep, doc: Doc, allow: Flag = "1"):
    key = find_document(store.documents(), doc)
    submissions.allow_implementers(store, user or office_at_server(), key, allow == "1", address=address_of(request))
    return RedirectResponse(
        notice_url(
            request,
            "/review",
            "implementers",
            f"{key.removeprefix('doc:')}：实施单位{'可以' if allow == '1' else '不再'}报送",
        ),
        303,
    )


@router.post("/review/unit-scope", summary="单位可见范围（按文件）：仅列名事项，或也见同列单位的事项")
def review_unit_scope(request: Request, user: CurrentUser, store: StoreDep, doc: Doc, wide: Flag = "0"):
    key = find_document(store.documents(), doc)
    widen_unit_scope(store, user or office_at_server(), key, wide == "1", address=address_of(request))
    return RedirectResponse(
        notice_url(
            request,
            "/review",
            "implementers",
            f"{key.removeprefix('doc:')}：单位{'也可见同列单位的全部事项' if wide == '1' else '仅见本单位列名的事项'}",
        ),
        303,
    )


@router.get("/review/workbook.xlsx", summary="下载一个季度的报送（progress load 可读的进展表）")
def review_workbook(
    store: StoreDep,
    doc: Annotated[str, Query(max_length=300)],
    year: Annotated[int, Query(ge=1900, le=2999)],
    quarter: Annotated[int, Query(ge=1, le=4)],
):
    key = find_document(store.documents(), doc)
    with tempfile.TemporaryDirectory(prefix="respgraph-") as folder:
        path = Path(folder) / "q.xlsx"
        submissions.export_workbook(store, document=key, year=year, quarter=quarter, path=path)
        data = path.read_bytes()
    name = f"{key.removeprefix('doc:').replace('/', '-')}-{year}Q{quarter}-进展情况.xlsx"
    return download(data, name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
