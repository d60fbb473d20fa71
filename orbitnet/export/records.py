"""From the property-graph form back to model records: what the record layer of a graph is.

Used in both directions: the GraphML/GEXF exporter writes the records of the stored graph (the
convention of :mod:`orbitnet.loaders.graph_files`), and the loaders of the other export formats
(:mod:`orbitnet.loaders.cytoscape`, :mod:`orbitnet.loaders.neo4j_admin`) read a file into a
:class:`~orbitnet.export.graph.PropertyGraph` and turn it into records here, which
:func:`~orbitnet.loaders.pipeline.load_items` writes back as the same nodes and relationships.

The mapping is the pipeline's, read backwards:

========================================  ===================================================
relationship                              record
========================================  ===================================================
``(Organization)-[:PARTICIPATES_IN]->``    :class:`~orbitnet.model.Participation`
``(Organization|Country)-[:SIGNED]->``     :class:`~orbitnet.model.Signature`
``(Country)-[:MEMBER_OF]->``               :class:`~orbitnet.model.Membership`
``(Organization)-[:CONTRACTS]->``          :class:`~orbitnet.model.Contract` (an empty
                                          ``program`` is none)
``(Organization)-[:PART_OF]->(Organization)``  ``Organization.parent`` (one parent)
``(Mission)-[:PART_OF]->(Program)``        ``Mission.programs``
``(Agreement)-[:PART_OF]->(Program)``      ``Agreement.program`` (one programme)
``(Organization)-[:BASED_IN]->(Country)``  ``Organization.country`` (upper case)
``COLLABORATES_WITH``                     nothing: derived, recomputed by every load
========================================  ===================================================

A relationship the records cannot hold (a second parent, a ``PART_OF`` between other labels) is a
:class:`~orbitnet.loaders.base.Rejected` item, so nothing is lost without a word. Node properties
that are not fields of the model (metrics, layout, colours) are ignored, except, with
``check_typos``, a name within a typo of a field (``sectr``), which is a problem.
"""

from __future__ import annotations

import difflib
import typing
from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import BaseModel

from orbitnet.errors import Problem
from orbitnet.export.graph import Node, PropertyGraph, Relationship, Where
from orbitnet.loaders.base import Item, Located, Rejected, validate
from orbitnet.model import (
    Agreement,
    AnyRecord,
    Contract,
    Country,
    Label,
    Membership,
    Mission,
    Organization,
    Participation,
    Program,
    RelType,
    Sector,
    Signature,
)

__all__ = ["EDGE_RECORDS", "NODE_RECORDS", "REL_ENDS", "records_from_graph"]

NODE_RECORDS: dict[Label, type[BaseModel]] = {
    Label.ORGANIZATION: Organization,
    Label.COUNTRY: Country,
    Label.MISSION: Mission,
    Label.PROGRAM: Program,
    Label.AGREEMENT: Agreement,
}
EDGE_RECORDS: dict[RelType, tuple[type[BaseModel], str, str]] = {
    RelType.PARTICIPATES_IN: (Participation, "org", "target"),
    RelType.SIGNED: (Signature, "signer", "agreement"),
    RelType.MEMBER_OF: (Membership, "country", "org"),
    RelType.CONTRACTS: (Contract, "customer", "contractor"),
}
"""Relationship type -> (record model, field of the start, field of the end)."""

REL_ENDS: dict[RelType, tuple[frozenset[Label], frozenset[Label]]] = {
    RelType.PARTICIPATES_IN: (
        frozenset({Label.ORGANIZATION}),
        frozenset({Label.MISSION, Label.PROGRAM, Label.AGREEMENT}),
    ),
    RelType.SIGNED: (frozenset({Label.ORGANIZATION, Label.COUNTRY}), frozenset({Label.AGREEMENT})),
    RelType.MEMBER_OF: (frozenset({Label.COUNTRY}), frozenset({Label.ORGANIZATION})),
    RelType.CONTRACTS: (frozenset({Label.ORGANIZATION}), frozenset({Label.ORGANIZATION})),
}
"""The labels each record relationship may start and end at."""

_FOLDED = {
    (Label.ORGANIZATION, RelType.PART_OF): (Label.ORGANIZATION, "parent"),
    (Label.MISSION, RelType.PART_OF): (Label.PROGRAM, "programs"),
    (Label.AGREEMENT, RelType.PART_OF): (Label.PROGRAM, "program"),
    (Label.ORGANIZATION, RelType.BASED_IN): (Label.COUNTRY, "country"),
}
"""(start label, type) -> (end label, node field) for relationships that are node fields."""

_IGNORED = frozenset({"id", "record", "label", "labels"})


def records_from_graph(graph: PropertyGraph, *, check_typos: bool = True) -> Iterator[Item]:
    """Yield the records of ``graph``: every node, then every relationship record.

    Each item carries the file and line of its :class:`~orbitnet.export.graph.Where`.
    """
    folded: dict[tuple[Label, str], list[Relationship]] = defaultdict(list)
    edges: list[Item] = []
    for rel in graph.relationships:
        if rel.type == RelType.COLLABORATES_WITH:
            continue
        if rel.type in (RelType.PART_OF, RelType.BASED_IN):
            start_label = rel.start[0]
            if start_label is not None and (start_label, rel.start[1]) in graph.nodes:
                folded[(start_label, rel.start[1])].append(rel)
            else:
                edges.append(
                    _reject(
                        rel,
                        f"a {rel.type.value} relationship is a field of its start node, "
                        f"and {rel.start[1]!r} is not a node of this file",
                    )
                )
            continue
        edges.extend(_edge_record(rel, check_typos))
    for key, node in graph.nodes.items():
        yield from _node_record(node, folded.get(key, []), check_typos)
    yield from edges


def _reject(rel: Relationship, reason: str, field: str = "(relationship)") -> Rejected:
    where = rel.where
    name = f"{where.field}.{field}" if where.field else field
    raw = {"type": rel.type.value, "start": rel.start[1], "end": rel.end[1], **rel.props}
    return Rejected(Problem(where.file, where.line, name, reason), raw)


def _problem(where: Where, field: str, reason: str) -> Problem:
    return Problem(
        where.file, where.line, f"{where.field}.{field}" if where.field else field, reason
    )


def _typos(
    model: type[BaseModel], props: Mapping[str, Any], where: Where, skip: frozenset[str]
) -> list[Problem]:
    """A problem for each property named within a typo of a field it is not."""
    fields = [f for f in model.model_fields if f != "record" and f not in skip]
    problems = []
    for name in props:
        if name in model.model_fields or name in _IGNORED:
            continue
        close = difflib.get_close_matches(name.lower(), fields, n=1, cutoff=0.85)
        if close:
            problems.append(
                _problem(where, name, f"unknown property {name!r} (did you mean {close[0]!r}?)")
            )
    return problems


def _node_record(node: Node, folded: list[Relationship], check_typos: bool) -> Iterator[Item]:
    model = NODE_RECORDS[node.label]
    data: dict[str, Any] = {
        k: v for k, v in node.props.items() if k in model.model_fields and k != "record"
    }
    data["id"] = node.id
    if check_typos:
        problems = _typos(model, node.props, node.where, frozenset())
        if problems:
            for problem in problems:
                yield Rejected(problem, {"id": node.id, **node.props})
            return
    if model is Organization and "sector" not in data:
        sector = next((s for s in Sector if s.label in node.labels), None)
        if sector is not None:
            data["sector"] = sector.value
    rejected: list[Rejected] = []
    for rel in folded:
        target = _FOLDED.get((node.label, rel.type))
        end_label, end_id = rel.end
        if target is None:
            rejected.append(
                _reject(
                    rel,
                    f"a {rel.type.value} relationship from a {node.label.value} has no place "
                    "in the records (see orbitnet.export.records)",
                )
            )
            continue
        expected, name = target
        if end_label is not None and end_label != expected:
            rejected.append(
                _reject(
                    rel,
                    f"{rel.type.value} from a {node.label.value} goes to a {expected.value}, "
                    f"not a {end_label.value}",
                )
            )
            continue
        if name == "programs":
            programs = list(data.get("programs") or ())
            if end_id not in programs:
                programs.append(end_id)
            data["programs"] = programs
            continue
        value = end_id.upper() if name == "country" else end_id
        current = data.get(name)
        if current is None:
            data[name] = value
        elif (str(current).upper() if name == "country" else current) != value:
            rejected.append(
                _reject(
                    rel,
                    f"{node.id!r} already has {name} {current!r}; a {node.label.value} holds one "
                    f"{name}, so this {rel.type.value} to {end_id!r} cannot be kept",
                )
            )
    prefix = f"{node.where.field}." if node.where.field else ""
    result = validate(model, data, file=node.where.file, line=node.where.line, prefix=prefix)
    if isinstance(result, list):
        for problem in result:
            yield Rejected(problem, {"id": node.id, **node.props})
    else:
        yield Located(typing.cast(AnyRecord, result), node.where.file, node.where.line)
    yield from rejected


def _edge_record(rel: Relationship, check_typos: bool) -> Iterator[Item]:
    entry = EDGE_RECORDS.get(rel.type)
    if entry is None:
        yield _reject(rel, f"{rel.type.value} is not a record relationship")
        return
    model, first, second = entry
    starts, ends = REL_ENDS[rel.type]
    for (label, _), allowed, side in ((rel.start, starts, "start"), (rel.end, ends, "end")):
        if label is not None and label not in allowed:
            names = " or ".join(sorted(lbl.value for lbl in allowed))
            yield _reject(
                rel, f"a {rel.type.value} relationship's {side} is a {names}, not a {label.value}"
            )
            return
    ends_fields = frozenset({first, second})
    if check_typos:
        problems = _typos(model, rel.props, rel.where, ends_fields)
        if problems:
            for problem in problems:
                yield Rejected(problem, dict(rel.props))
            return
    data = {
        k: v
        for k, v in rel.props.items()
        if k in model.model_fields and k not in ends_fields and k != "record"
    }
    data[first], data[second] = rel.start[1], rel.end[1]
    if model is Participation:
        data.setdefault("role", "partner")
    if model is Contract and data.get("program") == "":
        data.pop("program")
    where = rel.where
    prefix = f"{where.field}." if where.field else ""
    result = validate(model, data, file=where.file, line=where.line, prefix=prefix)
    if isinstance(result, list):
        for problem in result:
            yield Rejected(problem, dict(data))
    else:
        yield Located(typing.cast(AnyRecord, result), where.file, where.line)
