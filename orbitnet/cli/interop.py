"""Working with other tools: ``export``, ``browser`` (Neo4j Browser) and ``doctor``."""

from __future__ import annotations

import webbrowser
from pathlib import Path
from typing import Annotated

import typer

from orbitnet.cli.app import session
from orbitnet.cli.output import dump_json, emit_rows, note, pick_format

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def register(app: typer.Typer) -> None:
    app.command(rich_help_panel="Maps and export")(export)
    app.command(rich_help_panel="Neo4j Browser and tools")(browser)
    app.command(rich_help_panel="Neo4j Browser and tools")(doctor)


def export(
    ctx: typer.Context,
    out: Annotated[Path, typer.Argument(help="File to write (a folder for neo4j-csv).")],
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", help="graphml, gexf, cytoscape, neo4j-csv or cypher "
                     "(default: from the file name)."),
    ] = None,
    derived: Annotated[
        bool | None,
        typer.Option("--derived/--no-derived", help="Include COLLABORATES_WITH edges "
                     "(default: yes, except GraphML/GEXF)."),
    ] = None,
    metrics: Annotated[
        bool, typer.Option("--metrics/--no-metrics", help="Keep stored metric properties.")
    ] = True,
    as_json: JsonOpt = False,
) -> None:  # fmt: skip
    """Export the graph for Gephi, Cytoscape or Neo4j; loading it back gives the same graph.

    Examples:
      orbitnet export orbitnet.graphml                # Gephi, Cytoscape, yEd
      orbitnet export orbitnet.cyjs                   # Cytoscape.js JSON
      orbitnet export import/ --format neo4j-csv      # neo4j-admin database import full
      orbitnet export orbitnet.cypher                 # cypher-shell -f, or :source in Browser
    """
    from orbitnet.export import export_graph

    summary = export_graph(
        session(ctx).store, out, fmt, include_derived=derived, include_metrics=metrics
    )
    if as_json:
        dump_json(summary.as_dict())
        return
    rows = [{"kind": "node", "name": k, "count": v} for k, v in summary.nodes.items()] + [
        {"kind": "relationship", "name": k, "count": v} for k, v in summary.relationships.items()
    ]
    emit_rows(rows, pick_format(False, False), title=f"Exported to {summary.path} "
              f"({summary.format})")  # fmt: skip
    for warning in summary.warnings:
        note(f"note: {warning}")


def browser(
    ctx: typer.Context,
    query: Annotated[str | None, typer.Argument(help="Cypher to prefill (default: the "
                                                "brokers and their partnerships).")] = None,
    url: Annotated[str | None, typer.Option("--url", help="Neo4j Browser address (default: "
                                            "from NEO4J_URI, port 7474).")] = None,
    open_: Annotated[bool, typer.Option("--open", help="Open it in your web browser.")] = False,
    style: Annotated[Path | None, typer.Option("--style", help="Write a GraSS style file here "
                                               "(colours per label, size by betweenness).")]
    = None,
    favourites: Annotated[Path | None, typer.Option("--favourites", "--favorites",
                                                    help="Write the named queries as a zip "
                                                    "for Browser's Favorites > Import.")] = None,
) -> None:  # fmt: skip
    """Neo4j Browser: a URL with a query prefilled, a style sheet and favourites.

    Examples:
      orbitnet browser                                   # print the URL
      orbitnet browser "MATCH (o:Agency) RETURN o" --open
      orbitnet browser --style orbitnet.grass --favourites orbitnet-favourites.zip
    """
    from orbitnet import browser as nb
    from orbitnet.config import Settings

    if style is not None:
        style.write_text(nb.grass_style(), encoding="utf-8")
        note(f"Wrote {style}: in Browser run ':style' and drop the file on it")
    if favourites is not None:
        nb.favourites_zip(favourites)
        note(f"Wrote {favourites}: in Browser open Favorites > Import and choose it")
    if (style or favourites) and query is None and not open_:
        return
    settings = Settings.load(**(ctx.find_root().obj or {}))
    link = nb.browser_url(query, base=nb.browser_base(settings.neo4j_uri, url))
    typer.echo(link)
    if open_:
        webbrowser.open(link)


def doctor(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Check the installation, the database connection and the data; say what to fix.

    Example: orbitnet doctor
    """
    from orbitnet.config import Settings
    from orbitnet.doctor import run_checks

    checks = run_checks(Settings.load(**(ctx.find_root().obj or {})))
    if as_json:
        dump_json([c.as_dict() for c in checks])
    else:
        emit_rows(
            [{"check": c.name, "ok": "yes" if c.ok else "NO", "detail": c.detail,
              "next step": c.hint} for c in checks],
            pick_format(False, False), title="orbitnet doctor",
        )  # fmt: skip
    if not all(c.ok for c in checks):
        raise typer.Exit(1)
