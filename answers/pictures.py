"""The pictures a question draws beside its table, as one page object for both faces: the CLI
writes it (``--html``, ``--png``, ``--svg``), the web serves it (``…/picture``) or prints it.

Each takes the store and the rows its question returned, and reads what the picture needs
besides (the units beside a unit's items, the kinds of units, the items' statuses).
"""

from __future__ import annotations

__all__ = ["sources", "unit_picture", "portfolio_picture", "co_picture", "overview_picture"]


def sources(store, documents=None, city: str | None = None) -> list[dict]:
    """The documents a picture is drawn from: those asked for (keys, or any selector
    ``--doc`` takes), else all."""
    from respgraph.queries.lookup import scope

    keys = scope(store, city=city, documents=list(documents or ()) or None)
    return [d for d in store.documents() if keys is None or d["key"] in keys]


def unit_picture(store, name: str, rows, documents=None):
    """The network of one unit's items (``items --unit NAME --html``, the unit page's picture)."""
    from respgraph.queries.overview import unit_kinds
    from respgraph.queries.portfolio import units_of_items
    from respgraph.queries.status import picture_statuses
    from respgraph.viz.network_pages import unit_page

    others = units_of_items(store, [r.id for r in rows])
    return unit_page(
        name,
        rows,
        sources=sources(store, documents),
        others=others,
        kinds=unit_kinds(store),
        statuses=picture_statuses(store),
    )


def portfolio_picture(store, portfolio, documents=None, *, group_by: str = "lead"):
    """A leader's portfolio drawn (``portfolio LEADER --html``, the leader page's picture)."""
    from respgraph.queries.overview import unit_kinds
    from respgraph.queries.status import picture_statuses
    from respgraph.viz.network_pages import portfolio_page

    return portfolio_page(
        portfolio,
        sources=sources(store, documents),
        kinds=unit_kinds(store),
        group_by=group_by,
        statuses=picture_statuses(store),
    )


def co_picture(store, *, min_shared: int = 1, city: str | None = None, documents=None, shown: list[str] | None):
    """The co-responsibility network (``co --html``, the collaboration page's picture); ``shown``
    (keys) are the documents the pairs are counted over, ``documents`` those named as sources."""
    from respgraph.queries.co import co_pairs
    from respgraph.queries.overview import unit_kinds
    from respgraph.viz.network_pages import co_page

    pairs = co_pairs(store, min_shared=min_shared, city=city, documents=shown)
    return co_page(
        pairs, kinds=unit_kinds(store, documents=shown), sources=sources(store, documents), min_shared=min_shared
    )


def overview_picture(store, *, leader=None, role=None, kind=None, city=None, documents=None):
    """The whole graph, or the part a leader, role or kind of unit touches (``respgraph viz``);
    (the page, the overview drawn)."""
    from respgraph.queries.overview import overview
    from respgraph.queries.status import picture_statuses
    from respgraph.viz.network_pages import overview_page

    o = overview(store, leader=leader, role=role, kind=kind, city=city, documents=list(documents or ()) or None)
    return overview_page(o, sources=sources(store, documents), statuses=picture_statuses(store)), o
