"""The Python API: one handle on a store, with the questions orbitnet answers.

>>> import orbitnet
>>> net = orbitnet.open()                     # doctest: +SKIP
>>> net.load()                                # the curated dataset   # doctest: +SKIP
>>> net.rank(by="betweenness", top=5)         # doctest: +SKIP
>>> net.map("map.html")                       # doctest: +SKIP

Every CLI command is one call to a method here.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from orbitnet.config import Settings
from orbitnet.cypher.store import DEFAULT_BATCH_SIZE, Store
from orbitnet.errors import ConfigError, NotFoundError

if TYPE_CHECKING:
    import networkx as nx

    from orbitnet.cypher.queries import NamedQuery
    from orbitnet.cypher.server import EmbeddedServer
    from orbitnet.loaders.base import Item
    from orbitnet.loaders.pipeline import LoadSummary, ProgressFactory

YearRange = tuple[int | None, int | None]
FORMATS = ("auto", "curated", "gcat", "csv", "graphml", "gexf", "cytoscape", "neo4j-csv")


@dataclass(frozen=True)
class Filters:
    """Which part of the network to look at."""

    years: YearRange | None = None
    kinds: Sequence[str] | None = None
    sectors: Sequence[str] | None = None
    countries: Sequence[str] | None = None
    nodes: Sequence[str] | None = None
    """Organisations by id, name or alias."""

    def is_empty(self) -> bool:
        return not (self.years or self.kinds or self.sectors or self.countries or self.nodes)


def parse_year_range(text: str) -> YearRange:
    """``"1998:2010"``, ``"1998:"``, ``":2010"`` or ``"2004"`` as an inclusive range."""
    lo, sep, hi = text.partition(":")
    try:
        start = int(lo) if lo.strip() else None
        end = (int(hi) if hi.strip() else None) if sep else start
    except ValueError:
        raise ConfigError(f"a year range looks like 1998:2010, not {text!r}") from None
    if start is not None and end is not None and start > end:
        raise ConfigError(f"the year range {text!r} ends before it starts")
    return (start, end)


def detect_format(paths: Sequence[Path]) -> str:
    """Guess the input format from the paths given to ``load``."""
    if not paths:
        return "curated"
    first = paths[0]
    if first.is_dir():
        names = {p.name for p in first.iterdir()}
        if "orgs.tsv" in names:
            return "gcat"
        if "orbitnet-import.json" in names or any(n.endswith(".csv") for n in names):
            return "neo4j-csv"
        return "curated"
    suffix = first.suffix.lower()
    if suffix in (".graphml", ".gexf"):
        return suffix[1:]
    if suffix in (".cyjs", ".json"):
        return "cytoscape"
    if suffix in (".csv", ".tsv", ".txt"):
        if first.name == "orgs.tsv":
            return "gcat"
        return "csv"
    raise ConfigError(f"cannot tell the format of {first}; pass --format")


class Orbitnet:
    """A session on one store (Neo4j or the embedded FalkorDB)."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        store: Store | None = None,
        on_start: Callable[[EmbeddedServer], None] | None = None,
    ) -> None:
        self.settings = settings or Settings.load()
        self._store = store
        self._on_start = on_start
        self._bipartite: nx.Graph | None = None

    # --- plumbing -----------------------------------------------------------------------------
    @property
    def store(self) -> Store:
        if self._store is None:
            from orbitnet.cypher import open_store

            self._store = open_store(self.settings, on_start=self._on_start)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> Orbitnet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- data ---------------------------------------------------------------------------------
    def read(
        self,
        paths: Sequence[str | Path] = (),
        *,
        format: str = "auto",  # noqa: A002 - the CLI option's name
        mapping: str | Path | None = None,
    ) -> Iterable[Item]:
        """The loader items for ``paths`` (the curated dataset when none)."""
        from orbitnet.loaders import curated

        path_list = [Path(p) for p in paths]
        for p in path_list:
            if not p.exists():
                raise ConfigError(f"no such file or folder: {p}")
        if mapping is not None and not Path(mapping).is_file():
            raise ConfigError(f"no such mapping file: {mapping}")
        fmt = detect_format(path_list) if format == "auto" else format
        if fmt not in FORMATS:
            raise ConfigError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
        if fmt == "curated":
            if not path_list:
                return curated.read_curated()
            return (item for p in path_list for item in curated.read_dataset(p))
        if fmt == "gcat":
            from orbitnet.loaders.gcat import read_gcat

            orgs, satcat = _gcat_paths(path_list)
            return read_gcat(orgs, satcat, aliases=self.gcat_aliases())
        if fmt == "csv":
            from orbitnet.loaders.csv_mapping import read_mapped_csv

            if mapping is None:
                raise ConfigError("a CSV/TSV load needs --mapping FILE.yaml (see the README)")
            return (item for p in path_list for item in read_mapped_csv(p, Path(mapping)))
        if fmt == "cytoscape":
            from orbitnet.loaders.cytoscape import read_cytoscape_json

            return (item for p in path_list for item in read_cytoscape_json(p))
        if fmt == "neo4j-csv":
            from orbitnet.loaders.neo4j_admin import read_neo4j_admin

            return (item for p in path_list for item in read_neo4j_admin(p))
        from orbitnet.loaders.graph_files import read_graph_file

        return (item for p in path_list for item in read_graph_file(p))

    def gcat_aliases(self) -> dict[str, str]:
        """GCAT org code -> id of a stored organisation that lists the code among its aliases.

        Only organisations already in the store count (load the curated dataset first so that
        GCAT's NASA is the curated ``nasa``). Organisations that came from GCAT itself are left
        out: their id follows from their code, and their other aliases are names, not codes.
        """
        from orbitnet.loaders.gcat import gcat_org_id

        out: dict[str, str] = {}
        for row in self.store.run_named("projection-organizations"):
            aliases = row.get("aliases") or []
            if aliases and row["id"] == gcat_org_id(aliases[0]):
                continue
            for alias in aliases:
                out.setdefault(alias, row["id"])
        return out

    def load(
        self,
        paths: Sequence[str | Path] = (),
        *,
        format: str = "auto",  # noqa: A002
        mapping: str | Path | None = None,
        strict: bool = True,
        rejects: str | Path | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        progress: ProgressFactory | None = None,
    ) -> LoadSummary:
        """Load files (the curated dataset by default) and recompute the collaboration edges."""
        from orbitnet.loaders.pipeline import load_items

        items = self.read(paths, format=format, mapping=mapping)
        if not strict and rejects is None:
            rejects = Path("orbitnet-rejects.jsonl")
        summary = load_items(
            self.store,
            items,
            strict=strict,
            rejects_path=Path(rejects) if rejects is not None else None,
            batch_size=batch_size,
            progress=progress,
        )
        self._bipartite = None
        return summary

    def stats(self) -> dict[str, Any]:
        """Counts by label and relationship type, and partnerships by kind."""
        return {
            "labels": {r["label"]: r["count"] for r in self.store.run_named("counts-by-label")},
            "relationships": {
                r["type"]: r["count"] for r in self.store.run_named("counts-by-type")
            },
            "partnerships": {
                r["kind"]: {"count": r["partnerships"], "weight": r["weight"]}
                for r in self.store.run_named("partnerships-by-kind")
            },
        }

    # --- queries ------------------------------------------------------------------------------
    def query(
        self, text: str, params: Mapping[str, Any] | None = None, *, timeout: float | None = None
    ) -> list[dict[str, Any]]:
        """A read-only Cypher query; writes are refused."""
        return self.store.read(text, params, timeout=timeout)

    def run(
        self, name: str, params: Mapping[str, Any] | None = None, *, timeout: float | None = None
    ) -> list[dict[str, Any]]:
        """A named query from ``orbitnet/cypher/queries``."""
        return self.store.run_named(name, params, timeout=timeout)

    @staticmethod
    def queries() -> list[NamedQuery]:
        from orbitnet.cypher.queries import all_queries

        return list(all_queries().values())

    # --- graphs -------------------------------------------------------------------------------
    def bipartite(self) -> nx.Graph:
        """The organisation–undertaking graph (read once per session)."""
        if self._bipartite is None:
            from orbitnet.graph.projection import bipartite_graph

            self._bipartite = bipartite_graph(self.store)
        return self._bipartite

    def graph(self, filters: Filters | None = None, *, isolates: bool = False) -> nx.Graph:
        """The organisation collaboration graph, Newman-weighted, optionally filtered."""
        from orbitnet.graph.collaboration import collaboration_graph
        from orbitnet.graph.filters import subgraph

        filters = filters or Filters()
        G = collaboration_graph(self.bipartite(), years=filters.years)
        if filters.kinds or filters.sectors or filters.countries or filters.nodes:
            G = subgraph(
                G,
                kinds=filters.kinds,
                sectors=filters.sectors,
                countries=[c.upper() for c in filters.countries] if filters.countries else None,
                nodes=[self.resolve(n) for n in filters.nodes] if filters.nodes else None,
            )
        if not isolates:
            G.remove_nodes_from([n for n, d in G.degree() if d == 0])
        return G

    def resolve(self, name: str) -> str:
        """An organisation id from an id, name or alias, ignoring case."""
        B = self.bipartite()
        wanted = name.strip().lower()
        index: dict[str, set[str]] = {}
        for node, data in B.nodes(data=True):
            if data.get("bipartite") != 0:
                continue
            for key in (node, data.get("name"), *(data.get("aliases") or [])):
                if key:
                    index.setdefault(str(key).lower(), set()).add(node)
        hits = index.get(wanted, set())
        if len(hits) == 1:
            return next(iter(hits))
        if len(hits) > 1:
            exact = [h for h in hits if h == wanted]
            if exact:
                return exact[0]
            raise NotFoundError(f"{name!r} names several organisations", sorted(hits)[:5])
        close = difflib.get_close_matches(wanted, list(index), n=3, cutoff=0.6)
        suggestions = sorted({n for c in close for n in index[c]})[:3]
        raise NotFoundError(f"no organisation called {name!r}", suggestions)

    # --- analytics ----------------------------------------------------------------------------
    def metrics(self, filters: Filters | None = None, *, seed: int = 0) -> tuple[Any, Any]:
        from orbitnet.graph.metrics import compute_all

        G = self.graph(filters)
        return G, compute_all(G, seed=seed)

    def rank(
        self,
        *,
        by: str = "betweenness",
        top: int = 10,
        filters: Filters | None = None,
        seed: int = 0,
    ) -> dict[str, Any]:
        """Organisations ranked by one metric."""
        from orbitnet.graph.metrics import NODE_METRICS

        if by not in NODE_METRICS:
            raise ConfigError(f"unknown metric {by!r}; use one of {', '.join(NODE_METRICS)}")
        G, (nodes, summary) = self.metrics(filters, seed=seed)
        ranked = sorted(nodes, key=lambda n: (-float(nodes[n][by]), str(n)))[:top]
        rows = [
            {
                "rank": i + 1,
                "id": n,
                "name": G.nodes[n].get("name"),
                "sector": G.nodes[n].get("sector"),
                by: nodes[n][by],
            }
            for i, n in enumerate(ranked)
        ]
        return {"metric": by, "rows": rows, "summary": _summary_brief(summary)}

    def communities(
        self, filters: Filters | None = None, *, resolution: float = 1.0, seed: int = 0
    ) -> dict[str, Any]:
        """Louvain communities; a ``resolution`` below 1 gives fewer, larger communities."""
        from orbitnet.graph.metrics import communities

        G = self.graph(filters)
        result = communities(G, weight="weight", resolution=resolution, seed=seed)
        return {
            "modularity": result.modularity,
            "communities": [
                {
                    "community": i,
                    "size": len(c),
                    "members": sorted(c, key=lambda n: (-G.degree(n, weight="weight"), str(n))),
                }
                for i, c in enumerate(result.communities)
            ],
        }

    def partners(self, name: str, *, kind: str | None = None) -> dict[str, Any]:
        org = self.resolve(name)
        G = self.graph(isolates=True)
        rows = []
        for other in G.adj.get(org, {}):
            data = G[org][other]
            if kind and data.get("kind") != kind:
                continue
            rows.append(
                {
                    "id": other,
                    "name": G.nodes[other].get("name"),
                    "kind": data.get("kind"),
                    "weight": round(float(data["weight"]), 4),
                    "missions": data.get("missions"),
                    "first_year": data.get("first_year"),
                    "last_year": data.get("last_year"),
                }
            )
        rows.sort(key=lambda r: (-r["weight"], r["id"]))
        return {"org": org, "name": G.nodes[org].get("name") if org in G else org, "rows": rows}

    def path(self, source: str, target: str) -> dict[str, Any]:
        from orbitnet.graph.paths import NoPathError, explain_path

        a, b = self.resolve(source), self.resolve(target)
        G = self.graph(isolates=True)
        try:
            hops = explain_path(G, self.bipartite(), a, b)
        except NoPathError as exc:
            raise NotFoundError(f"no chain of partnerships links {a} and {b}") from exc
        return {"source": a, "target": b, "hops": hops}

    def ego(self, name: str, *, hops: int = 1, filters: Filters | None = None) -> nx.Graph:
        from orbitnet.graph.paths import ego_network

        center = self.resolve(name)
        G = self.graph(filters, isolates=True)
        if center not in G:
            raise NotFoundError(f"{center} has no partnerships in this view")
        return ego_network(G, center, hops=hops)

    def timeline(self, *, years: YearRange | None = None, seed: int = 0) -> list[dict[str, Any]]:
        from orbitnet.graph import timeline

        return timeline(self.bipartite(), years=years, seed=seed)

    def whatif(self, remove: Sequence[str]) -> dict[str, Any]:
        from orbitnet.graph.whatif import remove_nodes

        ids = [self.resolve(n) for n in remove]
        G = self.graph(isolates=True)
        return remove_nodes(G, self.bipartite(), ids)

    def analyze(
        self, *, write: bool = False, filters: Filters | None = None, seed: int = 0
    ) -> dict[str, Any]:
        """Every metric; with ``write`` they are stored as node properties for Neo4j Browser."""
        from orbitnet.browser import MIN_SIZE, SIZE_PROPERTY, display_sizes
        from orbitnet.cypher.writes import set_node_properties
        from orbitnet.model import Label

        _, (nodes, summary) = self.metrics(filters, seed=seed)
        written = 0
        if write:
            sizes = display_sizes({n: float(v["betweenness"]) for n, v in nodes.items()})
            rows = [
                {"id": n, "props": {**values, SIZE_PROPERTY: sizes[n]}}
                for n, values in nodes.items()
            ]
            # Organisations outside this view still get a size, so Browser draws them.
            rows += [
                {"id": node, "props": {SIZE_PROPERTY: MIN_SIZE}}
                for node, data in self.bipartite().nodes(data=True)
                if data.get("bipartite") == 0 and node not in nodes
            ]
            set_node_properties(self.store, Label.ORGANIZATION, rows)
            written = len(nodes)
        return {"summary": _summary_brief(summary), "nodes": nodes, "written": written}

    # --- maps ---------------------------------------------------------------------------------
    def map_graph(
        self,
        *,
        filters: Filters | None = None,
        focus: str | None = None,
        hops: int = 1,
        path: tuple[str, str] | None = None,
        community: int | None = None,
        seed: int = 0,
    ) -> nx.Graph:
        """The graph a map shows: metrics on every node, then the chosen view."""
        from orbitnet.viz import select_view

        G, (nodes, _) = self.metrics(filters, seed=seed)
        for n, values in nodes.items():
            G.nodes[n].update(values)
        return select_view(
            G,
            focus=self.resolve(focus) if focus is not None else None,
            hops=hops,
            between=(self.resolve(path[0]), self.resolve(path[1])) if path else None,
            community=community,
        )

    def map(
        self,
        out: str | Path | None = None,
        *,
        filters: Filters | None = None,
        focus: str | None = None,
        hops: int = 1,
        path: tuple[str, str] | None = None,
        community: int | None = None,
        color_by: str = "sector",
        size_by: str = "betweenness",
        title: str | None = None,
        seed: int = 0,
    ) -> Any:
        """An interactive, self-contained HTML map.

        With ``out`` the map is written there and the path returned (as ``orbitnet map`` does);
        without it a map object is returned that renders inline in Jupyter (``.save(path)``
        writes it later).
        """
        from orbitnet.viz import COLOR_BY, map_view, render_map

        if color_by not in COLOR_BY:
            raise ConfigError(f"--color-by takes {', '.join(COLOR_BY)}, not {color_by!r}")
        G = self.map_graph(
            filters=filters, focus=focus, hops=hops, path=path, community=community, seed=seed
        )
        options: dict[str, Any] = {
            "title": title or "orbitnet: partnerships in space",
            "color_by": color_by,
            "size_by": size_by,
            "seed": seed,
        }
        if out is None:
            return map_view(G, **options)
        return render_map(G, Path(out), **options)


def _summary_brief(summary: Mapping[str, Any]) -> dict[str, Any]:
    keep = (
        "nodes",
        "edges",
        "density",
        "components",
        "average_clustering",
        "transitivity",
        "modularity",
        "communities",
        "betweenness_exact",
        "betweenness_k",
        "engine",
    )
    return {k: summary[k] for k in keep if k in summary}


def _gcat_paths(paths: Sequence[Path]) -> tuple[Path, Path]:
    if len(paths) == 1 and paths[0].is_dir():
        folder = paths[0]
        satcats = sorted(folder.glob("satcat*.tsv"))
        if not (folder / "orgs.tsv").exists() or not satcats:
            raise ConfigError(f"{folder} needs orgs.tsv and a satcat*.tsv file for a GCAT load")
        return folder / "orgs.tsv", satcats[0]
    if len(paths) == 2:
        orgs = next((p for p in paths if p.name.startswith("orgs")), paths[0])
        satcat = paths[1] if orgs == paths[0] else paths[0]
        return orgs, satcat
    raise ConfigError("a GCAT load takes a folder, or orgs.tsv and satcat.tsv")


def open(settings: Settings | None = None, **options: Any) -> Orbitnet:  # noqa: A001
    """Open a session: Neo4j when ``NEO4J_URI`` is set, else the embedded FalkorDB.

    ``options`` are :meth:`Settings.load` arguments (``neo4j_uri``, ``home``, ...).
    """
    return Orbitnet(settings or Settings.load(**options))
