"""Who matters in the collaboration graph: centralities, clusters, cores, brokers, weak points.

Every function takes a NetworkX graph and returns plain data keyed by node, NetworkX-style
(``f(G, *, weight=None, seed=None, ...)``). ``weight`` names an edge attribute holding a *strength*
(the Newman collaboration weight): strength-based metrics (weighted degree, eigenvector, PageRank,
Louvain, constraint, effective size) use it as is, while distance-based metrics (closeness,
betweenness) turn it into a length ``1 / weight`` so that strong ties are short. A missing weight
counts as 1; distance-based metrics reject weights ``<= 0``.

:func:`compute_all` runs everything at once through :func:`select_engine`, the one dispatch point
where a faster engine takes over above a size threshold: :mod:`orbitnet.graph.engines` (imported
on first use) registers ``"igraph"`` for graphs of 500 nodes or more when python-igraph is
installed (``pip install 'orbitnet[fast]'``); NetworkX is the default and the reference.
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import networkx as nx

from orbitnet.graph._common import distance_graph, str_sorted

__all__ = [
    "NODE_METRICS",
    "AllMetrics",
    "BetweennessResult",
    "CommunityResult",
    "articulation_points",
    "average_clustering",
    "betweenness",
    "bridges",
    "closeness",
    "clustering",
    "communities",
    "compute_all",
    "constraint",
    "core_number",
    "degree",
    "effective_size",
    "eigenvector",
    "pagerank",
    "register_engine",
    "select_engine",
    "transitivity",
    "weighted_degree",
]

EXACT_MAX_NODES = 2000
"""Above this many nodes, betweenness is estimated from ``k`` sampled sources."""
SAMPLE_K = 500
"""Default number of sampled sources for approximate betweenness."""

NODE_METRICS = (
    "degree",
    "weighted_degree",
    "closeness",
    "eigenvector",
    "pagerank",
    "betweenness",
    "clustering",
    "community",
    "core_number",
    "constraint",
    "effective_size",
    "articulation",
)
"""The per-node metric names produced by :func:`compute_all`, in order."""


# --------------------------------------------------------------------------- degree


def degree(G: nx.Graph[Any]) -> dict[Any, int]:
    """Number of partners of each node.

    Examples
    --------
    >>> import networkx as nx
    >>> degree(nx.star_graph(3))
    {0: 3, 1: 1, 2: 1, 3: 1}

    References
    ----------
    L. C. Freeman, "Centrality in social networks conceptual clarification", Social Networks 1,
    215-239 (1979).
    """
    return {n: len(G[n]) for n in G}


def weighted_degree(G: nx.Graph[Any], *, weight: str | None = "weight") -> dict[Any, float]:
    """Strength: the sum of the weights of a node's edges (a missing weight counts as 1).

    With Newman weights this is the number of undertakings shared with at least one partner.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b", {"weight": 0.5}), ("a", "c", {"weight": 1.0})])
    >>> weighted_degree(G)
    {'a': 1.5, 'b': 0.5, 'c': 1.0}

    References
    ----------
    A. Barrat et al., "The architecture of complex weighted networks", PNAS 101, 3747 (2004).
    """
    return {
        n: math.fsum(1.0 if weight is None else float(d.get(weight, 1.0)) for d in G[n].values())
        for n in G
    }


# --------------------------------------------------------------------------- closeness


def closeness(
    G: nx.Graph[Any], *, weight: str | None = None, wf_improved: bool = True
) -> dict[Any, float]:
    """Closeness centrality; with ``weight``, edges are ``1 / weight`` long.

    In a disconnected graph, NetworkX's Wasserman–Faust correction (``wf_improved=True``) scales
    each node's value by the share of the graph it can reach.

    Examples
    --------
    >>> import networkx as nx
    >>> closeness(nx.path_graph(4))
    {0: 0.5, 1: 0.75, 2: 0.75, 3: 0.5}

    References
    ----------
    L. C. Freeman, Social Networks 1, 215-239 (1979); S. Wasserman and K. Faust, "Social Network
    Analysis: Methods and Applications", Cambridge University Press (1994).
    """
    H, distance = distance_graph(G, weight)
    return dict(nx.closeness_centrality(H, distance=distance, wf_improved=wf_improved))


# --------------------------------------------------------------------------- eigenvector


def eigenvector(
    G: nx.Graph[Any], *, weight: str | None = None, max_iter: int = 1000, tol: float = 1.0e-6
) -> dict[Any, float]:
    """Eigenvector centrality, computed per connected component.

    The leading eigenvector of a disconnected graph lives on one component only, so each connected
    component is scored on its own, normalised to unit Euclidean length as NetworkX does: values
    compare within a component, not across. Isolated nodes score 0. When power iteration does not
    converge in ``max_iter`` steps the component is solved with ARPACK
    (``eigenvector_centrality_numpy``, needs SciPy); if that fails too, its nodes get ``nan`` and a
    ``RuntimeWarning`` is issued.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([(0, 1), (2, 3), (3, 4)])
    >>> {n: round(v, 4) for n, v in eigenvector(G).items()}
    {0: 0.7071, 1: 0.7071, 2: 0.5, 3: 0.7071, 4: 0.5}

    References
    ----------
    P. Bonacich, "Power and centrality: A family of measures", American Journal of Sociology 92,
    1170-1182 (1987).
    """
    result: dict[Any, float] = {}
    for component in nx.connected_components(G):
        if len(component) == 1:
            result.update(dict.fromkeys(component, 0.0))
            continue
        H = G.subgraph(component)
        try:
            values = nx.eigenvector_centrality(H, max_iter=max_iter, tol=tol, weight=weight)
        except nx.PowerIterationFailedConvergence:
            try:
                values = nx.eigenvector_centrality_numpy(H, weight=weight)
            except (ImportError, RuntimeError, nx.NetworkXException) as exc:
                warnings.warn(
                    f"eigenvector centrality did not converge on a component of {len(H)} nodes"
                    f" ({exc}); its nodes get nan",
                    RuntimeWarning,
                    stacklevel=2,
                )
                values = dict.fromkeys(component, math.nan)
        result.update({n: float(v) for n, v in values.items()})
    return {n: result[n] for n in G}


# --------------------------------------------------------------------------- PageRank


def pagerank(
    G: nx.Graph[Any],
    *,
    weight: str | None = None,
    alpha: float = 0.85,
    max_iter: int = 100,
    tol: float = 1.0e-6,
) -> dict[Any, float]:
    """PageRank of an undirected graph (each edge followed both ways); values sum to 1.

    PageRank has no randomness (power iteration from a uniform start), so it takes no seed.
    NetworkX computes it with SciPy; without SciPy the same iteration runs in plain Python.

    Examples
    --------
    >>> import networkx as nx
    >>> pr = pagerank(nx.star_graph(3))
    >>> round(sum(pr.values()), 6), max(pr, key=pr.__getitem__)
    (1.0, 0)

    References
    ----------
    S. Brin and L. Page, "The anatomy of a large-scale hypertextual Web search engine", Computer
    Networks and ISDN Systems 30, 107-117 (1998).
    """
    if len(G) == 0:
        return {}
    try:
        values = nx.pagerank(G, alpha=alpha, max_iter=max_iter, tol=tol, weight=weight)
    except ImportError:  # NetworkX's PageRank needs SciPy; the same iteration in plain Python
        values = _pagerank_python(G, alpha=alpha, max_iter=max_iter, tol=tol, weight=weight)
    return {n: float(values[n]) for n in G}


def _pagerank_python(
    G: nx.Graph[Any], *, alpha: float, max_iter: int, tol: float, weight: str | None
) -> dict[Any, float]:
    """Power iteration as in NetworkX: uniform teleport, dangling nodes spread uniformly."""
    nodes = list(G)
    n = len(nodes)
    out = {
        u: {v: 1.0 if weight is None else float(d.get(weight, 1.0)) for v, d in G[u].items()}
        for u in nodes
    }
    strength = {u: math.fsum(out[u].values()) for u in nodes}
    x = dict.fromkeys(nodes, 1.0 / n)
    for _ in range(max_iter):
        last = x
        dangling = alpha * math.fsum(last[u] for u in nodes if strength[u] == 0) / n
        x = dict.fromkeys(nodes, (1.0 - alpha) / n + dangling)
        for u in nodes:
            if strength[u]:
                share = alpha * last[u] / strength[u]
                for v, w in out[u].items():
                    x[v] += share * w
        if math.fsum(abs(x[u] - last[u]) for u in nodes) < n * tol:
            return x
    raise nx.PowerIterationFailedConvergence(max_iter)


# --------------------------------------------------------------------------- betweenness


@dataclass(frozen=True)
class BetweennessResult:
    """Betweenness values and how they were obtained.

    Attributes
    ----------
    values : dict
        Node -> betweenness centrality.
    exact : bool
        True when every node was used as a source (Brandes); False when estimated.
    k : int or None
        The number of sampled sources when estimated, else None.
    """

    values: dict[Any, float] = field(default_factory=dict)
    exact: bool = True
    k: int | None = None


def betweenness(
    G: nx.Graph[Any],
    *,
    weight: str | None = None,
    normalized: bool = True,
    exact_max_nodes: int = EXACT_MAX_NODES,
    k: int = SAMPLE_K,
    seed: int | None = None,
) -> BetweennessResult:
    """Betweenness centrality: exact on small graphs, sampled on large ones.

    Exact (Brandes) when the graph has at most ``exact_max_nodes`` nodes or when ``k`` would
    sample every node anyway; otherwise estimated from ``k`` source nodes drawn with ``seed``
    (Brandes and Pich). With ``weight``, edges are ``1 / weight`` long.

    Returns
    -------
    BetweennessResult
        ``values`` plus ``exact`` and ``k`` (the sample size, None when exact).

    Examples
    --------
    >>> import networkx as nx
    >>> result = betweenness(nx.path_graph(4))
    >>> {n: round(v, 4) for n, v in result.values.items()}, result.exact
    ({0: 0.0, 1: 0.6667, 2: 0.6667, 3: 0.0}, True)
    >>> result = betweenness(nx.path_graph(10), exact_max_nodes=5, k=4, seed=1)
    >>> result.exact, result.k
    (False, 4)

    References
    ----------
    U. Brandes, "A faster algorithm for betweenness centrality", J. Math. Sociol. 25, 163-177
    (2001); U. Brandes and C. Pich, "Centrality estimation in large networks", Int. J. Bifurcation
    and Chaos 17, 2303-2318 (2007).
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    H, distance = distance_graph(G, weight)
    n = len(G)
    if n <= exact_max_nodes or k >= n:
        values = nx.betweenness_centrality(H, normalized=normalized, weight=distance)
        return BetweennessResult({v: float(values[v]) for v in G}, exact=True, k=None)
    values = nx.betweenness_centrality(H, k=k, normalized=normalized, weight=distance, seed=seed)
    return BetweennessResult({v: float(values[v]) for v in G}, exact=False, k=k)


# --------------------------------------------------------------------------- clustering


def clustering(G: nx.Graph[Any], *, weight: str | None = None) -> dict[Any, float]:
    """Local clustering coefficient: the share of a node's partner pairs that are partners too.

    Examples
    --------
    >>> import networkx as nx
    >>> clustering(nx.star_graph(2))
    {0: 0, 1: 0, 2: 0}

    References
    ----------
    D. J. Watts and S. H. Strogatz, "Collective dynamics of 'small-world' networks", Nature 393,
    440-442 (1998); weighted: J.-P. Onnela et al., Phys. Rev. E 71, 065103 (2005).
    """
    values = nx.clustering(G, weight=weight)
    assert isinstance(values, dict)
    return {n: values[n] for n in G}


def average_clustering(G: nx.Graph[Any], *, weight: str | None = None) -> float:
    """Mean local clustering over all nodes (0.0 for an empty graph).

    Examples
    --------
    >>> import networkx as nx
    >>> average_clustering(nx.complete_graph(3))
    1.0

    References
    ----------
    D. J. Watts and S. H. Strogatz, Nature 393, 440-442 (1998).
    """
    if len(G) == 0:
        return 0.0
    return float(nx.average_clustering(G, weight=weight))


def transitivity(G: nx.Graph[Any]) -> float:
    """Global clustering: three times the triangles over the connected triples.

    Examples
    --------
    >>> import networkx as nx
    >>> transitivity(nx.complete_graph(3)), transitivity(nx.star_graph(3))
    (1.0, 0.0)

    References
    ----------
    M. E. J. Newman, "The structure and function of complex networks", SIAM Review 45, 167-256
    (2003).
    """
    return float(nx.transitivity(G))


# --------------------------------------------------------------------------- communities


@dataclass(frozen=True)
class CommunityResult:
    """A partition into communities.

    Attributes
    ----------
    membership : dict
        Node -> community id; ids are ordered by community size, the largest is 0 (ties: the
        community whose smallest node id, as text, comes first).
    communities : list of set
        The communities, indexed by id.
    modularity : float or None
        Newman–Girvan modularity of the partition; None when the graph has no edges.
    """

    membership: dict[Any, int]
    communities: list[set[Any]]
    modularity: float | None


def communities(
    G: nx.Graph[Any],
    *,
    weight: str | None = None,
    resolution: float = 1.0,
    seed: int | None = None,
) -> CommunityResult:
    """Louvain communities and their modularity.

    Louvain is randomised: pass ``seed`` for a reproducible partition.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.barbell_graph(4, 0)  # two 4-cliques joined by one edge
    >>> result = communities(G, seed=0)
    >>> sorted(map(sorted, result.communities)), round(result.modularity, 4)
    ([[0, 1, 2, 3], [4, 5, 6, 7]], 0.4231)

    References
    ----------
    V. D. Blondel, J.-L. Guillaume, R. Lambiotte and E. Lefebvre, "Fast unfolding of communities
    in large networks", J. Stat. Mech. P10008 (2008); M. E. J. Newman and M. Girvan, Phys. Rev. E
    69, 026113 (2004).
    """
    found = nx.community.louvain_communities(G, weight=weight, resolution=resolution, seed=seed)
    ordered: list[set[Any]] = sorted(
        (set(c) for c in found), key=lambda c: (-len(c), min(str(n) for n in c))
    )
    membership = {n: i for i, c in enumerate(ordered) for n in c}
    modularity: float | None = None
    if G.number_of_edges() > 0:
        modularity = float(
            nx.community.modularity(G, ordered, weight=weight, resolution=resolution)
        )
    return CommunityResult({n: membership[n] for n in G}, ordered, modularity)


# --------------------------------------------------------------------------- cores, holes


def core_number(G: nx.Graph[Any]) -> dict[Any, int]:
    """k-core number: the largest k such that the node is in a subgraph of minimum degree k.

    Self-loops are ignored.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.complete_graph(3)
    >>> G.add_edge(2, 3)
    >>> core_number(G)
    {0: 2, 1: 2, 2: 2, 3: 1}

    References
    ----------
    V. Batagelj and M. Zaversnik, "An O(m) algorithm for cores decomposition of networks",
    arXiv:cs/0310049 (2003).
    """
    H = G
    if nx.number_of_selfloops(G):
        H = G.copy()
        H.remove_edges_from(list(nx.selfloop_edges(H)))
    values = nx.core_number(H)
    return {n: int(values[n]) for n in G}


def constraint(G: nx.Graph[Any], *, weight: str | None = None) -> dict[Any, float]:
    """Burt's constraint: how much a node's partners are tied to each other (low = broker).

    Isolated nodes get ``nan`` (undefined), as in NetworkX.

    Examples
    --------
    >>> import networkx as nx
    >>> constraint(nx.star_graph(2))
    {0: 0.5, 1: 1.0, 2: 1.0}

    References
    ----------
    R. S. Burt, "Structural Holes: The Social Structure of Competition", Harvard University Press
    (1992); R. S. Burt, "Structural holes and good ideas", Am. J. Sociol. 110, 349-399 (2004).
    """
    if len(G) == 0:
        return {}
    values = nx.constraint(G, weight=weight)
    return {n: float(values[n]) for n in G}


def effective_size(G: nx.Graph[Any], *, weight: str | None = None) -> dict[Any, float]:
    """Burt's effective size: the number of partners minus their redundancy (high = broker).

    Isolated nodes get ``nan`` (undefined), as in NetworkX.

    Examples
    --------
    >>> import networkx as nx
    >>> effective_size(nx.star_graph(2))
    {0: 2.0, 1: 1.0, 2: 1.0}

    References
    ----------
    R. S. Burt, "Structural Holes" (1992); S. P. Borgatti, "Structural holes: Unpacking Burt's
    redundancy measures", Connections 20, 35-38 (1997).
    """
    if len(G) == 0:
        return {}
    values = nx.effective_size(G, weight=weight)
    return {n: float(values[n]) for n in G}


# --------------------------------------------------------------------------- weak points


def articulation_points(G: nx.Graph[Any]) -> set[Any]:
    """Cut vertices: nodes whose removal splits their component.

    Examples
    --------
    >>> import networkx as nx
    >>> sorted(articulation_points(nx.path_graph(4)))
    [1, 2]

    References
    ----------
    R. E. Tarjan, "Depth-first search and linear graph algorithms", SIAM J. Comput. 1, 146-160
    (1972).
    """
    return set(nx.articulation_points(G))


def bridges(G: nx.Graph[Any]) -> list[tuple[Any, Any]]:
    """Edges whose removal splits their component; each pair and the list sorted (as text).

    Examples
    --------
    >>> import networkx as nx
    >>> bridges(nx.barbell_graph(3, 0))
    [(2, 3)]

    References
    ----------
    R. E. Tarjan, "A note on finding the bridges of a graph", Information Processing Letters 2,
    160-161 (1974).
    """
    pairs: list[tuple[Any, Any]] = []
    for edge in nx.bridges(G):
        a, b = str_sorted(edge)
        pairs.append((a, b))
    return sorted(pairs, key=lambda p: (str(p[0]), str(p[1])))


# --------------------------------------------------------------------------- all at once


class AllMetrics(NamedTuple):
    """What :func:`compute_all` returns: ``nodes, summary = compute_all(G)``."""

    nodes: dict[Any, dict[str, Any]]
    """Node -> {metric name -> value}, with the names in :data:`NODE_METRICS`."""
    summary: dict[str, Any]
    """Graph-level figures: size, clustering, modularity, betweenness mode, bridges, engine."""


EngineFn = Callable[..., AllMetrics]
_ENGINES: dict[str, tuple[EngineFn, int]] = {}


def register_engine(name: str, fn: EngineFn, *, min_nodes: int) -> None:
    """Make an engine available to :func:`compute_all`.

    ``fn(G, *, weight, seed, exact_max_nodes, k)`` must return an :class:`AllMetrics` with the
    same names as the NetworkX engine; with ``engine="auto"`` it is chosen for graphs of at least
    ``min_nodes`` nodes (the engine with the highest such threshold wins).
    """
    _ENGINES[name] = (fn, min_nodes)


def select_engine(G: nx.Graph[Any], engine: str = "auto") -> str:
    """The engine :func:`compute_all` will use for ``G``: the one dispatch point.

    Examples
    --------
    >>> import networkx as nx
    >>> select_engine(nx.path_graph(3))
    'networkx'
    """
    _load_engines()
    if engine != "auto":
        if engine not in _ENGINES:
            raise ValueError(f"unknown engine {engine!r}; known: {', '.join(sorted(_ENGINES))}")
        return engine
    n = len(G)
    eligible = [(min_nodes, name) for name, (_, min_nodes) in _ENGINES.items() if n >= min_nodes]
    return max(eligible)[1]


def _compute_networkx(
    G: nx.Graph[Any],
    *,
    weight: str | None,
    seed: int | None,
    exact_max_nodes: int,
    k: int,
) -> AllMetrics:
    between = betweenness(G, weight=weight, exact_max_nodes=exact_max_nodes, k=k, seed=seed)
    parts = communities(G, weight=weight, seed=seed)
    cut = articulation_points(G)
    columns: dict[str, dict[Any, Any]] = {
        "degree": degree(G),
        "weighted_degree": weighted_degree(G, weight=weight),
        "closeness": closeness(G, weight=weight),
        "eigenvector": eigenvector(G, weight=weight),
        "pagerank": pagerank(G, weight=weight),
        "betweenness": between.values,
        "clustering": clustering(G),
        "community": parts.membership,
        "core_number": core_number(G),
        "constraint": constraint(G, weight=weight),
        "effective_size": effective_size(G, weight=weight),
        "articulation": {n: n in cut for n in G},
    }
    nodes = {n: {name: columns[name][n] for name in NODE_METRICS} for n in G}
    summary: dict[str, Any] = {
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "density": float(nx.density(G)),
        "components": nx.number_connected_components(G) if len(G) else 0,
        "average_clustering": average_clustering(G),
        "transitivity": transitivity(G),
        "modularity": parts.modularity,
        "communities": len(parts.communities),
        "betweenness_exact": between.exact,
        "betweenness_k": between.k,
        "closeness_exact": True,
        "closeness_k": None,
        "bridges": bridges(G),
        "articulation_points": str_sorted(cut),
        "weight": weight,
        "seed": seed,
    }
    return AllMetrics(nodes, summary)


register_engine("networkx", _compute_networkx, min_nodes=0)


@functools.cache
def _load_engines() -> None:
    """Import :mod:`orbitnet.graph.engines` once: it registers the engines that are installed."""
    from orbitnet.graph import engines

    engines.register()


def compute_all(
    G: nx.Graph[Any],
    *,
    weight: str | None = "weight",
    seed: int | None = 0,
    exact_max_nodes: int = EXACT_MAX_NODES,
    k: int = SAMPLE_K,
    engine: str = "auto",
) -> AllMetrics:
    """Every per-node metric and a graph summary, in one call.

    ``weight`` is used by weighted degree, closeness and betweenness (as ``1 / weight``
    distances), eigenvector, PageRank, Louvain, constraint and effective size; degree, clustering,
    k-cores and articulation points are topological. ``seed`` drives Louvain and sampled
    betweenness.

    Returns
    -------
    AllMetrics
        ``(nodes, summary)``: ``nodes[n]`` maps each name of :data:`NODE_METRICS` (degree,
        weighted_degree, closeness, eigenvector, pagerank, betweenness, clustering, community,
        core_number, constraint, effective_size, articulation) to its value; ``summary`` holds
        nodes, edges, density, components, average_clustering, transitivity, modularity,
        communities (count), betweenness_exact, betweenness_k, closeness_exact, closeness_k
        (exact, or estimated from k pivots by a fast engine on large graphs), bridges,
        articulation_points, weight, seed and engine.

    Examples
    --------
    >>> import networkx as nx
    >>> nodes, summary = compute_all(nx.barbell_graph(4, 0))
    >>> nodes[3]["articulation"], nodes[3]["degree"], nodes[0]["community"] != nodes[7]["community"]
    (True, 4, True)
    >>> summary["bridges"], summary["communities"], summary["betweenness_exact"]
    ([(3, 4)], 2, True)

    References
    ----------
    See each metric's function; overview in M. E. J. Newman, "Networks", 2nd ed., Oxford
    University Press (2018).
    """
    name = select_engine(G, engine)
    fn, _ = _ENGINES[name]
    result = fn(G, weight=weight, seed=seed, exact_max_nodes=exact_max_nodes, k=k)
    result.summary.setdefault("engine", name)  # an engine may hand a graph on to another
    return result
