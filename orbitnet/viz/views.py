"""Which part of the network a map shows.

Each view takes the organisation graph and returns a new graph (a copy: the input is never
changed) that :func:`orbitnet.viz.render_map` can draw. Views that want something emphasised say
so in the returned graph's attributes, which the renderer reads:

- ``H.graph["highlight_nodes"]``: nodes drawn with a thick dark ring;
- ``H.graph["highlight_edges"]``: edges drawn thick and gold (a path);
- ``H.graph["focus"]``: the node the view is about (the map selects it once drawn).

Years follow the analytics' rule: an edge spans ``first_year`` to ``last_year`` (a missing end
takes the other end's value) and an edge with no year at all is in no year range.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Hashable
from typing import Any, TypeAlias

import networkx as nx

from orbitnet.errors import NotFoundError, OrbitnetError

__all__ = [
    "community_view",
    "edge_years",
    "ego_view",
    "path_view",
    "resolve_node",
    "select_view",
    "whole_view",
    "year_view",
]

Graph: TypeAlias = "nx.Graph[Any]"


def whole_view(G: Graph) -> Graph:
    """The whole network (a copy, so callers may annotate it freely).

    >>> import networkx as nx
    >>> whole_view(nx.path_graph(3)).number_of_nodes()
    3
    """
    return G.copy()


def resolve_node(G: Graph, name: Hashable) -> Hashable:
    """The node whose id, or failing that whose ``name`` (any case), is ``name``.

    Raises
    ------
    NotFoundError
        No node matches; the message suggests close ids and names.
    """
    if name in G:
        return name
    wanted = str(name).casefold()
    for node, data in G.nodes(data=True):
        if str(node).casefold() == wanted or str(data.get("name", "")).casefold() == wanted:
            return node
    choices = [str(n) for n in G] + [str(d["name"]) for _, d in G.nodes(data=True) if "name" in d]
    raise NotFoundError(
        f"no organisation {name!r} in the graph",
        difflib.get_close_matches(str(name), choices, n=3),
    )


def ego_view(G: Graph, focus: Hashable, *, hops: int = 1) -> Graph:
    """An organisation and everything within ``hops`` partnerships of it.

    Parameters
    ----------
    G : nx.Graph
        The organisation graph.
    focus : node id or name
        The centre; matched by id, then by name ignoring case.
    hops : int
        Radius in partnerships (0 gives the organisation alone).

    Examples
    --------
    >>> import networkx as nx
    >>> H = ego_view(nx.path_graph(5), 0, hops=2)
    >>> sorted(H), H.graph["focus"]
    ([0, 1, 2], 0)
    """
    if hops < 0:
        raise ValueError(f"hops must be 0 or more, got {hops}")
    centre = resolve_node(G, focus)
    H = nx.ego_graph(G, centre, radius=hops).copy()
    H.graph["focus"] = centre
    H.graph["highlight_nodes"] = [centre]
    return H


def path_view(
    G: Graph,
    source: Hashable,
    target: Hashable,
    *,
    weighted: bool = False,
    context: int = 0,
) -> Graph:
    """A shortest chain of partnerships between two organisations, highlighted.

    Parameters
    ----------
    G : nx.Graph
        The organisation graph.
    source, target : node id or name
        The two ends; matched as in :func:`ego_view`.
    weighted : bool
        If true, a strong tie counts as short (length ``1 / weight``); otherwise the path has the
        fewest partnerships, the strongest among equals (as ``orbitnet path`` explains it).
    context : int
        Also show the organisations within this many partnerships of the path.

    Raises
    ------
    NotFoundError
        An end is not in the graph.
    OrbitnetError
        The two organisations are not connected.

    Examples
    --------
    >>> import networkx as nx
    >>> H = path_view(nx.path_graph(4), 0, 2)
    >>> H.graph["highlight_nodes"], H.graph["highlight_edges"]
    ([0, 1, 2], [(0, 1), (1, 2)])
    """
    if context < 0:
        raise ValueError(f"context must be 0 or more, got {context}")
    from orbitnet.graph.paths import NoPathError, shortest_partnership_path

    a, b = resolve_node(G, source), resolve_node(G, target)
    try:
        if weighted:
            path = nx.shortest_path(G, a, b, weight=_inverse_weight)
        else:
            path = shortest_partnership_path(G, a, b, "weight")
    except (nx.NetworkXNoPath, NoPathError):
        raise OrbitnetError(
            f"no chain of partnerships links {a!r} and {b!r}; map each with an ego view instead"
        ) from None
    keep: set[Hashable] = set(path)
    if context:
        for node in path:
            keep.update(nx.single_source_shortest_path_length(G, node, cutoff=context))
    H = G.subgraph(keep).copy()
    H.graph["focus"] = a
    H.graph["highlight_nodes"] = list(path)
    H.graph["highlight_edges"] = list(itertools.pairwise(path))
    return H


def _inverse_weight(u: Hashable, v: Hashable, data: dict[str, Any]) -> float:
    weight = data.get("weight")
    if isinstance(weight, int | float) and weight > 0:
        return 1.0 / float(weight)
    return 1.0


def community_view(G: Graph, k: int, *, attr: str = "community") -> Graph:
    """The organisations of community ``k`` and the partnerships among them.

    Raises
    ------
    NotFoundError
        No node has ``attr == k``; the message lists the communities there are.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([(1, 2), (2, 3)])
    >>> nx.set_node_attributes(G, {1: 0, 2: 0, 3: 1}, "community")
    >>> sorted(community_view(G, 0))
    [1, 2]
    """
    members = [n for n, data in G.nodes(data=True) if data.get(attr) == k]
    if not members:
        known = sorted({d[attr] for _, d in G.nodes(data=True) if d.get(attr) is not None}, key=str)
        hint = ", ".join(map(str, known[:20])) or "none: compute communities first"
        raise NotFoundError(f"no organisation has {attr} {k!r} (communities: {hint})")
    return G.subgraph(members).copy()


def edge_years(data: dict[str, Any]) -> tuple[int, int] | None:
    """The ``(first, last)`` years of an edge; a missing end takes the other; ``None`` if undated.

    >>> edge_years({"first_year": 1998, "last_year": None})
    (1998, 1998)
    """
    first, last = data.get("first_year"), data.get("last_year")
    if first is None:
        return None if last is None else (int(last), int(last))
    if last is None:
        return int(first), int(first)
    return int(first), int(last)


def year_view(
    G: Graph,
    start: int | None = None,
    end: int | None = None,
    *,
    keep_isolates: bool = False,
) -> Graph:
    """The partnerships active at some time between ``start`` and ``end`` (inclusive).

    An edge is kept when its years overlap the range; ``None`` leaves that end open. Undated
    edges are dropped. Organisations left without a partnership are dropped too, unless
    ``keep_isolates``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_edge("nasa", "esa", first_year=1975, last_year=2020)
    >>> G.add_edge("nasa", "spacex", first_year=2008, last_year=None)
    >>> sorted(year_view(G, 1970, 1980))
    ['esa', 'nasa']
    """
    if start is not None and end is not None and start > end:
        raise ValueError(f"years ({start}, {end}): the first year is after the last")
    H: Graph = G.__class__()
    H.graph.update(G.graph)
    if keep_isolates:
        H.add_nodes_from(G.nodes(data=True))
    for u, v, data in G.edges(data=True):
        span = edge_years(data)
        if span is None:
            continue
        if (end is None or span[0] <= end) and (start is None or span[1] >= start):
            H.add_node(u, **G.nodes[u])
            H.add_node(v, **G.nodes[v])
            H.add_edge(u, v, **data)
    return H


def select_view(
    G: Graph,
    *,
    focus: Hashable | None = None,
    hops: int = 1,
    between: tuple[Hashable, Hashable] | None = None,
    community: int | None = None,
    years: tuple[int | None, int | None] | None = None,
) -> Graph:
    """Apply the views a command asks for, in a fixed order: years, community, then ego or path.

    With no arguments this is :func:`whole_view`. ``focus`` and ``between`` exclude each other.

    >>> import networkx as nx
    >>> sorted(select_view(nx.path_graph(5), focus=4, hops=1))
    [3, 4]
    """
    if focus is not None and between is not None:
        raise ValueError("choose either a focus (ego view) or two ends (path view), not both")
    H = whole_view(G)
    if years is not None:
        H = year_view(H, years[0], years[1])
    if community is not None:
        H = community_view(H, community)
    if focus is not None:
        H = ego_view(H, focus, hops=hops)
    elif between is not None:
        H = path_view(H, between[0], between[1])
    return H
