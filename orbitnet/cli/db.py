"""``orbitnet db``: the embedded FalkorDB server."""

from __future__ import annotations

from typing import Annotated

import typer

from orbitnet.cli.output import dump_json, note

app = typer.Typer(
    help="Start, stop and inspect the embedded FalkorDB server.", no_args_is_help=True
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]


def _server(ctx: typer.Context):  # type: ignore[no-untyped-def]
    from orbitnet.config import Settings
    from orbitnet.cypher.server import EmbeddedServer

    return EmbeddedServer(Settings.load(**(ctx.find_root().obj or {})).home)


@app.command()
def start(ctx: typer.Context) -> None:
    """Start the embedded server (does nothing if it is running).

    Example: orbitnet db start
    """
    server = _server(ctx)
    if server.start():
        note(f"Started the embedded FalkorDB (data in {server.home}).")
    else:
        note(f"The embedded FalkorDB is already running (data in {server.home}).")


@app.command()
def stop(ctx: typer.Context) -> None:
    """Flush the data to disk and stop the embedded server.

    Example: orbitnet db stop
    """
    if _server(ctx).stop():
        note("Stopped the embedded FalkorDB.")
    else:
        note("The embedded FalkorDB was not running.")


@app.command()
def status(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Say whether the embedded server runs, with its pid, socket and data folder.

    Example: orbitnet db status --json
    """
    state = _server(ctx).status()
    if as_json:
        dump_json(state.as_dict())
        return
    if state.running:
        typer.echo(f"running (pid {state.pid}), socket {state.socket}")
    else:
        extra = "; a stale pid file is left and will be cleaned on start" if state.stale else ""
        typer.echo(f"not running{extra}; start it with 'orbitnet db start'")
    typer.echo(f"data: {state.data_dir}")


@app.command()
def path(ctx: typer.Context) -> None:
    """Print the data folder of the embedded server.

    Example: orbitnet db path
    """
    typer.echo(str(_server(ctx).data_dir))
