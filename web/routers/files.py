"""The tables loaded, their differences, and the office's uploads: check, load, remove; progress reports.

Every route that changes the graph is in :data:`writes`, not served under ``--read-only``.
A check shows what ``respgraph check`` shows and carries the file over to the load.
"""

from __future__ import annotations

import base64
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from respgraph.graph.errors import RespgraphError
from respgraph.web import flash, library
from respgraph.web.auth import read_form
from respgraph.web.budget import in_thread
from respgraph.web.contexts import CheckPage, DiffPage, FilesPage, ProgressCheckPage, RemovePage
from respgraph.web.deps import BackendDep, Ctx
from respgraph.web.render import page, respond, wants
from respgraph.web.rights import requires
from respgraph.web.uploads import (
    audit,
    echo,
    limits,
    no_server_path,
    progress_options,
    read_upload,
    saved,
    table_options,
)

__all__ = ["router", "writes"]

router = APIRouter(dependencies=[requires("files")])
writes = APIRouter(dependencies=[requires("upload")])


@router.get("/files.{fmt:fmt}", summary="文件（孪生：respgraph documents）")
@router.get("/files", response_class=HTMLResponse, summary="文件")
def files(ctx: Ctx, fmt: str | None = None):
    answer = library.documents(ctx.store, city=ctx.city)
    return respond(
        ctx.request,
        fmt,
        FilesPage(
            answer=answer, sample=ctx.sample, done=flash.notice_of(ctx.request), documents=answer.data, limits=limits()
        ),
    )


@router.get("/diff.{fmt:fmt}", summary="两份文件的差异（孪生：respgraph diff）")
@router.get("/diff", response_class=HTMLResponse, summary="两份文件的差异")
def diff(
    a: str,
    b: str,
    ctx: Ctx,
    threshold: Annotated[float, Query(ge=0, le=1)] = 0.6,
    all: bool = False,
    fmt: str | None = None,
):
    answer = library.diff(ctx.store, a, b, threshold=threshold, show_all=all, same_body=ctx.backend.aliases().anywhere)
    return respond(ctx.request, fmt, DiffPage(answer=answer, sample=ctx.sample, d=answer.extra["diff"]))


@writes.post("/files/check.{fmt:fmt}", summary="检查上传的表格（孪生：respgraph check）")
@writes.post("/files/check", response_class=HTMLResponse, summary="检查上传的表格（不载入）")
async def files_check(request: Request, backend: BackendDep, fmt: str | None = None):
    form = await read_form(request)
    upload = await read_upload(form)
    options = table_options(form)
    with saved(upload) as path:
        try:
            answer = await in_thread(library.check, backend, path, **options)
        except RespgraphError as exc:
            if wants(request, fmt) != "html":
                raise
            return _upload_error(request, exc, form)
    return respond(
        request,
        fmt,
        CheckPage(
            answer=answer,
            checked=answer.extra["checked"],
            form=echo(form),
            filename=upload[0],
            content=_carried(upload),
        ),
    )


@writes.post("/files/load", response_class=HTMLResponse, summary="载入已检查的表格")
async def files_load(request: Request, backend: BackendDep):
    form = await read_form(request)
    upload = await read_upload(form)
    with saved(upload) as path:
        try:
            said = await in_thread(library.load, backend, path, **table_options(form))
        except RespgraphError as exc:
            return _upload_error(request, exc, form)
    await in_thread(audit, request, "table.upload", upload[0], "；".join(said))
    return RedirectResponse(flash.notice_url(request, "/files", "loaded", "；".join(said)), 303)


@writes.get("/files/remove", response_class=HTMLResponse, summary="移除文件：确认")
def files_remove_ask(ctx: Ctx):
    if not ctx.doc:
        raise HTTPException(400, "请指明要移除的文件（?doc=）")
    preview = library.removal_preview(ctx.backend.store(), ctx.doc)
    return page(ctx.request, RemovePage(preview=preview))


@writes.post("/files/remove", response_class=HTMLResponse, summary="移除文件")
def files_remove(request: Request, backend: BackendDep, doc: Annotated[list[str], Form()]):
    said = library.remove(backend, doc)
    audit(request, "table.remove", "、".join(doc), said)
    return RedirectResponse(flash.notice_url(request, "/files", "removed", said), 303)


@writes.post("/progress/check.{fmt:fmt}", summary="检查进展报告的匹配（孪生：respgraph progress check）")
@writes.post("/progress/check", response_class=HTMLResponse, summary="检查进展报告的匹配（不载入）")
async def progress_check(request: Request, backend: BackendDep, fmt: str | None = None):
    form = await read_form(request)
    upload = await read_upload(form)
    with saved(upload) as path:
        try:
            answer = await in_thread(
                library.progress_check, backend, backend.query_store(), path, **progress_options(form)
            )
        except RespgraphError as exc:
            if wants(request, fmt) != "html":
                raise
            return _upload_error(request, exc, form)
    return respond(
        request, fmt, ProgressCheckPage(answer=answer, form=echo(form), filename=upload[0], content=_carried(upload))
    )


@writes.post("/progress/load", response_class=HTMLResponse, summary="载入已检查的进展报告")
async def progress_load(request: Request, backend: BackendDep):
    form = await read_form(request)
    upload = await read_upload(form)
    with saved(upload) as path:
        try:
            said = await in_thread(library.progress_load, backend, path, **progress_options(form))
        except RespgraphError as exc:
            return _upload_error(request, exc, form)
    await in_thread(audit, request, "progress.upload", upload[0], "；".join(said))
    return RedirectResponse(flash.notice_url(request, "/files", "progress", "；".join(said)), 303)


def _carried(upload: tuple[str, bytes]) -> str:
    """The upload in base64: the check page carries it over to the load, which reads it again."""
    return base64.b64encode(upload[1]).decode("ascii")


def _upload_error(request: Request, exc: RespgraphError, form):
    """The CLI's one-line error on the files page, with the form still filled."""
    backend = request.app.state.backend
    return page(
        request,
        FilesPage(
            error=no_server_path(" ".join(str(exc).splitlines())),
            form=echo(form),
            documents=library.documents(backend.query_store()).data,
            limits=limits(),
            sample=backend.showing_sample(),
        ),
        400,
    )
