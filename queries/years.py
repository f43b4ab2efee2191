"""Years are a dimension, never silently summed.

An office holds this year's table and last year's; a sum over both counts every
task twice and answers no question anyone asks.  So every aggregate (workload,
balance, co, collaboration, overlap, timeline, the report) covers **one year per
city by default — the latest loaded —** and says which in its first line;
``all_years`` sums and says so; ``year`` picks one.  A date (``status --as-of``)
covers the tables of the year it falls in.

:func:`year_scope` and :func:`documents_at` pick the documents; a command, the
report or a web page passes :attr:`YearScope.documents` to the query as its
``documents`` and prints :attr:`YearScope.line` above the answer.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from respgraph.graph.errors import UnknownDocument
from respgraph.graph.protocol import GraphStore
from respgraph.queries.lookup import scope

__all__ = [
    "YearScope",
    "year_scope",
    "documents_at",
    "several_years",
    "shared_year",
    "year_of_document",
    "document_label",
]


def year_of_document(key: str) -> int:
    """The year in a document key (``doc:湛江市/2023/1-b6a81b`` → 2023).

    >>> year_of_document("doc:湛江市/2023/1-b6a81b")
    2023
    """
    return int(key.removeprefix("doc:").split("/")[1])


def document_label(key: str) -> str:
    """A document key as a table shows it: without ``doc:`` and the digest (``湛江市/2023/1``).

    >>> document_label("doc:湛江市/2023/1-b6a81b")
    '湛江市/2023/1'
    """
    return key.removeprefix("doc:").rsplit("-", 1)[0]


def _years_by_city(docs: list[dict]) -> dict[str, list[int]]:
    out: dict[str, set[int]] = defaultdict(set)
    for d in docs:
        out[d["city"]].add(int(d["year"]))
    return {c: sorted(ys) for c, ys in sorted(out.items())}


def several_years(store: GraphStore) -> bool:
    """Whether some city has tables of more than one year loaded (tables then show a ``year`` column)."""
    return any(len(ys) > 1 for ys in _years_by_city(store.documents()).values())


def shared_year(store: GraphStore) -> bool:
    """Whether two tables of one city, year and attachment are loaded (tables then show a ``document`` column)."""
    seen = [
        (d["city"], int(d["year"]), d.get("attachment") or d["key"].rsplit("/", 1)[-1].split("-")[0])
        for d in store.documents()
    ]
    return len(seen) != len(set(seen))


@dataclass(frozen=True)
class YearScope:
    """The documents a question covers and the years they are of.

    ``documents`` is what a query takes (None: every document); ``years`` the
    years covered per city; ``line`` what to print above the answer (empty when
    no city has tables of several years in scope: nothing was left out).
    """

    documents: list[str] | None
    years: dict[str, list[int]] = field(default_factory=dict)
    line: str = ""

    def years_of(self, city: str) -> str:
        """The years of ``city`` as a cell reads them (``2023`` or ``2023+2024``)."""
        return "+".join(str(y) for y in self.years.get(city, []))


def _listed(years: dict[str, list[int]]) -> str:
    return ", ".join(f"{c} {'+'.join(str(y) for y in ys)}" for c, ys in years.items())


def year_scope(
    store: GraphStore,
    *,
    city: str | None = None,
    documents: list[str] | None = None,
    year: int | None = None,
    all_years: bool = False,
) -> YearScope:
    """The documents an aggregate covers: by default the latest year of each city.

    Parameters
    ----------
    store : GraphStore
    city, documents : as :func:`~respgraph.queries.lookup.scope` takes them.
        Documents asked for by name are taken as asked (their years are listed).
    year : int, optional
        Only the tables of this year (an error when none is loaded).
    all_years : bool
        Every year, summed; the line says so.

    Examples
    --------
    >>> from respgraph.graph.sqlite_store import SqliteStore
    >>> from respgraph.loaders.load import read_tables, sample_path
    >>> store = SqliteStore()
    >>> for y in (2023, 2024):
    ...     for table in read_tables(sample_path(), year=y):
    ...         store.write(table.to_batch())
    >>> s = year_scope(store)
    >>> s.line, [k.split("/")[1] for k in s.documents]
    ('湛江市 2024; --year or --all-years to change', ['2024', '2024'])
    >>> year_scope(store, all_years=True).line
    '湛江市 2023+2024 summed (--all-years)'
    """
    if year is not None and all_years:
        raise ValueError("give either a year or all years, not both")
    keys = scope(store, city=city, documents=documents)
    docs = [d for d in store.documents() if keys is None or d["key"] in keys]
    years = _years_by_city(docs)
    several = any(len(ys) > 1 for ys in years.values())
    if documents:
        return YearScope(keys, years, f"{_listed(years)} (the documents asked for)" if several else "")
    if all_years:
        return YearScope(keys, years, f"{_listed(years)} summed (--all-years)" if several else "")
    if year is not None:
        chosen = [d for d in docs if int(d["year"]) == year]
        if not chosen:
            raise UnknownDocument(
                str(year), f"no table of {year} is loaded (loaded: {_listed(years)}; `respgraph documents` lists them)"
            )
        picked = _years_by_city(chosen)
        return YearScope([d["key"] for d in chosen], picked, f"{_listed(picked)} (--year {year})")
    if not several:
        return YearScope(keys, years, "")
    latest = {c: ys[-1] for c, ys in years.items()}
    newest = [d["key"] for d in docs if int(d["year"]) == latest[d["city"]]]
    return YearScope(
        newest,
        {c: [y] for c, y in latest.items()},
        f"{_listed({c: [y] for c, y in latest.items()})}; --year or --all-years to change",
    )


def documents_at(
    store: GraphStore, date: dt.date, *, city: str | None = None, documents: list[str] | None = None
) -> YearScope:
    """The documents whose year ``date`` falls in: a progress date concerns that year's tables only.

    An item of 2023 is not ``no_report`` on 31 March 2024: 2024's table is what
    is asked about then.  No table of that year loaded: an error naming the years
    that are.
    """
    keys = scope(store, city=city, documents=documents)
    docs = [d for d in store.documents() if keys is None or d["key"] in keys]
    chosen = [d for d in docs if int(d["year"]) == date.year]
    if not chosen:
        raise UnknownDocument(
            date.isoformat(),
            f"no table of {date.year} is loaded for {date.isoformat()} (loaded: {_listed(_years_by_city(docs))})",
        )
    picked = _years_by_city(chosen)
    left_out = len(chosen) < len(docs)
    line = (
        (f"as of {date.isoformat()}: the tables of {date.year} ({', '.join(document_label(d['key']) for d in chosen)})")
        if left_out
        else ""
    )
    return YearScope([d["key"] for d in chosen] if left_out else keys, picked, line)
