"""Projections from the store into NetworkX.

``bipartite_graph`` gives organisations and the undertakings (missions, programmes, agreements)
they take part in; ``organization_graph`` gives the stored ``COLLABORATES_WITH`` network. Both read
through named queries and the store's bulk column path, so no driver object is involved.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import networkx as nx

if TYPE_CHECKING:
    from orbitnet.cypher.store import Store

_ORG_ATTRS = ("name", "sector", "country", "aliases", "source")


def _columns(store: Store, name: str) -> tuple[list[str], list[list[Any]]]:
    from orbitnet.cypher.queries import get_query

    return store.read_columns(get_query(name).text)


def _add_organizations(store: Store, graph: nx.Graph, *, bipartite: bool) -> None:
    columns, rows = _columns(store, "projection-organizations")
    for row in rows:
        attrs = dict(zip(columns, row, strict=True))
        node = attrs.pop("id")
        attrs["aliases"] = list(attrs.get("aliases") or [])
        if bipartite:
            attrs.update(bipartite=0, kind="organization")
        graph.add_node(node, **attrs)


def bipartite_graph(store: Store) -> nx.Graph:
    """Organisation–undertaking graph (see the contract in ``orbitnet.graph``)."""
    graph = nx.Graph()
    _add_organizations(store, graph, bipartite=True)
    columns, rows = _columns(store, "projection-undertakings")
    for row in rows:
        attrs = dict(zip(columns, row, strict=True))
        graph.add_node(
            attrs["id"],
            bipartite=1,
            kind=str(attrs["label"]).lower(),
            name=attrs["name"],
            year=attrs["year"],
            end_year=attrs["end_year"],
        )
    columns, rows = _columns(store, "projection-involvements")
    for org, undertaking, role in rows:
        if graph.has_edge(org, undertaking):
            roles = graph.edges[org, undertaking].setdefault("roles", [])
            roles.append(role)
        else:
            graph.add_edge(org, undertaking, role=role, roles=[role])
    return graph


def organization_graph(
    store: Store, *, metrics: Iterable[str] = (), isolates: bool = False
) -> nx.Graph:
    """The stored collaboration network with node attributes and any stored ``metrics``.

    Organisations with no partnership are left out unless ``isolates`` is true.
    """
    graph = nx.Graph()
    _add_organizations(store, graph, bipartite=False)
    _, rows = _columns(store, "projection-collaborations")
    missions = _collaboration_missions(store)
    for source, target, weight, kind, first, last in rows:
        graph.add_edge(
            source,
            target,
            weight=float(weight),
            kind=kind,
            first_year=first,
            last_year=last,
            missions=missions.get((source, target), []),
        )
    wanted = list(metrics)
    if wanted:
        from orbitnet.cypher.queries import get_query

        for row in store.read(get_query("projection-metrics").text):
            if row["id"] in graph:
                props = row["props"] or {}
                graph.nodes[row["id"]].update({m: props[m] for m in wanted if m in props})
    if not isolates:
        graph.remove_nodes_from([n for n, d in graph.degree() if d == 0])
    return graph


def _collaboration_missions(store: Store) -> dict[tuple[str, str], list[str]]:
    from orbitnet.cypher.queries import get_query

    out: dict[tuple[str, str], list[str]] = {}
    for row in store.read(get_query("projection-collaboration-missions").text):
        out[(row["source"], row["target"])] = list(row["missions"] or [])
    return out
