"""Year-by-year cumulative collaboration graph, counted by hand."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest

from orbitnet.graph import timeline


def make_b() -> nx.Graph[Any]:
    """2000: nasa+esa; 2002: esa+jaxa; 2003: isro alone; one undated mission."""
    B: nx.Graph[Any] = nx.Graph()
    for org in ("nasa", "esa", "jaxa", "isro", "cnsa", "roscosmos"):
        B.add_node(org, bipartite=0, kind="organization", name=org, sector="agency")
    for uid, year, members in (
        ("m1", 2000, ["nasa", "esa"]),
        ("m2", 2002, ["esa", "jaxa"]),
        ("m3", 2003, ["isro"]),
        ("m4", None, ["cnsa", "roscosmos"]),
    ):
        B.add_node(uid, bipartite=1, kind="mission", name=uid, year=year, end_year=None)
        B.add_edges_from((org, uid) for org in members)
    return B


def test_timeline_rows() -> None:
    rows = timeline(make_b())
    assert [r["year"] for r in rows] == [2000, 2001, 2002, 2003]
    summary = [
        (r["undertakings"], r["new_undertakings"], r["nodes"], r["edges"], r["components"])
        for r in rows
    ]
    assert summary == [(1, 1, 2, 1, 1), (1, 0, 2, 1, 1), (2, 1, 3, 2, 1), (3, 1, 4, 2, 2)]
    assert [r["density"] for r in rows] == pytest.approx([1.0, 1.0, 2 / 3, 1 / 3])
    assert [r["top_broker"] for r in rows] == [None, None, "esa", "esa"]
    # one edge, or a path of three in one community: Q = 1 - 1 = 0
    assert rows[0]["modularity"] == pytest.approx(0.0)
    assert rows[2]["modularity"] == pytest.approx(0.0)
    assert set(rows[0]) == {
        "year",
        "undertakings",
        "new_undertakings",
        "nodes",
        "edges",
        "density",
        "components",
        "modularity",
        "top_broker",
        "broker_exact",
    }
    assert all(r["broker_exact"] for r in rows)


def test_timeline_window_still_counts_earlier_years() -> None:
    rows = timeline(make_b(), years=(2001, 2002))
    assert [(r["year"], r["undertakings"], r["nodes"], r["edges"]) for r in rows] == [
        (2001, 1, 2, 1),
        (2002, 2, 3, 2),
    ]
    rows = timeline(make_b(), years=(1998, None))
    assert [r["year"] for r in rows] == [1998, 1999, 2000, 2001, 2002, 2003]
    assert (rows[0]["nodes"], rows[0]["modularity"], rows[0]["top_broker"]) == (0, None, None)


def test_timeline_of_undated_graph_is_empty() -> None:
    B: nx.Graph[Any] = nx.Graph()
    B.add_node("nasa", bipartite=0, kind="organization", sector="agency")
    B.add_node("m", bipartite=1, kind="mission", year=None)
    B.add_edge("nasa", "m")
    assert timeline(B) == []


def test_timeline_samples_betweenness_on_large_years() -> None:
    rows = timeline(make_b(), exact_max_nodes=2, k=1, seed=3)
    assert [r["broker_exact"] for r in rows] == [True, True, False, False]
