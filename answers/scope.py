"""What ``?city=``, ``?year=`` and ``?doc=`` (the CLI's ``--city``, ``--year``, ``--doc``) narrow a
question to, and the year a city is shown at when none is asked for."""

from __future__ import annotations

from dataclasses import dataclass

from respgraph.graph.errors import RespgraphError

__all__ = ["Scope", "scope_of"]


@dataclass(frozen=True)
class Scope:
    """The documents a question is about.

    ``documents`` are the document keys the CLI's ``--doc`` would be given (None: every
    document); ``years`` the years of the city asked about, for the links to the others.
    """

    city: str | None = None
    year: int | None = None
    documents: list[str] | None = None
    years: tuple[int, ...] = ()
    defaulted: bool = False  # the latest year was chosen because none was asked for

    @property
    def docs(self) -> list[str] | None:
        return list(self.documents) if self.documents else None


def scope_of(
    store, *, city: str | None = None, year: int | None = None, doc: list[str] | None = None, latest: bool = True
) -> Scope:
    """The documents ``city``, ``year`` and ``doc`` ask for.

    Without a year or a document, a city with several years loaded is shown at its
    latest year (``latest``), the others one link away.

    >>> from respgraph.ingest import sample_store
    >>> s = scope_of(sample_store(), city="湛江市")
    >>> s.years, s.year, len(s.documents)
    ((2023,), None, 2)
    """
    from respgraph.graph.text import clean_name
    from respgraph.queries.lookup import scope

    city = clean_name(city) if city else None
    keys = scope(store, city=city, documents=doc or None)  # unknown city or document: an error, as in the CLI
    if year is None and not doc and not (latest and city):
        years = tuple(sorted({d["year"] for d in store.documents(city=city)})) if city else ()
        return Scope(city=city, documents=keys, years=years)
    loaded = store.documents(city=city) if city else store.documents()
    years = tuple(sorted({d["year"] for d in loaded}))
    defaulted = False
    if year is None and not doc:
        if len(years) <= 1:
            return Scope(city=city, documents=keys, years=years)
        year, defaulted = years[-1], True
    if year is not None:
        of_year = [d["key"] for d in loaded if d["year"] == year and (keys is None or d["key"] in keys)]
        if not of_year:
            where = f" of {city}" if city else ""
            raise RespgraphError(
                f"no document{where} of {year} is loaded; years loaded: " + ("、".join(map(str, years)) or "none")
            )
        keys = of_year
    return Scope(city=city, year=year, documents=keys, years=years, defaulted=defaulted)
