"""Filtered copies of the collaboration graph."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest

from orbitnet.graph import subgraph


def make_g() -> nx.Graph[Any]:
    G: nx.Graph[Any] = nx.Graph(name="test")
    G.add_node("nasa", sector="agency", country="US")
    G.add_node("spacex", sector="company", country="US")
    G.add_node("esa", sector="intergovernmental", country=None)
    G.add_node("jaxa", sector="agency", country="JP")
    G.add_node("isro", sector="agency", country="IN")
    edges = [
        ("nasa", "spacex", "public-private", 2014, 2020),
        ("nasa", "esa", "bilateral", 1975, 2021),
        ("esa", "jaxa", "multilateral", 1998, 1998),
        ("nasa", "jaxa", "multilateral", None, None),
    ]
    for u, v, kind, first, last in edges:
        G.add_edge(
            u, v, weight=1.0, kind=kind, missions=[f"{u}-{v}"], first_year=first, last_year=last
        )
    return G


def test_no_filter_is_an_independent_copy() -> None:
    G = make_g()
    H = subgraph(G)
    assert nx.utils.graphs_equal(G, H)
    H["nasa"]["esa"]["missions"].append("x")
    H.nodes["nasa"]["country"] = "XX"
    assert G["nasa"]["esa"]["missions"] == ["nasa-esa"]
    assert G.nodes["nasa"]["country"] == "US"


def test_node_filters() -> None:
    G = make_g()
    assert sorted(subgraph(G, sectors=["agency"]).edges()) == [("nasa", "jaxa")]
    assert sorted(subgraph(G, sectors=["agency"]).nodes()) == ["isro", "jaxa", "nasa"]
    assert sorted(subgraph(G, countries=["us", "JP"]).nodes()) == ["jaxa", "nasa", "spacex"]
    assert sorted(subgraph(G, nodes=["nasa", "esa", "unknown"]).edges()) == [("nasa", "esa")]
    only_agencies_in_us = subgraph(G, sectors={"agency"}, countries={"US"})
    assert list(only_agencies_in_us.nodes()) == ["nasa"]


def test_edge_filters() -> None:
    G = make_g()
    H = subgraph(G, kinds=["multilateral"])
    assert sorted(H.edges()) == [("esa", "jaxa"), ("nasa", "jaxa")]
    assert H.number_of_nodes() == 5
    assert sorted(subgraph(G, kinds=["multilateral"], drop_isolates=True).nodes()) == [
        "esa",
        "jaxa",
        "nasa",
    ]
    # spans overlapping 1990-2000: nasa-esa (1975-2021) and esa-jaxa (1998); undated edges drop
    assert sorted(subgraph(G, years=(1990, 2000)).edges()) == [("esa", "jaxa"), ("nasa", "esa")]
    assert sorted(subgraph(G, years=(2015, None)).edges()) == [("nasa", "esa"), ("nasa", "spacex")]
    assert sorted(subgraph(G, years=(None, 1980)).edges()) == [("nasa", "esa")]
    assert subgraph(G, years=(1990, 2000)).graph == {"name": "test"}
    with pytest.raises(ValueError, match="after"):
        subgraph(G, years=(2000, 1990))
