"""The map page as text: offline, escaped, UTF-8, and the payload it carries."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest

from orbitnet.viz import PHYSICS_MAX_NODES, MapView, map_html, map_view, path_view, render_map
from orbitnet.viz.demo import demo_graph, synthetic_graph
from orbitnet.viz.html import json_for_script
from orbitnet.viz.payload import build_payload

XSS = "<img src=x onerror=alert(1)>"
BREAKOUT = "</script><script>alert(2)</script>"


class _Page(HTMLParser):
    """Collects tags with their attributes, and the text of each <script> with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script, self._text = dict(attrs), []

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._text)))
            self._script = None


def parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    return parser


def payload_of(page: str) -> dict:
    blocks = [
        text for attrs, text in parse(page).scripts if attrs.get("type") == "application/json"
    ]
    assert len(blocks) == 1
    return json.loads(blocks[0])


@pytest.fixture(scope="module")
def hostile() -> nx.Graph:
    G = demo_graph()
    G.add_node("evil", name=XSS, sector="company", country="US", source="javascript:alert(3)")
    G.add_node("breakout", name=BREAKOUT, sector="agency", country=None, source=None)
    G.add_edge(
        "evil",
        "nasa",
        weight=1.0,
        kind="commercial",
        missions=[XSS],
        first_year=2020,
        last_year=2021,
    )
    G.add_edge(
        "breakout",
        "esa",
        weight=0.5,
        kind="bilateral",
        missions=["\u2028x\u2029"],
        first_year=None,
        last_year=None,
    )
    return G


@pytest.fixture(scope="module")
def hostile_page(hostile: nx.Graph) -> str:
    return map_html(hostile, title="<b>Title & co</b>")


def test_no_external_resource_is_referenced(hostile_page: str) -> None:
    page = parse(hostile_page)
    for tag, attrs in page.tags:
        for name in ("src", "href", "srcset", "data", "action", "poster"):
            value = attrs.get(name)
            assert value is None, f"<{tag} {name}={value!r}> in a page that should load nothing"
    assert not [t for t, _ in page.tags if t in {"link", "img", "iframe", "object", "embed"}]
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", hostile_page)
    assert "@import" not in hostile_page
    assert "sourceMappingURL" not in hostile_page


def test_scripts_are_inline_and_allowed_by_hash(hostile_page: str) -> None:
    page = parse(hostile_page)
    csp = "Content-Security-Policy"
    metas = [a for t, a in page.tags if t == "meta" and a.get("http-equiv") == csp]
    assert len(metas) == 1
    policy = metas[0]["content"] or ""
    assert "default-src 'none'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    code = [text for attrs, text in page.scripts if "type" not in attrs]
    assert len(code) == 2  # vis-network and the page script
    for text in code:
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy


def test_data_is_escaped_inside_the_json_block(hostile_page: str) -> None:
    assert XSS not in hostile_page
    assert BREAKOUT not in hostile_page
    assert "\u2028" not in hostile_page.split('id="orbitnet-data">')[1].split("</script>")[0]
    data = payload_of(hostile_page)
    names = {n["key"]: n["name"] for n in data["nodes"]}
    assert names["evil"] == XSS
    assert names["breakout"] == BREAKOUT
    evil = next(e for e in data["edges"] if e["missions"] == [XSS])
    assert evil["kind"] == "commercial"


def test_title_is_escaped(hostile_page: str) -> None:
    assert "<b>Title" not in hostile_page
    assert "<title>&lt;b&gt;Title &amp; co&lt;/b&gt;</title>" in hostile_page


def test_json_for_script_round_trips_and_refuses_nan() -> None:
    value = {"a": "</script><!-- \u2028\u2029 & >", "b": [1, 2.5, None]}
    text = json_for_script(value)
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == value
    with pytest.raises(ValueError, match="JSON"):
        json_for_script({"x": math.nan})


def test_file_is_utf8(tmp_path: Path) -> None:
    G = nx.Graph()
    G.add_node("cnsa", name="中国国家航天局", sector="agency", country="CN")
    G.add_node("roscosmos", name="Роскосмос", sector="agency", country="RU")
    G.add_edge("cnsa", "roscosmos", weight=1.0, kind="bilateral")
    out = render_map(G, tmp_path / "deep" / "map.html", title="Ünïcode — 宇宙")
    assert out == tmp_path / "deep" / "map.html"
    raw = out.read_bytes()
    text = raw.decode("utf-8")
    assert '<meta charset="utf-8">' in text
    assert "Ünïcode — 宇宙".encode() in raw
    assert {n["name"] for n in payload_of(text)["nodes"]} == {"中国国家航天局", "Роскосмос"}


def test_payload_matches_the_graph() -> None:
    G = demo_graph()
    data = build_payload(G)
    assert len(data["nodes"]) == G.number_of_nodes()
    assert len(data["edges"]) == G.number_of_edges()
    nasa = next(n for n in data["nodes"] if n["key"] == "nasa")
    assert nasa["sector"] == "agency"
    assert nasa["country"] == "US"
    assert nasa["source"] == "https://www.nasa.gov/"
    assert set(nasa["metrics"]) >= {"betweenness", "degree", "community"}
    assert nasa["label"] is True
    biggest = max(data["nodes"], key=lambda n: n["metrics"]["betweenness"])
    assert biggest["size"] == max(n["size"] for n in data["nodes"])
    kinds = {k["key"]: k["count"] for k in data["legend"]["kinds"]}
    assert sum(kinds.values()) == G.number_of_edges()
    assert data["years"] == {"min": 1958, "max": 2025}
    assert data["physics"] is True
    assert data["options"]["physics"]["enabled"] is True


def test_large_graphs_get_python_positions_and_no_physics() -> None:
    G = synthetic_graph(PHYSICS_MAX_NODES + 20, seed=3, metrics=False)
    data = build_payload(G)
    assert data["physics"] is False
    assert data["options"]["physics"]["enabled"] is False
    assert data["legend"]["size"]["metric"] == "degree"  # betweenness absent: fallback
    xs = [n["x"] for n in data["nodes"]]
    assert len(set(xs)) > len(xs) * 0.9
    assert sum(n["label"] for n in data["nodes"]) == 20
    forced = build_payload(G, physics=True)
    assert forced["options"]["physics"]["enabled"] is True


def test_color_by_community_and_country() -> None:
    G = demo_graph()
    data = build_payload(G, color_by="community")
    legend = data["legend"]["color"]
    assert legend["by"] == "community"
    assert sum(e["count"] for e in legend["entries"]) == G.number_of_nodes()
    by_country = build_payload(G, color_by="country")["legend"]["color"]
    labels = [e["label"] for e in by_country["entries"]]
    assert labels[0] == "US"
    assert "unknown" in labels  # ESA, EUMETSAT, ... have no country
    with pytest.raises(ValueError, match="color_by"):
        build_payload(G, color_by="size")  # type: ignore[arg-type]


def test_path_view_is_highlighted_in_the_payload() -> None:
    H = path_view(demo_graph(), "isro", "spacex")
    data = build_payload(H)
    on_path = [e for e in data["edges"] if e["highlight"]]
    assert len(on_path) == len(H.graph["highlight_edges"])
    assert all(n["highlight"] for n in data["nodes"])
    assert data["focus"] == next(n["id"] for n in data["nodes"] if n["key"] == "isro")
    assert data["legend"]["highlight"] is True


def test_empty_and_tiny_graphs_render() -> None:
    empty = map_html(nx.Graph())
    assert payload_of(empty)["nodes"] == []
    single = nx.Graph()
    single.add_node(7)  # not a slug, no attributes at all
    data = payload_of(map_html(single))
    assert data["nodes"][0]["name"] == "7"
    assert data["nodes"][0]["sector"] == "unknown"
    assert data["years"] is None


def test_map_view_renders_inline_in_an_iframe() -> None:
    G = nx.Graph()
    G.add_node("evil", name=XSS)
    view = map_view(G, height=500)
    assert isinstance(view, MapView)
    snippet = view._repr_html_()
    assert snippet.startswith("<iframe srcdoc=")
    assert "height:500px" in snippet
    assert "<script" not in snippet  # the whole page is an escaped attribute value
    assert "&lt;script" in snippet
    assert 'sandbox="allow-scripts' in snippet


def test_rendering_is_reproducible() -> None:
    G = demo_graph()
    assert map_html(G, seed=4) == map_html(G, seed=4)
    first = payload_of(map_html(G, seed=1))["nodes"]
    second = payload_of(map_html(G, seed=2))["nodes"]
    assert [(n["x"], n["y"]) for n in first] != [(n["x"], n["y"]) for n in second]
