"""What breaks if partners leave: the collaboration graph before and after removing nodes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from orbitnet.graph._common import participants, str_sorted, undertakings

__all__ = ["remove_nodes"]


def _state(G: nx.Graph[Any]) -> tuple[dict[str, Any], list[set[Any]]]:
    components = list(nx.connected_components(G))
    n = len(G)
    largest = max((len(c) for c in components), default=0)
    return (
        {
            "nodes": n,
            "edges": G.number_of_edges(),
            "components": len(components),
            "largest_component_share": largest / n if n else 0.0,
            "global_efficiency": float(nx.global_efficiency(G)),
        },
        components,
    )


def _pairs(size: int) -> int:
    return size * (size - 1) // 2


def remove_nodes(G: nx.Graph[Any], B: nx.Graph[Any], nodes: Iterable[Any]) -> dict[str, Any]:
    """Remove organisations and report what their absence breaks.

    Parameters
    ----------
    G : networkx.Graph
        The collaboration graph (left unchanged).
    B : networkx.Graph
        The organisation–undertaking graph (left unchanged), for the missions that lose partners.
    nodes : iterable
        The organisation ids to remove; each must be in ``G``.

    Returns
    -------
    dict
        ``removed`` (sorted ids); ``before`` and ``after``, each ``{nodes, edges, components,
        largest_component_share, global_efficiency}`` where the share is the largest component's
        size over that graph's own node count (after: the remaining nodes) and efficiency is
        unweighted (hop counts); ``disconnected_pairs``: pairs of remaining organisations that were
        connected by some path before and are not after; ``single_partner_missions``: sorted ids of
        undertakings in ``B`` that had at least two organisation participants and now have exactly
        one.

    Raises
    ------
    networkx.NodeNotFound
        When a node to remove is not in ``G``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.path_graph(["a", "b", "c"])
    >>> B = nx.Graph()
    >>> B.add_nodes_from("abc", bipartite=0)
    >>> B.add_node("m", bipartite=1)
    >>> B.add_edges_from([("a", "m"), ("b", "m")])
    >>> r = remove_nodes(G, B, ["b"])
    >>> r["after"]["components"], r["disconnected_pairs"], r["single_partner_missions"]
    (2, 1, ['m'])

    References
    ----------
    Node-removal robustness: R. Albert, H. Jeong and A.-L. Barabási, "Error and attack tolerance
    of complex networks", Nature 406, 378-382 (2000); efficiency: V. Latora and M. Marchiori,
    "Efficient behavior of small-world networks", Phys. Rev. Lett. 87, 198701 (2001).
    """
    removed = set(nodes)
    for n in removed:
        if n not in G:
            raise nx.NodeNotFound(f"organisation {n!r} is not in the collaboration graph")
    H = G.copy()
    H.remove_nodes_from(removed)
    before, before_components = _state(G)
    after, after_components = _state(H)
    # Removing nodes only splits components, so each after-component lies in one before-component.
    connected_before = sum(_pairs(len(c - removed)) for c in before_components)
    connected_after = sum(_pairs(len(c)) for c in after_components)
    single = []
    for u in undertakings(B):
        orgs = participants(B, u)
        if len(orgs) >= 2 and sum(1 for o in orgs if o not in removed) == 1:
            single.append(u)
    return {
        "removed": str_sorted(removed),
        "before": before,
        "after": after,
        "disconnected_pairs": connected_before - connected_after,
        "single_partner_missions": single,
    }
