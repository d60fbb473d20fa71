"""Loading into a real store: strict mode, rejects, references, idempotency, round trips."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orbitnet.cypher.store import Store
from orbitnet.errors import InvalidDataError
from orbitnet.loaders.curated import read_curated, read_dataset
from orbitnet.loaders.pipeline import load_items
from orbitnet.model import Organization


def counts(store: Store) -> dict[str, int]:
    labels = {r["label"]: r["count"] for r in store.run_named("counts-by-label")}
    rels = {r["type"]: r["count"] for r in store.run_named("counts-by-type")}
    return {**labels, **rels}


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


ORGS = """\
- id: nasa
  name: NASA
  sector: agency
  country: US
  source: https://www.nasa.gov/
- id: esa
  name: European Space Agency
  sector: intergovernmental
  source: https://www.esa.int/
- id: spacex
  name: SpaceX
  sector: company
  country: US
  source: https://www.spacex.com/
"""
MISSIONS = """\
- id: m1
  name: Mission One
  kind: observatory
  launch_year: 2001
  source: https://example.org/m1
"""
PARTS = """\
- org: nasa
  target: m1
  role: lead
  source: https://example.org/m1
- org: esa
  target: m1
  role: instrument
  contribution: a camera
  source: https://example.org/m1
- org: spacex
  target: m1
  role: launch
  source: https://example.org/m1
"""


def test_curated_dataset_loads_and_is_idempotent(store: Store) -> None:
    first = load_items(store, read_curated())
    assert first.rejected == 0
    assert first.collaborations > 100
    snapshot = counts(store)
    again = load_items(store, read_curated())
    assert all(v["created"] == 0 for v in again.nodes.values())
    assert all(v["created"] == 0 for v in again.relationships.values())
    assert counts(store) == snapshot
    dupes = store.read(
        "MATCH (n:Organization) WITH n.id AS id, count(*) AS c WHERE c > 1 RETURN id"
    )
    assert dupes == []


def test_strict_mode_writes_nothing_and_names_file_line_field(store: Store, tmp_path: Path) -> None:
    write(tmp_path, "organizations.yaml", ORGS.replace("sector: company", "sector: startup"))
    write(tmp_path, "missions.yaml", MISSIONS)
    write(
        tmp_path,
        "participations.yaml",
        PARTS.replace("target: m1\n  role: lead", "target: m2\n  role: lead"),
    )
    with pytest.raises(InvalidDataError) as info:
        load_items(store, read_dataset(tmp_path))
    messages = [str(p) for p in info.value.problems]
    assert f"{tmp_path / 'organizations.yaml'}:12: sector: " in messages[0]
    assert any(
        m.startswith(f"{tmp_path / 'participations.yaml'}:1: target: no node with id 'm2'")
        for m in messages
    )
    # spacex's launch participation dangles once spacex is rejected
    assert any("participations.yaml:10: org: no node with id 'spacex'" in m for m in messages)
    assert counts(store) == {}


def test_skip_invalid_writes_valid_rows_and_rejects_file(store: Store, tmp_path: Path) -> None:
    write(tmp_path, "organizations.yaml", ORGS.replace("sector: company", "sector: startup"))
    write(tmp_path, "missions.yaml", MISSIONS)
    write(tmp_path, "participations.yaml", PARTS)
    rejects = tmp_path / "rejects.jsonl"
    summary = load_items(store, read_dataset(tmp_path), strict=False, rejects_path=rejects)
    assert summary.rejected == 2
    lines = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert [(r["line"], r["field"]) for r in lines] == [(12, "sector"), (10, "org")]
    assert lines[0]["raw"]["id"] == "spacex"
    c = counts(store)
    assert c["Organization"] == 2 and c["PARTICIPATES_IN"] == 2
    assert c["COLLABORATES_WITH"] == 1
    [edge] = store.read(
        "MATCH (a)-[r:COLLABORATES_WITH]->(b) RETURN a.id AS a, b.id AS b, "
        "r.kind AS kind, r.weight AS w, r.missions AS m, r.first_year AS y"
    )
    assert {edge["a"], edge["b"]} == {"nasa", "esa"}
    assert edge["kind"] == "bilateral" and edge["w"] == 1.0 and edge["m"] == ["m1"]
    assert edge["y"] == 2001


def test_references_resolve_against_the_database(store: Store, tmp_path: Path) -> None:
    write(tmp_path / "a", "organizations.yaml", ORGS)
    write(tmp_path / "a", "missions.yaml", MISSIONS)
    load_items(store, read_dataset(tmp_path / "a"))
    write(tmp_path / "b", "participations.yaml", PARTS)
    summary = load_items(store, read_dataset(tmp_path / "b"))
    assert summary.relationships["PARTICIPATES_IN"]["created"] == 3
    assert summary.collaborations == 3  # nasa-esa, nasa-spacex, esa-spacex


def test_duplicate_ids_are_rejected(store: Store, tmp_path: Path) -> None:
    write(tmp_path, "organizations.yaml", ORGS + ORGS.split("- id: esa")[0])
    with pytest.raises(InvalidDataError) as info:
        load_items(store, read_dataset(tmp_path))
    assert "duplicate id 'nasa'" in str(info.value.problems[0])


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("- id: nasa\n  name: [unclosed\n", "YAML"),
        ("just a string\n", "expected a list"),
        ("- id: nasa\n  name: NASA\n  sector: agency\n  colour: red\n", "unknown field"),
        ("- id: NASA HQ\n  name: NASA\n  sector: agency\n", "String should match pattern"),
    ],
)
def test_malformed_files(store: Store, tmp_path: Path, text: str, reason: str) -> None:
    write(tmp_path, "organizations.yaml", text)
    with pytest.raises(InvalidDataError) as info:
        load_items(store, read_dataset(tmp_path))
    assert reason in str(info.value.problems[0])
    assert str(tmp_path / "organizations.yaml") in str(info.value.problems[0])


def test_wrong_encoding(store: Store, tmp_path: Path) -> None:
    (tmp_path / "organizations.yaml").write_bytes("- id: cnes\n  name: Cnès\n".encode("latin-1"))
    with pytest.raises(InvalidDataError) as info:
        load_items(store, read_dataset(tmp_path))
    assert str(info.value.problems[0]).endswith("organizations.yaml:2: (file): not UTF-8 text")


text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(
    lambda s: s.strip() == s and s
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    orgs=st.lists(
        st.builds(
            Organization,
            id=st.from_regex(r"[a-z][a-z0-9]{0,10}", fullmatch=True),
            name=text,
            sector=st.sampled_from(
                ["agency", "company", "academic", "defense", "intergovernmental"]
            ),
            country=st.none() | st.sampled_from(["US", "FR", "JP"]),
            founded=st.none() | st.integers(1000, 2100),
            aliases=st.lists(text, max_size=3).map(tuple),
            source=text,
        ),
        max_size=8,
        unique_by=lambda o: o.id,
    )
)
def test_records_round_trip_through_the_store(store: Store, orgs: list[Organization]) -> None:
    from orbitnet.loaders.base import Located

    store.clear()
    load_items(store, [Located(o, "gen", i) for i, o in enumerate(orgs)], derive=False)
    back = {}
    for row in store.read("MATCH (n:Organization) RETURN n"):
        props = dict(row["n"]["properties"])
        back[props["id"]] = Organization(**props)
    assert back == {o.id: o for o in orgs}
