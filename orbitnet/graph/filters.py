"""Filtered copies of the collaboration graph (by years, kinds, sectors, countries, nodes)."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

import networkx as nx

from orbitnet.graph._common import YearRange, check_years

__all__ = ["subgraph"]


def _overlaps(first: int | None, last: int | None, years: YearRange) -> bool:
    if first is None and last is None:
        return False
    start = last if first is None else first
    end = first if last is None else last
    lo, hi = years
    return (hi is None or (start is not None and start <= hi)) and (
        lo is None or (end is not None and end >= lo)
    )


def subgraph(
    G: nx.Graph[Any],
    *,
    years: YearRange | None = None,
    kinds: Iterable[str] | None = None,
    sectors: Iterable[str] | None = None,
    countries: Iterable[str] | None = None,
    nodes: Iterable[Any] | None = None,
    drop_isolates: bool = False,
) -> nx.Graph[Any]:
    """A filtered copy of a collaboration graph.

    Node filters pick the organisations; edge filters then pick the ties among them. All given
    filters must hold (they combine with AND); ``None`` means no filter.

    Parameters
    ----------
    G : networkx.Graph
        A collaboration graph (node attributes ``sector``, ``country``; edge attributes ``kind``,
        ``first_year``, ``last_year``).
    years : (int or None, int or None), optional
        Keep edges whose span ``[first_year, last_year]`` overlaps this inclusive range; edges with
        no known year are dropped. This is an approximation (an edge only knows its span): for the
        exact graph of a period, project again with ``collaboration_graph(B, years=...)``.
    kinds : iterable of str, optional
        Keep edges whose ``kind`` is one of these (``"bilateral"``, ``"public-private"``, ...).
    sectors : iterable of str, optional
        Keep organisations whose ``sector`` is one of these.
    countries : iterable of str, optional
        Keep organisations whose ``country`` is one of these ISO alpha-2 codes (any case).
    nodes : iterable, optional
        Keep only these nodes (unknown ids are ignored).
    drop_isolates : bool, default False
        Remove the nodes left without any edge after filtering.

    Returns
    -------
    networkx.Graph
        A new graph; attribute dicts and their lists are copies, so editing it leaves ``G`` alone.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_node("nasa", sector="agency", country="US")
    >>> G.add_node("spacex", sector="company", country="US")
    >>> G.add_node("esa", sector="intergovernmental", country=None)
    >>> G.add_edge("nasa", "spacex", kind="public-private", first_year=2014, last_year=2020)
    >>> G.add_edge("nasa", "esa", kind="bilateral", first_year=1975, last_year=2021)
    >>> sorted(subgraph(G, kinds=["bilateral"]).edges())
    [('nasa', 'esa')]
    >>> sorted(subgraph(G, countries=["us"]).nodes())
    ['nasa', 'spacex']
    >>> sorted(subgraph(G, years=(1970, 1980), drop_isolates=True).nodes())
    ['esa', 'nasa']

    References
    ----------
    Induced subgraphs as in NetworkX, ``Graph.subgraph``; see A. Hagberg, D. Schult and P. Swart,
    "Exploring network structure, dynamics, and function using NetworkX", SciPy 2008.
    """
    check_years(years)
    keep_sectors = None if sectors is None else set(sectors)
    keep_countries = None if countries is None else {c.upper() for c in countries}
    keep_nodes = None if nodes is None else set(nodes)
    keep_kinds = None if kinds is None else set(kinds)

    def node_ok(n: Any, data: dict[str, Any]) -> bool:
        if keep_nodes is not None and n not in keep_nodes:
            return False
        if keep_sectors is not None and data.get("sector") not in keep_sectors:
            return False
        if keep_countries is not None:
            country = data.get("country")
            if country is None or str(country).upper() not in keep_countries:
                return False
        return True

    def edge_ok(data: dict[str, Any]) -> bool:
        if keep_kinds is not None and data.get("kind") not in keep_kinds:
            return False
        return years is None or _overlaps(data.get("first_year"), data.get("last_year"), years)

    H: nx.Graph[Any] = G.__class__()
    H.graph.update(copy.deepcopy(G.graph))
    for n, data in G.nodes(data=True):
        if node_ok(n, data):
            H.add_node(n, **copy.deepcopy(data))
    for u, v, data in G.edges(data=True):
        if u in H and v in H and edge_ok(data):
            H.add_edge(u, v, **copy.deepcopy(data))
    if drop_isolates:
        H.remove_nodes_from([n for n in H if H.degree(n) == 0])
    return H
