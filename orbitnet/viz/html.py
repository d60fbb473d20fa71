"""Render a graph as one self-contained, offline HTML page.

The page inlines vis-network (read at render time from the installed pyvis package, which ships
vis-network 9.1.2 under ``pyvis/lib``; its dual Apache-2.0/MIT licence header stays in the inlined
file) plus orbitnet's own script and stylesheet, so it loads nothing from the network. The graph
travels as JSON in a ``<script type="application/json">`` block, escaped so that no data can close
the block, and the page builds all visible text with ``textContent``.

A Content-Security-Policy in the page allows only its own two scripts (by hash: no inline event
handler can run even if markup were injected) and no network fetch at all.
"""

from __future__ import annotations

import base64
import hashlib
import html as html_lib
import json
import os
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx

from orbitnet.viz.encode import ColorBy
from orbitnet.viz.payload import build_payload

__all__ = ["MapView", "json_for_script", "map_html", "map_view", "render_map"]

VIS_VERSION = "9.1.2"
_JSON_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def json_for_script(data: Any) -> str:
    """JSON text that is safe inside ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` become ``\\u`` escapes, so ``</script>`` or ``<!--`` in the data cannot
    end or confuse the block; U+2028/U+2029 are escaped too. ``JSON.parse`` reads it back
    unchanged. NaN and infinities are refused.

    >>> json_for_script({"name": "</script>"})
    '{"name":"\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    for raw, escaped in _JSON_ESCAPES:
        text = text.replace(raw, escaped)
    return text


@cache
def _asset(package: str, *parts: str) -> str:
    text = resources.files(package).joinpath(*parts).read_text(encoding="utf-8")
    # A trailing source-map comment would point the browser's devtools at a file we don't ship.
    lines = [line for line in text.split("\n") if not line.startswith("//# sourceMappingURL")]
    return "\n".join(lines).replace("</script", "<\\/script")


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    source = resources.files("orbitnet.viz").joinpath("template.html.j2")
    return env.from_string(source.read_text(encoding="utf-8"))


def map_html(
    G: nx.Graph[Any],
    *,
    title: str = "orbitnet",
    color_by: ColorBy = "sector",
    size_by: str = "betweenness",
    physics: bool | None = None,
    seed: int = 0,
) -> str:
    """The map of ``G`` as one HTML document (a string).

    Parameters
    ----------
    G : nx.Graph
        Organisation graph: node attributes ``name``, ``sector``, ``country``, ``source`` and
        optional metrics (``betweenness``, ``pagerank``, ``degree``, ``community``, ...); edge
        attributes ``weight``, ``kind``, ``missions``, ``first_year``, ``last_year``. Views from
        :mod:`orbitnet.viz.views` may add ``highlight_nodes``, ``highlight_edges`` and ``focus``
        to ``G.graph``.
    title : str
        Page title and heading (shown as text).
    color_by : {"sector", "community", "country"}
        Node colour.
    size_by : str
        Node metric for size; degree when no node has it.
    physics : bool, optional
        Let vis-network settle the layout once, then freeze it. By default on up to 500 nodes;
        above that the Python layout is final and the map is usable as soon as it is drawn.
    seed : int
        Seed of the layout, for reproducible maps.

    Returns
    -------
    str
        A complete HTML document that needs no network.

    Examples
    --------
    >>> import networkx as nx
    >>> page = map_html(nx.Graph([("nasa", "esa")]))
    >>> page.startswith("<!DOCTYPE html>") and "https://" not in page.split("<script")[0]
    True
    """
    payload = build_payload(
        G, title=title, color_by=color_by, size_by=size_by, physics=physics, seed=seed
    )
    vis_js = _asset("pyvis", "lib", f"vis-{VIS_VERSION}", "vis-network.min.js")
    map_js = _asset("orbitnet.viz", "map.js")
    return _template().render(
        title=title,
        node_count=G.number_of_nodes(),
        edge_count=G.number_of_edges(),
        data_json=json_for_script(payload),
        vis_css=_asset("pyvis", "lib", f"vis-{VIS_VERSION}", "vis-network.css"),
        vis_js=vis_js,
        map_css=_asset("orbitnet.viz", "map.css"),
        map_js=map_js,
        script_hashes=" ".join(_csp_hash(text) for text in (vis_js, map_js)),
    )


@cache
def _csp_hash(script: str) -> str:
    """The CSP source that allows exactly this inline script (and no inline event handler)."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def render_map(
    G: nx.Graph[Any],
    path: str | os.PathLike[str],
    *,
    title: str = "orbitnet",
    color_by: ColorBy = "sector",
    size_by: str = "betweenness",
    physics: bool | None = None,
    seed: int = 0,
) -> Path:
    """Write the map of ``G`` to ``path`` (UTF-8) and return the path.

    Takes the same options as :func:`map_html`; parent folders are created.

    Examples
    --------
    >>> import networkx as nx, tempfile, pathlib
    >>> out = render_map(nx.Graph([("nasa", "esa")]), pathlib.Path(tempfile.mkdtemp()) / "m.html")
    >>> out.read_text(encoding="utf-8").count("<canvas")
    0
    """
    target = Path(path)
    page = map_html(G, title=title, color_by=color_by, size_by=size_by, physics=physics, seed=seed)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page, encoding="utf-8")
    return target


class MapView:
    """A rendered map that shows itself inline in Jupyter (an ``<iframe srcdoc>``).

    >>> import networkx as nx
    >>> view = map_view(nx.Graph([("nasa", "esa")]))
    >>> view._repr_html_().startswith("<iframe")
    True
    """

    def __init__(self, html: str, *, height: int = 640) -> None:
        self.html = html
        self.height = height

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{html_lib.escape(self.html, quote=True)}" '
            f'style="width:100%;height:{int(self.height)}px;border:0" '
            'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox"></iframe>'
        )

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the page to ``path`` as UTF-8 and return the path."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(self.html, encoding="utf-8")
        return target

    def __repr__(self) -> str:
        return f"<MapView {len(self.html):,} characters>"


def map_view(
    G: nx.Graph[Any],
    *,
    height: int = 640,
    title: str = "orbitnet",
    color_by: ColorBy = "sector",
    size_by: str = "betweenness",
    physics: bool | None = None,
    seed: int = 0,
) -> MapView:
    """The map of ``G`` for a notebook: display the result, or ``.save(path)`` it."""
    page = map_html(G, title=title, color_by=color_by, size_by=size_by, physics=physics, seed=seed)
    return MapView(page, height=height)
