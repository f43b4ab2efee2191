"""The audit log: the office reads it, and downloads it as CSV (``respgraph audit --format csv``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from respgraph.accounts import audit as audit_log
from respgraph.web.contexts import AuditPage
from respgraph.web.deps import StoreDep
from respgraph.web.render import download, page
from respgraph.web.rights import requires

__all__ = ["router"]

router = APIRouter(dependencies=[requires("audit")])
#: The newest entries a page shows; the CSV holds them all.
SHOWN = 1000


@router.get("/audit", response_class=HTMLResponse, summary="审计日志（督查室）")
def audit_page(request: Request, store: StoreDep, action: Annotated[str | None, Query(max_length=50)] = None):
    entries = audit_log.audit_log(store, None, action=action or None)
    return page(request, AuditPage(entries=list(reversed(entries))[:SHOWN], total=len(entries)))


@router.get("/audit.csv", summary="导出审计日志（CSV）")
def audit_csv(store: StoreDep):
    text = audit_log.export_audit(audit_log.audit_log(store, None), "csv")
    return download(("\ufeff" + text).encode("utf-8"), "审计日志.csv", "text/csv; charset=utf-8")
