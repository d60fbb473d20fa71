"""How cooperation grew: the collaboration graph year after year."""

from __future__ import annotations

from typing import Any

import networkx as nx

from orbitnet.graph._common import YearRange, check_years, in_years, undertakings
from orbitnet.graph.collaboration import _Projector
from orbitnet.graph.metrics import betweenness, communities

__all__ = ["timeline"]


TIMELINE_EXACT_MAX_NODES = 500
"""Above this many organisations a year's betweenness is sampled (it is computed once a year)."""
TIMELINE_SAMPLE_K = 100


def _top_broker(
    G: nx.Graph[Any], weight: str | None, seed: int | None, exact_max_nodes: int, k: int
) -> tuple[Any, bool]:
    result = betweenness(G, weight=weight, seed=seed, exact_max_nodes=exact_max_nodes, k=k)
    values = result.values
    if not values:
        return None, result.exact
    best = min(values, key=lambda n: (-round(values[n], 12), str(n)))
    return (best if values[best] > 0 else None), result.exact


def timeline(
    B: nx.Graph[Any],
    *,
    years: YearRange | None = None,
    weight: str | None = "weight",
    seed: int | None = 0,
    exact_max_nodes: int = TIMELINE_EXACT_MAX_NODES,
    k: int = TIMELINE_SAMPLE_K,
) -> list[dict[str, Any]]:
    """One row per year: the cumulative collaboration graph up to and including that year.

    The graph of year ``Y`` is the projection (:func:`~orbitnet.graph.collaboration_graph`) of
    every undertaking whose ``year`` (launch, start or signing year) is ``<= Y``; undertakings are
    never removed when they end, so the rows show how the web of cooperation accumulated, the
    usual reading of "how did cooperation grow". Undertakings without a year are left out.

    Parameters
    ----------
    B : networkx.Graph
        The organisation–undertaking graph.
    years : (int or None, int or None), optional
        Which rows to return (inclusive); each row still counts everything before it. Default:
        from the first to the last year of any undertaking, one row for every year in between.
    weight : str or None, default "weight"
        Edge weight for Louvain and for betweenness (as ``1 / weight`` distances).
    seed : int or None, default 0
        Seed for Louvain (and for sampled betweenness on large graphs).
    exact_max_nodes, k : int, default 500 and 100
        A year's betweenness is exact up to ``exact_max_nodes`` organisations, else estimated from
        ``k`` sampled sources (lower than :func:`~orbitnet.graph.betweenness`'s defaults because
        it runs once per year; ``broker_exact`` in each row says which). ``weight=None`` (hops)
        is several times faster on large graphs.

    Returns
    -------
    list of dict
        ``{year, undertakings, new_undertakings, nodes, edges, density, components, modularity,
        top_broker, broker_exact}``: ``undertakings`` counts those so far and ``new_undertakings``
        those of that year; ``nodes`` are the organisations with at least one undertaking so far;
        ``modularity`` is that of the Louvain partition (None while there are no edges);
        ``top_broker`` is the organisation with the highest betweenness (ties: the smaller id), or
        None when no organisation lies between two others.

    Examples
    --------
    >>> import networkx as nx
    >>> B = nx.Graph()
    >>> B.add_nodes_from(["nasa", "esa", "jaxa"], bipartite=0, kind="organization", sector="agency")
    >>> B.add_node("m1", bipartite=1, kind="mission", year=2000)
    >>> B.add_node("m2", bipartite=1, kind="mission", year=2002)
    >>> B.add_edges_from([("nasa", "m1"), ("esa", "m1"), ("esa", "m2"), ("jaxa", "m2")])
    >>> [(r["year"], r["nodes"], r["edges"], r["top_broker"]) for r in timeline(B)]
    [(2000, 2, 1, None), (2001, 2, 1, None), (2002, 3, 2, 'esa')]

    References
    ----------
    Cumulative snapshots of a growing collaboration network as in A.-L. Barabási et al.,
    "Evolution of the social network of scientific collaborations", Physica A 311, 590-614
    (2002); weights from M. E. J. Newman, Phys. Rev. E 64, 016132 (2001).
    """
    check_years(years)
    by_year: dict[int, list[Any]] = {}
    for u in undertakings(B):
        year = B.nodes[u].get("year")
        if year is not None:
            by_year.setdefault(int(year), []).append(u)
    if not by_year:
        return []
    first, last = min(by_year), max(by_year)
    if years is not None:
        first = first if years[0] is None else years[0]
        last = last if years[1] is None else years[1]
    projector = _Projector(B)
    for year in sorted(y for y in by_year if y < first):
        for u in by_year[year]:
            projector.add(u)
    rows: list[dict[str, Any]] = []
    for year in range(first, last + 1):
        new = by_year.get(year, [])
        for u in new:
            projector.add(u)
        if not in_years(year, years):
            continue
        if rows and not new:  # nothing happened this year: same graph, same figures
            rows.append({**rows[-1], "year": year, "new_undertakings": 0})
            continue
        G = projector.graph()
        broker, exact = _top_broker(G, weight, seed, exact_max_nodes, k)
        rows.append(
            {
                "year": year,
                "undertakings": projector.count,
                "new_undertakings": len(new),
                "nodes": G.number_of_nodes(),
                "edges": G.number_of_edges(),
                "density": float(nx.density(G)),
                "components": nx.number_connected_components(G) if len(G) else 0,
                "modularity": communities(G, weight=weight, seed=seed).modularity,
                "top_broker": broker,
                "broker_exact": exact,
            }
        )
    return rows
