"""The database layer: the only code that talks to Neo4j or FalkorDB.

>>> from orbitnet.cypher import open_store  # doctest: +SKIP
>>> with open_store() as store:  # doctest: +SKIP
...     store.read("MATCH (n:Organization) RETURN count(n) AS n")
[{'n': 212}]
"""

from __future__ import annotations

from collections.abc import Callable

from orbitnet.config import Settings
from orbitnet.cypher.server import EmbeddedServer
from orbitnet.cypher.store import DEFAULT_BATCH_SIZE, Store, WriteSummary

__all__ = ["DEFAULT_BATCH_SIZE", "EmbeddedServer", "Store", "WriteSummary", "open_store"]


def open_store(
    settings: Settings | None = None,
    *,
    on_start: Callable[[EmbeddedServer], None] | None = None,
) -> Store:
    """Connect to Neo4j when ``NEO4J_URI`` is set, else to the embedded FalkorDB.

    The embedded server is started on demand; ``on_start`` is called once if this call started it.
    """
    settings = settings or Settings.load()
    if settings.neo4j_uri:
        from orbitnet.cypher.neo4j_store import Neo4jStore

        return Neo4jStore(
            settings.neo4j_uri,
            settings.neo4j_user,
            settings.neo4j_password,
            settings.neo4j_database,
        )
    from orbitnet.cypher.falkor import FalkorStore

    server = EmbeddedServer(settings.home)
    if server.start() and on_start is not None:
        on_start(server)
    return FalkorStore(
        unix_socket_path=str(server.socket), graph=settings.graph, description=str(server.home)
    )
