"""Load a folder of neo4j-admin import CSV files (as ``orbitnet export --format neo4j-csv``
writes it) as records.

The folder's ``orbitnet-import.json``, when there is one, lists the files and gives the field
and array delimiters; otherwise every ``*.csv`` of the folder is read with ``,`` and ``;``, and
a file is a nodes file when its header has an ``:ID`` column, a relationships file when it has
``:START_ID``. Header fields follow neo4j-admin: ``name:type`` (``int``, ``long``, ``short``,
``byte``, ``float``, ``double``, ``boolean``, ``string``, ``char``, temporal types read as text,
each with ``[]`` for arrays), ``name:ID(space)`` or ``:ID(space)``, ``:LABEL``,
``:START_ID(space)``, ``:END_ID(space)``, ``:TYPE`` and ``:IGNORE``. Separate header files and
``--nodes=Label=...`` labels given on the command line are not read.

A node's labels are its ``:LABEL`` column (the model labels in it) or, without one, its ID space
when that is a label. A relationship's end is the node with that id in the end's ID space (for
orbitnet's own export, one space per label). Relationships become records as
:mod:`orbitnet.export.records` says: ``PART_OF`` and ``BASED_IN`` are fields of their start
node, ``COLLABORATES_WITH`` is skipped (it is derived, and recomputed by every load). An empty
field is no value. Every record and problem carries the file and the line its row starts on.
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orbitnet.errors import Problem, ValidationError
from orbitnet.export.graph import Node, NodeKey, PropertyGraph, Relationship, Where, model_labels
from orbitnet.export.records import records_from_graph
from orbitnet.loaders.base import Item, Rejected
from orbitnet.model import NODE_LABELS, Label, RelType

__all__ = ["read_neo4j_admin"]

MANIFEST = "orbitnet-import.json"
_HEADER = re.compile(
    r"^(?P<name>[^:]*)(?::(?P<type>[A-Za-z_]+)(?:\((?P<space>[^)]*)\))?"
    r"(?P<array>\[\])?)?(?:\{.*\})?$"
)
_INTS = frozenset({"int", "long", "short", "byte"})
_FLOATS = frozenset({"float", "double"})
_TEXT = frozenset(
    {
        "string",
        "char",
        "date",
        "localtime",
        "time",
        "localdatetime",
        "datetime",
        "duration",
        "point",
    }
)
_SPECIAL = frozenset({"id", "start_id", "end_id", "label", "type", "ignore"})


@dataclass(frozen=True)
class _Column:
    name: str
    kind: str  # lower-case type, or a special: id, start_id, end_id, label, type, ignore
    space: str = ""
    is_array: bool = False


class _Bad(Exception):
    pass


def read_neo4j_admin(
    folder: str | os.PathLike[str],
    *,
    delimiter: str | None = None,
    array_delimiter: str | None = None,
) -> Iterator[Item]:
    """Yield the records of a neo4j-admin import folder (see the module docstring).

    ``delimiter`` and ``array_delimiter`` override the manifest (defaults ``,`` and ``;``).

    Raises
    ------
    orbitnet.errors.ValidationError
        When ``folder`` is not a folder.
    """
    root = Path(folder)
    if not root.is_dir():
        raise ValidationError(
            Problem(str(root), None, "(folder)", "a neo4j-admin export is a folder of CSV files")
        )
    settings: dict[str, Any] = {}
    manifest = root / MANIFEST
    problems: list[Rejected] = []
    if manifest.is_file():
        try:
            loaded = json.loads(manifest.read_text(encoding="utf-8"))
            settings = loaded if isinstance(loaded, dict) else {}
        except ValueError as exc:
            problems.append(
                Rejected(Problem(str(manifest), None, "(json)", f"malformed JSON: {exc}"))
            )
    sep = delimiter or str(settings.get("delimiter") or ",")
    array_sep = array_delimiter or str(settings.get("array_delimiter") or ";")
    names = [*settings.get("nodes", []), *settings.get("relationships", [])]
    if names and all(isinstance(n, str) for n in names):
        files = [root / n for n in names]
    else:
        files = sorted(root.glob("*.csv"))
    reader = _Reader(sep, array_sep)
    for file in files:
        if not file.is_file() or file.resolve().parent != root.resolve():
            problems.append(
                Rejected(Problem(str(file), None, "(file)", "listed in the manifest, not found"))
            )
            continue
        reader.read(file)
    yield from problems
    yield from reader.problems
    yield from records_from_graph(reader.graph())


class _Reader:
    def __init__(self, delimiter: str, array_delimiter: str) -> None:
        self.delimiter = delimiter
        self.array_delimiter = array_delimiter
        self.nodes: dict[tuple[Label, str], Node] = {}
        self.spaces: dict[str, dict[str, tuple[Label, str]]] = {}
        self.pending: list[tuple[str, str, str, str, RelType, dict[str, Any], Where]] = []
        self.problems: list[Rejected] = []

    def graph(self) -> PropertyGraph:
        graph = PropertyGraph(nodes=self.nodes)
        for start_space, start, end_space, end, rel_type, props, where in self.pending:
            graph.relationships.append(
                Relationship(
                    rel_type,
                    self._end(start_space, start),
                    self._end(end_space, end),
                    props,
                    where,
                )
            )
        return graph

    def _end(self, space: str, node_id: str) -> NodeKey:
        found = self.spaces.get(space, {}).get(node_id)
        if found is not None:
            return found
        label = next((lbl for lbl in Label if lbl.value == space), None)
        return (label, node_id)

    def _reject(
        self, file: str, line: int | None, field: str, reason: str, raw: Any = None
    ) -> None:
        self.problems.append(Rejected(Problem(file, line, field, reason), raw))

    def read(self, path: Path) -> None:
        file = str(path)
        try:
            handle = path.open(encoding="utf-8", newline="")
        except OSError as exc:
            self._reject(file, None, "(file)", f"cannot read: {exc.strerror}")
            return
        with handle:
            rows = csv.reader(handle, delimiter=self.delimiter, quotechar='"', strict=True)
            try:
                header = next(rows, None)
                if header is None:
                    self._reject(file, 1, "(header)", "empty file: a header row is needed")
                    return
                columns = self._header(file, header)
                if columns is None:
                    return
                kinds = {c.kind for c in columns}
                is_nodes = "id" in kinds
                if not is_nodes and not {"start_id", "end_id"} <= kinds:
                    self._reject(
                        file,
                        1,
                        "(header)",
                        "a header needs :ID (nodes) or :START_ID and :END_ID (relationships)",
                    )
                    return
                line = rows.line_num + 1
                for row in rows:
                    if any(cell != "" for cell in row):
                        if is_nodes:
                            self._node(file, line, columns, row)
                        else:
                            self._relationship(file, line, columns, row)
                    line = rows.line_num + 1
            except csv.Error as exc:
                self._reject(file, rows.line_num, "(csv)", f"malformed CSV: {exc}")

    def _header(self, file: str, header: list[str]) -> list[_Column] | None:
        columns = []
        for text in header:
            match = _HEADER.match(text.strip())
            if match is None:
                self._reject(file, 1, text, f"cannot read the header field {text!r}")
                return None
            type_ = (match["type"] or "string").lower()
            if type_ not in _SPECIAL | _INTS | _FLOATS | _TEXT | {"boolean"}:
                self._reject(file, 1, text, f"unknown type {match['type']!r}")
                return None
            columns.append(
                _Column(match["name"], type_, match["space"] or "", bool(match["array"]))
            )
        return columns

    def _values(
        self, file: str, line: int, columns: list[_Column], row: list[str]
    ) -> dict[_Column, Any] | None:
        if len(row) != len(columns):
            self._reject(
                file, line, "(row)", f"{len(row)} fields where the header has {len(columns)}", row
            )
            return None
        out: dict[_Column, Any] = {}
        for column, cell in zip(columns, row, strict=True):
            if cell == "" or column.kind == "ignore":
                continue
            try:
                out[column] = self._convert(column, cell)
            except _Bad as exc:
                self._reject(file, line, column.name or f":{column.kind.upper()}", str(exc), row)
                return None
        return out

    def _convert(self, column: _Column, cell: str) -> Any:
        if column.kind in _SPECIAL:
            if column.kind == "label":
                return [p for p in cell.split(self.array_delimiter) if p]
            return cell
        if column.is_array:
            return [self._scalar(column.kind, p) for p in cell.split(self.array_delimiter)]
        return self._scalar(column.kind, cell)

    @staticmethod
    def _scalar(kind: str, text: str) -> Any:
        try:
            if kind in _INTS:
                return int(text.strip())
            if kind in _FLOATS:
                return float(text.strip())
        except ValueError:
            raise _Bad(f"{text!r} is not a number ({kind})") from None
        if kind == "boolean":
            lowered = text.strip().lower()
            if lowered not in ("true", "false"):
                raise _Bad(f"{text!r} is not a boolean (true or false)")
            return lowered == "true"
        return text

    def _node(self, file: str, line: int, columns: list[_Column], row: list[str]) -> None:
        values = self._values(file, line, columns, row)
        if values is None:
            return
        id_column = next(c for c in columns if c.kind == "id")
        node_id = values.get(id_column)
        if node_id is None:
            self._reject(file, line, id_column.name or ":ID", "a node needs an id", row)
            return
        label_texts: list[str] = [id_column.space]  # an ID space named like a label is one
        for column, value in values.items():
            if column.kind == "label":
                label_texts.extend(value)
        labels = model_labels(label_texts)
        if not labels or labels[0] not in NODE_LABELS:
            self._reject(
                file,
                line,
                ":LABEL",
                f"node {node_id!r} has no id-owning label "
                f"(Organization, Country, Mission, Program or Agreement): {label_texts[1:]!r}",
                row,
            )
            return
        props = {c.name: v for c, v in values.items() if c.kind not in _SPECIAL and c.name}
        if id_column.name:
            props[id_column.name] = node_id
        record_id = props.pop("id", None)  # the id property; else the import id
        if not isinstance(record_id, str) or not record_id:
            record_id = node_id
        node = Node(labels[0], record_id, labels, props, Where(file, line))
        if node.key in self.nodes:
            first = self.nodes[node.key].where
            self._reject(
                file,
                line,
                id_column.name or ":ID",
                f"{labels[0].value} {record_id!r} is already on {first.file}:{first.line}",
                row,
            )
            return
        self.nodes[node.key] = node
        self.spaces.setdefault(id_column.space, {})[node_id] = node.key

    def _relationship(self, file: str, line: int, columns: list[_Column], row: list[str]) -> None:
        values = self._values(file, line, columns, row)
        if values is None:
            return
        start_column = next(c for c in columns if c.kind == "start_id")
        end_column = next(c for c in columns if c.kind == "end_id")
        type_column = next((c for c in columns if c.kind == "type"), None)
        start, end = values.get(start_column), values.get(end_column)
        type_text = values.get(type_column) if type_column is not None else None
        if start is None or end is None:
            self._reject(file, line, "(row)", "a relationship needs :START_ID and :END_ID", row)
            return
        try:
            rel_type = RelType(str(type_text).strip().upper())
        except ValueError:
            self._reject(
                file,
                line,
                ":TYPE",
                f"unknown relationship type {type_text!r}; expected one "
                f"of {', '.join(t.value for t in RelType)}",
                row,
            )
            return
        props = {c.name: v for c, v in values.items() if c.kind not in _SPECIAL and c.name}
        self.pending.append(
            (start_column.space, start, end_column.space, end, rel_type, props, Where(file, line))
        )
