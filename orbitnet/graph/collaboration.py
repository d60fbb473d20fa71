"""The organisation collaboration graph: a weighted projection of the bipartite graph.

The bipartite graph ``B`` links organisations (``bipartite=0``) to the missions, programmes and
agreements they take part in (``bipartite=1``). Projecting it onto the organisations gives ``G``,
where two organisations are linked when they share at least one undertaking. Shared work is
weighted the way co-authorship networks are (Newman 2001): an undertaking with ``k`` organisation
participants adds ``1 / (k - 1)`` to each of its ``k (k - 1) / 2`` pairs, so every participant gains
exactly 1 of weighted degree per undertaking and a 60-signatory accord does not drown a two-agency
mission.

Partnership kinds
-----------------
Each pair of participants in an undertaking gets a kind from the two partners' sectors and from
how many non-company partners the undertaking has:

``commercial``
    both partners are companies;
``public-private``
    one partner is a company and the other is not;
``bilateral``
    neither is a company, and they are the undertaking's only two non-company participants;
``multilateral``
    neither is a company, and the undertaking has three or more non-company participants.

So on JWST, NASA–ESA is multilateral (with CSA), NASA–Northrop Grumman is public-private and
Northrop Grumman–Ball Aerospace is commercial. Non-company means the government sectors (agency,
intergovernmental, defense) *and* academic organisations (and any organisation without a sector):
a university with a company is therefore ``public-private``. An organisation pair that shares
several undertakings gets, as ``kind``, the kind that contributed most weight to the pair
(``kinds`` holds the weight per kind); a tie goes to the kind from the smaller undertaking
(smallest ``k``, the more specific partnership), then to the order bilateral, multilateral,
public-private, commercial.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from orbitnet.graph._common import (
    YearRange,
    check_years,
    gc_paused,
    in_years,
    participants,
    undertakings,
)

__all__ = [
    "BILATERAL",
    "COMMERCIAL",
    "KIND_ORDER",
    "MULTILATERAL",
    "PUBLIC_PRIVATE",
    "collaboration_graph",
    "collaboration_rows",
    "partnership_kind",
]

BILATERAL = "bilateral"
MULTILATERAL = "multilateral"
PUBLIC_PRIVATE = "public-private"
COMMERCIAL = "commercial"
KIND_ORDER = (BILATERAL, MULTILATERAL, PUBLIC_PRIVATE, COMMERCIAL)
"""The partnership kinds, in the order that breaks ties (same values as ``PartnershipKind``)."""

COMPANY = "company"


def partnership_kind(sector_a: str | None, sector_b: str | None, non_companies: int) -> str:
    """The kind of the partnership between two participants of one undertaking.

    Parameters
    ----------
    sector_a, sector_b : str or None
        The two partners' sectors (``"agency"``, ``"company"``, ...). Academic organisations and
        unknown sectors count as non-company.
    non_companies : int
        How many participants of the undertaking are not companies.

    Returns
    -------
    str
        ``"commercial"``, ``"public-private"``, ``"bilateral"`` or ``"multilateral"``.

    Examples
    --------
    >>> partnership_kind("agency", "agency", 2)
    'bilateral'
    >>> partnership_kind("agency", "intergovernmental", 3)
    'multilateral'
    >>> partnership_kind("academic", "company", 1)
    'public-private'
    >>> partnership_kind("company", "company", 2)
    'commercial'

    References
    ----------
    The taxonomy of orbitnet's DESIGN.md (``COLLABORATES_WITH.kind``).
    """
    companies = (sector_a == COMPANY) + (sector_b == COMPANY)
    if companies == 2:
        return COMMERCIAL
    if companies == 1:
        return PUBLIC_PRIVATE
    if non_companies < 2:
        raise ValueError("two non-company partners need non_companies >= 2")
    return BILATERAL if non_companies == 2 else MULTILATERAL


@dataclass
class _Pair:
    """What a pair of organisations shares when it shares more than one undertaking."""

    contributions: list[float] = field(default_factory=list)
    kinds: dict[str, list[float]] = field(default_factory=dict)
    min_k: dict[str, int] = field(default_factory=dict)
    missions: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)

    def add(self, share: float, kind: str, k: int, mission: str, year: int | None) -> None:
        self.contributions.append(share)
        self.kinds.setdefault(kind, []).append(share)
        self.min_k[kind] = min(k, self.min_k.get(kind, k))
        self.missions.append(mission)
        if year is not None:
            self.years.append(year)

    def attributes(self) -> dict[str, Any]:
        kinds = {kind: math.fsum(ws) for kind, ws in self.kinds.items()}
        kind = min(
            kinds,
            key=lambda k: (-round(kinds[k], 9), self.min_k[k], KIND_ORDER.index(k)),
        )
        return {
            "weight": math.fsum(self.contributions),
            "kind": kind,
            "kinds": {k: kinds[k] for k in KIND_ORDER if k in kinds},
            "missions": sorted(self.missions),
            "first_year": min(self.years) if self.years else None,
            "last_year": max(self.years) if self.years else None,
        }


_One = tuple[float, str, int, str, int | None]
"""A pair that shares one undertaking so far: ``(share, kind, k, mission, year)`` (most pairs
do; a tuple costs a fraction of a :class:`_Pair`)."""


def _attributes(pair: _Pair | _One) -> dict[str, Any]:
    if isinstance(pair, _Pair):
        return pair.attributes()
    share, kind, _, mission, year = pair  # what _Pair.attributes gives for one contribution
    return {
        "weight": share,
        "kind": kind,
        "kinds": {kind: share},
        "missions": [mission],
        "first_year": year,
        "last_year": year,
    }


class _Projector:
    """Accumulates undertakings one at a time; :meth:`graph` builds the projection so far.

    Used by :func:`collaboration_graph` and, incrementally year after year, by the timeline.
    """

    def __init__(self, B: nx.Graph[Any]) -> None:
        self.B = B
        self.orgs: set[Any] = set()
        self.pairs: dict[tuple[Any, Any], _Pair | _One] = {}
        self.count = 0

    def add(self, undertaking: Any) -> None:
        B = self.B
        orgs = participants(B, undertaking)
        self.count += 1
        self.orgs.update(orgs)
        k = len(orgs)
        if k < 2:
            return
        share = 1.0 / (k - 1)
        nodes = B.nodes
        company = [nodes[o].get("sector") == COMPANY for o in orgs]
        non_companies = k - sum(company)
        # partnership_kind depends only on whether each partner is a company: look it up
        # per undertaking, then per pair (kinds[a is a company][b is a company]); the first
        # entry serves pairs of two non-companies, so only undertakings with two or more
        other = partnership_kind(None, None, max(non_companies, 2))
        mixed = partnership_kind(COMPANY, None, non_companies)
        kinds = ((other, mixed), (mixed, partnership_kind(COMPANY, COMPANY, non_companies)))
        year = nodes[undertaking].get("year")
        year = None if year is None else int(year)
        mission = str(undertaking)
        pairs = self.pairs
        for i in range(k - 1):
            a, row = orgs[i], kinds[company[i]]
            for j in range(i + 1, k):
                kind = row[company[j]]
                key = (a, orgs[j])
                found = pairs.get(key)
                if found is None:
                    pairs[key] = (share, kind, k, mission, year)
                    continue
                if not isinstance(found, _Pair):
                    first = found
                    found = pairs[key] = _Pair()
                    found.add(*first)
                found.add(share, kind, k, mission, year)

    def graph(self) -> nx.Graph[Any]:
        G: nx.Graph[Any] = nx.Graph()
        for org in sorted(self.orgs, key=str):
            G.add_node(org, **_copy_attrs(self.B.nodes[org]))
        adj = G._adj  # G.add_edge without its per-call overhead: each pair comes once
        for (a, b), pair in self.pairs.items():
            attrs = _attributes(pair)
            adj[a][b] = attrs
            adj[b][a] = attrs
        return G


def _copy_attrs(data: dict[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, (list, tuple)) else v for k, v in data.items()}


def collaboration_graph(B: nx.Graph[Any], *, years: YearRange | None = None) -> nx.Graph[Any]:
    """Project the organisation–undertaking graph onto organisations, Newman-weighted.

    Parameters
    ----------
    B : networkx.Graph
        Bipartite graph: organisation nodes (``bipartite=0``, with ``sector``) linked to
        undertaking nodes (``bipartite=1``; ``kind`` mission/program/agreement, ``year``).
    years : (int or None, int or None), optional
        Keep only undertakings whose ``year`` lies in this inclusive range (``None`` leaves an end
        open); undertakings without a year are then left out. Default: keep all undertakings.

    Returns
    -------
    networkx.Graph
        Nodes: the organisations taking part in at least one kept undertaking (with their
        attributes from ``B``; one whose undertakings are all solo is an isolate). Edge
        attributes: ``weight`` (sum of ``1 / (k - 1)`` over shared undertakings), ``kind``,
        ``kinds`` (weight per kind), ``missions`` (sorted ids of the shared undertakings),
        ``first_year`` and ``last_year`` (earliest and latest ``year`` of those undertakings, i.e.
        start, launch or signing years; ``None`` when none is known).

    Examples
    --------
    >>> import networkx as nx
    >>> B = nx.Graph()
    >>> B.add_nodes_from(["nasa", "esa", "jaxa"], bipartite=0, kind="organization", sector="agency")
    >>> B.add_node("iss", bipartite=1, kind="program", name="ISS", year=1998)
    >>> B.add_edges_from([("nasa", "iss"), ("esa", "iss"), ("jaxa", "iss")], role="partner")
    >>> G = collaboration_graph(B)
    >>> d = G["esa"]["nasa"]
    >>> d["weight"], d["kind"], d["missions"], d["first_year"]
    (0.5, 'multilateral', ['iss'], 1998)

    References
    ----------
    M. E. J. Newman, "Scientific collaboration networks. II. Shortest paths, weighted networks,
    and centrality", Phys. Rev. E 64, 016132 (2001).
    """
    check_years(years)
    with gc_paused():  # a million pairs make millions of containers
        projector = _Projector(B)
        for u in undertakings(B):
            if in_years(B.nodes[u].get("year"), years):
                projector.add(u)
        G = projector.graph()
    G.graph["years"] = years
    return G


def collaboration_rows(G: nx.Graph[Any]) -> list[dict[str, Any]]:
    """The collaboration edges as plain rows, ready to write back as ``COLLABORATES_WITH``.

    Parameters
    ----------
    G : networkx.Graph
        A collaboration graph, as made by :func:`collaboration_graph`.

    Returns
    -------
    list of dict
        One row per edge, ``{src, dst, weight, kind, missions, first_year, last_year}`` with
        ``src < dst``, sorted by ``(src, dst)``. The ``kinds`` breakdown is left out (a map is
        not a valid property value in Neo4j).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_edge("nasa", "isro", weight=1.0, kind="bilateral", missions=["nisar"],
    ...            first_year=2024, last_year=2024)
    >>> collaboration_rows(G)  # doctest: +NORMALIZE_WHITESPACE
    [{'src': 'isro', 'dst': 'nasa', 'weight': 1.0, 'kind': 'bilateral', 'missions': ['nisar'],
      'first_year': 2024, 'last_year': 2024}]

    References
    ----------
    M. E. J. Newman, Phys. Rev. E 64, 016132 (2001), for the weights.
    """
    rows: list[dict[str, Any]] = []
    for u, v, d in G.edges(data=True):
        src, dst = sorted((u, v), key=str)
        rows.append(
            {
                "src": src,
                "dst": dst,
                "weight": float(d.get("weight", 1.0)),
                "kind": d.get("kind"),
                "missions": list(d.get("missions") or []),
                "first_year": d.get("first_year"),
                "last_year": d.get("last_year"),
            }
        )
    rows.sort(key=lambda r: (str(r["src"]), str(r["dst"])))
    return rows
