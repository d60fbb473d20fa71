"""The shortest-path searches behind sampled betweenness and closeness on the igraph engine.

Both estimates are sums over sampled vertices: betweenness over its sources, closeness over its
pivots. :class:`Searches` collects them as tasks of :data:`CHUNK` vertices and adds the task
results in task order, so the numbers do not depend on where the tasks ran. On graphs of at
least :data:`PARALLEL_MIN_EDGES` edges the tasks run in worker processes (igraph holds the GIL,
so threads would not help), one per available CPU up to :data:`MAX_WORKERS` (or up to
``ORBITNET_WORKERS``), while the calling process computes the other metrics.

A worker is ``python -m orbitnet.graph._searches GRAPH.npz``: it reads the graph (vertex count,
edge ends, edge lengths) from the ``.npz`` file and its tasks as JSON on stdin, and writes one
row of sums per task to stdout as a ``.npy`` array. Nothing is pickled, and the caller's
``__main__`` module is never imported again (as ``multiprocessing``'s spawn would do, which
breaks scripts without an ``if __name__ == "__main__"`` guard). A worker that fails leaves its
tasks to the calling process.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

CHUNK = 16
"""Sources or pivots per task."""
PARALLEL_MIN_EDGES = 200_000
"""From this many edges the tasks run in worker processes (below, starting them costs more
than it saves)."""

MAX_WORKERS = 8
"""Workers at most unless ``ORBITNET_WORKERS`` says otherwise (about 100 MB each per million
edges)."""

Task = tuple[str, list[int]]


def workers() -> int:
    """Worker processes to use: one per CPU this process may run on, at most
    :data:`MAX_WORKERS` (each holds its own copy of the graph), or at most
    ``ORBITNET_WORKERS`` when that is set."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS
        cpus = os.cpu_count() or 1
    cap = os.environ.get("ORBITNET_WORKERS", "").strip()
    if not cap:
        return min(cpus, MAX_WORKERS)
    try:
        return min(cpus, max(1, int(cap)))
    except ValueError:
        raise ValueError(f"ORBITNET_WORKERS must be a whole number, got {cap!r}") from None


def run_task(g: Any, task: Task, weights: str | None) -> np.ndarray:
    """One task's row: summed betweenness dependencies of its sources, or summed distances
    from its pivots (unreachable vertices count 0)."""
    kind, vertices = task
    if kind == "betweenness":
        return np.asarray(g.betweenness(sources=vertices, weights=weights), dtype=float)
    if kind == "distances":
        rows = np.asarray(g.distances(source=vertices, weights=weights), dtype=float)
        rows[~np.isfinite(rows)] = 0.0  # other components
        return rows.sum(axis=0)
    raise ValueError(f"unknown search task {kind!r}")


class Searches:
    """Tasks on one igraph graph ``g`` whose edges are ``src[e] -- dst[e]``, searched with the
    edge attribute ``weights`` as lengths (``lengths`` holds the same values) or unweighted."""

    def __init__(
        self,
        g: Any,
        src: np.ndarray,
        dst: np.ndarray,
        lengths: np.ndarray | None,
        weights: str | None,
    ) -> None:
        self.g = g
        self.src, self.dst, self.lengths, self.weights = src, dst, lengths, weights
        self.tasks: list[Task] = []
        self._workers: list[tuple[subprocess.Popen[bytes], list[int]]] = []
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        self.ran_here = 0
        """Tasks that ran in this process (all of them without workers, or a failed worker's)."""

    def add(self, kind: str, vertices: list[int]) -> slice:
        """Plan searches from ``vertices``; their task rows will be ``results()[slice]``."""
        first = len(self.tasks)
        for start in range(0, len(vertices), CHUNK):
            self.tasks.append((kind, vertices[start : start + CHUNK]))
        return slice(first, len(self.tasks))

    def start(self) -> int:
        """Start worker processes if they pay off; returns how many were started."""
        count = min(workers(), len(self.tasks))
        if count < 2 or len(self.src) < PARALLEL_MIN_EDGES:
            return 0
        self._folder = tempfile.TemporaryDirectory(prefix="orbitnet-searches-")
        graph_file = Path(self._folder.name) / "graph.npz"
        arrays: dict[str, Any] = {
            "n": np.asarray(self.g.vcount()),
            "src": self.src,
            "dst": self.dst,
        }
        if self.lengths is not None:
            arrays["lengths"] = self.lengths
        np.savez(graph_file, **arrays)
        try:
            self._start_workers(count, graph_file)
        except OSError:  # no process could be started: everything runs here
            self.close()
            return 0
        return count

    def _start_workers(self, count: int, graph_file: Path) -> None:
        assert self._folder is not None
        # the workers import this very orbitnet, even when it was put on sys.path at run time
        package_root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            [package_root, *filter(None, [os.environ.get("PYTHONPATH")])]
        )
        for w in range(count):
            mine = list(range(w, len(self.tasks), count))
            with (Path(self._folder.name) / f"worker-{w}.log").open("wb") as log:
                proc = subprocess.Popen(
                    [sys.executable, "-m", "orbitnet.graph._searches", str(graph_file)],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=log,  # a file, so a chatty worker can never block on a full pipe
                    env=env,
                )
            self._workers.append((proc, mine))
            assert proc.stdin is not None
            try:
                proc.stdin.write(json.dumps([self.tasks[i] for i in mine]).encode())
                proc.stdin.close()
            except BrokenPipeError:  # the worker ended already: its tasks will run here
                with contextlib.suppress(OSError):
                    proc.stdin.close()

    def results(self) -> list[np.ndarray]:
        """Every task's row, in task order (waits for the workers)."""
        rows: list[np.ndarray | None] = [None] * len(self.tasks)
        try:
            for proc, mine in self._workers:
                assert proc.stdout is not None
                out = proc.stdout.read()
                if proc.wait() == 0:
                    found = np.load(io.BytesIO(out), allow_pickle=False)
                    if found.shape[0] == len(mine):
                        for i, row in zip(mine, found, strict=True):
                            rows[i] = row
        finally:
            self.close()
        self.ran_here = sum(row is None for row in rows)
        return [
            row if row is not None else run_task(self.g, self.tasks[i], self.weights)
            for i, row in enumerate(rows)
        ]

    def __enter__(self) -> Searches:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop any worker still running and remove their files."""
        for proc, _ in self._workers:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            for pipe in (proc.stdin, proc.stdout):
                if pipe is not None:
                    with contextlib.suppress(OSError):
                        pipe.close()
        self._workers = []
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None


def add_in_order(rows: list[np.ndarray], n: int) -> np.ndarray:
    """The sum of task rows, added in the order given (so always the same floating-point sum)."""
    total = np.zeros(n)
    for row in rows:
        total += row
    return total


def _worker(graph_file: str) -> None:
    import igraph as ig

    tasks = [(kind, list(vertices)) for kind, vertices in json.load(sys.stdin)]
    with np.load(graph_file, allow_pickle=False) as data:
        g = ig.Graph(
            n=int(data["n"]),
            edges=np.column_stack([data["src"], data["dst"]]).tolist(),
            directed=False,
        )
        weights = None
        if "lengths" in data:
            g.es["d"] = data["lengths"].tolist()
            weights = "d"
    rows = np.array([run_task(g, task, weights) for task in tasks], dtype=float)
    buffer = io.BytesIO()
    np.save(buffer, rows, allow_pickle=False)
    sys.stdout.buffer.write(buffer.getvalue())


if __name__ == "__main__":
    _worker(sys.argv[1])
