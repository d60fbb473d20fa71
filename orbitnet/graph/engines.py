"""Faster engines for :func:`orbitnet.graph.metrics.compute_all` on large graphs.

NetworkX stays the API and the default; this module registers the ``"igraph"`` engine when
python-igraph is installed (``pip install 'orbitnet[fast]'``). :func:`compute_all` imports it
lazily and picks it for graphs of at least :data:`FAST_MIN_NODES` nodes (``engine="igraph"``
forces it, ``engine="networkx"`` refuses it). It returns the same :class:`AllMetrics` names and
follows the NetworkX definitions used by :mod:`orbitnet.graph.metrics`:

* degree, weighted degree, PageRank (PRPACK, exact), eigenvector centrality (per connected
  component, unit length, as :func:`~orbitnet.graph.metrics.eigenvector`), local clustering,
  transitivity, k-cores, articulation points and bridges are computed by igraph's C code;
* Burt's constraint and effective size use the same formulas as NetworkX's (sparse-matrix)
  versions, computed from each edge's triangles with NumPy, so they stay exact and linear in the
  number of triangles instead of needing a dense ``n x n`` matrix (what NetworkX's
  ``effective_size`` builds: 80 GB at 100,000 nodes);
* Louvain is igraph's multilevel algorithm, seeded; on graphs with clear community structure it
  finds the same communities as NetworkX's Louvain, up to labelling (ids are then ordered as
  :func:`~orbitnet.graph.metrics.communities` orders them). On graphs without clear structure two
  Louvain implementations may settle on different partitions of similar modularity;
* betweenness is exact (Brandes, with ``1 / weight`` lengths) up to ``exact_max_nodes`` nodes,
  as in NetworkX; above, it is estimated from sampled sources (Brandes and Pich), drawn as
  NetworkX draws them (``random.Random(seed).sample(list(G), k)``) and rescaled as NetworkX
  rescales them, so for the same ``k`` and ``seed`` the values are NetworkX's. (With lengths
  ``1 / weight`` two paths of the same length can differ in the last bit of their floating-point
  sums: igraph counts them as equally short, NetworkX counts only the shorter one, so on
  Newman-weighted graphs the two libraries differ by up to a few per cent on some nodes);
* closeness (Wasserman–Faust corrected, ``1 / weight`` lengths) is exact up to
  ``exact_max_nodes`` nodes. Above, an exact closeness would need one shortest-path search from
  every node (O(n m log n): hours at 100,000 nodes and a million edges), so it is estimated
  from ``k`` pivots per large connected component (Eppstein and Wang): each node's distance sum
  to its component is ``|C| / k`` times its summed distance to the pivots. Components with at
  most ``k`` nodes are computed exactly.

Sampling budget: a weighted single-source search costs about 0.1 s on a million edges, so the
number of sampled sources (betweenness) and pivots (closeness) is capped at
``SOURCE_EDGE_BUDGET / edges`` (at least :data:`MIN_SOURCES`): 111 at 1.07 million edges, where
each of the two metrics then takes 15-20 s on two cores and the whole suite under a minute. The
summary reports what was done: ``betweenness_exact`` and ``betweenness_k``, ``closeness_exact``
and ``closeness_k``.

A graph with self-loops, a directed graph or a multigraph is handed to the NetworkX engine (the
C routines and the triangle formulas assume a simple undirected graph); the summary then says
``engine: "networkx"``.

References
----------
G. Csárdi and T. Nepusz, "The igraph software package for complex network research",
InterJournal Complex Systems 1695 (2006); U. Brandes and C. Pich, "Centrality estimation in large
networks", Int. J. Bifurcation and Chaos 17, 2303-2318 (2007); D. Eppstein and J. Wang, "Fast
approximation of centrality", J. Graph Algorithms Appl. 8, 39-45 (2004); V. D. Blondel et al.,
J. Stat. Mech. P10008 (2008); R. S. Burt, "Structural Holes" (1992).
"""

from __future__ import annotations

import functools
import importlib.util
import math
import random
from collections.abc import Callable
from typing import Any

import networkx as nx
import numpy as np

from orbitnet.graph._common import str_sorted
from orbitnet.graph._searches import Searches, add_in_order

__all__ = [
    "FAST_MIN_NODES",
    "MIN_SOURCES",
    "SOURCE_EDGE_BUDGET",
    "available",
    "compute_igraph",
    "constraint_and_effective_size",
    "register",
]

FAST_MIN_NODES = 500
"""``engine="auto"`` uses igraph from this many nodes on (at 1,000 nodes and 11,000 edges the
NetworkX suite takes half a minute, mostly exact weighted betweenness and closeness; igraph about
a second)."""
SOURCE_EDGE_BUDGET = 120_000_000
"""Sampled sources (or pivots) times edges allowed per distance-based metric."""
MIN_SOURCES = 50
"""Never sample fewer sources than this (unless ``k`` is smaller)."""
_TRIANGLE_CHUNK = 4_000_000
"""Candidate triangles examined per NumPy step (bounds the memory of the triangle sums)."""


def available() -> bool:
    """Whether python-igraph is installed."""
    return importlib.util.find_spec("igraph") is not None


def register() -> None:
    """Register the ``"igraph"`` engine with :mod:`orbitnet.graph.metrics` when igraph is there."""
    from orbitnet.graph.metrics import register_engine

    if available():
        register_engine("igraph", compute_igraph, min_nodes=FAST_MIN_NODES)


# --------------------------------------------------------------------------- conversion


class _Indexed:
    """``G`` as index arrays: nodes in ``G``'s order, each undirected edge once."""

    def __init__(self, G: nx.Graph[Any], weight: str | None) -> None:
        self.nodes = list(G)
        self.n = len(self.nodes)
        index = {node: i for i, node in enumerate(self.nodes)}
        src: list[int] = []
        dst: list[int] = []
        ws: list[float] = []
        for u, neighbours in G.adjacency():
            i = index[u]
            for v, attrs in neighbours.items():
                j = index[v]
                if i < j:  # each undirected edge once (self-loops never reach this engine)
                    src.append(i)
                    dst.append(j)
                    ws.append(1.0 if weight is None else float(attrs.get(weight, 1.0)))
        self.src = np.asarray(src, dtype=np.int64)
        self.dst = np.asarray(dst, dtype=np.int64)
        self.w = np.asarray(ws, dtype=np.float64)
        self.m = len(src)
        self.weighted = weight is not None

    @functools.cached_property
    def lengths(self) -> np.ndarray | None:
        """Edge lengths ``1 / weight`` for the distance-based metrics; ``None`` when unweighted
        (or edgeless). Raises ``ValueError`` on a weight that is not positive."""
        if not (self.weighted and self.m):
            return None
        if not bool(np.all(self.w > 0)):
            bad = int(np.argmin(self.w > 0))
            u, v = self.nodes[self.src[bad]], self.nodes[self.dst[bad]]
            raise ValueError(
                f"edge ({u!r}, {v!r}) has weight={self.w[bad]!r}; distance-based "
                "metrics need weights > 0"
            )
        return 1.0 / self.w

    def igraph(self) -> Any:
        """The graph in igraph, with edge attributes ``w`` (weight) and, when weighted, ``d``
        (length)."""
        import igraph as ig

        pairs = list(zip(self.src.tolist(), self.dst.tolist(), strict=True))
        g = ig.Graph(n=self.n, edges=pairs, directed=False)
        if self.m:
            g.es["w"] = self.w.tolist()
            if self.lengths is not None:
                g.es["d"] = self.lengths.tolist()
        return g

    def degree(self) -> np.ndarray:
        return np.bincount(self.src, minlength=self.n) + np.bincount(self.dst, minlength=self.n)

    def strength(self) -> list[float]:
        """Each node's weight sum, by ``math.fsum`` (exactly rounded, so equal to
        :func:`~orbitnet.graph.metrics.weighted_degree` whatever the order of the edges)."""
        ends = np.concatenate([self.src, self.dst])
        order = np.argsort(ends, kind="stable")
        weights = np.concatenate([self.w, self.w])[order].tolist()
        bounds = np.searchsorted(ends[order], np.arange(self.n + 1)).tolist()
        fsum = math.fsum
        return [fsum(weights[bounds[i] : bounds[i + 1]]) for i in range(self.n)]


# --------------------------------------------------------------------------- structural holes


def _triangle_sums(
    n: int, src: np.ndarray, dst: np.ndarray, w: np.ndarray, strength: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per edge ``(i, j)``: ``U = sum_q w_iq w_qj`` and ``T = sum_q w_iq w_qj / s_q`` over the
    common neighbours ``q`` of ``i`` and ``j`` (its triangles).

    Triangles are listed once each by orienting every edge from the endpoint of lower degree to
    the one of higher degree (ties by index) and closing each oriented path ``a -> b -> c`` with
    a search for ``a -> c`` (Chiba and Nishizeki, "Arboricity and subgraph listing algorithms",
    SIAM J. Comput. 14 (1985)).
    """
    m = len(src)
    U = np.zeros(m)
    T = np.zeros(m)
    if m == 0:
        return U, T
    deg = np.bincount(src, minlength=n) + np.bincount(dst, minlength=n)
    rank = np.empty(n, dtype=np.int64)
    rank[np.lexsort((np.arange(n), deg))] = np.arange(n)
    flip = rank[src] > rank[dst]
    a = np.where(flip, dst, src)
    b = np.where(flip, src, dst)
    key = a * n + b
    order = np.argsort(key, kind="stable")
    key_sorted = key[order]
    a_sorted, b_sorted = a[order], b[order]
    starts = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(a_sorted, minlength=n), out=starts[1:])
    out_degree = np.diff(starts)
    lengths = out_degree[b_sorted]
    bounds = np.cumsum(lengths)
    lo = 0
    while lo < m:
        # the next run of oriented edges whose candidates fit in one chunk
        done = bounds[lo - 1] if lo else 0
        hi = int(np.searchsorted(bounds, done + _TRIANGLE_CHUNK, side="right"))
        hi = max(hi, lo + 1)
        counts = lengths[lo:hi]
        total = int(counts.sum())
        if total:
            edge = np.repeat(np.arange(lo, hi), counts)
            offset = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
            bc = starts[b_sorted[edge]] + offset  # the oriented edge b -> c
            c = b_sorted[bc]
            wanted = a_sorted[edge] * n + c
            pos = np.searchsorted(key_sorted, wanted)
            pos[pos == m] = 0
            hit = key_sorted[pos] == wanted
            e_ab, e_bc, e_ac = order[edge[hit]], order[bc[hit]], order[pos[hit]]
            na, nb, nc = a_sorted[edge[hit]], b_sorted[edge[hit]], c[hit]
            w_ab, w_bc, w_ac = w[e_ab], w[e_bc], w[e_ac]
            for e, x, y, q in (
                (e_ab, w_ac, w_bc, nc),
                (e_ac, w_ab, w_bc, nb),
                (e_bc, w_ab, w_ac, na),
            ):
                U += np.bincount(e, x * y, minlength=m)
                T += np.bincount(e, x * y / strength[q], minlength=m)
        lo = hi
    return U, T


def constraint_and_effective_size(
    n: int, src: np.ndarray, dst: np.ndarray, w: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Burt's constraint and effective size of every node of a simple undirected graph.

    The graph is given as ``n`` nodes and its edges ``src[e] -- dst[e]`` with strengths ``w[e]``
    (all 1 for an unweighted graph). With ``p_ij = w_ij / s_i`` (``s`` the node strengths) these
    are NetworkX's definitions: ``constraint_i = sum_j (p_ij + sum_q p_iq p_qj)^2`` and
    ``effective_size_i = deg_i - sum_j sum_q p_iq w_jq / max_x w_jx`` over the neighbours ``j``
    of ``i``; isolated nodes get ``nan``. Both inner sums run over the common neighbours of
    ``i`` and ``j``, that is over the triangles of the edge, which is how they are computed.

    Examples
    --------
    >>> import numpy as np
    >>> c, e = constraint_and_effective_size(3, np.array([0, 0]), np.array([1, 2]), np.ones(2))
    >>> c.tolist(), e.tolist()
    ([0.5, 1.0, 1.0], [2.0, 1.0, 1.0])

    References
    ----------
    R. S. Burt, "Structural Holes" (1992); S. P. Borgatti, Connections 20, 35-38 (1997).
    """
    strength = np.bincount(src, w, minlength=n) + np.bincount(dst, w, minlength=n)
    degree = np.bincount(src, minlength=n) + np.bincount(dst, minlength=n)
    U, T = _triangle_sums(n, src, dst, w, strength)
    with np.errstate(divide="ignore", invalid="ignore"):
        local = (w + T) ** 2
        constraint = (
            np.bincount(src, local, minlength=n) + np.bincount(dst, local, minlength=n)
        ) / (strength**2)
        heaviest = np.zeros(n)
        np.maximum.at(heaviest, src, w)
        np.maximum.at(heaviest, dst, w)
        redundancy = np.bincount(src, U / heaviest[dst], minlength=n) + np.bincount(
            dst, U / heaviest[src], minlength=n
        )
        effective = degree - redundancy / strength
    isolated = degree == 0
    constraint[isolated] = math.nan
    effective[isolated] = math.nan
    return constraint, effective


# --------------------------------------------------------------------------- the engine


def _sample_size(k: int, n: int, m: int) -> int:
    budget = max(MIN_SOURCES, SOURCE_EDGE_BUDGET // max(m, 1))
    return max(1, min(k, n, budget))


_Finish = Callable[[list[np.ndarray]], tuple[np.ndarray, bool, int | None]]
"""Turns the rows of the planned searches into ``(values, exact, k)``."""


def _betweenness(work: Searches, rng: random.Random, *, exact_max_nodes: int, k: int) -> _Finish:
    """Plan betweenness; the returned function gives ``(values, exact, k)`` once the planned
    searches have run."""
    g = work.g
    n, m = g.vcount(), g.ecount()
    k_used = _sample_size(k, n, m)
    if n <= exact_max_nodes or k_used >= n:
        raw = np.asarray(g.betweenness(weights=work.weights), dtype=float)
        exact = np.zeros(n) if n <= 2 else raw * 2.0 / ((n - 1) * (n - 2))
        return lambda results: (exact, True, None)
    sources = rng.sample(range(n), k_used)  # what NetworkX draws: seed.sample(list(G), k)
    chunks = work.add("betweenness", sources)

    def finish(results: list[np.ndarray]) -> tuple[np.ndarray, bool, int | None]:
        # igraph counts each source-target path once per pair; NetworkX's Brandes counts it
        # from the source, twice as much: the factor 2 makes the raw sums equal before rescaling.
        raw = 2.0 * add_in_order(results[chunks], n)
        big_n = n - 1  # NetworkX's _rescale with endpoints=False
        scale = np.full(n, 1.0 / (k_used * (big_n - 1)))
        scale[sources] = 1.0 / ((k_used - 1) * (big_n - 1)) if k_used > 1 else math.nan
        return raw * scale, False, k_used

    return finish


def _closeness(work: Searches, rng: random.Random, *, exact_max_nodes: int, k: int) -> _Finish:
    """Plan closeness; the returned function gives ``(values, exact, k)`` once the planned
    searches have run."""
    g = work.g
    n, m = g.vcount(), g.ecount()
    out = np.zeros(n)
    if n <= 1:
        return lambda results: (out, True, None)
    membership = np.asarray(g.connected_components().membership)
    sizes = np.bincount(membership)
    reach = sizes[membership].astype(float)  # each node's component size
    k_used = _sample_size(k, n, m)
    exact = n <= exact_max_nodes or k_used >= n
    small = np.ones(n, dtype=bool) if exact else sizes[membership] <= k_used
    if small.any():
        vertices = np.flatnonzero(small).tolist()
        values = np.asarray(g.closeness(vertices=vertices, weights=work.weights), dtype=float)
        out[small] = np.nan_to_num(values, nan=0.0)
    planned = []
    for component in [] if exact else np.flatnonzero(sizes > k_used).tolist():
        members = np.flatnonzero(membership == component)
        pivots = rng.sample(members.tolist(), k_used)
        planned.append((members, work.add("distances", pivots)))

    def finish(results: list[np.ndarray]) -> tuple[np.ndarray, bool, int | None]:
        for members, chunks in planned:
            r = len(members)
            total = add_in_order(results[chunks], n)
            estimate = total[members] * (r / k_used)  # the distance sum to the whole component
            with np.errstate(divide="ignore"):
                out[members] = np.where(estimate > 0, (r - 1) / estimate, 0.0)
        # igraph normalises by the reachable nodes; NetworkX's Wasserman–Faust correction also
        # scales by the share of the graph they are: (r - 1) / (n - 1).
        return out * (reach - 1) / (n - 1), exact, None if exact else k_used

    return finish


def _eigenvector(g: Any, data: _Indexed) -> np.ndarray:
    out = np.zeros(data.n)
    weights = "w" if data.weighted and data.m else None
    for members in g.connected_components():
        if len(members) == 1:
            continue
        if len(members) == 2:
            out[members] = math.sqrt(0.5)
            continue
        values = np.asarray(
            g.induced_subgraph(members).eigenvector_centrality(weights=weights), dtype=float
        )
        out[members] = np.abs(values) / np.linalg.norm(values)
    return out


def _communities(
    g: Any, data: _Indexed, seed: int | None
) -> tuple[dict[Any, int], int, float | None]:
    import igraph as ig

    weights = "w" if data.weighted and data.m else None
    ig.set_random_number_generator(random.Random(seed))
    try:
        found = g.community_multilevel(weights=weights)
    finally:
        ig.set_random_number_generator(random)
    groups: dict[int, list[int]] = {}
    for i, c in enumerate(found.membership):
        groups.setdefault(c, []).append(i)
    ordered = sorted(groups.values(), key=lambda c: (-len(c), min(str(data.nodes[i]) for i in c)))
    membership = [0] * data.n
    for label, members in enumerate(ordered):
        for i in members:
            membership[i] = label
    modularity = None
    if data.m:
        modularity = float(g.modularity(membership, weights=weights))
    return {data.nodes[i]: membership[i] for i in range(data.n)}, len(ordered), modularity


def compute_igraph(
    G: nx.Graph[Any],
    *,
    weight: str | None,
    seed: int | None,
    exact_max_nodes: int,
    k: int,
) -> Any:
    """The whole metrics suite of :func:`~orbitnet.graph.metrics.compute_all` with igraph.

    See the module docstring for what is exact and what is estimated.

    Examples
    --------
    >>> import networkx as nx
    >>> nodes, summary = compute_igraph(
    ...     nx.barbell_graph(4, 0), weight=None, seed=0, exact_max_nodes=2000, k=500
    ... )  # doctest: +SKIP
    >>> summary["bridges"], summary["communities"]  # doctest: +SKIP
    ([(3, 4)], 2)
    """
    from orbitnet.graph.metrics import NODE_METRICS, AllMetrics, _compute_networkx

    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    if G.is_directed() or G.is_multigraph() or nx.number_of_selfloops(G):
        result = _compute_networkx(
            G, weight=weight, seed=seed, exact_max_nodes=exact_max_nodes, k=k
        )
        result.summary["engine"] = "networkx"
        return result
    data = _Indexed(G, weight)
    g = data.igraph()
    n, nodes = data.n, data.nodes
    rng = random.Random(seed)
    lengths = data.lengths
    with Searches(g, data.src, data.dst, lengths, "d" if lengths is not None else None) as work:
        # a failure or Ctrl-C below stops the workers (the with block closes them)
        betweenness_done = _betweenness(work, rng, exact_max_nodes=exact_max_nodes, k=k)
        closeness_done = _closeness(work, rng, exact_max_nodes=exact_max_nodes, k=k)
        work.start()  # the sampled searches run meanwhile, when worker processes pay off
        membership, n_communities, modularity = _communities(g, data, seed)
        constraint, effective = constraint_and_effective_size(n, data.src, data.dst, data.w)
        degree = data.degree()
        pagerank = (
            np.asarray(g.pagerank(weights="w" if data.weighted and data.m else None), dtype=float)
            if n
            else np.zeros(0)
        )
        clustering = np.asarray(g.transitivity_local_undirected(mode="zero"), dtype=float)
        cut = {nodes[i] for i in g.articulation_points()}
        eigenvector = _eigenvector(g, data)
        searches = work.results()
    between, between_exact, between_k = betweenness_done(searches)
    close, close_exact, close_k = closeness_done(searches)
    columns: dict[str, list[Any]] = {
        "degree": degree.tolist(),
        "weighted_degree": data.strength(),
        "closeness": close.tolist(),
        "eigenvector": eigenvector.tolist(),
        "pagerank": pagerank.tolist(),
        "betweenness": between.tolist(),
        "clustering": clustering.tolist(),
        "community": [membership[v] for v in nodes],
        "core_number": g.coreness(),
        "constraint": constraint.tolist(),
        "effective_size": effective.tolist(),
        "articulation": [v in cut for v in nodes],
    }
    rows = zip(*(columns[name] for name in NODE_METRICS), strict=True)
    node_values = {
        v: dict(zip(NODE_METRICS, row, strict=True)) for v, row in zip(nodes, rows, strict=True)
    }
    bridges = []
    for e in g.bridges():
        pair = str_sorted((nodes[data.src[e]], nodes[data.dst[e]]))
        bridges.append((pair[0], pair[1]))
    bridges.sort(key=lambda p: (str(p[0]), str(p[1])))
    transitivity = g.transitivity_undirected() if data.m else 0.0
    summary: dict[str, Any] = {
        "nodes": n,
        "edges": data.m,
        "density": float(nx.density(G)),
        "components": len(g.connected_components()) if n else 0,
        "average_clustering": float(clustering.mean()) if n else 0.0,
        "transitivity": 0.0 if math.isnan(transitivity) else float(transitivity),
        "modularity": modularity,
        "communities": n_communities,
        "betweenness_exact": between_exact,
        "betweenness_k": between_k,
        "closeness_exact": close_exact,
        "closeness_k": close_k,
        "bridges": bridges,
        "articulation_points": str_sorted(cut),
        "weight": weight,
        "seed": seed,
    }
    return AllMetrics(node_values, summary)
