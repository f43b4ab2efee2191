"""The heavy answers of the web, each a job :func:`respgraph.web.budget.run_heavy` runs in a child process.

Each takes the child's own backend and store first, then what the route decided (its scope,
already narrowed to what the user may read), and returns what the route sends: bytes or a
page's HTML.  The budget's forkserver imports this module, and what the jobs draw with,
before it forks a child (:data:`respgraph.web.budget.PRELOAD`).
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from respgraph.web import library

__all__ = [
    "export_file",
    "notices_zip",
    "notices_workbook",
    "issued_zip",
    "bulletin_file",
    "co_picture",
    "workload",
    "many_documents",
]

#: More documents than this make a workload heavy (a city's year has one to three; a province's years, hundreds).
MANY_DOCUMENTS = 10

#: The formats of /export/graph.FMT and the writer's name of each.
EXPORT_FORMATS = {"graphml": "graphml", "gexf": "gexf", "net": "pajek", "xlsx": "xlsx"}


def _zip(paths) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for path in paths:
            z.write(path, path.name)
    return buffer.getvalue()


def export_file(backend, store, scope: library.Scope, fmt: str) -> tuple[bytes, str]:
    """``respgraph export`` of the scope: (the bytes, the file name); two files come zipped."""
    with tempfile.TemporaryDirectory(prefix="respgraph-") as folder:
        out = Path(folder) / f"respgraph.{fmt}"
        written = library.export_bytes(backend, store, scope, EXPORT_FORMATS[fmt], out)
        if len(written) > 1:  # the graph and its co-responsibility network beside it
            return _zip(written), f"respgraph-{fmt}.zip"
        return written[0].read_bytes(), out.name


def notices_zip(backend, store, scope: library.Scope) -> bytes:
    """The 督办通知单 of the scope, one .docx per lead unit, zipped."""
    with tempfile.TemporaryDirectory(prefix="respgraph-") as folder:
        written = library.notices(store, scope, Path(folder))
        return _zip(p for p in written if p.suffix == ".docx")


def notices_workbook(backend, store, scope: library.Scope) -> bytes:
    """督办汇总.xlsx of the scope."""
    with tempfile.TemporaryDirectory(prefix="respgraph-") as folder:
        written = library.notices(store, scope, Path(folder))
        return next(p for p in written if p.suffix == ".xlsx").read_bytes()


def issued_zip(backend, store, key: str) -> tuple[bytes, str]:
    """An issued batch of notices written again with its own numbers, zipped: (the bytes, the file name).
    The route has checked that the user may see the batch."""
    with tempfile.TemporaryDirectory(prefix="respgraph-") as folder:
        batch, written = library.issued_notices(store, key, Path(folder), may_see=lambda b: True)
        return _zip(
            p for p in written if p.suffix == ".docx"
        ), f"督办通知单_{batch.prefix}{batch.first}-{batch.last}号.zip"


def bulletin_file(backend, store, scope: library.Scope, quarter: int | None, batch, which: int) -> tuple[bytes, str]:
    """The 督查通报 (``which`` 0) or its scorecard workbook (1) of the scope: (the bytes, the file name)."""
    with tempfile.TemporaryDirectory(prefix="respgraph-") as folder:
        written = library.bulletin_files(backend, store, scope, Path(folder), quarter=quarter, batch=batch)[which]
        return written.read_bytes(), written.name


def co_picture(backend, store, scope: library.Scope, min_shared: int) -> str:
    """The co-responsibility network of the scope, as a page."""
    return library.co_picture(store, scope, min_shared=min_shared)


def many_documents(store, scope: library.Scope) -> bool:
    """Whether a question over ``scope`` reads so many documents that it runs on a budget."""
    count = len(scope.documents) if scope.documents is not None else len(store.documents())
    return count > MANY_DOCUMENTS


def workload(backend, store, scope: library.Scope, by: str, kind: str | None) -> library.Answer:
    """``respgraph workload`` of the scope, as the page shows it."""
    return library.workload(store, scope, by=by, kind=kind)
