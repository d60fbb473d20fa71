"""From loader items to the store: validate, check references, write in batches, derive.

Strict mode (the default) validates everything first and writes nothing if any row is bad. With
``strict=False`` the valid rows are written and each rejected row goes to the rejects file, as a
JSON line ``{"file", "line", "field", "reason", "raw"}``. A record whose reference points at a
rejected or unknown node is itself rejected, so nothing half-connected is written.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orbitnet.cypher import writes
from orbitnet.cypher.store import DEFAULT_BATCH_SIZE, Store, WriteSummary
from orbitnet.errors import InvalidDataError, Problem
from orbitnet.loaders.base import Item, Located, Rejected, bounded
from orbitnet.model import (
    Agreement,
    Contract,
    Country,
    Label,
    Membership,
    Mission,
    NodeRecord,
    Organization,
    Participation,
    Program,
    RelType,
    Signature,
    node_labels,
)

ProgressFactory = Callable[[str, int | None], Callable[[int], None]]
"""Called with a stage description and its total; returns a callback taking an advance."""

_ANY_UNDERTAKING = (Label.MISSION, Label.PROGRAM, Label.AGREEMENT)


@dataclass
class LoadSummary:
    """What a load did: created and updated per label and relationship type, and rejects."""

    nodes: dict[str, dict[str, int]] = field(default_factory=dict)
    relationships: dict[str, dict[str, int]] = field(default_factory=dict)
    rejected: int = 0
    rejects_file: str | None = None
    collaborations: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "nodes": self.nodes,
            "relationships": self.relationships,
            "rejected": self.rejected,
            "rejects_file": self.rejects_file,
            "collaborations": self.collaborations,
        }


# --- references --------------------------------------------------------------------------------


def _references(record: Any) -> list[tuple[str, str, tuple[Label, ...]]]:
    """(field, id, labels it may have) for every reference a record makes."""
    if isinstance(record, Organization):
        return [("parent", record.parent, (Label.ORGANIZATION,))] if record.parent else []
    if isinstance(record, Mission):
        return [(f"programs[{i}]", p, (Label.PROGRAM,)) for i, p in enumerate(record.programs)]
    if isinstance(record, Agreement):
        return [("program", record.program, (Label.PROGRAM,))] if record.program else []
    if isinstance(record, Participation):
        return [
            ("org", record.org, (Label.ORGANIZATION,)),
            ("target", record.target, _ANY_UNDERTAKING),
        ]
    if isinstance(record, Signature):
        return [
            ("signer", record.signer, (Label.ORGANIZATION, Label.COUNTRY)),
            ("agreement", record.agreement, (Label.AGREEMENT,)),
        ]
    if isinstance(record, Membership):
        return [
            ("country", record.country, (Label.COUNTRY,)),
            ("org", record.org, (Label.ORGANIZATION,)),
        ]
    if isinstance(record, Contract):
        return [
            ("customer", record.customer, (Label.ORGANIZATION,)),
            ("contractor", record.contractor, (Label.ORGANIZATION,)),
        ]
    return []


class _Resolver:
    """Knows the label of each id: first from this load, then from the database."""

    def __init__(self, store: Store, batch_nodes: dict[str, Label]) -> None:
        self.store = store
        self.known = dict(batch_nodes)
        self.looked_up: set[str] = set()

    def prefetch(self, ids: Iterable[str]) -> None:
        missing = {i for i in ids if i not in self.known and i not in self.looked_up}
        if not missing:
            return
        for label in (Label.ORGANIZATION, Label.COUNTRY, *_ANY_UNDERTAKING):
            for found in writes.existing_ids(self.store, label, missing):
                self.known.setdefault(found, label)
        self.looked_up |= missing

    def label(self, node_id: str) -> Label | None:
        return self.known.get(node_id)


def _check(
    store: Store, located: list[Located]
) -> tuple[list[Located], list[Rejected], dict[str, Label]]:
    """Duplicate ids and dangling references; returns kept items, rejects and the id labels."""
    rejected: list[Rejected] = []
    first_seen: dict[str, Located] = {}
    kept: list[Located] = []
    for item in located:
        record = item.record
        if hasattr(record, "id") and not isinstance(record, Participation):
            node_id = record.id
            if node_id in first_seen:
                prev = first_seen[node_id]
                where = f"{prev.file}:{prev.line}" if prev.line else prev.file
                rejected.append(
                    Rejected(
                        Problem(
                            item.file,
                            item.line,
                            "id",
                            f"duplicate id {node_id!r} (first at {where})",
                        ),
                        record.model_dump(mode="json"),
                    )
                )
                continue
            first_seen[node_id] = item
        kept.append(item)
    batch_nodes = {
        nid: node_labels(it.record)[0]  # type: ignore[arg-type]
        for nid, it in first_seen.items()
    }
    resolver = _Resolver(store, batch_nodes)
    resolver.prefetch(ref for it in kept for _, ref, _ in _references(it.record))
    # Countries an organisation is based in are optional links: looked up, never required.
    resolver.prefetch(
        it.record.country.lower()
        for it in kept
        if isinstance(it.record, Organization) and it.record.country
    )

    # Iterate to a fixed point: a node rejected for a dangling reference makes its
    # dependants dangle too.
    bad_ids: set[str] = set()
    changed = True
    result = kept
    while changed:
        changed = False
        survivors: list[Located] = []
        for item in result:
            problem = None
            for fname, ref, labels in _references(item.record):
                label = resolver.label(ref)
                if ref in bad_ids or label is None:
                    problem = Problem(
                        item.file,
                        item.line,
                        fname,
                        f"no node with id {ref!r} in this load or the database",
                    )
                elif label not in labels:
                    problem = Problem(
                        item.file,
                        item.line,
                        fname,
                        f"{ref!r} is a {label.value}, expected "
                        + " or ".join(lbl.value for lbl in labels),
                    )
                if problem:
                    break
            if problem is None:
                survivors.append(item)
                continue
            rejected.append(Rejected(problem, item.record.model_dump(mode="json")))
            node_id = getattr(item.record, "id", None)
            if node_id is not None and not isinstance(item.record, Participation):
                bad_ids.add(node_id)
                resolver.known.pop(node_id, None)
                changed = True
        result = survivors
    return result, rejected, resolver.known


# --- rows ---------------------------------------------------------------------------------------


def _node_row(record: NodeRecord) -> dict[str, Any]:
    props = record.properties()
    props.pop("id", None)
    return {"id": record.id, "props": props}


def _edge_rows(
    record: Any, labels: dict[str, Label]
) -> list[tuple[tuple[RelType, Label, Label, str | None], dict[str, Any]]]:
    def props(**values: Any) -> dict[str, Any]:
        return {k: v for k, v in values.items() if v is not None}

    out: list[tuple[tuple[RelType, Label, Label, str | None], dict[str, Any]]] = []
    if isinstance(record, Organization):
        if record.parent:
            out.append(
                (
                    (RelType.PART_OF, Label.ORGANIZATION, Label.ORGANIZATION, None),
                    {"src": record.id, "dst": record.parent, "props": props(source=record.source)},
                )
            )
        if record.country and labels.get(record.country.lower()) == Label.COUNTRY:
            out.append(
                (
                    (RelType.BASED_IN, Label.ORGANIZATION, Label.COUNTRY, None),
                    {
                        "src": record.id,
                        "dst": record.country.lower(),
                        "props": props(source=record.source),
                    },
                )
            )
    elif isinstance(record, Mission):
        for program in record.programs:
            out.append(
                (
                    (RelType.PART_OF, Label.MISSION, Label.PROGRAM, None),
                    {"src": record.id, "dst": program, "props": props(source=record.source)},
                )
            )
    elif isinstance(record, Agreement) and record.program:
        out.append(
            (
                (RelType.PART_OF, Label.AGREEMENT, Label.PROGRAM, None),
                {"src": record.id, "dst": record.program, "props": props(source=record.source)},
            )
        )
    elif isinstance(record, Participation):
        out.append(
            (
                (RelType.PARTICIPATES_IN, Label.ORGANIZATION, labels[record.target], "role"),
                {
                    "src": record.org,
                    "dst": record.target,
                    "key": record.role.value,
                    "props": props(
                        contribution=record.contribution,
                        source=record.source,
                        uncertain=record.uncertain,
                    ),
                },
            )
        )
    elif isinstance(record, Signature):
        out.append(
            (
                (RelType.SIGNED, labels[record.signer], Label.AGREEMENT, None),
                {
                    "src": record.signer,
                    "dst": record.agreement,
                    "props": props(
                        date=record.date.isoformat() if record.date else None, source=record.source
                    ),
                },
            )
        )
    elif isinstance(record, Membership):
        out.append(
            (
                (RelType.MEMBER_OF, Label.COUNTRY, Label.ORGANIZATION, None),
                {
                    "src": record.country,
                    "dst": record.org,
                    "props": props(since=record.since, source=record.source),
                },
            )
        )
    elif isinstance(record, Contract):
        out.append(
            (
                (RelType.CONTRACTS, Label.ORGANIZATION, Label.ORGANIZATION, "program"),
                {
                    "src": record.customer,
                    "dst": record.contractor,
                    "key": record.program or "",
                    "props": props(year=record.year, value=record.value, source=record.source),
                },
            )
        )
    return out


def write_rejects(path: Path, rejected: list[Rejected]) -> None:
    # backslashreplace: a lone surrogate from a broken file is written as its JSON escape.
    with Path(path).open("w", encoding="utf-8", errors="backslashreplace") as out:
        for item in rejected:
            p = item.problem
            out.write(
                json.dumps(
                    {
                        "file": p.file,
                        "line": p.line,
                        "field": p.field,
                        "reason": p.reason,
                        "raw": bounded(item.raw),
                    },
                    ensure_ascii=False,
                    default=str,
                )
                + "\n"
            )


def load_items(
    store: Store,
    items: Iterable[Item],
    *,
    strict: bool = True,
    rejects_path: Path | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: ProgressFactory | None = None,
    derive: bool = True,
) -> LoadSummary:
    """Validate ``items`` and write them; see the module docstring for strict mode and rejects.

    Raises :class:`~orbitnet.errors.InvalidDataError` in strict mode when any row is bad.
    """
    located: list[Located] = []
    rejected: list[Rejected] = []
    read_cb = progress("Reading and validating", None) if progress else None
    for n, item in enumerate(items, 1):
        (located if isinstance(item, Located) else rejected).append(item)  # type: ignore[arg-type]
        if read_cb is not None and n % 5000 == 0:
            read_cb(5000)
    kept, dangling, labels = _check(store, located)
    rejected.extend(dangling)
    if strict and rejected:
        raise InvalidDataError([r.problem for r in rejected])

    store.setup_schema()
    node_groups: dict[tuple[Label, Label | None], list[dict[str, Any]]] = defaultdict(list)
    edge_groups: dict[tuple[RelType, Label, Label, str | None], list[dict[str, Any]]] = defaultdict(
        list
    )
    for item in kept:
        record = item.record
        if isinstance(record, Organization | Country | Mission | Program | Agreement):
            node_labels_ = node_labels(record)
            extra = node_labels_[1] if len(node_labels_) > 1 else None
            node_groups[(node_labels_[0], extra)].append(_node_row(record))
        for group, row in _edge_rows(record, labels):
            edge_groups[group].append(row)

    n_nodes = sum(len(v) for v in node_groups.values())
    n_edges = sum(len(v) for v in edge_groups.values())
    node_cb = progress("Writing nodes", n_nodes) if progress else None
    node_summary = writes.upsert_nodes(store, node_groups, batch_size=batch_size, progress=node_cb)
    edge_cb = progress("Writing relationships", n_edges) if progress else None
    edge_summary = writes.upsert_edges(store, edge_groups, batch_size=batch_size, progress=edge_cb)

    summary = LoadSummary(rejected=len(rejected))
    summary.nodes = {label.value: _created_updated(s) for label, s in node_summary.items()}
    rel_rows: dict[RelType, int] = defaultdict(int)
    for (rel, *_), rows in edge_groups.items():
        rel_rows[rel] += len(rows)
    summary.relationships = {
        rel.value: {
            "created": s.relationships_created,
            "updated": rel_rows[rel] - s.relationships_created,
        }
        for rel, s in edge_summary.items()
    }
    if rejects_path is not None and rejected:
        write_rejects(rejects_path, rejected)
        summary.rejects_file = str(rejects_path)
    if derive:
        summary.collaborations = derive_collaborations(store, batch_size=batch_size)
    return summary


def _created_updated(summary: WriteSummary) -> dict[str, int]:
    return {"created": summary.nodes_created, "updated": summary.rows - summary.nodes_created}


def derive_collaborations(store: Store, *, batch_size: int = DEFAULT_BATCH_SIZE) -> int:
    """Recompute every ``COLLABORATES_WITH`` edge from the stored participations and signatures."""
    from orbitnet.graph.collaboration import collaboration_graph, collaboration_rows
    from orbitnet.graph.projection import bipartite_graph

    # Read and rewrite under the store's write lock: without it, a concurrent load could write
    # its edges computed from an older graph last.
    with store.write_lock():
        rows = collaboration_rows(collaboration_graph(bipartite_graph(store)))
        writes.replace_collaborations(
            store,
            [
                {
                    "src": r["src"],
                    "dst": r["dst"],
                    "props": {
                        k: v for k, v in r.items() if k not in ("src", "dst") and v is not None
                    },
                }
                for r in rows
            ],
            batch_size=batch_size,
        )
    return len(rows)
