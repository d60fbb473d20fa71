"""``orbitnet bench``: synthetic data for benchmarks and scale tests."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from orbitnet.cli.output import dump_json, note

app = typer.Typer(
    help="Make synthetic partnership networks to benchmark orbitnet at scale.",
    no_args_is_help=True,
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]


@app.command()
def generate(
    orgs: Annotated[
        int, typer.Option("--orgs", "-n", min=2, help="Organisations in the network.")
    ] = 1000,
    missions: Annotated[
        int | None,
        typer.Option(
            "--missions",
            "-m",
            min=1,
            show_default=False,
            help="Missions (default: 0.7 per organisation, about 10 partnerships each).",
        ),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", "-s", help="Random seed.")] = 0,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for partners.csv and its mapping.")
    ] = Path("out"),
    as_json: JsonOpt = False,
) -> None:
    """Write a synthetic heavy-tailed partnership network: a CSV file and its YAML mapping.

    One row per participation: organisation, sector, country, mission, kind, year, role.
    Hub organisations, mostly small missions and a few large multilateral ones, 1960 to 2025.
    The same seed gives the same files.

    Example: orbitnet bench generate --orgs 10000 --seed 1 --out out
    """
    from orbitnet.synthetic import generate as make

    try:
        files = make(orgs, missions, seed, out)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    except OSError as exc:
        note(f"error: cannot write to {out}: {exc.strerror or exc}; choose another --out folder")
        raise typer.Exit(1) from None
    if as_json:
        dump_json(files.as_dict())
        return
    typer.echo(
        f"Wrote {files.rows:,} participations of {files.orgs:,} organisations in "
        f"{files.missions:,} missions to {files.csv} (mapping: {files.mapping})."
    )
    note(f"Load it with: orbitnet load {files.csv} --mapping {files.mapping}")
