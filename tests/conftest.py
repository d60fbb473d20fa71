"""Shared fixtures: a real embedded FalkorDB for the whole session, and Neo4j when configured.

The ``store`` fixture is parametrised over the backends that are available: always the embedded
FalkorDB that orbitnet itself starts; Neo4j too when ``NEO4J_URI`` is set. Every test gets an
empty graph.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from orbitnet.config import Settings
from orbitnet.cypher import EmbeddedServer, open_store
from orbitnet.cypher.store import Store

BACKENDS = ["falkordb"] + (["neo4j"] if os.environ.get("NEO4J_URI") else [])


@pytest.fixture(scope="session")
def orbitnet_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A private orbitnet home with a running embedded server, stopped at the end."""
    home = tmp_path_factory.mktemp("home")
    server = EmbeddedServer(home)
    server.start()
    yield home
    server.stop()


@pytest.fixture(scope="session")
def _stores(orbitnet_home: Path) -> Iterator[dict[str, Store]]:
    stores: dict[str, Store] = {}
    stores["falkordb"] = open_store(Settings.load(home=orbitnet_home, env={}))
    if "neo4j" in BACKENDS:
        stores["neo4j"] = open_store(Settings.load())
    yield stores
    for store in stores.values():
        store.close()


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, _stores: dict[str, Store]) -> Store:
    """An empty graph on one backend, with the schema set up."""
    s = _stores[request.param]
    s.clear()
    s.setup_schema()
    return s


@pytest.fixture
def falkor_store(_stores: dict[str, Store]) -> Store:
    s = _stores["falkordb"]
    s.clear()
    s.setup_schema()
    return s


def cli_env(home: Path, graph: str) -> dict[str, str]:
    """The environment for running the CLI on the session's embedded server, in graph ``graph``
    (no Neo4j, no colour, wide output)."""
    return {
        "ORBITNET_HOME": str(home),
        "ORBITNET_GRAPH": graph,
        "NEO4J_URI": "",
        "NO_COLOR": "1",
        "COLUMNS": "200",
    }
