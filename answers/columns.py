"""Columns an answer gains when the store holds several cities or several years of one city."""

from __future__ import annotations

from respgraph.graph.protocol import GraphStore

__all__ = ["several_cities", "with_city", "item_columns", "aggregate_columns"]


def several_cities(store: GraphStore) -> bool:
    """Whether the loaded documents span more than one jurisdiction (tables then show a city column)."""
    return len({d.get("city") for d in store.documents()}) > 1


def with_city(flat: list[dict], rows, store: GraphStore, *, after: str = "name") -> list[dict]:
    """``flat`` rows with a ``city`` column after ``after`` when several cities are loaded."""
    if not several_cities(store):
        return flat
    out = []
    for row, source in zip(flat, rows):
        city = source["city"] if isinstance(source, dict) else source.city
        new = {}
        for key, value in row.items():
            new[key] = value
            if key == after:
                new["city"] = city
        if "city" not in new:
            new = {"city": city, **new}
        out.append(new)
    return out


def _insert(row: dict, extra: dict, after: str) -> dict:
    out, placed = {}, False
    for key, value in row.items():
        out[key] = value
        if key == after:
            out.update(extra)
            placed = True
    return out if placed else {**extra, **row}


def item_columns(flat: list[dict], rows, store: GraphStore, *, after: str = "city") -> list[dict]:
    """Item rows with ``year`` (and ``document`` when two tables share a city, year and
    attachment) once several years of one city are loaded; as they are otherwise."""
    from respgraph.queries.years import document_label, several_years, shared_year, year_of_document

    if not several_years(store):
        return flat
    documents = shared_year(store)
    out = []
    for row, source in zip(flat, rows):
        key = source["document"] if isinstance(source, dict) else source.document
        extra = {"year": year_of_document(key), **({"document": document_label(key)} if documents else {})}
        out.append(_insert(row, extra, after))
    return out


def aggregate_columns(flat: list[dict], scope, store: GraphStore, *, after: str = "city") -> list[dict]:
    """Rows of units, leaders or districts with the ``year`` of their city in ``scope``
    (``2023+2024`` when summed) once several years of one city are loaded."""
    from respgraph.queries.years import several_years

    if not several_years(store) or not scope.years:
        return flat
    every = "+".join(str(y) for y in sorted({y for ys in scope.years.values() for y in ys}))

    def city_of(row: dict) -> str | None:
        if row.get("city"):
            return row["city"]
        if len(scope.years) == 1:
            return next(iter(scope.years))
        # Rows without a city column name it in their names (湛江市:张仁建) when several are loaded.
        for value in row.values():
            if isinstance(value, str) and ":" in value and value.split(":", 1)[0] in scope.years:
                return value.split(":", 1)[0]
        return None

    return [_insert(row, {"year": scope.years_of(city) if (city := city_of(row)) else every}, after) for row in flat]
