"""Encodings (colours, sizes, edge styles) and the Python layout."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from orbitnet.viz import spring_positions
from orbitnet.viz.encode import (
    KIND_STYLES,
    SECTOR_COLORS,
    darken,
    edge_style,
    edge_widths,
    metric_values,
    node_colors,
    node_sizes,
)


def test_sector_colours_and_legend() -> None:
    G = nx.Graph()
    G.add_node("nasa", sector="agency")
    G.add_node("spacex", sector="company")
    G.add_node("esa", sector="intergovernmental")
    G.add_node("mystery")
    colors, legend = node_colors(G, "sector")
    assert colors["nasa"] == SECTOR_COLORS["agency"]
    assert colors["spacex"] == SECTOR_COLORS["company"]
    assert [e.key for e in legend.entries] == ["agency", "company", "intergovernmental", "unknown"]
    assert legend.entries[-1].count == 1
    assert len(set(colors.values())) == 4


def test_many_communities_fold_into_other() -> None:
    G = nx.Graph()
    for i in range(30):
        G.add_node(i, community=i % 14)
    _, legend = node_colors(G, "community", max_groups=10)
    keys = [e.key for e in legend.entries]
    assert keys[:3] == ["0", "1", "2"]
    assert keys[-1] == "other"
    assert legend.entries[-1].count == 4 * 2  # communities 10..13, two nodes each
    assert sum(e.count for e in legend.entries) == 30
    assert legend.entries[0].label == "community 0"


def test_sizes_follow_the_metric_and_fall_back_to_degree() -> None:
    G = nx.star_graph(4)
    nx.set_node_attributes(G, {0: 1.0, 1: 0.0, 2: 0.0, 3: 0.0, 4: 0.25}, "betweenness")
    sizes, legend = node_sizes(G, "betweenness", min_px=10, max_px=30)
    assert sizes[0] == 30
    assert sizes[1] == 10
    assert sizes[4] == pytest.approx(20)  # area, not radius, is proportional
    assert not legend.fallback
    H = nx.star_graph(3)
    sizes, legend = node_sizes(H, "pagerank")
    assert legend.fallback
    assert legend.metric == "degree"
    assert sizes[0] > sizes[1]
    values, used = metric_values(H, "pagerank")
    assert used == "degree"
    assert values[0] == 3.0


def test_sizes_ignore_missing_and_odd_values() -> None:
    G = nx.path_graph(3)
    G.nodes[0]["betweenness"] = 0.5
    G.nodes[1]["betweenness"] = math.nan
    G.nodes[2]["betweenness"] = "high"
    values, used = metric_values(G, "betweenness")
    assert used == "betweenness"
    assert values == {0: 0.5, 1: 0.0, 2: 0.0}


def test_edge_styles_differ_by_kind() -> None:
    styles = [edge_style(kind) for kind in KIND_STYLES]
    assert len({s.color for s in styles}) == len(styles)
    assert len({str(s.dashes) for s in styles}) == len(styles)
    assert edge_style("bilateral").dashes is False
    assert edge_style(None).label == "unknown kind"
    assert edge_style("telepathic").label == "unknown kind"


def test_edge_widths() -> None:
    widths = edge_widths({"a": 0.0, "b": 1.0, "c": None, "d": 0.25}, min_px=1, max_px=5)
    assert (widths["a"], widths["b"], widths["c"]) == (1, 5, 1)
    assert widths["d"] == pytest.approx(3)
    assert edge_widths({"x": 2.0, "y": 2.0}, min_px=1, max_px=7) == {"x": 2.0, "y": 2.0}


def test_darken() -> None:
    assert darken("#0072B2") == "#00507d"


def test_layout_is_complete_finite_and_seeded() -> None:
    G = nx.barabasi_albert_graph(300, 2, seed=1)
    pos = spring_positions(G, seed=5)
    assert set(pos) == set(G)
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in pos.values())
    assert pos == spring_positions(G, seed=5)
    assert pos != spring_positions(G, seed=6)
    lengths = [math.dist(pos[u], pos[v]) for u, v in G.edges()]
    spread = [math.dist(pos[u], pos[v]) for u, v in zip(list(G)[:150], list(G)[150:], strict=True)]
    assert sum(lengths) / len(lengths) < sum(spread) / len(spread)  # neighbours sit closer


def test_layout_packs_components_apart() -> None:
    G = nx.disjoint_union(nx.complete_graph(6), nx.cycle_graph(8))
    G.add_nodes_from(["a", "b"])  # isolates
    pos = spring_positions(G, seed=0)

    def box(nodes: list) -> tuple[float, float, float, float]:
        xs = [pos[n][0] for n in nodes]
        ys = [pos[n][1] for n in nodes]
        return min(xs), min(ys), max(xs), max(ys)

    first, second = box(list(range(6))), box(list(range(6, 14)))
    overlap_x = first[0] < second[2] and second[0] < first[2]
    overlap_y = first[1] < second[3] and second[1] < first[3]
    assert not (overlap_x and overlap_y)
    assert pos["a"] != pos["b"]


def test_layout_edge_cases() -> None:
    assert spring_positions(nx.Graph()) == {}
    assert spring_positions(nx.Graph([(1, 1)])) == {1: (0.0, 0.0)}
    pos = spring_positions(nx.path_graph(2))
    assert math.dist(pos[0], pos[1]) > 0.1
