"""What-if removal on two 4-cliques joined by a bridge, counted by hand."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest

from orbitnet.graph import collaboration_graph, remove_nodes


def make_b() -> nx.Graph[Any]:
    """Clique a1..a4 (one mission), clique b1..b4 (one), the bridge a4-b1, and a few extras."""
    B: nx.Graph[Any] = nx.Graph()
    orgs = [f"{side}{i}" for side in "ab" for i in range(1, 5)]
    for org in orgs:
        B.add_node(org, bipartite=0, kind="organization", name=org, sector="agency")
    for uid, members in (
        ("clique-a", ["a1", "a2", "a3", "a4"]),
        ("clique-b", ["b1", "b2", "b3", "b4"]),
        ("bridge", ["a4", "b1"]),
        ("pair", ["a1", "a4"]),
        ("solo", ["b2"]),
    ):
        B.add_node(uid, bipartite=1, kind="mission", name=uid, year=2000, end_year=None)
        B.add_edges_from((org, uid) for org in members)
    return B


def test_removing_a_bridge_end_splits_the_graph() -> None:
    B = make_b()
    G = collaboration_graph(B)
    assert G.number_of_edges() == 13
    result = remove_nodes(G, B, ["a4"])
    assert result["removed"] == ["a4"]
    before, after = result["before"], result["after"]
    assert (before["nodes"], before["edges"], before["components"]) == (8, 13, 1)
    assert before["largest_component_share"] == 1.0
    # sum of 1/d over the 28 pairs: 12 at distance 1 inside the cliques + a4-b1,
    # 6 at distance 2 (a4-b2..4, a1..3-b1), 9 at distance 3 = 12 + 1 + 3 + 3 = 19
    assert before["global_efficiency"] == pytest.approx(19 / 28)
    assert (after["nodes"], after["edges"], after["components"]) == (7, 9, 2)
    assert after["largest_component_share"] == pytest.approx(4 / 7)
    # 3 + 6 adjacent pairs among 21
    assert after["global_efficiency"] == pytest.approx(9 / 21)
    # a1..a3 each lose all four b's
    assert result["disconnected_pairs"] == 12
    # "bridge" and "pair" had two partners, now one; "clique-a" keeps three; "solo" had one
    assert result["single_partner_missions"] == ["bridge", "pair"]
    assert G.number_of_nodes() == 8
    assert B.number_of_nodes() == 13


def test_removing_both_bridge_ends() -> None:
    B = make_b()
    result = remove_nodes(collaboration_graph(B), B, {"a4", "b1"})
    assert result["removed"] == ["a4", "b1"]
    assert result["after"]["components"] == 2
    assert result["after"]["largest_component_share"] == 0.5
    assert result["disconnected_pairs"] == 9
    # "bridge" lost both partners (not single); "pair" has a1 left
    assert result["single_partner_missions"] == ["pair"]


def test_removing_a_clique_member_breaks_nothing() -> None:
    B = make_b()
    result = remove_nodes(collaboration_graph(B), B, ["a2"])
    assert result["after"]["components"] == 1
    assert result["disconnected_pairs"] == 0
    assert result["single_partner_missions"] == []


def test_unknown_node() -> None:
    B = make_b()
    with pytest.raises(nx.NodeNotFound, match="'zz'"):
        remove_nodes(collaboration_graph(B), B, ["zz"])
