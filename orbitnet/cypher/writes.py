"""Writing records and derived results to a store, in batches."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from orbitnet.cypher import statements
from orbitnet.cypher.store import DEFAULT_BATCH_SIZE, ProgressCallback, Store, WriteSummary
from orbitnet.model import Label, RelType

EdgeGroup = tuple[RelType, Label, Label, str | None]


def upsert_nodes(
    store: Store,
    groups: Mapping[tuple[Label, Label | None], Sequence[dict[str, Any]]],
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: ProgressCallback | None = None,
) -> dict[Label, WriteSummary]:
    """Write node rows ``{id, props}`` grouped by (id label, sector label)."""
    out: dict[Label, WriteSummary] = defaultdict(WriteSummary)
    for (primary, extra), rows in groups.items():
        query = statements.upsert_nodes(primary, extra)
        out[primary] = out[primary] + store.write_batches(
            query, rows, batch_size=batch_size, progress=progress
        )
    return dict(out)


def upsert_edges(
    store: Store,
    groups: Mapping[EdgeGroup, Sequence[dict[str, Any]]],
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: ProgressCallback | None = None,
) -> dict[RelType, WriteSummary]:
    """Write relationship rows ``{src, dst, key, props}`` grouped by type, end labels and key."""
    out: dict[RelType, WriteSummary] = defaultdict(WriteSummary)
    for (rel, start, end, key), rows in groups.items():
        query = statements.upsert_edges(rel, start, end, key)
        out[rel] = out[rel] + store.write_batches(
            query, rows, batch_size=batch_size, progress=progress
        )
    return dict(out)


def existing_ids(store: Store, label: Label, ids: Iterable[str]) -> set[str]:
    """Which of ``ids`` exist in the store with ``label``."""
    wanted = sorted(set(ids))
    found: set[str] = set()
    query = statements.existing_ids(label)
    for start in range(0, len(wanted), 10_000):
        found.update(r["id"] for r in store.read(query, {"ids": wanted[start : start + 10_000]}))
    return found


def replace_collaborations(
    store: Store, rows: Sequence[dict[str, Any]], *, batch_size: int = DEFAULT_BATCH_SIZE
) -> WriteSummary:
    """Drop every ``COLLABORATES_WITH`` edge and write ``rows`` ``{src, dst, props}`` instead."""
    deleted = store.execute(statements.delete_relationships(RelType.COLLABORATES_WITH))
    query = statements.upsert_edges(
        RelType.COLLABORATES_WITH, Label.ORGANIZATION, Label.ORGANIZATION
    )
    return deleted + store.write_batches(query, rows, batch_size=batch_size)


def set_node_properties(
    store: Store,
    label: Label,
    rows: Sequence[dict[str, Any]],
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> WriteSummary:
    """Set properties on existing nodes: rows ``{id, props}``; missing ids are skipped."""
    return store.write_batches(statements.set_properties(label), rows, batch_size=batch_size)
