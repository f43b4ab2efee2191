"""The notice a page shows after a write ("已添加 …", "已报送 …"): chosen by a key this code knows.

A write redirects to its page with ``?done=KEY`` and, when the notice names what was
done, ``&detail=…&sig=…``: the detail signed with the server's secret.  A page shows
:data:`NOTICES` ``[KEY]`` and a detail only when its signature holds, so a link made
elsewhere (``/files?done=请致电…``) shows nothing: no text from the URL is ever the
page's own word.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlencode

from fastapi import Request

__all__ = ["NOTICES", "notice_url", "notice_of"]

#: Every notice a page may show, by key; ``{}`` is the signed detail.
NOTICES = {
    "loaded": "已载入：{}",
    "removed": "已移除：{}",
    "progress": "已载入进展：{}",
    "password": "密码已修改；其他已登录的浏览器需重新登录",
    "reported": "已报送：{}",
    "returned": "已退回 {} 的报送",
    "implementers": "{}",
    "added": "已添加 {}",
    "disabled": "已停用 {}",
    "enabled": "已启用 {}",
    "passwd": "已重设 {} 的密码",
}


def _signature(request: Request, key: str, detail: str) -> str:
    auth = request.app.state.auth
    auth.signer()  # makes the server's secret when it is missing
    secret = hashlib.sha256(b"respgraph notice|" + auth._secret).digest()
    return hmac.new(secret, f"{key}\n{detail}".encode(), hashlib.sha256).hexdigest()[:32]


def notice_url(request: Request, path: str, key: str, detail: str = "", **params) -> str:
    """``path`` with the notice ``key`` (and its signed ``detail``) and ``params`` in its query."""
    if key not in NOTICES:
        raise KeyError(f"no notice {key!r}")
    query = {**{k: v for k, v in params.items() if v is not None}, "done": key}
    if detail:
        query |= {"detail": detail[:1000], "sig": _signature(request, key, detail[:1000])}
    return f"{path}?{urlencode(query)}"


def notice_of(request: Request) -> str | None:
    """The notice the page's query names, or None (an unknown key, a detail whose signature fails)."""
    key = request.query_params.get("done") or ""
    if key not in NOTICES:
        return None
    detail = request.query_params.get("detail") or ""
    if "{}" not in NOTICES[key]:
        return NOTICES[key]
    if not detail or not hmac.compare_digest(_signature(request, key, detail), request.query_params.get("sig") or ""):
        return None
    return NOTICES[key].format(detail)
