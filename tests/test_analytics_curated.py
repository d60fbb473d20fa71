"""Properties that must hold on the curated dataset, read back from a real store."""

from __future__ import annotations

import pytest

from orbitnet.api import Filters, Orbitnet
from orbitnet.cypher.store import Store
from orbitnet.errors import NotFoundError
from orbitnet.loaders.curated import read_curated
from orbitnet.loaders.pipeline import load_items
from orbitnet.model import Label

ISS_PARTNERS = {"nasa", "esa", "jaxa", "roscosmos", "csa"}


@pytest.fixture
def net(falkor_store: Store) -> Orbitnet:
    load_items(falkor_store, read_curated())
    return Orbitnet(store=falkor_store)


def test_iss_partners_form_a_community_among_agencies(net: Orbitnet) -> None:
    # Among government bodies in the ISS design and assembly era, the five partners cluster.
    result = net.communities(Filters(sectors=["agency", "intergovernmental"], years=(1984, 2010)))
    homes = {c["community"] for c in result["communities"] if ISS_PARTNERS & set(c["members"])}
    assert len(homes) == 1
    assert result["modularity"] > 0


def test_nasa_and_esa_are_top_brokers(net: Orbitnet) -> None:
    top = [row["id"] for row in net.rank(by="betweenness", top=5)["rows"]]
    assert {"nasa", "esa"} <= set(top)
    assert top[0] == "nasa"


def test_cnsa_reaches_nasa_through_a_named_partner(net: Orbitnet) -> None:
    route = net.path("CNSA", "nasa")
    hops = route["hops"]
    assert route["source"] == "cnsa" and route["target"] == "nasa"
    assert len(hops) == 2  # no direct CNSA-NASA partnership in the curated data
    broker = hops[0]["target"]
    assert broker == hops[1]["source"]
    assert hops[0]["target_name"]
    assert all(h["undertakings"] for h in hops), "each hop is explained by shared undertakings"


def test_names_resolve_case_insensitively(net: Orbitnet) -> None:
    assert net.resolve("nasa") == net.resolve("NASA") == "nasa"
    assert net.resolve("European Space Agency") == "esa"
    with pytest.raises(NotFoundError) as info:
        net.resolve("Roscosmoss")
    assert "roscosmos" in info.value.suggestions


def test_analyze_write_stores_metrics_as_properties(net: Orbitnet) -> None:
    result = net.analyze(write=True)
    assert result["written"] > 50
    rows = net.run("top-brokers", {"limit": 3})
    assert rows[0]["id"] == "nasa"
    assert rows[0]["betweenness"] == pytest.approx(result["nodes"]["nasa"]["betweenness"])
    [nasa] = net.query("MATCH (o:Organization {id: 'nasa'}) RETURN o.pagerank AS pr, "
                       "o.community AS c, labels(o) AS labels")
    assert nasa["pr"] > 0 and isinstance(nasa["c"], int)
    assert Label.AGENCY.value in nasa["labels"]


def test_partners_filter_by_kind(net: Orbitnet) -> None:
    result = net.partners("NASA", kind="public-private")
    assert result["rows"], "NASA works with companies"
    assert {r["kind"] for r in result["rows"]} == {"public-private"}
    assert "spacex" in {r["id"] for r in result["rows"]}


def test_whatif_and_timeline(net: Orbitnet) -> None:
    result = net.whatif(["roscosmos"])
    assert result["removed"] == ["roscosmos"]
    assert result["after"]["nodes"] == result["before"]["nodes"] - 1
    rows = net.timeline(years=(1975, 2000))
    assert rows[0]["year"] == 1975 and rows[-1]["year"] == 2000
    assert rows[-1]["edges"] >= rows[0]["edges"]


def test_ego_network(net: Orbitnet) -> None:
    one = net.ego("ESA", hops=1)
    two = net.ego("ESA", hops=2)
    assert "esa" in one and set(one) <= set(two)
    assert len(two) > len(one)
