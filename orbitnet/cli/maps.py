"""``orbitnet map``: the interactive HTML network map."""

from __future__ import annotations

import webbrowser
from pathlib import Path
from typing import Annotated

import typer

from orbitnet.cli.analysis import CountryOpt, KindOpt, OnlyOpt, SectorOpt, SeedOpt, filters
from orbitnet.cli.app import session
from orbitnet.cli.output import note, working


def register(app: typer.Typer) -> None:
    app.command(name="map", rich_help_panel="Maps and export")(map_)


def map_(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", "-o", help="The HTML file to write.")] = Path(
        "orbitnet-map.html"
    ),
    focus: Annotated[
        str | None, typer.Option("--focus", help="Centre an ego map on this organisation.")
    ] = None,
    hops: Annotated[int, typer.Option("--hops", min=1, max=6, help="Hops around --focus.")] = 1,
    path: Annotated[
        tuple[str, str] | None,
        typer.Option("--path", help="Show the path between two organisations."),
    ] = None,
    community: Annotated[int | None, typer.Option("--community", help="Only community K.")] = None,
    year_range: Annotated[
        str | None, typer.Option("--year-range", "--years", help="Only undertakings in 1998:2010.")
    ] = None,
    kind: KindOpt = None,
    sector: SectorOpt = None,
    country: CountryOpt = None,
    only: OnlyOpt = None,
    color_by: Annotated[
        str, typer.Option("--color-by", help="sector, community or country.")
    ] = "sector",
    size_by: Annotated[
        str, typer.Option("--size-by", help="Metric for node size.")
    ] = "betweenness",
    title: Annotated[str | None, typer.Option("--title", help="Title shown on the map.")] = None,
    open_: Annotated[bool, typer.Option("--open", help="Open the map in your browser.")] = False,
    seed: SeedOpt = 0,
) -> None:
    """Write an interactive, self-contained HTML map (works offline).

    Examples:
      orbitnet map --out orbitnet-map.html
      orbitnet map --focus ESA --hops 2 --color-by community
      orbitnet map --path CNSA NASA --open
      orbitnet map --year-range 1998:2010 --kind multilateral
    """
    with working("Drawing the map…"):
        written = session(ctx).map(
            out,
            filters=filters(year_range, kind, sector, country, only),
            focus=focus,
            hops=hops,
            path=path,
            community=community,
            color_by=color_by,
            size_by=size_by,
            title=title,
            seed=seed,
        )
    note(f"Wrote {written}")
    if open_:
        webbrowser.open(written.resolve().as_uri())
