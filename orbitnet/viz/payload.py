"""The data a map page carries: nodes, edges, legend, filters and vis-network options.

:func:`build_payload` turns a graph into plain JSON-ready dicts; the page script turns those into
vis-network items and builds every piece of text with ``textContent``. Node ids in the page are
indices (``0..n-1``) so any hashable node key works; the key itself travels as text.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable
from typing import Any

import networkx as nx
from pyvis.network import Network

from orbitnet.viz.encode import (
    KIND_STYLES,
    METRICS,
    SECTOR_COLORS,
    UNKNOWN,
    UNKNOWN_COLOR,
    ColorBy,
    darken,
    edge_style,
    edge_widths,
    node_colors,
    node_sizes,
)
from orbitnet.viz.layout import spring_positions
from orbitnet.viz.views import edge_years

__all__ = ["PHYSICS_MAX_NODES", "build_payload"]

PHYSICS_MAX_NODES = 500
"""Above this many nodes the layout is computed in Python and physics stays off."""
LABEL_ALL_BELOW = 60
LABELLED_TOP = 40
PATH_COLOR = "#e0a000"
KINDS = list(KIND_STYLES)
SECTORS = list(SECTOR_COLORS)


def build_payload(
    G: nx.Graph[Any],
    *,
    title: str = "orbitnet",
    color_by: ColorBy = "sector",
    size_by: str = "betweenness",
    physics: bool | None = None,
    seed: int = 0,
) -> dict[str, Any]:
    """Everything the page needs, as JSON-ready data (see :func:`orbitnet.viz.map_html`).

    Returns a dict with ``nodes`` and ``edges`` (page ids are indices), ``legend`` (colour, size
    and edge-kind entries), ``sectors`` and ``years`` for the filters, ``focus``, ``physics`` and
    the vis-network ``options``.
    """
    n = G.number_of_nodes()
    use_physics = n <= PHYSICS_MAX_NODES if physics is None else physics
    index = {node: i for i, node in enumerate(G)}
    focus = G.graph.get("focus")
    nodes, node_legend = _node_items(G, index, color_by, size_by, use_physics, seed)
    edges = _edge_items(G, index)
    years = [
        y for e in edges if e["first_year"] is not None for y in (e["first_year"], e["last_year"])
    ]
    kind_counts = Counter(str(e["kind"]) for e in edges)
    sector_counts = Counter(str(item["sector"]) for item in nodes)
    return {
        "title": title,
        "physics": use_physics,
        "focus": index.get(focus) if focus is not None else None,
        "nodes": nodes,
        "edges": edges,
        "legend": {
            **node_legend,
            "kinds": [
                _kind_entry(kind, kind_counts[kind]) for kind in _ordered(kind_counts, KINDS)
            ],
            "highlight": any(item["highlight"] for item in nodes + edges),
        },
        "sectors": [
            {
                "key": sector,
                "label": sector,
                "color": SECTOR_COLORS.get(sector, UNKNOWN_COLOR),
                "count": sector_counts[sector],
            }
            for sector in _ordered(sector_counts, SECTORS)
        ],
        "years": {"min": min(years), "max": max(years)} if years else None,
        "options": vis_options(n, physics=use_physics, seed=seed),
    }


def _node_items(
    G: nx.Graph[Any],
    index: dict[Hashable, int],
    color_by: ColorBy,
    size_by: str,
    physics: bool,
    seed: int,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Node records for the page, and the colour and size legends."""
    big = G.number_of_nodes() > PHYSICS_MAX_NODES
    colors, color_legend = node_colors(G, color_by)
    sizes, size_legend = node_sizes(G, size_by, min_px=5 if big else 8, max_px=32 if big else 40)
    labelled = _labelled(sizes)
    spacing = 110.0 if physics else 45.0
    positions = spring_positions(G, seed=seed)
    highlighted = set(G.graph.get("highlight_nodes", ()))
    items = []
    for node, data in G.nodes(data=True):
        x, y = positions[node]
        share = (sizes[node] - size_legend.min_px) / (size_legend.max_px - size_legend.min_px)
        items.append(
            {
                "id": index[node],
                "key": str(node),
                "name": _text(data.get("name")) or str(node),
                "sector": _text(data.get("sector")) or UNKNOWN,
                "country": _text(data.get("country")),
                "source": _text(data.get("source")),
                "metrics": _metrics(data),
                "color": colors[node],
                "border": darken(colors[node]),
                "size": sizes[node],
                "label": node in labelled,
                # Large maps open zoomed far out: their few labels need a bigger font.
                "font": round(22 + 22 * share, 1) if big else round(14 + 12 * share, 1),
                "x": round(x * spacing, 1),
                "y": round(y * spacing, 1),
                "highlight": node in highlighted,
            }
        )
    legend = {
        "color": {
            "by": color_legend.by,
            "title": color_legend.title,
            "entries": [vars(e) for e in color_legend.entries],
        },
        "size": {
            "metric": size_legend.metric,
            "requested": size_legend.requested,
            "low": size_legend.low,
            "high": size_legend.high,
            "min_px": size_legend.min_px,
            "max_px": size_legend.max_px,
        },
    }
    return items, legend


def _edge_items(G: nx.Graph[Any], index: dict[Hashable, int]) -> list[dict[str, Any]]:
    """Edge records for the page; a view's path edges are drawn thick and gold."""
    edge_list = list(G.edges(data=True))
    widths = edge_widths({i: d.get("weight") for i, (_, _, d) in enumerate(edge_list)})
    path = {frozenset(e) for e in G.graph.get("highlight_edges", ())}
    items = []
    for i, (u, v, data) in enumerate(edge_list):
        style = edge_style(data.get("kind"))
        span = edge_years(data)
        on_path = frozenset((u, v)) in path
        items.append(
            {
                "id": i,
                "from": index[u],
                "to": index[v],
                "weight": _finite(data.get("weight")),
                "kind": _text(data.get("kind")) or UNKNOWN,
                "missions": [str(m) for m in data.get("missions") or ()],
                "first_year": span[0] if span else None,
                "last_year": span[1] if span else None,
                "color": PATH_COLOR if on_path else style.color,
                "dashes": style.dashes,
                "width": widths[i] + 3 if on_path else widths[i],
                "highlight": on_path,
            }
        )
    return items


def _kind_entry(kind: str, count: int) -> dict[str, Any]:
    style = edge_style(None if kind == UNKNOWN else kind)
    return {
        "key": kind,
        "label": style.label,
        "color": style.color,
        "dashes": style.dashes,
        "count": count,
    }


def vis_options(n: int, *, physics: bool, seed: int = 0) -> dict[str, Any]:
    """vis-network options: Barnes-Hut physics stabilised once, or none for precomputed layouts.

    The physics block comes from pyvis's own Barnes-Hut helper; the page turns physics off as soon
    as ``stabilizationIterationsDone`` fires, so the map freezes after settling once.
    """
    net = Network()
    net.barnes_hut(
        gravity=-7000,
        central_gravity=0.2,
        spring_length=130,
        spring_strength=0.03,
        damping=0.25,
        overlap=0.4,
    )
    barnes_hut = vars(net.options.physics.barnesHut)
    heavy = n > 1000
    return {
        "autoResize": True,
        "layout": {"improvedLayout": False, "randomSeed": seed},
        "nodes": {"shape": "dot", "borderWidth": 1.5, "borderWidthSelected": 3},
        "edges": {
            "smooth": {"enabled": True, "type": "continuous", "roundness": 0.3}
            if n <= 300
            else False,
            "selectionWidth": 1.5,
            "hoverWidth": 0.5,
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": heavy,
            "hideEdgesOnZoom": heavy,
            "multiselect": False,
            "navigationButtons": False,
            "keyboard": False,
        },
        "physics": {
            "enabled": physics,
            "solver": "barnesHut",
            "barnesHut": barnes_hut,
            "minVelocity": 1.0,
            "stabilization": {
                "enabled": physics,
                "iterations": 400,
                "updateInterval": 50,
                "fit": True,
            },
        },
    }


def _ordered(counts: Counter[str], preferred: list[str]) -> list[str]:
    """Keys in the preferred order, then any others sorted, "unknown" last."""
    first = [key for key in preferred if key in counts]
    rest = sorted(k for k in counts if k not in preferred and k != UNKNOWN)
    return first + rest + ([UNKNOWN] if UNKNOWN in counts else [])


def _labelled(sizes: dict[Hashable, float]) -> set[Hashable]:
    """Every node of a small map, else the biggest few (a dense core cannot show many names)."""
    if len(sizes) <= LABEL_ALL_BELOW:
        return set(sizes)
    top = LABELLED_TOP if len(sizes) <= PHYSICS_MAX_NODES else LABELLED_TOP // 2
    ranked = sorted(sizes, key=lambda node: -sizes[node])
    return set(ranked[:top])


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _finite(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _metrics(data: dict[str, Any]) -> dict[str, float]:
    out: dict[str, float] = {}
    for name in METRICS:
        value = _finite(data.get(name))
        if value is not None:
            out[name] = value
    return out
