"""How long until a map is usable: orbitnet's page against plain pyvis defaults.

For synthetic heavy-tailed graphs (Barabási-Albert, m=2, with sectors, kinds, weights, years and
metrics) of 100, 1,000 and 5,000 organisations, this measures

- build: Python time to write the HTML file (orbitnet: ``render_map``, which includes the Python
  layout for large graphs; pyvis: ``Network(); net.from_nx(G); net.write_html(...)``);
- ready: in headless Chromium, milliseconds from navigation start until the map is interactive.
  orbitnet: ``window.orbitnetMap.readyAt`` (physics stabilised and frozen, or the precomputed
  layout drawn). pyvis: its ``stabilizationIterationsDone`` event (the page shows a loading bar
  until then), or the first drawn frame if physics never runs; a listener is attached through a
  setter on the ``network`` global that pyvis's page assigns.

pyvis's default page loads vis-network and bootstrap from CDNs; there is no internet here, so the
benchmark answers the vis-network requests with the copy inside the pyvis package (as a warm
browser cache would; the page's SRI ``integrity`` attributes are removed because that copy is not
byte-identical to the CDN's) and aborts the bootstrap ones. orbitnet's page makes no request at
all. Waiting is capped (100 s by default, to keep the whole run near five minutes) and reported
as "> cap".

Usage::

    python benchmarks/bench_map.py [--sizes 100 1000 5000] [--cap 100]

Writes benchmarks/results/map.md. Needs /usr/bin/chromium (apt-get install -y chromium) and the
playwright Python package.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import os
import platform
import re
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, Route, sync_playwright  # noqa: E402
from pyvis.network import Network  # noqa: E402

from orbitnet.viz import render_map  # noqa: E402
from orbitnet.viz.demo import synthetic_graph  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RESULTS = ROOT / "benchmarks" / "results" / "map.md"
VIS_DIR = resources.files("pyvis").joinpath("lib", "vis-9.1.2")

# Runs before pyvis's page script: when the page assigns its global ``network``, listen to it.
PYVIS_PROBE = """
(() => {
  let current;
  window.__bench = { stabilized: null, drawn: null, created: null };
  Object.defineProperty(window, "network", {
    configurable: true,
    get() { return current; },
    set(value) {
      current = value;
      window.__bench.created = performance.now();
      value.once("stabilizationIterationsDone", () => {
        window.__bench.stabilized = performance.now();
      });
      value.once("afterDrawing", () => { window.__bench.drawn = performance.now(); });
    },
  });
})();
"""


@dataclass
class Run:
    """One measurement: seconds to build the file, ms to ready in the browser (None = capped)."""

    build_s: float
    ready_ms: float | None
    size_mb: float

    def total_s(self) -> float | None:
        return None if self.ready_ms is None else self.build_s + self.ready_ms / 1000


@contextlib.contextmanager
def working_directory(path: Path) -> Iterator[None]:
    """pyvis's default write_html copies its lib/ folder into the current directory."""
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def serve_cdn(route: Route) -> None:
    """Answer pyvis's CDN requests for vis-network from the package; abort anything else."""
    url = route.request.url
    if "vis-network" in url and url.endswith(".js"):
        body = VIS_DIR.joinpath("vis-network.min.js").read_bytes()
        route.fulfill(status=200, body=body, content_type="application/javascript")
    elif "vis-network" in url and url.endswith(".css"):
        body = VIS_DIR.joinpath("vis-network.css").read_bytes()
        route.fulfill(status=200, body=body, content_type="text/css")
    else:
        route.abort()


def poll(page: Page, expression: str, cap_s: float) -> Any:
    deadline = time.monotonic() + cap_s
    while time.monotonic() < deadline:
        value = page.evaluate(expression)
        if value is not None:
            return value
        page.wait_for_timeout(100)
    return None


def measure_orbitnet(browser: Any, G: Any, folder: Path, cap_s: float) -> Run:
    started = time.perf_counter()
    path = render_map(G, folder / "orbitnet.html", title=f"{G.number_of_nodes()} organisations")
    build = time.perf_counter() - started
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(path.as_uri())
    ready = poll(page, "window.orbitnetMap && window.orbitnetMap.readyAt || null", cap_s)
    context.close()
    return Run(build, _capped(ready, cap_s), path.stat().st_size / 1e6)


def _capped(ready_ms: float | None, cap_s: float) -> float | None:
    """Page time counts from navigation start, so a value just past the cap can slip through."""
    return None if ready_ms is None or ready_ms > cap_s * 1000 else ready_ms


def measure_pyvis(browser: Any, G: Any, folder: Path, cap_s: float) -> Run:
    graph = copy.deepcopy(G)  # from_nx rewrites node sizes and pops edge weights in place
    started = time.perf_counter()
    with working_directory(folder):
        net = Network()
        net.from_nx(graph)
        net.write_html("pyvis.html")
    build = time.perf_counter() - started
    path = folder / "pyvis.html"
    # pyvis's bundled vis-network is not byte-identical to the CDN file its page pins by SRI hash,
    # so the stand-in we serve needs the integrity attributes gone.
    page_text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r'\s+integrity="[^"]*"', "", page_text), encoding="utf-8")
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.route(lambda url: not url.startswith("file:"), serve_cdn)
    context.add_init_script(PYVIS_PROBE)
    page = context.new_page()
    page.goto(path.as_uri(), wait_until="commit")
    expression = """(() => {
        const b = window.__bench;
        if (!b || b.created === null) return null;
        const physics = window.network.physics.options.enabled;
        return physics ? b.stabilized : b.drawn;
    })()"""
    ready = poll(page, expression, cap_s)
    context.close()
    return Run(build, _capped(ready, cap_s), path.stat().st_size / 1e6)


def fmt_s(value: float | None, cap_s: float) -> str:
    return f"> {cap_s:.0f}" if value is None else f"{value:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--cap", type=float, default=100.0, help="seconds to wait in the browser")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()

    rows: list[tuple[int, int, Run, Run]] = []
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        version = browser.version
        for n in args.sizes:
            G = synthetic_graph(n, seed=0)
            folder = Path(tmp) / str(n)
            folder.mkdir()
            ours = measure_orbitnet(browser, G, folder, args.cap)
            print(
                f"n={n}: orbitnet build {ours.build_s:.2f} s, ready {ours.ready_ms} ms", flush=True
            )
            theirs = measure_pyvis(browser, G, folder, args.cap)
            print(
                f"n={n}: pyvis build {theirs.build_s:.2f} s, ready {theirs.ready_ms} ms", flush=True
            )
            rows.append((n, G.number_of_edges(), ours, theirs))
        browser.close()

    lines = [
        "# Map benchmark: time until the map is interactive",
        "",
        "Generated by `python benchmarks/bench_map.py`; do not edit by hand.",
        "",
        f"- machine: {os.cpu_count()} CPUs, load average {load:.2f} at start, "
        f"Python {platform.python_version()}, Chromium {version} (headless, --disable-gpu)",
        "- graphs: `synthetic_graph(n, seed=0)` (Barabási-Albert m=2, sectors, kinds, weights, "
        "years, metrics)",
        "- build: seconds of Python to write the HTML file; ready: seconds from navigation start "
        "until interactive (orbitnet: stabilised-and-frozen or drawn; pyvis: "
        "`stabilizationIterationsDone`); total = build + ready",
        "- pyvis ran with its defaults; its CDN requests for vis-network were answered from the "
        "pyvis package (SRI attributes removed: that copy differs from the CDN file) and "
        "bootstrap was aborted (no internet here)",
        f"- waiting in the browser is capped at {args.cap:.0f} s",
        "",
        "| nodes | edges | orbitnet build s | orbitnet ready s | orbitnet total s "
        "| pyvis build s | pyvis ready s | pyvis total s | pyvis / orbitnet (total) "
        "| file MB (orbitnet / pyvis) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, m, ours, theirs in rows:
        ours_total, theirs_total = ours.total_s(), theirs.total_s()
        if ours_total and theirs_total:
            ratio = f"{theirs_total / ours_total:.1f}×"
        elif ours_total and theirs.ready_ms is None:
            ratio = f"> {(theirs.build_s + args.cap) / ours_total:.1f}×"
        else:
            ratio = "n/a"
        ours_ready = None if ours.ready_ms is None else ours.ready_ms / 1000
        theirs_ready = None if theirs.ready_ms is None else theirs.ready_ms / 1000
        lines.append(
            f"| {n:,} | {m:,} | {ours.build_s:.2f} | {fmt_s(ours_ready, args.cap)} "
            f"| {fmt_s(ours_total, args.cap)} | {theirs.build_s:.2f} "
            f"| {fmt_s(theirs_ready, args.cap)} | {fmt_s(theirs_total, args.cap)} | {ratio} "
            f"| {ours.size_mb:.1f} / {theirs.size_mb:.1f} |"
        )
    lines += [
        "",
        "orbitnet lets vis-network settle graphs of up to 500 nodes once and then freezes them; "
        "above that it lays the graph out in Python (multilevel force-directed, pure Python) and "
        "draws it with physics off. pyvis's defaults run physics with dynamic smooth edges "
        "(an extra simulated support node per edge) until 1,000 stabilisation iterations.",
        "",
    ]
    table = "\n".join(lines)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(table, encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
