"""The paged, threaded projection gives exactly what a plain reading of the store gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from orbitnet.cypher.queries import get_query
from orbitnet.cypher.store import Store
from orbitnet.graph import projection
from orbitnet.graph.collaboration import collaboration_graph
from orbitnet.loaders.csv_mapping import read_mapped_csv
from orbitnet.loaders.curated import read_curated
from orbitnet.loaders.pipeline import load_items
from orbitnet.synthetic import generate


def _read(store: Store, name: str) -> list[dict[str, Any]]:
    return store.read(get_query(name).text)  # the exact (compact) path, one query each


def _add_reference_organizations(store: Store, graph: nx.Graph, **extra: Any) -> None:
    for row in _read(store, "projection-organizations"):
        attrs = dict(row)
        node = attrs.pop("id")
        attrs["aliases"] = list(attrs.get("aliases") or [])
        graph.add_node(node, **attrs, **extra)


def reference_bipartite(store: Store) -> nx.Graph:
    """The projection as it was first written: unpaged queries, ``add_node``/``add_edge``."""
    graph = nx.Graph()
    _add_reference_organizations(store, graph, bipartite=0, kind="organization")
    for row in _read(store, "projection-undertakings"):
        graph.add_node(
            row["id"],
            bipartite=1,
            kind=str(row["label"]).lower(),
            name=row["name"],
            year=row["year"],
            end_year=row["end_year"],
        )
    for row in _read(store, "projection-involvements"):
        org, undertaking, role = row["org"], row["undertaking"], row["role"]
        if graph.has_edge(org, undertaking):
            graph.edges[org, undertaking].setdefault("roles", []).append(role)
        else:
            graph.add_edge(org, undertaking, role=role, roles=[role])
    return graph


def reference_organizations(store: Store) -> nx.Graph:
    graph = nx.Graph()
    _add_reference_organizations(store, graph)
    missions = {
        (r["source"], r["target"]): list(r["missions"] or [])
        for r in _read(store, "projection-collaboration-missions")
    }
    for r in _read(store, "projection-collaborations"):
        graph.add_edge(
            r["source"],
            r["target"],
            weight=float(r["weight"]),
            kind=r["kind"],
            first_year=r["first_year"],
            last_year=r["last_year"],
            missions=missions.get((r["source"], r["target"]), []),
        )
    graph.remove_nodes_from([n for n, d in graph.degree() if d == 0])
    return graph


def _edge_table(G: nx.Graph) -> dict[frozenset[Any], dict[str, Any]]:
    """Edges by their ends, weights as FalkorDB prints them (15 significant digits): the
    reference reads them so, the projection exactly (see test_weights_arrive_exactly)."""
    return {
        frozenset((u, v)): {**data, "weight": float(f"{data['weight']:.15g}")}
        if "weight" in data
        else data
        for u, v, data in G.edges(data=True)
    }


def assert_identical(got: nx.Graph, want: nx.Graph) -> None:
    """Same nodes in the same order, same edges with the same attributes (edges are read page
    by page, so their order is the pages' order, not one query's)."""
    assert list(got.nodes(data=True)) == list(want.nodes(data=True))
    assert got.number_of_edges() == want.number_of_edges()
    assert _edge_table(got) == _edge_table(want)
    for node in want:
        assert set(got.adj[node]) == set(want.adj[node]), node


def assert_same_order(first: nx.Graph, second: nx.Graph) -> None:
    """Two reads of the same store: nodes, edges and every adjacency in the same order."""
    assert list(first.nodes(data=True)) == list(second.nodes(data=True))
    assert list(first.edges(data=True)) == list(second.edges(data=True))
    for node in first:
        assert list(first.adj[node].items()) == list(second.adj[node].items()), node


@pytest.fixture(params=["one-page", "many-pages"])
def pages(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "many-pages":
        monkeypatch.setattr(projection, "ROWS_PER_PAGE", 50)
    return str(request.param)


def test_curated_projection_is_unchanged(falkor_store: Store, pages: str) -> None:
    load_items(falkor_store, read_curated())
    assert_identical(projection.bipartite_graph(falkor_store), reference_bipartite(falkor_store))
    assert_identical(
        projection.organization_graph(falkor_store), reference_organizations(falkor_store)
    )


def test_synthetic_projection_is_unchanged(tmp_path: Path, falkor_store: Store, pages: str) -> None:
    files = generate(600, seed=5, out_dir=tmp_path)
    load_items(falkor_store, read_mapped_csv(files.csv, files.mapping))
    B = projection.bipartite_graph(falkor_store)
    assert B.number_of_edges() == files.rows
    assert_identical(B, reference_bipartite(falkor_store))
    G = projection.organization_graph(falkor_store)
    assert_identical(G, reference_organizations(falkor_store))
    assert_same_order(projection.bipartite_graph(falkor_store), B)
    assert_same_order(projection.organization_graph(falkor_store), G)


def test_list_properties_arrive_as_lists(falkor_store: Store) -> None:
    load_items(falkor_store, read_curated())
    B = projection.bipartite_graph(falkor_store)
    assert "NASA" in B.nodes["nasa"]["aliases"]
    assert all(isinstance(a, str) and len(a) > 1 for a in B.nodes["nasa"]["aliases"])
    G = projection.organization_graph(falkor_store)
    missions = [m for _, _, ms in G.edges(data="missions") for m in ms]
    assert missions and all(isinstance(m, str) and not m.startswith("[") for m in missions)


def test_empty_store(falkor_store: Store) -> None:
    assert projection.bipartite_graph(falkor_store).number_of_nodes() == 0
    assert projection.organization_graph(falkor_store).number_of_nodes() == 0


def test_relationship_to_an_unlisted_node(falkor_store: Store) -> None:
    """An end no node query returns (here a participation in a bare node) is still added."""
    load_items(falkor_store, read_curated())
    falkor_store.execute(
        "MATCH (o:Organization {id: 'nasa'}) CREATE (o)-[:PARTICIPATES_IN {role: 'partner'}]->"
        "(:Thing {id: 'odd-thing'})"
    )
    B = projection.bipartite_graph(falkor_store)
    assert B.edges["nasa", "odd-thing"]["roles"] == ["partner"]
    assert_identical(B, reference_bipartite(falkor_store))


def _write_on_edges(store: Store, prop: str, values: dict[tuple[str, str], Any]) -> None:
    """Set ``prop`` (a fixed name from the test) on the stored edge of each pair, as raw Cypher
    written around orbitnet would."""
    for (a, b), value in values.items():
        store.execute(
            "MATCH (a:Organization {id: $a})-[r:COLLABORATES_WITH]-(b:Organization {id: $b}) "
            f"SET r.{prop} = $value",
            {"a": a, "b": b, "value": value},
        )


def test_mission_lists_written_around_orbitnet_are_read_exactly(falkor_store: Store) -> None:
    """The bulk path reads an edge's missions from their text; ids that are not slugs (only
    possible in data written with raw Cypher) are read again exactly."""
    load_items(falkor_store, read_curated())
    odd = {
        ("nasa", "esa"): ["a, b", "c"],
        ("nasa", "jaxa"): ["one, two"],
        ("esa", "jaxa"): [],
        ("nasa", "csa"): ["[x]", "y]"],
    }
    _write_on_edges(falkor_store, "missions", odd)
    G = projection.organization_graph(falkor_store)
    for (a, b), missions in odd.items():
        assert G.edges[a, b]["missions"] == missions
    assert_identical(G, reference_organizations(falkor_store))


def test_pairs_stored_twice_and_edges_without_missions(falkor_store: Store) -> None:
    """A pair stored in both directions keeps its first place and takes the later values, as
    ``add_edge`` would; an edge without a ``missions`` property gets an empty list."""
    load_items(falkor_store, read_curated())
    falkor_store.execute(
        "MATCH (a:Organization {id: 'nasa'})-[r:COLLABORATES_WITH]-(b:Organization {id: 'esa'}) "
        "WITH a, b, r LIMIT 1 "
        "CREATE (b)-[:COLLABORATES_WITH {weight: 0.125, kind: 'written-again', first_year: 1,"
        " last_year: 2, missions: ['x']}]->(a)"
    )
    falkor_store.execute(
        "MATCH (:Organization {id: 'nasa'})-[r:COLLABORATES_WITH]-(:Organization {id: 'jaxa'}) "
        "REMOVE r.missions"
    )
    G = projection.organization_graph(falkor_store)
    assert G.edges["nasa", "jaxa"]["missions"] == []
    assert_identical(G, reference_organizations(falkor_store))


def test_an_end_the_node_query_missed_is_looked_up(falkor_store: Store) -> None:
    """While a load runs, an edge can reach an organisation the node query did not return."""
    load_items(falkor_store, read_curated())
    _, rows = falkor_store.read_columns(
        get_query("projection-collaborations-page").text, {"pages": 1, "page": 0, "top": 10**6}
    )
    graph = nx.Graph()
    ends = projection._Ends(falkor_store, graph, 0)
    unclear = projection._add_collaborations(rows, ends)
    assert unclear == []
    want = reference_organizations(falkor_store)
    assert _edge_table(graph) == _edge_table(want)
    assert set(graph) == set(want)


def test_weights_arrive_exactly(falkor_store: Store) -> None:
    """Weights read back are the computed ones bit for bit (FalkorDB prints doubles with 15
    digits; the page query sends weights from 2**-7 up to 16 as integers); others, and weights
    of other types written around orbitnet, arrive as a plain read gives them."""
    load_items(falkor_store, read_curated())
    computed = collaboration_graph(projection.bipartite_graph(falkor_store))
    G = projection.organization_graph(falkor_store)
    assert sorted(G.edges) and all(
        G.edges[u, v]["weight"] == w for u, v, w in computed.edges(data="weight")
    )
    assert any(f"{w:.15g}" != repr(w) for _, _, w in G.edges(data="weight"))  # 15 digits differ
    written = {
        ("nasa", "esa"): 1 / 3,
        ("nasa", "jaxa"): 2**-7,
        ("nasa", "csa"): 16 - 2**-49,
        ("esa", "jaxa"): 16.0,
        ("esa", "csa"): 1 / 300,
        ("nasa", "roscosmos"): -0.5,
        ("esa", "roscosmos"): 0.0,
        ("jaxa", "csa"): 3,
        ("jaxa", "roscosmos"): 40,
        ("csa", "roscosmos"): "0.25",
    }
    _write_on_edges(falkor_store, "weight", written)
    G = projection.organization_graph(falkor_store)
    for (a, b), weight in written.items():
        exact = not isinstance(weight, str) and 2**-7 <= weight < 16
        want = float(weight) if exact else float(f"{float(weight):.15g}")
        assert G.edges[a, b]["weight"] == want, (a, b)
    assert G.edges["nasa", "esa"]["weight"] != 0.333333333333333
    assert G.edges["esa", "csa"]["weight"] == 0.00333333333333333
    assert_identical(G, reference_organizations(falkor_store))
