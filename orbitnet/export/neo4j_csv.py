"""CSV files for ``neo4j-admin database import full``, with a README.txt giving the command.

One nodes file per id-owning label, ``nodes-<Label>.csv``::

    id:ID(Organization),:LABEL,name:string,sector:string,founded:int,aliases:string[],...
    nasa,Organization;Agency,NASA,agency,1958,NASA;National Aeronautics and Space Administration

and one relationships file per type and pair of end labels,
``relationships-<TYPE>-<Start>-<End>.csv``::

    :START_ID(Organization),:END_ID(Mission),:TYPE,role:string,contribution:string,source:string

Each label is its own ID space, as its uniqueness constraint is (so ``nasa`` the organisation and
a mission ``nasa`` could both exist). The ``id`` column is stored as the ``id`` property.
Property types come from the values: ``int`` (``long`` beyond 32 bits), ``double``, ``boolean``,
``string`` and their arrays; a column whose values have several types is written as ``string``.
Dates stay ``string`` as they are in the store.

Quoting is RFC 4180 (``"`` doubled), which is neo4j-admin's default (``--legacy-style-quoting``
off: a backslash is an ordinary character). A missing value is an empty field (no property); an
empty string is ``""``. The array delimiter is ``;`` unless a value contains one, then the first
of ``| ^ ~`` (and U+001F) that no value contains; it and ``--multiline-fields`` (when a value holds
a line break) are in the command of README.txt and in ``orbitnet-import.json``, which
:func:`orbitnet.loaders.neo4j_admin.read_neo4j_admin` reads. ``constraints.cypher`` holds the
uniqueness constraints to create once the database is started (neo4j-admin creates none).

Property names go into headers, so only names like ``launch_year`` (letters, digits, ``_``) are
written; others are left out with a warning.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orbitnet.cypher.statements import neo4j_schema
from orbitnet.errors import ConfigError
from orbitnet.export.graph import NodeKey, PropertyGraph, scalar_text, value_kind
from orbitnet.model import NODE_LABELS, Label, RelType

__all__ = ["ARRAY_DELIMITERS", "MANIFEST", "PROPERTY_NAME", "write_neo4j_csv"]

MANIFEST = "orbitnet-import.json"
ARRAY_DELIMITERS = (";", "|", "^", "~", "\x1f")
PROPERTY_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_NEEDS_QUOTES = re.compile(r'[",\r\n]|^\s|\s$')
_TYPES = {"boolean": "boolean", "int": "int", "long": "long", "double": "double"}


@dataclass
class CsvResult:
    files: list[str] = field(default_factory=list)
    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _field(text: str | None) -> str:
    """One CSV field: ``None`` is empty, an empty string is ``""``."""
    if text is None:
        return ""
    if text == "" or _NEEDS_QUOTES.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def _scalar(value: Any, kind: str) -> str:
    if kind == "string" or kind == "mixed":
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return scalar_text(value)


@dataclass
class _Column:
    name: str
    kind: str  # value_kind of the items
    is_list: bool

    def header(self) -> str:
        type_ = _TYPES.get(self.kind, "string")
        return f"{self.name}:{type_}{'[]' if self.is_list else ''}"

    def cell(self, value: Any, delimiter: str) -> str | None:
        if value is None:
            return None
        if self.is_list:
            items = value if isinstance(value, list) else [value]
            if not items:
                return None
            return delimiter.join(_scalar(v, self.kind) for v in items)
        if isinstance(value, list):  # a list in a column of scalars (mixed): its JSON text
            return json.dumps(value, ensure_ascii=False)
        return _scalar(value, self.kind)


def _columns(
    rows: Sequence[dict[str, Any]], order: Sequence[str], warnings: list[str], what: str
) -> list[_Column]:
    values: dict[str, list[Any]] = {}
    for props in rows:
        for name, value in props.items():
            values.setdefault(name, []).append(value)
    rank = {name: i for i, name in enumerate(order)}
    names = sorted(values, key=lambda n: (rank.get(n, len(rank)), n))
    out = []
    for name in names:
        if not PROPERTY_NAME.match(name):
            warnings.append(f"{what}: property {name!r} left out (not a plain name for a header)")
            continue
        vals = values[name]
        lists = [v for v in vals if isinstance(v, list)]
        if lists and len(lists) == len(vals):
            kind = value_kind([item for v in lists for item in v])
            out.append(_Column(name, "string" if kind == "mixed" else kind, True))
        else:
            kind = value_kind(vals) if not lists else "mixed"
            if kind == "mixed":
                warnings.append(
                    f"{what}: property {name!r} has values of several types; written as string"
                )
                kind = "string"
            out.append(_Column(name, kind, False))
    return out


def _strings(graph: PropertyGraph) -> Iterable[str]:
    for node in graph.nodes.values():
        for value in node.props.values():
            if isinstance(value, list):
                yield from (v for v in value if isinstance(v, str))
    for rel in graph.relationships:
        for value in rel.props.values():
            if isinstance(value, list):
                yield from (v for v in value if isinstance(v, str))


def _all_text(graph: PropertyGraph) -> Iterable[str]:
    for node in graph.nodes.values():
        yield node.id
        yield from _texts(node.props.values())
    for rel in graph.relationships:
        yield from _texts(rel.props.values())


def _texts(values: Iterable[Any]) -> Iterable[str]:
    for value in values:
        if isinstance(value, str):
            yield value
        elif isinstance(value, list):
            yield from (v for v in value if isinstance(v, str))


def _shell_char(char: str) -> str:
    return f"U+{ord(char):04X}" if not char.isprintable() else char


def write_neo4j_csv(
    graph: PropertyGraph, folder: Path, *, field_order: Sequence[str] = ()
) -> CsvResult:
    """Write the import files into ``folder`` (created if needed; files of an earlier export
    listed in its ``orbitnet-import.json`` are removed first)."""
    result = CsvResult()
    result.nodes, result.relationships = graph.counts()
    folder.mkdir(parents=True, exist_ok=True)
    _remove_previous(folder)

    used = set("".join(_strings(graph)))
    delimiter = next((d for d in ARRAY_DELIMITERS if d not in used), None)
    if delimiter is None:
        raise ConfigError(
            "every array delimiter neo4j-admin could use (; | ^ ~ U+001F) occurs in a list "
            "value; export cytoscape or cypher instead"
        )
    multiline = any(("\n" in t or "\r" in t) for t in _all_text(graph))

    node_files: list[str] = []
    by_label: dict[Label, list[Any]] = {}
    for node in graph.nodes.values():
        by_label.setdefault(node.label, []).append(node)
    for label in NODE_LABELS:
        nodes = by_label.get(label)
        if not nodes:
            continue
        name = f"nodes-{label.value}.csv"
        cols = _columns([n.props for n in nodes], field_order, result.warnings, name)
        with (folder / name).open("w", encoding="utf-8", newline="") as out:
            header = [f"id:ID({label.value})", ":LABEL", *(c.header() for c in cols)]
            out.write(",".join(header) + "\n")
            for node in nodes:
                cells = [
                    _field(node.id),
                    _field(delimiter.join(lbl.value for lbl in node.labels)),
                    *(_field(c.cell(node.props.get(c.name), delimiter)) for c in cols),
                ]
                out.write(",".join(cells) + "\n")
        node_files.append(name)

    rel_files: list[str] = []
    groups: dict[tuple[RelType, Label, Label], list[Any]] = {}
    for rel in graph.relationships:
        start, end = _label(rel.start), _label(rel.end)
        groups.setdefault((rel.type, start, end), []).append(rel)
    for (rel_type, start, end), rels in groups.items():
        name = f"relationships-{rel_type.value}-{start.value}-{end.value}.csv"
        cols = _columns([r.props for r in rels], field_order, result.warnings, name)
        with (folder / name).open("w", encoding="utf-8", newline="") as out:
            header = [f":START_ID({start.value})", f":END_ID({end.value})", ":TYPE"]
            out.write(",".join(header + [c.header() for c in cols]) + "\n")
            for rel in rels:
                cells = [
                    _field(rel.start[1]),
                    _field(rel.end[1]),
                    rel_type.value,
                    *(_field(c.cell(rel.props.get(c.name), delimiter)) for c in cols),
                ]
                out.write(",".join(cells) + "\n")
        rel_files.append(name)

    (folder / "constraints.cypher").write_text(
        "".join(f"{statement};\n" for statement in neo4j_schema()), encoding="utf-8"
    )
    manifest = {
        "generator": "orbitnet",
        "format": "neo4j-admin",
        "delimiter": ",",
        "array_delimiter": delimiter,
        "quote": '"',
        "multiline_fields": multiline,
        "nodes": node_files,
        "relationships": rel_files,
        "constraints": "constraints.cypher",
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    (folder / "README.txt").write_text(
        _readme(node_files, rel_files, delimiter, multiline, graph), encoding="utf-8"
    )
    result.files = [*node_files, *rel_files, "constraints.cypher", MANIFEST, "README.txt"]
    return result


def _label(key: NodeKey) -> Label:
    assert key[0] is not None, "exported relationships have labelled ends"
    return key[0]


def _remove_previous(folder: Path) -> None:
    manifest = folder / MANIFEST
    if not manifest.is_file():
        return
    try:
        old = json.loads(manifest.read_text(encoding="utf-8"))
        names = [*old.get("nodes", []), *old.get("relationships", [])]
    except (ValueError, AttributeError, TypeError):
        return
    for name in names:
        if isinstance(name, str) and "/" not in name and "\\" not in name and name.endswith(".csv"):
            (folder / name).unlink(missing_ok=True)


def _readme(
    node_files: Sequence[str],
    rel_files: Sequence[str],
    delimiter: str,
    multiline: bool,
    graph: PropertyGraph,
) -> str:
    nodes, rels = graph.counts()
    options = [f'--array-delimiter="{_shell_char(delimiter)}"']
    if multiline:
        options.append("--multiline-fields=true")
    lines = [
        "orbitnet export for neo4j-admin (Neo4j 5)",
        "",
        "Nodes: " + ", ".join(f"{k} {v}" for k, v in nodes.items()),
        "Relationships: " + ", ".join(f"{k} {v}" for k, v in rels.items()),
        "",
        "neo4j-admin writes a new database offline: stop Neo4j (or use a database that does not",
        "exist yet), then run from this folder (Neo4j 5.19 and later want the database name",
        "first; --overwrite-destination replaces an existing database of that name):",
        "",
        "  neo4j-admin database import full neo4j \\",
        "    --overwrite-destination \\",
        *(f"    {opt} \\" for opt in options),
        *(f"    --nodes={name} \\" for name in node_files),
        *(f"    --relationships={name} \\" for name in rel_files),
        "",
    ]
    lines[-2] = lines[-2].rstrip(" \\")
    lines += [
        "Then start Neo4j and create the uniqueness constraints orbitnet expects:",
        "",
        "  cypher-shell -u neo4j -f constraints.cypher",
        "",
        "With Docker (docker-compose.yml): 'docker compose stop neo4j', then run the command in a",
        "one-off container with this folder mounted, e.g. 'docker compose run --rm -v",
        '"$PWD":/import -w /import neo4j neo4j-admin database import full neo4j ...\', and',
        "'docker compose start neo4j'.",
        "",
        "Files: CSV with a header row, ',' between fields, '\"' quotes (doubled inside a field),",
        f"'{_shell_char(delimiter)}' between array items; each label is its own ID space",
        "(id:ID(Organization) ... :START_ID(Organization)). orbitnet reads this folder back with",
        "orbitnet.loaders.neo4j_admin.read_neo4j_admin (settings in orbitnet-import.json).",
        "",
    ]
    return "\n".join(lines)
