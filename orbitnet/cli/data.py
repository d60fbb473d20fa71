"""``orbitnet load`` and ``orbitnet stats``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from orbitnet.cli.app import session
from orbitnet.cli.output import dump_json, emit_rows, note, pick_format, progress_factory

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="Print CSV.")]


def register(app: typer.Typer) -> None:
    app.command(rich_help_panel="Data")(load)
    app.command(rich_help_panel="Data")(stats)


def load(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files or folders to load; none loads the curated dataset.", show_default=False
        ),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="auto, curated, gcat, csv, graphml, gexf, cytoscape or neo4j-csv.",
        ),
    ] = "auto",
    mapping: Annotated[
        Path | None, typer.Option("--mapping", "-m", help="YAML mapping for a CSV/TSV file.")
    ] = None,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Write the valid rows; put rejects in a file.")
    ] = False,
    rejects: Annotated[
        Path | None, typer.Option("--rejects", help="Where rejected rows go (JSON lines).")
    ] = None,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Rows per write transaction.")
    ] = 10_000,
    as_json: JsonOpt = False,
) -> None:
    """Load data, then recompute the derived COLLABORATES_WITH edges.

    Strict by default: if any row is bad, nothing is written.
    Each bad row is listed as file:line: field: reason.

    Examples:
      orbitnet load                                   # the curated dataset
      orbitnet load ../shared/data/gcat               # GCAT orgs.tsv + satcat*.tsv
      orbitnet load partners.csv --mapping partners.yaml --skip-invalid
      orbitnet load network.graphml
      orbitnet load export-folder/ --format neo4j-csv
    """
    net = session(ctx)
    factory = None if as_json else progress_factory()
    try:
        summary = net.load(
            paths or [],
            format=fmt,
            mapping=mapping,
            strict=not skip_invalid,
            rejects=rejects,
            batch_size=batch_size,
            progress=factory,
        )
    finally:
        if factory is not None:
            factory.stop()
    if as_json:
        dump_json(summary.as_dict())
        return
    rows = [{"kind": "node", "name": name, **counts} for name, counts in summary.nodes.items()] + [
        {"kind": "relationship", "name": name, **counts}
        for name, counts in summary.relationships.items()
    ]
    emit_rows(
        rows,
        pick_format(False, False),
        title="Loaded",
        columns=["kind", "name", "created", "updated"],
    )
    note(
        f"{summary.collaborations} partnerships (COLLABORATES_WITH) recomputed; "
        f"{summary.rejected} rows rejected"
        + (f", written to {summary.rejects_file}" if summary.rejects_file else "")
        + "."
    )


def stats(ctx: typer.Context, as_json: JsonOpt = False, as_csv: CsvOpt = False) -> None:
    """Counts by label and relationship type, and partnerships by kind.

    Example: orbitnet stats --json
    """
    data = session(ctx).stats()
    fmt = pick_format(as_json, as_csv)
    if as_json:
        dump_json(data)
        return
    rows = (
        [{"what": "label", "name": k, "count": v} for k, v in data["labels"].items()]
        + [
            {"what": "relationship", "name": k, "count": v}
            for k, v in data["relationships"].items()
        ]
        + [
            {"what": "partnership", "name": k, "count": v["count"]}
            for k, v in data["partnerships"].items()
        ]
    )
    emit_rows(rows, fmt, title="orbitnet graph", columns=["what", "name", "count"])
