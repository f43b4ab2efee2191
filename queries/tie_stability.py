"""Which working relationships last from one year's table to the next.

The directed ties of :mod:`~respgraph.queries.directed_ties` (lead unit → implementing
or assisting unit) of one city, year by year; a year's ties are those of every table
of that year.  For each two consecutive years loaded:

- **kept**: ties in both years; **new**: in the later year only; **dropped**: in the
  earlier year only;
- **jaccard**: kept / ties of either year (1: the same ties; 0: none in common).

Each tie gets the years it is present in, and each unit its ties kept, new and
dropped over all the transitions (``kept_share`` = kept / (kept + dropped): how much of
what it had it kept).  Names are compared through the alias list (``same_body``), so a
bureau printed two ways in two years is one; a unit named in one year and not in the
next is listed (``only_before``, ``only_after``): it left, arrived, or was renamed in
a way the alias list does not know — ``respgraph aliases`` can teach it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable

from respgraph.graph.errors import RespgraphError
from respgraph.graph.protocol import GraphStore
from respgraph.queries.directed_ties import read_ties
from respgraph.queries.lookup import scope
from respgraph.queries.result import Result, fewer_collections
from respgraph.queries.rows import Row

__all__ = [
    "tie_stability",
    "tie_stability_of",
    "tie_stability_by_city",
    "city_tables",
    "NotAcrossYears",
    "TieStability",
    "Transition",
    "TieSpan",
    "UnitTies",
]


class Transition(Row):
    city: str
    before: int
    after: int
    ties_before: int
    ties_after: int
    kept: int
    new: int
    dropped: int
    jaccard: float
    #: Units named in the earlier year's tables and not in the later's (after the alias list), and back.
    only_before: list[str]
    only_after: list[str]


class TieSpan(Row):
    source: str
    target: str
    city: str
    years: list[int]
    present: int


class UnitTies(Row):
    unit: str
    city: str
    kind: str
    ties: int
    kept: int
    new: int
    dropped: int
    kept_share: float | None


class TieStability(Result):
    city: str
    years: list[int]
    #: One row per two consecutive years.
    rows: list[Transition]
    #: Every tie with the years it is present in, the longest-lived first.
    ties: list[TieSpan]
    #: Every unit with a tie, the most ties kept first.
    units: list[UnitTies]
    #: Names read as another through the alias list.
    renamed: dict[str, str]


def tie_stability(
    store: GraphStore,
    *,
    city: str | None = None,
    documents: list[str] | None = None,
    same_body: Callable[[str], str] | None = None,
) -> TieStability:
    """Ties kept, new and dropped between consecutive years of one city's tables.

    ``city`` may be left out when one city is loaded; ``same_body`` maps a name to the
    name it is compared by (the alias list of that city).

    Examples
    --------
    >>> from respgraph.graph.sqlite_store import SqliteStore
    >>> from respgraph.loaders.load import read_tables, sample_path
    >>> store = SqliteStore()
    >>> for year in (2023, 2024):
    ...     for table in read_tables(sample_path(), year=year):
    ...         store.write(table.to_batch())
    >>> t = tie_stability(store)
    >>> r = t.rows[0]
    >>> (r.before, r.after, r.kept, r.new, r.dropped, r.jaccard), t.ties[0].years
    ((2023, 2024, 332, 0, 0, 1.0), [2023, 2024])
    """
    docs = city_tables(store, city=city, documents=documents)
    cities = [docs[0]["city"]]
    years = sorted({int(d["year"]) for d in docs})
    with fewer_collections():
        weight, kinds, named = read_ties(store, documents=[d["key"] for d in docs])
        by_year: dict[int, set[tuple[str, str]]] = {y: set() for y in years}
        for _, year, a, b in weight:
            by_year[year].add((a, b))
        return tie_stability_of(
            by_year,
            city=cities[0],
            kinds={n: k for (_, n), k in kinds.items()},
            named={y: named.get((cities[0], y), set()) for y in years},
            same_body=same_body,
        )


def tie_stability_by_city(
    store: GraphStore, *, documents: list[str] | None = None, same_body: Callable[[str], str] | None = None
) -> tuple[list[TieStability], list[str]]:
    """:func:`tie_stability` of every city with tables of two years or more among ``documents``
    (every document: None), from one read of the ties; and the cities of one year only.

    Examples
    --------
    >>> from respgraph.ingest import sample_store
    >>> tie_stability_by_city(sample_store())
    ([], ['湛江市'])
    """
    with fewer_collections():
        return _by_city(store, documents, same_body)


def _by_city(store: GraphStore, documents, same_body):
    docs = [d for d in store.documents() if documents is None or d["key"] in documents]
    years: dict[str, set[int]] = defaultdict(set)
    for d in docs:
        years[d["city"]].add(int(d["year"]))
    several = sorted(c for c, ys in years.items() if len(ys) > 1)
    weight, kinds, named = read_ties(store, documents=None if documents is None else [d["key"] for d in docs])
    by_city: dict[str, dict[int, set]] = {c: {y: set() for y in sorted(years[c])} for c in several}
    for city, year, a, b in weight:
        if city in by_city:
            by_city[city][year].add((a, b))
    found = [
        tie_stability_of(
            by_city[c],
            city=c,
            kinds={n: k for (kc, n), k in kinds.items() if kc == c},
            named={y: named.get((c, y), set()) for y in by_city[c]},
            same_body=same_body,
        )
        for c in several
    ]
    return found, sorted(c for c in years if c not in by_city)


def city_tables(store: GraphStore, *, city: str | None = None, documents: list[str] | None = None) -> list[dict]:
    """The documents of the one city a question across years is about, of two years or more.

    Several cities in scope, or one year only: an error saying what to give.
    """
    keys = scope(store, city=city, documents=documents)
    docs = [d for d in store.documents() if keys is None or d["key"] in keys]
    cities = sorted({d["city"] for d in docs})
    if len(cities) != 1:
        raise NotAcrossYears(cities)
    years = sorted({int(d["year"]) for d in docs})
    if len(years) < 2:
        raise NotAcrossYears(cities, years)
    return docs


class NotAcrossYears(RespgraphError):
    """A question across one city's years asked of several cities, or of one year.

    >>> NotAcrossYears(["湛江市"], [2023]).zh()
    '关系延续比较同一城市的不同年度：湛江市只载入了 2023 年的表格，请再载入另一年度的表格。'
    """

    def __init__(self, cities: list[str], years: list[int] | None = None):
        self.cities, self.years = cities, years
        if years is None:
            super().__init__(
                "tie stability follows one city's tables across its years: give --city "
                f"(loaded: {'、'.join(cities) or 'none'})"
            )
        else:
            super().__init__(
                f"tie stability compares years, and only {years[0]} of {cities[0]} is loaded "
                "(load another year's table, or widen --doc)"
            )

    def zh(self) -> str:
        if self.years is None:
            return f"关系延续只比较一个城市的各年度：请选择城市（已载入：{'、'.join(self.cities) or '无'}）。"
        return (
            f"关系延续比较同一城市的不同年度：{self.cities[0]}只载入了 {self.years[0]} 年的表格，"
            "请再载入另一年度的表格。"
        )


def tie_stability_of(
    by_year: dict[int, set[tuple[str, str]]],
    *,
    city: str = "",
    kinds: dict[str, str] | None = None,
    named: dict[int, set[str]] | None = None,
    same_body: Callable[[str], str] | None = None,
) -> TieStability:
    """:func:`tie_stability` of ties ``(source, target)`` given per year.

    Examples
    --------
    >>> t = tie_stability_of({2022: {("A", "B"), ("A", "C")}, 2023: {("A", "B"), ("B", "C")}})
    >>> r = t.rows[0]
    >>> r.kept, r.new, r.dropped, r.jaccard
    (1, 1, 1, 0.3333)
    >>> [(u.unit, u.kept, u.new, u.dropped) for u in t.units]
    [('A', 1, 0, 1), ('B', 1, 1, 0), ('C', 0, 1, 1)]
    """
    same = same_body or (lambda name: name)
    kinds = kinds or {}
    years = sorted(by_year)

    # Each name looked up once: a province city's ten years name its units 100,000 times.
    names = {n for y in years for tie in by_year[y] for n in tie} | {n for ns in (named or {}).values() for n in ns}
    body = {n: same(n) for n in names}
    renamed = {n: c for n, c in sorted(body.items()) if c != n}
    if renamed:
        ties = {y: {(body[a], body[b]) for a, b in by_year[y] if body[a] != body[b]} for y in years}
    else:  # the usual case, and a copy of the sets is much quicker than rebuilding them
        ties = {
            y: {t for t in by_year[y] if t[0] != t[1]} if any(a == b for a, b in by_year[y]) else set(by_year[y])
            for y in years
        }
    present = {y: {body[n] for n in (named or {}).get(y, set())} | {u for t in ties[y] for u in t} for y in years}
    transitions = []
    count: dict[str, dict[str, int]] = defaultdict(lambda: {"kept": 0, "new": 0, "dropped": 0})
    for before, after in zip(years, years[1:]):
        t1, t2 = ties[before], ties[after]
        kept, new, dropped = t1 & t2, t2 - t1, t1 - t2
        for what, found in (("kept", kept), ("new", new), ("dropped", dropped)):
            for a, b in found:
                count[a][what] += 1
                count[b][what] += 1
        either = t1 | t2
        transitions.append(
            Transition(
                city=city,
                before=before,
                after=after,
                ties_before=len(t1),
                ties_after=len(t2),
                kept=len(kept),
                new=len(new),
                dropped=len(dropped),
                jaccard=round(len(kept) / len(either), 4) if either else 1.0,
                only_before=sorted(present[before] - present[after]),
                only_after=sorted(present[after] - present[before]),
            )
        )
    spans: dict[tuple[str, str], list[int]] = defaultdict(list)
    for y in years:
        for tie in ties[y]:
            spans[tie].append(y)
    kind_of = {same(n): k for n, k in kinds.items()}
    degree = Counter(u for tie in spans for u in tie)
    units = []
    for unit in sorted(degree):
        c = count[unit]
        had = c["kept"] + c["dropped"]
        units.append(
            UnitTies(
                unit=unit,
                city=city,
                kind=kind_of.get(unit, ""),
                ties=degree[unit],
                **c,
                kept_share=round(c["kept"] / had, 4) if had else None,
            )
        )
    units.sort(key=lambda u: (-u.kept, -u.ties, u.unit))
    # A city of ten years has some 5,000 ties, a province 100,000: sorted as tuples and built
    # without validation (every value is made here, of its field's type), a fifth of the time.
    ordered = sorted(spans.items(), key=lambda s: (-len(s[1]), s[0]))
    rows = [TieSpan.model_construct(source=a, target=b, city=city, years=ys, present=len(ys)) for (a, b), ys in ordered]
    return TieStability(city=city, years=years, rows=transitions, ties=rows, units=units, renamed=renamed)
