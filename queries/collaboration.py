"""The structure of the unit co-responsibility network: ties, brokers, communities, core.

The network is the projection of :func:`~respgraph.queries.co.unit_item_graph`
onto units, two units joined by the number of items they share; everything here
then runs in networkx, whatever the store.  It is the graph
:func:`networkx.algorithms.bipartite.weighted_projected_graph` gives (a test
checks they agree), built from :func:`~respgraph.queries.co.co_pairs` and the
units' item counts, which each store counts natively: networkx intersects the
neighbour sets of every two units two steps apart, 22 s on 10,000 items.

- **degree**: units a unit shares at least one item with; **weighted degree**:
  the sum of shared items over those partners.
- **betweenness** (brokers): the share of shortest paths between other units
  that pass through a unit, a tie's length being ``1 / shared items`` so that
  close partners are near.  Exact while units × ties stays within
  :data:`BETWEENNESS_BUDGET`; beyond, estimated from as many source units as
  the budget allows (at least 32), drawn with the seed.
- **communities**: Louvain on the shared-item weights with a fixed seed, so the
  same graph always splits the same way; numbered 1, 2, … from the largest.

Within the budget everything runs in networkx, exactly.  Beyond it (a province, or
a city of 10,000 items: 1,280 units and 200,000 ties) the betweenness estimate and
Louvain run in igraph's C (:func:`_large_network`): the same estimate from the
same seeded source units, and igraph's multilevel Louvain with the same seed —
under a second where networkx took 20.  Ties between equally short paths are
compared with a tolerance there, so an estimate can differ from networkx's by a
few per cent; a test holds the two side by side.
- **core and periphery**: k-cores of the network of *repeated* ties (units
  sharing at least ``core_min_shared`` = 2 items).  One item that names 22 units
  would otherwise make all 22 a 21-core by itself.  ``core``: the main k-core;
  ``periphery``: units with no repeated tie at all; ``middle``: the rest.
"""

from __future__ import annotations

from functools import partial

import networkx as nx

from respgraph.graph.protocol import GraphStore
from respgraph.queries.co import default_co_pairs
from respgraph.queries.listing import default_unit_counts
from respgraph.queries.lookup import scope
from respgraph.queries.native import native
from respgraph.queries.result import Result
from respgraph.queries.rows import Row

__all__ = ["collaboration", "collaboration_of", "co_network", "Collaboration", "UnitPosition", "Community"]

#: Units × ties up to which betweenness is exact: a few seconds of Dijkstra.
BETWEENNESS_BUDGET = 4_000_000


class UnitPosition(Row):
    name: str
    city: str = ""
    kind: str
    items: int
    degree: int
    weighted_degree: int
    betweenness: float
    community: int
    core_number: int
    position: str


class Community(Row):
    """``members`` by weighted degree, the most connected first."""

    id: int
    size: int
    members: list[str]


class Collaboration(Result):
    #: By betweenness, the strongest brokers first.
    rows: list[UnitPosition]
    communities: list[Community]
    modularity: float
    units: int
    ties: int
    density: float
    core_k: int
    core_min_shared: int
    seed: int
    #: Sources the betweenness was estimated from; None when exact.
    betweenness_sample: int | None

    def brokers(self, n: int = 10) -> list[UnitPosition]:
        return [r for r in self.rows if r.betweenness > 0][:n]

    def of(self, position: str) -> list[UnitPosition]:
        """Rows in ``position`` ("core", "middle" or "periphery"), heaviest first."""
        rows = [r for r in self.rows if r.position == position]
        return sorted(rows, key=lambda r: (-r.weighted_degree, r.name))


def co_network(store: GraphStore, *, city: str | None = None, documents: list[str] | None = None) -> nx.Graph:
    """Units joined by ``weight`` = shared items; node attributes ``kind``, ``city`` and ``items``.

    Examples
    --------
    >>> from respgraph.ingest import sample_store
    >>> store = sample_store()
    >>> network = co_network(store)
    >>> network["湛江京信发电有限公司"]["市交通运输局"]["weight"], network.nodes["市交通运输局"]["items"]
    (1, 30)
    """
    documents = scope(store, city=city, documents=documents)
    found = native(store, "unit_counts")
    counted = [
        c
        for c in (found or partial(default_unit_counts, store))(documents=documents)
        if c["kind"] != "group" and c["items"]
    ]
    several = len({c["city"] for c in counted}) > 1  # two cities' 市财政局 are two bodies

    def node(name: str, city: str) -> str:
        return f"{city}:{name}" if several else name

    # The store's own count of the pairs, as plain rows: the network is 200,000 ties at
    # 10,000 items, and it is built in name order (see collaboration_of) to be used as it is.
    pairs = native(store, "co_pairs") or partial(default_co_pairs, store)
    ties = sorted(
        (node(min(p["a"], p["b"]), p["city"]), node(max(p["a"], p["b"]), p["city"]), p["shared"])
        for p in pairs(min_shared=1, documents=documents)
    )
    network: nx.Graph[str] = nx.Graph()
    network.add_nodes_from(
        sorted(
            (node(c["name"], c["city"]), {"kind": c["kind"], "city": c["city"], "items": c["items"]}) for c in counted
        )
    )
    network.add_weighted_edges_from(ties)
    return network


def collaboration(
    store: GraphStore,
    *,
    city: str | None = None,
    documents: list[str] | None = None,
    seed: int = 42,
    resolution: float = 1.0,
    core_min_shared: int = 2,
) -> Collaboration:
    """Degree, brokers, communities and core/periphery of the co-responsibility network.

    Parameters
    ----------
    store : GraphStore (the embedded SqliteStore, or Neo4jStore)
    documents : list of str, optional
    seed : int
        Seed of Louvain (and of the betweenness estimate on large networks).
    resolution : float
        Louvain's resolution: above 1 gives more, smaller communities.
    core_min_shared : int
        Shared items that make a tie *repeated*, for core and periphery.

    Examples
    --------
    >>> from respgraph.ingest import sample_store
    >>> store = sample_store()
    >>> c = collaboration(store)
    >>> [r.name for r in c.brokers(2)], c.units, c.core_k
    (['市发展改革局', '市自然资源局'], 127, 10)

    See Also
    --------
    collaboration_of : the same on any weighted networkx graph.
    """
    documents = scope(store, city=city, documents=documents)
    return collaboration_of(
        co_network(store, documents=documents), seed=seed, resolution=resolution, core_min_shared=core_min_shared
    )


def collaboration_of(
    network: nx.Graph, *, seed: int = 42, resolution: float = 1.0, core_min_shared: int = 2
) -> Collaboration:
    """:func:`collaboration` of a graph whose edges carry ``weight`` (shared items).

    Examples
    --------
    Two triangles joined by one tie between c and d:

    >>> import networkx as nx
    >>> g = nx.Graph()
    >>> g.add_weighted_edges_from([("a", "b", 2), ("b", "c", 2), ("a", "c", 2),
    ...                            ("d", "e", 2), ("e", "f", 2), ("d", "f", 2), ("c", "d", 1)])
    >>> c = collaboration_of(g)
    >>> [m.members for m in c.communities]
    [['c', 'a', 'b'], ['d', 'e', 'f']]
    >>> [r.name for r in c.brokers()]
    ['c', 'd']
    """
    # Louvain and the betweenness estimate draw nodes in the graph's order: in name
    # order, both stores (whose rows come in different orders) get the same answer.
    network = _in_name_order(network)
    n = network.number_of_nodes()
    ties = network.number_of_edges()
    budget = max(32, BETWEENNESS_BUDGET // max(ties, 1))
    sample = None if n * ties <= BETWEENNESS_BUDGET or budget >= n else budget
    if sample is None:
        lengths: nx.Graph[str] = nx.Graph()
        lengths.add_nodes_from(network)
        lengths.add_edges_from((u, v, {"distance": 1 / d["weight"]}) for u, v, d in network.edges(data=True))
        between = nx.betweenness_centrality(lengths, weight="distance")
        found = nx.community.louvain_communities(network, weight="weight", resolution=resolution, seed=seed)
        modularity = nx.community.modularity(network, found, weight="weight") if network.size() else 0.0
    else:
        between, found, modularity = _large_network(network, sample, seed=seed, resolution=resolution)
    strength = dict(network.degree(weight="weight"))
    ranked = sorted((sorted(c, key=lambda u: (-strength[u], u)) for c in found), key=lambda c: (-len(c), c[0]))
    community_of = {u: i for i, members in enumerate(ranked, 1) for u in members}
    repeated: nx.Graph[str] = nx.Graph()
    repeated.add_nodes_from(network)
    repeated.add_edges_from((u, v) for u, v, d in network.edges(data=True) if d["weight"] >= core_min_shared)
    core = nx.core_number(repeated)
    core_k = max(core.values(), default=0)
    rows = [
        UnitPosition(
            name=u,
            city=network.nodes[u].get("city", ""),
            kind=network.nodes[u].get("kind", ""),
            items=network.nodes[u].get("items", 0),
            degree=network.degree(u),
            weighted_degree=strength[u],
            betweenness=round(between[u], 6),
            community=community_of[u],
            core_number=core[u],
            position=_position(core[u], core_k),
        )
        for u in network
    ]
    rows.sort(key=lambda r: (-r.betweenness, -r.weighted_degree, r.name))
    return Collaboration(
        rows=rows,
        communities=[Community(id=i, size=len(m), members=m) for i, m in enumerate(ranked, 1)],
        modularity=round(modularity, 4),
        units=n,
        ties=network.number_of_edges(),
        density=round(nx.density(network), 4),
        core_k=core_k,
        core_min_shared=core_min_shared,
        seed=seed,
        betweenness_sample=sample,
    )


def _large_network(network: nx.Graph, sample: int, *, seed: int, resolution: float):
    """Betweenness estimated from ``sample`` source units, Louvain communities and their
    modularity, in igraph: what networkx's ``betweenness_centrality(k=sample, seed=seed)``
    and ``louvain_communities`` compute, for networks too large for them to be quick."""
    import random

    import igraph

    nodes = list(network)  # name order (see collaboration_of)
    index = {u: i for i, u in enumerate(nodes)}
    g = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in network.edges()], directed=False)
    weights = [d["weight"] for _, _, d in network.edges(data=True)]
    # The sources networkx would draw: random.Random(seed).sample of the nodes in order.
    sources = random.Random(seed).sample(nodes, sample)
    raw = g.betweenness(weights=[1 / w for w in weights], sources=[index[s] for s in sources], directed=False)
    # igraph counts each source-target path once; networkx counts it from its source and
    # then divides by the pairs a sample can see: k (n - 1), one fewer source for a source.
    n, chosen = len(nodes), set(sources)
    between = {u: 2 * raw[i] / ((sample - (u in chosen)) * (n - 1)) for u, i in index.items()}
    previous = random.getstate()
    igraph.set_random_number_generator(random.Random(seed))
    try:
        levels = g.community_multilevel(weights=weights, resolution=resolution)
    finally:
        igraph.set_random_number_generator(random)
        random.setstate(previous)
    found = [{nodes[i] for i in members} for members in levels]
    return between, found, g.modularity(levels.membership, weights=weights, resolution=resolution)


def _in_name_order(network: nx.Graph) -> nx.Graph:
    if _ordered(network):  # co_network's graphs already are
        return network
    ordered: nx.Graph[str] = nx.Graph()
    ordered.add_nodes_from((u, network.nodes[u]) for u in sorted(network))
    ordered.add_edges_from(sorted((min(u, v), max(u, v), d) for u, v, d in network.edges(data=True)))
    return ordered


def _ordered(network: nx.Graph) -> bool:
    """Nodes in name order, and each node's ties too, as :func:`_in_name_order` leaves them."""
    nodes = list(network)
    if nodes != sorted(nodes):
        return False
    return all(list(ties) == sorted(ties) for ties in network.adj.values())


def _position(core_number: int, core_k: int) -> str:
    if core_number == 0:
        return "periphery"
    return "core" if core_number == core_k else "middle"
