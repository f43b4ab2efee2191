"""What every page leans on: the static files, and the description of the API (``/openapi.json``, ``/api``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from respgraph.web.contexts import ApiPage
from respgraph.web.render import page, static_file
from respgraph.web.rights import requires

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/static/{path}", dependencies=[requires("enter")])
def static(path: str, request: Request):
    data, media = static_file(path)
    etag = f'"{hash(data) & 0xFFFFFFFF:x}"'
    headers = {"Cache-Control": "public, max-age=86400", "ETag": etag}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(data, media_type=media, headers=headers)


@router.get("/openapi.json", dependencies=[requires("overview")])
def openapi(request: Request):
    return JSONResponse(request.app.openapi())


@router.get("/api", response_class=HTMLResponse, dependencies=[requires("overview")])
def api(request: Request):
    spec = request.app.openapi()
    paths = [(p, m.upper(), op.get("summary", "")) for p, ops in spec["paths"].items() for m, op in ops.items()]
    return page(request, ApiPage(paths=paths))
