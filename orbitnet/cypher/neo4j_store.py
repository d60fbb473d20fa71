"""The Neo4j 5 backend, through the official ``neo4j`` driver."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from orbitnet.cypher import statements
from orbitnet.cypher.store import Row, Store, WriteSummary
from orbitnet.errors import (
    ConfigError,
    ConnectionError,
    QueryError,
    QueryTimeoutError,
    WriteRefusedError,
)

_NEXT_STEP = "start it with 'docker compose up -d' or check NEO4J_URI"


def translate_error(exc: Exception) -> Exception:
    """A driver error as an orbitnet error with a next step (never with credentials)."""
    from neo4j import exceptions as ne

    if isinstance(exc, ne.AuthError):
        return ConnectionError(
            "Neo4j refused the user name or password; check NEO4J_USER and NEO4J_PASSWORD"
        )
    if isinstance(exc, ne.ServiceUnavailable | ne.SessionExpired):
        return ConnectionError(f"cannot reach Neo4j; {_NEXT_STEP}")
    if isinstance(exc, ne.ConfigurationError):
        return ConfigError(f"bad Neo4j settings: {exc}")
    code = getattr(exc, "code", "") or ""
    message = (getattr(exc, "message", None) or str(exc)).splitlines()[0]
    if "AccessMode" in code or "ForbiddenDueToTransactionType" in code:
        return WriteRefusedError(
            "refused: this query writes, and 'orbitnet query' only reads (use 'orbitnet load' "
            "to change data)"
        )
    if "TransactionTimedOut" in code or "Timeout" in code:
        return QueryTimeoutError(
            "the query was stopped at its time limit; narrow it (LIMIT, fixed-length paths) or "
            "raise --timeout"
        )
    if "ParameterMissing" in code:
        return QueryError(f"{message}; add --param NAME=VALUE")
    if "SyntaxError" in code:
        return QueryError(f"Cypher syntax error: {message}")
    return QueryError(f"Neo4j refused the query: {message}")


def to_plain(value: Any) -> Any:
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node):
        props = {k: to_plain(v) for k, v in dict(value).items()}
        return {"id": props.get("id"), "labels": sorted(value.labels), "properties": props}
    if isinstance(value, Relationship):
        return {"type": value.type, "properties": {k: to_plain(v) for k, v in dict(value).items()}}
    if isinstance(value, Path):
        return {
            "nodes": [to_plain(n) for n in value.nodes],
            "relationships": [to_plain(r) for r in value.relationships],
        }
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


class Neo4jStore(Store):
    backend = "neo4j"

    def __init__(
        self, uri: str, user: str, password: str | None, database: str | None = None
    ) -> None:
        from neo4j import GraphDatabase
        from neo4j import exceptions as ne

        self._uri = uri
        self._database = database
        try:
            self._driver = GraphDatabase.driver(uri, auth=(user, password or ""))
            self._driver.verify_connectivity()
        except (ne.Neo4jError, ne.DriverError, OSError, ValueError) as exc:
            raise translate_error(exc) from None

    def _session(self, read: bool) -> Any:
        from neo4j import READ_ACCESS, WRITE_ACCESS

        return self._driver.session(
            database=self._database, default_access_mode=READ_ACCESS if read else WRITE_ACCESS
        )

    def constraints(self) -> list[dict[str, Any]]:
        rows = self._run_write_read("SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties")
        return [
            {"label": r["labelsOrTypes"][0], "property": p, "status": "OPERATIONAL"}
            for r in rows
            if r["type"] in ("UNIQUENESS", "NODE_PROPERTY_UNIQUENESS")
            for p in r["properties"]
        ]

    def _run_write_read(self, query: str) -> list[dict[str, Any]]:
        from neo4j import exceptions as ne

        try:
            with self._session(read=True) as session:
                return [dict(r) for r in session.run(query)]
        except (ne.Neo4jError, ne.DriverError) as exc:
            raise translate_error(exc) from exc

    def setup_schema(self) -> list[str]:
        before = {(c["label"], c["property"]) for c in self.constraints()}
        for statement in statements.neo4j_schema():
            self.execute(statement)
        after = {(c["label"], c["property"]) for c in self.constraints()}
        return [f"unique {label}.{prop}" for label, prop in sorted(after - before)]

    def execute(self, query: str, params: Mapping[str, Any] | None = None) -> WriteSummary:
        from neo4j import exceptions as ne

        def work(tx: Any) -> Any:
            return tx.run(query, dict(params or {})).consume().counters

        try:
            with self._session(read=False) as session:
                counters = session.execute_write(work)
        except (ne.Neo4jError, ne.DriverError) as exc:
            raise translate_error(exc) from exc
        return WriteSummary(
            nodes_created=counters.nodes_created,
            nodes_deleted=counters.nodes_deleted,
            relationships_created=counters.relationships_created,
            relationships_deleted=counters.relationships_deleted,
            properties_set=counters.properties_set,
            labels_added=counters.labels_added,
        )

    def stream(
        self,
        query: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = None,
    ) -> Iterator[Row]:
        from neo4j import exceptions as ne

        try:
            with (
                self._session(read=True) as session,
                session.begin_transaction(timeout=timeout) as tx,
            ):
                result = tx.run(query, dict(params or {}))
                for record in result:  # records arrive from the server as they are consumed
                    yield {k: to_plain(v) for k, v in record.items()}
        except (ne.Neo4jError, ne.DriverError) as exc:
            raise translate_error(exc) from exc

    def clear(self) -> None:
        # In slices, so that a large graph never needs one huge transaction.
        while self.execute("MATCH (n) WITH n LIMIT 10000 DETACH DELETE n").nodes_deleted:
            pass

    def info(self) -> dict[str, Any]:
        from neo4j import exceptions as ne

        try:
            server = self._driver.get_server_info()
        except (ne.Neo4jError, ne.DriverError) as exc:
            raise translate_error(exc) from exc
        return {
            "backend": self.backend,
            "server": server.agent,
            "location": self._uri,
            "database": self._database or "(default)",
        }

    def close(self) -> None:
        self._driver.close()
