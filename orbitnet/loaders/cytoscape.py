"""Load Cytoscape.js JSON (as ``orbitnet export --format cytoscape`` writes it) as records.

The file is ``{"elements": {"nodes": [...], "edges": [...]}}`` (or ``{"elements": [...]}`` with
``"group": "nodes" | "edges"``, or a bare list of elements), each element ``{"data": {...}}``:

Nodes
    ``data.id`` is the element id, and the record id unless ``data.orbitnet_id`` is given.
    ``data.labels`` (``["Organization", "Agency"]``) or else ``data.record`` (``organization``,
    ``country``, ``mission``, ``program``, ``agreement``) says what the node is; without either
    it is an organisation, which then needs a ``sector``. Other keys are properties; ``name``
    falls back to ``label``. Cytoscape's own keys (``parent``, ``label``, ``labels``) are not.
Edges
    ``data.source`` and ``data.target`` name element ids (an id that is no element of the file
    is taken as the id of a node already in the database); ``data.type`` (or ``interaction``) is
    the relationship type: ``PARTICIPATES_IN``, ``SIGNED``, ``MEMBER_OF``, ``CONTRACTS``, and
    ``PART_OF`` and ``BASED_IN``, which become fields of their start node
    (see :mod:`orbitnet.export.records`). ``COLLABORATES_WITH`` is skipped: it is derived, and
    recomputed by every load. Without a type, the kind is told from the ends as
    :mod:`orbitnet.loaders.graph_files` does.

A property whose name collides with one of those keys is written with the prefix ``node_`` or
``edge_`` (a relationship's ``source`` is ``edge_source``); one prefix is removed on reading.
Properties that are no field of the model (metrics, styles) are ignored, except names within a
typo of a field. JSON carries no line numbers per element: problems name the element, e.g.
``elements.nodes[3].name``; malformed JSON is one problem at its line.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from typing import Any

from orbitnet.errors import Problem
from orbitnet.export.cytoscape import EDGE_PREFIX, NODE_PREFIX, unescape_key
from orbitnet.export.graph import Node, NodeKey, PropertyGraph, Relationship, Where, model_labels
from orbitnet.export.records import records_from_graph
from orbitnet.loaders.base import Item, Rejected
from orbitnet.model import Label, RelType

__all__ = ["read_cytoscape_json"]

_NODE_KEYS = frozenset({"id", "orbitnet_id", "record", "labels", "label", "parent"})
_EDGE_KEYS = frozenset({"id", "source", "target", "type", "interaction", "record", "parent"})
_RECORD_LABELS = {
    "organization": Label.ORGANIZATION,
    "country": Label.COUNTRY,
    "mission": Label.MISSION,
    "program": Label.PROGRAM,
    "agreement": Label.AGREEMENT,
}
_EDGE_RECORD_TYPES = {
    "participation": RelType.PARTICIPATES_IN,
    "signature": RelType.SIGNED,
    "membership": RelType.MEMBER_OF,
    "contract": RelType.CONTRACTS,
}
_INFERRED = {
    (Label.ORGANIZATION, Label.MISSION): RelType.PARTICIPATES_IN,
    (Label.ORGANIZATION, Label.PROGRAM): RelType.PARTICIPATES_IN,
    (Label.ORGANIZATION, Label.AGREEMENT): RelType.SIGNED,
    (Label.COUNTRY, Label.AGREEMENT): RelType.SIGNED,
    (Label.COUNTRY, Label.ORGANIZATION): RelType.MEMBER_OF,
}


def read_cytoscape_json(path: str | os.PathLike[str]) -> Iterator[Item]:
    """Yield the records of a Cytoscape.js JSON file (see the module docstring).

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> doc = {"elements": {"nodes": [
    ...     {"data": {"id": "nasa", "record": "organization", "name": "NASA",
    ...               "sector": "agency"}},
    ...     {"data": {"id": "jwst", "record": "mission", "name": "JWST", "kind": "observatory"}}],
    ...   "edges": [{"data": {"id": "e0", "source": "nasa", "target": "jwst",
    ...                       "type": "PARTICIPATES_IN", "role": "lead"}}]}}
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "webb.json"
    >>> _ = path.write_text(json.dumps(doc))
    >>> [type(item.record).__name__ for item in read_cytoscape_json(path)]
    ['Organization', 'Mission', 'Participation']
    """
    file = str(path)
    try:
        with open(file, encoding="utf-8") as handle:
            doc = json.load(handle)
    except json.JSONDecodeError as exc:
        yield Rejected(Problem(file, exc.lineno, "(json)", f"malformed JSON: {exc.msg}"))
        return
    except UnicodeDecodeError as exc:
        yield Rejected(Problem(file, None, "(file)", f"not UTF-8 text: {exc.reason}"))
        return
    found = _elements(doc)
    if isinstance(found, str):
        yield Rejected(Problem(file, None, "elements", found))
        return
    graph, problems = _graph(file, *found)
    yield from problems
    yield from records_from_graph(graph)


def _elements(doc: Any) -> tuple[list[tuple[str, Any]], list[tuple[str, Any]]] | str:
    """(where, element) for nodes and edges, or what is wrong with the document."""
    elements = doc.get("elements") if isinstance(doc, Mapping) else doc
    if isinstance(elements, Mapping):
        nodes, edges = elements.get("nodes", []), elements.get("edges", [])
        if not isinstance(nodes, list) or not isinstance(edges, list):
            return "'elements.nodes' and 'elements.edges' must be lists"
        return (
            [(f"elements.nodes[{i}]", e) for i, e in enumerate(nodes)],
            [(f"elements.edges[{i}]", e) for i, e in enumerate(edges)],
        )
    if isinstance(elements, list):
        out_nodes: list[tuple[str, Any]] = []
        out_edges: list[tuple[str, Any]] = []
        for i, element in enumerate(elements):
            data = element.get("data") if isinstance(element, Mapping) else None
            group = element.get("group") if isinstance(element, Mapping) else None
            is_edge = group == "edges" or (
                group is None and isinstance(data, Mapping) and "source" in data
            )
            (out_edges if is_edge else out_nodes).append((f"elements[{i}]", element))
        return out_nodes, out_edges
    return 'a Cytoscape.js document is {"elements": {"nodes": [...], "edges": [...]}}'


def _data(file: str, where: str, element: Any) -> dict[str, Any] | Rejected:
    data = element.get("data") if isinstance(element, Mapping) else None
    if not isinstance(data, Mapping):
        return Rejected(Problem(file, None, where, 'an element is {"data": {...}}'), None)
    element_id = data.get("id")
    if element_id is not None and not isinstance(element_id, str | int):
        return Rejected(Problem(file, None, f"{where}.id", "an element id is a string"), None)
    return dict(data)


def _graph(
    file: str, nodes: list[tuple[str, Any]], edges: list[tuple[str, Any]]
) -> tuple[PropertyGraph, list[Rejected]]:
    graph = PropertyGraph()
    problems: list[Rejected] = []
    by_element: dict[str, tuple[Label, str]] = {}
    for where, element in nodes:
        data = _data(file, where, element)
        if isinstance(data, Rejected):
            problems.append(data)
            continue
        element_id = data.get("id")
        if element_id is None or str(element_id) == "":
            problems.append(
                Rejected(Problem(file, None, f"{where}.id", "a node needs an id"), data)
            )
            continue
        element_id = str(element_id)
        if element_id in by_element:
            problems.append(
                Rejected(
                    Problem(file, None, f"{where}.id", f"element id {element_id!r} is used twice"),
                    data,
                )
            )
            continue
        labels = _labels(data)
        if isinstance(labels, str):
            problems.append(Rejected(Problem(file, None, f"{where}.record", labels), data))
            continue
        record_id = str(data.get("orbitnet_id") or element_id)
        props = {
            unescape_key(k, NODE_PREFIX): v
            for k, v in data.items()
            if k not in _NODE_KEYS and v is not None
        }
        if "name" not in props and isinstance(data.get("label"), str):
            props["name"] = data["label"]
        node = Node(labels[0], record_id, labels, props, Where(file, None, where))
        if node.key in graph.nodes:
            problems.append(
                Rejected(
                    Problem(
                        file,
                        None,
                        f"{where}.id",
                        f"{labels[0].value} {record_id!r} is already at "
                        f"{graph.nodes[node.key].where.field}",
                    ),
                    data,
                )
            )
            continue
        by_element[element_id] = node.key
        graph.nodes[node.key] = node

    for where, element in edges:
        data = _data(file, where, element)
        if isinstance(data, Rejected):
            problems.append(data)
            continue
        ends: list[NodeKey] = []
        for side in ("source", "target"):
            value = data.get(side)
            if value is None or str(value) == "":
                problems.append(
                    Rejected(
                        Problem(file, None, f"{where}.{side}", f"an edge needs a {side}"), data
                    )
                )
                break
            ends.append(by_element.get(str(value), (None, str(value))))
        if len(ends) != 2:
            continue
        rel_type = _rel_type(data, ends[0][0], ends[1][0])
        if rel_type is None:
            problems.append(
                Rejected(
                    Problem(
                        file,
                        None,
                        f"{where}.type",
                        "an edge needs a 'type' (PARTICIPATES_IN, SIGNED, MEMBER_OF, CONTRACTS, "
                        f"PART_OF, BASED_IN), got {data.get('type', data.get('interaction'))!r}",
                    ),
                    data,
                )
            )
            continue
        props = {
            unescape_key(k, EDGE_PREFIX): v
            for k, v in data.items()
            if k not in _EDGE_KEYS and v is not None
        }
        graph.relationships.append(
            Relationship(rel_type, ends[0], ends[1], props, Where(file, None, where))
        )
    return graph, problems


def _labels(data: Mapping[str, Any]) -> tuple[Label, ...] | str:
    given = data.get("labels")
    if isinstance(given, list):
        labels = model_labels(str(lbl) for lbl in given)
        if labels:
            return labels
    record = data.get("record")
    if record is None and not isinstance(given, list):
        return (Label.ORGANIZATION,)
    label = _RECORD_LABELS.get(str(record).strip().lower()) if record is not None else None
    if label is None:
        return (
            f"unknown node record {record!r} (labels {given!r}); expected one of "
            f"{', '.join(_RECORD_LABELS)}"
        )
    return (label,)


def _rel_type(data: Mapping[str, Any], start: Label | None, end: Label | None) -> RelType | None:
    given = data.get("type", data.get("interaction"))
    if isinstance(given, str) and given.strip():
        name = given.strip().upper()
        if name in {t.value for t in RelType}:
            return RelType(name)
        return None
    record = data.get("record")
    if isinstance(record, str) and record.strip().lower() in _EDGE_RECORD_TYPES:
        return _EDGE_RECORD_TYPES[record.strip().lower()]
    if start is not None and end is not None:
        return _INFERRED.get((start, end))
    return None
