"""The igraph engine against the NetworkX engine: same names, same values where exact.

Skipped when python-igraph is not installed, unless ``CI`` is set: then it must be there
(``pip install -e '.[test]'`` installs it).
"""

from __future__ import annotations

import math
import os
import random
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pytest
from scipy.stats import spearmanr

from orbitnet.graph import _searches, engines, metrics
from orbitnet.graph.metrics import NODE_METRICS, compute_all, select_engine

if not engines.available():
    if os.environ.get("CI"):
        pytest.fail("python-igraph is not installed (it is in the 'test' extra)")
    pytest.skip("python-igraph is not installed", allow_module_level=True)

EXACT = ("degree", "pagerank", "betweenness", "closeness", "clustering")


def weighted(G: nx.Graph[Any], seed: int = 0) -> nx.Graph[Any]:
    """Random Newman-like strengths (sums of 1/(k-1) shares) on every edge."""
    rng = random.Random(seed)
    for _, _, d in G.edges(data=True):
        d["weight"] = sum(1 / rng.randint(1, 6) for _ in range(rng.randint(1, 3)))
    return G


def dyadic(G: nx.Graph[Any], seed: int = 0) -> nx.Graph[Any]:
    """Strengths 1/2, 1, 2 or 4: every path length is exact in floating point, so equally short
    paths tie in both libraries (igraph also ties lengths equal up to rounding, NetworkX not)."""
    rng = random.Random(seed)
    for _, _, d in G.edges(data=True):
        d["weight"] = rng.choice((0.5, 1.0, 2.0, 4.0))
    return G


def messy_graph(weights: str = "newman") -> nx.Graph[Any]:
    """A heavy-tailed component, two small components, an isolate; text node ids."""
    G = nx.relabel_nodes(nx.barabasi_albert_graph(300, 3, seed=4), lambda n: f"org-{n}")
    G.add_edges_from([("x1", "x2"), ("x2", "x3"), ("y1", "y2")])
    G.add_node("alone")
    return weighted(G, seed=1) if weights == "newman" else dyadic(G, seed=1)


def column(result: metrics.AllMetrics, G: nx.Graph[Any], name: str) -> np.ndarray:
    return np.array([float(result.nodes[v][name]) for v in G])


def both(G: nx.Graph[Any], **options: Any) -> tuple[metrics.AllMetrics, metrics.AllMetrics]:
    return (
        compute_all(G, engine="networkx", **options),
        compute_all(G, engine="igraph", **options),
    )


def partition(result: metrics.AllMetrics) -> set[frozenset[Any]]:
    groups: dict[int, set[Any]] = {}
    for node, values in result.nodes.items():
        groups.setdefault(values["community"], set()).add(node)
    return {frozenset(g) for g in groups.values()}


# --------------------------------------------------------------------------- dispatch


def test_igraph_is_chosen_above_the_threshold() -> None:
    assert select_engine(nx.path_graph(engines.FAST_MIN_NODES - 1)) == "networkx"
    assert select_engine(nx.path_graph(engines.FAST_MIN_NODES)) == "igraph"
    assert select_engine(nx.path_graph(3), "igraph") == "igraph"
    result = compute_all(nx.path_graph(engines.FAST_MIN_NODES))
    assert result.summary["engine"] == "igraph"


def test_same_names_and_summary_keys() -> None:
    G = messy_graph()
    nx_result, ig_result = both(G)
    assert set(ig_result.nodes) == set(G)
    assert all(tuple(v) == NODE_METRICS for v in ig_result.nodes.values())
    assert set(ig_result.summary) == set(nx_result.summary)
    assert ig_result.summary["engine"] == "igraph"
    assert nx_result.summary["engine"] == "networkx"


# --------------------------------------------------------------------------- exact metrics


@pytest.mark.parametrize("weight", ["weight", None])
def test_exact_metrics_rank_like_networkx(weight: str | None) -> None:
    G = messy_graph("newman")
    a, b = both(G, weight=weight)
    for name in (*EXACT, "eigenvector", "constraint", "core_number"):
        x, y = column(a, G, name), column(b, G, name)
        finite = np.isfinite(x)
        assert np.array_equal(finite, np.isfinite(y)), name
        assert spearmanr(x[finite], y[finite]).statistic >= 0.99, name


@pytest.mark.parametrize("weight", ["weight", None])
def test_exact_metrics_agree_with_networkx(weight: str | None) -> None:
    G = messy_graph("dyadic")
    a, b = both(G, weight=weight)
    tight = ("degree", "weighted_degree", "betweenness", "closeness", "clustering", "core_number")
    for name in tight:
        np.testing.assert_allclose(column(b, G, name), column(a, G, name), rtol=1e-9, atol=1e-12)
    # PageRank and eigenvector: NetworkX iterates to a tolerance, igraph solves exactly
    np.testing.assert_allclose(column(b, G, "pagerank"), column(a, G, "pagerank"), atol=1e-4)
    np.testing.assert_allclose(column(b, G, "eigenvector"), column(a, G, "eigenvector"), atol=1e-4)
    assert spearmanr(column(a, G, "eigenvector"), column(b, G, "eigenvector")).statistic >= 0.99
    np.testing.assert_allclose(column(b, G, "constraint"), column(a, G, "constraint"), rtol=1e-9)
    assert [v for v in G if b.nodes[v]["articulation"]] == [
        v for v in G if a.nodes[v]["articulation"]
    ]
    for key in ("nodes", "edges", "components", "bridges", "articulation_points", "weight"):
        assert b.summary[key] == a.summary[key], key
    for key in ("density", "average_clustering", "transitivity"):
        assert b.summary[key] == pytest.approx(a.summary[key]), key
    assert (b.summary["betweenness_exact"], b.summary["betweenness_k"]) == (True, None)
    assert (b.summary["closeness_exact"], b.summary["closeness_k"]) == (True, None)


def test_isolated_nodes_are_nan_for_structural_holes() -> None:
    result = compute_all(messy_graph(), engine="igraph")
    values = result.nodes["alone"]
    assert math.isnan(values["constraint"]) and math.isnan(values["effective_size"])
    assert values["closeness"] == 0.0 and values["eigenvector"] == 0.0


def test_effective_size_follows_burts_definition() -> None:
    """NetworkX's own per-node definition; its sparse-matrix shortcut (used for all nodes at
    once) divides by the wrong row maximum on weighted graphs (networkx PR #8906)."""
    G = messy_graph()
    result = compute_all(G, engine="igraph")
    expected = nx.effective_size(G, nodes=list(G), weight="weight")
    got = {v: result.nodes[v]["effective_size"] for v in G}
    for v in G:
        assert got[v] == pytest.approx(expected[v], rel=1e-9, nan_ok=True), v
    unweighted_nx, unweighted_ig = both(G, weight=None)
    np.testing.assert_allclose(
        column(unweighted_ig, G, "effective_size"),
        column(unweighted_nx, G, "effective_size"),
        rtol=1e-9,
    )


def test_constraint_and_effective_size_on_a_triangle_with_a_tail() -> None:
    # 0-1-2 triangle, 2-3 tail; weights make every term differ
    src, dst, w = np.array([0, 1, 0, 2]), np.array([1, 2, 2, 3]), np.array([1.0, 2.0, 3.0, 0.5])
    c, e = engines.constraint_and_effective_size(4, src, dst, w)
    G = nx.Graph()
    G.add_weighted_edges_from(zip(src.tolist(), dst.tolist(), w.tolist(), strict=True))
    want_c = nx.constraint(G, nodes=list(range(4)), weight="weight")
    want_e = nx.effective_size(G, nodes=list(range(4)), weight="weight")
    assert c.tolist() == pytest.approx([want_c[i] for i in range(4)])
    assert e.tolist() == pytest.approx([want_e[i] for i in range(4)])


# --------------------------------------------------------------------------- sampling


def test_sampled_betweenness_is_networkxs_for_the_same_seed() -> None:
    G = messy_graph("dyadic")
    options = {"exact_max_nodes": 50, "k": 40, "seed": 3}
    a, b = both(G, **options)
    assert (b.summary["betweenness_exact"], b.summary["betweenness_k"]) == (False, 40)
    assert (a.summary["betweenness_exact"], a.summary["betweenness_k"]) == (False, 40)
    np.testing.assert_allclose(
        column(b, G, "betweenness"), column(a, G, "betweenness"), rtol=1e-9, atol=1e-15
    )


def test_sampled_closeness_reports_k_and_ranks_like_exact_closeness() -> None:
    G = messy_graph()
    exact = compute_all(G, engine="networkx")
    sampled = compute_all(G, engine="igraph", exact_max_nodes=50, k=60, seed=0)
    assert (sampled.summary["closeness_exact"], sampled.summary["closeness_k"]) == (False, 60)
    x, y = column(exact, G, "closeness"), column(sampled, G, "closeness")
    assert spearmanr(x, y).statistic >= 0.95
    reached = x > 0
    assert np.array_equal(reached, y > 0)
    error = np.abs(y[reached] - x[reached]) / x[reached]
    assert error.mean() < 0.02 and error.max() < 0.1
    # components no larger than k are computed exactly
    for v in ("x1", "x2", "x3", "y1", "y2", "alone"):
        assert sampled.nodes[v]["closeness"] == pytest.approx(exact.nodes[v]["closeness"])


def _sampled(G: nx.Graph[Any]) -> metrics.AllMetrics:
    return compute_all(G, engine="igraph", exact_max_nodes=50, k=60, seed=2)


def _sampled_watched(
    G: nx.Graph[Any], monkeypatch: pytest.MonkeyPatch, seen: list[tuple[int, int]]
) -> metrics.AllMetrics:
    """``_sampled(G)``, noting (workers started, tasks run in this process) in ``seen``."""
    started: list[int] = []
    start, results = _searches.Searches.start, _searches.Searches.results

    def watched_results(self: _searches.Searches) -> list[np.ndarray]:
        rows = results(self)
        seen.append((started[-1], self.ran_here))
        return rows

    monkeypatch.setattr(
        _searches.Searches, "start", lambda self: started.append(start(self)) or started[-1]
    )
    monkeypatch.setattr(_searches.Searches, "results", watched_results)
    return _sampled(G)


def test_worker_processes_give_the_same_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sampled searches run in worker processes on large graphs: same results, bit for bit,
    as in this process (task rows are added in task order wherever they ran)."""
    G = messy_graph()
    monkeypatch.setenv("ORBITNET_WORKERS", "1")
    here = _sampled(G)
    monkeypatch.delenv("ORBITNET_WORKERS")
    monkeypatch.setattr(_searches, "PARALLEL_MIN_EDGES", 0)
    monkeypatch.setattr(_searches, "workers", lambda: 3)
    there = _sampled_watched(G, monkeypatch, seen := [])
    assert seen == [(3, 0)]  # three workers, no task left to this process
    for name in ("betweenness", "closeness"):
        assert np.array_equal(column(here, G, name), column(there, G, name)), name
    assert here.summary == there.summary


def test_a_failing_worker_leaves_its_tasks_to_the_caller(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A worker that cannot run (here: its module cannot be found) costs time, not results."""
    G = messy_graph()
    here = _sampled(G)
    monkeypatch.setattr(_searches, "PARALLEL_MIN_EDGES", 0)
    monkeypatch.setattr(_searches, "workers", lambda: 2)
    monkeypatch.setattr(_searches.sys, "executable", str(tmp_path / "no-python-here"))
    cannot_start = _sampled_watched(G, monkeypatch, seen := [])
    assert seen[0][0] == 0 and seen[0][1] > 0  # no worker; every task ran here
    broken = tmp_path / "python"
    broken.write_text("#!/bin/sh\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setattr(_searches.sys, "executable", str(broken))
    failing = _sampled_watched(G, monkeypatch, seen := [])
    assert seen[0][0] == 2 and seen[0][1] > 0  # two workers started, both failed
    for there in (cannot_start, failing):
        for name in ("betweenness", "closeness"):
            assert np.array_equal(column(here, G, name), column(there, G, name)), name


def test_a_failure_in_the_caller_stops_the_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    G = messy_graph()
    monkeypatch.setattr(_searches, "PARALLEL_MIN_EDGES", 0)
    monkeypatch.setattr(_searches, "workers", lambda: 2)
    started: list[tuple[list[Any], str]] = []
    start = _searches.Searches.start

    def watched_start(self: _searches.Searches) -> int:
        count = start(self)
        assert self._folder is not None
        started.append(([proc for proc, _ in self._workers], self._folder.name))
        return count

    def broken(*args: Any) -> Any:
        raise RuntimeError("something failed while the workers ran")

    monkeypatch.setattr(_searches.Searches, "start", watched_start)
    monkeypatch.setattr(engines, "_communities", broken)
    with pytest.raises(RuntimeError, match="while the workers ran"):
        _sampled(G)
    (procs, folder), = started
    assert len(procs) == 2 and all(proc.poll() is not None for proc in procs)
    assert not Path(folder).exists()


def test_workers_are_capped_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    many = set(range(64))
    monkeypatch.setattr(_searches.os, "sched_getaffinity", lambda pid: many, raising=False)
    monkeypatch.delenv("ORBITNET_WORKERS", raising=False)
    assert _searches.workers() == _searches.MAX_WORKERS == 8
    monkeypatch.setenv("ORBITNET_WORKERS", "16")
    assert _searches.workers() == 16
    monkeypatch.setenv("ORBITNET_WORKERS", "1")
    assert _searches.workers() == 1
    monkeypatch.setenv("ORBITNET_WORKERS", "many")
    with pytest.raises(ValueError, match="ORBITNET_WORKERS must be a whole number, got 'many'"):
        _searches.workers()


def test_sample_size_is_capped_by_the_edge_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    G = messy_graph()
    monkeypatch.setattr(engines, "SOURCE_EDGE_BUDGET", 10 * G.number_of_edges())
    monkeypatch.setattr(engines, "MIN_SOURCES", 5)
    result = compute_all(G, engine="igraph", exact_max_nodes=50, k=100)
    assert result.summary["betweenness_k"] == result.summary["closeness_k"] == 10


# --------------------------------------------------------------------------- communities


@pytest.mark.parametrize(
    "G",
    [
        nx.connected_caveman_graph(8, 6),
        nx.planted_partition_graph(5, 30, 0.5, 0.005, seed=2),
        weighted(nx.planted_partition_graph(4, 40, 0.4, 0.005, seed=5), seed=5),
    ],
    ids=["caveman", "planted", "planted-weighted"],
)
def test_same_communities_up_to_labelling(G: nx.Graph[Any]) -> None:
    a, b = both(G, seed=0)
    assert partition(b) == partition(a)
    assert b.summary["modularity"] == pytest.approx(a.summary["modularity"])
    # ids are ordered the same way: by size, then by the smallest member
    assert [b.nodes[v]["community"] for v in G] == [a.nodes[v]["community"] for v in G]


def test_louvain_is_seeded() -> None:
    G = weighted(nx.barabasi_albert_graph(400, 2, seed=1))
    first = compute_all(G, engine="igraph", seed=5)
    again = compute_all(G, engine="igraph", seed=5)
    assert partition(first) == partition(again)
    assert random.random() != random.random()  # the global generator is left working


# --------------------------------------------------------------------------- edge cases


def test_tiny_and_empty_graphs() -> None:
    empty = compute_all(nx.Graph(), engine="igraph")
    assert empty.nodes == {} and empty.summary["components"] == 0
    assert empty.summary["modularity"] is None
    single = compute_all(nx.empty_graph(1), engine="igraph")
    assert single.nodes[0]["closeness"] == 0.0 and math.isnan(single.nodes[0]["constraint"])
    pair = compute_all(nx.path_graph(2), engine="igraph")
    assert pair.summary["bridges"] == [(0, 1)]
    assert pair.nodes[0]["eigenvector"] == pytest.approx(math.sqrt(0.5))
    a, b = both(nx.barbell_graph(4, 0))
    assert b.summary["bridges"] == a.summary["bridges"] == [(3, 4)]
    assert partition(b) == partition(a)


def test_self_loops_and_directed_graphs_are_handed_to_networkx() -> None:
    G = nx.path_graph(5)
    G.add_edge(2, 2)
    assert compute_all(G, engine="igraph").summary["engine"] == "networkx"
    D = nx.DiGraph([(0, 1), (1, 2)])
    for engine in ("networkx", "igraph"):  # the suite is for undirected graphs
        with pytest.raises(nx.NetworkXNotImplemented):
            compute_all(D, engine=engine)


def test_non_positive_weights_are_refused_like_networkx() -> None:
    G = nx.path_graph(4)
    nx.set_edge_attributes(G, 1.0, "weight")
    G[1][2]["weight"] = 0.0
    with pytest.raises(ValueError, match="weights > 0"):
        compute_all(G, engine="networkx")
    with pytest.raises(ValueError, match="weights > 0"):
        compute_all(G, engine="igraph")
