"""Exports: the page that offers them, and the graph as graphml, gexf, Pajek or xlsx (``respgraph export``)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse

from respgraph.web import heavy
from respgraph.web.budget import in_thread, run_heavy
from respgraph.web.contexts import ExportPage
from respgraph.web.deps import Ctx
from respgraph.web.render import download, page
from respgraph.web.rights import requires

__all__ = ["router"]

router = APIRouter(dependencies=[requires("files")])


@router.get("/export", response_class=HTMLResponse, summary="导出")
def export(ctx: Ctx):
    return page(ctx.request, ExportPage(sample=ctx.sample, scope=ctx.scope(latest=False), query=ctx.request.url.query))


@router.get("/export/graph.{fmt2}", summary="导出图谱：graphml、gexf、net（Pajek）或 xlsx")
async def export_file(fmt2: str, ctx: Ctx):
    if fmt2 not in heavy.EXPORT_FORMATS:
        raise HTTPException(404, f"没有 {fmt2} 格式：可选 {', '.join(heavy.EXPORT_FORMATS)}")
    scope = await in_thread(ctx.scope, latest=False)
    data, name = await run_heavy(
        ctx.request, heavy.export_file, scope, fmt2, cli=f"respgraph export --format {heavy.EXPORT_FORMATS[fmt2]}"
    )
    return download(data, name, "application/zip" if name.endswith(".zip") else "application/octet-stream")
