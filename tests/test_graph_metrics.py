"""Metrics on tiny graphs whose values are worked out by hand in the comments."""

from __future__ import annotations

import math
from typing import Any

import networkx as nx
import pytest

from orbitnet.graph import metrics
from orbitnet.graph.metrics import (
    NODE_METRICS,
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
    select_engine,
    transitivity,
    weighted_degree,
)


def triangle() -> nx.Graph[Any]:
    return nx.Graph([("a", "b"), ("b", "c"), ("a", "c")])


def star() -> nx.Graph[Any]:
    """Centre ``hub`` with four leaves."""
    return nx.Graph([("hub", leaf) for leaf in ("l1", "l2", "l3", "l4")])


def two_cliques() -> nx.Graph[Any]:
    """Two 4-cliques a1..a4 and b1..b4 joined by the bridge a4-b1."""
    G: nx.Graph[Any] = nx.Graph()
    for side in "ab":
        members = [f"{side}{i}" for i in range(1, 5)]
        G.add_edges_from((u, v) for i, u in enumerate(members) for v in members[i + 1 :])
    G.add_edge("a4", "b1")
    return G


def path4() -> nx.Graph[Any]:
    return nx.path_graph(4)  # 0 - 1 - 2 - 3


# --------------------------------------------------------------------------- triangle


def test_triangle() -> None:
    G = triangle()
    assert degree(G) == {"a": 2, "b": 2, "c": 2}
    assert closeness(G) == {"a": 1.0, "b": 1.0, "c": 1.0}
    assert betweenness(G).values == {"a": 0.0, "b": 0.0, "c": 0.0}
    assert clustering(G) == {"a": 1.0, "b": 1.0, "c": 1.0}
    assert average_clustering(G) == 1.0
    assert transitivity(G) == 1.0
    assert core_number(G) == {"a": 2, "b": 2, "c": 2}
    # p_ij = 1/2; c_ij = (1/2 + 1/2 * 1/2)^2 = 9/16; constraint = 2 * 9/16
    assert constraint(G) == pytest.approx({"a": 1.125, "b": 1.125, "c": 1.125})
    # n - 2t/n = 2 - 2 * 1 / 2
    assert effective_size(G) == pytest.approx({"a": 1.0, "b": 1.0, "c": 1.0})
    assert eigenvector(G) == pytest.approx(dict.fromkeys("abc", 1 / math.sqrt(3)), abs=1e-6)
    assert pagerank(G) == pytest.approx(dict.fromkeys("abc", 1 / 3), abs=1e-6)
    assert articulation_points(G) == set()
    assert bridges(G) == []
    result = communities(G, seed=0)
    assert result.membership == {"a": 0, "b": 0, "c": 0}
    # one community: L/m - (d/2m)^2 = 3/3 - (6/6)^2 = 0
    assert result.modularity == pytest.approx(0.0)


# --------------------------------------------------------------------------- star


def test_star() -> None:
    G = star()
    leaves = ("l1", "l2", "l3", "l4")
    assert degree(G) == {"hub": 4, **dict.fromkeys(leaves, 1)}
    # the hub is on all C(4, 2) = 6 leaf pairs; normalised by (n-1)(n-2)/2 = 6
    assert betweenness(G).values == {"hub": 1.0, **dict.fromkeys(leaves, 0.0)}
    assert betweenness(G, normalized=False).values["hub"] == 6.0
    assert clustering(G) == {"hub": 0.0, **dict.fromkeys(leaves, 0.0)}
    assert transitivity(G) == 0.0
    # hub: 4 / (1+1+1+1); leaf: 4 / (1 + 2+2+2)
    assert closeness(G) == pytest.approx({"hub": 1.0, **dict.fromkeys(leaves, 4 / 7)})
    # hub: 4 * (1/4)^2; leaf: (1)^2
    assert constraint(G) == pytest.approx({"hub": 0.25, **dict.fromkeys(leaves, 1.0)})
    assert effective_size(G) == pytest.approx({"hub": 4.0, **dict.fromkeys(leaves, 1.0)})
    assert core_number(G) == {"hub": 1, **dict.fromkeys(leaves, 1)}
    assert articulation_points(G) == {"hub"}
    assert bridges(G) == [("hub", leaf) for leaf in leaves]
    # PageRank: r_hub = 0.15/5 + 0.85 * 4 r_leaf, r_leaf = 0.15/5 + 0.85 r_hub / 4,
    # r_hub + 4 r_leaf = 1  =>  r_hub = 0.88 / 1.85
    pr = pagerank(G)
    assert pr["hub"] == pytest.approx(0.88 / 1.85, abs=1e-5)
    assert pr["l1"] == pytest.approx((1 - 0.88 / 1.85) / 4, abs=1e-5)


# --------------------------------------------------------------------------- two cliques


def test_two_cliques_bridge_and_cut_vertices() -> None:
    G = two_cliques()
    assert bridges(G) == [("a4", "b1")]
    assert articulation_points(G) == {"a4", "b1"}
    assert core_number(G) == dict.fromkeys(G, 3)


def test_two_cliques_louvain_and_modularity() -> None:
    G = two_cliques()
    result = communities(G, seed=0)
    assert sorted(map(sorted, result.communities)) == [
        ["a1", "a2", "a3", "a4"],
        ["b1", "b2", "b3", "b4"],
    ]
    # m = 13 edges; each side: 6 internal edges, degree sum 4*3 + 1 = 13.
    # Q = 2 * (6/13 - (13/26)^2) = 12/13 - 1/2 = 11/26
    assert result.modularity == pytest.approx(11 / 26)
    assert result.membership["a1"] != result.membership["b1"]


def test_two_cliques_betweenness_and_clustering() -> None:
    G = two_cliques()
    # a4 is on every path between {a1, a2, a3} and the four b's: 12 pairs, normalised by 21
    values = betweenness(G).values
    assert values["a4"] == pytest.approx(12 / 21)
    assert values["b1"] == pytest.approx(12 / 21)
    assert values["a1"] == 0.0
    # a4's four partners have 3 ties among 6 possible
    assert clustering(G)["a4"] == 0.5
    assert clustering(G)["a1"] == 1.0
    assert average_clustering(G) == pytest.approx(7 / 8)
    # 8 triangles; connected triples 6 * C(3,2) + 2 * C(4,2) = 30
    assert transitivity(G) == pytest.approx(24 / 30)


def test_community_ids_ordered_by_size() -> None:
    G = two_cliques()
    G.remove_node("b4")  # now a 4-clique and a triangle joined by a4-b1
    result = communities(G, seed=0)
    assert result.communities[0] == {"a1", "a2", "a3", "a4"}
    assert result.communities[1] == {"b1", "b2", "b3"}
    assert result.membership == {
        **dict.fromkeys(["a1", "a2", "a3", "a4"], 0),
        "b1": 1,
        "b2": 1,
        "b3": 1,
    }
    # m = 10; Q = 6/10 - (13/20)^2 + 3/10 - (7/20)^2 = 0.9 - 218/400
    assert result.modularity == pytest.approx(0.9 - 218 / 400)


def test_communities_without_edges() -> None:
    G: nx.Graph[Any] = nx.Graph()
    G.add_nodes_from(["x", "y"])
    result = communities(G, seed=0)
    assert result.modularity is None
    assert result.membership == {"x": 0, "y": 1}


# --------------------------------------------------------------------------- path


def test_path_betweenness_and_closeness() -> None:
    G = path4()
    # node 1 lies on (0,2) and (0,3): 2 pairs / 3 possible
    assert betweenness(G).values == pytest.approx({0: 0.0, 1: 2 / 3, 2: 2 / 3, 3: 0.0})
    # node 0: 3 / (1+2+3); node 1: 3 / (1+1+2)
    assert closeness(G) == {0: 0.5, 1: 0.75, 2: 0.75, 3: 0.5}
    assert articulation_points(G) == {1, 2}
    assert bridges(G) == [(0, 1), (1, 2), (2, 3)]


def test_weights_become_distances() -> None:
    G = path4()
    for u, v in G.edges():
        G[u][v]["weight"] = 2.0  # every edge 1/2 long
    assert closeness(G, weight="weight") == {0: 1.0, 1: 1.5, 2: 1.5, 3: 1.0}
    # a weak direct tie (length 4) loses to the strong two-step route via b (length 2)
    T = nx.Graph([("a", "b", {"weight": 1.0}), ("b", "c", {"weight": 1.0})])
    T.add_edge("a", "c", weight=0.25)
    assert betweenness(T).values["b"] == 0.0
    assert betweenness(T, weight="weight").values["b"] == 1.0
    T["a"]["c"]["weight"] = 0.0
    with pytest.raises(ValueError, match="weights > 0"):
        closeness(T, weight="weight")


def test_weighted_degree() -> None:
    G: nx.Graph[str] = nx.Graph()
    G.add_edge("a", "b", weight=0.5)
    G.add_edge("a", "c", weight=1.5)
    G.add_edge("c", "d")
    assert weighted_degree(G) == {"a": 2.0, "b": 0.5, "c": 2.5, "d": 1.0}
    assert weighted_degree(G, weight=None) == {"a": 2.0, "b": 1.0, "c": 2.0, "d": 1.0}


# --------------------------------------------------------------------------- betweenness modes


def test_sampled_betweenness_above_threshold() -> None:
    G = nx.path_graph(30)
    result = betweenness(G, exact_max_nodes=10, k=8, seed=42)
    assert result.exact is False
    assert result.k == 8
    assert set(result.values) == set(G)
    again = betweenness(G, exact_max_nodes=10, k=8, seed=42)
    assert again.values == result.values


def test_exact_betweenness_at_or_below_threshold() -> None:
    G = nx.path_graph(30)
    assert betweenness(G, exact_max_nodes=30).exact is True
    result = betweenness(G, exact_max_nodes=10, k=30)  # sampling every node is exact
    assert (result.exact, result.k) == (True, None)
    with pytest.raises(ValueError, match="k must"):
        betweenness(G, k=0)


# --------------------------------------------------------------------------- eigenvector


def test_eigenvector_per_component() -> None:
    G = nx.Graph([(0, 1), (2, 3), (3, 4)])
    G.add_node(5)
    r = 1 / math.sqrt(2)
    expected = {0: r, 1: r, 2: 0.5, 3: r, 4: 0.5, 5: 0.0}
    assert eigenvector(G) == pytest.approx(expected, abs=1e-5)


def test_eigenvector_falls_back_when_power_iteration_fails() -> None:
    G = nx.path_graph(3)
    # max_iter=1 cannot converge; the ARPACK solver answers instead
    r = 1 / math.sqrt(2)
    assert eigenvector(G, max_iter=1) == pytest.approx({0: 0.5, 1: r, 2: 0.5}, abs=1e-6)


def test_eigenvector_gives_nan_when_every_solver_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("no convergence")

    monkeypatch.setattr(nx, "eigenvector_centrality_numpy", fail)
    G = nx.path_graph(3)
    G.add_edge(10, 11)
    with pytest.warns(RuntimeWarning, match="did not converge"):
        values = eigenvector(G, max_iter=1)
    assert all(math.isnan(values[n]) for n in (0, 1, 2, 10, 11))


# --------------------------------------------------------------------------- compute_all


def test_compute_all_on_two_cliques() -> None:
    G = two_cliques()
    nodes, summary = compute_all(G, seed=0)
    assert set(nodes) == set(G)
    assert all(tuple(values) == NODE_METRICS for values in nodes.values())
    assert nodes["a4"]["articulation"] is True
    assert nodes["a1"]["articulation"] is False
    assert nodes["a4"]["degree"] == 4
    assert nodes["a4"]["weighted_degree"] == 4.0
    assert nodes["a4"]["betweenness"] == pytest.approx(12 / 21)
    assert nodes["a4"]["clustering"] == 0.5
    assert nodes["a4"]["core_number"] == 3
    assert {nodes[n]["community"] for n in ("a1", "a2", "a3", "a4")} == {nodes["a1"]["community"]}
    assert nodes["a1"]["community"] != nodes["b1"]["community"]
    assert summary["modularity"] == pytest.approx(11 / 26)
    assert summary["communities"] == 2
    assert summary["bridges"] == [("a4", "b1")]
    assert summary["articulation_points"] == ["a4", "b1"]
    assert summary["average_clustering"] == pytest.approx(7 / 8)
    assert summary["transitivity"] == pytest.approx(0.8)
    assert (summary["betweenness_exact"], summary["betweenness_k"]) == (True, None)
    assert (summary["nodes"], summary["edges"], summary["components"]) == (8, 13, 1)
    assert summary["engine"] == "networkx"


def test_compute_all_reports_sampling() -> None:
    _, summary = compute_all(nx.path_graph(12), exact_max_nodes=5, k=3, seed=1)
    assert (summary["betweenness_exact"], summary["betweenness_k"]) == (False, 3)


def test_compute_all_on_empty_graph() -> None:
    nodes, summary = compute_all(nx.Graph())
    assert nodes == {}
    assert summary["modularity"] is None
    assert summary["components"] == 0


def test_engine_dispatch(monkeypatch: pytest.MonkeyPatch) -> None:
    assert select_engine(path4()) == "networkx"
    with pytest.raises(ValueError, match="unknown engine"):
        select_engine(path4(), "no-such-engine")
    calls: list[int] = []

    def fake(G: nx.Graph[Any], **kwargs: Any) -> metrics.AllMetrics:
        calls.append(len(G))
        return metrics.AllMetrics({}, {})

    monkeypatch.setitem(metrics._ENGINES, "fake", (fake, 10))
    assert select_engine(path4()) == "networkx"
    assert select_engine(nx.path_graph(10)) == "fake"
    assert compute_all(nx.path_graph(10)).summary == {"engine": "fake"}
    assert calls == [10]


def test_pagerank_without_scipy_matches(monkeypatch: pytest.MonkeyPatch) -> None:
    G = two_cliques()
    G.add_edge("b4", "c1", weight=3.0)
    G.add_node("isolated")
    expected = pagerank(G, weight="weight")

    def no_scipy(*args: object, **kwargs: object) -> None:
        raise ImportError("No module named 'scipy'")

    monkeypatch.setattr(nx, "pagerank", no_scipy)
    assert pagerank(G, weight="weight") == pytest.approx(expected, abs=1e-5)
    assert pagerank(star()) == pytest.approx(
        {"hub": 0.88 / 1.85, **dict.fromkeys(("l1", "l2", "l3", "l4"), (1 - 0.88 / 1.85) / 4)},
        abs=1e-5,
    )
    with pytest.raises(nx.PowerIterationFailedConvergence):
        pagerank(G, max_iter=1)
