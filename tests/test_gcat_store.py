"""The GCAT excerpt loaded into a real store, with counts computed from the raw files."""

from __future__ import annotations

from orbitnet.api import Orbitnet
from orbitnet.cypher.store import Store
from tests.test_loader_gcat import ORGS, SATCAT, expected


def _count(store: Store, query: str) -> int:
    return int(store.read(query)[0]["n"])


def test_gcat_excerpt_loads_with_expected_counts(falkor_store: Store) -> None:
    want = expected(SATCAT)
    net = Orbitnet(store=falkor_store)
    summary = net.load([ORGS, SATCAT], format="gcat")
    assert summary.rejected == 0
    assert _count(falkor_store, "MATCH (m:Mission) RETURN count(m) AS n") == want["missions"]
    roles = {
        r["role"]: r["n"]
        for r in falkor_store.read(
            "MATCH (:Organization)-[p:PARTICIPATES_IN]->(:Mission) RETURN p.role AS role, "
            "count(p) AS n"
        )
    }
    assert roles == {"operations": want["operations"], "contractor": want["contractor"]}
    uncertain = _count(
        falkor_store,
        "MATCH ()-[p:PARTICIPATES_IN]->() WHERE p.uncertain = true RETURN count(p) AS n",
    )
    assert uncertain == want["uncertain"]
    codes = {
        a
        for row in falkor_store.read("MATCH (o:Organization) RETURN o.aliases AS a")
        for a in row["a"] or []
    }
    assert want["codes"] <= codes  # every code, including those missing from orgs.tsv
    before = falkor_store.read("MATCH (n) RETURN count(n) AS n")
    again = net.load([ORGS, SATCAT], format="gcat")
    assert all(v["created"] == 0 for v in again.nodes.values())
    assert falkor_store.read("MATCH (n) RETURN count(n) AS n") == before


def test_gcat_codes_merge_onto_curated_organisations(falkor_store: Store) -> None:
    from orbitnet.loaders.gcat import gcat_org_id

    net = Orbitnet(store=falkor_store)
    net.load()
    curated = {
        alias: row["id"]
        for row in falkor_store.run_named("projection-organizations")
        for alias in row["aliases"] or []
    }
    merged = {code: curated[code] for code in expected(SATCAT)["codes"] if code in curated}
    assert merged, "the excerpt names organisations that the curated data has"
    net.load([ORGS, SATCAT], format="gcat")
    for code, org_id in merged.items():
        assert not falkor_store.read(
            "MATCH (o:Organization {id: $id}) RETURN o.id AS id", {"id": gcat_org_id(code)}
        )
        assert (
            falkor_store.read(
                "MATCH (o:Organization {id: $id})-[:PARTICIPATES_IN]->(m:Mission) "
                "WHERE m.id STARTS WITH 'gcat-' RETURN count(m) AS n",
                {"id": org_id},
            )[0]["n"]
            > 0
        )
