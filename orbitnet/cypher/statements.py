"""Write statements built from the model's enums, shared by both backends.

Labels and relationship types are never taken from input: every identifier placed in a statement
here is a member of :class:`~orbitnet.model.Label` or :class:`~orbitnet.model.RelType`, checked
again at build time. Values always travel as ``$parameters``.
"""

from __future__ import annotations

from functools import cache

from orbitnet.model import NODE_LABELS, Label, RelType, Sector

SECTOR_LABELS = tuple(s.label for s in Sector)


def _label(value: Label) -> str:
    return Label(value).value  # raises on anything that is not a model label


def _rel(value: RelType) -> str:
    return RelType(value).value


@cache
def upsert_nodes(primary: Label, extra: Label | None = None) -> str:
    """MERGE nodes of ``primary`` by id and set their properties; rows are ``{id, props}``.

    ``extra`` is an organisation's sector label. New nodes are created with both labels at once
    (adding a label to an existing node is slow on FalkorDB: about 1.5k nodes/s against 30k+),
    and existing ones get the sector label with the other sector labels removed, so a changed
    sector never leaves two.
    """
    if extra is None:
        return "\n".join(
            [
                "UNWIND $rows AS row",
                f"MERGE (n:{_label(primary)} {{id: row.id}})",
                "SET n += row.props",
            ]
        )
    labels = f"{_label(primary)}:{_label(extra)}"
    others = ":".join(_label(lbl) for lbl in SECTOR_LABELS if lbl != extra)
    return "\n".join(
        [
            "UNWIND $rows AS row",
            f"OPTIONAL MATCH (e:{_label(primary)} {{id: row.id}})",
            "FOREACH (_ IN CASE WHEN e IS NULL THEN [1] ELSE [] END |",
            f"  CREATE (n:{labels} {{id: row.id}}) SET n += row.props)",
            "FOREACH (_ IN CASE WHEN e IS NULL THEN [] ELSE [1] END |",
            f"  SET e += row.props, e:{_label(extra)} REMOVE e:{others})",
        ]
    )


@cache
def upsert_edges(rel: RelType, start: Label, end: Label, key: str | None = None) -> str:
    """MERGE relationships by their ends (and ``key``, e.g. ``role``); rows are
    ``{src, dst, key, props}``. Ends that do not exist are skipped, never created."""
    merge_key = f" {{{key}: row.key}}" if key else ""
    if key is not None and not key.isidentifier():
        raise ValueError(f"bad relationship key {key!r}")
    return "\n".join(
        [
            "UNWIND $rows AS row",
            f"MATCH (a:{_label(start)} {{id: row.src}})",
            f"MATCH (b:{_label(end)} {{id: row.dst}})",
            f"MERGE (a)-[r:{_rel(rel)}{merge_key}]->(b)",
            "SET r += row.props",
        ]
    )


@cache
def set_properties(label: Label) -> str:
    """Set properties on existing nodes of ``label``; rows are ``{id, props}``."""
    return "\n".join(
        ["UNWIND $rows AS row", f"MATCH (n:{_label(label)} {{id: row.id}})", "SET n += row.props"]
    )


@cache
def delete_relationships(rel: RelType) -> str:
    return f"MATCH ()-[r:{_rel(rel)}]->() DELETE r"


@cache
def existing_ids(label: Label) -> str:
    """Which of ``$ids`` exist with ``label``."""
    return f"MATCH (n:{_label(label)}) WHERE n.id IN $ids RETURN n.id AS id"


def neo4j_schema() -> list[str]:
    """Neo4j 5: a uniqueness constraint on ``id`` for each id-owning label."""
    return [
        f"CREATE CONSTRAINT {_label(lbl).lower()}_id IF NOT EXISTS "
        f"FOR (n:{_label(lbl)}) REQUIRE n.id IS UNIQUE"
        for lbl in NODE_LABELS
    ]


def lintable() -> list[tuple[str, str, tuple[str, ...]]]:
    """Every generated statement as ``(name, text, parameters)``, for the Neo4j linter test."""
    out: list[tuple[str, str, tuple[str, ...]]] = []
    for i, text in enumerate(neo4j_schema()):
        out.append((f"schema-{i}", text, ()))
    for lbl in NODE_LABELS:
        out.append((f"upsert-{lbl}", upsert_nodes(lbl), ("rows",)))
        out.append((f"ids-{lbl}", existing_ids(lbl), ("ids",)))
    for sector in Sector:
        out.append((f"upsert-{sector}", upsert_nodes(Label.ORGANIZATION, sector.label), ("rows",)))
    out.append(
        (
            "upsert-participation",
            upsert_edges(RelType.PARTICIPATES_IN, Label.ORGANIZATION, Label.MISSION, "role"),
            ("rows",),
        )
    )
    out.append(
        (
            "upsert-collaboration",
            upsert_edges(RelType.COLLABORATES_WITH, Label.ORGANIZATION, Label.ORGANIZATION),
            ("rows",),
        )
    )
    out.append(("set-properties", set_properties(Label.ORGANIZATION), ("rows",)))
    out.append(("delete-collaboration", delete_relationships(RelType.COLLABORATES_WITH), ()))
    return out
