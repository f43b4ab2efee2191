"""The layer in front of the application: what a request may send is decided before its body is read.

A pure ASGI layer (no framework under it has run yet), in this order:

1. **Host.** A ``Host`` that is not one of the server's names (``--allowed-host``; by
   default the bound address and the localhost names) is 400 before routing: a page of
   another site that rebinds its name to this server's address gets nothing.
2. **Rights, from the headers.** For a request with a body (a POST), the route's roles,
   the CSRF cookie (and the token, when a script sends it as ``X-CSRF-Token``), and where
   it comes from (``Sec-Fetch-Site``, an ``Origin`` among the allowed names) are asked of
   :func:`respgraph.web.rights.admit` with the route's action, the one rule the route's own
   dependency asks too.  A refusal is sent at once: not one byte of the body is read.
3. **Size, while it streams.** ``Content-Length`` past the route's limit is 413 at once;
   a chunked body is counted as it arrives and stopped at the limit, with its fields
   (url-encoded) or parts (multipart) counted too.  The body is kept in a spooled file
   (memory up to 1 MB, then the temporary disk) and handed on whole.

Limits: an upload route takes a table (twice ``RESPGRAPH_MAX_FILE_MB``, for a check page
that carries the file over in base64), every other form ``RESPGRAPH_MAX_FORM_KB``; both
``RESPGRAPH_MAX_FORM_FIELDS`` fields or parts.

>>> host_name("Example.ORG:8000"), host_name("[::1]:8000"), host_name("127.0.0.1")
('example.org', '::1', '127.0.0.1')
>>> sorted(default_hosts("127.0.0.1"))
['127.0.0.1', '::1', 'localhost']
"""

from __future__ import annotations

import html
import json
import secrets
import tempfile

from starlette.datastructures import Headers

__all__ = ["Shield", "default_hosts", "host_name", "UPLOAD_ROUTES", "CLIENT_RECEIVE"]

#: The routes whose body is a table (or a progress report): bounded by the loaders' file limit.
UPLOAD_ROUTES = frozenset(
    {
        "/files/check",
        "/files/check.{fmt:fmt}",
        "/files/load",
        "/progress/check",
        "/progress/check.{fmt:fmt}",
        "/progress/load",
    }
)
#: The scope's key of the server's own ``receive`` for a request without a body: a long answer
#: waits on it to learn at once that its client has gone (the framework's wrappers hide it).
CLIENT_RECEIVE = "respgraph.client_receive"
LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
_SPOOL = 1024 * 1024  # what a body may hold in memory before it goes to the temporary disk
_CHUNK = 64 * 1024


def host_name(value: str) -> str:
    """The name of a ``Host`` header or an ``Origin``'s host: lower case, without port or brackets."""
    value = value.strip().lower().rstrip(".")
    if value.startswith("["):
        return value[1:].partition("]")[0]
    if value.count(":") == 1:
        value = value.partition(":")[0]
    return value.rstrip(".")


def default_hosts(bound: str) -> frozenset[str]:
    """The names a server bound to ``bound`` answers to unless told others: the address itself and
    localhost; bound to every address (0.0.0.0, ::), also this machine's names and their addresses."""
    names = set(LOCAL_NAMES) | {host_name(bound)}
    if bound in ("0.0.0.0", "::", ""):
        import socket

        names -= {"0.0.0.0", "::", ""}
        for name in {socket.gethostname(), socket.getfqdn()}:
            names.add(name.lower())
            try:
                names |= {str(info[4][0]) for info in socket.getaddrinfo(name, None)}
            except OSError:
                pass  # a name that does not resolve adds only itself
    return frozenset(names)


class Shield:
    """The ASGI layer; ``hosts`` None checks no ``Host`` (an application built for tests or embedding)."""

    def __init__(self, app, hosts: frozenset[str] | None = None):
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = Headers(scope=scope)
        if self.hosts is not None:
            host = host_name(headers.get("host", ""))
            if host not in self.hosts:
                return await _refuse(
                    scope,
                    send,
                    400,
                    f"本服务不以“{host or '（空）'}”为名（主机名须为 "
                    f"{'、'.join(sorted(self.hosts))} 之一；用 --allowed-host 添加）",
                )
            origin = headers.get("origin")
            if (
                scope["method"] == "POST"
                and origin
                and origin != "null"
                and host_name(origin.split("://", 1)[-1]) not in self.hosts
            ):
                return await _refuse(scope, send, 403, f"写入须来自本服务的页面，而不是 {origin}")
        if scope["method"] in ("GET", "HEAD", "OPTIONS"):
            scope[CLIENT_RECEIVE] = receive
            return await self.app(scope, receive, send)  # no route reads the body of these
        route = _route_of(scope)
        if route is None:  # no such route (404, 405): it reads no body
            return await self.app(scope, _empty, send)
        path = route.path
        try:
            await _admit(scope, route)
        except _Refused as exc:
            return await _refuse(scope, send, exc.status, exc.message)
        except Exception:  # noqa: BLE001 - the application meets the same fault and shows it as it does
            return await self.app(scope, _empty, send)
        body = await _bounded_body(scope, headers, receive, path)
        if isinstance(body, _Refused):
            return await _refuse(scope, send, body.status, body.message)
        if body is None:
            return None  # the client left before its body was whole
        await self.app(scope, _replay(body, receive), send)


class _Refused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def _route_of(scope):
    from starlette.routing import Match

    for route in scope["app"].router.routes:
        match, _ = route.matches(scope)
        if match == Match.FULL:
            return route
    return None


async def _admit(scope, route) -> None:
    """The route's action and the CSRF and origin checks, asked from the headers (in a thread: the
    session is looked up in the store)."""
    from fastapi import HTTPException
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request

    from respgraph.web.rights import action_of, admit

    try:
        await run_in_threadpool(admit, Request(scope), action_of(route))
    except HTTPException as exc:
        raise _Refused(exc.status_code, str(exc.detail)) from None


def _body_limit(path: str) -> int:
    from respgraph.graph.limits import limits
    from respgraph.web.serve_limits import serve_limits

    if path in UPLOAD_ROUTES:
        return limits().file_mb * 2 * 1024 * 1024 + 1024 * 1024  # the file, or its base64 carried over
    return serve_limits().form_kb * 1024


def _too_big(path: str, size: int | None = None) -> _Refused:
    from respgraph.graph.limits import limits
    from respgraph.web.serve_limits import serve_limits

    if path in UPLOAD_ROUTES:
        return _Refused(413, f"上传过大：超过 {limits().file_mb} MB 的限制（RESPGRAPH_MAX_FILE_MB）")
    said = f"{size / 1024:.0f} KB，" if size else ""
    return _Refused(413, f"表单过大：{said}超过 {serve_limits().form_kb} KB 的限制（RESPGRAPH_MAX_FORM_KB）")


class _Fields:
    """Counts the fields of a url-encoded body, or the parts of a multipart one, as its chunks arrive."""

    def __init__(self, content_type: str):
        kind, _, params = content_type.partition(";")
        self.mark: bytes | None = None
        if kind.strip().lower() == "application/x-www-form-urlencoded":
            self.mark = b"&"
        elif kind.strip().lower() == "multipart/form-data":
            for param in params.split(";"):
                key, _, value = param.strip().partition("=")
                if key.lower() == "boundary" and value:
                    self.mark = b"--" + value.strip('"').encode("latin-1", "replace")
        self.count = 1 if self.mark == b"&" else 0
        self.tail = b""

    def feed(self, chunk: bytes) -> int:
        if self.mark is None:
            return 0
        data = self.tail + chunk
        self.count += data.count(self.mark) + (data.count(b";") if self.mark == b"&" else 0)
        keep = len(self.mark) - 1  # a mark split between two chunks is counted once, in the second
        self.tail = data[-keep:] if keep else b""
        return self.count


async def _bounded_body(scope, headers: Headers, receive, path: str):
    """The whole body in a spooled file (and its size), or the refusal (413) the moment it goes past a limit;
    None when the client leaves first."""
    from respgraph.web.serve_limits import serve_limits

    limit = _body_limit(path)
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return _too_big(path, int(declared))
    max_fields = serve_limits().form_fields
    fields = _Fields(headers.get("content-type", ""))
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL, prefix="respgraph-body-")
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            spool.close()
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            spool.close()
            return _too_big(path)
        if fields.feed(chunk) > max_fields + 1:  # a multipart body's closing mark is one more
            spool.close()
            return _Refused(413, f"表单字段过多：超过 {max_fields} 个（RESPGRAPH_MAX_FORM_FIELDS）")
        spool.write(chunk)
        if not message.get("more_body", False):
            break
    spool.seek(0)
    return spool, size


def _replay(body, receive):
    """The body again, in chunks, to the application; after it, the client's own messages (its leaving)."""
    spool, size = body
    done = False

    async def replayed():
        nonlocal done
        if done:
            return await receive()
        chunk = spool.read(_CHUNK)
        more = spool.tell() < size
        if not more:
            done = True
            spool.close()
        return {"type": "http.request", "body": chunk, "more_body": more}

    return replayed


async def _empty():
    return {"type": "http.request", "body": b"", "more_body": False}


async def _refuse(scope, send, status: int, message: str) -> None:
    """A refusal as the application would give it: JSON for a twin or a script, else a short page."""
    from respgraph.web.auth import SECURITY_HEADERS, csp

    headers = Headers(scope=scope)
    accept = headers.get("accept", "")
    if scope["path"].endswith((".json", ".csv")) or ("application/json" in accept and "text/html" not in accept):
        body, kind = json.dumps({"error": message}, ensure_ascii=False).encode() + b"\n", "application/json"
    else:
        title = {400: "无法打开", 401: "请先登录", 403: "无权访问", 413: "内容过大"}.get(status, "无法打开")
        login = '<p><a href="/login">登录</a></p>' if status == 401 else ""
        body = (
            f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title></head>'
            f'<body><h1>{title}</h1><p>{html.escape(message)}</p>{login}<p><a href="/">返回首页</a></p>'
            "</body></html>\n"
        ).encode()
        kind = "text/html; charset=utf-8"
    raw = [
        (b"content-type", kind.encode()),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
        (b"cache-control", b"no-store"),
        (b"content-security-policy", csp(secrets.token_urlsafe(16)).encode()),
    ]
    raw += [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
