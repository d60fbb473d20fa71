"""Analytics on NetworkX graphs: collaboration projection, metrics, paths, timelines, what-if.

Two graphs flow through this package (see each module for details):

``B``, the bipartite organisation–undertaking graph
    organisation nodes (``bipartite=0``, ``kind="organization"``, ``name``, ``sector``,
    ``country``, ``aliases``, ``source``) linked to mission, programme and agreement nodes
    (``bipartite=1``, ``kind``, ``name``, ``year``, ``end_year``) by edges with ``role`` and
    ``contribution``.
``G``, the organisation collaboration graph
    made from ``B`` by :func:`collaboration_graph`; edges carry ``weight`` (Newman 2001),
    ``kind``, ``kinds``, ``missions``, ``first_year`` and ``last_year``.

Importing this package is cheap: the public names below load their module (and NetworkX) on
first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from orbitnet.graph.collaboration import (
        collaboration_graph,
        collaboration_rows,
        partnership_kind,
    )
    from orbitnet.graph.filters import subgraph
    from orbitnet.graph.metrics import (
        AllMetrics,
        BetweennessResult,
        CommunityResult,
        articulation_points,
        average_clustering,
        betweenness,
        bridges,
        closeness,
        clustering,
        communities,
        compute_all,
        constraint,
        core_number,
        degree,
        effective_size,
        eigenvector,
        pagerank,
        transitivity,
        weighted_degree,
    )
    from orbitnet.graph.paths import NoPathError, ego_network, explain_path
    from orbitnet.graph.timelines import timeline
    from orbitnet.graph.whatif import remove_nodes

_EXPORTS: dict[str, str] = {
    "collaboration_graph": "collaboration",
    "collaboration_rows": "collaboration",
    "partnership_kind": "collaboration",
    "subgraph": "filters",
    "AllMetrics": "metrics",
    "BetweennessResult": "metrics",
    "CommunityResult": "metrics",
    "articulation_points": "metrics",
    "average_clustering": "metrics",
    "betweenness": "metrics",
    "bridges": "metrics",
    "closeness": "metrics",
    "clustering": "metrics",
    "communities": "metrics",
    "compute_all": "metrics",
    "constraint": "metrics",
    "core_number": "metrics",
    "degree": "metrics",
    "effective_size": "metrics",
    "eigenvector": "metrics",
    "pagerank": "metrics",
    "transitivity": "metrics",
    "weighted_degree": "metrics",
    "NoPathError": "paths",
    "ego_network": "paths",
    "explain_path": "paths",
    "timeline": "timelines",
    "remove_nodes": "whatif",
}

__all__ = [
    "AllMetrics",
    "BetweennessResult",
    "CommunityResult",
    "NoPathError",
    "articulation_points",
    "average_clustering",
    "betweenness",
    "bridges",
    "closeness",
    "clustering",
    "collaboration_graph",
    "collaboration_rows",
    "communities",
    "compute_all",
    "constraint",
    "core_number",
    "degree",
    "effective_size",
    "ego_network",
    "eigenvector",
    "explain_path",
    "pagerank",
    "partnership_kind",
    "remove_nodes",
    "subgraph",
    "timeline",
    "transitivity",
    "weighted_degree",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
