"""A Cypher script that recreates the graph in an empty Neo4j 5 database.

Run it with ``cypher-shell -f orbitnet.cypher`` (or ``:source orbitnet.cypher`` inside
cypher-shell), or paste it into Neo4j Browser's editor, which runs the statements one by one.
The script is, in order:

1. the uniqueness constraints, exactly :func:`orbitnet.cypher.statements.neo4j_schema`;
2. the nodes, per label combination, ``batch_size`` rows a statement::

       UNWIND [
       {id: 'nasa', `name`: 'NASA', `aliases`: ['NASA']},
       ...
       ] AS row
       CREATE (n:Organization:Agency)
       SET n += row;

3. the relationships, per type and end labels, matched by label and id::

       UNWIND [
       {src: 'nasa', dst: 'jwst', props: {`role`: 'lead'}},
       ...
       ] AS row
       MATCH (a:Organization {id: row.src})
       MATCH (b:Mission {id: row.dst})
       CREATE (a)-[r:PARTICIPATES_IN]->(b)
       SET r += row.props;

``CREATE``, not ``MERGE``: the script is for an empty database, and run a second time it stops at
the first node (the constraints refuse the duplicate) instead of doubling relationships.

Safe to split: every statement ends with ``;`` at the end of a line, and no other line does.
Values are literals, never identifiers: strings are single-quoted with ``\\\\``, ``\\'``, ``\\n``,
``\\r``, ``\\t``, ``\\b`` and ``\\f`` escaped (so no string spans lines; other characters, unicode
included, are written as they are, UTF-8), numbers in a form both Neo4j and FalkorDB parse
(``NaN`` and infinities as ``0.0/0.0``, ``1.0/0.0``). Labels and relationship types come from the
model's enums; property keys are written in backquotes and only when they are plain names
(letters, digits, ``_``), others are left out with a warning. Comment lines start with ``//`` and
hold no data.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from orbitnet.cypher.statements import neo4j_schema
from orbitnet.export.graph import Node, PropertyGraph, Relationship
from orbitnet.model import Label, RelType

__all__ = ["cypher_string", "cypher_value", "split_statements", "write_cypher_script"]

PROPERTY_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_STRING_ESCAPES = {
    "\\": "\\\\",
    "'": "\\'",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}
_STRING_RE = re.compile("[\\\\'\n\r\t\b\f]")


@dataclass
class ScriptResult:
    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)
    statements: int = 0
    warnings: list[str] = field(default_factory=list)


def cypher_string(text: str) -> str:
    """A single-quoted Cypher string literal that never spans lines.

    >>> print(cypher_string("it's a\\\\b\\nc"))
    'it\\'s a\\\\b\\nc'
    """
    return "'" + _STRING_RE.sub(lambda m: _STRING_ESCAPES[m.group()], text) + "'"


def _float(value: float) -> str:
    if math.isnan(value):
        return "0.0/0.0"
    if math.isinf(value):
        return "1.0/0.0" if value > 0 else "-1.0/0.0"
    text = repr(value)
    if "e" in text:
        mantissa, exponent = text.split("e")
        if "." not in mantissa:
            mantissa += ".0"
        text = f"{mantissa}e{int(exponent)}"
    return text


def cypher_value(value: Any) -> str:
    """A plain value (``str``, ``int``, ``float``, ``bool``, lists of them) as a literal."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, str):
        return cypher_string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(cypher_value(v) for v in value) + "]"
    raise TypeError(f"no Cypher literal for {type(value).__name__}")


def _map(props: dict[str, Any], skipped: set[str]) -> str:
    parts = []
    for name, value in props.items():
        if value is None:
            continue
        if not PROPERTY_NAME.match(name):
            skipped.add(name)
            continue
        parts.append(f"`{name}`: {cypher_value(value)}")
    return "{" + ", ".join(parts) + "}"


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _statement(out: TextIO, rows: Iterable[str], tail: Sequence[str]) -> None:
    out.write("UNWIND [\n")
    out.write(",\n".join(rows))
    out.write("\n] AS row\n")
    out.write("\n".join(tail))
    out.write(";\n")


def write_cypher_script(
    graph: PropertyGraph, path: Path, *, batch_size: int = 500, derived: bool = True
) -> ScriptResult:
    if batch_size < 1:
        raise ValueError("batch size must be at least 1")
    result = ScriptResult()
    result.nodes, result.relationships = graph.counts()
    skipped: set[str] = set()
    node_groups: dict[tuple[Label, ...], list[Node]] = {}
    for node in graph.nodes.values():
        node_groups.setdefault(node.labels, []).append(node)
    rel_groups: dict[tuple[RelType, Label, Label], list[Relationship]] = {}
    for rel in graph.relationships:
        start, end = rel.start[0], rel.end[0]
        assert start is not None and end is not None, "exported relationships have labels"
        rel_groups.setdefault((rel.type, start, end), []).append(rel)

    n_nodes = sum(result.nodes.values())
    n_rels = sum(result.relationships.values())
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(
            f"// orbitnet export: {n_nodes} nodes, {n_rels} relationships"
            f"{' (derived COLLABORATES_WITH included)' if derived else ''}\n"
            "// Recreates the graph in an EMPTY Neo4j 5 database, for example with\n"
            "//   cypher-shell -a neo4j://localhost:7687 -u neo4j -f this-file.cypher\n"
            "// or from Neo4j Browser's editor. First the constraints, then nodes, then\n"
            "// relationships. Each statement ends with a semicolon at the end of a line.\n"
        )
        for statement in neo4j_schema():
            out.write(statement + ";\n")
            result.statements += 1
        for labels, nodes in node_groups.items():
            label_text = ":".join(Label(lbl).value for lbl in labels)
            for chunk in _chunks(nodes, batch_size):
                rows = (_map({"id": n.id, **n.props}, skipped) for n in chunk)
                _statement(out, rows, [f"CREATE (n:{label_text})", "SET n += row"])
                result.statements += 1
        for (rel_type, start, end), rels in rel_groups.items():
            tail = [
                f"MATCH (a:{Label(start).value} {{id: row.src}})",
                f"MATCH (b:{Label(end).value} {{id: row.dst}})",
                f"CREATE (a)-[r:{RelType(rel_type).value}]->(b)",
                "SET r += row.props",
            ]
            for chunk in _chunks(rels, batch_size):
                rows = (
                    f"{{src: {cypher_string(r.start[1])}, dst: {cypher_string(r.end[1])}, "
                    f"props: {_map(r.props, skipped)}}}"
                    for r in chunk
                )
                _statement(out, rows, tail)
                result.statements += 1
    if skipped:
        result.warnings.append(
            "properties left out (not plain names for Cypher): " + ", ".join(sorted(skipped)[:10])
        )
    return result


def split_statements(script: str) -> list[str]:
    """The statements of a script written by :func:`write_cypher_script`, without comment
    lines and without their final ``;``."""
    statements: list[str] = []
    current: list[str] = []
    for line in script.split("\n"):
        if not current and (not line.strip() or line.lstrip().startswith("//")):
            continue
        if line.endswith(";"):
            current.append(line[:-1])
            statements.append("\n".join(current))
            current = []
        else:
            current.append(line)
    if any(part.strip() for part in current):
        statements.append("\n".join(current))
    return statements
