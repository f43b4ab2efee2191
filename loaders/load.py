"""Read a source file into typed tables: the one entry point of ``loaders``."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from respgraph.graph.errors import LoadError
from respgraph.graph.model import Table
from respgraph.loaders.build import build_table
from respgraph.loaders.names import Aliases, City, default_aliases, load_cities
from respgraph.loaders.raw import RawTable
from respgraph.loaders.text_format import read_text


def sample_path() -> Path:
    """The bundled sample: Zhanjiang's 2023 table of responsibilities."""
    return Path(str(resources.files("respgraph.loaders").joinpath("samples/zhanjiang-2023.txt")))


def read_raw(path: Path | str) -> list[RawTable]:
    """The raw tables of a file, whatever its format."""
    return read_text(path)


def detect_city(raw: list[RawTable], cities: dict[str, City]) -> City:
    """The city a table is from: named in its title, else the one whose districts it names most."""
    titles = " ".join(t.title for t in raw)
    for city in cities.values():
        if city.name in titles or city.name.removesuffix("市") + "市" in titles:
            return city
    text = " ".join(c for t in raw for r in t.rows for c in r.cells.values())
    hits = {
        name: sum(text.count(d) for d in (*city.districts, *city.zones)) for name, city in cities.items()
    }
    best = max(hits, key=hits.get, default=None)
    if best is None or hits[best] < 3:
        raise LoadError(raw[0].file, "cannot tell which city this table is from: give the city (--city)")
    return cities[best]


def read_tables(
    path: Path | str,
    *,
    city: str | None = None,
    year: int | None = None,
    aliases: Aliases | None = None,
) -> list[Table]:
    """Every table in ``path`` as a typed :class:`~respgraph.graph.model.Table`.

    >>> tables = read_tables(sample_path())
    >>> [(t.document.key, len(t.items)) for t in tables]
    [('doc:湛江市/2023/1', 100), ('doc:湛江市/2023/2', 10)]
    """
    raw = read_raw(path)
    cities = load_cities()
    if city is not None and city not in cities:
        # A city we have no profile for still loads; its groups just have unknown members.
        cities[city] = City(name=city, districts={}, zones=(), stationed=frozenset())
    chosen = cities[city] if city else detect_city(raw, cities)
    aliases = aliases or default_aliases()
    return [build_table(t, city=chosen, aliases=aliases, year=year) for t in raw]
