"""View selection: small pure functions from a graph to a new graph."""

from __future__ import annotations

import networkx as nx
import pytest

from orbitnet.errors import NotFoundError, OrbitnetError
from orbitnet.viz import (
    community_view,
    ego_view,
    path_view,
    resolve_node,
    select_view,
    whole_view,
    year_view,
)
from orbitnet.viz.views import edge_years


@pytest.fixture
def G() -> nx.Graph:
    """Two triangles joined by a bridge, plus a pendant and an isolate."""
    G = nx.Graph()
    names = {
        "nasa": "NASA",
        "esa": "European Space Agency",
        "jaxa": "JAXA",
        "cnsa": "CNSA",
        "roscosmos": "Roscosmos",
        "apsco": "APSCO",
        "spacex": "SpaceX",
        "loner": "Loner",
    }
    for i, (key, name) in enumerate(names.items()):
        G.add_node(key, name=name, sector="agency", community=0 if i < 3 else 1)
    G.add_edge("nasa", "esa", weight=2.0, first_year=1975, last_year=2024)
    G.add_edge("esa", "jaxa", weight=1.0, first_year=2007, last_year=2018)
    G.add_edge("nasa", "jaxa", weight=0.5, first_year=1998, last_year=None)
    G.add_edge("jaxa", "cnsa", weight=0.1, first_year=None, last_year=None)  # the bridge, undated
    G.add_edge("cnsa", "roscosmos", weight=1.0, first_year=2021, last_year=2024)
    G.add_edge("roscosmos", "apsco", weight=1.0, first_year=2021, last_year=2024)
    G.add_edge("cnsa", "apsco", weight=1.0, first_year=2021, last_year=2024)
    G.add_edge("nasa", "spacex", weight=3.0, first_year=2008, last_year=None)
    G.nodes["spacex"]["community"] = 0
    G.nodes["loner"]["community"] = 2
    return G


def test_views_do_not_change_their_input(G: nx.Graph) -> None:
    before = (sorted(G.nodes(data=True), key=str), sorted(G.edges(data=True), key=str), G.graph)
    whole_view(G).graph["x"] = 1
    ego_view(G, "nasa")
    path_view(G, "spacex", "apsco")
    community_view(G, 1)
    year_view(G, 2000, 2010)
    assert before == (
        sorted(G.nodes(data=True), key=str),
        sorted(G.edges(data=True), key=str),
        G.graph,
    )


def test_whole_view_is_a_copy(G: nx.Graph) -> None:
    H = whole_view(G)
    assert nx.utils.graphs_equal(H, G)
    assert H is not G


def test_ego_view(G: nx.Graph) -> None:
    H = ego_view(G, "nasa", hops=1)
    assert set(H) == {"nasa", "esa", "jaxa", "spacex"}
    assert H.graph["focus"] == "nasa"
    assert H.graph["highlight_nodes"] == ["nasa"]
    assert set(ego_view(G, "nasa", hops=2)) == {"nasa", "esa", "jaxa", "spacex", "cnsa"}
    assert set(ego_view(G, "loner", hops=3)) == {"loner"}
    assert H.nodes["nasa"]["name"] == "NASA"
    assert H["nasa"]["esa"]["weight"] == 2.0


def test_nodes_resolve_by_id_or_name(G: nx.Graph) -> None:
    assert resolve_node(G, "esa") == "esa"
    assert resolve_node(G, "european space agency") == "esa"
    assert resolve_node(G, "SPACEX") == "spacex"
    with pytest.raises(NotFoundError) as caught:
        ego_view(G, "nsa")
    assert "nasa" in caught.value.suggestions


def test_path_view_highlights_the_chain(G: nx.Graph) -> None:
    H = path_view(G, "spacex", "apsco")
    assert H.graph["highlight_nodes"] == ["spacex", "nasa", "jaxa", "cnsa", "apsco"]
    assert H.graph["highlight_edges"] == [
        ("spacex", "nasa"),
        ("nasa", "jaxa"),
        ("jaxa", "cnsa"),
        ("cnsa", "apsco"),
    ]
    assert set(H) == set(H.graph["highlight_nodes"])
    assert H.graph["focus"] == "spacex"


def test_path_view_weighted_prefers_strong_ties(G: nx.Graph) -> None:
    assert path_view(G, "nasa", "jaxa").graph["highlight_nodes"] == ["nasa", "jaxa"]
    # nasa-jaxa has weight 0.5 (length 2); via esa: 1/2 + 1/1 = 1.5
    weighted = path_view(G, "nasa", "jaxa", weighted=True)
    assert weighted.graph["highlight_nodes"] == ["nasa", "esa", "jaxa"]


def test_path_view_with_context(G: nx.Graph) -> None:
    H = path_view(G, "roscosmos", "apsco", context=1)
    assert H.graph["highlight_nodes"] == ["roscosmos", "apsco"]
    assert set(H) == {"roscosmos", "apsco", "cnsa"}


def test_path_view_errors(G: nx.Graph) -> None:
    with pytest.raises(OrbitnetError, match="no chain"):
        path_view(G, "nasa", "loner")
    with pytest.raises(NotFoundError):
        path_view(G, "nasa", "nowhere")
    with pytest.raises(ValueError, match="context"):
        path_view(G, "nasa", "esa", context=-1)


def test_community_view(G: nx.Graph) -> None:
    assert set(community_view(G, 0)) == {"nasa", "esa", "jaxa", "spacex"}
    H = community_view(G, 1)
    assert set(H) == {"cnsa", "roscosmos", "apsco"}
    assert H.number_of_edges() == 3
    with pytest.raises(NotFoundError, match="communities: 0, 1, 2"):
        community_view(G, 9)


def test_edge_years() -> None:
    assert edge_years({"first_year": 1990, "last_year": 2000}) == (1990, 2000)
    assert edge_years({"first_year": None, "last_year": 2000}) == (2000, 2000)
    assert edge_years({"first_year": 1990}) == (1990, 1990)
    assert edge_years({}) is None


def test_year_view_keeps_overlapping_edges(G: nx.Graph) -> None:
    H = year_view(G, 2000, 2010)
    assert {frozenset(e) for e in H.edges()} == {
        frozenset(("nasa", "esa")),
        frozenset(("esa", "jaxa")),
        frozenset(("nasa", "spacex")),
    }
    assert "loner" not in H
    assert "cnsa" not in H  # only undated or later partnerships
    early = year_view(G, None, 1980)
    assert set(early.edges()) == {("nasa", "esa")}
    assert set(year_view(G, 2022)) == {"nasa", "esa", "cnsa", "roscosmos", "apsco"}
    with_isolates = year_view(G, 1975, 1975, keep_isolates=True)
    assert with_isolates.number_of_nodes() == G.number_of_nodes()
    assert with_isolates.number_of_edges() == 1
    with pytest.raises(ValueError, match="after"):
        year_view(G, 2020, 2000)


def test_select_view_combines_views(G: nx.Graph) -> None:
    assert nx.utils.graphs_equal(select_view(G), G)
    H = select_view(G, community=0, focus="esa", hops=1)
    assert set(H) == {"esa", "nasa", "jaxa"}
    P = select_view(G, years=(2020, 2024), between=("cnsa", "apsco"))
    assert P.graph["highlight_nodes"] == ["cnsa", "apsco"]
    with pytest.raises(ValueError, match="either"):
        select_view(G, focus="nasa", between=("nasa", "esa"))
