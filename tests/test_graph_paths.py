"""Explained shortest paths and ego networks on a small hand-made partnership graph."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest

from orbitnet.graph import NoPathError, collaboration_graph, ego_network, explain_path


def make_b() -> nx.Graph[Any]:
    """a-b share m1, m2; b-d m3; a-c m4; c-d m5; e-f m6 (a separate island).

    Two 2-hop routes lead from a to d: via b (weights 2 + 1) and via c (1 + 1).
    """
    B: nx.Graph[Any] = nx.Graph()
    for org in "abcdef":
        B.add_node(
            org, bipartite=0, kind="organization", name=f"Org {org.upper()}", sector="agency"
        )
    undertakings = {
        "m1": (2001, "a", "b"),
        "m2": (1999, "a", "b"),
        "m3": (2005, "b", "d"),
        "m4": (2002, "a", "c"),
        "m5": (None, "c", "d"),
        "m6": (2010, "e", "f"),
    }
    for uid, (year, x, y) in undertakings.items():
        kind = "agreement" if uid == "m2" else "mission"
        B.add_node(uid, bipartite=1, kind=kind, name=uid.upper(), year=year, end_year=None)
        B.add_edge(x, uid, role="lead", contribution=f"{x} part")
        B.add_edge(y, uid, role="partner", contribution=None)
    return B


def test_explain_path_prefers_heavier_route() -> None:
    B = make_b()
    G = collaboration_graph(B)
    hops = explain_path(G, B, "a", "d")
    assert [(h["source"], h["target"]) for h in hops] == [("a", "b"), ("b", "d")]
    first = hops[0]
    assert first["source_name"] == "Org A"
    assert first["target_name"] == "Org B"
    assert first["weight"] == 2.0
    assert first["kind"] == "bilateral"
    assert first["undertakings"] == [
        {
            "id": "m2",
            "name": "M2",
            "kind": "agreement",
            "year": 1999,
            "source_role": "lead",
            "target_role": "partner",
            "source_contribution": "a part",
            "target_contribution": None,
        },
        {
            "id": "m1",
            "name": "M1",
            "kind": "mission",
            "year": 2001,
            "source_role": "lead",
            "target_role": "partner",
            "source_contribution": "a part",
            "target_contribution": None,
        },
    ]
    assert [u["id"] for u in hops[1]["undertakings"]] == ["m3"]


def test_explain_path_reversed_direction_reports_roles_from_source() -> None:
    B = make_b()
    hops = explain_path(collaboration_graph(B), B, "d", "a")
    assert [(h["source"], h["target"]) for h in hops] == [("d", "b"), ("b", "a")]
    assert hops[1]["undertakings"][0]["source_role"] == "partner"
    assert hops[1]["undertakings"][0]["target_role"] == "lead"


def test_equal_weight_routes_break_ties_by_id() -> None:
    B = make_b()
    G = collaboration_graph(B)
    G["a"]["b"]["weight"] = 1.0
    hops = explain_path(G, B, "a", "d")
    assert [h["target"] for h in hops] == ["b", "d"]
    G["a"]["c"]["weight"] = 5.0
    assert [h["target"] for h in explain_path(G, B, "a", "d")] == ["c", "d"]


def test_fewest_hops_beat_weight() -> None:
    B = make_b()
    G = collaboration_graph(B)
    G.add_edge("a", "d", weight=0.01, kind="bilateral", missions=[])
    hops = explain_path(G, B, "a", "d")
    assert [(h["source"], h["target"]) for h in hops] == [("a", "d")]
    assert hops[0]["undertakings"] == []


def test_no_path() -> None:
    B = make_b()
    G = collaboration_graph(B)
    with pytest.raises(NoPathError, match="no path between 'a' and 'e'") as info:
        explain_path(G, B, "a", "e")
    assert isinstance(info.value, ValueError)
    assert (info.value.source, info.value.target) == ("a", "e")


def test_unknown_node_and_same_node() -> None:
    B = make_b()
    G = collaboration_graph(B)
    with pytest.raises(nx.NodeNotFound, match="'zz'"):
        explain_path(G, B, "a", "zz")
    assert explain_path(G, B, "a", "a") == []


def test_ego_network() -> None:
    G = collaboration_graph(make_b())
    G.add_edge("b", "c", weight=1.0)
    one = ego_network(G, "a")
    assert sorted(one.nodes()) == ["a", "b", "c"]
    assert sorted(map(sorted, one.edges())) == [["a", "b"], ["a", "c"], ["b", "c"]]
    two = ego_network(G, "a", hops=2)
    assert sorted(two.nodes()) == ["a", "b", "c", "d"]
    assert two.number_of_edges() == 5
    assert sorted(ego_network(G, "e", hops=2).nodes()) == ["e", "f"]
    assert list(ego_network(G, "a", hops=0).nodes()) == ["a"]
    one.nodes["a"]["name"] = "changed"
    assert G.nodes["a"]["name"] == "Org A"
    with pytest.raises(nx.NodeNotFound):
        ego_network(G, "zz")
    with pytest.raises(ValueError, match="hops"):
        ego_network(G, "a", hops=-1)
