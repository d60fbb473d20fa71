"""How two organisations are connected: explained shortest paths and ego networks."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import networkx as nx

from orbitnet.graph._common import is_undertaking
from orbitnet.graph.filters import subgraph

__all__ = ["NoPathError", "ego_network", "explain_path"]


class NoPathError(ValueError):
    """No chain of partnerships links the two organisations."""

    def __init__(self, source: Any, target: Any) -> None:
        super().__init__(
            f"no path between {source!r} and {target!r}: they are in different components of the"
            " collaboration graph"
        )
        self.source = source
        self.target = target


def _require(G: nx.Graph[Any], node: Any) -> None:
    if node not in G:
        raise nx.NodeNotFound(f"organisation {node!r} is not in the collaboration graph")


def shortest_partnership_path(
    G: nx.Graph[Any], source: Any, target: Any, weight: str | None
) -> list[Any]:
    """The shortest chain of partnerships: fewest hops; among those the highest total weight;
    then the first path by id text. Raises :class:`NoPathError` when none exists.

    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b", {"weight": 1}), ("b", "d", {"weight": 1}),
    ...               ("a", "c", {"weight": 2}), ("c", "d", {"weight": 2})])
    >>> shortest_partnership_path(G, "a", "d", "weight")
    ['a', 'c', 'd']
    """
    from_source = nx.single_source_shortest_path_length(G, source)
    if target not in from_source:
        raise NoPathError(source, target)
    from_target = nx.single_source_shortest_path_length(G, target)
    hops = from_source[target]
    layers: list[list[Any]] = [[] for _ in range(hops + 1)]
    for node, d in from_source.items():
        if d <= hops and from_target.get(node) == hops - d:
            layers[d].append(node)
    # best[node] = (total weight, path) over shortest paths source -> node within the layers
    best: dict[Any, tuple[float, list[Any]]] = {source: (0.0, [source])}
    for i in range(1, hops + 1):
        for v in layers[i]:
            candidates = []
            for u in layers[i - 1]:
                if v in G[u]:
                    w = 1.0 if weight is None else float(G[u][v].get(weight, 1.0))
                    total, path = best[u]
                    candidates.append((total + w, [*path, v]))
            best[v] = min(candidates, key=lambda c: (-round(c[0], 9), [str(n) for n in c[1]]))
    return best[target][1]


def _undertaking(B: nx.Graph[Any], uid: Any, a: Any, b: Any) -> dict[str, Any]:
    data = B.nodes[uid]
    return {
        "id": uid,
        "name": data.get("name", uid),
        "kind": data.get("kind"),
        "year": data.get("year"),
        "source_role": B[a][uid].get("role"),
        "target_role": B[b][uid].get("role"),
        "source_contribution": B[a][uid].get("contribution"),
        "target_contribution": B[b][uid].get("contribution"),
    }


def _shared(B: nx.Graph[Any], a: Any, b: Any, missions: list[Any] | None) -> list[dict[str, Any]]:
    if a not in B or b not in B:
        return []
    common = [u for u in nx.common_neighbors(B, a, b) if is_undertaking(B, u)]
    if missions:
        wanted = set(missions)
        common = [u for u in common if u in wanted]
    rows = [_undertaking(B, u, a, b) for u in common]
    rows.sort(key=lambda r: (r["year"] is None, r["year"] or 0, str(r["id"])))
    return rows


def explain_path(
    G: nx.Graph[Any],
    B: nx.Graph[Any],
    source: Any,
    target: Any,
    *,
    weight: str | None = "weight",
) -> list[dict[str, Any]]:
    """The shortest chain of partnerships between two organisations, explained hop by hop.

    The path has the fewest hops; among equally short paths the one with the highest total
    ``weight`` wins (then the first by node ids as text, so the answer is stable).

    Parameters
    ----------
    G : networkx.Graph
        The collaboration graph.
    B : networkx.Graph
        The organisation–undertaking graph that explains each hop.
    source, target : node
        Organisation ids.
    weight : str or None, default "weight"
        Edge attribute used to break ties between equally short paths.

    Returns
    -------
    list of dict
        One dict per hop: ``source``, ``target``, their ``source_name`` / ``target_name``, the
        edge's ``weight`` and ``kind``, and ``undertakings``: the undertakings both take part in
        (common neighbours in ``B``; restricted to the edge's ``missions`` when it lists them),
        each ``{id, name, kind, year, source_role, target_role, source_contribution,
        target_contribution}``, ordered by year then id. Empty when ``source == target``.

    Raises
    ------
    networkx.NodeNotFound
        When ``source`` or ``target`` is not in ``G``.
    NoPathError
        When no path links them.

    Examples
    --------
    >>> import networkx as nx
    >>> B = nx.Graph()
    >>> B.add_nodes_from(["nasa", "esa", "roscosmos"], bipartite=0, kind="organization")
    >>> B.add_node("jwst", bipartite=1, kind="mission", name="JWST", year=2021)
    >>> B.add_node("exomars", bipartite=1, kind="mission", name="ExoMars", year=2016)
    >>> B.add_edges_from([("nasa", "jwst"), ("esa", "jwst"), ("esa", "exomars"),
    ...                   ("roscosmos", "exomars")], role="partner")
    >>> G = nx.Graph([("nasa", "esa", {"weight": 1.0}), ("esa", "roscosmos", {"weight": 1.0})])
    >>> [(h["source"], h["target"], [u["id"] for u in h["undertakings"]])
    ...  for h in explain_path(G, B, "nasa", "roscosmos")]
    [('nasa', 'esa', ['jwst']), ('esa', 'roscosmos', ['exomars'])]

    References
    ----------
    Breadth-first search, E. F. Moore, "The shortest path through a maze" (1959); explained paths
    as in M. E. J. Newman, Phys. Rev. E 64, 016132 (2001), which traces chains of co-authorships.
    """
    _require(G, source)
    _require(G, target)
    if source == target:
        return []
    path = shortest_partnership_path(G, source, target, weight)
    hops: list[dict[str, Any]] = []
    for a, b in pairwise(path):
        data = G[a][b]
        hops.append(
            {
                "source": a,
                "target": b,
                "source_name": G.nodes[a].get("name", a),
                "target_name": G.nodes[b].get("name", b),
                "weight": None if weight is None else data.get(weight),
                "kind": data.get("kind"),
                "undertakings": _shared(B, a, b, data.get("missions")),
            }
        )
    return hops


def ego_network(G: nx.Graph[Any], center: Any, *, hops: int = 1) -> nx.Graph[Any]:
    """The organisations within ``hops`` steps of ``center``, with all ties among them (a copy).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.path_graph(5)
    >>> sorted(ego_network(G, 2).nodes()), sorted(ego_network(G, 0, hops=2).edges())
    ([1, 2, 3], [(0, 1), (1, 2)])

    References
    ----------
    Ego networks: S. Wasserman and K. Faust, "Social Network Analysis", Cambridge University
    Press (1994); as ``networkx.ego_graph``.
    """
    if hops < 0:
        raise ValueError(f"hops must be >= 0, got {hops}")
    _require(G, center)
    reach = nx.single_source_shortest_path_length(G, center, cutoff=hops)
    return subgraph(G, nodes=reach)
