"""The FalkorDB backend (the embedded server by default)."""

from __future__ import annotations

import contextlib
import re
import threading
import time
import uuid
from collections.abc import Iterator, Mapping
from typing import Any

from orbitnet.cypher.store import Row, Store, WriteSummary
from orbitnet.errors import ConnectionError, QueryError, QueryTimeoutError, WriteRefusedError
from orbitnet.model import NODE_LABELS

_ERR_MSG = re.compile(r"errMsg: (?P<msg>.*?) line: (?P<line>\d+), column: (?P<col>\d+)")
_WRITE_WORDS = ("read-only", "RO_QUERY")
_EMPTY_GRAPH = "empty key"
_SURROGATE = re.compile("[\ud800-\udfff]")
_LOAD_CSV = "Load CSV"
_LOCK_PREFIX = "orbitnet:write-lock:"
_LOCK_TTL_MS = 3_600_000  # a backstop: a lock whose holder is gone is taken over at once
_LOCK_WAIT = 600.0
_RELEASE = (
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
)


def _check_text(query: str) -> None:
    """Text the server cannot receive: a lone surrogate (an undecodable byte of a command line,
    kept by Python as ``\\udcff``) cannot be encoded as UTF-8."""
    if _SURROGATE.search(query):
        raise QueryError(
            "the query is not valid UTF-8 text (it holds an undecodable byte); retype it"
        )


def _checked(query: str, params: Mapping[str, Any] | None) -> dict[str, Any]:
    """``params`` as a dict, after checking that the server can receive them and ``query``."""
    checked = dict(params or {})
    _check_text(query)
    _check_params(checked)
    return checked


def _check_params(params: Mapping[str, Any]) -> None:
    """FalkorDB sends parameters in a text header that ends at a NUL byte: refuse those early."""

    def walk(value: Any, where: str) -> None:
        if isinstance(value, str) and "\x00" in value:
            raise QueryError(
                f"parameter {where} contains a NUL character, which FalkorDB cannot store"
            )
        if isinstance(value, str) and _SURROGATE.search(value):
            raise QueryError(
                f"parameter {where} is not valid UTF-8 text (it holds an undecodable byte)"
            )
        if isinstance(value, Mapping):
            for key, item in value.items():
                walk(item, f"{where}.{key}")
        elif isinstance(value, list | tuple):
            for i, item in enumerate(value):
                walk(item, f"{where}[{i}]")

    for key, value in params.items():
        walk(value, key)


def translate_error(exc: Exception, query: str = "") -> Exception:
    """A FalkorDB/redis error as an orbitnet error with a next step."""
    import redis

    text = str(exc)
    if isinstance(exc, redis.ConnectionError | redis.TimeoutError) and "timed out" not in text:
        return ConnectionError(
            f"lost the connection to FalkorDB ({text.splitlines()[0] if text else exc!r}); "
            "run 'orbitnet db status' and 'orbitnet db start'"
        )
    if any(word in text for word in _WRITE_WORDS):
        return WriteRefusedError(
            "refused: this query writes, and 'orbitnet query' only reads (use 'orbitnet load' "
            "to change data)"
        )
    if "timed out" in text.lower() or "timeout" in text.lower():
        return QueryTimeoutError(
            "the query was stopped at its time limit; narrow it (LIMIT, fixed-length paths) or "
            "raise --timeout"
        )
    if "mem consumption exceeded capacity" in text:
        return QueryError(
            "the query was stopped at its memory limit; narrow it (LIMIT, smaller lists, "
            "fewer columns)"
        )
    if "Missing parameters" in text:
        return QueryError("the query uses a parameter that was not given; add --param NAME=VALUE")
    match = _ERR_MSG.search(text)
    if match:
        return QueryError(
            f"Cypher syntax error at line {match['line']}, column {match['col']}: {match['msg']}"
        )
    return QueryError(f"FalkorDB refused the query: {text.splitlines()[0] if text else exc!r}")


def to_plain(value: Any) -> Any:
    """A FalkorDB result value as plain Python."""
    from falkordb import Edge, Node, Path

    if isinstance(value, Node):
        props = dict(value.properties)
        return {"id": props.get("id"), "labels": list(value.labels or []), "properties": props}
    if isinstance(value, Edge):
        return {"type": value.relation, "properties": dict(value.properties)}
    if isinstance(value, Path):
        return {
            "nodes": [to_plain(n) for n in value.nodes()],
            "relationships": [to_plain(e) for e in value.edges()],
        }
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    return value


class FalkorStore(Store):
    """A FalkorDB graph reached over a unix socket (or ``host``/``port``)."""

    backend = "falkordb"

    def __init__(
        self,
        *,
        unix_socket_path: str | None = None,
        host: str = "localhost",
        port: int = 6379,
        graph: str = "orbitnet",
        description: str = "",
    ) -> None:
        import redis
        from falkordb import FalkorDB

        try:
            if unix_socket_path is not None:
                self._db = FalkorDB(unix_socket_path=unix_socket_path)
            else:
                self._db = FalkorDB(host=host, port=port)
            self._db.connection.ping()
        except (redis.RedisError, OSError) as exc:
            raise ConnectionError(
                f"cannot reach FalkorDB at {unix_socket_path or f'{host}:{port}'}; "
                "run 'orbitnet db start'"
            ) from exc
        self._graph_name = graph
        self._graph = self._db.select_graph(graph)
        self._description = description or (unix_socket_path or f"{host}:{port}")
        self._lock_depth = threading.local()
        if graph not in self._db.list_graphs():
            # A graph exists in FalkorDB only once written to; creating its schema now makes
            # every read work from the first command on (``RETURN 1`` included).
            self.setup_schema()

    # --- schema -------------------------------------------------------------------------------
    def constraints(self) -> list[dict[str, Any]]:
        import redis

        try:
            found = self._graph.list_constraints()
        except redis.ResponseError:
            return []  # the graph does not exist yet
        except redis.RedisError as exc:
            raise translate_error(exc) from exc
        out = []
        for c in found:
            if c.get("type") == "UNIQUE" and c.get("entitytype") == "NODE":
                for prop in c.get("properties", []):
                    out.append({"label": c["label"], "property": prop, "status": c.get("status")})
        return out

    def setup_schema(self) -> list[str]:
        import time

        import redis

        have = {(c["label"], c["property"]) for c in self.constraints()}
        created = []
        for label in NODE_LABELS:
            if (label.value, "id") in have:
                continue
            try:
                self._graph.create_node_range_index(label.value, "id")
            except redis.RedisError as exc:
                if "already indexed" not in str(exc):
                    raise translate_error(exc) from exc
            try:
                self._graph.create_node_unique_constraint(label.value, "id")
            except redis.RedisError as exc:
                if "already exists" not in str(exc):
                    raise translate_error(exc) from exc
            created.append(f"unique {label.value}.id")
        # Constraints are built asynchronously; wait until none is pending.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if all(c.get("status") == "OPERATIONAL" for c in self.constraints()):
                break
            time.sleep(0.02)
        return created

    # --- writes -------------------------------------------------------------------------------
    @contextlib.contextmanager
    def write_lock(self, *, timeout: float = _LOCK_WAIT) -> Iterator[None]:
        """Hold this graph's write lock: orbitnet's writers take turns. Re-entrant.

        FalkorDB runs two write queries on one graph at once (one per worker thread) and a
        ``MERGE`` sees only what is committed, so two loaders merging the same relationship both
        create it: two concurrent 50k-row relationship MERGEs left 100k edges here. Every
        :meth:`execute` holds the lock; the pipeline holds it across reading the graph and
        rewriting the derived edges. The lock is a key naming the holder's connection and the
        server's run; a waiter takes it over as soon as that connection is gone (the holder
        crashed) or the server was restarted, so a killed loader never blocks the next one.
        """
        import redis

        depth = getattr(self._lock_depth, "n", 0)
        if depth:
            self._lock_depth.n = depth + 1
            try:
                yield
            finally:
                self._lock_depth.n = depth
            return
        conn = self._db.connection
        key = _LOCK_PREFIX + self._graph_name
        try:
            ask = conn.pipeline(transaction=False)  # one round trip for both
            ask.info("server")
            ask.client_id()
            server, client_id = ask.execute()
            run_id = server["run_id"]
            token = f"{run_id}:{client_id}:{uuid.uuid4().hex}"
            deadline = time.monotonic() + timeout
            pause = 0.001
            while not conn.set(key, token, nx=True, px=_LOCK_TTL_MS):
                holder = conn.get(key)
                if holder is not None and self._lock_abandoned(str(holder), run_id):
                    conn.eval(_RELEASE, 1, key, holder)
                    continue
                if time.monotonic() > deadline:
                    raise ConnectionError(
                        f"another orbitnet process has been writing to graph "
                        f"{self._graph_name!r} for {timeout:.0f} s; wait for it to finish, or "
                        "stop it and run this command again"
                    )
                time.sleep(pause)
                pause = min(pause * 2, 0.05)
        except redis.RedisError as exc:
            raise translate_error(exc) from exc
        self._lock_depth.n = 1
        try:
            yield
        finally:
            self._lock_depth.n = 0
            with contextlib.suppress(redis.RedisError):
                conn.eval(_RELEASE, 1, key, token)

    def _lock_abandoned(self, holder: str, run_id: str) -> bool:
        held_run, _, rest = holder.partition(":")
        client_id = rest.partition(":")[0]
        if held_run != run_id or not client_id.isdigit():
            return True  # taken before the server restarted
        return not self._db.connection.client_list(client_id=[int(client_id)])

    def execute(self, query: str, params: Mapping[str, Any] | None = None) -> WriteSummary:
        import redis

        params = _checked(query, params)
        with self.write_lock():
            try:
                result = self._graph.query(query, params)
            except redis.RedisError as exc:
                raise translate_error(exc, query) from exc
        return WriteSummary(
            nodes_created=int(result.nodes_created),
            nodes_deleted=int(result.nodes_deleted),
            relationships_created=int(result.relationships_created),
            relationships_deleted=int(result.relationships_deleted),
            properties_set=int(result.properties_set),
            labels_added=int(result.labels_added),
        )

    # --- reads --------------------------------------------------------------------------------
    def _ro(self, query: str, params: Mapping[str, Any] | None, timeout: float | None) -> Any:
        import redis

        params = self._checked_read(query, params)
        timeout_ms = None if timeout is None else max(1, int(timeout * 1000))
        try:
            return self._graph.ro_query(query, params, timeout=timeout_ms)
        except redis.RedisError as exc:
            if _EMPTY_GRAPH in str(exc):
                return None  # nothing has been written yet: every read is empty
            raise translate_error(exc, query) from exc

    def _checked_read(self, query: str, params: Mapping[str, Any] | None) -> dict[str, Any]:
        """:func:`_checked`, and ``LOAD CSV`` refused: what every read goes through."""
        checked = _checked(query, params)
        self._refuse_load_csv(query, checked)
        return checked

    def _command(self, command: str, query: str, params: Mapping[str, Any]) -> Any:
        """A raw ``GRAPH.*`` command with ``params`` in the query's header, its reply unparsed;
        ``None`` while the graph has never been written (every read of it is empty)."""
        import redis

        header = self._graph._build_params_header(params) if params else ""
        try:
            return self._db.connection.execute_command(command, self._graph_name, header + query)
        except redis.RedisError as exc:
            if _EMPTY_GRAPH in str(exc):
                return None
            raise translate_error(exc, query) from exc

    def _refuse_load_csv(self, query: str, params: Mapping[str, Any]) -> None:
        """Refuse ``LOAD CSV`` on the read path.

        FalkorDB runs it under ``GRAPH.RO_QUERY``: it reads files below the server's import
        folder and fetches ``https://`` URLs from the server. The plan, not the text, decides
        (so comments, case and string literals neither hide nor fake it); only queries that
        mention "csv" at all are explained, so the common case costs nothing.
        """
        if "csv" not in query.lower():
            return
        plan = self._command("GRAPH.EXPLAIN", query, params) or []
        if any(str(step).strip() == _LOAD_CSV for step in plan):
            raise WriteRefusedError(
                "refused: LOAD CSV makes the database server read files or URLs, and "
                "'orbitnet query' only reads the graph (load a CSV file with "
                "'orbitnet load FILE --mapping MAPPING.yaml')"
            )

    def stream(
        self,
        query: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = None,
    ) -> Iterator[Row]:
        # FalkorDB sends a result set in one reply; rows are converted one at a time as they are
        # consumed, so a large result is never held twice.
        result = self._ro(query, params, timeout)
        if result is None:
            return
        keys = [column[1] for column in result.header]
        for values in result.result_set:
            yield {k: to_plain(v) for k, v in zip(keys, values, strict=True)}

    def read_columns(
        self, query: str, params: Mapping[str, Any] | None = None
    ) -> tuple[list[str], list[list[Any]]]:
        """Scalar results in FalkorDB's verbose reply format, parsed by redis-py's reader.

        Much faster than the compact format for bulk scalar reads (projections), because no
        value passes through Python-level type dispatch. Doubles arrive as text (15 significant
        digits) and lists as their text, ``[a, b]``: meant for scalar columns.
        """
        reply = self._command("GRAPH.RO_QUERY", query, self._checked_read(query, params))
        if reply is None or len(reply) < 3:
            return [], []
        columns = [c if isinstance(c, str) else c[1] for c in reply[0]]
        return columns, reply[1]

    # --- housekeeping -------------------------------------------------------------------------
    def clear(self) -> None:
        import redis

        try:
            self.execute("MATCH (n) DETACH DELETE n")
        except QueryError as exc:
            if not isinstance(exc.__cause__, redis.ResponseError):
                raise

    def info(self) -> dict[str, Any]:
        import redis

        try:
            server = self._db.connection.info("server")
            modules = self._db.connection.execute_command("MODULE", "LIST")
        except redis.RedisError as exc:
            raise translate_error(exc) from exc
        graph_version = next((m[m.index("ver") + 1] for m in modules if "graph" in m), None)
        if isinstance(graph_version, int):
            v = graph_version
            graph_version = f"{v // 10000}.{v // 100 % 100}.{v % 100}"
        return {
            "backend": self.backend,
            "server": f"FalkorDB {graph_version} on Redis {server.get('redis_version')}",
            "location": self._description,
            "graph": self._graph_name,
        }

    def close(self) -> None:
        self._db.close()
