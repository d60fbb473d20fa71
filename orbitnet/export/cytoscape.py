"""Cytoscape.js JSON (``cy.add(json.elements)``; Cytoscape desktop imports it too).

::

    {"format_version": "1.0", "generated_by": "orbitnet", "target_cytoscapejs_version": "~2.1",
     "data": {"name": "orbitnet", "derived": true},
     "elements": {
       "nodes": [{"data": {"id": "nasa", "record": "organization",
                           "labels": ["Organization", "Agency"], "name": "NASA", ...}}],
       "edges": [{"data": {"id": "edge:0", "source": "nasa", "target": "jwst",
                           "type": "PARTICIPATES_IN", "interaction": "PARTICIPATES_IN",
                           "role": "lead", ...}}]}}

Every node and relationship of the graph is an element, ``PART_OF``, ``BASED_IN`` and (unless left
out) the derived ``COLLABORATES_WITH`` included; properties are ``data`` fields with their JSON
types (lists stay lists). A node's element id is its orbitnet id; only when two labels share an
id is it ``Label:id``, with the id in ``orbitnet_id``. Edge ids are ``edge:N``.

Some ``data`` keys mean something to Cytoscape.js or to this format (``id``, ``source``,
``target``, ``parent`` (compound nodes), ``type``, ...). A property with such a name, or one that
starts with the escape prefix, is written with a prefix: ``node_`` on nodes, ``edge_`` on edges.
So a relationship's provenance ``source`` is ``edge_source``; :mod:`orbitnet.loaders.cytoscape`
removes one prefix when reading. NaN and infinite numbers, which JSON cannot hold, are left out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from orbitnet.export.graph import NodeKey, PropertyGraph, is_finite

__all__ = [
    "EDGE_PREFIX",
    "EDGE_RESERVED",
    "NODE_PREFIX",
    "NODE_RESERVED",
    "escape_key",
    "unescape_key",
    "write_cytoscape",
]

NODE_RESERVED = frozenset({"id", "orbitnet_id", "record", "labels", "label", "parent"})
EDGE_RESERVED = frozenset({"id", "source", "target", "type", "interaction", "record", "parent"})
NODE_PREFIX = "node_"
EDGE_PREFIX = "edge_"


def escape_key(name: str, reserved: frozenset[str], prefix: str) -> str:
    """The ``data`` key of a property: prefixed when reserved or already prefixed."""
    return prefix + name if name in reserved or name.startswith(prefix) else name


def unescape_key(key: str, prefix: str) -> str:
    return key[len(prefix) :] if key.startswith(prefix) else key


@dataclass
class JsonResult:
    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def element_ids(graph: PropertyGraph) -> dict[NodeKey, str]:
    counts: dict[str, int] = {}
    for _, node_id in graph.nodes:
        counts[node_id] = counts.get(node_id, 0) + 1
    return {
        key: (f"{key[0].value}:{key[1]}" if counts[key[1]] > 1 else key[1]) for key in graph.nodes
    }


def write_cytoscape(graph: PropertyGraph, path: Path, *, derived: bool) -> JsonResult:
    result = JsonResult()
    result.nodes, result.relationships = graph.counts()
    ids = element_ids(graph)
    dropped: list[str] = []

    def put(
        data: dict[str, Any],
        props: dict[str, Any],
        reserved: frozenset[str],
        prefix: str,
        where: str,
    ) -> None:
        for name, value in props.items():
            if value is None:
                continue
            if not is_finite(value) or (
                isinstance(value, list) and not all(is_finite(v) for v in value)
            ):
                dropped.append(f"{where}.{name}")
                continue
            data[escape_key(name, reserved, prefix)] = value

    with path.open("w", encoding="utf-8", newline="\n") as out:
        header = {
            "format_version": "1.0",
            "generated_by": "orbitnet",
            "target_cytoscapejs_version": "~2.1",
            "data": {"name": "orbitnet", "derived": derived},
        }
        out.write(_dumps(header)[:-1] + ',\n"elements": {"nodes": [\n')
        first = True
        for key, node in graph.nodes.items():
            data: dict[str, Any] = {"id": ids[key]}
            if ids[key] != node.id:
                data["orbitnet_id"] = node.id
            data["record"] = node.label.value.lower()
            data["labels"] = [lbl.value for lbl in node.labels]
            put(data, node.props, NODE_RESERVED, NODE_PREFIX, node.id)
            first = _element(out, {"data": data}, first)
        out.write('\n], "edges": [\n')
        first = True
        for i, rel in enumerate(graph.relationships):
            data = {
                "id": f"edge:{i}",
                "source": ids[rel.start],
                "target": ids[rel.end],
                "type": rel.type.value,
                "interaction": rel.type.value,
            }
            put(data, rel.props, EDGE_RESERVED, EDGE_PREFIX, f"edge:{i}")
            first = _element(out, {"data": data}, first)
        out.write("\n]}}\n")
    if dropped:
        result.warnings.append(
            "NaN or infinite numbers left out (JSON cannot hold them): " + ", ".join(dropped[:10])
        )
    return result


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(", ", ": "))


def _element(out: TextIO, element: dict[str, Any], first: bool) -> bool:
    if not first:
        out.write(",\n")
    out.write(_dumps(element))
    return False
