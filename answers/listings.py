"""What is loaded: the units and the leaders the tables name."""

from __future__ import annotations

from respgraph.answers.answer import Answer
from respgraph.answers.columns import aggregate_columns
from respgraph.graph.protocol import GraphStore
from respgraph.queries.years import year_scope

__all__ = ["units", "leaders", "info", "documents"]


def units(
    store: GraphStore,
    *,
    city: str | None = None,
    kind: str | None = None,
    documents: list[str] | None = None,
    year: int | None = None,
    all_years: bool = False,
) -> Answer:
    """The units and groups named, with the items each is on (latest year per city by default).

    >>> from respgraph.ingest import sample_store
    >>> units(sample_store(), kind="group").footer
    '8 units'
    """
    from respgraph.queries.listing import units as query

    scope = year_scope(store, city=city, documents=documents, year=year, all_years=all_years)
    rows = query(store, city=city, kind=kind, documents=scope.documents)
    data = aggregate_columns([r.model_dump() for r in rows], scope, store)
    return Answer(data, data, f"{len(rows)} units", head=scope.line, result=rows)


def leaders(
    store: GraphStore,
    *,
    city: str | None = None,
    documents: list[str] | None = None,
    year: int | None = None,
    all_years: bool = False,
) -> Answer:
    """The leaders named, with the items each oversees (latest year per city by default).

    >>> from respgraph.ingest import sample_store
    >>> leaders(sample_store()).footer
    '8 leaders'
    """
    from respgraph.queries.listing import leaders as query

    scope = year_scope(store, city=city, documents=documents, year=year, all_years=all_years)
    rows = query(store, city=city, documents=scope.documents)
    data = aggregate_columns([r.model_dump() for r in rows], scope, store)
    return Answer(data, data, f"{len(rows)} leaders", head=scope.line, result=rows)


def info(store: GraphStore) -> Answer:
    """The documents in the graph and how many nodes and relationships of each kind it holds.

    >>> from respgraph.ingest import sample_store
    >>> info(sample_store()).data["nodes"]["Item"]
    110
    """
    docs = store.documents()
    nodes, rels = store.counts()
    flat = [
        {"key": d["key"], "title": d["title"], "city": d["city"], "year": d["year"], "source": d.get("source", "")}
        for d in docs
    ]
    return Answer(
        flat,
        {"documents": flat, "nodes": nodes, "relationships": rels},
        "nodes: "
        + ", ".join(f"{k} {v}" for k, v in nodes.items())
        + "\nrelationships: "
        + ", ".join(f"{k} {v}" for k, v in rels.items()),
    )


def documents(store: GraphStore, *, city: str | None = None) -> Answer:
    """The loaded documents: key, jurisdiction, year, title, source file, items, when loaded.

    >>> from respgraph.ingest import sample_store
    >>> documents(sample_store()).footer
    '2 documents'
    """
    from respgraph.queries.listing import documents as query

    rows = query(store, city=city)
    data = [
        {
            "key": r.key,
            "city": r.city,
            "year": r.year,
            "title": r.title,
            "source": r.source,
            "items": r.items,
            "loaded": r.loaded_at,
        }
        for r in rows
    ]
    return Answer(data, data, f"{len(rows)} documents", result=rows)
