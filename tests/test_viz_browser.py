"""Maps opened in real headless Chromium through file://.

Needs Debian's chromium at /usr/bin/chromium (``apt-get install -y chromium``) and the Python
``playwright`` package; no browser download. Skipped with a reason when chromium is missing,
unless the ``CI`` environment variable is set, in which case a missing browser is a failure.

Also saves the screenshot of the default map that the README shows: docs/images/map.png.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from orbitnet.viz import map_view, path_view, render_map
from orbitnet.viz.demo import demo_graph, synthetic_graph
from orbitnet.viz.views import edge_years

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
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
SCREENSHOT = Path(__file__).resolve().parents[1] / "docs" / "images" / "map.png"
XSS = "<img src=x onerror=alert(1)>"
BREAKOUT = "</script><script>alert(2)</script>"
DIM = "#e4e6ea"


def _require_browser() -> Any:
    problem = None
    if not CHROMIUM.exists():
        problem = f"{CHROMIUM} not found (apt-get install -y chromium)"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        problem = "the playwright package is not installed (pip install playwright)"
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests must run in CI: {problem}")
        pytest.skip(f"{problem}; set CI=1 to turn this skip into a failure")
    return sync_playwright


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_playwright = _require_browser()
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Opened:
    """A map page plus everything it did: console errors, requests, dialogs."""

    page: Any
    url: str
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def on_dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def js(self, expression: str) -> Any:
        return self.page.evaluate(expression)

    def wait_until(self, expression: str, timeout: float = 30.0) -> Any:
        """Poll ``expression`` until truthy (the page's CSP forbids Playwright's eval waits)."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.js(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {expression}")
            self.page.wait_for_timeout(50)

    def leaked_requests(self) -> list[str]:
        allowed = ("data:", "blob:")
        return [u for u in self.requests if u != self.url and not u.startswith(allowed)]

    def node_id(self, key: str) -> int:
        return int(self.js(f"orbitnetMap.data.nodes.find(n => n.key === {key!r}).id"))

    def node_point(self, node: int, *, zoom: float | None = None) -> tuple[float, float]:
        """Page coordinates of a node's centre (optionally zooming onto it first)."""
        if zoom is not None:
            self.js(f"orbitnetMap.network.focus({node}, {{scale: {zoom}, animation: false}})")
            self.page.wait_for_timeout(100)
        x, y = self.js(
            f"""(() => {{
                const net = orbitnetMap.network;
                const p = net.canvasToDOM(net.getPosition({node}));
                const box = document.querySelector('#map canvas').getBoundingClientRect();
                return [box.left + p.x, box.top + p.y];
            }})()"""
        )
        return float(x), float(y)


@pytest.fixture(scope="module")
def open_map(browser: Any) -> Iterator[Callable[[Path], Opened]]:
    contexts: list[Any] = []

    def opener(path: Path) -> Opened:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        contexts.append(context)
        page = context.new_page()
        opened = Opened(page, path.resolve().as_uri())
        page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: opened.errors.append(f"uncaught: {e}"))
        page.on("request", lambda r: opened.requests.append(r.url))
        page.on("dialog", opened.on_dialog)
        page.goto(opened.url)
        opened.wait_until("window.orbitnetMap && window.orbitnetMap.ready", timeout=90)
        return opened

    yield opener
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def demo() -> nx.Graph:
    return demo_graph()


@pytest.fixture(scope="module")
def demo_file(demo: nx.Graph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_map(
        demo, tmp_path_factory.mktemp("maps") / "demo.html", title="Space partnerships"
    )


@pytest.fixture(scope="module")
def hostile_file(demo: nx.Graph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    G = demo.copy()
    G.add_node(
        "evil",
        name=XSS,
        sector="company",
        country="US",
        source="javascript:alert(3)",
        betweenness=0.5,
    )
    G.add_node(
        "breakout",
        name=BREAKOUT,
        sector="agency",
        country=None,
        source="https://example.org/<b>x</b>",
    )
    G.add_edge(
        "evil",
        "unoosa",
        weight=1.0,
        kind="commercial",
        missions=[XSS],
        first_year=2020,
        last_year=2021,
    )
    G.add_edge(
        "breakout",
        "apsco",
        weight=0.5,
        kind="bilateral",
        missions=[BREAKOUT],
        first_year=2000,
        last_year=2001,
    )
    return render_map(G, tmp_path_factory.mktemp("maps") / "hostile.html", title=XSS)


CANVAS_INK = """(() => {
    const canvas = document.querySelector('#map canvas');
    const ctx = canvas.getContext('2d');
    const img = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let ink = 0, total = 0;
    for (let i = 0; i < img.length; i += 4 * 7) {
        total++;
        if (img[i + 3] > 0 && (img[i] < 235 || img[i + 1] < 235 || img[i + 2] < 235)) ink++;
    }
    return ink / total;
})()"""


def test_default_map_draws_offline(
    open_map: Callable[[Path], Opened], demo: nx.Graph, demo_file: Path
) -> None:
    m = open_map(demo_file)
    m.page.wait_for_timeout(300)  # let the post-stabilisation fit animation finish
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    m.page.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 20_000

    assert m.js(CANVAS_INK) > 0.01, "the canvas is blank"
    n = demo.number_of_nodes()
    assert m.page.inner_text("#node-count") == str(n)
    assert m.page.inner_text("#edge-count") == str(demo.number_of_edges())
    assert m.js("orbitnetMap.nodes.length") == n
    assert m.js("orbitnetMap.visibleNodeCount()") == n
    assert m.js("orbitnetMap.visibleEdgeCount()") == demo.number_of_edges()
    assert m.js("orbitnetMap.network.physics.options.enabled") is False  # frozen after settling
    assert m.errors == []
    assert m.leaked_requests() == []
    assert m.requests[0] == m.url


def test_legend_explains_colours_sizes_and_edges(
    open_map: Callable[[Path], Opened], demo_file: Path
) -> None:
    m = open_map(demo_file)
    panel = m.page.inner_text("#panel")
    for text in (
        "agency",
        "company",
        "intergovernmental",
        "betweenness",
        "bilateral",
        "multilateral",
        "public–private",
        "commercial",
    ):
        assert text in panel
    assert m.js("document.querySelectorAll('#filter-kinds svg line').length") == 4
    assert m.js("document.querySelectorAll('#legend-color-rows .swatch').length") == 5


def test_hostile_names_stay_text(open_map: Callable[[Path], Opened], hostile_file: Path) -> None:
    m = open_map(hostile_file)
    evil = m.node_id("evil")
    m.page.mouse.move(*m.node_point(evil, zoom=2.5))
    m.wait_until("!document.getElementById('tooltip').hidden", timeout=10)
    assert XSS in m.page.inner_text("#tooltip")
    m.page.mouse.click(*m.node_point(evil))
    m.wait_until("!document.getElementById('details').hidden", timeout=10)
    details = m.page.inner_text("#details-body")
    assert XSS in details
    assert "javascript:alert(3)" in details  # shown, but as text
    assert m.js("document.querySelectorAll('#details-body a').length") == 0

    breakout = m.node_id("breakout")
    m.page.mouse.click(*m.node_point(breakout, zoom=2.5))
    m.wait_until(f"orbitnetMap.state.selected === {breakout}", timeout=10)
    assert BREAKOUT in m.page.inner_text("#details-body")
    hrefs = m.js("[...document.querySelectorAll('#details-body a')].map(a => a.href)")
    assert hrefs == ["https://example.org/%3Cb%3Ex%3C/b%3E"]

    assert m.page.title() == XSS
    assert XSS in m.page.inner_text("#title")
    assert m.js("document.querySelectorAll('img, b').length") == 0
    m.page.wait_for_timeout(200)
    assert m.dialogs == []
    assert m.errors == []
    assert m.leaked_requests() == []


def test_search_focuses_a_node(open_map: Callable[[Path], Opened], demo_file: Path) -> None:
    m = open_map(demo_file)
    spacex = m.node_id("spacex")
    m.page.fill("#search", "spacex")
    m.page.press("#search", "Enter")
    m.wait_until(f"orbitnetMap.state.selected === {spacex}", timeout=10)
    m.wait_until(
        f"""(() => {{
            const net = orbitnetMap.network;
            const p = net.getPosition({spacex}), v = net.getViewPosition();
            return Math.hypot(p.x - v.x, p.y - v.y) < 2;
        }})()""",
        timeout=10,
    )
    assert m.js("orbitnetMap.network.getSelectedNodes()") == [spacex]
    assert "SpaceX" in m.page.inner_text("#details-body")
    assert "Found SpaceX" in m.page.inner_text("#status")

    m.page.fill("#search", "Intuitive")  # a prefix of a name also works
    m.page.press("#search", "Enter")
    m.wait_until(f"orbitnetMap.state.selected === {m.node_id('intuitive')}", timeout=10)
    m.page.fill("#search", "<nothing like this>")
    m.page.press("#search", "Enter")
    assert "No organisation matches “<nothing like this>”" in m.page.inner_text("#status")
    assert m.errors == []


def test_filters_change_visible_counts(
    open_map: Callable[[Path], Opened], demo: nx.Graph, demo_file: Path
) -> None:
    m = open_map(demo_file)
    n, e = demo.number_of_nodes(), demo.number_of_edges()
    commercial = sum(1 for _, _, d in demo.edges(data=True) if d["kind"] == "commercial")
    m.page.uncheck('input[data-kind="commercial"]')
    assert m.js("orbitnetMap.visibleEdgeCount()") == e - commercial
    assert m.page.inner_text("#visible-edge-count") == str(e - commercial)
    assert m.js("orbitnetMap.edges.get({filter: x => x.hidden}).length") == commercial

    companies = {v for v, d in demo.nodes(data=True) if d["sector"] == "company"}
    m.page.uncheck('input[data-sector="company"]')
    assert m.js("orbitnetMap.visibleNodeCount()") == n - len(companies)
    expected = sum(
        1
        for u, v, d in demo.edges(data=True)
        if d["kind"] != "commercial" and not {u, v} & companies
    )
    assert m.js("orbitnetMap.visibleEdgeCount()") == expected

    m.page.click("#reset")
    assert m.js("[orbitnetMap.visibleNodeCount(), orbitnetMap.visibleEdgeCount()]") == [n, e]
    assert m.page.is_checked('input[data-kind="commercial"]')

    m.page.fill("#year-from", "1970")
    m.page.fill("#year-to", "1990")
    m.page.dispatch_event("#year-to", "change")
    in_range = 0
    for _, _, d in demo.edges(data=True):
        span = edge_years(d)
        in_range += span is not None and span[0] <= 1990 and span[1] >= 1970
    assert 0 < in_range < e
    assert m.js("orbitnetMap.visibleEdgeCount()") == in_range
    assert m.js("orbitnetMap.visibleNodeCount()") == n  # years hide edges, not organisations
    assert m.errors == []


def test_click_highlights_the_neighbourhood(
    open_map: Callable[[Path], Opened], demo: nx.Graph, demo_file: Path
) -> None:
    m = open_map(demo_file)
    jaxa = m.node_id("jaxa")
    m.page.mouse.click(*m.node_point(jaxa, zoom=1.5))
    m.wait_until(f"orbitnetMap.state.selected === {jaxa}", timeout=10)
    colour = "orbitnetMap.nodes.get({}).color.background"
    near = m.node_id(next(iter(demo["jaxa"])))
    far = m.node_id(next(v for v in demo if v != "jaxa" and v not in demo["jaxa"]))
    assert m.js(colour.format(far)) == DIM
    assert m.js(colour.format(near)) != DIM
    assert m.js(colour.format(jaxa)) != DIM
    m.js("orbitnetMap.clearSelection()")
    assert m.js(colour.format(far)) != DIM
    assert m.errors == []


def test_path_view_opens_on_its_focus(
    open_map: Callable[[Path], Opened], demo: nx.Graph, tmp_path: Path
) -> None:
    view = path_view(demo, "isro", "ula")
    m = open_map(render_map(view, tmp_path / "path.html", title="ISRO to ULA"))
    assert m.js("orbitnetMap.state.selected") == m.node_id("isro")
    assert "highlighted path" in m.page.inner_text("#panel")
    assert m.js("orbitnetMap.data.edges.filter(e => e.highlight).length") == len(
        view.graph["highlight_edges"]
    )
    assert m.errors == []


def test_large_map_is_usable_at_once(open_map: Callable[[Path], Opened], tmp_path: Path) -> None:
    G = synthetic_graph(1200, seed=2, metrics=False)
    path = render_map(G, tmp_path / "large.html")
    started = time.monotonic()
    m = open_map(path)
    assert time.monotonic() - started < 60
    assert m.js("orbitnetMap.data.physics") is False
    assert m.page.inner_text("#node-count") == "1200"
    assert m.js(CANVAS_INK) > 0.005
    assert m.errors == []
    assert m.leaked_requests() == []


def test_notebook_view_runs_inside_its_iframe(browser: Any, demo: nx.Graph) -> None:
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.set_content(f"<!DOCTYPE html><body>{map_view(demo, height=600)._repr_html_()}</body>")
    frame = page.frames[1]
    deadline = time.monotonic() + 60
    while not frame.evaluate("!!(window.orbitnetMap && window.orbitnetMap.ready)"):
        assert time.monotonic() < deadline, "the map in the iframe never became ready"
        page.wait_for_timeout(50)
    assert frame.evaluate("orbitnetMap.nodes.length") == demo.number_of_nodes()
    assert errors == []
    context.close()
