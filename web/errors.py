"""Errors as the client asked: a page, or ``{"error": …}`` for a twin or a script; one handler per kind."""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING, cast
from urllib.parse import urlencode

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from respgraph.graph import i18n
from respgraph.graph.errors import AmbiguousName, RespgraphError, UnknownName
from respgraph.web.contexts import ChoicesPage, ErrorPage
from respgraph.web.render import entity_link, json_response, language, page, wants
from respgraph.web.uploads import no_server_path

if TYPE_CHECKING:
    from starlette.types import HTTPExceptionHandler

__all__ = ["install"]

log = logging.getLogger("respgraph.web")


def _wants_json(request: Request) -> bool:
    return request.url.path.endswith((".json", ".csv")) or wants(request, None) != "html"


async def ambiguous(request: Request, exc: AmbiguousName):
    lang = language(request)
    title = i18n.gettext("more than one {name!r}", lang).format(name=exc.name)
    return _choices(request, exc, "candidates", exc.candidates, title, lang)


async def unknown(request: Request, exc: UnknownName):
    lang = language(request)
    title = i18n.gettext("no {name!r} found", lang).format(name=exc.name)
    return _choices(request, exc, "suggestions", exc.suggestions, title, lang)


def _choices(request: Request, exc: AmbiguousName | UnknownName, key: str, names: list[str], title: str, lang: str):
    """A name error as the client asked: ``{"error", key: names}``, or a page of links to the names.
    The page says it from the error's fields: the CLI's hint of a command to run is not for a page."""
    if _wants_json(request):
        return json_response({"error": exc.said(i18n.LIBRARY), key: names}, exc.status)
    choices = [entity_link(exc.kind, c) for c in names]
    return page(request, ChoicesPage(title=title, message=exc.said(lang, page=True), choices=choices), exc.status)


async def respgraph_error(request: Request, exc: RespgraphError):
    message = no_server_path(" ".join(str(exc).splitlines()))
    if _wants_json(request):
        return json_response({"error": message}, exc.status)
    return page(request, ErrorPage(title=i18n.gettext("Cannot answer", language(request)), message=message), exc.status)


async def http_error(request: Request, exc: HTTPException):
    if exc.status_code == 401 and request.method in ("GET", "HEAD") and not _wants_json(request):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse("/login?" + urlencode({"next": target}), 303)
    response = (
        json_response({"error": exc.detail}, exc.status_code)
        if _wants_json(request)
        else page(
            request,
            ErrorPage(title=i18n.gettext("Cannot open", language(request)), message=str(exc.detail)),
            exc.status_code,
        )
    )
    response.headers.update(exc.headers or {})  # a 503's Retry-After
    return response


async def bad_request(request: Request, exc: RequestValidationError):
    if _wants_json(request):
        message = "; ".join(f"{'.'.join(map(str, e.get('loc', ())))}: {e.get('msg')}" for e in exc.errors())
        return json_response({"error": message}, 422)
    lang = language(request)
    return page(
        request,
        ErrorPage(title=i18n.gettext("Wrong parameters", lang), message=i18n.input_errors(exc.errors(), lang)),
        422,
    )


async def fault(request: Request, exc: Exception):
    # No traceback reaches a browser: the page names an id the log holds with the traceback.
    error_id = uuid.uuid4().hex[:12]
    log.exception("error %s on %s %s", error_id, request.method, request.url.path)
    if _wants_json(request):
        return json_response({"error": "server fault", "id": error_id}, 500)
    lang = language(request)
    return page(
        request,
        ErrorPage(
            title=i18n.gettext("Server fault", lang),
            message=i18n.gettext("The server failed; error number {id} (written to the server's log).", lang).format(
                id=error_id
            ),
        ),
        500,
    )


def install(app: FastAPI) -> None:
    # Starlette types a handler as taking any Exception; each of these is called with its own class only.
    app.add_exception_handler(AmbiguousName, cast("HTTPExceptionHandler", ambiguous))
    app.add_exception_handler(UnknownName, cast("HTTPExceptionHandler", unknown))
    app.add_exception_handler(RespgraphError, cast("HTTPExceptionHandler", respgraph_error))
    app.add_exception_handler(StarletteHTTPException, cast("HTTPExceptionHandler", http_error))
    app.add_exception_handler(RequestValidationError, cast("HTTPExceptionHandler", bad_request))
    app.add_exception_handler(Exception, fault)
