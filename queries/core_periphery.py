"""Is there a core that everything runs through: Borgatti and Everett's core and periphery.

On the undirected co-responsibility network of a city
(:func:`~respgraph.queries.collaboration.co_network`: two units joined by the number of
items they share), the **discrete model** splits the units into a core and a
periphery so that the ties look as much as possible like the ideal pattern — core
units tied to each other, periphery units not tied to each other.  The fit is the
Pearson correlation, over the pairs of units, between the ties' weights and that
pattern (1 for a core–core pair, 0 for a periphery–periphery pair); pairs of a core
and a periphery unit are left out of the comparison, as Borgatti and Everett allow,
since a periphery unit may or may not work with the core.  The partition with the
highest correlation is found by a seeded search:

1. the units in order of their continuous coreness (below), every first k of them tried
   as the core;
2. from the best of those, and from ``restarts`` random partitions drawn with ``seed``,
   single units are moved between core and periphery, the move that raises the
   correlation most first, until no move raises it;
3. the best partition found wins (the first found, on a tie).

The **continuous model** gives each unit a coreness c (0 to 1, the highest 1): the
values whose products c_i·c_j come closest, in least squares, to the ties' weights
(the diagonal left out); its fit is the correlation between the two.

Each city is a network of its own; units with items but no tie are periphery with
coreness 0.

References
----------
Borgatti, S. P. and Everett, M. G. (2000). Models of core/periphery structures.
*Social Networks* 21(4): 375–395.
"""

from __future__ import annotations

from respgraph.graph.protocol import GraphStore
from respgraph.queries.lookup import scope
from respgraph.queries.result import Result
from respgraph.queries.rows import Row

__all__ = ["core_periphery", "core_periphery_of", "CorePeriphery", "CoreRow", "CoreFit"]


class CoreRow(Row):
    unit: str
    city: str
    kind: str
    position: str  # core or periphery
    coreness: float
    partners: int
    shared: int


class CoreFit(Row):
    city: str
    units: int
    core: int
    #: The discrete model's correlation with the ideal pattern.
    correlation: float
    #: The continuous model's correlation with the ties.
    continuous_fit: float


class CorePeriphery(Result):
    #: Core first, then periphery; by coreness within each.
    rows: list[CoreRow]
    fits: list[CoreFit]
    seed: int
    restarts: int

    def core(self) -> list[CoreRow]:
        return [r for r in self.rows if r.position == "core"]


def core_periphery(
    store: GraphStore,
    *,
    city: str | None = None,
    documents: list[str] | None = None,
    seed: int = 42,
    restarts: int = 20,
) -> CorePeriphery:
    """The core and periphery of each city's co-responsibility network in ``documents``.

    Examples
    --------
    >>> from respgraph.ingest import sample_store
    >>> cp = core_periphery(sample_store())
    >>> [r.unit for r in cp.core()][:3], cp.fits[0].core, cp.fits[0].correlation
    (['市自然资源局', '市发展改革局', '市交通运输局'], 17, 0.6911)
    """
    from respgraph.queries.collaboration import co_network

    network = co_network(store, documents=scope(store, city=city, documents=documents))
    return core_periphery_of(network, seed=seed, restarts=restarts)


def core_periphery_of(network, *, seed: int = 42, restarts: int = 20) -> CorePeriphery:
    """:func:`core_periphery` of a networkx graph whose ties carry ``weight`` (and whose
    nodes may carry ``city`` and ``kind``; a node ``city:name`` is shown as ``name``).

    Examples
    --------
    Four units all tied to each other, and four others each tied to one of them only:

    >>> import networkx as nx
    >>> g = nx.Graph()
    >>> g.add_weighted_edges_from([(a, b, 1) for a in "ABCD" for b in "ABCD" if a < b]
    ...                           + [("A", "e", 1), ("B", "f", 1), ("C", "g", 1), ("D", "h", 1)])
    >>> cp = core_periphery_of(g)
    >>> [r.unit for r in cp.core()], cp.fits[0].correlation
    (['A', 'B', 'C', 'D'], 1.0)
    """
    import numpy as np

    cities: dict[str, list] = {}
    for node, data in network.nodes(data=True):
        cities.setdefault(data.get("city", ""), []).append(node)
    rows, fits = [], []
    for city, nodes in sorted(cities.items()):
        rng = np.random.default_rng(seed)  # per city: a city's answer does not depend on the others loaded
        nodes = sorted(nodes)
        index = {u: i for i, u in enumerate(nodes)}
        weights = np.zeros((len(nodes), len(nodes)))
        for u, v, d in network.subgraph(nodes).edges(data=True):
            weights[index[u], index[v]] = weights[index[v], index[u]] = d.get("weight", 1)
        coreness, continuous_fit = _continuous(weights)
        core, correlation = _discrete(weights, coreness, rng, restarts)
        fits.append(
            CoreFit(
                city=city,
                units=len(nodes),
                core=int(core.sum()),
                correlation=round(correlation, 4),
                continuous_fit=round(continuous_fit, 4),
            )
        )
        for u, i in index.items():
            rows.append(
                CoreRow(
                    unit=u.removeprefix(f"{city}:") if city else u,
                    city=city,
                    kind=network.nodes[u].get("kind", ""),
                    position="core" if core[i] else "periphery",
                    coreness=round(float(coreness[i]), 4),
                    partners=int((weights[i] > 0).sum()),
                    shared=int(weights[i].sum()),
                )
            )
    rows.sort(key=lambda r: (r.position != "core", -r.coreness, r.city, r.unit))
    return CorePeriphery(rows=rows, fits=fits, seed=seed, restarts=restarts)


def _continuous(weights):
    """Coreness c (largest 1) minimising Σ_{i≠j} (w_ij − c_i c_j)², and the fit of c_i c_j to w."""
    import numpy as np

    n = len(weights)
    c = weights.sum(axis=1)
    if n < 2 or not c.any():
        return np.zeros(n), 0.0
    c = c / np.linalg.norm(c)
    for _ in range(1000):
        # The least-squares c_i given the others, for every i at once, averaged with the
        # last step so that the iteration settles instead of swinging.
        best = weights @ c / np.maximum((c**2).sum() - c**2, 1e-12)
        new = (c + best) / 2
        if np.abs(new - c).max() < 1e-10:
            c = new
            break
        c = new
    upper = np.triu_indices(n, 1)
    fit = np.corrcoef(weights[upper], np.outer(c, c)[upper])[0, 1] if weights[upper].std() else 0.0
    return c / c.max(), float(np.nan_to_num(fit))


def _discrete(weights, coreness, rng, restarts: int):
    """The core (a boolean vector) of the best partition the search finds, and its correlation."""
    import numpy as np

    n = len(weights)
    if n < 4 or not weights.any():
        return np.zeros(n, dtype=bool), 0.0
    order = np.argsort(-coreness, kind="stable")
    best_k, best_r = 2, -np.inf
    for k in range(2, n - 1):
        core = np.zeros(n, dtype=bool)
        core[order[:k]] = True
        r = _fit(weights, core)
        if r > best_r:
            best_k, best_r = k, r
    start = np.zeros(n, dtype=bool)
    start[order[:best_k]] = True
    starts = [start] + [rng.random(n) < rng.uniform(0.1, 0.5) for _ in range(restarts)]
    best, best_r = None, -np.inf
    for core in starts:
        core, r = _climb(weights, core)
        if r > best_r + 1e-12:
            best, best_r = core, r
    return best, max(best_r, 0.0) if best_r > -np.inf else 0.0


def _fit(weights, core) -> float:
    """The correlation of ``weights`` with the pattern of ``core`` (core–periphery pairs left out)."""
    import numpy as np

    c = core.astype(float)
    p = 1 - c
    s = np.array([c @ weights @ c / 2, p @ weights @ p / 2])
    q = np.array([c @ weights**2 @ c / 2, p @ weights**2 @ p / 2])
    return float(_correlation(len(core), np.array([core.sum()]), s[:1], s[1:], q[:1], q[1:])[0])


def _correlation(n: int, k, s_cc, s_pp, q_cc, q_pp):
    """The point-biserial correlation for core sizes ``k`` with sums ``s`` and sums of squares
    ``q`` of the weights within the core and within the periphery; -inf where undefined."""
    import numpy as np

    k = k.astype(float)
    n_cc, n_pp = k * (k - 1) / 2, (n - k) * (n - k - 1) / 2
    m = n_cc + n_pp
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = (s_cc + s_pp) / m
        var = (q_cc + q_pp) / m - mean**2
        r = (s_cc / n_cc - s_pp / n_pp) * np.sqrt(n_cc * n_pp) / m / np.sqrt(var)
    return np.where((n_cc > 0) & (n_pp > 0) & (var > 1e-12), r, -np.inf)


def _climb(weights, core):
    """Move one unit at a time between core and periphery, the best move first, while the
    correlation rises; every move is weighed at once from each unit's sums to the core."""
    import numpy as np

    n = len(core)
    core = core.copy()
    squares = weights**2
    to_core, to_all = weights @ core, weights.sum(axis=1)
    sq_core, sq_all = squares @ core, squares.sum(axis=1)
    c = core.astype(float)
    s_cc, s_pp = c @ to_core / 2, (1 - c) @ (to_all - to_core) / 2
    q_cc, q_pp = c @ sq_core / 2, (1 - c) @ (sq_all - sq_core) / 2
    r = _correlation(n, np.array([core.sum()]), np.array([s_cc]), np.array([s_pp]), np.array([q_cc]), np.array([q_pp]))[
        0
    ]
    for _ in range(4 * n):
        sign = np.where(core, -1.0, 1.0)  # +1: a periphery unit joins the core
        to_per, sq_per = to_all - to_core, sq_all - sq_core
        k = core.sum() + sign
        moved = _correlation(
            n, k, s_cc + sign * to_core, s_pp - sign * to_per, q_cc + sign * sq_core, q_pp - sign * sq_per
        )
        i = int(np.argmax(moved))
        if not moved[i] > r + 1e-12:
            break
        s_cc, s_pp = s_cc + sign[i] * to_core[i], s_pp - sign[i] * to_per[i]
        q_cc, q_pp = q_cc + sign[i] * sq_core[i], q_pp - sign[i] * sq_per[i]
        to_core = to_core + sign[i] * weights[:, i]
        sq_core = sq_core + sign[i] * squares[:, i]
        core[i] = not core[i]
        r = moved[i]
    return core, float(r)
