"""Small graphs for trying maps out, for the tests and for the map benchmark.

:func:`demo_graph` is a hand-made organisation graph of about thirty real space organisations and
some of their well-known joint undertakings (simplified: it illustrates the map, it is not the
curated dataset). :func:`synthetic_graph` makes heavy-tailed graphs of any size with the same
attributes.
"""

from __future__ import annotations

import random
from itertools import combinations
from typing import Any

import networkx as nx

__all__ = ["demo_graph", "synthetic_graph"]

GOVERNMENT = frozenset({"agency", "intergovernmental", "defense"})

_ORGS: tuple[tuple[str, str, str, str | None, str], ...] = (
    ("nasa", "NASA", "agency", "US", "https://www.nasa.gov/"),
    ("esa", "European Space Agency", "intergovernmental", None, "https://www.esa.int/"),
    ("jaxa", "JAXA", "agency", "JP", "https://global.jaxa.jp/"),
    ("roscosmos", "Roscosmos", "agency", "RU", "https://www.roscosmos.ru/"),
    ("csa", "Canadian Space Agency", "agency", "CA", "https://www.asc-csa.gc.ca/"),
    ("isro", "ISRO", "agency", "IN", "https://www.isro.gov.in/"),
    ("cnsa", "China National Space Administration", "agency", "CN", "https://www.cnsa.gov.cn/"),
    ("dlr", "DLR", "agency", "DE", "https://www.dlr.de/"),
    ("cnes", "CNES", "agency", "FR", "https://cnes.fr/"),
    ("asi", "Italian Space Agency", "agency", "IT", "https://www.asi.it/"),
    (
        "uksa",
        "UK Space Agency",
        "agency",
        "GB",
        "https://www.gov.uk/government/organisations/uk-space-agency",
    ),
    ("kari", "KARI", "agency", "KR", "https://www.kari.re.kr/"),
    ("uaesa", "UAE Space Agency", "agency", "AE", "https://space.gov.ae/"),
    ("eumetsat", "EUMETSAT", "intergovernmental", None, "https://www.eumetsat.int/"),
    ("unoosa", "UNOOSA", "intergovernmental", None, "https://www.unoosa.org/"),
    ("apsco", "APSCO", "intergovernmental", None, "http://www.apsco.int/"),
    ("ussf", "US Space Force", "defense", "US", "https://www.spaceforce.mil/"),
    ("spacex", "SpaceX", "company", "US", "https://www.spacex.com/"),
    ("boeing", "Boeing", "company", "US", "https://www.boeing.com/space"),
    ("northrop", "Northrop Grumman", "company", "US", "https://www.northropgrumman.com/space"),
    ("blueorigin", "Blue Origin", "company", "US", "https://www.blueorigin.com/"),
    ("ula", "United Launch Alliance", "company", "US", "https://www.ulalaunch.com/"),
    ("rocketlab", "Rocket Lab", "company", "US", "https://www.rocketlabusa.com/"),
    ("sierraspace", "Sierra Space", "company", "US", "https://www.sierraspace.com/"),
    ("axiom", "Axiom Space", "company", "US", "https://www.axiomspace.com/"),
    ("astrobotic", "Astrobotic", "company", "US", "https://www.astrobotic.com/"),
    ("intuitive", "Intuitive Machines", "company", "US", "https://www.intuitivemachines.com/"),
    ("ispace", "ispace", "company", "JP", "https://ispace-inc.com/"),
    ("airbus", "Airbus Defence and Space", "company", "FR", "https://www.airbus.com/en/space"),
    ("thales", "Thales Alenia Space", "company", "FR", "https://www.thalesaleniaspace.com/"),
    ("arianespace", "Arianespace", "company", "FR", "https://www.arianespace.com/"),
    ("mhi", "Mitsubishi Heavy Industries", "company", "JP", "https://www.mhi.com/"),
    ("jpl", "Jet Propulsion Laboratory", "academic", "US", "https://www.jpl.nasa.gov/"),
    ("mit", "MIT", "academic", "US", "https://www.mit.edu/"),
)

_UNDERTAKINGS: tuple[tuple[str, int, int, tuple[str, ...]], ...] = (
    ("iss", 1998, 2024, ("nasa", "roscosmos", "esa", "jaxa", "csa")),
    ("gateway", 2020, 2024, ("nasa", "esa", "jaxa", "csa", "uaesa")),
    ("commercial-crew", 2014, 2024, ("nasa", "spacex")),
    ("starliner", 2014, 2024, ("nasa", "boeing")),
    ("starliner-launch", 2019, 2024, ("boeing", "ula")),
    ("crs-cygnus", 2008, 2024, ("nasa", "northrop")),
    ("crs-dragon", 2008, 2024, ("nasa", "spacex")),
    ("dream-chaser", 2016, 2024, ("nasa", "sierraspace")),
    ("jwst", 1996, 2021, ("nasa", "esa", "csa")),
    ("jwst-build", 2002, 2021, ("nasa", "northrop")),
    ("jwst-launch", 2021, 2021, ("esa", "arianespace")),
    ("nisar", 2014, 2025, ("nasa", "isro")),
    ("nisar-radar", 2014, 2025, ("jpl", "isro")),
    ("bepicolombo", 2007, 2018, ("esa", "jaxa")),
    ("bepicolombo-build", 2008, 2018, ("esa", "airbus")),
    ("mascot", 2014, 2019, ("jaxa", "dlr", "cnes")),
    ("chandrayaan-1", 2008, 2009, ("isro", "nasa", "esa")),
    ("ilrs", 2021, 2024, ("cnsa", "roscosmos", "apsco")),
    ("change-4", 2018, 2019, ("cnsa", "dlr")),
    ("exomars", 2016, 2022, ("esa", "roscosmos")),
    ("exomars-build", 2016, 2024, ("esa", "thales")),
    ("hope-launch", 2020, 2020, ("uaesa", "mhi")),
    ("danuri", 2022, 2024, ("kari", "nasa")),
    ("danuri-launch", 2022, 2022, ("kari", "spacex")),
    ("sentinel-6", 2020, 2024, ("nasa", "esa", "eumetsat", "cnes")),
    ("sentinel-6-launch", 2020, 2020, ("nasa", "spacex")),
    ("metop-sg", 2015, 2024, ("eumetsat", "esa")),
    ("metop-sg-build", 2015, 2024, ("esa", "airbus")),
    ("ariane-6", 2014, 2024, ("esa", "arianespace", "cnes")),
    ("ariane-6-build", 2014, 2024, ("arianespace", "airbus")),
    ("axiom-missions", 2022, 2024, ("axiom", "spacex")),
    ("axiom-station", 2020, 2024, ("nasa", "axiom")),
    ("axiom-modules", 2020, 2024, ("axiom", "thales")),
    ("capstone", 2022, 2022, ("nasa", "rocketlab")),
    ("nssl", 2020, 2024, ("ussf", "ula")),
    ("nssl-spacex", 2020, 2024, ("ussf", "spacex")),
    ("clps-peregrine", 2019, 2024, ("nasa", "astrobotic")),
    ("peregrine-launch", 2024, 2024, ("astrobotic", "ula")),
    ("clps-nova-c", 2019, 2024, ("nasa", "intuitive")),
    ("nova-c-launch", 2024, 2024, ("intuitive", "spacex")),
    ("hakuto-r", 2022, 2023, ("ispace", "spacex")),
    ("hakuto-r-jaxa", 2021, 2023, ("ispace", "jaxa")),
    ("hls", 2021, 2024, ("nasa", "spacex")),
    ("hls-blue-moon", 2023, 2024, ("nasa", "blueorigin")),
    ("tess", 2013, 2024, ("nasa", "mit")),
    ("jpl-ffrdc", 1958, 2024, ("nasa", "jpl")),
    ("cassini", 1997, 2017, ("nasa", "esa", "asi")),
    ("iss-modules", 1998, 2011, ("asi", "thales")),
    ("grace-fo", 2018, 2024, ("nasa", "dlr")),
    ("swot", 2022, 2024, ("nasa", "cnes", "csa", "uksa")),
    ("uksa-esa", 2016, 2024, ("uksa", "esa")),
    ("kibocube", 2015, 2024, ("unoosa", "jaxa")),
    ("apollo-soyuz", 1975, 1975, ("nasa", "roscosmos")),
)


def _kind(pair: list[str], partners: int = 2) -> str:
    """The design's taxonomy for one pair on an undertaking with ``partners`` participants."""
    governments = sum(s in GOVERNMENT for s in pair)
    if governments == 0:
        return "commercial"
    if governments == 1:
        return "public-private"
    return "bilateral" if partners == 2 else "multilateral"


def demo_graph() -> nx.Graph[Any]:
    """About thirty space organisations and their joint undertakings, with metrics.

    Edges follow the design's projection: each undertaking with ``k`` partners adds ``1/(k-1)``
    to the weight of every pair; ``kind`` comes from the pair's sectors (two governments are
    bilateral if they ever worked as a pair, else multilateral). Metrics are computed with
    NetworkX (betweenness, degree, weighted degree, closeness, eigenvector, core number,
    Louvain community with seed 0).

    >>> G = demo_graph()
    >>> G.nodes["nasa"]["sector"], G["nasa"]["spacex"]["kind"]
    ('agency', 'public-private')
    """
    G: nx.Graph[Any] = nx.Graph()
    for key, name, sector, country, source in _ORGS:
        G.add_node(key, name=name, sector=sector, country=country, source=source)
    for mission, first, last, partners in _UNDERTAKINGS:
        share = 1.0 / (len(partners) - 1)
        for u, v in combinations(partners, 2):
            kind = _kind([G.nodes[u]["sector"], G.nodes[v]["sector"]], len(partners))
            if not G.has_edge(u, v):
                G.add_edge(
                    u, v, weight=0.0, kind=kind, missions=[], first_year=first, last_year=last
                )
            data = G[u][v]
            data["weight"] = round(data["weight"] + share, 4)
            data["missions"].append(mission)
            data["first_year"] = min(data["first_year"], first)
            data["last_year"] = max(data["last_year"], last)
            if kind == "bilateral":
                data["kind"] = kind
    add_metrics(G)
    return G


def add_metrics(G: nx.Graph[Any], *, seed: int = 0, samples: int | None = None) -> None:
    """Write NetworkX metrics onto the nodes (in place), as the analytics layer would.

    ``samples`` limits betweenness to that many pivots (Brandes' approximation) for big graphs.
    """
    k = samples if samples is not None and samples < G.number_of_nodes() else None
    metrics: dict[str, dict[Any, Any]] = {
        "betweenness": nx.betweenness_centrality(G, k=k, seed=seed),
        "degree": dict(G.degree()),
        "weighted_degree": dict(G.degree(weight="weight")),
    }
    if G.number_of_nodes() <= 2000:
        metrics["closeness"] = nx.closeness_centrality(G)
        metrics["eigenvector"] = nx.eigenvector_centrality(G, max_iter=1000, weight="weight")
    metrics["core_number"] = nx.core_number(G)
    communities = nx.community.louvain_communities(G, weight="weight", seed=seed)
    ranked = sorted(communities, key=lambda c: (-len(c), min(map(str, c))))
    metrics["community"] = {node: i for i, part in enumerate(ranked) for node in part}
    for name, values in metrics.items():
        nx.set_node_attributes(G, values, name)


_SECTOR_WEIGHTS = (
    ("agency", 0.3),
    ("company", 0.45),
    ("academic", 0.1),
    ("intergovernmental", 0.05),
    ("defense", 0.1),
)
_COUNTRIES = (
    "US",
    "FR",
    "DE",
    "JP",
    "IN",
    "CN",
    "RU",
    "GB",
    "IT",
    "CA",
    "KR",
    "AE",
    "BR",
    "AU",
    "ES",
    "NL",
    "IL",
    "LU",
    "NZ",
    None,
)


def synthetic_graph(n: int, *, seed: int = 0, m: int = 2, metrics: bool = True) -> nx.Graph[Any]:
    """A heavy-tailed organisation graph of ``n`` nodes (Barabási-Albert with ``m`` links each).

    Nodes get names, sectors, countries and metrics (betweenness sampled above 500 nodes); edges
    get a kind that follows the sectors, a heavy-tailed weight and a year span.

    >>> G = synthetic_graph(50, seed=1)
    >>> G.number_of_nodes(), sorted(G.nodes[0])[:3]
    (50, ['betweenness', 'closeness', 'community'])
    """
    rng = random.Random(seed)
    G: nx.Graph[Any] = nx.barabasi_albert_graph(n, m, seed=seed)
    sectors = [s for s, _ in _SECTOR_WEIGHTS]
    weights = [w for _, w in _SECTOR_WEIGHTS]
    for node in G:
        sector = rng.choices(sectors, weights)[0]
        G.nodes[node].update(
            name=f"Org {node:04d}",
            sector=sector,
            country=rng.choice(_COUNTRIES),
            source=f"https://example.org/orgs/{node}",
        )
    for u, v, data in G.edges(data=True):
        pair = [G.nodes[u]["sector"], G.nodes[v]["sector"]]
        kind = _kind(pair)
        if kind == "bilateral" and rng.random() < 0.4:
            kind = "multilateral"
        first = rng.randint(1960, 2024)
        data.update(
            weight=round(rng.paretovariate(2.0) - 0.5, 3),
            kind=kind,
            missions=[f"m{rng.randint(0, 10 * n)}" for _ in range(rng.randint(1, 3))],
            first_year=first,
            last_year=min(2024, first + int(rng.expovariate(1 / 6))),
        )
    if metrics:
        add_metrics(G, seed=seed, samples=100 if n > 500 else None)
    return G
