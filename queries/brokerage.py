"""Who brokers between kinds of bodies: Gould and Fernandez's brokerage roles.

On the directed ties of :mod:`~respgraph.queries.directed_ties` (lead unit →
implementing or assisting unit), a unit b **brokers** an ordered pair (a, c) when
a → b and b → c, a ≠ c, and a has no tie a → c of its own: work passes from a to c
through b only.  Each such pair is one brokerage, named by the groups of the three
(a unit's group is its kind: city department, county government, zone committee,
enterprise, stationed agency, other):

==============  ==========================  ========================================
role            groups                      for example
==============  ==========================  ========================================
coordinator     a, b and c alike            a bureau between two bureaus
itinerant       a and c alike, b not        an enterprise between two bureaus
gatekeeper      b and c alike, a not        a bureau letting a county's work in
representative  a and b alike, c not        a bureau passing a bureau's work out
liaison         all three differ            a bureau between a county and a company
==============  ==========================  ========================================

Beside each count, the count **expected** if the same unit brokered as many pairs but
the groups were dealt out at random over the units of its city's network (Gould and
Fernandez's normalisation): for a broker in a group of size n_b among N units,
with (N−1)(N−2) ordered pairs of others, coordinator (n_b−1)(n_b−2), itinerant
Σ n_g(n_g−1), gatekeeper and representative (n_b−1)(N−n_b) each, liaison
Σ n_g(N−n_b−n_g) over the other groups g — each over (N−1)(N−2), times the broker's
total.  A count well above its expectation is a role the unit plays more than chance.

Ties of several years of a city (``--all-years``) are the union of their ties; each
city is a network of its own (two cities' units are never tied).

References
----------
Gould, R. V. and Fernandez, R. M. (1989). Structures of mediation: a formal approach to
brokerage in transaction networks. *Sociological Methodology* 19: 89–126.
"""

from __future__ import annotations

from collections import defaultdict

from respgraph.graph.protocol import GraphStore
from respgraph.queries.directed_ties import read_ties
from respgraph.queries.lookup import scope
from respgraph.queries.result import Result, fewer_collections
from respgraph.queries.rows import Row

__all__ = ["brokerage", "brokerage_of", "Brokerage", "BrokerageRow", "BROKER_ROLES", "BROKER_ROLE_ZH"]

#: Gould and Fernandez's five roles, in the order every answer lists them.
BROKER_ROLES = ("coordinator", "itinerant", "gatekeeper", "representative", "liaison")
#: What the pages and the report call them, as Chinese studies of networks do.
BROKER_ROLE_ZH = {
    "coordinator": "协调人",
    "itinerant": "顾问",
    "gatekeeper": "守门人",
    "representative": "代理人",
    "liaison": "联络人",
}


class BrokerageRow(Row):
    unit: str
    city: str
    #: The unit's group (its kind).
    group: str
    coordinator: int
    itinerant: int
    gatekeeper: int
    representative: int
    liaison: int
    total: int
    expected_coordinator: float
    expected_itinerant: float
    expected_gatekeeper: float
    expected_representative: float
    expected_liaison: float

    def above_chance(self) -> list[str]:
        """The roles this unit plays more often than random groups would make it.

        >>> row = BrokerageRow(unit="B", city="x", group="bureau", coordinator=0, itinerant=0, gatekeeper=2,
        ...                    representative=0, liaison=2, total=4, expected_coordinator=0.0,
        ...                    expected_itinerant=0.667, expected_gatekeeper=1.0, expected_representative=1.0,
        ...                    expected_liaison=1.333)
        >>> row.above_chance()
        ['gatekeeper', 'liaison']
        """
        return [role for role in BROKER_ROLES if getattr(self, role) > getattr(self, f"expected_{role}")]


class Brokerage(Result):
    #: Every unit with a tie, the most brokering first.
    rows: list[BrokerageRow]
    by: str
    units: int
    ties: int
    #: City → group → units of that group in the city's network.
    groups: dict[str, dict[str, int]]

    def brokers(self) -> list[BrokerageRow]:
        """The rows of units that broker at least one pair."""
        return [r for r in self.rows if r.total]


def brokerage(
    store: GraphStore, *, by: str = "kind", city: str | None = None, documents: list[str] | None = None
) -> Brokerage:
    """Brokerage roles of every unit on the directed ties of ``documents`` (several years: their union).

    Parameters
    ----------
    store : GraphStore
    by : str
        What a unit's group is: ``kind`` (the only grouping so far).
    city, documents : as :func:`~respgraph.queries.lookup.scope` takes them.

    Examples
    --------
    >>> from respgraph.ingest import sample_store
    >>> b = brokerage(sample_store())
    >>> top = b.rows[0]
    >>> top.unit, top.total, top.coordinator, top.representative, top.expected_representative
    ('市发展改革局', 467, 167, 141, 116.231)

    See Also
    --------
    brokerage_of : the same on any list of ties (a hand-worked example there).
    """
    if by != "kind":
        raise ValueError(f"brokerage groups units by kind; {by!r} is not a grouping it knows")
    with fewer_collections():
        weight, kinds, _ = read_ties(store, documents=scope(store, city=city, documents=documents))
        return brokerage_of({(c, a, b) for c, _, a, b in weight}, kinds)


def brokerage_of(ties, groups: dict[tuple[str, str], str], *, by: str = "kind") -> Brokerage:
    """:func:`brokerage` of directed ties ``(city, source, target)``, ``groups`` giving
    ``(city, unit)`` → group.

    Examples
    --------
    Counties A and D, bureaus B and C, a company E; A → B, D → B, B → C, B → D, B → E,
    and A → D, so B brokers (A, C) and (D, C) as a gatekeeper (B and C are bureaus, the
    county is not), (A, E) and (D, E) as a liaison, and not (A, D), which A reaches
    itself.  D brokers nothing: its one pair (A, B) is tied directly.

    >>> groups = {("x", "A"): "county", ("x", "D"): "county", ("x", "B"): "bureau",
    ...           ("x", "C"): "bureau", ("x", "E"): "company"}
    >>> ties = [("x", a, c) for a, c in ["AB", "DB", "BC", "BD", "BE", "AD"]]
    >>> b = brokerage_of(ties, groups)
    >>> r = b.rows[0]
    >>> r.unit, r.gatekeeper, r.liaison, r.total, b.rows[1].total
    ('B', 2, 2, 4, 0)

    Under random groups, a bureau among 5 units (2 bureaus) brokering 4 pairs would be
    a coordinator 4·1·0/12 = 0 times, an itinerant 4·(2·1 + 1·0)/12, a gatekeeper and a
    representative 4·1·3/12 each, a liaison 4·(2·1 + 1·2)/12 times:

    >>> r.expected_coordinator, r.expected_itinerant, r.expected_gatekeeper, r.expected_liaison
    (0.0, 0.667, 1.0, 1.333)
    """
    import numpy as np

    by_city: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for city, a, c in ties:
        if a != c:
            by_city[city].add((a, c))
    rows, sizes = [], {}
    for city, edges in sorted(by_city.items()):
        nodes = sorted({u for e in edges for u in e})
        index = {u: i for i, u in enumerate(nodes)}
        kinds = [groups.get((city, u)) or "other" for u in nodes]
        names = sorted(set(kinds))
        code = np.array([names.index(k) for k in kinds])
        tied = np.zeros((len(nodes), len(nodes)), dtype=bool)
        tied[[index[a] for a, _ in edges], [index[c] for _, c in edges]] = True
        size = {k: kinds.count(k) for k in names}
        sizes[city] = size
        for b, counts in zip(nodes, _roles(tied, code)):
            rows.append(_row(b, city, kinds[index[b]], counts, size, len(nodes)))
    rows.sort(key=lambda r: (-r.total, r.city, r.unit))
    return Brokerage(rows=rows, by=by, units=len(rows), ties=sum(len(e) for e in by_city.values()), groups=sizes)


def _roles(tied, code):
    """Per node, its five role counts; ``tied[a, c]`` is the tie a → c, ``code`` the groups.

    Each broker looks only at its own in- and out-neighbours: a province's city has
    some 130 units, and a broker's open pairs are a small block of the matrix."""
    import numpy as np

    out = []
    for b in range(len(code)):
        ins, outs = np.flatnonzero(tied[:, b]), np.flatnonzero(tied[b])
        if not len(ins) or not len(outs):
            out.append((0, 0, 0, 0, 0))
            continue
        brokered = ~tied[np.ix_(ins, outs)] & (ins[:, None] != outs[None, :])
        a_b = (code[ins] == code[b])[:, None]
        c_b = (code[outs] == code[b])[None, :]
        a_c = code[ins][:, None] == code[outs][None, :]
        out.append(
            (
                int((brokered & a_b & c_b).sum()),
                int((brokered & ~a_b & ~c_b & a_c).sum()),
                int((brokered & ~a_b & c_b).sum()),
                int((brokered & a_b & ~c_b).sum()),
                int((brokered & ~a_b & ~c_b & ~a_c).sum()),
            )
        )
    return out


def _row(unit: str, city: str, group: str, counts, size: dict[str, int], n: int) -> BrokerageRow:
    total = sum(counts)
    own = size[group]
    others = [m for g, m in size.items() if g != group]
    pairs = (n - 1) * (n - 2)
    shares = (
        (own - 1) * (own - 2),
        sum(m * (m - 1) for m in others),
        (own - 1) * (n - own),
        (own - 1) * (n - own),
        sum(m * (n - own - m) for m in others),
    )
    expected = [round(total * s / pairs, 3) if pairs else 0.0 for s in shares]
    return BrokerageRow(
        unit=unit,
        city=city,
        group=group,
        **dict(zip(BROKER_ROLES, counts)),
        total=total,
        **{f"expected_{role}": e for role, e in zip(BROKER_ROLES, expected)},
    )
