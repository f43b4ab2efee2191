"""The leader page's downloads (the meeting brief as .docx or .pdf, its table as .xlsx or .csv with
Chinese headers) and the pictures the unit and leader pages print (PNG, as ``--png`` draws them).

The same functions as ``respgraph portfolio LEADER --brief --out FILE`` and ``--png``; the rights
table (:mod:`respgraph.web.rights`) says who may call each, :mod:`respgraph.web.guard` narrows a
leader to its city and a unit to the units beside it.
"""

from __future__ import annotations

from fastapi import Depends, HTTPException
from fastapi.responses import Response

__all__ = ["register", "MEDIA"]

MEDIA = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "csv": "text/csv; charset=utf-8"}


def register(route, *, ctx, download) -> None:
    """Add the routes through the application's ``route`` (which skips writes on a read-only server)."""
    from respgraph.web import guard, library

    @route("GET", "/leaders/{city}/{name:path}/brief.{ext}", summary="领导会议简报（docx、pdf）及分管事项表（xlsx、csv）")
    def leader_brief(city: str, name: str, ext: str, group_by: str = "lead", c=Depends(ctx)):
        if ext not in MEDIA:
            raise HTTPException(404, f"没有 .{ext} 格式：可选 {'、'.join(MEDIA)}")
        guard.city(c, city)
        scope = c.scope(city=city)
        brief, data = library.leader_brief(c.store, f"{city}:{name}", scope, ext,
                                           group_by="category" if group_by == "category" else "lead")
        stem = f"{brief.leader}分管事项" if ext in ("xlsx", "csv") else f"{brief.leader}会议简报"
        return download(data, f"{stem}（截至{brief.as_of.isoformat()}）.{ext}", MEDIA[ext])

    @route("GET", "/leaders/{city}/{name:path}/picture.png", summary="领导分管关系图（PNG，供打印）")
    def leader_picture_png(city: str, name: str, group_by: str = "lead", c=Depends(ctx)):
        guard.city(c, city)
        scope = c.scope(city=city)
        answer = library.leader(c.store, f"{city}:{name}", scope)
        return _png(library.leader_picture_png(c.store, answer.extra["portfolio"], scope,
                                               group_by="category" if group_by == "category" else "lead"))

    @route("GET", "/units/{city}/{name:path}/picture.png", summary="单位关系图（PNG，供打印）")
    def unit_picture_png(city: str, name: str, c=Depends(ctx)):
        guard.unit(c, city, name)
        scope = c.scope(city=city)
        answer = library.unit(c.backend, c.store, f"{city}:{name}", scope)
        return _png(library.unit_picture_png(c.store, answer.extra["name"].split(":")[-1], answer.extra["rows"],
                                             scope))


def _png(data: bytes) -> Response:
    return Response(data, media_type="image/png")
