"""Interactive, offline maps of the partnership network (vis-network pages built with pyvis).

The library side of ``orbitnet map``: pick a view of the organisation graph, then render it.

>>> import networkx as nx
>>> from orbitnet.viz import ego_view, map_html
>>> G = nx.Graph([("nasa", "esa"), ("esa", "jaxa"), ("jaxa", "isro")])
>>> page = map_html(ego_view(G, "esa"), title="ESA's partners")
>>> "vis.Network" in page
True

Views (pure: graph in, new graph out): :func:`whole_view`, :func:`ego_view`, :func:`path_view`,
:func:`community_view`, :func:`year_view` and :func:`select_view` to combine them.
Rendering: :func:`render_map` writes a file, :func:`map_html` returns the page, :func:`map_view`
wraps it for Jupyter.
"""

from __future__ import annotations

from orbitnet.viz.encode import COLOR_BY, ColorBy
from orbitnet.viz.html import MapView, map_html, map_view, render_map
from orbitnet.viz.layout import spring_positions
from orbitnet.viz.payload import PHYSICS_MAX_NODES
from orbitnet.viz.views import (
    community_view,
    ego_view,
    path_view,
    resolve_node,
    select_view,
    whole_view,
    year_view,
)

__all__ = [
    "COLOR_BY",
    "PHYSICS_MAX_NODES",
    "ColorBy",
    "MapView",
    "community_view",
    "ego_view",
    "map_html",
    "map_view",
    "path_view",
    "render_map",
    "resolve_node",
    "select_view",
    "spring_positions",
    "whole_view",
    "year_view",
]
