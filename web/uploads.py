"""An upload as the loaders read it: the form's file (or the copy a check page carried over), a file of
its own name in a temporary folder, the form's options, and the write recorded in the audit log."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
import tempfile
from pathlib import Path

from fastapi import HTTPException, Request
from starlette.datastructures import UploadFile as UploadFileTypes  # what a form holds (FastAPI's is a subclass)

from respgraph.graph.errors import RespgraphError
from respgraph.graph.safe_text import safe_file_name

__all__ = ["read_upload", "saved", "table_options", "progress_options", "echo", "no_server_path", "audit", "limits"]

_UPLOAD_PREFIX = "respgraph-upload-"


def limits():
    from respgraph.graph.limits import limits as current

    return current()


async def read_upload(form) -> tuple[str, bytes]:
    """(file name, bytes) of the form's ``file``, or of the ``content`` a check page carried over."""
    limit = limits().file_mb * 1024 * 1024
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
        raise HTTPException(413, f"{name}：超过 {limits().file_mb} MB 的限制（RESPGRAPH_MAX_FILE_MB）")
    return name, data


def no_server_path(message: str) -> str:
    """A message without the server's temporary upload folder: the upload is named by its own name."""
    return re.sub(re.escape(str(Path(tempfile.gettempdir()) / _UPLOAD_PREFIX)) + r"[^/\\]*[/\\]", "", message)


class saved:  # noqa: N801 - used as a ``with`` block, like open()
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


def table_options(form) -> dict:
    """What the upload form says of a table: city, year, column mapping, lead-first, level."""
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
    return {
        "city": (form.get("city") or "").strip() or None,
        "year": int(year) if year else None,
        "mapping": mapping,
        "lead_first": form.get("lead_first", "1") != "0",
        "level": level,
    }


def progress_options(form) -> dict:
    """What the upload form says of a progress report: its date, the table it reports on, city, year."""
    as_of = (form.get("as_of") or "").strip()
    year = (form.get("year") or "").strip()
    try:
        when = dt.date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise RespgraphError(f"日期 {as_of!r}：请写成 YYYY-MM-DD") from None
    return {
        "as_of": when,
        "doc": (form.get("doc") or "").strip() or None,
        "city": (form.get("city") or "").strip() or None,
        "year": int(year) if year.isdigit() else None,
    }


def echo(form) -> dict:
    """The form's fields to fill it again (not the carried-over file)."""
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "content"}


def audit(request: Request, action: str, subject: str, detail: str = "") -> None:
    """Record a write of the graph made through the web (who, when, what, from where)."""
    from respgraph.accounts.audit import record_write
    from respgraph.web.auth import address_of

    user = getattr(request.state, "user", None)
    backend = request.app.state.backend
    if backend.engine == "sqlite" and not backend.settings.graph_file.exists():
        return  # nothing saved, so nothing to record it beside
    record_write(
        backend.store(),
        actor=user.login if user else f"({request.state.role})",
        action=action,
        subject=subject,
        detail=detail[:2000],
        address=address_of(request),
    )
