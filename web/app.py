"""The web application: every answer a page, its ``.json`` twin (the CLI's ``--format json``) and ``.csv``.

Routes are short: they read the scope from the query string, call one function of
:mod:`respgraph.web.library` and hand its :class:`~respgraph.web.library.Answer` to
:func:`respond`, which gives the page, the JSON or the CSV.  Every route goes
through :func:`respgraph.web.rights.authorize`.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import json
import logging
import re
import tempfile
import uuid
from pathlib import Path
from urllib.parse import quote, urlencode

from fastapi import Depends, FastAPI, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.convertors import Convertor, register_url_convertor
from starlette.datastructures import UploadFile as UploadFileTypes  # what a form holds (FastAPI's is a subclass)

from respgraph.graph import i18n
from respgraph.graph.errors import AmbiguousName, RespgraphError, UnknownName
from respgraph.graph.labels import (ACCOUNT_ROLE_ZH, KIND_ZH, ROLE_ZH, STATUS_ZH, UNIT_KIND_ZH, WARNING_ZH, audit_action,
                                    progress_note)
from respgraph.graph.notes import NOTE_KIND_ZH
from respgraph.graph.vocabulary import LABEL_ZH
from respgraph.graph.safe_text import safe_file_name
from respgraph.web import flash, heavy, library, register_routes
from respgraph.web.budget import run_heavy, run_heavy_here
from respgraph.web.auth import SECURITY_HEADERS, CSRF_COOKIE, Auth, csp
from respgraph.web.rights import WRITE_ROUTES, authorize
from respgraph.web.shield import Shield

__all__ = ["create_app"]

log = logging.getLogger("respgraph.web")
HERE = Path(__file__).resolve().parent


class _Format(Convertor):
    """The suffix of a twin: ``.json`` or ``.csv``."""

    regex = "json|csv"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("fmt", _Format())


@functools.cache
def _templates() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    # Messages of the catalogue in the request's language (graph.i18n; the middleware and page() set it).
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True, pgettext=i18n.pgettext)
    env.filters["local_time"] = i18n.local_time
    env.globals.update(audit_action=audit_action, progress_note=progress_note)
    env.filters["doc_label"] = _doc_label
    env.filters["q"] = lambda value: quote(str(value), safe="")
    env.filters["note_zh"] = _note_zh
    env.filters["why_zh"] = _why_zh
    # The labels of codes come from the library's one table, as the notices' and the report's do.
    env.globals.update(ROLE_ZH=ROLE_ZH, ROLE_NAME=ACCOUNT_ROLE_ZH, STATUS_ZH=STATUS_ZH, WARNING_ZH=WARNING_ZH,
                       KIND_ZH=KIND_ZH, UNIT_KIND_ZH=UNIT_KIND_ZH, NOTE_KIND_ZH=NOTE_KIND_ZH, LABEL_ZH=LABEL_ZH)
    return env


def _doc_label(key: str) -> str:
    """A document as a page names it: its city, year and attachment, never its key's digest."""
    from respgraph.queries.years import document_label

    return document_label(key)


def _why_zh(why: str | None) -> str:
    """A status's reason as the notices word it (viz.notices.why_zh); as written where no wording is known yet."""
    from respgraph.viz.notices import why_zh

    return (why_zh(why) or why) if why else ""


def _note_zh(note: dict) -> str:
    """A note of ``check`` (its JSON) as the page says it: in Chinese, from its fields, with the correction."""
    from respgraph.graph.model import Quirk

    said = Quirk(**{k: note[k] for k in ("line", "kind", "message", "cell", "form", "fields")}).text(i18n.current.get())
    return f"{said}；{note['corrected']}" if note.get("corrected") else said


def _wants(request: Request, fmt: str | None) -> str:
    if fmt:
        return fmt
    accept = request.headers.get("accept", "")
    if "application/json" in accept and "text/html" not in accept:
        return "json"
    if "text/csv" in accept and "text/html" not in accept:
        return "csv"
    return "html"


def _twin(request: Request, fmt: str) -> str:
    """The URL of this page's ``.json`` or ``.csv`` twin, with its query string."""
    path = "/index" if request.url.path == "/" else request.url.path
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{path}.{fmt}{query}"


def language(request: Request) -> str:
    """The reader's language: their ``lang`` cookie, else their browser's, else Chinese (graph.i18n)."""
    return i18n.for_request(request.cookies.get("lang"), request.headers.get("accept-language"))


def page(request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
    backend = request.app.state.backend
    context.setdefault("scope", None)
    with i18n.use(language(request)) as lang:
        html = _render(request, backend, template, lang, context)
    return HTMLResponse(html, status_code=status)


def _render(request: Request, backend, template: str, lang: str, context: dict) -> str:
    return _templates().get_template(template).render(lang=lang,
        request=request, user=getattr(request.state, "user", None), role=getattr(request.state, "role", ""),
        csrf=request.app.state.auth.csrf_token(request), nonce=getattr(request.state, "nonce", ""),
        accounts=getattr(request.state, "role", "") in ("office", "leader", "unit", "viewer"),
        writable=not backend.read_only and getattr(request.state, "role", "") == "office",
        engine=backend.engine, sample=context.pop("sample", False), twin=lambda fmt: _twin(request, fmt),
        url=lambda path, **params: path + ("?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})
                                           if any(v not in (None, "") for v in params.values()) else ""),
        **context)


def json_response(data, status: int = 200) -> Response:
    return Response(json.dumps(data, ensure_ascii=False, indent=2) + "\n", status_code=status,
                    media_type="application/json")


def respond(request: Request, fmt: str | None, answer: library.Answer, template: str, **context) -> Response:
    """The page, the JSON (exactly the CLI's ``--format json``) or the CSV of one answer."""
    wanted = _wants(request, fmt)
    if wanted == "json":
        return json_response(answer.data)
    if wanted == "csv":
        if answer.flat is None:
            raise HTTPException(404, "this page has no table")
        return Response(library.csv_bytes(answer.flat), media_type="text/csv; charset=utf-8")
    response = page(request, template, answer=answer, **context)
    response.headers["Link"] = f'<{quote(_twin(request, "json"), safe="/?=&%.:")}>; rel="alternate"; type="application/json"'
    return response


class Ctx:
    """What every route needs: the backend, the store to answer from, and the scope asked for."""

    def __init__(self, request: Request, city_: str | None = Query(None, alias="city", description="只看此市（县、区）"),
                 year_: int | None = Query(None, alias="year", description="只看此年度"),
                 doc_: list[str] = Query([], alias="doc", description="只看这些文件（键或标题片段）")):
        city, year, doc = city_, year_, doc_
        self.request = request
        self.backend: library.Backend = request.app.state.backend
        # The pages that list documents show their item counts; the others need no count.
        counts = request.url.path.startswith(("/files", "/index", "/export")) or request.url.path == "/"
        self.user = getattr(request.state, "user", None)
        leader = self.user is not None and self.user.role.value == "leader"
        # A leader's store shows its own city alone: look-ups, suggestions and errors name nothing else.
        self.store = self.backend.query_store(counts=counts, city=(self.user.city or "（无）") if leader else None)
        self.sample = not isinstance(self.store, library.OneRequest)  # the bundled sample answers
        if leader:
            city = self.user.city or "（无）"  # a leader reads its own city, whatever the address asks
        self.city = city or None
        self.year = year
        self.doc = [d for d in doc if d] or None

    def scope(self, *, city: str | None = None, latest: bool = True) -> library.Scope:
        return library.scope_of(self.store, city=city or self.city, year=self.year, doc=self.doc, latest=latest)


def create_app(backend: library.Backend, *, public_read: bool = False,
               trusted_proxies: tuple[str, ...] = (), allowed_hosts: frozenset[str] | None = None) -> FastAPI:
    app = FastAPI(title="respgraph", version=_version(), docs_url=None, redoc_url=None, openapi_url=None,
                  dependencies=[Depends(authorize)],
                  description="城市政府责任分工表图谱：每个页面都有 .json（与命令行 --format json 相同）和 .csv 孪生。")
    app.state.backend = backend
    app.state.read_only = backend.read_only
    app.state.auth = Auth(backend, public_read=public_read, trusted_proxies=trusted_proxies)
    _routes(app)
    _handlers(app)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        import secrets

        request.state.nonce = secrets.token_urlsafe(16)
        # What the library says while answering (a footer, a refusal, a summary) in the reader's language.
        token = i18n.current.set(language(request))
        try:
            response = await call_next(request)
        finally:
            i18n.current.reset(token)
        # A picture is drawn in a frame of this server's own unit and leader pages: only it may frame one.
        framed = request.url.path.endswith("/picture")
        response.headers["Content-Security-Policy"] = csp(request.state.nonce, frame_self=framed)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, "SAMEORIGIN" if framed and name == "X-Frame-Options" else value)
        if getattr(request.state, "user", None) is not None or getattr(request.state, "role", "") == "nobody":
            response.headers.setdefault("Cache-Control", "no-store")  # a user's page stays out of shared caches
        new = getattr(request.state, "new_csrf", None)
        if new:
            response.set_cookie(CSRF_COOKIE, new, httponly=True, samesite="strict", path="/",
                                secure=request.url.scheme == "https")
        return response

    # Outermost: hosts, rights and sizes are decided before any body is read (web/shield.py).
    app.add_middleware(Shield, hosts=allowed_hosts)
    return app


def _version() -> str:
    from respgraph import __version__

    return __version__


def _handlers(app: FastAPI) -> None:
    def wants_json(request: Request) -> bool:
        return request.url.path.endswith((".json", ".csv")) or _wants(request, None) != "html"

    @app.exception_handler(AmbiguousName)
    async def ambiguous(request: Request, exc: AmbiguousName):
        choices = [_entity_link(exc.kind, c) for c in exc.candidates]
        if wants_json(request):
            return json_response({"error": exc.said(i18n.LIBRARY), "candidates": exc.candidates}, exc.status)
        lang = language(request)
        return page(request, "choices.html", exc.status, choices=choices, message=exc.said(lang, page=True),
                    title=i18n.gettext("more than one {name!r}", lang).format(name=exc.name))

    @app.exception_handler(UnknownName)
    async def unknown(request: Request, exc: UnknownName):
        choices = [_entity_link(exc.kind, c) for c in exc.suggestions]
        if wants_json(request):
            return json_response({"error": exc.said(i18n.LIBRARY), "suggestions": exc.suggestions}, exc.status)
        # The page says it from the error's fields: the CLI's hint of a command to run is not for a page.
        lang = language(request)
        return page(request, "choices.html", exc.status, choices=choices, message=exc.said(lang, page=True),
                    title=i18n.gettext("no {name!r} found", lang).format(name=exc.name))

    @app.exception_handler(RespgraphError)
    async def respgraph_error(request: Request, exc: RespgraphError):
        status = exc.status
        message = _no_server_path(" ".join(str(exc).splitlines()))
        if wants_json(request):
            return json_response({"error": message}, status)
        return page(request, "error.html", status, title=i18n.gettext("Cannot answer", language(request)), message=message)

    from starlette.exceptions import HTTPException as StarletteHTTPException

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: HTTPException):
        if exc.status_code == 401 and request.method in ("GET", "HEAD") and not wants_json(request):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse("/login?" + urlencode({"next": target}), 303)
        response = json_response({"error": exc.detail}, exc.status_code) if wants_json(request) else \
            page(request, "error.html", exc.status_code, title=i18n.gettext("Cannot open", language(request)),
                 message=str(exc.detail))
        response.headers.update(exc.headers or {})  # a 503's Retry-After
        return response

    from fastapi.exceptions import RequestValidationError

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        if wants_json(request):
            message = "; ".join(f"{'.'.join(map(str, e.get('loc', ())))}: {e.get('msg')}" for e in exc.errors())
            return json_response({"error": message}, 422)
        return page(request, "error.html", 422, title=i18n.gettext("Wrong parameters", language(request)),
                    message=i18n.input_errors(exc.errors(), language(request)))

    @app.exception_handler(Exception)
    async def fault(request: Request, exc: Exception):
        # No traceback reaches a browser: the page names an id the log holds with the traceback.
        error_id = uuid.uuid4().hex[:12]
        log.exception("error %s on %s %s", error_id, request.method, request.url.path)
        if wants_json(request):
            return json_response({"error": "server fault", "id": error_id}, 500)
        lang = language(request)
        return page(request, "error.html", 500, title=i18n.gettext("Server fault", lang), message=i18n.gettext(
            "The server failed; error number {id} (written to the server's log).", lang).format(id=error_id))


def _lorenz_path(points: list[tuple[float, float]]) -> str:
    """The points of an SVG polyline in a 300 x 300 box, y upwards."""
    step = max(1, len(points) // 400)  # a province's 2,000 units: 400 points draw the same curve
    kept = points[::step] + ([points[-1]] if (len(points) - 1) % step else [])
    return " ".join(f"{20 + x * 280:.1f},{300 - y * 280:.1f}" for x, y in kept)


def _seg(text: str) -> str:
    """One path segment as a readable link: Chinese stays Chinese (the browser encodes it),
    what would end or split the segment is percent-encoded."""
    return "".join(quote(c, safe="") if c in "/?#%\\\"'<>&+" or ord(c) <= 32 else c for c in text)


def _entity_link(kind: str, qualified: str) -> dict:
    city, _, name = qualified.partition(":")
    if not name:
        city, name = "", qualified
    base = "/leaders" if kind == "leader" else "/units"
    return {"text": qualified, "url": f"{base}/{_seg(city)}/{_seg(name)}" if city else f"{base}/{_seg(name)}"}


def _entity_url(kind: str, city: str, name: str) -> str:
    return f"/{'leaders' if kind == 'leader' else 'units'}/{_seg(city)}/{_seg(name)}"


def _item_url(document: str, number: str) -> str:
    return f"/items/{'/'.join(_seg(p) for p in document.removeprefix('doc:').split('/'))}/{_seg(number)}"


def _routes(app: FastAPI) -> None:
    read_only = app.state.read_only

    def route(method: str, path: str, **kwargs):
        """Register a route unless it writes and the server is read-only: such a route does not exist."""
        def wrap(fn):
            if read_only and (method, path) in WRITE_ROUTES:
                return fn
            return app.api_route(path, methods=[method], **kwargs)(fn)
        return wrap

    templates = _templates()
    templates.globals.update(entity_url=_entity_url, item_url=_item_url)

    # --- home and search ------------------------------------------------------------------
    @route("GET", "/", response_class=HTMLResponse, summary="首页")
    @route("GET", "/index.{fmt:fmt}", summary="首页（孪生：respgraph info）")
    def home(ctx: Ctx = Depends(), fmt: str | None = None):
        if ctx.user is not None and ctx.user.role.value == "unit":
            return RedirectResponse("/report", 303)
        if ctx.user is not None and ctx.user.role.value == "leader" and ctx.user.bound_name and fmt is None:
            return RedirectResponse(_entity_url("leader", ctx.user.city or "", ctx.user.bound_name), 303)
        answer = library.info(ctx.store)
        cities: dict[str, dict] = {}
        for d in ctx.store.documents():
            c = cities.setdefault(d["city"], {"years": set(), "documents": 0, "items": 0})
            c["years"].add(d["year"])
            c["documents"] += 1
            c["items"] += d.get("items", 0)
        return respond(ctx.request, fmt, answer, "home.html", sample=ctx.sample, cities=cities,
                       counts=library.latest_counts(ctx.store, city=getattr(ctx.store, "city", None)))

    @route("GET", "/suggest", summary="搜索建议")
    def suggest(q: str = "", ctx: Ctx = Depends()):
        return json_response([{**h, "url": _hit_url(h)}
                              for h in library.search(ctx.backend, ctx.store, q, keep=guard.shown(ctx))])

    @route("GET", "/go", summary="搜索：一个结果直接打开，多个列出")
    def go(q: str = "", ctx: Ctx = Depends()):
        hits = [{**h, "url": _hit_url(h)} for h in library.search(ctx.backend, ctx.store, q, limit=50,
                                                                   keep=guard.shown(ctx))]
        if len(hits) == 1:
            return RedirectResponse(hits[0]["url"], 303)
        return page(ctx.request, "search.html", 200 if hits else 404, q=q, hits=hits, sample=ctx.sample)

    # --- one entity --------------------------------------------------------------------------
    @route("GET", "/units/{name}", summary="单位（未指明城市：唯一则跳转，否则列出）")
    def unit_anywhere(name: str, ctx: Ctx = Depends()):
        return _one_of(ctx, name, "Unit")

    @route("GET", "/units/{city}/{name:path}", response_class=HTMLResponse, summary="单位")
    @route("GET", "/units/{city}/{name:path}.{fmt:fmt}", summary="单位（孪生：respgraph items --unit）")
    def unit(city: str, name: str, ctx: Ctx = Depends(), fmt: str | None = None):
        guard.unit(ctx, city, name)
        scope = ctx.scope(city=city)
        answer = library.unit(ctx.backend, ctx.store, f"{city}:{name}", scope, keep=guard.visible(ctx))
        bare = answer.extra["name"].split(":")[-1]
        if _wants(ctx.request, fmt) != "html":
            return respond(ctx.request, fmt, answer, "unit.html")
        rows = answer.extra["rows"]
        by_role = {role: [r for r in rows if not r.via and role in r.roles] for role in ("lead", "implement", "assist")}
        by_role["via"] = [r for r in rows if r.via]
        return respond(ctx.request, fmt, answer, "unit.html", sample=ctx.sample, scope=scope, city=city, name=bare,
                       statuses=library.unit_statuses(ctx.store, f"{city}:{bare}", scope), by_role=by_role,
                       **guard.partner_extra(ctx, city, bare, library.unit_extra(ctx.store, f"{city}:{bare}", rows, scope)))

    @route("GET", "/units/{city}/{name:path}/picture", response_class=HTMLResponse, summary="单位关系图")
    def unit_picture(city: str, name: str, ctx: Ctx = Depends()):
        guard.unit(ctx, city, name)
        scope = ctx.scope(city=city)
        answer = library.unit(ctx.backend, ctx.store, f"{city}:{name}", scope, keep=guard.visible(ctx))
        return HTMLResponse(_served_picture(ctx.request, library.unit_picture(ctx.store, answer.extra["name"].split(":")[-1],
                                                                 answer.extra["rows"], scope)))

    @route("GET", "/leaders/{name}", summary="领导（未指明城市：唯一则跳转，否则列出）")
    def leader_anywhere(name: str, ctx: Ctx = Depends()):
        return _one_of(ctx, name, "Leader")

    @route("GET", "/leaders/{city}/{name:path}", response_class=HTMLResponse, summary="领导")
    @route("GET", "/leaders/{city}/{name:path}.{fmt:fmt}", summary="领导（孪生：respgraph portfolio）")
    def leader(city: str, name: str, ctx: Ctx = Depends(), fmt: str | None = None):
        guard.city(ctx, city)
        scope = ctx.scope(city=city)
        answer = library.leader(ctx.store, f"{city}:{name}", scope)
        p = answer.extra["portfolio"]
        today = library.reference_date(ctx.store)
        statuses = {} if _wants(ctx.request, fmt) != "html" else library.leader_statuses(
            ctx.store, f"{city}:{p.leader}", scope)
        soon = library.due_soon(p.items, today, done=frozenset(k for k, s in statuses.items() if s.status == "done"))
        return respond(ctx.request, fmt, answer, "leader.html", sample=ctx.sample, scope=scope, city=city,
                       name=p.leader, p=p, soon=soon, statuses=statuses, today=today, pdf=library.can_print_pdf())

    @route("GET", "/leaders/{city}/{name:path}/picture", response_class=HTMLResponse, summary="领导分管关系图")
    def leader_picture(city: str, name: str, group_by: str = "lead", ctx: Ctx = Depends()):
        guard.city(ctx, city)
        scope = ctx.scope(city=city)
        answer = library.leader(ctx.store, f"{city}:{name}", scope)
        return HTMLResponse(_served_picture(ctx.request, library.leader_picture(
            ctx.store, answer.extra["portfolio"], scope, group_by="category" if group_by == "category" else "lead")))

    @route("GET", "/items/{document:path}/{number}", response_class=HTMLResponse, summary="事项")
    @route("GET", "/items/{document:path}/{number}.{fmt:fmt}", summary="事项（孪生：respgraph item）")
    def item(document: str, number: str, ctx: Ctx = Depends(), fmt: str | None = None):
        guard.item(ctx, document, number)
        answer = library.item(ctx.store, document, number)
        if not guard.named_on(ctx, answer.data["id"]):
            answer = library.without_progress_text(answer)  # another unit's words, on an item not its own
        return respond(ctx.request, fmt, answer, "item.html", sample=ctx.sample, i=answer.extra["item"])

    # --- whole-graph questions --------------------------------------------------------------
    @route("GET", "/workload.{fmt:fmt}", summary="工作量（孪生：respgraph workload）")
    @route("GET", "/workload", response_class=HTMLResponse, summary="工作量")
    def workload(ctx: Ctx = Depends(), by: str = Query("unit", pattern="^(unit|leader|district)$"),
                 kind: str | None = None, fmt: str | None = None):
        scope = ctx.scope()
        if heavy.many_documents(ctx.store, scope):
            answer = run_heavy_here(ctx.request, heavy.workload, scope, by, kind or None,
                                    cli=f"respgraph workload --by {by}")
        else:
            answer = library.workload(ctx.store, scope, by=by, kind=kind or None)
        chart = _lorenz_path(library.lorenz_points(answer.extra["workload"])) \
            if _wants(ctx.request, fmt) == "html" and answer.data else ""
        return respond(ctx.request, fmt, answer, "workload.html", sample=ctx.sample, scope=scope, by=by, kind=kind,
                       w=answer.extra["workload"], rows=answer.extra["rows"], chart=chart,
                       cities=sorted({d["city"] for d in ctx.store.documents()}))

    @route("GET", "/co.{fmt:fmt}", summary="协作（孪生：respgraph co）")
    @route("GET", "/co", response_class=HTMLResponse, summary="协作")
    def co(ctx: Ctx = Depends(), unit: str | None = None, min_shared: int = Query(1, ge=1),
           top: int | None = Query(None, ge=1), fmt: str | None = None):
        scope = ctx.scope()
        if _wants(ctx.request, fmt) == "html" and top is None:
            top = 200  # a page shows the first 200 pairs; the twins hold them all
        guard.named(ctx, unit)
        answer = library.co(ctx.backend, ctx.store, scope, unit=unit or None, min_shared=min_shared, top=top)
        return respond(ctx.request, fmt, answer, "co.html", sample=ctx.sample, scope=scope, unit=unit,
                       min_shared=min_shared)

    @route("GET", "/co/picture", response_class=HTMLResponse, summary="协作网络图")
    async def co_picture(ctx: Ctx = Depends(), min_shared: int = Query(1, ge=1)):
        scope = await _in_thread(ctx.scope)  # the store is read in a thread, never on the event loop
        html = await run_heavy(ctx.request, heavy.co_picture, scope, min_shared, cli="respgraph co --html")
        return HTMLResponse(_served_picture(ctx.request, html))

    @route("GET", "/board.{fmt:fmt}", summary="督办（孪生：respgraph status）")
    @route("GET", "/board", response_class=HTMLResponse, summary="督办")
    def board(ctx: Ctx = Depends(), warning: list[str] = Query([]), fmt: str | None = None,
              issued: str | None = Query(None, max_length=200)):
        scope = ctx.scope()
        answer = library.board(ctx.store, scope, warnings=tuple(w for w in warning if w in WARNING_ZH))
        extra = register_routes.board_register(ctx, issued) if _wants(ctx.request, fmt) == "html" else {}
        return respond(ctx.request, fmt, answer, "board.html", sample=ctx.sample, scope=scope, **answer.extra, **extra)

    @route("GET", "/board/notices.zip", summary="督办通知单草稿（.docx，每个牵头单位一份，文号留空）")
    async def board_notices(ctx: Ctx = Depends()):
        scope = await _in_thread(ctx.scope)
        data = await run_heavy(ctx.request, heavy.notices_zip, scope, cli="respgraph notices --out DIR")
        return _download(data, "督办通知单（草稿）.zip", "application/zip")

    @route("GET", "/board/workbook.xlsx", summary="督办汇总表（.xlsx）")
    async def board_workbook(ctx: Ctx = Depends()):
        scope = await _in_thread(ctx.scope)
        data = await run_heavy(ctx.request, heavy.notices_workbook, scope, cli="respgraph notices --out DIR")
        return _download(data, "督办汇总.xlsx",
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    # --- files ---------------------------------------------------------------------------------
    @route("GET", "/files.{fmt:fmt}", summary="文件（孪生：respgraph documents）")
    @route("GET", "/files", response_class=HTMLResponse, summary="文件")
    def files(ctx: Ctx = Depends(), fmt: str | None = None):
        answer = library.documents(ctx.store, city=ctx.city)
        return respond(ctx.request, fmt, answer, "files.html", sample=ctx.sample, done=flash.notice_of(ctx.request),
                       documents=answer.data, limits=_limits())

    @route("GET", "/diff.{fmt:fmt}", summary="两份文件的差异（孪生：respgraph diff）")
    @route("GET", "/diff", response_class=HTMLResponse, summary="两份文件的差异")
    def diff(a: str, b: str, ctx: Ctx = Depends(), threshold: float = Query(0.6, ge=0, le=1),
             all: bool = False, fmt: str | None = None):
        answer = library.diff(ctx.store, a, b, threshold=threshold, show_all=all,
                              same_body=ctx.backend.aliases().anywhere)
        return respond(ctx.request, fmt, answer, "diff.html", sample=ctx.sample, d=answer.extra["diff"],
                       rows=answer.extra["rows"], a=a, b=b)

    @route("POST", "/files/check.{fmt:fmt}", summary="检查上传的表格（孪生：respgraph check）")
    @route("POST", "/files/check", response_class=HTMLResponse, summary="检查上传的表格（不载入）")
    async def files_check(request: Request, fmt: str | None = None):
        form = await _form(request)
        upload = await _upload(form)
        options = _options(form)
        with _saved(upload) as path:
            try:
                answer = await _in_thread(library.check, request.app.state.backend, path, **options)
            except RespgraphError as exc:
                if _wants(request, fmt) != "html":
                    raise
                return _upload_error(request, exc, form, upload)
        return respond(request, fmt, answer, "check.html", checked=answer.extra["checked"], form=_echo(form),
                       filename=upload[0], content=base64.b64encode(upload[1]).decode("ascii"))

    @route("POST", "/files/load", response_class=HTMLResponse, summary="载入已检查的表格")
    async def files_load(request: Request):
        form = await _form(request)
        upload = await _upload(form)
        with _saved(upload) as path:
            try:
                said = await _in_thread(library.load, request.app.state.backend, path, **_options(form))
            except RespgraphError as exc:
                return _upload_error(request, exc, form, upload)
        await _in_thread(_audit, request, "table.upload", upload[0], "；".join(said))
        return RedirectResponse(flash.notice_url(request, "/files", "loaded", "；".join(said)), 303)

    @route("GET", "/files/remove", response_class=HTMLResponse, summary="移除文件：确认")
    def files_remove_ask(ctx: Ctx = Depends()):
        if not ctx.doc:
            raise HTTPException(400, "请指明要移除的文件（?doc=）")
        preview = library.removal_preview(ctx.backend.store(), ctx.doc)
        return page(ctx.request, "remove.html", preview=preview, docs=ctx.doc)

    @route("POST", "/files/remove", response_class=HTMLResponse, summary="移除文件")
    def files_remove(request: Request, doc: list[str] = Form(...)):
        said = library.remove(request.app.state.backend, doc)
        _audit(request, "table.remove", "、".join(doc), said)
        return RedirectResponse(flash.notice_url(request, "/files", "removed", said), 303)

    @route("POST", "/progress/check", response_class=HTMLResponse, summary="检查进展报告的匹配（不载入）")
    @route("POST", "/progress/check.{fmt:fmt}", summary="检查进展报告的匹配（孪生：respgraph progress check）")
    async def progress_check(request: Request, fmt: str | None = None):
        form = await _form(request)
        upload = await _upload(form)
        backend = request.app.state.backend
        with _saved(upload) as path:
            try:
                answer = await _in_thread(library.progress_check, backend, backend.query_store(), path,
                                          **_progress_options(form))
            except RespgraphError as exc:
                if _wants(request, fmt) != "html":
                    raise
                return _upload_error(request, exc, form, upload, template="files.html")
        return respond(request, fmt, answer, "progress_check.html", form=_echo(form), filename=upload[0],
                       content=base64.b64encode(upload[1]).decode("ascii"))

    @route("POST", "/progress/load", response_class=HTMLResponse, summary="载入已检查的进展报告")
    async def progress_load(request: Request):
        form = await _form(request)
        upload = await _upload(form)
        with _saved(upload) as path:
            try:
                said = await _in_thread(library.progress_load, request.app.state.backend, path,
                                        **_progress_options(form))
            except RespgraphError as exc:
                return _upload_error(request, exc, form, upload, template="files.html")
        await _in_thread(_audit, request, "progress.upload", upload[0], "；".join(said))
        return RedirectResponse(flash.notice_url(request, "/files", "progress", "；".join(said)), 303)

    # --- export --------------------------------------------------------------------------------
    @route("GET", "/export", response_class=HTMLResponse, summary="导出")
    def export(ctx: Ctx = Depends()):
        scope = ctx.scope(latest=False)
        return page(ctx.request, "export.html", sample=ctx.sample, scope=scope,
                    query=ctx.request.url.query)

    @route("GET", "/export/graph.{fmt2}", summary="导出图谱：graphml、gexf、net（Pajek）或 xlsx")
    async def export_file(fmt2: str, ctx: Ctx = Depends()):
        if fmt2 not in heavy.EXPORT_FORMATS:
            raise HTTPException(404, f"没有 {fmt2} 格式：可选 {', '.join(heavy.EXPORT_FORMATS)}")
        scope = await _in_thread(ctx.scope, latest=False)
        data, name = await run_heavy(ctx.request, heavy.export_file, scope, fmt2,
                                     cli=f"respgraph export --format {heavy.EXPORT_FORMATS[fmt2]}")
        return _download(data, name, "application/zip" if name.endswith(".zip") else "application/octet-stream")

    # --- static files and the API description ---------------------------------------------------
    @route("GET", "/static/{path}", include_in_schema=False)
    def static(path: str, request: Request):
        data, media = _static(path)
        etag = f'"{hash(data) & 0xFFFFFFFF:x}"'
        headers = {"Cache-Control": "public, max-age=86400", "ETag": etag}
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers=headers)
        return Response(data, media_type=media, headers=headers)

    @route("GET", "/openapi.json", include_in_schema=False)
    def openapi(request: Request):
        return JSONResponse(request.app.openapi())

    @route("GET", "/api", response_class=HTMLResponse, include_in_schema=False)
    def api(request: Request):
        spec = request.app.openapi()
        paths = [(p, m.upper(), op.get("summary", "")) for p, ops in spec["paths"].items() for m, op in ops.items()]
        return page(request, "api.html", paths=paths)


    from respgraph.web import account_routes, guard  # noqa: F401 - guard is used by the routes above
    from respgraph.web import structure_routes

    account_routes.register(route, page=page, respond=respond, json_response=json_response, ctx=Ctx,
                            download=_download)
    from respgraph.web import brief_routes

    brief_routes.register(route, ctx=Ctx, download=_download)
    register_routes.register(route, respond=respond, ctx=Ctx, download=_download)
    structure_routes.register(route, page=page, respond=respond, ctx=Ctx, wants=_wants)  # issue 30: the 协作 tabs

    # A name may hold a "/" (the routes take the rest of the path), so the more specific
    # forms are tried first: the picture and the files under a name, then a twin, then the page.
    app.router.routes.sort(key=lambda r: 0 if r.path.endswith("/picture") or "{name:path}/" in r.path
                           else 1 if r.path.endswith("{fmt:fmt}") else 2)


# --- helpers of the routes ------------------------------------------------------------------
def _hit_url(h: dict) -> str:
    if h["kind"] == "item":
        return _item_url(h["document"], h["number"])
    return _entity_url(h["kind"], h["city"], h["name"])


def _one_of(ctx: Ctx, name: str, label: str):
    found = library.resolve_all(ctx.store, ctx.backend.name(name), label)
    cities = sorted({n.get("city", "") for n in found})
    kind = "leader" if label == "Leader" else "unit"
    if len(cities) == 1:
        return RedirectResponse(_entity_url(kind, cities[0], found[0]["name"]), 303)
    raise AmbiguousName("单位" if kind == "unit" else "领导", name,
                        [f"{c}:{next(n['name'] for n in found if n.get('city') == c)}" for c in cities])


def _served_picture(request: Request, html: str) -> str:
    """A picture page with vis-network from this server's static files instead of inlined:
    the page stays small and the library is cached once."""
    # Read as viz/template.py reads them (text mode: its line endings), so the inlined copy matches.
    js, css = (_vis_folder() / "vis-network.min.js").read_text("utf-8"), (_vis_folder() / "vis-network.css").read_text("utf-8")
    html = html.replace(f"<script>{js}</script>", '<script src="/static/vis-network.min.js"></script>', 1)
    html = html.replace(f"<style>{css}</style>", '<link rel="stylesheet" href="/static/vis-network.css">', 1)
    # The picture's own set-up script is inline: it runs under the page's nonce, nothing else inline does.
    return re.sub(r"<script(?=[\s>])(?![^>]*\bsrc=)", f'<script nonce="{request.state.nonce}"', html)


@functools.cache
def _static(name: str) -> tuple[bytes, str]:
    media = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
    if name.startswith("vis-network."):
        folder = _vis_folder()
    else:
        folder = HERE / "static"
    path = folder / name
    if not re.fullmatch(r"[\w.-]+", name) or not path.is_file():
        raise HTTPException(404, f"没有静态文件 {name}")
    return path.read_bytes(), media.get(path.suffix, "application/octet-stream")


@functools.cache
def _vis_folder() -> Path:
    """pyvis's copy of vis-network, the one viz/template.py inlines into saved pages."""
    import importlib.util

    from respgraph.viz.template import VIS_VERSION

    spec = importlib.util.find_spec("pyvis")
    return Path(spec.submodule_search_locations[0]) / "lib" / f"vis-{VIS_VERSION}"


def _download(data: bytes, filename: str, media: str) -> Response:
    return Response(data, media_type=media, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"})


def _limits():
    from respgraph.graph.limits import limits

    return limits()


async def _form(request: Request):
    """The form of an upload, refused before it is read when it is larger than a table may be
    (read once, by the rights check, which takes its CSRF token from it)."""
    from respgraph.web.auth import read_form

    return await read_form(request)


def _audit(request: Request, action: str, subject: str, detail: str = "") -> None:
    """Record a write of the graph made through the web (who, when, what, from where)."""
    from respgraph.accounts.audit import record_write
    from respgraph.web.auth import address_of

    user = getattr(request.state, "user", None)
    backend = request.app.state.backend
    if backend.engine == "sqlite" and not backend.settings.graph_file.exists():
        return  # nothing saved, so nothing to record it beside
    record_write(backend.store(), actor=user.login if user else f"({request.state.role})", action=action,
                 subject=subject, detail=detail[:2000], address=address_of(request))


async def _upload(form) -> tuple[str, bytes]:
    """(file name, bytes) of the form's ``file``, or of the ``content`` a check page carried over."""
    limit = _limits().file_mb * 1024 * 1024
    file = form.get("file")
    if isinstance(file, UploadFileTypes) and file.filename:
        data = await file.read(limit + 1)
        name = file.filename
    elif form.get("content"):
        try:
            data = base64.b64decode(form.get("content"), validate=True)
        except (binascii.Error, ValueError):
            raise HTTPException(400, "上传内容已损坏，请重新选择文件") from None
        name = form.get("filename") or "upload"
    else:
        raise HTTPException(400, "请选择要上传的文件")
    try:
        name = safe_file_name(name)
    except ValueError as exc:
        raise HTTPException(400, f"上传的文件名不可用：{exc}") from None
    if len(data) > limit:
        raise HTTPException(413, f"{name}：超过 {_limits().file_mb} MB 的限制（RESPGRAPH_MAX_FILE_MB）")
    return name, data


def _no_server_path(message: str) -> str:
    """A message without the server's temporary upload folder: the upload is named by its own name."""
    return re.sub(re.escape(str(Path(tempfile.gettempdir()) / _UPLOAD_PREFIX)) + r"[^/\\]*[/\\]", "", message)


_UPLOAD_PREFIX = "respgraph-upload-"


class _saved:
    """The upload as a file of its own name in a temporary folder (the loaders read a format by its suffix)."""

    def __init__(self, upload: tuple[str, bytes]):
        self.name, self.data = upload

    def __enter__(self) -> Path:
        self.folder = tempfile.TemporaryDirectory(prefix=_UPLOAD_PREFIX)
        path = Path(self.folder.name) / self.name
        path.write_bytes(self.data)
        return path

    def __exit__(self, *exc):
        self.folder.cleanup()


def _options(form) -> dict:
    from respgraph.loaders.table.columns import parse_mapping

    year = (form.get("year") or "").strip()
    if year and not year.isdigit():
        raise RespgraphError(f"年度 {year!r} 不是数字")
    maps = [m.strip() for m in re.split(r"[\n,，]+", form.get("map") or "") if m.strip()]
    try:
        mapping = parse_mapping(maps) or None
    except ValueError as exc:
        raise RespgraphError(f"列映射：{exc}") from None
    level = (form.get("level") or "").strip() or None
    return {"city": (form.get("city") or "").strip() or None, "year": int(year) if year else None,
            "mapping": mapping, "lead_first": form.get("lead_first", "1") != "0", "level": level}


def _progress_options(form) -> dict:
    as_of = (form.get("as_of") or "").strip()
    year = (form.get("year") or "").strip()
    try:
        when = dt.date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise RespgraphError(f"日期 {as_of!r}：请写成 YYYY-MM-DD") from None
    return {"as_of": when, "doc": (form.get("doc") or "").strip() or None,
            "city": (form.get("city") or "").strip() or None, "year": int(year) if year.isdigit() else None}


def _echo(form) -> dict:
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "content"}


def _upload_error(request: Request, exc: RespgraphError, form, upload, template: str = "files.html"):
    """The CLI's one-line error on the page, with the form still filled."""
    backend = request.app.state.backend
    documents = library.documents(backend.query_store()).data
    return page(request, template, 400, error=_no_server_path(" ".join(str(exc).splitlines())), form=_echo(form),
                filename=upload[0], documents=documents, limits=_limits(), done=None,
                content=base64.b64encode(upload[1]).decode("ascii"), sample=backend.showing_sample())


async def _in_thread(fn, *args, **kwargs):
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(fn, *args, **kwargs)

