"""Projections from the store into NetworkX.

``bipartite_graph`` gives organisations and the undertakings (missions, programmes, agreements)
they take part in; ``organization_graph`` gives the stored ``COLLABORATES_WITH`` network. Both read
through named queries and the store's bulk column path, so no driver object is involved.

Reading is built for large graphs (see ``benchmarks/bench_scale.py``): the relationship queries
are split into pages by the organisations' internal id ranges, and the pages are fetched by two
background threads while the main thread adds the previous page to the graph, so the database
and Python work at the same time; the pages come back in the order one unpaged query would give,
so nodes, edges and their attributes are inserted in the same order. Python's cyclic garbage
collector is paused while the graph is built (millions of new containers would otherwise trigger
repeated full collections, which cost more than the parsing itself). Only scalar columns travel
through the bulk path (:meth:`orbitnet.cypher.store.Store.read_columns`); list properties
(aliases, the missions of an edge) are read exactly, the missions as one row per element.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import networkx as nx

if TYPE_CHECKING:
    from orbitnet.cypher.store import Store

__all__ = ["bipartite_graph", "organization_graph"]

ROWS_PER_PAGE = 250_000
"""Aim for about this many relationships per page (estimated from the organisation count)."""
MAX_PAGES = 16
FETCH_THREADS = 2
"""Queries in flight at once: the embedded FalkorDB runs two read threads by default."""

Columns = tuple[list[str], list[list[Any]]]


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (reference counting still frees memory).

    On the way out everything is moved to the oldest generation (``freeze`` then ``unfreeze``,
    both constant-time): otherwise the first collection after the pause would walk every
    container made during it, the whole new graph, as if it were young.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if was_enabled:
            gc.enable()


class _Reader:
    """Named queries run on background threads, their results taken in submission order."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.pool = ThreadPoolExecutor(max_workers=FETCH_THREADS, thread_name_prefix="orbitnet")

    def submit(self, name: str, params: Mapping[str, Any] | None = None) -> Future[Columns]:
        from orbitnet.cypher.queries import get_query

        return self.pool.submit(self.store.read_columns, get_query(name).text, params)

    def pages(self, name: str, bounds: list[tuple[int, int]]) -> list[Future[Columns]]:
        return [self.submit(name, {"lo": lo, "hi": hi}) for lo, hi in bounds]

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _rows(future: Future[Columns]) -> list[list[Any]]:
    return future.result()[1]


def _page_bounds(store: Store, per_org: float) -> list[tuple[int, int]]:
    """Inclusive internal-id ranges covering every organisation, in ascending order."""
    from orbitnet.cypher.queries import get_query

    _, rows = store.read_columns(get_query("projection-id-range").text)
    if not rows or rows[0][0] is None:
        return []
    lo, hi, count = (int(v) for v in rows[0])
    pages = max(1, min(MAX_PAGES, round(count * per_org / ROWS_PER_PAGE)))
    step = -(-(hi - lo + 1) // pages)
    return [(start, min(hi, start + step - 1)) for start in range(lo, hi + 1, step)]


class _Ids:
    """Internal node id -> the node's ``id`` property, filled from the node queries.

    The relationship queries return their ends as internal ids (cheaper to look up in the
    database and to parse than the text ids); an end no node query returned is looked up once.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.known: dict[Any, Any] = {}

    def __getitem__(self, internal: Any) -> Any:
        try:
            return self.known[internal]
        except KeyError:
            found = self.store.run_named("projection-node-ids", {"nodes": [internal]})
            node = found[0]["id"] if found else None
            self.known[internal] = node
            return node


def _add_organizations(
    reader: _Reader, graph: nx.Graph, nodes: Future[Columns], ids: _Ids, *, bipartite: bool
) -> None:
    aliases: dict[Any, list[Any]] = {}
    rows = _rows(nodes)
    if any(row[5] for row in rows):
        aliases = {
            row["id"]: list(row["aliases"] or [])
            for row in reader.store.run_named("projection-organization-aliases")
        }
    extra = {"bipartite": 0, "kind": "organization"} if bipartite else {}
    known = ids.known
    for internal, node, name, sector, country, alias_count, source in rows:
        known[internal] = node
        graph.add_node(
            node,
            name=name,
            sector=sector,
            country=country,
            aliases=list(aliases.get(node, ())) if alias_count else [],
            source=source,
            **extra,
        )


def bipartite_graph(store: Store) -> nx.Graph:
    """Organisation–undertaking graph (see the contract in ``orbitnet.graph``)."""
    graph = nx.Graph()
    ids = _Ids(store)
    with _gc_paused():
        bounds = _page_bounds(store, per_org=4.0)
        reader = _Reader(store)
        try:
            nodes = reader.submit("projection-organization-nodes")
            undertakings = reader.submit("projection-undertaking-nodes")
            pages = reader.pages("projection-participations-page", bounds)
            signatures = reader.submit("projection-signatures")
            _add_organizations(reader, graph, nodes, ids, bipartite=True)
            known = ids.known
            for internal, node, name, label, year, end_year in _rows(undertakings):
                known[internal] = node
                graph.add_node(
                    node,
                    bipartite=1,
                    kind=str(label).lower(),
                    name=name,
                    year=year,
                    end_year=end_year,
                )
            for page in [*pages, signatures]:
                _add_involvements(graph, _rows(page), ids)
            del nodes, undertakings, pages, signatures, page  # free the replies before the GC
        finally:
            reader.close()
    return graph


def _add_involvements(graph: nx.Graph, rows: Iterable[list[Any]], ids: _Ids) -> None:
    """Organisation–undertaking edges with ``role`` (the first) and ``roles`` (all, in order)."""
    adj = graph._adj  # the loop below is graph.add_edge without its per-call overhead
    known = ids.known
    for org_internal, undertaking_internal, role in rows:
        org = known.get(org_internal)
        if org is None:
            org = ids[org_internal]
        undertaking = known.get(undertaking_internal)
        if undertaking is None:
            undertaking = ids[undertaking_internal]
        mine, theirs = adj.get(org), adj.get(undertaking)
        if mine is None or theirs is None:  # an end the node queries did not return
            if graph.has_edge(org, undertaking):
                graph.edges[org, undertaking].setdefault("roles", []).append(role)
            else:
                graph.add_edge(org, undertaking, role=role, roles=[role])
            continue
        data = mine.get(undertaking)
        if data is None:
            data = {"role": role, "roles": [role]}
            mine[undertaking] = data
            theirs[org] = data
        else:
            data.setdefault("roles", []).append(role)


def organization_graph(
    store: Store, *, metrics: Iterable[str] = (), isolates: bool = False
) -> nx.Graph:
    """The stored collaboration network with node attributes and any stored ``metrics``.

    Organisations with no partnership are left out unless ``isolates`` is true.
    """
    graph = nx.Graph()
    ids = _Ids(store)
    with _gc_paused():
        bounds = _page_bounds(store, per_org=10.0)
        reader = _Reader(store)
        try:
            nodes = reader.submit("projection-organization-nodes")
            mission_rows = reader.submit("projection-collaboration-mission-rows")
            pages = reader.pages("projection-collaborations-page", bounds)
            _add_organizations(reader, graph, nodes, ids, bipartite=False)
            missions: dict[Any, list[Any]] = {}
            for page in pages:
                _add_collaborations(graph, _rows(page), ids, missions)
            for rel, mission in _rows(mission_rows):
                listed = missions.get(rel)
                if listed is not None:
                    listed.append(mission)
            del nodes, mission_rows, pages, missions  # free the replies before the GC
        finally:
            reader.close()
    wanted = list(metrics)
    if wanted:
        from orbitnet.cypher.queries import get_query

        for row in store.read(get_query("projection-metrics").text):
            if row["id"] in graph:
                props = row["props"] or {}
                graph.nodes[row["id"]].update({m: props[m] for m in wanted if m in props})
    if not isolates:
        graph.remove_nodes_from([n for n, d in graph.degree() if d == 0])
    return graph


def _add_collaborations(
    graph: nx.Graph, rows: Iterable[list[Any]], ids: _Ids, missions: dict[Any, list[Any]]
) -> None:
    """``COLLABORATES_WITH`` rows as edges; each edge's (empty) missions list goes in
    ``missions`` under the relationship's internal id, to be filled once those rows arrive."""
    adj = graph._adj  # the loop below is graph.add_edge without its per-call overhead
    known = ids.known
    for rel, source_internal, target_internal, weight, kind, first, last in rows:
        source = known.get(source_internal)
        if source is None:
            source = ids[source_internal]
        target = known.get(target_internal)
        if target is None:
            target = ids[target_internal]
        listed: list[Any] = []
        missions[rel] = listed
        attrs = {
            "weight": float(weight),
            "kind": kind,
            "first_year": first,
            "last_year": last,
            "missions": listed,
        }
        mine, theirs = adj.get(source), adj.get(target)
        if mine is None or theirs is None:  # an end the node query did not return
            graph.add_edge(source, target, **attrs)
            continue
        data = mine.get(target)
        if data is None:
            mine[target] = attrs
            theirs[source] = attrs
        else:
            data.update(attrs)
