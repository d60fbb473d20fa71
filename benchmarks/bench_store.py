"""Upsert throughput of the embedded FalkorDB by batch size, and server start-up time.

Run: ``python benchmarks/bench_store.py [--rows 100000]``. Prints a table and writes
``benchmarks/results/store.md``. Each batch is one ``UNWIND $rows MERGE`` query, as orbitnet's
loaders send them; batch size 1 is the per-row baseline.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from orbitnet.cypher import statements
from orbitnet.cypher.falkor import FalkorStore
from orbitnet.cypher.server import EmbeddedServer
from orbitnet.cypher.store import DEFAULT_BATCH_SIZE
from orbitnet.model import Label, RelType

BATCH_SIZES = (1, 100, 1_000, 10_000, 50_000)
RESULTS = Path(__file__).parent / "results" / "store.md"


def node_rows(n: int, offset: int = 0) -> list[dict]:
    return [
        {
            "id": f"org-{i}",
            "props": {
                "name": f"Organisation {i}",
                "sector": "agency",
                "country": "US",
                "founded": 1950 + i % 70,
            },
        }
        for i in range(offset, offset + n)
    ]


def edge_rows(n: int, n_nodes: int) -> list[dict]:
    return [
        {
            "src": f"org-{i % n_nodes}",
            "dst": f"org-{(i * 7919 + 1) % n_nodes}",
            "props": {"weight": 1.0 / (1 + i % 5), "kind": "bilateral"},
        }
        for i in range(n)
    ]


def measure_start(home: Path, repeats: int = 5) -> list[float]:
    times = []
    for _ in range(repeats):
        server = EmbeddedServer(home)
        began = time.perf_counter()
        server.start()
        times.append(time.perf_counter() - began)
        server.stop()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000, help="rows per batched run")
    parser.add_argument("--per-row", type=int, default=2_000, help="rows for batch size 1")
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="orbitnet-bench-"))
    starts = measure_start(home)
    server = EmbeddedServer(home)
    server.start()
    store = FalkorStore(unix_socket_path=str(server.socket), graph="bench")
    node_query = statements.upsert_nodes(Label.ORGANIZATION, Label.AGENCY)
    edge_query = statements.upsert_edges(
        RelType.COLLABORATES_WITH, Label.ORGANIZATION, Label.ORGANIZATION
    )
    results = []
    try:
        for size in BATCH_SIZES:
            n = args.per_row if size == 1 else args.rows
            store.clear()
            store.setup_schema()
            rows = node_rows(n)
            began = time.perf_counter()
            store.write_batches(node_query, rows, batch_size=size)
            node_rate = n / (time.perf_counter() - began)
            edges = edge_rows(n, n)
            began = time.perf_counter()
            store.write_batches(edge_query, edges, batch_size=size)
            edge_rate = n / (time.perf_counter() - began)
            results.append((size, n, node_rate, edge_rate))
            print(
                f"batch {size:>6}: {n:>7} rows  {node_rate:>10,.0f} nodes/s  "
                f"{edge_rate:>10,.0f} edges/s",
                flush=True,
            )
    finally:
        store.close()
        server.stop()

    base_nodes, base_edges = results[0][2], results[0][3]
    best = max(results, key=lambda r: r[2] + r[3])
    lines = [
        "# Store benchmark: upsert throughput on the embedded FalkorDB",
        "",
        f"`python benchmarks/bench_store.py --rows {args.rows}` on {platform.machine()}, "
        f"Python {platform.python_version()}, {platform.system()}; unix socket, one "
        "`UNWIND $rows MERGE` query per batch, uniqueness constraint on `Organization.id`.",
        "",
        "| batch size | rows | nodes/s | edges/s | nodes vs per-row | edges vs per-row |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for size, n, nr, er in results:
        lines.append(
            f"| {size:,} | {n:,} | {nr:,.0f} | {er:,.0f} | {nr / base_nodes:.1f}× | "
            f"{er / base_edges:.1f}× |"
        )
    default = next(r for r in results if r[0] == DEFAULT_BATCH_SIZE)
    share = (default[2] + default[3]) / (best[2] + best[3])
    lines += [
        "",
        f"Best combined throughput at batch size {best[0]:,}. orbitnet's default "
        f"(`DEFAULT_BATCH_SIZE` = {DEFAULT_BATCH_SIZE:,}) reaches {share:.0%} of it while "
        "holding a fifth of the rows in memory per transaction; the sweep flattens above 10k.",
        "",
        f"Embedded server start-up (start to first PING, {len(starts)} runs): median "
        f"{statistics.median(starts) * 1000:.0f} ms, max {max(starts) * 1000:.0f} ms "
        "(target: at most 1 s).",
        "",
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines[4:]))
    print(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
