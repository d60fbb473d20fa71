"""The property-graph form every exporter writes: nodes with labels and properties, typed
relationships between them, read from a store with two read-only named queries.

A node is keyed by its id-owning label and its ``id`` (:data:`NodeKey`): the uniqueness
constraints are per label, so ``("Organization", "nasa")`` and ``("Mission", "nasa")`` would be two
nodes. Labels and relationship types are members of the model's enums; anything else in the
database (other labels, other relationship types, nodes without an ``id``) is left out and named
in :attr:`PropertyGraph.skipped`.

Property values are plain: ``str``, ``int``, ``float``, ``bool`` or lists of them. The loaders
that read exports back (:mod:`orbitnet.loaders.cytoscape`, :mod:`orbitnet.loaders.neo4j_admin`)
build the same objects, with :class:`Where` saying where each came from.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from orbitnet.cypher.store import Store
from orbitnet.model import NODE_LABELS, Label, RelType

__all__ = [
    "REL_ORDER",
    "Node",
    "NodeKey",
    "PropertyGraph",
    "Relationship",
    "Where",
    "id_label",
    "is_finite",
    "metric_names",
    "model_labels",
    "plain",
    "read_graph",
    "scalar_text",
    "value_kind",
]

NodeKey = tuple[Label | None, str]
"""(id-owning label, id); the label is ``None`` for an end that a file names only by id."""

REL_ORDER = tuple(RelType)
_LABEL_ORDER = {label: i for i, label in enumerate(Label)}


@dataclass(frozen=True)
class Where:
    """Where a node or relationship was read: for the problems a loader reports."""

    file: str = ""
    line: int | None = None
    field: str = ""  # e.g. "elements.nodes[3]"; prefixed to a problem's field


@dataclass
class Node:
    label: Label
    id: str
    labels: tuple[Label, ...]
    """Every model label of the node, the id-owning one first."""
    props: dict[str, Any]
    """Every property but ``id``."""
    where: Where = field(default_factory=Where)

    @property
    def key(self) -> tuple[Label, str]:
        return (self.label, self.id)


@dataclass
class Relationship:
    type: RelType
    start: NodeKey
    end: NodeKey
    props: dict[str, Any]
    where: Where = field(default_factory=Where)


@dataclass
class PropertyGraph:
    nodes: dict[tuple[Label, str], Node] = field(default_factory=dict)
    relationships: list[Relationship] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """What was in the database but is not part of this graph, one line each."""

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """Nodes per id-owning label and relationships per type."""
        nodes = Counter(n.label.value for n in self.nodes.values())
        rels = Counter(r.type.value for r in self.relationships)
        return dict(sorted(nodes.items())), dict(sorted(rels.items()))


def id_label(labels: Iterable[str]) -> Label | None:
    """The id-owning label among ``labels`` (the first in :data:`NODE_LABELS` order)."""
    present = set(labels)
    return next((lbl for lbl in NODE_LABELS if lbl.value in present), None)


def model_labels(labels: Iterable[str]) -> tuple[Label, ...]:
    """``labels`` that are model labels, the id-owning one first, the rest in enum order."""
    names = set(labels)
    members = {lbl for lbl in Label if lbl.value in names}
    primary = id_label(lbl.value for lbl in members)
    rest = sorted((lbl for lbl in members if lbl != primary), key=_LABEL_ORDER.__getitem__)
    return ((primary,) if primary else ()) + tuple(rest)


def metric_names() -> tuple[str, ...]:
    """The properties ``orbitnet analyze --write`` stores on organisations: every metric and
    the display size for Neo4j Browser (imported on first use)."""
    from orbitnet.browser import SIZE_PROPERTY
    from orbitnet.graph.metrics import NODE_METRICS

    return (*NODE_METRICS, SIZE_PROPERTY)


def plain(value: Any) -> Any:
    """A property value as ``None``, ``bool``, ``int``, ``float``, ``str`` or a list of them.

    Driver values without a plain form (Neo4j temporal types, points) become their text.
    """
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    iso = getattr(value, "iso_format", None) or getattr(value, "isoformat", None)
    if callable(iso):
        return str(iso())
    return str(value)


def is_finite(value: Any) -> bool:
    return not (isinstance(value, float) and not math.isfinite(value))


def read_graph(
    store: Store, *, include_derived: bool = True, include_metrics: bool = True
) -> PropertyGraph:
    """Read every model node and relationship of ``store`` (read-only queries).

    ``include_derived`` keeps the ``COLLABORATES_WITH`` edges; ``include_metrics`` keeps the
    metric properties that ``orbitnet analyze --write`` stores on organisations.
    """
    from orbitnet.cypher.queries import get_query

    graph = PropertyGraph()
    metrics = () if include_metrics else metric_names()
    skipped: Counter[str] = Counter()

    nodes: list[Node] = []
    for record in store.stream(get_query("export-nodes").text):
        labels = [str(lbl) for lbl in record["labels"] or ()]
        props = {k: plain(v) for k, v in (record["props"] or {}).items() if v is not None}
        node_id = props.pop("id", None)
        known = model_labels(labels)
        if not isinstance(node_id, str) or not node_id or not known:
            skipped["node without an id" if known else "node without a model label"] += 1
            continue
        for extra in sorted(set(labels) - {lbl.value for lbl in known}):
            skipped[f"label {extra!r} (not a model label)"] += 1
        if known[0] == Label.ORGANIZATION and metrics:
            for name in metrics:
                props.pop(name, None)
        nodes.append(Node(known[0], node_id, known, props))
    nodes.sort(key=lambda n: (_LABEL_ORDER[n.label], n.id))
    graph.nodes = {n.key: n for n in nodes}

    rels: list[Relationship] = []
    for record in store.stream(get_query("export-relationships").text):
        try:
            rel = RelType(record["type"])
        except ValueError:
            skipped[f"relationship type {record['type']!r} (not a model type)"] += 1
            continue
        if rel == RelType.COLLABORATES_WITH and not include_derived:
            continue
        start = (id_label(record["start_labels"] or ()), record["start"])
        end = (id_label(record["end_labels"] or ()), record["end"])
        if start not in graph.nodes or end not in graph.nodes:
            skipped[f"{rel.value} relationship with an end that has no id"] += 1
            continue
        props = {k: plain(v) for k, v in (record["props"] or {}).items() if v is not None}
        rels.append(Relationship(rel, start, end, props))
    rels.sort(key=_rel_sort_key)
    graph.relationships = rels
    graph.skipped = [f"{n} × {what}" for what, n in sorted(skipped.items())]
    return graph


def _rel_sort_key(rel: Relationship) -> tuple[Any, ...]:
    return (
        REL_ORDER.index(rel.type),
        _key_sort(rel.start),
        _key_sort(rel.end),
        sorted((k, repr(v)) for k, v in rel.props.items()),
    )


def _key_sort(key: NodeKey) -> tuple[int, str]:
    return (_LABEL_ORDER[key[0]] if key[0] is not None else -1, key[1])


def value_kind(values: Sequence[Any]) -> str:
    """The one type of a column of plain values: ``boolean``, ``int``, ``long``, ``double``,
    ``string`` or ``mixed`` (``None`` and non-finite floats do not count; lists are typed by
    their items and report the same names)."""
    kinds: set[str] = set()
    big = False
    for value in values:
        if value is None:
            continue
        if isinstance(value, bool):
            kinds.add("boolean")
        elif isinstance(value, int):
            kinds.add("int")
            big = big or not (-(2**31) <= value < 2**31)
        elif isinstance(value, float):
            kinds.add("double")
        elif isinstance(value, str):
            kinds.add("string")
        else:
            kinds.add("mixed")
    if not kinds:
        return "string"
    if kinds == {"int", "double"}:
        return "double"
    if len(kinds) > 1:
        return "mixed"
    kind = kinds.pop()
    return "long" if kind == "int" and big else kind


def scalar_text(value: Any) -> str:
    """A plain scalar as export files write it: ``true``/``false``, floats exactly (``repr``),
    ``NaN`` and ``Infinity``/``-Infinity`` as Java (and so Gephi and Neo4j) read them.

    Examples
    --------
    >>> [scalar_text(v) for v in (True, 0.1, float("-inf"), 7, "x")]
    ['true', '0.1', '-Infinity', '7', 'x']
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value)
    return str(value)
