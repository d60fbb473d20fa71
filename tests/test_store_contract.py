"""The store contract, run against every available backend (FalkorDB always, Neo4j if set)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orbitnet.cypher import statements
from orbitnet.cypher.store import Store
from orbitnet.errors import QueryError, WriteRefusedError
from orbitnet.model import NODE_LABELS, Label, RelType, Sector


def _orgs(n: int, prefix: str = "o") -> list[dict]:
    return [
        {"id": f"{prefix}{i}", "props": {"name": f"Org {i}", "sector": "agency"}} for i in range(n)
    ]


def test_schema_setup_is_idempotent(store: Store) -> None:
    store.setup_schema()
    assert store.setup_schema() == []
    have = {(c["label"], c["property"]) for c in store.constraints()}
    assert {(lbl.value, "id") for lbl in NODE_LABELS} <= have


def test_unique_constraint_refuses_duplicates(store: Store) -> None:
    store.execute("CREATE (:Organization {id: 'dup'})")
    with pytest.raises(QueryError):
        store.execute("CREATE (:Organization {id: 'dup'})")
    assert store.read("MATCH (n:Organization {id: 'dup'}) RETURN count(n) AS n") == [{"n": 1}]


@pytest.mark.parametrize("batch_size", [1, 7, 10_000])
def test_batched_upsert_is_idempotent(store: Store, batch_size: int) -> None:
    query = statements.upsert_nodes(Label.ORGANIZATION, Sector.AGENCY.label)
    first = store.write_batches(query, _orgs(25), batch_size=batch_size)
    assert first.nodes_created == 25
    assert first.batches == -(-25 // batch_size)
    again = store.write_batches(query, _orgs(25), batch_size=batch_size)
    assert again.nodes_created == 0
    assert again.rows == 25
    count = store.read("MATCH (n:Organization:Agency) RETURN count(n) AS n")
    assert count == [{"n": 25}]


def test_sector_change_leaves_one_sector_label(store: Store) -> None:
    store.write_batches(statements.upsert_nodes(Label.ORGANIZATION, Label.AGENCY), _orgs(1))
    store.write_batches(statements.upsert_nodes(Label.ORGANIZATION, Label.COMPANY), _orgs(1))
    [row] = store.read("MATCH (n:Organization {id: 'o0'}) RETURN n")
    assert sorted(row["n"]["labels"]) == ["Company", "Organization"]


def test_edge_upsert_merges_by_key_and_skips_missing_ends(store: Store) -> None:
    store.write_batches(statements.upsert_nodes(Label.ORGANIZATION, Label.AGENCY), _orgs(1))
    store.write_batches(
        statements.upsert_nodes(Label.MISSION), [{"id": "m", "props": {"name": "M"}}]
    )
    query = statements.upsert_edges(
        RelType.PARTICIPATES_IN, Label.ORGANIZATION, Label.MISSION, "role"
    )
    rows = [
        {"src": "o0", "dst": "m", "key": "lead", "props": {"source": "s"}},
        {"src": "o0", "dst": "m", "key": "launch", "props": {"source": "s"}},
        {"src": "o0", "dst": "missing", "key": "lead", "props": {}},
    ]
    assert store.write_batches(query, rows).relationships_created == 2
    assert store.write_batches(query, rows).relationships_created == 0
    assert store.read("MATCH ()-[r:PARTICIPATES_IN]->() RETURN count(r) AS n") == [{"n": 2}]


def test_reads_return_plain_values(store: Store) -> None:
    store.write_batches(statements.upsert_nodes(Label.ORGANIZATION, Label.AGENCY), _orgs(2))
    store.execute(
        "MATCH (a:Organization {id: 'o0'}), (b:Organization {id: 'o1'}) "
        "CREATE (a)-[:CONTRACTS {year: 2014}]->(b)"
    )
    [row] = store.read(
        "MATCH p = (a:Organization {id: 'o0'})-[r:CONTRACTS]->(b) RETURN a, r, p, b.id AS b"
    )
    assert row["a"] == {
        "id": "o0",
        "labels": ["Agency", "Organization"] if store.backend == "neo4j" else row["a"]["labels"],
        "properties": {"id": "o0", "name": "Org 0", "sector": "agency"},
    }
    assert sorted(row["a"]["labels"]) == ["Agency", "Organization"]
    assert row["r"] == {"type": "CONTRACTS", "properties": {"year": 2014}}
    assert [n["id"] for n in row["p"]["nodes"]] == ["o0", "o1"]
    assert row["b"] == "o1"
    assert isinstance(row, dict)


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE (n:Organization {id: 'x'})",
        "MATCH (n) DETACH DELETE n",
        "MERGE (n:Mission {id: 'y'})",
        "MATCH (n:Organization) SET n.name = 'hacked'",
    ],
)
def test_read_path_refuses_writes(store: Store, statement: str) -> None:
    store.write_batches(statements.upsert_nodes(Label.ORGANIZATION, Label.AGENCY), _orgs(1))
    with pytest.raises(WriteRefusedError):
        store.read(statement)
    assert store.read("MATCH (n:Organization) RETURN n.name AS name") == [{"name": "Org 0"}]


AWKWARD = [
    'O\'Brien "quoted"',
    "back`tick`",
    "newline\nand\r\nreturn",
    "tab\tand\\backslash",
    "ünïcødé 🚀 中国国家航天局",
    "'); MATCH (n) DETACH DELETE n; //",
    "<img src=x onerror=alert(1)>",
    "$param {braces}",
]


@pytest.mark.parametrize("value", AWKWARD)
def test_parameters_come_back_verbatim(store: Store, value: str) -> None:
    store.write_batches(
        statements.upsert_nodes(Label.ORGANIZATION, Label.AGENCY),
        [{"id": "awk", "props": {"name": value, "aliases": [value, "x"]}}],
    )
    [row] = store.read(
        "MATCH (n:Organization {id: $id}) RETURN n.name AS name, n.aliases AS a", {"id": "awk"}
    )
    assert row == {"name": value, "a": [value, "x"]}
    assert store.read("RETURN $v AS v", {"v": value}) == [{"v": value}]
    assert store.read("MATCH (n:Organization) RETURN count(n) AS n") == [{"n": 1}]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=60
    )
)
def test_any_text_round_trips(store: Store, text: str) -> None:
    assert store.read("RETURN $v AS v", {"v": text}) == [{"v": text}]


def test_nul_is_refused_clearly(store: Store) -> None:
    if store.backend != "falkordb":
        pytest.skip("Neo4j stores NUL characters")
    with pytest.raises(QueryError, match="NUL"):
        store.read("RETURN $v AS v", {"v": "a\x00b"})


def test_stream_large_result(store: Store) -> None:
    n = 60_000
    query = statements.upsert_nodes(Label.MISSION)
    store.write_batches(query, ({"id": f"m{i}", "props": {"name": f"M{i}"}} for i in range(n)))
    stream = store.stream("MATCH (m:Mission) RETURN m.id AS id")
    first = next(stream)
    assert set(first) == {"id"}
    assert 1 + sum(1 for _ in stream) == n


def test_named_query_binding(store: Store) -> None:
    from orbitnet.cypher.queries import get_query

    store.write_batches(statements.upsert_nodes(Label.ORGANIZATION, Label.AGENCY), _orgs(3))
    rows = store.run_named("find-organization", {"text": "ORG 1"})
    assert rows == [{"id": "o1", "name": "Org 1", "sector": "agency"}]
    with pytest.raises(QueryError, match="--param text"):
        get_query("find-organization").bind({})
    with pytest.raises(QueryError, match="no parameter"):
        get_query("find-organization").bind({"text": "x", "bogus": 1})


def test_syntax_error_is_one_clear_line(store: Store) -> None:
    with pytest.raises(QueryError) as info:
        store.read("MATCH (n RETURN n")
    assert "syntax" in str(info.value).lower()
    assert "\n" not in str(info.value)


def test_missing_parameter_says_what_to_do(store: Store) -> None:
    with pytest.raises(QueryError, match="--param"):
        store.read("MATCH (n:Organization {id: $nope}) RETURN n")
