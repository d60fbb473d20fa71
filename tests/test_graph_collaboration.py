"""The Newman-weighted organisation projection and its partnership kinds, checked by hand."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest

from orbitnet.graph import collaboration_graph, collaboration_rows, partnership_kind
from orbitnet.graph.collaboration import KIND_ORDER


def make_b(
    orgs: dict[str, str], undertakings: dict[str, tuple[int | None, list[str]]]
) -> nx.Graph[Any]:
    """``orgs``: id -> sector; ``undertakings``: id -> (year, participant ids)."""
    B: nx.Graph[Any] = nx.Graph()
    for org, sector in orgs.items():
        B.add_node(
            org,
            bipartite=0,
            kind="organization",
            name=org.upper(),
            sector=sector,
            country="US",
            aliases=[org],
            source="test",
        )
    for uid, (year, members) in undertakings.items():
        B.add_node(uid, bipartite=1, kind="mission", name=uid.title(), year=year, end_year=None)
        for org in members:
            B.add_edge(org, uid, role="partner", contribution=None)
    return B


AGENCIES = {"nasa": "agency", "esa": "intergovernmental", "jaxa": "agency", "csa": "agency"}


def test_three_participants_give_each_pair_one_half() -> None:
    B = make_b(AGENCIES, {"iss": (1998, ["nasa", "esa", "jaxa"])})
    G = collaboration_graph(B)
    assert sorted(G.edges()) == [("esa", "jaxa"), ("esa", "nasa"), ("jaxa", "nasa")]
    for u, v in G.edges():
        assert G[u][v]["weight"] == 0.5
        assert G[u][v]["kind"] == "multilateral"
        assert G[u][v]["missions"] == ["iss"]
        assert G[u][v]["first_year"] == G[u][v]["last_year"] == 1998


def test_two_shared_undertakings_sum_and_list_missions() -> None:
    B = make_b(
        AGENCIES,
        {"iss": (1998, ["nasa", "esa", "jaxa"]), "jwst": (2021, ["nasa", "esa"])},
    )
    G = collaboration_graph(B)
    edge = G["nasa"]["esa"]
    assert edge["weight"] == 1.5
    assert edge["missions"] == ["iss", "jwst"]
    assert edge["kinds"] == {"bilateral": 1.0, "multilateral": 0.5}
    assert edge["kind"] == "bilateral"
    assert (edge["first_year"], edge["last_year"]) == (1998, 2021)
    assert G["nasa"]["jaxa"]["weight"] == 0.5


def test_weighted_degree_counts_shared_undertakings() -> None:
    # Newman's weights give each participant exactly 1 per undertaking with k >= 2.
    B = make_b(
        AGENCIES,
        {
            "iss": (1998, ["nasa", "esa", "jaxa", "csa"]),
            "jwst": (2021, ["nasa", "esa", "csa"]),
            "hayabusa": (2003, ["jaxa"]),
        },
    )
    G = collaboration_graph(B)
    strength = dict(G.degree(weight="weight"))
    assert strength == pytest.approx({"nasa": 2.0, "esa": 2.0, "csa": 2.0, "jaxa": 1.0})


@pytest.mark.parametrize(
    ("a", "b", "non_companies", "kind"),
    [
        ("agency", "agency", 2, "bilateral"),
        ("agency", "academic", 2, "bilateral"),
        ("agency", "intergovernmental", 3, "multilateral"),
        ("agency", "company", 1, "public-private"),
        ("academic", "company", 1, "public-private"),
        ("company", "agency", 2, "public-private"),
        ("company", "company", 0, "commercial"),
        ("company", "company", 2, "commercial"),
        (None, "agency", 2, "bilateral"),
    ],
)
def test_partnership_kind(a: str | None, b: str | None, non_companies: int, kind: str) -> None:
    assert partnership_kind(a, b, non_companies) == kind


def test_partnership_kind_needs_two_non_companies() -> None:
    with pytest.raises(ValueError, match="two"):
        partnership_kind("agency", "agency", 1)


def test_government_pair_on_a_mission_with_contractors_is_not_public_private() -> None:
    orgs = {"nasa": "agency", "esa": "intergovernmental", "ngc": "company", "ball": "company"}
    B = make_b(orgs, {"jwst": (2021, ["nasa", "esa", "ngc", "ball"])})
    G = collaboration_graph(B)
    assert G["nasa"]["esa"]["kind"] == "bilateral"
    assert G["nasa"]["ngc"]["kind"] == "public-private"
    assert G["ngc"]["ball"]["kind"] == "commercial"
    assert G["nasa"]["esa"]["weight"] == pytest.approx(1 / 3)


def test_kind_taxonomy_on_edges() -> None:
    orgs = {"nasa": "agency", "spacex": "company", "boeing": "company", "mit": "academic"}
    B = make_b(
        orgs,
        {
            "ccp": (2014, ["nasa", "spacex", "boeing"]),
            "rideshare": (2020, ["spacex", "boeing"]),
            "cubesat": (2019, ["mit", "spacex"]),
        },
    )
    G = collaboration_graph(B)
    assert G["nasa"]["spacex"]["kind"] == "public-private"
    assert G["nasa"]["spacex"]["weight"] == 0.5
    assert G["mit"]["spacex"]["kind"] == "public-private"
    # spacex-boeing: ccp (two companies: commercial, 0.5) and rideshare (commercial, 1.0)
    edge = G["spacex"]["boeing"]
    assert edge["weight"] == 1.5
    assert edge["kinds"] == {"commercial": 1.5}
    assert edge["kind"] == "commercial"


def test_kind_tie_goes_to_smaller_undertaking() -> None:
    # nasa-esa: one bilateral mission (1.0) and two 3-agency missions (0.5 + 0.5 = 1.0).
    B = make_b(
        AGENCIES,
        {
            "a": (2000, ["nasa", "esa"]),
            "b": (2001, ["nasa", "esa", "jaxa"]),
            "c": (2002, ["nasa", "esa", "csa"]),
        },
    )
    edge = collaboration_graph(B)["nasa"]["esa"]
    assert edge["kinds"] == {"bilateral": 1.0, "multilateral": 1.0}
    assert edge["kind"] == "bilateral"


def test_kind_tie_with_same_size_follows_kind_order() -> None:
    orgs = {"nasa": "agency", "esa": "agency", "jaxa": "agency", "spacex": "company"}
    B = make_b(
        orgs,
        {"b": (2001, ["nasa", "esa", "spacex"]), "c": (2002, ["nasa", "esa", "jaxa"])},
    )
    edge = collaboration_graph(B)["nasa"]["esa"]
    # b: nasa and esa are its only two non-company partners (bilateral, 0.5);
    # c: three agencies (multilateral, 0.5); both undertakings have k = 3.
    assert edge["kinds"] == {"bilateral": 0.5, "multilateral": 0.5}
    assert edge["kind"] == "bilateral"
    assert KIND_ORDER.index("bilateral") < KIND_ORDER.index("multilateral")


def test_kind_values_match_the_model() -> None:
    from orbitnet.model import PartnershipKind

    assert set(KIND_ORDER) == {k.value for k in PartnershipKind}


def test_nodes_are_participating_organisations_with_attributes() -> None:
    orgs = {**AGENCIES, "isro": "agency"}
    B = make_b(orgs, {"iss": (1998, ["nasa", "esa"]), "chandrayaan": (2008, ["isro"])})
    G = collaboration_graph(B)
    # csa and jaxa take part in nothing; isro only in a solo mission (an isolate).
    assert sorted(G.nodes()) == ["esa", "isro", "nasa"]
    assert G.degree("isro") == 0
    assert G.nodes["nasa"]["sector"] == "agency"
    assert G.nodes["nasa"]["bipartite"] == 0
    G.nodes["nasa"]["aliases"].append("x")
    assert B.nodes["nasa"]["aliases"] == ["nasa"]


def test_years_filter_keeps_undertakings_in_range() -> None:
    B = make_b(
        AGENCIES,
        {
            "old": (1975, ["nasa", "esa"]),
            "mid": (2000, ["nasa", "jaxa"]),
            "new": (2020, ["esa", "csa"]),
            "undated": (None, ["jaxa", "csa"]),
        },
    )
    assert sorted(collaboration_graph(B, years=(1990, 2010)).edges()) == [("jaxa", "nasa")]
    later = collaboration_graph(B, years=(2000, None))
    assert sorted(map(sorted, later.edges())) == [["csa", "esa"], ["jaxa", "nasa"]]
    assert sorted(collaboration_graph(B, years=(None, 1975)).edges()) == [("esa", "nasa")]
    all_edges = collaboration_graph(B)
    assert all_edges.number_of_edges() == 4
    assert all_edges["jaxa"]["csa"]["first_year"] is None
    with pytest.raises(ValueError, match="after"):
        collaboration_graph(B, years=(2010, 1990))


def test_collaboration_rows() -> None:
    B = make_b(AGENCIES, {"iss": (1998, ["nasa", "esa", "jaxa"]), "jwst": (2021, ["nasa", "esa"])})
    rows = collaboration_rows(collaboration_graph(B))
    assert rows == [
        {
            "src": "esa",
            "dst": "jaxa",
            "weight": 0.5,
            "kind": "multilateral",
            "missions": ["iss"],
            "first_year": 1998,
            "last_year": 1998,
        },
        {
            "src": "esa",
            "dst": "nasa",
            "weight": 1.5,
            "kind": "bilateral",
            "missions": ["iss", "jwst"],
            "first_year": 1998,
            "last_year": 2021,
        },
        {
            "src": "jaxa",
            "dst": "nasa",
            "weight": 0.5,
            "kind": "multilateral",
            "missions": ["iss"],
            "first_year": 1998,
            "last_year": 1998,
        },
    ]
    assert all(r["src"] < r["dst"] for r in rows)
