"""GraphML and GEXF: the record layer, in the convention :mod:`orbitnet.loaders.graph_files` reads.

Nodes carry ``record`` (``organization``, ``country``, ``mission``, ``program``, ``agreement``),
``id`` and their model fields; edges carry ``record`` (``participation``, ``signature``,
``membership``, ``contract``) and their fields, the two ends being the edge's source and target.
``PART_OF`` and ``BASED_IN`` are node fields in that convention (``parent``, ``programs``,
``program``, ``country``), so they are written as such, not as edges. List fields are
``|``-joined. Gephi shows the ``label`` (GraphML key / GEXF attribute) and can size and colour
nodes by the stored metrics, written as extra node attributes that the loader ignores.

The derived ``COLLABORATES_WITH`` edges are not written: every load recomputes them, and an edge
whose ``record`` is not a record type would be refused by the loader. Export ``cytoscape``,
``neo4j-csv`` or ``cypher`` to keep them.

Values are XML-escaped (``&``, ``<``, ``>``, quotes; tabs, newlines and carriage returns as
character references so that no parser normalises them away). XML 1.0 cannot hold most control
characters at all: those are replaced by U+FFFD, with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from orbitnet.export.graph import PropertyGraph, metric_names, scalar_text, value_kind
from orbitnet.export.records import records_from_graph
from orbitnet.loaders.base import Located, Rejected
from orbitnet.loaders.graph_files import EDGE_ENDS
from orbitnet.model import NODE_LABELS, RelType, node_labels

__all__ = ["write_gexf", "write_graphml"]

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ESCAPES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "\t": "&#9;",
    "\n": "&#10;",
    "\r": "&#13;",
}
_ESCAPE_RE = re.compile('[&<>"\t\n\r]')
_GRAPHML_TYPES = {"boolean": "boolean", "int": "int", "long": "long", "double": "double"}
_GEXF_TYPES = {"boolean": "boolean", "int": "integer", "long": "long", "double": "double"}


@dataclass
class _Element:
    xml_id: str
    attrs: dict[str, Any]
    label: str = ""


@dataclass
class XmlResult:
    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


class _Escaper:
    def __init__(self) -> None:
        self.replaced: dict[str, int] = {}

    def __call__(self, text: str, where: str) -> str:
        if _XML_INVALID.search(text):
            text, n = _XML_INVALID.subn("\ufffd", text)
            self.replaced[where] = self.replaced.get(where, 0) + n
        return _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group()], text)


def _elements(
    graph: PropertyGraph, *, include_metrics: bool
) -> tuple[list[_Element], list[tuple[str, str, str, dict[str, Any]]], XmlResult]:
    """Node elements, edges as (id, source, target, attrs), and counts and warnings."""
    result = XmlResult()
    metrics = metric_names() if include_metrics else ()
    # XML ids: the record id, unless two labels share it (then "Label:id"; the loaders refuse
    # such files, since ids are unique across labels there).
    seen: dict[str, int] = {}
    for _, node_id in graph.nodes:
        seen[node_id] = seen.get(node_id, 0) + 1
    shared = sorted(i for i, n in seen.items() if n > 1)
    if shared:
        result.warnings.append(
            "ids used by nodes of more than one label (written as 'Label:id'; orbitnet's loaders "
            f"take ids as unique): {', '.join(shared[:10])}"
        )
    xml_ids: dict[str, str] = {}
    for label in reversed(NODE_LABELS):  # the first label in NODE_LABELS order wins edges
        for lbl, node_id in graph.nodes:
            if lbl == label:
                xml_ids[node_id] = f"{label.value}:{node_id}" if node_id in shared else node_id

    nodes: list[_Element] = []
    edges: list[tuple[str, str, str, dict[str, Any]]] = []
    piped: list[str] = []
    node_counts: dict[str, int] = {}
    for item in records_from_graph(graph, check_typos=False):
        if isinstance(item, Rejected):
            result.warnings.append(f"not written: {item.problem}")
            continue
        assert isinstance(item, Located)
        record = item.record
        attrs = record.model_dump(mode="json", exclude_none=True)
        for name, value in list(attrs.items()):
            if isinstance(value, list):
                if any("|" in str(v) for v in value):
                    piped.append(f"{getattr(record, 'id', '?')}.{name}")
                if value:
                    attrs[name] = "|".join(str(v) for v in value)
                else:
                    del attrs[name]
        if hasattr(record, "id") and hasattr(record, "name"):
            label = node_labels(record)[0]  # type: ignore[arg-type]
            node = graph.nodes[(label, record.id)]
            for name in metrics:
                if name in node.props and name not in attrs:
                    attrs[name] = node.props[name]
            xml_id = f"{label.value}:{record.id}" if record.id in shared else record.id
            nodes.append(_Element(xml_id, attrs, label=str(attrs.get("name", ""))))
            node_counts[label.value] = node_counts.get(label.value, 0) + 1
        else:
            first, second = EDGE_ENDS[attrs["record"]]
            src, dst = attrs.pop(first), attrs.pop(second)
            edges.append((f"e{len(edges)}", xml_ids.get(src, src), xml_ids.get(dst, dst), attrs))
    if piped:
        result.warnings.append(
            "list items containing '|' cannot be told apart when read back (lists are "
            f"'|'-joined): {', '.join(piped[:10])}"
        )
    result.nodes = dict(sorted(node_counts.items()))
    rel_counts: dict[str, int] = {}
    for rel in graph.relationships:
        if rel.type != RelType.COLLABORATES_WITH:
            rel_counts[rel.type.value] = rel_counts.get(rel.type.value, 0) + 1
    result.relationships = dict(sorted(rel_counts.items()))
    return nodes, edges, result


def _keys(elements: Iterable[dict[str, Any]]) -> dict[str, str]:
    """Attribute name -> value kind, in first-seen order."""
    columns: dict[str, list[Any]] = {}
    for attrs in elements:
        for name, value in attrs.items():
            columns.setdefault(name, []).append(value)
    return {name: value_kind(values) for name, values in columns.items()}


def write_graphml(graph: PropertyGraph, path: Path, *, include_metrics: bool = True) -> XmlResult:
    nodes, edges, result = _elements(graph, include_metrics=include_metrics)
    for node in nodes:
        if node.label:
            node.attrs["label"] = node.label
    esc = _Escaper()
    node_keys = _keys(n.attrs for n in nodes)
    edge_keys = _keys(e[3] for e in edges)
    key_ids: dict[tuple[str, str], str] = {}
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write(
            '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"\n'
            '         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"\n'
            '         xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
            'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
        )
        out.write(
            "  <!-- orbitnet export: the record layer (orbitnet/loaders/graph_files.py reads it "
            "back with 'orbitnet load') -->\n"
        )
        for domain, keys in (("node", node_keys), ("edge", edge_keys)):
            for name, kind in keys.items():
                key_id = f"{domain[0]}{len(key_ids)}"
                key_ids[(domain, name)] = key_id
                out.write(
                    f'  <key id="{key_id}" for="{domain}" attr.name="{esc(name, "key")}" '
                    f'attr.type="{_GRAPHML_TYPES.get(kind, "string")}"/>\n'
                )
        out.write('  <graph id="orbitnet" edgedefault="directed">\n')
        for node in nodes:
            out.write(f'    <node id="{esc(node.xml_id, node.xml_id)}">\n')
            _graphml_data(out, node.attrs, "node", key_ids, esc, node.xml_id)
            out.write("    </node>\n")
        for edge_id, src, dst, attrs in edges:
            out.write(
                f'    <edge id="{edge_id}" source="{esc(src, edge_id)}" '
                f'target="{esc(dst, edge_id)}">\n'
            )
            _graphml_data(out, attrs, "edge", key_ids, esc, f"{src} → {dst}")
            out.write("    </edge>\n")
        out.write("  </graph>\n</graphml>\n")
    result.warnings.extend(_replaced_warning(esc))
    return result


def _graphml_data(
    out: TextIO,
    attrs: dict[str, Any],
    domain: str,
    key_ids: dict[tuple[str, str], str],
    esc: _Escaper,
    where: str,
) -> None:
    for name, value in attrs.items():
        out.write(
            f'      <data key="{key_ids[(domain, name)]}">{esc(scalar_text(value), where)}</data>\n'
        )


def write_gexf(graph: PropertyGraph, path: Path, *, include_metrics: bool = True) -> XmlResult:
    nodes, edges, result = _elements(graph, include_metrics=include_metrics)
    esc = _Escaper()
    node_keys = _keys(n.attrs for n in nodes)
    edge_keys = _keys(e[3] for e in edges)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write('<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">\n')
        out.write(
            "  <meta><creator>orbitnet</creator><description>orbitnet export: the record layer "
            "(orbitnet/loaders/graph_files.py reads it back with 'orbitnet load')"
            "</description></meta>\n"
        )
        out.write('  <graph mode="static" defaultedgetype="directed">\n')
        ids: dict[tuple[str, str], str] = {}
        for domain, keys in (("node", node_keys), ("edge", edge_keys)):
            out.write(f'    <attributes class="{domain}">\n')
            for i, (name, kind) in enumerate(keys.items()):
                ids[(domain, name)] = str(i)
                out.write(
                    f'      <attribute id="{i}" title="{esc(name, "attribute")}" '
                    f'type="{_GEXF_TYPES.get(kind, "string")}"/>\n'
                )
            out.write("    </attributes>\n")
        out.write("    <nodes>\n")
        for node in nodes:
            out.write(
                f'      <node id="{esc(node.xml_id, node.xml_id)}" '
                f'label="{esc(node.label, node.xml_id)}">\n'
            )
            _gexf_values(out, node.attrs, "node", ids, esc, node.xml_id)
            out.write("      </node>\n")
        out.write("    </nodes>\n    <edges>\n")
        for edge_id, src, dst, attrs in edges:
            out.write(
                f'      <edge id="{edge_id}" source="{esc(src, edge_id)}" '
                f'target="{esc(dst, edge_id)}">\n'
            )
            _gexf_values(out, attrs, "edge", ids, esc, f"{src} → {dst}")
            out.write("      </edge>\n")
        out.write("    </edges>\n  </graph>\n</gexf>\n")
    result.warnings.extend(_replaced_warning(esc))
    return result


def _gexf_values(
    out: TextIO,
    attrs: dict[str, Any],
    domain: str,
    ids: dict[tuple[str, str], str],
    esc: _Escaper,
    where: str,
) -> None:
    out.write("        <attvalues>\n")
    for name, value in attrs.items():
        out.write(
            f'          <attvalue for="{ids[(domain, name)]}" '
            f'value="{esc(scalar_text(value), where)}"/>\n'
        )
    out.write("        </attvalues>\n")


def _replaced_warning(esc: _Escaper) -> Iterator[str]:
    if esc.replaced:
        where = ", ".join(sorted(esc.replaced)[:10])
        total = sum(esc.replaced.values())
        yield (
            f"{total} character(s) that XML 1.0 cannot hold (control characters) replaced by "
            f"U+FFFD in: {where}"
        )
