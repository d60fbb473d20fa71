"""Projections from the store into NetworkX.

``bipartite_graph`` gives organisations and the undertakings (missions, programmes, agreements) they
take part in; ``organization_graph`` gives the stored ``COLLABORATES_WITH`` network. Both read
through named queries and the store's bulk column path, so no driver object is involved.

Reading is built for large graphs (see ``benchmarks/bench_scale.py``): the relationship queries are
split into pages of about :data:`ROWS_PER_PAGE` relationships, page ``i`` of ``n`` holding the
organisations whose internal id is ``i`` modulo ``n`` (ranges of ids would not do: the lower id of a
pair is usually the source, so low ids carry most edges). A page steps through those ids with
``range(i, top, n)``, which the database answers by id lookups, not by a scan of every organisation.
Background threads keep four page queries in flight while the main thread adds the pages that have
arrived, so the database and Python work at the same time: with two queries in flight (one per
database read thread) a database thread sat idle while its reply waited for Python's GIL to be
parsed; with four, each has the next query queued. Nodes are inserted in the order of the node
query; edges page by page, so the same store gives the same graph, adjacency order included, on
every read.
Python's cyclic garbage collector is paused while the graph is built (millions of new containers
would otherwise trigger repeated full collections, which cost more than the parsing itself). Only
scalar columns travel through the bulk path (:meth:`orbitnet.cypher.store.Store.read_columns`), with
one exception: an edge's ``missions`` list arrives from FalkorDB as the text ``[a, b, c]`` next to
its length, and is split at ``", "``. Undertaking ids are slugs, which hold no comma, so the split
gives the list back; an edge whose split does not give as many ids as its length (possible only for
data written around orbitnet) has its list read again exactly. Aliases are read exactly.

Weights arrive exactly. FalkorDB prints a double as text with 15 significant digits, which loses
the last bits and costs the server more than anything else in a row. The page query sends a weight
``w`` with 2**-7 <= w < 16 (every Newman weight of missions with up to 129 partners, and sums of
them up to 16) as the integer ``w * 2**59`` instead: scaling by a power of two is exact, and in
that range the product is a whole number below 2**63, so :data:`WEIGHT_UNIT` times it gives the
stored double back bit for bit. Other weights come as floats (from FalkorDB with 15 digits, as
every other read gives them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from operator import itemgetter
from typing import TYPE_CHECKING, Any

import networkx as nx

from orbitnet.graph._common import gc_paused

if TYPE_CHECKING:
    from orbitnet.cypher.store import Store

__all__ = ["bipartite_graph", "organization_graph"]

ROWS_PER_PAGE = 20_000
"""Aim for at most this many relationships per page: small pages let the graph building start
soon after the call, while the later pages are still being read."""
MAX_PAGES = 64
WEIGHT_UNIT = 2.0**-59
"""An integer weight from the page query is the stored weight in these units (see the module
docstring)."""
FETCH_THREADS = 4
"""Queries in flight at once: twice the embedded FalkorDB's two read threads (see the module
docstring)."""

Columns = tuple[list[str], list[list[Any]]]


class _Reader:
    """Named queries run on background threads, their results taken in submission order."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.pool = ThreadPoolExecutor(max_workers=FETCH_THREADS, thread_name_prefix="orbitnet")

    def submit(self, name: str, params: Mapping[str, Any] | None = None) -> Future[Columns]:
        from orbitnet.cypher.queries import get_query

        return self.pool.submit(self.store.read_columns, get_query(name).text, params)

    def pages(self, name: str, count: int, top: int) -> list[Future[Columns]]:
        return [
            self.submit(name, {"pages": count, "page": page, "top": top}) for page in range(count)
        ]

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _rows(future: Future[Columns]) -> list[list[Any]]:
    return future.result()[1]


def _paging(store: Store, counter: str) -> tuple[int, int]:
    """How many pages to read the relationships counted by the named query ``counter`` in, and
    the highest internal id of an organisation (the pages step through the ids up to it)."""
    from orbitnet.cypher.queries import get_query

    _, counted = store.read_columns(get_query(counter).text)
    relationships = int(counted[0][0]) if counted and counted[0][0] is not None else 0
    _, highest = store.read_columns(get_query("projection-organization-top").text)
    top = int(highest[0][0]) if highest and highest[0][0] is not None else -1
    return max(1, min(MAX_PAGES, -(-relationships // ROWS_PER_PAGE))), top


class _Ends:
    """Internal node id -> the node's ``id`` property and its adjacency dict in the graph.

    The relationship queries return their ends as internal ids (cheaper to look up in the
    database and to parse than the text ids). The node queries fill the map; an end they did not
    return (written while the projection read) is looked up in the store once and added to the
    graph. The map is two lists indexed by the id: the edge loops look both ends of a million
    edges up, and a list index costs less than a hash lookup (about 15 % of the loop). Ids are
    dense in both databases; the lists start at the size the paging query found and grow when a
    higher id turns up.
    """

    def __init__(self, store: Store, graph: nx.Graph, size: int) -> None:
        self.store, self.graph = store, graph
        self.nodes: list[Any] = [None] * size
        self.adjs: list[Any] = [None] * size

    def add_nodes(self, rows: list[list[Any]], attributes: Iterable[dict[str, Any]]) -> None:
        """``graph.add_node(row[1], **attrs)`` for each row (internal id first, then the node)
        and its attributes, without the per-call overhead, each recorded under its id."""
        if rows:
            self._grow(max(map(itemgetter(0), rows)) + 1)
        node_attrs, adj = self.graph._node, self.graph._adj  # graph.add_node without overhead
        by_id, adjs_by_id = self.nodes, self.adjs
        for row, attrs in zip(rows, attributes, strict=True):
            internal, node = row[0], row[1]
            mine = adj.get(node)
            if mine is None:
                node_attrs[node] = attrs
                adj[node] = mine = {}
            else:
                node_attrs[node].update(attrs)
            by_id[internal] = node
            adjs_by_id[internal] = mine

    def _grow(self, size: int) -> None:
        if size > len(self.nodes):
            more = size - len(self.nodes)  # in place: the loops hold the lists
            self.nodes += [None] * more
            self.adjs += [None] * more

    def __getitem__(self, internal: int) -> tuple[Any, dict[Any, Any]]:
        node = self.nodes[internal] if internal < len(self.nodes) else None
        return (node, self.adjs[internal]) if node is not None else self.add(internal)

    def add(self, internal: int) -> tuple[Any, dict[Any, Any]]:
        """An end the node queries did not return: look it up, add it to the graph."""
        found = self.store.run_named("projection-node-ids", {"nodes": [internal]})
        node = found[0]["id"] if found else None
        if node not in self.graph:
            self.graph.add_node(node)  # a vanished node (None) raises, as add_edge would
        self.add_nodes([[internal, node]], [{}])
        return node, self.adjs[internal]


def _add_organizations(ends: _Ends, nodes: Future[Columns], *, bipartite: bool) -> None:
    aliases: dict[Any, list[Any]] = {}
    rows = _rows(nodes)
    if any(row[5] for row in rows):
        aliases = {
            row["id"]: list(row["aliases"] or [])
            for row in ends.store.run_named("projection-organization-aliases")
        }
    extra = {"bipartite": 0, "kind": "organization"} if bipartite else {}
    ends.add_nodes(
        rows,
        (
            {
                "name": name,
                "sector": sector,
                "country": country,
                "aliases": list(aliases.get(node, ())) if alias_count else [],
                "source": source,
                **extra,
            }
            for _, node, name, sector, country, alias_count, source in rows
        ),
    )


def bipartite_graph(store: Store) -> nx.Graph:
    """Organisation–undertaking graph (see the contract in ``orbitnet.graph``)."""
    graph = nx.Graph()
    with gc_paused():
        reader = _Reader(store)
        try:
            nodes = reader.submit("projection-organization-nodes")
            undertakings = reader.submit("projection-undertaking-nodes")
            page_count, top = _paging(store, "projection-participation-count")
            pages = reader.pages("projection-participations-page", page_count, top)
            signatures = reader.submit("projection-signatures")
            ends = _Ends(store, graph, top + 1)
            _add_organizations(ends, nodes, bipartite=True)
            rows = _rows(undertakings)
            ends.add_nodes(
                rows,
                (
                    {
                        "bipartite": 1,
                        "kind": str(label).lower(),
                        "name": name,
                        "year": year,
                        "end_year": end_year,
                    }
                    for _, _, name, label, year, end_year in rows
                ),
            )
            del nodes, undertakings, rows  # free the replies before the GC
            pages.append(signatures)
            while pages:  # each reply is freed once added, so the next one reuses its memory
                _add_involvements(_rows(pages.pop(0)), ends)
        finally:
            reader.close()
    return graph


def _add_involvements(rows: Iterable[list[Any]], ends: _Ends) -> None:
    """Organisation–undertaking edges of ``ends.graph`` with ``role`` (the first) and ``roles``
    (all, in order)."""
    nodes, adjs = ends.nodes, ends.adjs  # the ends are looked up as in _add_collaborations
    previous: Any = object()
    org: Any = None
    mine: dict[Any, Any] = {}
    for org_internal, undertaking_internal, role in rows:
        if org_internal != previous:  # rows come grouped by their organisation
            previous = org_internal
            org, mine = ends[org_internal]
        try:  # ends[undertaking_internal], inline: once per edge
            undertaking = nodes[undertaking_internal]
        except IndexError:
            undertaking = None
        if undertaking is None:
            undertaking, theirs = ends.add(undertaking_internal)
        else:
            theirs = adjs[undertaking_internal]
        data = mine.get(undertaking)
        if data is None:  # the loop is graph.add_edge without its per-call overhead
            data = {"role": role, "roles": [role]}
            mine[undertaking] = data
            theirs[org] = data
        else:
            data["roles"].append(role)


def organization_graph(
    store: Store, *, metrics: Iterable[str] = (), isolates: bool = False
) -> nx.Graph:
    """The stored collaboration network with node attributes and any stored ``metrics``.

    Organisations with no partnership are left out unless ``isolates`` is true.
    """
    graph = nx.Graph()
    with gc_paused():
        reader = _Reader(store)
        try:
            nodes = reader.submit("projection-organization-nodes")
            page_count, top = _paging(store, "projection-collaboration-count")
            pages = reader.pages("projection-collaborations-page", page_count, top)
            ends = _Ends(store, graph, top + 1)
            _add_organizations(ends, nodes, bipartite=False)
            unclear: list[tuple[Any, Any]] = []
            while pages:  # each reply is freed once added, so the next one reuses its memory
                unclear += _add_collaborations(_rows(pages.pop(0)), ends)
            del nodes  # free the reply before the GC
        finally:
            reader.close()
        if unclear:
            _read_missions_exactly(store, graph, unclear)
    wanted = list(metrics)
    if wanted:
        from orbitnet.cypher.queries import get_query

        for row in store.read(get_query("projection-metrics").text):
            if row["id"] in graph:
                props = row["props"] or {}
                graph.nodes[row["id"]].update({m: props[m] for m in wanted if m in props})
    if not isolates:
        graph.remove_nodes_from([node for node, nbrs in graph._adj.items() if not nbrs])
    return graph


def _add_collaborations(rows: Iterable[list[Any]], ends: _Ends) -> list[tuple[Any, Any]]:
    """``COLLABORATES_WITH`` rows as edges of ``ends.graph``.

    Returns the edges whose ``missions`` could not be read from the bulk reply (see the module
    docstring): their ends as internal ids, to be read exactly.
    """
    nodes, adjs = ends.nodes, ends.adjs  # the loop is graph.add_edge without per-call overhead
    unclear: list[tuple[Any, Any]] = []
    previous: Any = object()
    source: Any = None
    mine: dict[Any, Any] = {}
    for source_internal, target_internal, weight, kind, first, last, listed, count in rows:
        if source_internal != previous:  # rows come grouped by their source
            previous = source_internal
            source, mine = ends[source_internal]
        try:  # ends[target_internal], inline: once per edge
            target = nodes[target_internal]
        except IndexError:
            target = None
        if target is None:
            target, theirs = ends.add(target_internal)
        else:
            theirs = adjs[target_internal]
        # FalkorDB's bulk reply gives a list as its text, "[a, b]"; Neo4j gives the list
        missions = listed[1:-1].split(", ") if listed.__class__ is str else list(listed or ())
        if len(missions) != count:
            if not count:  # an empty list ("[]" splits into [""]), or no list at all
                missions = []
            else:
                unclear.append((source_internal, target_internal))
        attrs = {
            "weight": weight * WEIGHT_UNIT if weight.__class__ is int else float(weight),
            "kind": kind,
            "first_year": first,
            "last_year": last,
            "missions": missions,
        }
        data = mine.setdefault(target, attrs)
        if data is attrs:
            theirs[source] = attrs
        else:  # the pair came before: keep its place, take the later values
            data.update(attrs)
    return unclear


def _read_missions_exactly(store: Store, graph: nx.Graph, edges: list[tuple[Any, Any]]) -> None:
    """Replace the ``missions`` of ``edges`` (pairs of internal ids) with an exact read."""
    from orbitnet.cypher.queries import get_query
    from orbitnet.cypher.store import DEFAULT_BATCH_SIZE

    query = get_query("projection-collaboration-missions-of").text
    for start in range(0, len(edges), DEFAULT_BATCH_SIZE):
        pairs = [list(pair) for pair in edges[start : start + DEFAULT_BATCH_SIZE]]
        for row in store.read(query, {"pairs": pairs}):
            graph.edges[row["source"], row["target"]]["missions"] = list(row["missions"] or [])
