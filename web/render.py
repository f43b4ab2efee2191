"""One renderer: a page from its typed context (:mod:`respgraph.web.contexts`), its ``.json`` twin
(exactly the CLI's ``--format json``) or its ``.csv``; and the links, downloads and static files pages use.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.convertors import Convertor, register_url_convertor

from respgraph.graph import i18n
from respgraph.graph.labels import (
    ACCOUNT_ROLE_ZH,
    KIND_ZH,
    ROLE_ZH,
    STATUS_ZH,
    UNIT_KIND_ZH,
    WARNING_ZH,
    audit_action,
    progress_note,
)
from respgraph.graph.local_time import local_time
from respgraph.graph.notes import NOTE_KIND_ZH
from respgraph.graph.vocabulary import LABEL_ZH
from respgraph.web import library
from respgraph.web.contexts import UNSET, PageContext

__all__ = [
    "templates",
    "page",
    "respond",
    "json_response",
    "wants",
    "twin",
    "download",
    "entity_url",
    "item_url",
    "entity_link",
    "hit_url",
    "served_picture",
    "static_file",
    "Frame",
    "language",
]

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
def templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Messages of the catalogue in the request's language (graph.i18n; the middleware and page() set it).
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True, pgettext=i18n.pgettext)  # type: ignore[attr-defined]  # added by the extension
    env.filters["local_time"] = local_time
    env.filters["doc_label"] = _doc_label
    env.globals.update(audit_action=audit_action, progress_note=progress_note)
    env.filters["q"] = lambda value: quote(str(value), safe="")
    env.filters["note_zh"] = _note_zh
    env.filters["why_zh"] = _why_zh
    # The labels of codes come from the library's one table, as the notices' and the report's do.
    env.globals.update(
        ROLE_ZH=ROLE_ZH,
        ROLE_NAME=ACCOUNT_ROLE_ZH,
        STATUS_ZH=STATUS_ZH,
        WARNING_ZH=WARNING_ZH,
        KIND_ZH=KIND_ZH,
        UNIT_KIND_ZH=UNIT_KIND_ZH,
        NOTE_KIND_ZH=NOTE_KIND_ZH,
        LABEL_ZH=LABEL_ZH,
        entity_url=entity_url,
        item_url=item_url,
    )
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


def wants(request: Request, fmt: str | None) -> str:
    """What the client asked for: the twin's suffix, else what its ``Accept`` prefers (a page by default)."""
    if fmt:
        return fmt
    accept = request.headers.get("accept", "")
    if "application/json" in accept and "text/html" not in accept:
        return "json"
    if "text/csv" in accept and "text/html" not in accept:
        return "csv"
    return "html"


def twin(request: Request, fmt: str) -> str:
    """The URL of this page's ``.json`` or ``.csv`` twin, with its query string."""
    path = "/index" if request.url.path == "/" else request.url.path
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{path}.{fmt}{query}"


def _url(path: str, **params) -> str:
    kept = {k: v for k, v in params.items() if v not in (None, "")}
    return path + ("?" + urlencode(kept) if kept else "")


@dataclass(kw_only=True)
class Frame:
    """What the frame of every page (``base.html``) reads, beside the page's own context: who
    is reading, the form token, the script nonce, whether it may write; made here, never by a route."""

    request: Request
    lang: str
    user: Any
    role: str
    csrf: str
    nonce: str
    accounts: bool
    writable: bool
    engine: str
    twin: Callable[[str], str]
    url: Callable[..., str]


def _frame(request: Request) -> Frame:
    role = getattr(request.state, "role", "")
    backend = request.app.state.backend
    return Frame(
        request=request,
        lang=i18n.current.get(),
        user=getattr(request.state, "user", None),
        role=role,
        csrf=request.app.state.auth.csrf_token(request),
        nonce=getattr(request.state, "nonce", ""),
        accounts=role in ("office", "leader", "unit", "viewer"),
        writable=not backend.read_only and role == "office",
        engine=backend.engine,
        twin=lambda fmt: twin(request, fmt),
        url=_url,
    )


def _values(obj) -> dict:
    # Shallow (not dataclasses.asdict, which copies every row); an UNSET field stays undefined for the
    # template, whose ``is defined`` and ``default`` tell it apart from None.
    return {f.name: getattr(obj, f.name) for f in fields(obj) if getattr(obj, f.name) is not UNSET}


def language(request: Request) -> str:
    """The reader's language: their ``lang`` cookie, else their browser's, else Chinese (graph.i18n)."""
    return i18n.for_request(request.cookies.get("lang"), request.headers.get("accept-language"))


def page(request: Request, context: PageContext, status: int = 200) -> HTMLResponse:
    """The page of ``context`` (its template is the context's own), in the reader's language."""
    with i18n.use(language(request)):
        html = templates().get_template(context.TEMPLATE).render(**_values(_frame(request)), **_values(context))
    return HTMLResponse(html, status_code=status)


def json_response(data, status: int = 200) -> Response:
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2) + "\n", status_code=status, media_type="application/json"
    )


def respond(request: Request, fmt: str | None, context: PageContext) -> Response:
    """The page, the JSON (exactly the CLI's ``--format json``) or the CSV of the context's answer."""
    answer = context.answer
    wanted = wants(request, fmt)
    if wanted == "json":
        return json_response(answer.data)
    if wanted == "csv":
        if answer.flat is None:
            raise HTTPException(404, "this page has no table")
        return Response(library.csv_bytes(answer.flat), media_type="text/csv; charset=utf-8")
    response = page(request, context)
    response.headers["Link"] = (
        f'<{quote(twin(request, "json"), safe="/?=&%.:")}>; rel="alternate"; type="application/json"'
    )
    return response


def download(data: bytes, filename: str, media: str) -> Response:
    return Response(
        data, media_type=media, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"}
    )


# --- links ----------------------------------------------------------------------------------------
def _seg(text: str) -> str:
    """One path segment as a readable link: Chinese stays Chinese (the browser encodes it),
    what would end or split the segment is percent-encoded."""
    return "".join(quote(c, safe="") if c in "/?#%\\\"'<>&+" or ord(c) <= 32 else c for c in text)


def entity_link(kind: str, qualified: str) -> dict:
    city, _, name = qualified.partition(":")
    if not name:
        city, name = "", qualified
    base = "/leaders" if kind == "leader" else "/units"
    return {"text": qualified, "url": f"{base}/{_seg(city)}/{_seg(name)}" if city else f"{base}/{_seg(name)}"}


def entity_url(kind: str, city: str, name: str) -> str:
    return f"/{'leaders' if kind == 'leader' else 'units'}/{_seg(city)}/{_seg(name)}"


def item_url(document: str, number: str) -> str:
    return f"/items/{'/'.join(_seg(p) for p in document.removeprefix('doc:').split('/'))}/{_seg(number)}"


def hit_url(hit: dict) -> str:
    if hit["kind"] == "item":
        return item_url(hit["document"], hit["number"])
    return entity_url(hit["kind"], hit["city"], hit["name"])


# --- pictures and static files ------------------------------------------------------------------------
def served_picture(request: Request, html: str) -> str:
    """A picture page with vis-network from this server's static files instead of inlined:
    the page stays small and the library is cached once."""
    # Read as viz/template.py reads them (text mode: its line endings), so the inlined copy matches.
    js = (_vis_folder() / "vis-network.min.js").read_text("utf-8")
    css = (_vis_folder() / "vis-network.css").read_text("utf-8")
    html = html.replace(f"<script>{js}</script>", '<script src="/static/vis-network.min.js"></script>', 1)
    html = html.replace(f"<style>{css}</style>", '<link rel="stylesheet" href="/static/vis-network.css">', 1)
    # The picture's own set-up script is inline: it runs under the page's nonce, nothing else inline does.
    return re.sub(r"<script(?=[\s>])(?![^>]*\bsrc=)", f'<script nonce="{request.state.nonce}"', html)


@functools.cache
def static_file(name: str) -> tuple[bytes, str]:
    media = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
    folder = _vis_folder() if name.startswith("vis-network.") else HERE / "static"
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
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("pyvis is not installed", name="pyvis")
    return Path(spec.submodule_search_locations[0]) / "lib" / f"vis-{VIS_VERSION}"
