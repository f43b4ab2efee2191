"""What a leader or a unit may open, past the route's action: 404 for the rest.

A 404 and not a 403: a unit asking for another unit's item learns nothing, not
even that the item exists (the item's JSON twin answers the same).  A route names
these as dependencies (``dependencies=[Depends(guard.unit_page)]``): they read the
page's own path parameters, and :func:`respgraph.accounts.rights.may` (a leader's
city) and :func:`~respgraph.accounts.rights.visible_items` (a unit's items) decide.
"""

from __future__ import annotations

from fastapi import HTTPException

from respgraph.accounts.model import Role
from respgraph.accounts.rights import may
from respgraph.web.deps import Ctx

__all__ = [
    "item_page",
    "unit_page",
    "city_page",
    "named_unit",
    "shown",
    "visible",
    "named_on",
    "partner_extra",
    "NOT_FOUND",
]

NOT_FOUND = "没有这一页，或无权查看"


def _role(ctx) -> Role | None:
    return ctx.user.role if ctx.user is not None else None


def city_page(city: str, ctx: Ctx) -> None:
    """A page of ``city`` (a leader's, or a unit's of a leader): a leader reads its own city only."""
    _city(ctx, city)


def unit_page(city: str, name: str, ctx: Ctx) -> None:
    _unit(ctx, city, name)


def item_page(document: str, number: str, ctx: Ctx) -> None:
    _item(ctx, document, number)


def named_unit(ctx: Ctx, unit: str | None = None) -> None:
    """A unit a leader asks about (``?unit=茂名市:市财政局``) names its own city or none."""
    _named(ctx, unit)


def _visible(ctx):
    found = getattr(ctx.request.state, "visible", None)
    if found is None:
        from respgraph.accounts.rights import visible_items

        found = ctx.request.state.visible = visible_items(ctx.store, ctx.user)
    return found


def _city(ctx, name: str) -> None:
    if not may(ctx.who, "read", name):
        raise HTTPException(404, NOT_FOUND)


def _item(ctx, document: str, number: str) -> None:
    """A unit opens the items it may see, a leader those of its city."""
    if _role(ctx) not in (Role.UNIT, Role.LEADER):
        return
    from respgraph.graph.errors import RespgraphError
    from respgraph.queries.lookup import find_document

    try:
        key = find_document(ctx.store.documents(), document)
    except RespgraphError:
        raise HTTPException(404, NOT_FOUND) from None  # no list of the documents it cannot see
    if f"item:{key.removeprefix('doc:')}/{number.strip()}" not in _visible(ctx):
        raise HTTPException(404, NOT_FOUND)


def _unit(ctx, city_name: str, name: str) -> None:
    """A unit opens its own page and those of the units named beside it; a leader the units of its city."""
    role = _role(ctx)
    if role == Role.LEADER:
        _city(ctx, city_name)
        return
    if role != Role.UNIT:
        return
    wanted = ctx.backend.name(name) if hasattr(ctx.backend, "name") else name
    beside = _beside(ctx)
    if (city_name, wanted) not in beside and (city_name, name) not in beside:
        raise HTTPException(404, NOT_FOUND)


def _beside(ctx) -> set[tuple[str, str]]:
    """(city, name) of the unit itself and the units named beside it on its own items."""
    from respgraph.accounts.rights import own_items

    own = own_items(ctx.store, ctx.user.bound) if ctx.user.bound else set()
    return {(r["city"], r["name"]) for r in ctx.store.roles(items=sorted(own)) if r["label"] == "Unit"}


def _named(ctx, raw: str | None) -> None:
    if _role(ctx) != Role.LEADER or not raw:
        return
    from respgraph.queries.lookup import split_qualified

    _city(ctx, split_qualified(raw)[0] or ctx.user.city)


def shown(ctx):
    """What a search may list to this reader: a hit → whether the reader may open it.

    Everything for the office and viewers; a leader's own city; a unit the items it may
    see and the units named beside it (the very pages :func:`item_page` and :func:`unit_page` open)."""
    role = _role(ctx)
    if role == Role.LEADER:
        return lambda hit: hit.get("city") == ctx.user.city
    if role != Role.UNIT:
        return None
    beside = _beside(ctx)
    visible = _visible(ctx)

    def keep(hit: dict) -> bool:
        if hit["kind"] == "item":
            return f"item:{hit['document'].removeprefix('doc:')}/{hit['number']}" in visible
        return hit["kind"] == "unit" and (hit.get("city"), hit.get("name")) in beside

    return keep


def visible(ctx):
    """The items a unit may see (:func:`~respgraph.accounts.rights.visible_items`), None for the
    other roles: a page of a unit named beside it lists only these of that unit's items."""
    return _visible(ctx) if _role(ctx) == Role.UNIT else None


def named_on(ctx, item_key: str) -> bool:
    """Whether the reader may read the units' own words on an item (what was done, what is in
    the way): everyone but a unit, and a unit on the items it is named on."""
    if _role(ctx) != Role.UNIT:
        return True
    from respgraph.accounts.rights import own_items

    found = getattr(ctx.request.state, "own", None)
    if found is None:
        found = ctx.request.state.own = own_items(ctx.store, ctx.user.bound) if ctx.user.bound else set()
    return item_key in found


def partner_extra(ctx, city_name: str, name: str, extra: dict) -> dict:
    """What a unit page shows beside its items, for a unit reading the page of a unit named beside
    it: not whom that unit works with most (its counts would tell of items the reader may not see)."""
    if _role(ctx) != Role.UNIT or (ctx.user.city, ctx.user.bound_name) == (city_name, name):
        return extra
    return {**extra, "co": []}
