"""Where nodes go, computed before the page opens, so every page opens still.

The layout is seeded (the same data gives the same picture) and pages run no
physics at all: vis-network's Barnes–Hut takes about 75 ms a step for 1,000
nodes in headless Chromium and ~0.8 s for 5,000, which is pyvis #204 (minutes
of jiggling).  By size:

- a connected graph of up to :data:`KK_LIMIT` nodes: Kamada–Kawai, which spaces
  nodes evenly where a spring layout clumps the middle;
- up to :data:`SPRING_LIMIT` nodes: networkx's spring layout;
- beyond: :func:`pivot_mds_layout` (networkx's sparse spring layout takes about
  90 s for 5,000 nodes; this about 2 s).
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

from respgraph.viz.drawing import Drawing

__all__ = ["place", "positions", "pivot_mds_layout", "KK_LIMIT", "SPRING_LIMIT"]

KK_LIMIT = 200  # Kamada–Kawai: 0.5 s at 120 nodes, 2.5 to 6 s at 280
SPRING_LIMIT = 500  # networkx's dense spring layout: under 2 s up to here
SEED = 7


def place(drawing: Drawing, *, seed: int = SEED) -> dict:
    """Give every node ``x`` and ``y`` in pixels; the vis-network options to match."""
    g = drawing.graph()
    # The layouts fill [-1, 1]²: spread that so neighbours sit ~140 px apart.
    scale = 70 * math.sqrt(len(g)) + 60
    for key, (x, y) in positions(g, seed=seed).items():
        drawing.nodes[key]["x"] = round(float(x) * scale, 1)
        drawing.nodes[key]["y"] = round(float(y) * scale, 1)
    options = {"physics": {"enabled": False}, "layout": {"improvedLayout": False}}
    if len(g) > SPRING_LIMIT:
        options["interaction"] = {"hideEdgesOnDrag": True, "hideEdgesOnZoom": True}
    return options


def positions(g: nx.Graph, *, seed: int = SEED) -> dict:
    """Node → (x, y) in [-1, 1]²."""
    if len(g) < 2:
        return dict.fromkeys(g, (0.0, 0.0))
    if len(g) > SPRING_LIMIT:
        return pivot_mds_layout(g, seed=seed)
    pos = nx.spring_layout(g, seed=seed)
    if len(g) <= KK_LIMIT and nx.is_connected(g):
        # Kamada–Kawai leaves separate components overlapping, hence connected only.
        pos = nx.kamada_kawai_layout(g, pos=pos)
    return pos


def pivot_mds_layout(g: nx.Graph, *, seed: int = SEED, pivots: int = 50) -> dict:
    """Pivot MDS (Brandes and Pich, 2006), then a spreading of nodes that landed together.

    Hop distances from a few far-apart pivots, double-centred and reduced to two
    dimensions, place the graph as a whole in O(pivots × edges); nodes with the same
    distances (the units of one item) land on one spot, so a few steps of
    repulsion between close nodes, found with a k-d tree, pull them apart.

    >>> pos = pivot_mds_layout(nx.path_graph(4))
    >>> sorted(pos) == [0, 1, 2, 3] and all(-1 <= v <= 1 for p in pos.values() for v in p)
    True
    """
    from scipy.spatial import cKDTree  # 0.6 s to import: only when a large graph is laid out

    nodes = list(g)
    n = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    rng = np.random.default_rng(seed)
    rows, nearest, pivot = [], np.full(n, np.inf), int(rng.integers(n))
    for _ in range(min(pivots, n)):
        row = np.full(n, np.nan)
        for node, hops in nx.single_source_shortest_path_length(g, nodes[pivot]).items():
            row[index[node]] = hops
        rows.append(row)
        nearest = np.fmin(nearest, row)
        pivot = int(np.argmax(np.where(np.isnan(row), -1, nearest)))  # the node farthest from all pivots
    distance = np.array(rows).T
    distance[np.isnan(distance)] = np.nanmax(distance) + 1  # other components: just beyond the farthest node
    sq = distance**2
    centred = -0.5 * (sq - sq.mean(axis=0) - sq.mean(axis=1)[:, None] + sq.mean())
    u, sizes, _ = np.linalg.svd(centred, full_matrices=False)
    pos = u[:, :2] * sizes[:2] + rng.normal(0, 0.05, (n, 2))
    for _ in range(30):
        pairs = cKDTree(pos).query_pairs(0.7, output_type="ndarray")
        delta = pos[pairs[:, 0]] - pos[pairs[:, 1]]
        dist = np.maximum(np.hypot(delta[:, 0], delta[:, 1]), 0.01)
        push = delta * ((0.7 - dist) / dist / 2)[:, None]
        move = np.zeros((n, 2))
        for column in (0, 1):
            move[:, column] = np.bincount(pairs[:, 0], push[:, column], n) - np.bincount(
                pairs[:, 1], push[:, column], n
            )
        length = np.maximum(np.hypot(move[:, 0], move[:, 1]), 1e-9)
        pos += move * (np.minimum(length, 0.3) / length)[:, None]
    pos -= pos.mean(axis=0)
    pos /= max(np.abs(pos).max(), 1e-9)
    return {node: (float(x), float(y)) for node, (x, y) in zip(nodes, pos)}
