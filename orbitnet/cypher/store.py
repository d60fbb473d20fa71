"""The store interface every backend implements, and what it returns.

Callers get plain Python values only: nodes as ``{"id", "labels", "properties"}``, relationships as
``{"type", "properties"}``, paths as ``{"nodes", "relationships"}``; no driver object leaves
``orbitnet.cypher``.
"""

from __future__ import annotations

import abc
import contextlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, fields
from itertools import islice
from typing import Any

DEFAULT_BATCH_SIZE = 10_000
"""Rows per write transaction; chosen from the sweep in ``benchmarks/bench_store.py``."""

Row = dict[str, Any]
ProgressCallback = Callable[[int], None]


@dataclass
class WriteSummary:
    """Counters of what a write changed, added up over batches."""

    nodes_created: int = 0
    nodes_deleted: int = 0
    relationships_created: int = 0
    relationships_deleted: int = 0
    properties_set: int = 0
    labels_added: int = 0
    rows: int = 0
    batches: int = 0

    def __add__(self, other: WriteSummary) -> WriteSummary:
        return WriteSummary(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def chunked(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    if size < 1:
        raise ValueError("batch size must be at least 1")
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


class Store(abc.ABC):
    """A graph database that speaks orbitnet's Cypher.

    Two implementations: :class:`orbitnet.cypher.falkor.FalkorStore` (embedded FalkorDB) and
    :class:`orbitnet.cypher.neo4j_store.Neo4jStore`. Obtain one with
    :func:`orbitnet.cypher.open_store`.
    """

    backend: str = ""

    # --- schema -------------------------------------------------------------------------------
    @abc.abstractmethod
    def setup_schema(self) -> list[str]:
        """Create the uniqueness constraints on each label's ``id``. Idempotent.

        Returns a description of each constraint created by this call (empty if all existed).
        """

    @abc.abstractmethod
    def constraints(self) -> list[dict[str, Any]]:
        """The uniqueness constraints in place, as ``{"label", "property"}``."""

    # --- writes -------------------------------------------------------------------------------
    @abc.abstractmethod
    def execute(self, query: str, params: Mapping[str, Any] | None = None) -> WriteSummary:
        """Run one write query in one transaction."""

    @contextlib.contextmanager
    def write_lock(self) -> Iterator[None]:
        """Hold the graph against other orbitnet writers for a read-then-rewrite (the derived
        edges). Here it holds nothing; the embedded FalkorDB, which runs concurrent writes to
        one graph side by side, overrides it with a real lock."""
        yield

    def write_batches(
        self,
        query: str,
        rows: Iterable[Row],
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        params: Mapping[str, Any] | None = None,
        progress: ProgressCallback | None = None,
    ) -> WriteSummary:
        """Send ``rows`` as ``$rows`` to ``query`` in batches, one transaction per batch."""
        total = WriteSummary()
        for batch in chunked(rows, batch_size):
            summary = self.execute(query, {**(params or {}), "rows": batch})
            summary.rows, summary.batches = len(batch), 1
            total = total + summary
            if progress is not None:
                progress(len(batch))
        return total

    # --- reads --------------------------------------------------------------------------------
    @abc.abstractmethod
    def stream(
        self,
        query: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = None,
    ) -> Iterator[Row]:
        """Run a read-only query and yield each record as a dict of plain values.

        A write is refused with :class:`orbitnet.errors.WriteRefusedError`; a query running past
        ``timeout`` seconds is stopped with :class:`orbitnet.errors.QueryTimeoutError`.
        """

    def read(
        self,
        query: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = None,
    ) -> list[Row]:
        """Like :meth:`stream`, collected into a list."""
        return list(self.stream(query, params, timeout=timeout))

    def read_columns(
        self, query: str, params: Mapping[str, Any] | None = None
    ) -> tuple[list[str], list[list[Any]]]:
        """A read-only query as ``(column names, rows of values)``, the fastest bulk path."""
        rows = self.read(query, params)
        if not rows:
            return [], []
        keys = list(rows[0])
        return keys, [[row[k] for k in keys] for row in rows]

    # --- named queries ------------------------------------------------------------------------
    def run_named(
        self, name: str, params: Mapping[str, Any] | None = None, *, timeout: float | None = None
    ) -> list[Row]:
        """Run the named read query ``name`` from ``orbitnet/cypher/queries``."""
        from orbitnet.cypher.queries import get_query

        named = get_query(name)
        return self.read(named.text, named.bind(params or {}), timeout=timeout)

    # --- housekeeping -------------------------------------------------------------------------
    @abc.abstractmethod
    def clear(self) -> None:
        """Delete every node and relationship (the schema stays)."""

    @abc.abstractmethod
    def info(self) -> dict[str, Any]:
        """Backend name, server version and where it is."""

    @abc.abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
