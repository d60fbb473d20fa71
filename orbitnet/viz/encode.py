"""Visual encodings: node colours and sizes, edge colours, dashes and widths, and their legend.

Everything here is pure: it reads a graph and returns numbers, colours and legend entries, so the
rules can be tested without a browser. Colours are chosen to stay apart for colour-blind readers
(node sectors use the Okabe-Ito palette, larger categorical sets Tableau 10).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

import networkx as nx

__all__ = [
    "COLOR_BY",
    "KIND_STYLES",
    "METRICS",
    "SECTOR_COLORS",
    "ColorBy",
    "ColorLegend",
    "EdgeStyle",
    "LegendEntry",
    "SizeLegend",
    "darken",
    "edge_style",
    "edge_widths",
    "metric_values",
    "node_colors",
    "node_sizes",
]

ColorBy: TypeAlias = Literal["sector", "community", "country"]
COLOR_BY: tuple[ColorBy, ...] = ("sector", "community", "country")

METRICS: tuple[str, ...] = (
    "betweenness",
    "pagerank",
    "degree",
    "weighted_degree",
    "closeness",
    "eigenvector",
    "core_number",
    "community",
)
"""Metric attributes shown in tooltips, in this order, when a node has them."""

UNKNOWN = "unknown"
OTHER = "other"
UNKNOWN_COLOR = "#9e9e9e"
OTHER_COLOR = "#cfcfcf"

SECTOR_COLORS: dict[str, str] = {
    "agency": "#0072B2",
    "company": "#E69F00",
    "intergovernmental": "#009E73",
    "academic": "#CC79A7",
    "defense": "#D55E00",
}
"""Okabe-Ito colours per sector; a node without a known sector is grey."""

CATEGORICAL: tuple[str, ...] = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#17becf",
)
"""Tableau 10, for communities and countries: the largest groups get a colour, the rest grey."""


@dataclass(frozen=True)
class EdgeStyle:
    """How one partnership kind is drawn.

    ``dashes`` is a vis-network dash pattern (pixels on, off, ...) or ``False`` for a solid line.
    """

    label: str
    color: str
    dashes: list[int] | Literal[False]


KIND_STYLES: dict[str, EdgeStyle] = {
    "bilateral": EdgeStyle("bilateral", "#4a6a96", False),
    "multilateral": EdgeStyle("multilateral", "#7d8b3a", [10, 6]),
    "public-private": EdgeStyle("public–private", "#b0603a", [3, 4]),
    "commercial": EdgeStyle("commercial", "#7a5a9a", [12, 4, 3, 4]),
}
UNKNOWN_EDGE = EdgeStyle("unknown kind", "#a0a0a0", False)


@dataclass(frozen=True)
class LegendEntry:
    """One row of a legend: a category key, its label, its colour and how many items have it."""

    key: str
    label: str
    color: str
    count: int


@dataclass(frozen=True)
class ColorLegend:
    """What node colour means: the attribute and one entry per colour."""

    by: ColorBy
    title: str
    entries: list[LegendEntry] = field(default_factory=list)


@dataclass(frozen=True)
class SizeLegend:
    """What node size means: the metric used (and the one asked for, if it was missing)."""

    metric: str
    requested: str
    low: float
    high: float
    min_px: float
    max_px: float

    @property
    def fallback(self) -> bool:
        """Whether the requested metric was missing and another one was used."""
        return self.metric != self.requested


def darken(color: str, factor: float = 0.7) -> str:
    """A darker shade of a ``#rrggbb`` colour (used for node borders).

    >>> darken("#ffffff", 0.5)
    '#808080'
    """
    value = color.lstrip("#")
    channels = [int(value[i : i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(c * factor):02x}" for c in channels)


def _category(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return UNKNOWN
    return str(value)


def node_colors(
    G: nx.Graph[Any], color_by: ColorBy = "sector", *, max_groups: int = len(CATEGORICAL)
) -> tuple[dict[Hashable, str], ColorLegend]:
    """A colour per node, and the legend that explains it.

    Parameters
    ----------
    G : nx.Graph
        The organisation graph; reads the node attribute named by ``color_by``.
    color_by : {"sector", "community", "country"}
        ``sector`` uses a fixed colour per sector. ``community`` and ``country`` give the
        ``max_groups`` largest groups a colour each and paint the rest as "other".
    max_groups : int
        How many communities or countries get their own colour.

    Returns
    -------
    (dict, ColorLegend)
        ``{node: "#rrggbb"}`` and the legend, entries in display order.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_node("nasa", sector="agency")
    >>> colors, legend = node_colors(G)
    >>> colors["nasa"], legend.entries[0].label
    ('#0072B2', 'agency')
    """
    if color_by not in COLOR_BY:
        raise ValueError(f"color_by must be one of {', '.join(COLOR_BY)}, got {color_by!r}")
    values = {node: _category(data.get(color_by)) for node, data in G.nodes(data=True)}
    counts = Counter(values.values())
    palette: dict[str, str]
    if color_by == "sector":
        order = [s for s in SECTOR_COLORS if s in counts]
        order += sorted(k for k in counts if k not in SECTOR_COLORS and k != UNKNOWN)
        palette = {k: SECTOR_COLORS.get(k, OTHER_COLOR) for k in order}
        title = "Sector"
    else:
        ranked = sorted(
            (k for k in counts if k != UNKNOWN), key=lambda k: (-counts[k], _natural(k))
        )
        order = ranked[:max_groups]
        palette = dict(zip(order, CATEGORICAL, strict=False))
        title = "Community" if color_by == "community" else "Country"
    colors: dict[Hashable, str] = {}
    other = 0
    for node, value in values.items():
        if value in palette:
            colors[node] = palette[value]
        elif value == UNKNOWN:
            colors[node] = UNKNOWN_COLOR
        else:
            colors[node] = OTHER_COLOR
            other += 1
    entries = [LegendEntry(k, _group_label(color_by, k), palette[k], counts[k]) for k in order]
    if other:
        entries.append(
            LegendEntry(OTHER, f"other ({len(counts) - len(order)})", OTHER_COLOR, other)
        )
    if counts.get(UNKNOWN):
        entries.append(LegendEntry(UNKNOWN, UNKNOWN, UNKNOWN_COLOR, counts[UNKNOWN]))
    return colors, ColorLegend(color_by, title, entries)


def _natural(key: str) -> tuple[int, float, str]:
    try:
        return (0, float(key), key)
    except ValueError:
        return (1, 0.0, key)


def _group_label(color_by: ColorBy, key: str) -> str:
    return f"community {key}" if color_by == "community" else key


def metric_values(G: nx.Graph[Any], metric: str) -> tuple[dict[Hashable, float], str]:
    """Values of a node metric, falling back to degree when no node carries it.

    Returns the values (missing or non-numeric ones as 0) and the name of the metric actually used.

    >>> import networkx as nx
    >>> metric_values(nx.path_graph(3), "betweenness")
    ({0: 1.0, 1: 2.0, 2: 1.0}, 'degree')
    """
    raw = {node: _number(data.get(metric)) for node, data in G.nodes(data=True)}
    if any(v is not None for v in raw.values()):
        return {node: v if v is not None else 0.0 for node, v in raw.items()}, metric
    return {node: float(d) for node, d in G.degree()}, "degree"


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def node_sizes(
    G: nx.Graph[Any], size_by: str = "betweenness", *, min_px: float = 8.0, max_px: float = 40.0
) -> tuple[dict[Hashable, float], SizeLegend]:
    """A radius in pixels per node, growing with the square root of the metric.

    The square root makes the drawn area, not the radius, follow the metric, which keeps a
    heavy-tailed metric such as betweenness readable. Falls back to degree when no node has
    ``size_by`` (see :func:`metric_values`); the legend records which metric was used.
    """
    values, used = metric_values(G, size_by)
    low = min(values.values(), default=0.0)
    high = max(values.values(), default=0.0)
    span = high - low
    sizes: dict[Hashable, float] = {}
    for node, value in values.items():
        share = (value - low) / span if span > 0 else 0.25
        sizes[node] = round(min_px + (max_px - min_px) * math.sqrt(share), 2)
    return sizes, SizeLegend(used, size_by, low, high, min_px, max_px)


def edge_style(kind: object) -> EdgeStyle:
    """The colour, dash pattern and label of a partnership kind (grey and solid if unknown)."""
    return KIND_STYLES.get(str(kind), UNKNOWN_EDGE) if kind is not None else UNKNOWN_EDGE


def edge_widths(
    weights: Mapping[Any, object], *, min_px: float = 1.0, max_px: float = 7.0
) -> dict[Any, float]:
    """Line widths from edge weights: square-root scaled between ``min_px`` and ``max_px``.

    A missing or non-numeric weight draws at ``min_px``.

    >>> edge_widths({"a": 1.0, "b": 4.0})
    {'a': 1.0, 'b': 7.0}
    """
    numbers = {key: _number(w) for key, w in weights.items()}
    known = [w for w in numbers.values() if w is not None]
    low = min(known, default=0.0)
    high = max(known, default=0.0)
    span = high - low
    widths: dict[Any, float] = {}
    for key, w in numbers.items():
        if w is None or span <= 0:
            widths[key] = min_px if w is None or not known else (min_px + max_px) / 4
            continue
        widths[key] = round(min_px + (max_px - min_px) * math.sqrt((w - low) / span), 2)
    return widths
