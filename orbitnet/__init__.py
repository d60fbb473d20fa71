"""orbitnet: the partnerships behind space exploration as a graph.

>>> import orbitnet
>>> net = orbitnet.open()          # Neo4j if NEO4J_URI is set, else the embedded FalkorDB
>>> net.load()                     # doctest: +SKIP
>>> net.query("MATCH (o:Agency) RETURN o.name AS name LIMIT 3")  # doctest: +SKIP
>>> G = net.graph()                # a NetworkX graph   # doctest: +SKIP
>>> net.map()                      # renders inline in Jupyter   # doctest: +SKIP

Names load lazily so that ``import orbitnet`` (and the CLI's start-up) stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Filters", "Orbitnet", "__version__", "open"]

if TYPE_CHECKING:
    from orbitnet.api import Filters, Orbitnet, open


def __getattr__(name: str) -> Any:
    if name in ("Filters", "Orbitnet", "open"):
        from orbitnet import api

        return getattr(api, name)
    raise AttributeError(f"module 'orbitnet' has no attribute {name!r}")
