"""Export the graph for other tools: Gephi, Cytoscape, Neo4j.

>>> from orbitnet.export import export_graph  # doctest: +SKIP
>>> export_graph(store, "orbitnet.graphml", "graphml").nodes  # doctest: +SKIP
{'Agreement': 10, 'Country': 67, 'Mission': 121, 'Organization': 115, 'Program': 17}

======================  =============================================  ============================
format                  what it writes                                 read back with
======================  =============================================  ============================
``graphml``, ``gexf``   the record layer in the convention of          ``graph_files``
                        :mod:`orbitnet.loaders.graph_files` (Gephi,    (``orbitnet load``)
                        Cytoscape, yEd); metrics as extra attributes
``cytoscape``           Cytoscape.js JSON: every node and              :mod:`~orbitnet.loaders.
                        relationship, derived ones included            cytoscape`
``neo4j-csv``           a folder for ``neo4j-admin database import     :mod:`~orbitnet.loaders.
                        full``, with README.txt                        neo4j_admin`
``cypher``              a Cypher script that recreates the graph in    ``cypher-shell -f``
                        an empty Neo4j 5 (constraints, then batched
                        ``UNWIND [...] AS row CREATE``)
======================  =============================================  ============================

Everything is read from the store with two read-only named queries (``export-nodes``,
``export-relationships``): every node with an id-owning label and every relationship between
such nodes, whose labels and types are the model's. ``include_derived`` (default: on, except
for GraphML and GEXF, which cannot hold them) adds the ``COLLABORATES_WITH`` edges, which every
load recomputes anyway; ``include_metrics`` (default: on) keeps the metric properties that
``orbitnet analyze --write`` stores on organisations. The loaders ignore both, so an export
loaded into an empty store gives back the same graph.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from orbitnet.cypher.store import Store
from orbitnet.errors import ConfigError
from orbitnet.export.graph import PropertyGraph, read_graph

__all__ = [
    "FORMATS",
    "ExportSummary",
    "PropertyGraph",
    "export_graph",
    "guess_format",
    "read_graph",
    "write_graph",
]

FORMATS = ("graphml", "gexf", "cytoscape", "neo4j-csv", "cypher")
_DERIVED_DEFAULT = {
    "graphml": False,
    "gexf": False,
    "cytoscape": True,
    "neo4j-csv": True,
    "cypher": True,
}
_SUFFIXES = {
    ".graphml": "graphml",
    ".gexf": "gexf",
    ".json": "cytoscape",
    ".cyjs": "cytoscape",
    ".cypher": "cypher",
    ".cql": "cypher",
}


@dataclass
class ExportSummary:
    """What an export wrote."""

    format: str
    path: str
    files: list[str] = field(default_factory=list)
    """Every file written (for ``neo4j-csv``, inside ``path``)."""
    nodes: dict[str, int] = field(default_factory=dict)
    """Nodes per id-owning label."""
    relationships: dict[str, int] = field(default_factory=dict)
    """Relationships per type (for GraphML/GEXF, ``PART_OF`` and ``BASED_IN`` are node fields)."""
    derived: bool = False
    metrics: bool = True
    statements: int | None = None
    """Statements in a Cypher script."""
    warnings: list[str] = field(default_factory=list)
    """Anything left out or changed, one line each."""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def guess_format(path: str | os.PathLike[str]) -> str:
    """The export format a path asks for: by suffix, and ``neo4j-csv`` for a folder.

    >>> guess_format("map.gexf"), guess_format("net.cyjs"), guess_format("out/")
    ('gexf', 'cytoscape', 'neo4j-csv')
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    if not suffix or p.is_dir():
        return "neo4j-csv"
    raise ConfigError(
        f"cannot tell the export format of {p.name!r}; give one of {', '.join(FORMATS)}"
    )


def _check(fmt: str, include_derived: bool | None) -> bool:
    if fmt not in FORMATS:
        raise ConfigError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    derived = _DERIVED_DEFAULT[fmt] if include_derived is None else include_derived
    if derived and fmt in ("graphml", "gexf"):
        raise ConfigError(
            f"{fmt} export holds the record layer only, which the loader reads back; the derived "
            "COLLABORATES_WITH edges are recomputed by every load (export cytoscape, neo4j-csv "
            "or cypher to keep them)"
        )
    return derived


def export_graph(
    store: Store,
    path: str | os.PathLike[str],
    fmt: str | None = None,
    *,
    include_derived: bool | None = None,
    include_metrics: bool = True,
    batch_size: int = 500,
) -> ExportSummary:
    """Write the graph of ``store`` to ``path`` in ``fmt`` (see the module docstring).

    ``fmt`` defaults to :func:`guess_format` of ``path``. ``neo4j-csv`` writes a folder; the
    others one file, replaced only once it is complete. ``batch_size`` is the rows per
    ``UNWIND`` statement of a Cypher script.

    Raises
    ------
    orbitnet.errors.ConfigError
        For an unknown format, or derived edges asked of GraphML or GEXF.
    """
    fmt = fmt or guess_format(path)
    derived = _check(fmt, include_derived)
    graph = read_graph(store, include_derived=derived, include_metrics=include_metrics)
    return write_graph(
        graph,
        path,
        fmt,
        include_derived=derived,
        include_metrics=include_metrics,
        batch_size=batch_size,
    )


def write_graph(
    graph: PropertyGraph,
    path: str | os.PathLike[str],
    fmt: str,
    *,
    include_derived: bool | None = None,
    include_metrics: bool = True,
    batch_size: int = 500,
) -> ExportSummary:
    """Write a :class:`PropertyGraph` (from :func:`read_graph`) to ``path`` in ``fmt``."""
    from orbitnet.cypher.script import write_cypher_script
    from orbitnet.export.cytoscape import write_cytoscape
    from orbitnet.export.graphml import write_gexf, write_graphml
    from orbitnet.export.neo4j_csv import write_neo4j_csv

    derived = _check(fmt, include_derived)
    target = Path(path)
    summary = ExportSummary(fmt, str(target), derived=derived, metrics=include_metrics)
    summary.warnings.extend(f"not exported: {line}" for line in graph.skipped)
    if fmt == "neo4j-csv":
        if target.exists() and not target.is_dir():
            raise ConfigError(f"{target} is a file; neo4j-csv export writes a folder")
        csv = write_neo4j_csv(graph, target, field_order=_field_order())
        summary.files = [str(target / name) for name in csv.files]
        summary.nodes, summary.relationships = csv.nodes, csv.relationships
        summary.warnings.extend(csv.warnings)
        return summary

    if target.is_dir():
        raise ConfigError(f"{target} is a folder; {fmt} export writes a file")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    try:
        if fmt in ("graphml", "gexf"):
            writer = write_graphml if fmt == "graphml" else write_gexf
            xml = writer(graph, partial, include_metrics=include_metrics)
            counts, warnings = (xml.nodes, xml.relationships), xml.warnings
        elif fmt == "cytoscape":
            js = write_cytoscape(graph, partial, derived=derived)
            counts, warnings = (js.nodes, js.relationships), js.warnings
        else:
            script = write_cypher_script(graph, partial, batch_size=batch_size, derived=derived)
            counts, warnings = (script.nodes, script.relationships), script.warnings
            summary.statements = script.statements
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    summary.files = [str(target)]
    summary.nodes, summary.relationships = counts
    summary.warnings.extend(warnings)
    return summary


def _field_order() -> list[str]:
    """Column order for tables: the model's fields in declaration order."""
    from orbitnet.export.records import EDGE_RECORDS, NODE_RECORDS

    order: list[str] = ["name"]
    models = [*NODE_RECORDS.values(), *(entry[0] for entry in EDGE_RECORDS.values())]
    for model in models:
        for name in model.model_fields:
            if name not in order and name not in ("record", "id"):
                order.append(name)
    order += [n for n in ("weight", "missions", "first_year", "last_year") if n not in order]
    return order
